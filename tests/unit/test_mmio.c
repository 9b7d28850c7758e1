/* SPDX-License-Identifier: MIT */
/* test_mmio.c - emulated MMIO loads and stores: size, sign extension, register width. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/mmio.h"

static void test_loads(void **state)
{
    (void)state;
    /* LDR Wt (32-bit, zero-extended) and LDR Xt */
    assert_int_equal(mmio_load_result(0xffffffffffffffffULL, 4, 0), 0xffffffffULL);
    assert_int_equal(mmio_load_result(0x1122334455667788ULL, 8, ISS_SF), 0x1122334455667788ULL);
    /* LDRB/LDRH zero-extend */
    assert_int_equal(mmio_load_result(0x1ff, 1, 0), 0xff);
    assert_int_equal(mmio_load_result(0x18000, 2, 0), 0x8000);
    /* LDRSW Xt: all ones stays all ones (a GICD register that reads 0xffffffff) */
    assert_int_equal(mmio_load_result(0xffffffffULL, 4, ISS_SSE | ISS_SF), 0xffffffffffffffffULL);
    assert_int_equal(mmio_load_result(0x7fffffffULL, 4, ISS_SSE | ISS_SF), 0x7fffffffULL);
    /* LDRSH Wt: sign-extended to 32 bits only */
    assert_int_equal(mmio_load_result(0x8000, 2, ISS_SSE), 0xffff8000ULL);
    /* LDRSB Xt */
    assert_int_equal(mmio_load_result(0x80, 1, ISS_SSE | ISS_SF), 0xffffffffffffff80ULL);
    assert_int_equal(mmio_load_result(0x7f, 1, ISS_SSE | ISS_SF), 0x7fULL);
}

static void test_stores(void **state)
{
    (void)state;
    /* STR Wt writes the low 32 bits only, whatever the upper half of Xt holds */
    assert_int_equal(mmio_store_value(0xdeadbeef00000001ULL, 4), 1);
    assert_int_equal(mmio_store_value(0x1234, 1), 0x34);
    assert_int_equal(mmio_store_value(0xdeadbeef00000001ULL, 8), 0xdeadbeef00000001ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads),
        cmocka_unit_test(test_stores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
