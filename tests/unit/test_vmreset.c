/* SPDX-License-Identifier: MIT */
/* test_vmreset.c - restarting one VM (hyp/core/vmreset.c): who parks last, CPU_ON refused while
 * restarting, a second restart joining the first, the memory loaded piece by piece giving the
 * same bytes as in one go. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/vmreset.h"

static void test_phases(void **s)
{
    (void)s;
    struct vmreset r = {0};
    assert_int_equal(vmreset_phase(&r), VMRESET_NONE);
    assert_true(vmreset_cpu_on_allowed(&r));
    assert_true(vmreset_begin(&r, 2));
    assert_int_equal(vmreset_phase(&r), VMRESET_PARKING);
    assert_false(vmreset_cpu_on_allowed(&r)); /* CPU_ON: DENIED */
    assert_false(vmreset_begin(&r, 2));       /* a second SYSTEM_RESET joins the first */
    assert_false(vmreset_parked(&r));         /* vCPU 1's CPU: not the last */
    assert_false(vmreset_begin(&r, 2));
    assert_true(vmreset_parked(&r)); /* vCPU 0's CPU: the last, it resets the VM */
    vmreset_loading(&r);
    assert_int_equal(vmreset_phase(&r), VMRESET_LOADING);
    assert_false(vmreset_cpu_on_allowed(&r));
    assert_false(vmreset_begin(&r, 2)); /* nor while loading */
    vmreset_end(&r);
    assert_true(vmreset_cpu_on_allowed(&r));
    assert_true(vmreset_begin(&r, 2)); /* a later reset is a new restart */
}

/* A CPU_ON that got its ticket before a restart never starts a vCPU of the new run, even if
 * its target's CPU looks at it only after the restart is over. */
static void test_cpu_on_ticket(void **s)
{
    (void)s;
    struct vmreset r = {0};
    uint32_t t1, t2, t3;
    assert_true(vmreset_cpu_on_ticket(&r, &t1));
    assert_true(vmreset_ticket_valid(&r, t1));
    assert_true(vmreset_begin(&r, 1));
    assert_false(vmreset_ticket_valid(&r, t1));
    assert_false(vmreset_cpu_on_ticket(&r, &t2)); /* DENIED */
    assert_true(vmreset_parked(&r));
    vmreset_loading(&r);
    assert_false(vmreset_cpu_on_ticket(&r, &t2));
    vmreset_end(&r);
    assert_false(vmreset_ticket_valid(&r, t1)); /* the old run's CPU_ON stays void */
    assert_true(vmreset_cpu_on_ticket(&r, &t3));
    assert_true(vmreset_ticket_valid(&r, t3));
    assert_int_not_equal(t1, t3);
    for (unsigned i = 0; i < 20000; i++) { /* the run number wraps: still one phase at a time */
        assert_true(vmreset_begin(&r, 2));
        assert_false(vmreset_parked(&r));
        assert_true(vmreset_parked(&r));
        vmreset_loading(&r);
        assert_int_equal(vmreset_phase(&r), VMRESET_LOADING);
        vmreset_end(&r);
        assert_int_equal(vmreset_phase(&r), VMRESET_NONE);
    }
}

static void test_one_vcpu(void **s)
{
    (void)s;
    struct vmreset r = {0};
    assert_true(vmreset_begin(&r, 1));
    assert_true(vmreset_parked(&r));
}

static void test_four_vcpus_last_once(void **s)
{
    (void)s;
    struct vmreset r = {0};
    assert_true(vmreset_begin(&r, 4));
    unsigned last = 0;
    for (unsigned i = 0; i < 4; i++)
        last += vmreset_parked(&r);
    assert_int_equal(last, 1);
    assert_int_equal(vmreset_phase(&r), VMRESET_PARKING); /* until the last caller says so */
}

static void test_pieces_cover_ram(void **s)
{
    (void)s;
    struct vmreset r = {0};
    const uint64_t size = 3 * VMRESET_PIECE + 100;
    uint64_t off, len, next = 0, n = 0;
    vmreset_loading(&r);
    while (vmreset_next_piece(&r, size, &off, &len)) {
        assert_int_equal(off, next);
        assert_true(len > 0 && len <= VMRESET_PIECE);
        next = off + len;
        n++;
    }
    assert_int_equal(next, size);
    assert_int_equal(n, 4);
    assert_false(vmreset_next_piece(&r, size, &off, &len));
}

/* Segments at the start, straddling piece borders, at the very end; in any order. */
static void test_load_range_matches_one_go(void **s)
{
    (void)s;
    enum { RAM = 3 * 4096 + 17 };
    static uint8_t a[5000], b[300], c[17], one[RAM], pieces[RAM];
    for (unsigned i = 0; i < sizeof(a); i++)
        a[i] = (uint8_t)(i * 7 + 1);
    for (unsigned i = 0; i < sizeof(b); i++)
        b[i] = (uint8_t)(i * 13 + 5);
    memset(c, 0xee, sizeof(c));
    const struct vmload_seg segs[] = {{RAM - 17, 17, c}, {0, sizeof(a), a}, {8190, sizeof(b), b}};
    memset(one, 0x55, sizeof(one)); /* what a previous run left */
    memset(pieces, 0x55, sizeof(pieces));
    vmload_range(one, segs, 3, 0, RAM);
    assert_memory_equal(one, a, sizeof(a));
    for (unsigned i = sizeof(a); i < 8190; i++)
        assert_int_equal(one[i], 0);
    assert_memory_equal(one + 8190, b, sizeof(b));
    for (unsigned i = 8190 + sizeof(b); i < RAM - 17; i++)
        assert_int_equal(one[i], 0);
    assert_memory_equal(one + RAM - 17, c, 17);
    for (unsigned step = 1; step <= 4096; step = step * 3 + 1) {
        memset(pieces, 0x55, sizeof(pieces));
        for (uint64_t off = 0; off < RAM; off += step)
            vmload_range(pieces, segs, 3, off, off + step <= RAM ? step : RAM - off);
        assert_memory_equal(one, pieces, RAM);
    }
}

static void test_load_range_no_segments(void **s)
{
    (void)s;
    uint8_t ram[64];
    memset(ram, 0xaa, sizeof(ram));
    const struct vmload_seg empty = {10, 0, 0};
    vmload_range(ram, &empty, 1, 8, 40);
    for (unsigned i = 0; i < 64; i++)
        assert_int_equal(ram[i], i >= 8 && i < 48 ? 0 : 0xaa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phases),
        cmocka_unit_test(test_cpu_on_ticket),
        cmocka_unit_test(test_one_vcpu),
        cmocka_unit_test(test_four_vcpus_last_once),
        cmocka_unit_test(test_pieces_cover_ram),
        cmocka_unit_test(test_load_range_matches_one_go),
        cmocka_unit_test(test_load_range_no_segments),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
