/* SPDX-License-Identifier: MIT */
/*
 * fpcheck.c - checks that FP/SIMD and general registers survive VM switches: fills
 * v0-v31 with values derived from bootarg, spins (so the hypervisor preempts it, and another
 * fpcheck VM with another bootarg runs in between), and verifies every register.
 * Prints `fpcheck: N rounds ok` or `fpcheck: MISMATCH ...`.
 */
#include "minios.h"

/* Load v0..v31 with seed + i, burn cycles, store them back; all inside one asm statement so
 * the compiler never touches the registers in between. */
static void fill_spin_read(uint64_t seed, uint64_t spins, uint64_t out[32])
{
    __asm__ volatile(
        ".arch_extension fp\n"
        ".arch_extension simd\n"
        "fmov d0, %[seed]\n"
        "add x10, %[seed], #1\n fmov d1, x10\n add x10, %[seed], #2\n fmov d2, x10\n"
        "add x10, %[seed], #3\n fmov d3, x10\n add x10, %[seed], #4\n fmov d4, x10\n"
        "add x10, %[seed], #5\n fmov d5, x10\n add x10, %[seed], #6\n fmov d6, x10\n"
        "add x10, %[seed], #7\n fmov d7, x10\n add x10, %[seed], #8\n fmov d8, x10\n"
        "add x10, %[seed], #9\n fmov d9, x10\n add x10, %[seed], #10\n fmov d10, x10\n"
        "add x10, %[seed], #11\n fmov d11, x10\n add x10, %[seed], #12\n fmov d12, x10\n"
        "add x10, %[seed], #13\n fmov d13, x10\n add x10, %[seed], #14\n fmov d14, x10\n"
        "add x10, %[seed], #15\n fmov d15, x10\n add x10, %[seed], #16\n fmov d16, x10\n"
        "add x10, %[seed], #17\n fmov d17, x10\n add x10, %[seed], #18\n fmov d18, x10\n"
        "add x10, %[seed], #19\n fmov d19, x10\n add x10, %[seed], #20\n fmov d20, x10\n"
        "add x10, %[seed], #21\n fmov d21, x10\n add x10, %[seed], #22\n fmov d22, x10\n"
        "add x10, %[seed], #23\n fmov d23, x10\n add x10, %[seed], #24\n fmov d24, x10\n"
        "add x10, %[seed], #25\n fmov d25, x10\n add x10, %[seed], #26\n fmov d26, x10\n"
        "add x10, %[seed], #27\n fmov d27, x10\n add x10, %[seed], #28\n fmov d28, x10\n"
        "add x10, %[seed], #29\n fmov d29, x10\n add x10, %[seed], #30\n fmov d30, x10\n"
        "add x10, %[seed], #31\n fmov d31, x10\n"
        "mov x9, %[spins]\n"
        "3: subs x9, x9, #1\n b.ne 3b\n"
        "stp d0, d1, [%[out], #0]\n stp d2, d3, [%[out], #16]\n"
        "stp d4, d5, [%[out], #32]\n stp d6, d7, [%[out], #48]\n"
        "stp d8, d9, [%[out], #64]\n stp d10, d11, [%[out], #80]\n"
        "stp d12, d13, [%[out], #96]\n stp d14, d15, [%[out], #112]\n"
        "stp d16, d17, [%[out], #128]\n stp d18, d19, [%[out], #144]\n"
        "stp d20, d21, [%[out], #160]\n stp d22, d23, [%[out], #176]\n"
        "stp d24, d25, [%[out], #192]\n stp d26, d27, [%[out], #208]\n"
        "stp d28, d29, [%[out], #224]\n stp d30, d31, [%[out], #240]\n"
        :
        : [seed] "r"(seed), [spins] "r"(spins), [out] "r"(out)
        : "x9", "x10", "memory", "cc");
}

void app_main(uint64_t bootarg)
{
    uint64_t out[32];
    uint64_t seed = bootarg << 32;
    unsigned rounds = 0, bad = 0;
    uint64_t start = mos_time_ns();
    while (mos_time_ns() - start < 1000000000UL) { /* about 1 s of its own time slices */
        fill_spin_read(seed + rounds * 64, 3000000, out);
        for (unsigned i = 0; i < 32; i++) {
            if (out[i] != seed + rounds * 64 + i) {
                if (bad++ < 4)
                    mos_printf("fpcheck: MISMATCH round %u v%u: %#lx\n", rounds, i, out[i]);
            }
        }
        rounds++;
    }
    if (bad)
        mos_printf("fpcheck: %u registers wrong in %u rounds\n", bad, rounds);
    else
        mos_printf("fpcheck: %u rounds ok\n", rounds);
    for (;;)
        mos_block(0);
}
