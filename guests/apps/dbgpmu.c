/* SPDX-License-Identifier: MIT */
/*
 * dbgpmu.c - debug, PMU and set/way state must be each VM's own. Two VMs run this on one
 * CPU (configs/test-dbgpmu.dts), time-sharing it with short slices.
 *  bootarg 0xa (the hostile one): unlocks the OS lock, writes DBGBVR0/DBGBCR0_EL1 and
 *    MDSCR_EL1, stops the cycle counter every way the PMU offers (PMCR_EL0.E = 0,
 *    PMCCFILTR_EL0 = 0, PMCNTENCLR_EL0 bit 31) and sets it to 12345, runs DC ISW/CISW/CSW
 *    (and one with a level that does not exist), enables the GIC's Group 0, sets one of its
 *    active priorities and sends a Group 0 SGI (all trapped: Group 0 stays unused), then
 *    checks, across the other VM's slices, that it still reads back its own values and a
 *    frozen counter; finally restarts the counter and checks that it counts on from 12345.
 *  bootarg 0xb (the victim): starts after the other has done all that and checks it sees
 *    none of it: its OS lock still set, its breakpoint registers zero, Group 0 unused, its
 *    counter enabled and advancing across the other's slices.
 * Prints `dbgpmu: N ok, M wrong` (and `dbgpmu: WRONG ...` for each failed check).
 */
#include "minios.h"

#define RD(reg)                                                                                    \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        __asm__ volatile("isb\n mrs %0, " #reg : "=r"(v_)::"memory");                              \
        v_;                                                                                        \
    })
#define WR(reg, v) __asm__ volatile("msr " #reg ", %0\n isb" ::"r"((uint64_t)(v)) : "memory")

#define A_BVR 0xa0000UL /* nothing executes there; the breakpoint is never meant to hit */
#define A_BCR 0x1e7UL   /* E = 1, PMC = EL1 and EL0, BAS = 0xf */
#define B_BVR 0xb0000UL
#define MDSCR_TDCC (1UL << 12)
#define OSLSR_OSLK (1UL << 1)
#define PMCR_E 1UL
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1f)
#define CCNT_BIT (1UL << 31)
#define FROZEN 12345UL
#define ROUNDS 12
#define SPIN_MS 3 /* longer than a slice: the other VM runs inside every round */

static unsigned ok, wrong;

static void expect(const char *what, uint64_t got, uint64_t want)
{
    if (got == want) {
        ok++;
    } else {
        wrong++;
        mos_printf("dbgpmu: WRONG %s: got %#lx want %#lx\n", what, got, want);
    }
}

static void spin_ms(uint64_t ms)
{
    uint64_t end = mos_now_ns() + ms * 1000000UL;
    while (mos_now_ns() < end)
        ;
}

static void setway(void)
{
    uint64_t l1 = 0, bad_level = 6UL << 1; /* level 1, set 0, way 0; level 7 */
    __asm__ volatile("dc isw, %0" ::"r"(l1) : "memory");
    __asm__ volatile("dc cisw, %0" ::"r"(l1) : "memory");
    __asm__ volatile("dc csw, %0" ::"r"(l1) : "memory");
    __asm__ volatile("dc isw, %0\n dsb sy" ::"r"(bad_level) : "memory");
    mos_printf("dbgpmu: set/way done\n");
}

/* The GIC's Group 0 registers (trapped, Group 0 unused: Arm IHI 0069 12.2). */
#define SPURIOUS 1023

/* What every VM sees of Group 0, whatever it or another VM wrote: nothing enabled, nothing
 * active, nothing pending. */
static void check_group0(void)
{
    expect("ICC_IGRPEN0_EL1", RD(icc_igrpen0_el1), 0);
    expect("ICC_AP0R0_EL1", RD(icc_ap0r0_el1), 0);
    expect("ICC_BPR0_EL1", RD(icc_bpr0_el1), 0);
    expect("ICC_HPPIR0_EL1", RD(icc_hppir0_el1), SPURIOUS);
    expect("ICC_IAR0_EL1", RD(icc_iar0_el1), SPURIOUS);
}

static void check_own_view(void)
{
    check_group0();
    expect("own DBGBVR0_EL1", RD(dbgbvr0_el1), A_BVR);
    expect("own DBGBCR0_EL1", RD(dbgbcr0_el1), A_BCR);
    expect("own MDSCR_EL1.TDCC", RD(mdscr_el1) & MDSCR_TDCC, MDSCR_TDCC);
    expect("own OS lock clear", RD(oslsr_el1) & OSLSR_OSLK, 0);
    expect("own PMCR_EL0.E clear", RD(pmcr_el0) & PMCR_E, 0);
    expect("own PMCCFILTR_EL0", RD(pmccfiltr_el0), 0);
    expect("own PMCNTENSET_EL0 bit 31 clear", RD(pmcntenset_el0) & CCNT_BIT, 0);
    expect("own stopped counter", RD(pmccntr_el0), FROZEN);
}

static void hostile(void)
{
    expect("OS lock set at reset", RD(oslsr_el1) & OSLSR_OSLK, OSLSR_OSLK);
    WR(oslar_el1, 0);
    WR(dbgbvr0_el1, A_BVR);
    WR(dbgbcr0_el1, A_BCR);
    WR(mdscr_el1, MDSCR_TDCC);
    WR(pmcr_el0, 0);
    WR(pmccfiltr_el0, 0);
    WR(pmcntenclr_el0, CCNT_BIT);
    WR(pmccntr_el0, FROZEN);
    WR(icc_igrpen0_el1, 1);
    WR(icc_bpr0_el1, 3);
    WR(icc_ap0r0_el1, 1UL << 31); /* the lowest priority group active: masks nothing this uses */
    WR(icc_sgi0r_el1, 1UL << 40 | 1); /* a Group 0 SGI to every vCPU but itself: ignored */
    check_own_view();
    setway();
    for (unsigned i = 0; i < ROUNDS; i++) {
        spin_ms(SPIN_MS);
        check_own_view();
    }
    WR(pmcntenset_el0, CCNT_BIT);
    WR(pmcr_el0, PMCR_E);
    uint64_t c0 = RD(pmccntr_el0);
    spin_ms(1);
    uint64_t c1 = RD(pmccntr_el0);
    expect("restarted counter counts on from where it stopped", c0 >= FROZEN && c0 < 1000000, 1);
    expect("restarted counter advances", c1 > c0, 1);
}

static void victim(void)
{
    mos_block(mos_now_ns() + 10000000UL); /* the other VM does its damage meanwhile */
    for (unsigned i = 0; i < ROUNDS; i++) {
        uint64_t want_bvr = i > ROUNDS / 2 ? B_BVR : 0;
        expect("OS lock still set", RD(oslsr_el1) & OSLSR_OSLK, OSLSR_OSLK);
        check_group0();
        expect("DBGBVR0_EL1", RD(dbgbvr0_el1), want_bvr);
        expect("DBGBCR0_EL1", RD(dbgbcr0_el1), 0);
        expect("MDSCR_EL1.TDCC", RD(mdscr_el1) & MDSCR_TDCC, 0);
        expect("PMCR_EL0.E", RD(pmcr_el0) & PMCR_E, PMCR_E);
        expect("PMCR_EL0.N: no event counters", PMCR_N(RD(pmcr_el0)), 0);
        expect("PMCNTENSET_EL0 bit 31", RD(pmcntenset_el0) & CCNT_BIT, CCNT_BIT);
        uint64_t c0 = mos_cycles();
        spin_ms(SPIN_MS);
        uint64_t c1 = mos_cycles();
        expect("counter advanced across the other VM's slices", c1 - c0 >= SPIN_MS * 1000000UL, 1);
        if (i == 0)
            mos_printf("dbgpmu: counter advanced %lu over %u ms\n", c1 - c0, SPIN_MS);
        if (i == ROUNDS / 2)
            WR(dbgbvr0_el1, B_BVR);
    }
}

void app_main(uint64_t bootarg)
{
    if (bootarg == 0xa)
        hostile();
    else
        victim();
    mos_printf("dbgpmu: %u ok, %u wrong\n", ok, wrong);
    for (;;)
        mos_block(0);
}
