/* SPDX-License-Identifier: MIT */
/**
 * sysreg_emul.h - per-vCPU views of the debug and performance-monitor registers, and the
 * check of a set/way cache operation's operand. Pure logic (no register access here): the
 * caller passes in what it read from the hardware, so host unit tests run the same code.
 *
 * Trapped MSR/MRS accesses arrive with ESR_EL2.EC = 0x18 (Arm ARM D13.2.37, "ISS encoding
 * for an exception from MSR, MRS, or System instruction execution in AArch64 state").
 */
#ifndef EMV_SYSREG_EMUL_H
#define EMV_SYSREG_EMUL_H

#include <stdbool.h>
#include <stdint.h>

/* ISS of a trapped MSR/MRS without Rt and direction: Op0, Op2, Op1, CRn, CRm. */
#define SYSREG_ISS(op0, op1, crn, crm, op2)                                                        \
    ((uint32_t)(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1)))
#define ISS_OP0(key) (((key) >> 20) & 3)
#define ISS_OP2(key) (((key) >> 17) & 7)
#define ISS_OP1(key) (((key) >> 14) & 7)
#define ISS_CRN(key) (((key) >> 10) & 15)
#define ISS_CRM(key) (((key) >> 1) & 15)

/** One trapped access: which register (key), which general register, which way. */
struct sysreg_acc {
    uint32_t key;
    unsigned rt; /**< 31: XZR (writes 0, reads are discarded) */
    bool read;
};

static inline struct sysreg_acc sysreg_decode(uint32_t iss)
{
    struct sysreg_acc a = {
        .key = iss & 0x3ffc1e,
        .rt = (iss >> 5) & 0x1f,
        .read = iss & 1,
    };
    return a;
}

/**
 * The virtual PMU of one vCPU (Arm ARM D11, PMUv3): a cycle counter and no event counters
 * (PMCR_EL0.N = 0). Nothing here ever reaches the hardware PMU, which the hypervisor keeps
 * counting at every exception level for its own statistics.
 * The guest's PMCCNTR_EL0 is (hardware count & mask) + base: mask is all ones while the
 * virtual counter runs (PMCR.E and PMCNTENSET[31] set), 0 while it is stopped (base then
 * holds the frozen value). vectors.S reads base and mask directly: keep them first.
 */
struct vpmu {
    uint64_t base, mask;
    uint32_t pmcr;    /**< the writable bits: E, LC */
    uint32_t cnten;   /**< PMCNTENSET/CLR: bit 31 only */
    uint32_t inten;   /**< PMINTENSET/CLR: bit 31 only; no overflow interrupt is raised */
    uint32_t ovs;     /**< PMOVSSET/CLR: bit 31 only; overflow is not detected */
    uint32_t ccfiltr; /**< PMCCFILTR_EL0: stored, not applied (see docs/abi.md) */
    uint32_t userenr; /**< PMUSERENR_EL0: also loaded into the hardware while the vCPU runs */
    uint32_t selr;    /**< PMSELR_EL0.SEL */
};

/** What the guests have always found: the cycle counter enabled and following the hardware. */
void vpmu_reset(struct vpmu *p);
/** The guest's PMCCNTR_EL0 when the hardware counter reads @hw. */
static inline uint64_t vpmu_ccntr(const struct vpmu *p, uint64_t hw)
{
    return (hw & p->mask) + p->base;
}
/**
 * Emulate a trapped PMU register access (op0 = 3, CRn = 9 or 14). @hw is the hardware
 * cycle count now, @hw_pmcr the hardware PMCR_EL0 (its identification fields are shown).
 * Returns false if @a is not a PMU register.
 */
bool vpmu_access(struct vpmu *p, const struct sysreg_acc *a, uint64_t *val, uint64_t hw,
                 uint64_t hw_pmcr);

#define DBG_MAX_BP 16 /* ID_AA64DFR0_EL1.BRPs and WRPs are 4 bits: at most 16 of each */
#define DBG_BVR 0
#define DBG_BCR 1
#define DBG_WVR 2
#define DBG_WCR 3

/**
 * The self-hosted debug registers of one vCPU (Arm ARM D2, D13.3): stored and read back,
 * never written to the hardware, so no guest arms a real breakpoint or watchpoint.
 * Of MDSCR_EL1 only MDSCR_LIVE reaches the hardware (vcpu_arch.c loads it with the vCPU):
 * software step and the DCC trap act on the guest itself; MDE (breakpoints, watchpoints)
 * stays clear, so whatever the hardware breakpoint registers hold never fires.
 */
struct vdebug {
    uint64_t bp[4][DBG_MAX_BP]; /**< DBG_BVR, DBG_BCR, DBG_WVR, DBG_WCR */
    uint32_t nbrp, nwrp;        /**< implemented, from ID_AA64DFR0_EL1 */
    uint32_t mdscr, oslk, osdlr, dbgprcr, mdccint;
};

#define MDSCR_SS (1u << 0)
#define MDSCR_TDCC (1u << 12)
#define MDSCR_KDE (1u << 13)
#define MDSCR_MDE (1u << 15)
#define MDSCR_LIVE (MDSCR_SS | MDSCR_TDCC | MDSCR_KDE)

/**
 * The Group 0 registers of the GIC CPU interface (ICC_IAR0/EOIR0/HPPIR0/BPR0/AP0R<n>/IGRPEN0
 * _EL1), all trapped (ICH_HCR_EL2.TALL0), and ICC_SGI0R_EL1 (trapped with every SGI register,
 * HCR_EL2.FMO/IMO): guests get Group 1 interrupts only, so to a guest Group 0 is there but
 * never used, as when the secure world owns it. Reads are zero, except that the acknowledge
 * and highest-pending registers say "none" (1023, the spurious INTID); writes are ignored (a
 * Group 0 SGI goes nowhere). Its active priorities (ICH_AP0R0_EL2) then stay zero and a switch need
 * not move them. False if @a is not one of these registers.
 */
bool vgic_group0_access(const struct sysreg_acc *a, uint64_t *val);

void vdebug_reset(struct vdebug *d, uint64_t id_aa64dfr0);
/** Emulate a trapped debug register access (op0 = 2). Every one is handled: registers not
 *  modelled read as zero and ignore writes. */
void vdebug_access(struct vdebug *d, const struct sysreg_acc *a, uint64_t *val);

/* DC ISW, DC CSW, DC CISW (Arm ARM C5.3: op0 = 1, op1 = 0, CRn = 7, op2 = 2). */
#define ISS_DC_ISW SYSREG_ISS(1, 0, 7, 6, 2)
#define ISS_DC_CSW SYSREG_ISS(1, 0, 7, 10, 2)
#define ISS_DC_CISW SYSREG_ISS(1, 0, 7, 14, 2)

/** One cache level's geometry, from CCSIDR_EL1 (Arm ARM D13.2.25). */
struct cache_geom {
    uint32_t line_log2; /**< log2 of the line length in bytes */
    uint32_t ways, sets;
};

/** Decode CCSIDR_EL1: the 32-bit layout, or the 64-bit one when FEAT_CCIDX is implemented. */
struct cache_geom cache_geom_decode(uint64_t ccsidr, bool ccidx);

/**
 * The operand of a set/way operation (Arm ARM D4.4.7, "Performing cache maintenance
 * instructions": Level in [3:1], way in [31:32-A], set in [B-1:L]), rebuilt from its level,
 * set and way when the level holds a data or unified cache (CLIDR_EL1.Ctype<n>) and set and
 * way are in range; -1 otherwise (the operation is then a no-op). @geom[l] describes level
 * l + 1; bits outside the fields are dropped.
 */
int64_t setway_operand(uint64_t clidr, const struct cache_geom geom[7], uint64_t xt);

#endif
