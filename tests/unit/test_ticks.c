/* SPDX-License-Identifier: MIT */
/* test_ticks.c - counter ticks <-> ns: exact, rounding up to ticks, saturating to ns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/ticks.h"

#define F 62500000ULL /* QEMU 7.2 virt: 16 ns per tick */

static void test_exact_and_rounding(void **state)
{
    (void)state;
    assert_int_equal(ticks_to_ns(F, F), 1000000000ULL);
    assert_int_equal(ticks_to_ns(1, F), 16);
    assert_int_equal(ns_to_ticks(16, F), 1);
    assert_int_equal(ns_to_ticks(17, F), 2); /* never early: 17 ns is after tick 1 */
    assert_int_equal(ns_to_ticks(1, F), 1);
    assert_int_equal(ns_to_ticks(0, F), 0);
    assert_int_equal(ns_to_ticks(1000000008ULL, F), F + 1);
    for (uint64_t ns = 0; ns < 100000; ns += 7) /* the tick armed is at or after ns */
        assert_true(ticks_to_ns(ns_to_ticks(ns, F), F) >= ns);
}

static void test_saturates(void **state)
{
    (void)state;
    /* CNTV_CVAL = ~0 (a parked timer) is "never", not a small wrapped time */
    assert_int_equal(ticks_to_ns(UINT64_MAX, F), UINT64_MAX);
    assert_int_equal(ticks_to_ns(UINT64_MAX / 2, F), UINT64_MAX);
    assert_int_equal(ns_to_ticks(UINT64_MAX, 4000000000ULL), UINT64_MAX);
    /* the largest time that converts exactly */
    uint64_t big = 1152921504606846975ULL; /* about 1.15e18 ticks: 584 years at 62.5 MHz */
    assert_true(ticks_to_ns(big, F) > ticks_to_ns(big - F, F));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_and_rounding),
        cmocka_unit_test(test_saturates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
