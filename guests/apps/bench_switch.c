/* SPDX-License-Identifier: MIT */
/*
 * bench_switch.c - VM switch cost, the method of the Xen overhead measurements: this VM reads
 * the cycle counter and yields; the other VM reads it when it runs. Two VMs on one CPU run
 * this app; each prints its (yield, resume) counter pairs and bench/run_bench.py pairs one
 * VM's yield with the other's next resume. The counter counts at EL2 too (PMCCFILTR.NSH).
 * bootarg 1: this VM powers the system off when both are done (it must be the control VM).
 */
#include "minios.h"

#define WARMUP 50
#define N 400

static uint64_t t_yield[N], t_resume[N];

void app_main(uint64_t bootarg)
{
    for (unsigned i = 0; i < WARMUP; i++)
        mos_yield();
    for (unsigned i = 0; i < N; i++) {
        t_yield[i] = mos_cycles();
        mos_yield();
        t_resume[i] = mos_cycles();
    }
    for (unsigned i = 0; i < N; i += 4)
        mos_printf("sw %lu %lu %lu %lu %lu %lu %lu %lu\n", t_yield[i], t_resume[i], t_yield[i + 1],
                   t_resume[i + 1], t_yield[i + 2], t_resume[i + 2], t_yield[i + 3],
                   t_resume[i + 3]);
    mos_printf("sw done\n");
    if (bootarg == 1) {
        mos_block(mos_time_ns() + 50000000UL); /* let the other VM finish printing */
        hvc(EMV_HC_SYSTEM_OFF, 0, 0);
    }
    for (;;)
        mos_block(0);
}
