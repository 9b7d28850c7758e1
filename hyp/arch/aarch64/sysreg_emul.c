/* SPDX-License-Identifier: MIT */
/*
 * sysreg_emul.c - per-vCPU debug and PMU register views and the set/way operand check; see
 * sysreg_emul.h. No register access: the hypervisor and the host unit tests link this file.
 */
#include "sysreg_emul.h"

#include <stddef.h>

/* ---- PMU (Arm ARM D11.10, D13.4: PMUv3 registers) ---- */

#define PMU_ISS(crn, crm, op2) SYSREG_ISS(3, 3, crn, crm, op2)
#define ISS_PMCR PMU_ISS(9, 12, 0)
#define ISS_PMCNTENSET PMU_ISS(9, 12, 1)
#define ISS_PMCNTENCLR PMU_ISS(9, 12, 2)
#define ISS_PMOVSCLR PMU_ISS(9, 12, 3)
#define ISS_PMSWINC PMU_ISS(9, 12, 4)
#define ISS_PMSELR PMU_ISS(9, 12, 5)
#define ISS_PMCEID0 PMU_ISS(9, 12, 6)
#define ISS_PMCEID1 PMU_ISS(9, 12, 7)
#define ISS_PMCCNTR PMU_ISS(9, 13, 0)
#define ISS_PMXEVTYPER PMU_ISS(9, 13, 1)
#define ISS_PMXEVCNTR PMU_ISS(9, 13, 2)
#define ISS_PMUSERENR PMU_ISS(9, 14, 0)
#define ISS_PMOVSSET PMU_ISS(9, 14, 3)
#define ISS_PMCCFILTR PMU_ISS(14, 15, 7)
#define ISS_PMINTENSET SYSREG_ISS(3, 0, 9, 14, 1)
#define ISS_PMINTENCLR SYSREG_ISS(3, 0, 9, 14, 2)

#define PMCR_E (1u << 0)
#define PMCR_C (1u << 2)
#define PMCR_LC (1u << 6)
#define PMCR_ID_MASK 0xffff0000u /* IMP, IDCODE: the hardware's; N (bits 15:11) reads 0 */
#define CCNT_BIT (1u << 31)      /* the cycle counter's bit in the set/clear registers */
#define PMCCFILTR_MASK 0xfc000000u
#define PMUSERENR_MASK 0xfu
#define PMSELR_CYCLE 31
#define PMCEID0_CPU_CYCLES (1u << 0x11) /* the one event this PMU counts */

void vpmu_reset(struct vpmu *p)
{
    *p = (struct vpmu){.mask = ~0UL, .pmcr = PMCR_E | PMCR_LC, .cnten = CCNT_BIT};
}

static void ccntr_set(struct vpmu *p, uint64_t hw, uint64_t val)
{
    p->base = val - (hw & p->mask);
}

/* The counter runs while PMCR_EL0.E and PMCNTENSET_EL0[31] are both set (D11.5.1). */
static void vpmu_update(struct vpmu *p, uint64_t hw)
{
    uint64_t now = vpmu_ccntr(p, hw);
    p->mask = (p->pmcr & PMCR_E) && (p->cnten & CCNT_BIT) ? ~0UL : 0;
    ccntr_set(p, hw, now);
}

/* Set/clear register pairs with the cycle counter's bit only. */
static const struct {
    uint32_t key;
    uint8_t field; /* offsetof(struct vpmu, ...) */
    bool set;
} pmu_bits[] = {
    {ISS_PMCNTENSET, offsetof(struct vpmu, cnten), true},
    {ISS_PMCNTENCLR, offsetof(struct vpmu, cnten), false},
    {ISS_PMOVSSET, offsetof(struct vpmu, ovs), true},
    {ISS_PMOVSCLR, offsetof(struct vpmu, ovs), false},
    {ISS_PMINTENSET, offsetof(struct vpmu, inten), true},
    {ISS_PMINTENCLR, offsetof(struct vpmu, inten), false},
};

static bool pmu_setclr(struct vpmu *p, const struct sysreg_acc *a, uint64_t *val, uint64_t hw)
{
    for (size_t i = 0; i < sizeof(pmu_bits) / sizeof(pmu_bits[0]); i++) {
        if (pmu_bits[i].key != a->key)
            continue;
        uint32_t *f = (uint32_t *)((char *)p + pmu_bits[i].field);
        uint32_t bits = (uint32_t)*val & CCNT_BIT;
        if (a->read)
            *val = *f;
        else
            *f = pmu_bits[i].set ? *f | bits : *f & ~bits;
        if (!a->read && f == &p->cnten)
            vpmu_update(p, hw);
        return true;
    }
    return false;
}

/* A plain read/write register: @mask is what a write keeps. */
static void rw32(uint32_t *f, const struct sysreg_acc *a, uint64_t *val, uint32_t mask)
{
    if (a->read)
        *val = *f;
    else
        *f = (uint32_t)*val & mask;
}

static void pmcr_access(struct vpmu *p, const struct sysreg_acc *a, uint64_t *val, uint64_t hw,
                        uint64_t hw_pmcr)
{
    if (a->read) {
        *val = (hw_pmcr & PMCR_ID_MASK) | p->pmcr;
        return;
    }
    p->pmcr = (uint32_t)*val & (PMCR_E | PMCR_LC);
    if (*val & PMCR_C) /* reset the cycle counter (P resets event counters: there are none) */
        ccntr_set(p, hw, 0);
    vpmu_update(p, hw);
}

/* Event counters and their types (CRn = 14, CRm = 8..15): none exist, RAZ/WI. */
static bool is_evcounter(uint32_t key)
{
    return ISS_OP0(key) == 3 && ISS_OP1(key) == 3 && ISS_CRN(key) == 14 && ISS_CRM(key) >= 8;
}

bool vpmu_access(struct vpmu *p, const struct sysreg_acc *a, uint64_t *val, uint64_t hw,
                 uint64_t hw_pmcr)
{
    uint32_t zero = 0;
    if (pmu_setclr(p, a, val, hw))
        return true;
    switch (a->key) {
    case ISS_PMCR:
        pmcr_access(p, a, val, hw, hw_pmcr);
        return true;
    case ISS_PMCCNTR:
        if (a->read)
            *val = vpmu_ccntr(p, hw);
        else
            ccntr_set(p, hw, *val);
        return true;
    case ISS_PMCCFILTR:
        rw32(&p->ccfiltr, a, val, PMCCFILTR_MASK);
        return true;
    case ISS_PMXEVTYPER: /* PMCCFILTR_EL0 when PMSELR_EL0.SEL selects the cycle counter */
        rw32(p->selr == PMSELR_CYCLE ? &p->ccfiltr : &zero, a, val, PMCCFILTR_MASK);
        return true;
    case ISS_PMUSERENR:
        rw32(&p->userenr, a, val, PMUSERENR_MASK);
        return true;
    case ISS_PMSELR:
        rw32(&p->selr, a, val, 0x1f);
        return true;
    case ISS_PMCEID0:
        zero = PMCEID0_CPU_CYCLES;
        rw32(&zero, a, val, 0);
        return true;
    case ISS_PMCEID1:
    case ISS_PMSWINC:
    case ISS_PMXEVCNTR:
        rw32(&zero, a, val, 0);
        return true;
    default:
        if (!is_evcounter(a->key))
            return false;
        rw32(&zero, a, val, 0);
        return true;
    }
}

/* ---- Debug (Arm ARM D2 self-hosted debug, D13.3 debug registers) ---- */

#define ISS_MDCCINT SYSREG_ISS(2, 0, 0, 2, 0)
#define ISS_MDSCR SYSREG_ISS(2, 0, 0, 2, 2)
#define ISS_OSLAR SYSREG_ISS(2, 0, 1, 0, 4)
#define ISS_OSLSR SYSREG_ISS(2, 0, 1, 1, 4)
#define ISS_OSDLR SYSREG_ISS(2, 0, 1, 3, 4)
#define ISS_DBGPRCR SYSREG_ISS(2, 0, 1, 4, 4)
#define OSLSR_OSLM 0x8u /* OSLM = 0b10: the OS lock is implemented (D13.3.30) */

/* What a write keeps, per register kind: BVR/WVR bits [1:0] are RES0; BCR keeps E, PMC, BAS,
 * HMC, SSC, LBN, BT; WCR keeps E, PAC, LSC, BAS, HMC, SSC, LBN, WT, MASK (D13.3.2-D13.3.5). */
static const uint64_t bp_mask[4] = {~3UL, 0xffe1e7UL, ~3UL, 0x1f1fffffUL};

static const struct {
    uint32_t key;
    uint16_t field; /* offsetof(struct vdebug, ...) */
    uint32_t mask;
} dbg_regs[] = {
    {ISS_MDCCINT, offsetof(struct vdebug, mdccint), 0x60000000u}, /* RX, TX */
    {ISS_MDSCR, offsetof(struct vdebug, mdscr), MDSCR_LIVE | MDSCR_MDE},
    {ISS_OSDLR, offsetof(struct vdebug, osdlr), 1},     /* DLK */
    {ISS_DBGPRCR, offsetof(struct vdebug, dbgprcr), 1}, /* CORENPDRQ */
};

void vdebug_reset(struct vdebug *d, uint64_t id_aa64dfr0)
{
    *d = (struct vdebug){
        .nbrp = ((id_aa64dfr0 >> 12) & 0xf) + 1,
        .nwrp = ((id_aa64dfr0 >> 20) & 0xf) + 1,
        .oslk = 1, /* the OS lock is set by a cold reset (D2.5) */
    };
}

/* DBGBVR<n>, DBGBCR<n>, DBGWVR<n>, DBGWCR<n>: op1 = 0, CRn = 0, CRm = n, op2 = 4..7. */
static uint64_t *bp_reg(struct vdebug *d, uint32_t key, unsigned *kind)
{
    if (ISS_OP1(key) != 0 || ISS_CRN(key) != 0 || ISS_OP2(key) < 4)
        return 0;
    *kind = ISS_OP2(key) - 4;
    unsigned n = ISS_CRM(key);
    if (n >= (*kind < DBG_WVR ? d->nbrp : d->nwrp))
        return 0;
    return &d->bp[*kind][n];
}

void vdebug_access(struct vdebug *d, const struct sysreg_acc *a, uint64_t *val)
{
    unsigned kind;
    uint64_t *bp = bp_reg(d, a->key, &kind);
    if (bp) {
        if (a->read)
            *val = *bp;
        else
            *bp = *val & bp_mask[kind];
        return;
    }
    for (size_t i = 0; i < sizeof(dbg_regs) / sizeof(dbg_regs[0]); i++)
        if (dbg_regs[i].key == a->key) {
            rw32((uint32_t *)((char *)d + dbg_regs[i].field), a, val, dbg_regs[i].mask);
            return;
        }
    if (a->key == ISS_OSLAR && !a->read)
        d->oslk = *val & 1;
    else if (a->read) /* OSLSR_EL1, or RAZ: MDRAR, DCC, claim tags, DBGAUTHSTATUS, ... */
        *val = a->key == ISS_OSLSR ? OSLSR_OSLM | d->oslk << 1 : 0;
}

/* ---- Set/way cache maintenance ---- */

struct cache_geom cache_geom_decode(uint64_t ccsidr, bool ccidx)
{
    struct cache_geom g = {.line_log2 = (uint32_t)(ccsidr & 7) + 4};
    g.ways = (uint32_t)(ccidx ? (ccsidr >> 3) & 0x1fffff : (ccsidr >> 3) & 0x3ff) + 1;
    g.sets = (uint32_t)(ccidx ? (ccsidr >> 32) & 0xffffff : (ccsidr >> 13) & 0x7fff) + 1;
    return g;
}

static unsigned log2_up(uint32_t n)
{
    return n > 1 ? 32 - (unsigned)__builtin_clz(n - 1) : 0;
}

int64_t setway_operand(uint64_t clidr, const struct cache_geom geom[7], uint64_t xt)
{
    unsigned level = (xt >> 1) & 7;
    unsigned ctype = level < 7 ? (clidr >> (3 * level)) & 7 : 0;
    if (ctype < 2 || ctype > 4) /* 2: data, 3: separate I and D, 4: unified */
        return -1;
    const struct cache_geom *g = &geom[level];
    unsigned a = log2_up(g->ways), s = log2_up(g->sets);
    uint64_t way = a ? (xt & 0xffffffffUL) >> (32 - a) : 0;
    uint64_t set = (xt >> g->line_log2) & ((1UL << s) - 1);
    if (way >= g->ways || set >= g->sets || g->line_log2 + s > 32 - a)
        return -1;
    return (int64_t)((a ? way << (32 - a) : 0) | set << g->line_log2 | (uint64_t)level << 1);
}

#define ICC_IAR0 SYSREG_ISS(3, 0, 12, 8, 0)
#define ICC_HPPIR0 SYSREG_ISS(3, 0, 12, 8, 2)
#define ICC_IGRPEN0 SYSREG_ISS(3, 0, 12, 12, 6)
#define ICC_SGI0R SYSREG_ISS(3, 0, 12, 11, 7)
#define INTID_SPURIOUS 1023

bool vgic_group0_access(const struct sysreg_acc *a, uint64_t *val)
{
    /* CRm 8: IAR0 (op2 0), EOIR0 (1), HPPIR0 (2), BPR0 (3), AP0R0..3 (4..7) */
    bool crm8 = (a->key & ~SYSREG_ISS(0, 0, 0, 0, 7)) == SYSREG_ISS(3, 0, 12, 8, 0);
    if (!crm8 && a->key != ICC_IGRPEN0 && a->key != ICC_SGI0R)
        return false;
    if (a->read)
        *val = a->key == ICC_IAR0 || a->key == ICC_HPPIR0 ? INTID_SPURIOUS : 0;
    return true;
}
