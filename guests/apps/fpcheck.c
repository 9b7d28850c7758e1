/* SPDX-License-Identifier: MIT */
/*
 * fpcheck.c - checks that a vCPU's context survives VM switches. Each round it loads
 *  - all 128 bits of v0-v31 (low half seed + i, high half its complement), FPCR (rounding
 *    mode, default-NaN, flush-to-zero) and FPSR (cumulative flags, QC), and
 *  - EL1/EL0 system registers the hypervisor switches (TPIDR_EL0, TPIDRRO_EL0, TPIDR_EL1,
 *    CONTEXTIDR_EL1, TTBR0_EL1, TTBR1_EL1, MAIR_EL1, TCR_EL1, PAR_EL1, CNTKCTL_EL1),
 * with values derived from bootarg and the round, spins (so the hypervisor preempts it and
 * another fpcheck VM with another bootarg runs in between), and verifies every one.
 * minios runs with the MMU off and uses none of these registers, so any value is harmless.
 * Prints `fpcheck: N rounds ok` or `fpcheck: MISMATCH ...`.
 */
#include "minios.h"

#define NSYS 10

/* Load q0..q31, FPCR and FPSR, burn cycles, store them back; all inside one asm statement so
 * the compiler never touches the registers in between. out[]: 64 words of q0..q31, then
 * FPCR, FPSR. */
static void fill_spin_read(uint64_t seed, uint64_t fpcr, uint64_t fpsr, uint64_t spins,
                           uint64_t out[66])
{
    __asm__ volatile(
        ".arch_extension fp\n"
        ".arch_extension simd\n"
        "msr fpcr, %[fpcr]\n"
        "msr fpsr, %[fpsr]\n"
        "mov x10, %[seed]\n fmov d0, x10\n mvn x11, x10\n mov v0.d[1], x11\n"
        "add x10, %[seed], #1\n fmov d1, x10\n mvn x11, x10\n mov v1.d[1], x11\n"
        "add x10, %[seed], #2\n fmov d2, x10\n mvn x11, x10\n mov v2.d[1], x11\n"
        "add x10, %[seed], #3\n fmov d3, x10\n mvn x11, x10\n mov v3.d[1], x11\n"
        "add x10, %[seed], #4\n fmov d4, x10\n mvn x11, x10\n mov v4.d[1], x11\n"
        "add x10, %[seed], #5\n fmov d5, x10\n mvn x11, x10\n mov v5.d[1], x11\n"
        "add x10, %[seed], #6\n fmov d6, x10\n mvn x11, x10\n mov v6.d[1], x11\n"
        "add x10, %[seed], #7\n fmov d7, x10\n mvn x11, x10\n mov v7.d[1], x11\n"
        "add x10, %[seed], #8\n fmov d8, x10\n mvn x11, x10\n mov v8.d[1], x11\n"
        "add x10, %[seed], #9\n fmov d9, x10\n mvn x11, x10\n mov v9.d[1], x11\n"
        "add x10, %[seed], #10\n fmov d10, x10\n mvn x11, x10\n mov v10.d[1], x11\n"
        "add x10, %[seed], #11\n fmov d11, x10\n mvn x11, x10\n mov v11.d[1], x11\n"
        "add x10, %[seed], #12\n fmov d12, x10\n mvn x11, x10\n mov v12.d[1], x11\n"
        "add x10, %[seed], #13\n fmov d13, x10\n mvn x11, x10\n mov v13.d[1], x11\n"
        "add x10, %[seed], #14\n fmov d14, x10\n mvn x11, x10\n mov v14.d[1], x11\n"
        "add x10, %[seed], #15\n fmov d15, x10\n mvn x11, x10\n mov v15.d[1], x11\n"
        "add x10, %[seed], #16\n fmov d16, x10\n mvn x11, x10\n mov v16.d[1], x11\n"
        "add x10, %[seed], #17\n fmov d17, x10\n mvn x11, x10\n mov v17.d[1], x11\n"
        "add x10, %[seed], #18\n fmov d18, x10\n mvn x11, x10\n mov v18.d[1], x11\n"
        "add x10, %[seed], #19\n fmov d19, x10\n mvn x11, x10\n mov v19.d[1], x11\n"
        "add x10, %[seed], #20\n fmov d20, x10\n mvn x11, x10\n mov v20.d[1], x11\n"
        "add x10, %[seed], #21\n fmov d21, x10\n mvn x11, x10\n mov v21.d[1], x11\n"
        "add x10, %[seed], #22\n fmov d22, x10\n mvn x11, x10\n mov v22.d[1], x11\n"
        "add x10, %[seed], #23\n fmov d23, x10\n mvn x11, x10\n mov v23.d[1], x11\n"
        "add x10, %[seed], #24\n fmov d24, x10\n mvn x11, x10\n mov v24.d[1], x11\n"
        "add x10, %[seed], #25\n fmov d25, x10\n mvn x11, x10\n mov v25.d[1], x11\n"
        "add x10, %[seed], #26\n fmov d26, x10\n mvn x11, x10\n mov v26.d[1], x11\n"
        "add x10, %[seed], #27\n fmov d27, x10\n mvn x11, x10\n mov v27.d[1], x11\n"
        "add x10, %[seed], #28\n fmov d28, x10\n mvn x11, x10\n mov v28.d[1], x11\n"
        "add x10, %[seed], #29\n fmov d29, x10\n mvn x11, x10\n mov v29.d[1], x11\n"
        "add x10, %[seed], #30\n fmov d30, x10\n mvn x11, x10\n mov v30.d[1], x11\n"
        "add x10, %[seed], #31\n fmov d31, x10\n mvn x11, x10\n mov v31.d[1], x11\n"
        "mov x9, %[spins]\n"
        "3: subs x9, x9, #1\n b.ne 3b\n"
        "stp q0, q1, [%[out], #0]\n"
        "stp q2, q3, [%[out], #32]\n"
        "stp q4, q5, [%[out], #64]\n"
        "stp q6, q7, [%[out], #96]\n"
        "stp q8, q9, [%[out], #128]\n"
        "stp q10, q11, [%[out], #160]\n"
        "stp q12, q13, [%[out], #192]\n"
        "stp q14, q15, [%[out], #224]\n"
        "stp q16, q17, [%[out], #256]\n"
        "stp q18, q19, [%[out], #288]\n"
        "stp q20, q21, [%[out], #320]\n"
        "stp q22, q23, [%[out], #352]\n"
        "stp q24, q25, [%[out], #384]\n"
        "stp q26, q27, [%[out], #416]\n"
        "stp q28, q29, [%[out], #448]\n"
        "stp q30, q31, [%[out], #480]\n"
        "mrs x10, fpcr\n mrs x11, fpsr\n"
        "add x9, %[out], #512\n stp x10, x11, [x9]\n"
        :
        : [seed] "r"(seed), [fpcr] "r"(fpcr), [fpsr] "r"(fpsr), [spins] "r"(spins), [out] "r"(out)
        : "x9", "x10", "x11", "memory", "cc");
}

#define SYSREG_W(name, v) __asm__ volatile("msr " #name ", %0" ::"r"((uint64_t)(v)))
#define SYSREG_R(name, v) __asm__ volatile("mrs %0, " #name : "=r"(v))

/* Values every register keeps as written (only architecturally stored bits are set). */
static void sys_values(uint64_t v, uint64_t want[NSYS])
{
    want[0] = v * 0x9e3779b97f4a7c15ull;                  /* TPIDR_EL0: any 64 bits */
    want[1] = ~want[0];                                   /* TPIDRRO_EL0 */
    want[2] = want[0] ^ 0x5a5a5a5a5a5a5a5aull;            /* TPIDR_EL1 */
    want[3] = v & 0xffffffffull;                          /* CONTEXTIDR_EL1: 32 bits */
    want[4] = (v << 12) & 0x0000fffffffff000ull;          /* TTBR0_EL1: a table address */
    want[5] = ((v + 1) << 12) & 0x0000fffffffff000ull;    /* TTBR1_EL1 */
    want[6] = 0x000000000044ff00ull | (v & 0x0f) << 4;    /* MAIR_EL1: Attr0 = 0x?0, 1 and 2 */
    want[7] = (16 + v % 16) | (16 + (v >> 4) % 16) << 16; /* TCR_EL1: T0SZ, T1SZ */
    want[8] = ((v << 12) & 0x0000fffffffff000ull) | 0x44ull << 56; /* PAR_EL1: PA, ATTR */
    want[9] = v & 0x3; /* CNTKCTL_EL1: EL0PCTEN, EL0VCTEN */
}

static void sys_write(const uint64_t w[NSYS])
{
    SYSREG_W(tpidr_el0, w[0]);
    SYSREG_W(tpidrro_el0, w[1]);
    SYSREG_W(tpidr_el1, w[2]);
    SYSREG_W(contextidr_el1, w[3]);
    SYSREG_W(ttbr0_el1, w[4]);
    SYSREG_W(ttbr1_el1, w[5]);
    SYSREG_W(mair_el1, w[6]);
    SYSREG_W(tcr_el1, w[7]);
    SYSREG_W(par_el1, w[8]);
    SYSREG_W(cntkctl_el1, w[9]);
}

static void sys_read(uint64_t r[NSYS])
{
    SYSREG_R(tpidr_el0, r[0]);
    SYSREG_R(tpidrro_el0, r[1]);
    SYSREG_R(tpidr_el1, r[2]);
    SYSREG_R(contextidr_el1, r[3]);
    SYSREG_R(ttbr0_el1, r[4]);
    SYSREG_R(ttbr1_el1, r[5]);
    SYSREG_R(mair_el1, r[6]);
    SYSREG_R(tcr_el1, r[7]);
    SYSREG_R(par_el1, r[8]);
    SYSREG_R(cntkctl_el1, r[9]);
}

static const char *const sys_names[NSYS] = {
    "tpidr_el0", "tpidrro_el0", "tpidr_el1", "contextidr_el1", "ttbr0_el1",
    "ttbr1_el1", "mair_el1",    "tcr_el1",   "par_el1",        "cntkctl_el1"};

static unsigned bad;

/* @i < 0: a single register named @what; else register @i of the bank @what. */
static void mismatch(unsigned round, const char *what, int i, uint64_t got, uint64_t want)
{
    if (bad++ >= 4)
        return;
    if (i < 0)
        mos_printf("fpcheck: MISMATCH round %u %s: %#lx, want %#lx\n", round, what, got, want);
    else
        mos_printf("fpcheck: MISMATCH round %u %s%d: %#lx, want %#lx\n", round, what, i, got, want);
}

void app_main(uint64_t bootarg)
{
    static uint64_t out[66];
    uint64_t want[NSYS], got[NSYS];
    uint64_t seed = bootarg << 32;
    unsigned rounds = 0;
    uint64_t start = mos_time_ns();

    while (mos_time_ns() - start < 1000000000UL) { /* about 1 s of its own time slices */
        uint64_t base = seed + rounds * 64;
        /* RMode (bits 22-23) cycles through all four; DN (25) and FZ (24) per VM. */
        uint64_t fpcr = (uint64_t)(rounds & 3) << 22 | (bootarg & 3) << 24;
        uint64_t fpsr = (base >> 32 ^ rounds) & 0x1f; /* IOC DZC OFC UFC IXC */

        fpsr |= (uint64_t)(rounds & 1) << 27; /* QC */
        sys_values(base ^ bootarg, want);
        sys_write(want);
        fill_spin_read(base, fpcr, fpsr, 3000000, out);
        sys_read(got);
        for (unsigned i = 0; i < 32; i++) {
            if (out[2 * i] != base + i)
                mismatch(rounds, "low half of v", (int)i, out[2 * i], base + i);
            if (out[2 * i + 1] != ~(base + i))
                mismatch(rounds, "high half of v", (int)i, out[2 * i + 1], ~(base + i));
        }
        if (out[64] != fpcr)
            mismatch(rounds, "fpcr", -1, out[64], fpcr);
        if (out[65] != fpsr)
            mismatch(rounds, "fpsr", -1, out[65], fpsr);
        for (unsigned i = 0; i < NSYS; i++)
            if (got[i] != want[i])
                mismatch(rounds, sys_names[i], -1, got[i], want[i]);
        rounds++;
    }
    if (bad)
        mos_printf("fpcheck: %u registers wrong in %u rounds\n", bad, rounds);
    else
        mos_printf("fpcheck: %u rounds ok (q0-q31, fpcr, fpsr, %u system registers)\n", rounds,
                   NSYS);
    for (;;)
        mos_block(0);
}
