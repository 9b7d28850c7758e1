/* SPDX-License-Identifier: MIT */
/*
 * bench_hc.c - cost of a null hypercall round trip (HVC #0 with EMV_HC_VERSION), read with the
 * cycle counter from inside the guest, against two baselines measured the same way: two
 * back-to-back counter reads (the measurement's own cost) and a call to an empty function.
 * Prints `bench-hc <what> <sample>` lines; bench/run_bench.py takes the medians.
 */
#include "minios.h"

#define N 1000

static uint64_t samples[3][N];

__attribute__((noinline)) static uint64_t empty_fn(uint64_t x)
{
    __asm__ volatile("" ::: "memory");
    return x;
}

void app_main(uint64_t bootarg)
{
    (void)bootarg;
    for (unsigned i = 0; i < N; i++) {
        uint64_t t0 = mos_cycles();
        uint64_t t1 = mos_cycles();
        samples[0][i] = t1 - t0;
        t0 = mos_cycles();
        empty_fn(i);
        t1 = mos_cycles();
        samples[1][i] = t1 - t0;
        t0 = mos_cycles();
        hvc(EMV_HC_VERSION, 0, 0);
        t1 = mos_cycles();
        samples[2][i] = t1 - t0;
    }
    static const char *const what[3] = {"counter", "call", "hypercall"};
    for (unsigned k = 0; k < 3; k++)
        for (unsigned i = 0; i < N; i += 8)
            mos_printf("bench-hc %s %lu %lu %lu %lu %lu %lu %lu %lu\n", what[k], samples[k][i],
                       samples[k][i + 1], samples[k][i + 2], samples[k][i + 3], samples[k][i + 4],
                       samples[k][i + 5], samples[k][i + 6], samples[k][i + 7]);
    mos_printf("bench-hc done\n");
    hvc(EMV_HC_SYSTEM_OFF, 0, 0);
}
