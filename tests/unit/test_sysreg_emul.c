/* SPDX-License-Identifier: MIT */
/* test_sysreg_emul.c - per-vCPU PMU and debug views, ISS decoding, set/way operand checks, the
 * GIC Group 0 registers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sysreg_emul.h"

#define ISS_READ(key, rt) ((key) | ((rt) << 5) | 1u)
#define PMCR SYSREG_ISS(3, 3, 9, 12, 0)
#define PMCNTENSET SYSREG_ISS(3, 3, 9, 12, 1)
#define PMCNTENCLR SYSREG_ISS(3, 3, 9, 12, 2)
#define PMCCNTR SYSREG_ISS(3, 3, 9, 13, 0)
#define PMSELR SYSREG_ISS(3, 3, 9, 12, 5)
#define PMXEVTYPER SYSREG_ISS(3, 3, 9, 13, 1)
#define PMCCFILTR SYSREG_ISS(3, 3, 14, 15, 7)
#define PMEVCNTR3 SYSREG_ISS(3, 3, 14, 8, 3)
#define PMINTENSET SYSREG_ISS(3, 0, 9, 14, 1)
#define DBGBVR(n) SYSREG_ISS(2, 0, 0, n, 4)
#define DBGBCR(n) SYSREG_ISS(2, 0, 0, n, 5)
#define DBGWVR(n) SYSREG_ISS(2, 0, 0, n, 6)
#define MDSCR SYSREG_ISS(2, 0, 0, 2, 2)
#define OSLAR SYSREG_ISS(2, 0, 1, 0, 4)
#define OSLSR SYSREG_ISS(2, 0, 1, 1, 4)
#define MDCCSR SYSREG_ISS(2, 3, 0, 1, 0)
#define HW_PMCR 0x410330c1UL /* IMP 0x41, IDCODE 0x03, N = 6, LC... as a Cortex-A53 may show */
/* ID_AA64DFR0_EL1 of a Cortex-A53: 6 breakpoints, 4 watchpoints. */
#define DFR0_A53 0x10305106UL

static uint64_t pmu(struct vpmu *p, uint32_t key, bool read, uint64_t val, uint64_t hw)
{
    struct sysreg_acc a = {.key = key, .rt = 0, .read = read};
    assert_true(vpmu_access(p, &a, &val, hw, HW_PMCR));
    return val;
}

static uint64_t dbg(struct vdebug *d, uint32_t key, bool read, uint64_t val)
{
    struct sysreg_acc a = {.key = key, .rt = 0, .read = read};
    vdebug_access(d, &a, &val);
    return val;
}

static void test_decode(void **state)
{
    (void)state;
    /* MRS x7, PMCCNTR_EL0 as ESR_EL2.ISS: the same key whatever Rt. */
    struct sysreg_acc a = sysreg_decode(ISS_READ(PMCCNTR, 7));
    assert_int_equal(a.key, PMCCNTR);
    assert_int_equal(a.rt, 7);
    assert_true(a.read);
    a = sysreg_decode(DBGBVR(5) | (31u << 5)); /* MSR DBGBVR5_EL1, xzr */
    assert_int_equal(a.key, DBGBVR(5));
    assert_int_equal(a.rt, 31);
    assert_false(a.read);
    assert_int_equal(ISS_CRM(a.key), 5);
    assert_int_equal(ISS_OP2(a.key), 4);
    assert_int_equal(ISS_OP0(a.key), 2);
    /* vectors.S compares against this constant (asm_defs.h ESR_MRS_PMCCNTR). */
    assert_int_equal((0x18u << 26) | (1u << 25) | PMCCNTR | 1u, 0x6230e41bu);
}

static void test_pmu_counter_follows_hardware(void **state)
{
    (void)state;
    struct vpmu p;
    vpmu_reset(&p);
    assert_int_equal(pmu(&p, PMCCNTR, true, 0, 1000), 1000);
    assert_int_equal(vpmu_ccntr(&p, 5000), 5000);
    assert_int_equal(pmu(&p, PMCR, true, 0, 0), 0x41030000UL | 0x41); /* N = 0, E, LC */
    assert_int_equal(pmu(&p, PMCNTENSET, true, 0, 0), 1UL << 31);
    /* Written: counts on from the new value. */
    pmu(&p, PMCCNTR, false, 7, 1000);
    assert_int_equal(vpmu_ccntr(&p, 1010), 17);
}

static void test_pmu_stop_freezes_own_view(void **state)
{
    (void)state;
    struct vpmu p, other;
    vpmu_reset(&p);
    vpmu_reset(&other);
    pmu(&p, PMCR, false, 0, 100); /* E clear at hardware count 100 */
    assert_int_equal(vpmu_ccntr(&p, 900), 100);
    pmu(&p, PMCCNTR, false, 12345, 1000);
    assert_int_equal(vpmu_ccntr(&p, 99999), 12345);
    pmu(&p, PMCCFILTR, false, 0, 1000);
    pmu(&p, PMCNTENCLR, false, 1UL << 31, 1000);
    /* The other vCPU's counter never noticed. */
    assert_int_equal(vpmu_ccntr(&other, 99999), 99999);
    /* E set again but PMCNTENSET[31] still clear: still stopped. */
    pmu(&p, PMCR, false, 1, 2000);
    assert_int_equal(vpmu_ccntr(&p, 3000), 12345);
    pmu(&p, PMCNTENSET, false, 1UL << 31, 3000);
    assert_int_equal(vpmu_ccntr(&p, 3500), 12845);
    /* PMCR.C resets it. */
    pmu(&p, PMCR, false, 1 | 4, 4000);
    assert_int_equal(vpmu_ccntr(&p, 4001), 1);
    assert_int_equal(pmu(&p, PMCR, true, 0, 0) & 4, 0); /* C reads 0 */
}

static void test_pmu_other_registers(void **state)
{
    (void)state;
    struct vpmu p;
    vpmu_reset(&p);
    pmu(&p, PMCCFILTR, false, 0xffffffffUL, 0);
    assert_int_equal(pmu(&p, PMCCFILTR, true, 0, 0), 0xfc000000UL);
    pmu(&p, PMSELR, false, 31, 0); /* PMXEVTYPER is PMCCFILTR now */
    pmu(&p, PMXEVTYPER, false, 1UL << 31, 0);
    assert_int_equal(pmu(&p, PMCCFILTR, true, 0, 0), 1UL << 31);
    pmu(&p, PMSELR, false, 2, 0); /* no event counter 2: RAZ/WI */
    pmu(&p, PMXEVTYPER, false, 0x11, 0);
    assert_int_equal(pmu(&p, PMXEVTYPER, true, 0, 0), 0);
    pmu(&p, PMEVCNTR3, false, 55, 0);
    assert_int_equal(pmu(&p, PMEVCNTR3, true, 0, 0), 0);
    pmu(&p, PMINTENSET, false, 0xffffffffUL, 0);
    assert_int_equal(pmu(&p, PMINTENSET, true, 0, 0), 1UL << 31);
    /* Not a PMU register. */
    struct sysreg_acc a = {.key = SYSREG_ISS(3, 0, 14, 2, 1), .read = true};
    uint64_t v = 0;
    assert_false(vpmu_access(&p, &a, &v, 0, HW_PMCR));
}

static void test_debug_registers_per_vcpu(void **state)
{
    (void)state;
    struct vdebug d, other;
    vdebug_reset(&d, DFR0_A53);
    vdebug_reset(&other, DFR0_A53);
    assert_int_equal(d.nbrp, 6);
    assert_int_equal(d.nwrp, 4);
    dbg(&d, DBGBVR(0), false, 0xa0003UL);
    dbg(&d, DBGBCR(0), false, ~0UL);
    assert_int_equal(dbg(&d, DBGBVR(0), true, 0), 0xa0000UL); /* [1:0] RES0 */
    assert_int_equal(dbg(&d, DBGBCR(0), true, 0), 0xffe1e7UL);
    assert_int_equal(dbg(&other, DBGBVR(0), true, 0), 0);
    /* Breakpoint 6 and watchpoint 4 do not exist: RAZ/WI. */
    dbg(&d, DBGBVR(6), false, 0x1000);
    assert_int_equal(dbg(&d, DBGBVR(6), true, 0), 0);
    dbg(&d, DBGWVR(3), false, 0x2000);
    assert_int_equal(dbg(&d, DBGWVR(3), true, 0), 0x2000);
    dbg(&d, DBGWVR(4), false, 0x2000);
    assert_int_equal(dbg(&d, DBGWVR(4), true, 0), 0);
}

static void test_debug_os_lock_and_mdscr(void **state)
{
    (void)state;
    struct vdebug d;
    vdebug_reset(&d, DFR0_A53);
    assert_int_equal(dbg(&d, OSLSR, true, 0), 0xa); /* OSLM = 0b10, locked */
    dbg(&d, OSLAR, false, 0);                       /* Linux's clear_os_lock */
    assert_int_equal(dbg(&d, OSLSR, true, 0), 0x8);
    dbg(&d, MDSCR, false, ~0UL);
    assert_int_equal(dbg(&d, MDSCR, true, 0), MDSCR_LIVE | MDSCR_MDE);
    assert_int_equal(d.mdscr & MDSCR_LIVE & MDSCR_MDE, 0); /* MDE never reaches hardware */
    dbg(&d, MDCCSR, false, 1);                             /* DCC: RAZ/WI */
    assert_int_equal(dbg(&d, MDCCSR, true, 0), 0);
}

static void test_setway_operand(void **state)
{
    (void)state;
    /* CLIDR: L1 separate I+D (3), L2 unified (4). L1D 32 KiB 4-way 64 B lines (128 sets),
     * L2 1 MiB 16-way (1024 sets), in the 32-bit CCSIDR layout. */
    uint64_t clidr = 3 | 4 << 3;
    struct cache_geom g[7] = {
        cache_geom_decode(2 | 3 << 3 | 127UL << 13, false),
        cache_geom_decode(2 | 15 << 3 | 1023UL << 13, false),
    };
    assert_int_equal(g[0].line_log2, 6);
    assert_int_equal(g[0].ways, 4);
    assert_int_equal(g[0].sets, 128);
    uint64_t l1_way3_set127 = 3UL << 30 | 127UL << 6;
    assert_int_equal(setway_operand(clidr, g, l1_way3_set127), (int64_t)l1_way3_set127);
    uint64_t l2_way15_set1023 = 15UL << 28 | 1023UL << 6 | 1 << 1;
    assert_int_equal(setway_operand(clidr, g, l2_way15_set1023), (int64_t)l2_way15_set1023);
    /* Bits outside the fields are dropped. */
    assert_int_equal(setway_operand(clidr, g, l1_way3_set127 | 1UL << 40 | 1), l1_way3_set127);
    /* No level 3, no level 8; a set beyond 127 at L1 is in the (unused) bits [29:13]. */
    assert_int_equal(setway_operand(clidr, g, 2 << 1), -1);
    assert_int_equal(setway_operand(clidr, g, 7 << 1), -1);
    assert_int_equal(setway_operand(clidr, g, 128UL << 6), 0);
    /* An instruction-only level is not a target. */
    assert_int_equal(setway_operand(1, g, 0), -1);
    /* A 3-way cache: way 3 does not exist. */
    struct cache_geom g3[7] = {{.line_log2 = 6, .ways = 3, .sets = 64}};
    assert_int_equal(setway_operand(2, g3, 3UL << 30), -1);
    assert_int_equal(setway_operand(2, g3, 2UL << 30), (int64_t)(2UL << 30));
    /* The FEAT_CCIDX layout. */
    struct cache_geom x = cache_geom_decode(2 | 3UL << 3 | 127UL << 32, true);
    assert_int_equal(x.ways, 4);
    assert_int_equal(x.sets, 128);
}

/* Group 0 of the GIC CPU interface: every register of it, and none other, is taken; reads are
 * zero but for the acknowledge and highest-pending ones (spurious), writes change nothing. */
static void test_group0(void **state)
{
    (void)state;
    for (unsigned op2 = 0; op2 < 8; op2++) { /* IAR0 EOIR0 HPPIR0 BPR0 AP0R0..3 */
        uint64_t val = 0x55;
        struct sysreg_acc a = {.key = SYSREG_ISS(3, 0, 12, 8, op2), .rt = 3, .read = true};
        assert_true(vgic_group0_access(&a, &val));
        assert_int_equal(val, op2 == 0 || op2 == 2 ? 1023 : 0);
        a.read = false;
        val = 0xff;
        assert_true(vgic_group0_access(&a, &val));
        assert_int_equal(val, 0xff); /* a write leaves the guest's register alone */
    }
    uint64_t val = 1;
    struct sysreg_acc igrpen0 = {.key = SYSREG_ISS(3, 0, 12, 12, 6), .rt = 0, .read = true};
    assert_true(vgic_group0_access(&igrpen0, &val));
    assert_int_equal(val, 0);
    struct sysreg_acc sgi0r = {.key = SYSREG_ISS(3, 0, 12, 11, 7), .rt = 0, .read = false};
    assert_true(vgic_group0_access(&sgi0r, &val)); /* a Group 0 SGI: ignored */
    /* Group 1 and the common registers are not Group 0's: IGRPEN1, IAR1, AP1R0, PMR, BPR1, CTLR,
     * SGI1R; nor are CRm 8's encodings with another op1 or op0, nor a PMU register. */
    const uint32_t others[] = {
        SYSREG_ISS(3, 0, 12, 12, 7), SYSREG_ISS(3, 0, 12, 12, 0),
        SYSREG_ISS(3, 0, 12, 9, 0),  SYSREG_ISS(3, 0, 4, 6, 0),
        SYSREG_ISS(3, 0, 12, 12, 3), SYSREG_ISS(3, 0, 12, 12, 4),
        SYSREG_ISS(3, 0, 12, 11, 5), SYSREG_ISS(3, 1, 12, 8, 0),
        SYSREG_ISS(2, 0, 12, 8, 0),  PMCCNTR,
    };
    for (unsigned i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        struct sysreg_acc a = {.key = others[i], .rt = 0, .read = true};
        val = 7;
        assert_false(vgic_group0_access(&a, &val));
        assert_int_equal(val, 7);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_pmu_counter_follows_hardware),
        cmocka_unit_test(test_pmu_stop_freezes_own_view),
        cmocka_unit_test(test_pmu_other_registers),
        cmocka_unit_test(test_debug_registers_per_vcpu),
        cmocka_unit_test(test_debug_os_lock_and_mdscr),
        cmocka_unit_test(test_setway_operand),
        cmocka_unit_test(test_group0),
    };
    return cmocka_run_group_tests_name("sysreg_emul", tests, NULL, NULL);
}
