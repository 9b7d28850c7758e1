/* SPDX-License-Identifier: MIT */
/** vcpu_arch.h - the AArch64 part of a vCPU: EL1 state the hardware holds while it runs. */
#ifndef EMV_VCPU_ARCH_H
#define EMV_VCPU_ARCH_H

#include "emv/types.h"
#include "sysreg_emul.h"

#define VGIC_MAX_LR 4 /* QEMU's Cortex-A53 has 4; ICH_VTR_EL2 is checked at boot */

/** EL1/EL0 system registers switched with the vCPU (Arm ARM D13.2). */
struct el1_sysregs {
    uint64_t sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
    uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1, elr, spsr;
    uint64_t esr, far, afsr0, afsr1, par, cpacr, csselr, cntkctl;
    uint64_t cntv_ctl, cntv_cval, vmpidr;
};

/** The hardware virtual CPU interface state (ICH_*_EL2). */
struct vgic_hw {
    uint64_t lr[VGIC_MAX_LR]; /**< lr[n] is meaningful only with bit n of @used */
    uint64_t vmcr, ap1r0;     /* ICH_AP0R0_EL2 stays 0: Group 0 is trapped (TALL0) */
    uint32_t used;            /**< bit n: list register n held an interrupt */
};

struct vcpu_arch {
    struct vpmu pmu; /* first: vectors.S reads it (VCPU_VPMU) */
    struct vdebug dbg;
    struct el1_sysregs sys;
    struct vgic_hw gic;
    uint64_t fp[66] __attribute__((aligned(16))); /* q0-q31, fpsr, fpcr */
};

#endif
