/* SPDX-License-Identifier: MIT */
/* test_vpsci.c - a guest's PSCI calls decoded and checked (hyp/core/vpsci_decode.c): versions and
 * features, CPU_ON's target and entry point, AFFINITY_INFO, SMC32 arguments cut to 32 bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/vpsci.h"

#define RAM 0x40000000ull
#define RAM_SIZE 0x10000000ull

static struct vpsci_call call(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
    uint64_t x[4] = {x0, x1, x2, x3};
    struct vpsci_call c;
    vpsci_decode(x, 2, RAM, RAM_SIZE, &c);
    return c;
}

static void test_version_features(void **s)
{
    (void)s;
    struct vpsci_call c = call(PSCI_VERSION, 0, 0, 0);
    assert_int_equal(c.act, VPSCI_RETURN);
    assert_int_equal(c.ret, 0x10000);
    assert_int_equal(call(PSCI_FEATURES, PSCI_CPU_ON | PSCI_SMC64, 0, 0).ret, PSCI_SUCCESS);
    assert_int_equal(call(PSCI_FEATURES, PSCI_SYSTEM_RESET, 0, 0).ret, PSCI_SUCCESS);
    assert_int_equal(call(PSCI_FEATURES, PSCI_CPU_SUSPEND, 0, 0).ret, PSCI_NOT_SUPPORTED);
    assert_int_equal(call(PSCI_FEATURES, 0x80000000u, 0, 0).ret, PSCI_NOT_SUPPORTED); /* SMCCC */
    assert_int_equal(call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0).ret, 2);
}

static void test_unknown(void **s)
{
    (void)s;
    assert_int_equal(call(PSCI_CPU_SUSPEND, 0, 0, 0).ret, PSCI_NOT_SUPPORTED);
    assert_int_equal(call(0x80000000u, 0, 0, 0).ret, PSCI_NOT_SUPPORTED); /* SMCCC_VERSION */
    assert_int_equal(call(0xc4000020u, 0, 0, 0).act, VPSCI_RETURN);
    assert_int_equal(call(0x100000000ull | PSCI_VERSION, 0, 0, 0).ret, PSCI_NOT_SUPPORTED);
}

static void test_cpu_on(void **s)
{
    (void)s;
    struct vpsci_call c = call(PSCI_CPU_ON | PSCI_SMC64, 1, RAM + 0x1000, 0xabcdef0123ull);
    assert_int_equal(c.act, VPSCI_DO_CPU_ON);
    assert_int_equal(c.target, 1);
    assert_int_equal(c.entry, RAM + 0x1000);
    assert_int_equal(c.context, 0xabcdef0123ull);
    /* no vCPU 2; affinity beyond Aff0; entry outside RAM, past it, misaligned */
    assert_int_equal(call(PSCI_CPU_ON | PSCI_SMC64, 2, RAM, 0).ret, PSCI_INVALID_PARAMETERS);
    assert_int_equal(call(PSCI_CPU_ON | PSCI_SMC64, 0x100, RAM, 0).ret, PSCI_INVALID_PARAMETERS);
    assert_int_equal(call(PSCI_CPU_ON | PSCI_SMC64, 1, RAM - 4, 0).ret, PSCI_INVALID_ADDRESS);
    assert_int_equal(call(PSCI_CPU_ON | PSCI_SMC64, 1, RAM + RAM_SIZE, 0).ret,
                     PSCI_INVALID_ADDRESS);
    assert_int_equal(call(PSCI_CPU_ON | PSCI_SMC64, 1, RAM + 2, 0).ret, PSCI_INVALID_ADDRESS);
    /* SMC32: the upper halves of the arguments are not the guest's to use */
    c = call(PSCI_CPU_ON, 0xffffffff00000001ull, 0x1200000000ull | (RAM + 8), 0x700000005ull);
    assert_int_equal(c.act, VPSCI_DO_CPU_ON);
    assert_int_equal(c.target, 1);
    assert_int_equal(c.entry, RAM + 8);
    assert_int_equal(c.context, 5);
}

static void test_affinity_off_reset(void **s)
{
    (void)s;
    struct vpsci_call c = call(PSCI_AFFINITY_INFO | PSCI_SMC64, 1, 0, 0);
    assert_int_equal(c.act, VPSCI_DO_AFF_INFO);
    assert_int_equal(c.target, 1);
    assert_int_equal(call(PSCI_AFFINITY_INFO | PSCI_SMC64, 1, 1, 0).ret, PSCI_INVALID_PARAMETERS);
    assert_int_equal(call(PSCI_AFFINITY_INFO | PSCI_SMC64, 5, 0, 0).ret, PSCI_INVALID_PARAMETERS);
    assert_int_equal(call(PSCI_CPU_OFF, 0, 0, 0).act, VPSCI_DO_CPU_OFF);
    assert_int_equal(call(PSCI_SYSTEM_OFF, 0, 0, 0).act, VPSCI_DO_SYSTEM_OFF);
    assert_int_equal(call(PSCI_SYSTEM_RESET, 0, 0, 0).act, VPSCI_DO_SYSTEM_RESET);
    assert_true(vpsci_is_call(PSCI_SYSTEM_OFF));
    assert_false(vpsci_is_call(0x19)); /* a hypercall number */
    assert_false(vpsci_is_call(0x184000008ull));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_features),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_cpu_on),
        cmocka_unit_test(test_affinity_off_reset),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests_name("vpsci", tests, NULL, NULL);
}
