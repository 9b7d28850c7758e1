/* SPDX-License-Identifier: MIT */
/*
 * vcpu_arch.c - per-CPU EL2 set-up and the EL1 half of a vCPU switch: system registers,
 * FP/SIMD, the virtual timer and the GIC virtual CPU interface (Arm ARM D1.7, D11.2).
 */
#include "drivers.h"
#include "hyp.h"
#include "string.h"
#include "sysreg.h"
#include "vsysreg.h"

void fpsimd_save(uint64_t *buf);
void fpsimd_restore(const uint64_t *buf);

/*
 * FP/SIMD registers switch lazily (CPTR_EL2.TFP, Arm ARM D13.2.31): per CPU, the vCPU whose
 * state is in them; every other vCPU runs with FP/SIMD trapped (EC 0x07) until it uses them
 * and takes them over (vcpu_arch_fp_take). A VM switch or an IPC switch between guests that
 * do not use FP/SIMD moves none of the 528 bytes. vCPUs are pinned, so an owner's state never
 * has to follow it to another CPU.
 */
static struct fp_cpu {
    struct vcpu *owner; /* whose FP/SIMD state the registers hold (0: nobody's) */
    bool trapped;       /* CPTR_EL2.TFP as last written on that CPU */
} fp_cpu[PLAT_MAX_CPUS];
#define ICH_HCR_EN (1UL << 0)
#define ICH_HCR_TALL0 (1UL << 11)
#define CPTR_EL2_RES1 0x33ffUL /* bits 13:12 and 9:0 */
#define CPTR_TFP (1UL << 10)

static void fp_trap_set(struct fp_cpu *f, bool trap)
{
    if (f->trapped == trap)
        return; /* most switches: neither vCPU uses FP/SIMD */
    f->trapped = trap;
    write_sysreg(cptr_el2, CPTR_EL2_RES1 | (trap ? CPTR_TFP : 0));
}

/* VTCR_EL2: T0SZ = 25 (39-bit IPA), SL0 = 1 (start at level 1), inner-shareable write-back
 * walks, 4 KiB granule, PS = 40-bit; bit 31 RES1. Matches s2pt.h. */
#define VTCR_VALUE                                                                                 \
    (25UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (2UL << 16) | (1UL << 31))
/* CNTHCTL_EL2: EL1 may read the physical counter (EL1PCTEN) but not use the physical timer,
 * which is the hypervisor's (EL1PCEN = 0 traps it). */
#define CNTHCTL_VALUE (1UL << 0)
#define PMCR_E (1UL << 0)
#define PMCCFILTR_NSH (1UL << 27)
/* PMEVTYPER<n>_EL0 (Arm ARM D13.3.14): not at EL1 (P), not at EL0 (U), at EL2 (NSH). */
#define PMEVTYPER_EL2_ONLY ((1UL << 31) | (1UL << 30) | (1UL << 27))
#define PMU_EV_INST_RETIRED 0x08UL

void arch_cpu_init(unsigned cpu)
{
    write_sysreg(hcr_el2, HCR_GUEST_FLAGS);
    write_sysreg(vtcr_el2, VTCR_VALUE);
    write_sysreg(cnthctl_el2, CNTHCTL_VALUE);
    write_sysreg(cntvoff_el2, 0);
    write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_TFP); /* nobody owns its FP/SIMD registers yet */
    fp_cpu[cpu].trapped = true;
    /* The PMU and the debug registers are the hypervisor's: every guest access traps and is
     * emulated per vCPU (vsysreg.c). The cycle counter counts at EL2 too, so a guest's
     * measurement of a hypercall or a VM switch includes the hypervisor's share. */
    write_sysreg(mdcr_el2, (read_sysreg(pmcr_el0) >> 11 & 0x1f) | MDCR_GUEST_TRAPS);
    write_sysreg(pmccfiltr_el0, PMCCFILTR_NSH);
    write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | PMCR_E);
    write_sysreg(pmcntenset_el0, 1UL << 31);
    /* Event counter 0, if there is one, counts the instructions executed at EL2 (the report's
     * and stats-every-ms's el2-insns; arch_el2_insns). */
    if (read_sysreg(pmcr_el0) >> 11 & 0x1f) {
        write_sysreg(pmevtyper0_el0, PMEVTYPER_EL2_ONLY | PMU_EV_INST_RETIRED);
        write_sysreg(pmcntenset_el0, 1);
    }
    vsysreg_cpu_init(cpu);
    /* ICH_HCR_EL2: En, the virtual CPU interface is on; TALL0, the guests' Group 0 accesses
     * trap (vgic_group0_access: Group 0 is never used, its active priorities stay zero). */
    write_sysreg(S3_4_C12_C11_0, ICH_HCR_EN | ICH_HCR_TALL0);
    write_sysreg(S3_4_C12_C8_0, 0); /* ICH_AP0R0_EL2, for good */
    /* Guests read MIDR_EL1 through VPIDR_EL2, whose reset value is architecturally unknown;
     * EL1&0 TLB entries left by firmware must not meet the first stage-2 translations. */
    write_sysreg(vpidr_el2, read_sysreg(midr_el1));
    __asm__ volatile("tlbi alle1\n dsb nsh" ::: "memory");
    isb();
    uint64_t vtr = read_sysreg(S3_4_C12_C11_1); /* ICH_VTR_EL2 */
    if ((vtr & 0x1f) + 1 < VGIC_MAX_LR)
        hyp_panic("GIC has %lu list registers, need %u", (vtr & 0x1f) + 1, VGIC_MAX_LR);
}

void vcpu_arch_init(struct vcpu *v, ipa_t entry, uint64_t x0, uint64_t bootarg)
{
    /* A vCPU started afresh (CPU_ON, a restart) must not find its old run's FP/SIMD values in
     * the registers it still owns: it takes them over from the zeroed state at its first use. */
    if (v->pcpu < PLAT_MAX_CPUS && fp_cpu[v->pcpu].owner == v)
        fp_cpu[v->pcpu].owner = 0;
    memset(v->regs, 0, sizeof(v->regs));
    memset(&v->arch, 0, sizeof(v->arch));
    v->regs[0] = x0;
    v->regs[1] = bootarg;
    v->regs[31] = entry;
    v->regs[32] = SPSR_EL1H_MASKED;
    v->arch.sys.sctlr = SCTLR_EL1_RESET;
    v->arch.sys.vmpidr = (1UL << 31) | v->id; /* Aff0 = vCPU index */
    v->arch.gic.vmcr = 0;
    vsysreg_vcpu_init(v);
}

/* el1regs.S: the EL1 system registers, two at a time, at these offsets. */
void el1_save(struct el1_sysregs *s);
void el1_load(const struct el1_sysregs *s);
void el1_switch(struct el1_sysregs *from, const struct el1_sysregs *to); /* ends with an ISB */
_Static_assert(
    offsetof(struct el1_sysregs, ttbr0) == 8 && offsetof(struct el1_sysregs, tcr) == 24 &&
        offsetof(struct el1_sysregs, vbar) == 48 && offsetof(struct el1_sysregs, tpidr_el0) == 64 &&
        offsetof(struct el1_sysregs, tpidr_el1) == 80 &&
        offsetof(struct el1_sysregs, sp_el1) == 96 && offsetof(struct el1_sysregs, spsr) == 112 &&
        offsetof(struct el1_sysregs, far) == 128 && offsetof(struct el1_sysregs, afsr1) == 144 &&
        offsetof(struct el1_sysregs, cpacr) == 160 &&
        offsetof(struct el1_sysregs, cntkctl) == 176 &&
        offsetof(struct el1_sysregs, cntv_ctl) == 184 &&
        offsetof(struct el1_sysregs, cntv_cval) == EL1_CNTV_CVAL &&
        offsetof(struct el1_sysregs, vmpidr) == EL1_CNTV_CVAL + 8,
    "el1regs.S offsets");

/* List registers: ICH_LR<n>_EL2 is S3_4_C12_C12_<n>. */
static uint64_t lr_read(unsigned n)
{
    switch (n) {
    case 0:
        return read_sysreg(S3_4_C12_C12_0);
    case 1:
        return read_sysreg(S3_4_C12_C12_1);
    case 2:
        return read_sysreg(S3_4_C12_C12_2);
    default:
        return read_sysreg(S3_4_C12_C12_3);
    }
}

static void lr_write(unsigned n, uint64_t v)
{
    switch (n) {
    case 0:
        write_sysreg(S3_4_C12_C12_0, v);
        break;
    case 1:
        write_sysreg(S3_4_C12_C12_1, v);
        break;
    case 2:
        write_sysreg(S3_4_C12_C12_2, v);
        break;
    default:
        write_sysreg(S3_4_C12_C12_3, v);
        break;
    }
}

/* The list registers holding an interrupt (ICH_ELRSR_EL2 has a bit set for each empty one,
 * Arm IHI 0069 12.5.8): only those are saved and cleared on a switch, or loaded. Most switches
 * have none on either side and touch no list register. */
static unsigned lr_live(void)
{
    return ~(unsigned)read_sysreg(S3_4_C12_C11_5) & ((1u << VGIC_MAX_LR) - 1);
}

static void vgic_save(struct vgic_hw *g)
{
    unsigned live = lr_live();
    g->used = live;
    if (unlikely(live)) {
        for (unsigned i = 0; i < VGIC_MAX_LR; i++) {
            if (live & (1u << i)) {
                g->lr[i] = lr_read(i);
                lr_write(i, 0);
            }
        }
    }
    g->vmcr = read_sysreg(S3_4_C12_C11_7); /* ICH_VMCR_EL2 */
    g->ap1r0 = read_sysreg(S3_4_C12_C9_0); /* ICH_AP1R0_EL2 */
}

/* Every list register ends up as saved in @g (empty where @g had none); @stale: those that
 * may still hold an interrupt (none right after vgic_save, which empties them). */
static inline __attribute__((always_inline)) void vgic_restore(const struct vgic_hw *g,
                                                               unsigned stale)
{
    unsigned touch = stale | g->used;
    if (unlikely(touch)) {
        for (unsigned i = 0; i < VGIC_MAX_LR; i++)
            if (touch & (1u << i))
                lr_write(i, (g->used & (1u << i)) ? g->lr[i] : 0);
    }
    write_sysreg(S3_4_C12_C11_7, g->vmcr);
    write_sysreg(S3_4_C12_C9_0, g->ap1r0);
}

/* A vCPU's first FP/SIMD instruction since another vCPU used them here: it takes the
 * registers over (the last owner's state is saved first) and runs on without the trap. */
void vcpu_arch_fp_take(struct vcpu *v)
{
    struct fp_cpu *f = &fp_cpu[this_pcpu()->id];
    fp_trap_set(f, false); /* TFP traps EL2's own FP accesses too */
    isb();
    if (f->owner == v)
        return;
    if (f->owner)
        fpsimd_save(f->owner->arch.fp);
    fpsimd_restore(v->arch.fp);
    f->owner = v;
}

static inline void arch_save(struct vcpu *v)
{
    el1_save(&v->arch.sys);
    vgic_save(&v->arch.gic); /* FP/SIMD stays in the registers: see fp_cpu */
}

static inline void arch_restore(struct vcpu *v, unsigned stale_lrs)
{
    write_sysreg(vttbr_el2, arch_vttbr(v->vm));
    vgic_restore(&v->arch.gic, stale_lrs);
    struct fp_cpu *f = &fp_cpu[this_pcpu()->id];
    fp_trap_set(f, f->owner != v);
    el1_load(&v->arch.sys);
    vsysreg_vcpu_load(v);
    isb();
}

void vcpu_arch_save(struct vcpu *v)
{
    arch_save(v);
}

void vcpu_arch_restore(struct vcpu *v)
{
    arch_restore(v, lr_live());
}

/* The same steps as arch_save(from) then arch_restore(to, 0) (EL1 state, GIC interface, VMID,
 * FP trap, vPMU and debug are independent of each other), ordered so that the EL1 registers go
 * last, in one tail call: every VM switch and both halves of an IPC round trip pass here. */
void vcpu_arch_switch(struct vcpu *from, struct vcpu *to)
{
    vgic_save(&from->arch.gic);
    write_sysreg(vttbr_el2, arch_vttbr(to->vm));
    vgic_restore(&to->arch.gic, 0);
    struct fp_cpu *f = &fp_cpu[this_pcpu()->id];
    fp_trap_set(f, f->owner != to);
    vsysreg_vcpu_load(to);
    el1_switch(&from->arch.sys, &to->arch.sys);
}

static struct el1_sysregs *live_or_saved(struct vcpu *v, struct el1_sysregs *tmp)
{
    if (this_pcpu()->current != v)
        return &v->arch.sys;
    tmp->cntv_ctl = read_sysreg(cntv_ctl_el0);
    tmp->cntv_cval = read_sysreg(cntv_cval_el0);
    return tmp;
}

/* When the guest's virtual timer will fire (CNTVOFF_EL2 = 0: virtual = physical count). */
ns_t vcpu_arch_timer_deadline(struct vcpu *v)
{
    struct el1_sysregs tmp;
    const struct el1_sysregs *s = live_or_saved(v, &tmp);
    if ((s->cntv_ctl & 3) != 1) /* ENABLE set, IMASK clear */
        return 0;
    ns_t t = timer_ticks_to_ns(s->cntv_cval);
    return t ? t : 1;
}

bool vcpu_arch_timer_fired(struct vcpu *v)
{
    struct el1_sysregs tmp;
    const struct el1_sysregs *s = live_or_saved(v, &tmp);
    return (s->cntv_ctl & 7) == 5; /* ENABLE, ISTATUS, not masked */
}

#define LR_STATE_SHIFT 62
#define LR_PENDING (1UL << 62)
#define LR_ACTIVE (2UL << 62)
#define LR_GROUP1 (1UL << 60)
#define LR_HW (1UL << 61)
#define LR_PINTID_SHIFT 32
#define LR_PRIO_SHIFT 48

bool vgic_arch_lr_pending(struct vcpu *v)
{
    bool live = this_pcpu()->current == v;
    for (unsigned i = 0; i < VGIC_MAX_LR; i++) {
        const struct vgic_hw *g = &v->arch.gic;
        uint64_t lr = live ? lr_read(i) : (g->used & (1u << i)) ? g->lr[i] : 0;
        if (lr & LR_PENDING)
            return true;
    }
    return false;
}

/*
 * The list register for @irq. A device's SPI goes in with the hardware bit and the physical
 * INTID (ICH_LR<n>_EL2.HW, pINTID; Arm IHI 0069 4.10, 12.7.4): the guest's deactivation then
 * deactivates the physical interrupt, which the hypervisor only priority-dropped, so the
 * device cannot interrupt again before its owner has handled it.
 */
static uint64_t lr_value(struct vcpu *v, irq_t irq)
{
    uint64_t prio = vgic_irq_prio(&v->vm->vgicd, &v->vgic, irq);
    uint64_t lr = LR_PENDING | LR_GROUP1 | (prio << LR_PRIO_SHIFT) | irq;
    if (vgic_spi_is_hw(&v->vm->vgicd, irq))
        lr |= LR_HW | ((uint64_t)irq << LR_PINTID_SHIFT);
    return lr;
}

/* Put one pending interrupt in a list register; false if all are busy (it stays pending). */
static bool lr_inject(struct vcpu *v, irq_t irq)
{
    int free_lr = -1, same = -1;
    for (unsigned i = 0; i < VGIC_MAX_LR; i++) {
        uint64_t lr = lr_read(i);
        if ((lr >> LR_STATE_SHIFT) == 0 && free_lr < 0)
            free_lr = (int)i;
        else if ((lr >> LR_STATE_SHIFT) && (uint32_t)lr == irq)
            same = (int)i;
    }
    if (same >= 0) /* already there: make it pending again (pending + active) */
        lr_write((unsigned)same, lr_read((unsigned)same) | LR_PENDING);
    else if (free_lr >= 0)
        lr_write((unsigned)free_lr, lr_value(v, irq));
    return same >= 0 || free_lr >= 0;
}

/* Move software-pending, enabled interrupts of the running vCPU into list registers. */
void vgic_arch_flush(struct vcpu *v)
{
    bool any = false;
    for (unsigned w = 0; w < VGIC_WORDS; w++) {
        uint64_t pend = __atomic_load_n(&v->vgic.pending[w], __ATOMIC_ACQUIRE);
        for (; pend; pend &= pend - 1) {
            irq_t irq = w * 64 + (irq_t)__builtin_ctzll(pend);
            if (!vgic_irq_enabled(&v->vm->vgicd, &v->vgic, irq) || !lr_inject(v, irq))
                continue; /* disabled, or no free list register: retried on the next exit */
            __atomic_fetch_and(&v->vgic.pending[w], ~(1UL << (irq % 64)), __ATOMIC_RELEASE);
            any = true;
        }
    }
    if (any)
        isb();
}
