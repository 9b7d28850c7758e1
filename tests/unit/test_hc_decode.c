/* SPDX-License-Identifier: MIT */
/* test_hc_decode.c - hypercall argument validation: every bad argument gets its error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/hc_decode.h"
#include "emv/errno.h"
#include "emv/hypercall.h"

static const struct guest_ram ram = {.ipa = 0x40000000, .pa = 0x48000000, .size = 0x1000000};

static int decode(uint64_t nr, uint64_t a1, uint64_t a2, bool priv, struct hc_call *c)
{
    uint64_t x[6] = {nr, a1, a2, 0, 0, 0};
    return hc_decode(&ram, 0, x, priv, c);
}

static void test_range_translation(void **state)
{
    (void)state;
    paddr_t pa = 0;
    assert_int_equal(guest_range_to_pa(&ram, 0x40000000, 1, &pa), 0);
    assert_int_equal(pa, 0x48000000);
    assert_int_equal(guest_range_to_pa(&ram, 0x40fff000, 0x1000, &pa), 0);
    assert_int_equal(pa, 0x48fff000);
    assert_int_equal(guest_range_to_pa(&ram, 0x40fff001, 0x1000, &pa), -EMV_EFAULT);
    assert_int_equal(guest_range_to_pa(&ram, 0x3fffffff, 1, &pa), -EMV_EFAULT);
    assert_int_equal(guest_range_to_pa(&ram, 0x41000000, 0, &pa), -EMV_EFAULT);
    assert_int_equal(guest_range_to_pa(&ram, 0x48000000, 1, &pa), -EMV_EFAULT); /* a PA */
    /* Sums that would wrap around 2^64 must not pass. */
    assert_int_equal(guest_range_to_pa(&ram, 0x40000010, UINT64_MAX, &pa), -EMV_EFAULT);
    assert_int_equal(guest_range_to_pa(&ram, UINT64_MAX - 4, 16, &pa), -EMV_EFAULT);
}

static void test_console_write(void **state)
{
    (void)state;
    struct hc_call c;
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0x40001000, 12, false, &c), 0);
    assert_int_equal(c.buf_pa, 0x48001000);
    assert_int_equal(c.len, 12);
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0, 0, false, &c), 0); /* empty is fine */
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0, 1, false, &c), -EMV_EFAULT);
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0x40001000, EMV_CONSOLE_MAX + 1, false, &c),
                     -EMV_E2BIG);
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0x40fffff0, 0x20, false, &c), -EMV_EFAULT);
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0x09000000, 4, false, &c), -EMV_EFAULT);
}

static void test_unknown_and_immediate(void **state)
{
    (void)state;
    struct hc_call c;
    assert_int_equal(decode(EMV_HC_COUNT, 0, 0, true, &c), -EMV_ENOSYS);
    assert_int_equal(decode(UINT64_MAX, 0, 0, true, &c), -EMV_ENOSYS);
    uint64_t x[6] = {EMV_HC_VERSION};
    assert_int_equal(hc_decode(&ram, 1, x, true, &c), -EMV_ENOSYS);
    assert_int_equal(hc_decode(&ram, 0xffff, x, true, &c), -EMV_ENOSYS);
    assert_int_equal(hc_decode(&ram, 0, x, false, &c), 0);
    assert_int_equal(c.nr, EMV_HC_VERSION);
}

static void test_privilege(void **state)
{
    (void)state;
    struct hc_call c;
    assert_int_equal(decode(EMV_HC_SYSTEM_OFF, 0, 0, false, &c), -EMV_EPERM);
    assert_int_equal(decode(EMV_HC_SYSTEM_OFF, 0, 0, true, &c), 0);
}

static void test_name_and_block(void **state)
{
    (void)state;
    struct hc_call c;
    assert_int_equal(decode(EMV_HC_VM_NAME, 0x40000000, 16, false, &c), 0);
    assert_int_equal(c.buf_pa, 0x48000000);
    assert_int_equal(decode(EMV_HC_VM_NAME, 0x50000000, 16, false, &c), -EMV_EFAULT);
    assert_int_equal(decode(EMV_HC_BLOCK, 123456, 0, false, &c), 0);
    assert_int_equal(c.arg, 123456);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range_translation),     cmocka_unit_test(test_console_write),
        cmocka_unit_test(test_unknown_and_immediate), cmocka_unit_test(test_privilege),
        cmocka_unit_test(test_name_and_block),
    };
    return cmocka_run_group_tests_name("hc_decode", tests, NULL, NULL);
}
