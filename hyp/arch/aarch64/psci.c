/* SPDX-License-Identifier: MIT */
/* psci.c - the firmware calls emvisor makes (Arm DEN 0022): CPU_ON and SYSTEM_OFF via SMC. */
#include "hyp.h"

#define PSCI_CPU_ON_64 0xc4000003UL
#define PSCI_SYSTEM_OFF 0x84000008UL

static int64_t smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
    return (int64_t)x0;
}

/* QEMU virt numbers CPUs by Aff0; pass only the MPIDR affinity bits (QEMU refuses a target
 * with bit 31, RES1 in MPIDR_EL1, set). */
int arch_cpu_on(unsigned cpu)
{
    extern char secondary_entry[];
    return (int)smc(PSCI_CPU_ON_64, cpu, (uint64_t)secondary_entry, cpu);
}

void arch_power_off(void)
{
    smc(PSCI_SYSTEM_OFF, 0, 0, 0);
    hyp_panic("PSCI SYSTEM_OFF returned");
}
