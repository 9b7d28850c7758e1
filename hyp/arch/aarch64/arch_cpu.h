/* SPDX-License-Identifier: MIT */
/**
 * arch_cpu.h - the few CPU operations hyp/core needs, as inline functions so the hot paths
 * (this_pcpu, the cycle counter) cost what the bare instruction costs. hyp/core reaches the
 * hardware only through these, the drivers (drivers.h) and the `*_arch_*` hooks of hyp.h;
 * tests/cli/corehw.sh checks that no instruction or system register is named there.
 */
#ifndef EMV_ARCH_CPU_H
#define EMV_ARCH_CPU_H

#include "sysreg.h"

#define CNTV_CTL_IMASK (1UL << 1) /* CNTV_CTL_EL0.IMASK: the virtual timer's interrupt masked */

/** This CPU's own data (its struct pcpu), kept in TPIDR_EL2. */
static inline void *arch_cpu_local(void)
{
    return (void *)read_sysreg(tpidr_el2);
}

static inline void arch_cpu_local_set(void *p)
{
    write_sysreg(tpidr_el2, (uint64_t)p);
}

/** The cycle counter (PMCCNTR_EL0), without a barrier: for statistics, not a fence. */
static inline uint64_t arch_cycles(void)
{
    return read_sysreg(pmccntr_el0);
}

/** Instructions this CPU executed at EL2, modulo 2^32: PMU event counter 0 counts
 *  INST_RETIRED at EL2 only (arch_cpu_init; 0 when the PMU has no event counter). It stops
 *  while the CPU waits in arch_wait_irq: the hypervisor's work, not its idling. */
static inline uint32_t arch_el2_insns(void)
{
    return (uint32_t)read_sysreg(pmevcntr0_el0);
}

/** Sleep until an interrupt is pending (WFI), the EL2 instruction counter stopped meanwhile
 *  (under QEMU's round-robin vCPUs it would count the other CPUs' instructions). */
static inline void arch_wait_irq(void)
{
    write_sysreg(pmcntenclr_el0, 1);
    wfi();
    write_sysreg(pmcntenset_el0, 1);
}

/** This CPU takes its exceptions through el2_vectors_traced (vectors.S): guest exits are
 *  counted and traced. Before any guest runs here. */
static inline void arch_use_traced_vectors(void)
{
    extern char el2_vectors_traced[];
    write_sysreg(vbar_el2, (uint64_t)el2_vectors_traced);
    isb();
}

/** Wake the CPUs waiting in arch_wait_event (SEV), and wait for that (WFE). */
static inline void arch_send_event(void)
{
    __asm__ volatile("sev" ::: "memory");
}

static inline void arch_wait_event(void)
{
    __asm__ volatile("wfe" ::: "memory");
}

/** Mask the running vCPU's virtual timer at the source; the guest unmasks it when it re-arms
 *  the timer, as on hardware. */
static inline void arch_vtimer_mask(void)
{
    write_sysreg(cntv_ctl_el0, read_sysreg(cntv_ctl_el0) | CNTV_CTL_IMASK);
}

#endif
