/* SPDX-License-Identifier: MIT */
/*
 * test_dma.c - the hypervisor's own view of which passed-through devices can master DMA
 * (hyp/core/dma.c): from board.h, by address, so tables made without emvcfg cannot hide one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "board.h"
#include "core/dma.h"

static struct emv_dev_cfg dev(uint64_t base, uint64_t size)
{
    return (struct emv_dev_cfg){.name = "x", .base = base, .size = size};
}

static void test_board_devices(void **state)
{
    (void)state;
    struct emv_dev_cfg d = dev(0x09020000, 0x1000);
    assert_string_equal(dma_master_of(&d), "fw-cfg");
    d = dev(0x0a000200, 0x200);
    assert_string_equal(dma_master_of(&d), "virtio1"); /* its own name, not its page mate's */
    d = dev(0x4010000000ULL, 0x10000000);
    assert_string_equal(dma_master_of(&d), "pcie-ecam");
    d = dev(0x10000000, 0x2eff0000);
    assert_string_equal(dma_master_of(&d), "pcie-mmio");
    d = dev(0x3eff0000, 0x10000);
    assert_string_equal(dma_master_of(&d), "pcie-pio");
    d = dev(0x09010000, 0x1000);
    assert_null(dma_master_of(&d)); /* rtc */
    d = dev(0x09030000, 0x1000);
    assert_null(dma_master_of(&d)); /* gpio */
}

/* Every device board.h marks DMA is found at its own address, and no other. */
static void test_every_mark(void **state)
{
    (void)state;
    enum { NO_DMA, DMA };
#define X(n, b, s, i, o, m)                                                                        \
    {                                                                                              \
        struct emv_dev_cfg d = dev(b, s);                                                          \
        if (m == DMA)                                                                              \
            assert_string_equal(dma_master_of(&d), n);                                             \
        else                                                                                       \
            assert_null(dma_master_of(&d));                                                        \
    }
    PLAT_DEVICES(X)
#undef X
}

/* Stage 2 maps whole pages: a region that touches a DMA device's page exposes it. */
static void test_page_overlap(void **state)
{
    (void)state;
    struct emv_dev_cfg d = dev(0x0901f000, 0x2000); /* the page before fw-cfg, and its own */
    assert_string_equal(dma_master_of(&d), "fw-cfg");
    d = dev(0x0a000100, 0x10); /* inside virtio0's page, no device's exact place */
    assert_string_equal(dma_master_of(&d), "virtio0");
    d = dev(0x09020fff, 1);
    assert_string_equal(dma_master_of(&d), "fw-cfg");
    d = dev(0x09021000, 0x1000); /* the page after fw-cfg */
    assert_null(dma_master_of(&d));
}

/* Nonsense from a hand-made table must neither wrap around nor match. */
static void test_bad_regions(void **state)
{
    (void)state;
    struct emv_dev_cfg d = dev(0x09020000, 0);
    assert_null(dma_master_of(&d));
    d = dev(0xfffffffffffff000ULL, 0x2000); /* wraps: saturates at the top */
    assert_null(dma_master_of(&d));
    d = dev(0, ~0ULL); /* all of the address space */
    assert_non_null(dma_master_of(&d));
}

static void test_masters_list(void **state)
{
    (void)state;
    struct emv_vm_cfg c = {.nr_devs = 3};
    c.devs[0] = dev(0x09010000, 0x1000); /* rtc */
    c.devs[1] = dev(0x09020000, 0x1000); /* fw-cfg */
    c.devs[2] = dev(0x0a000000, 0x200);  /* virtio0 */
    char list[64];
    assert_int_equal(dma_masters(&c, list, sizeof(list)), 2);
    assert_string_equal(list, "fw-cfg, virtio0");
    char small[5];
    assert_int_equal(dma_masters(&c, small, sizeof(small)), 2); /* counted, cut short */
    assert_string_equal(small, "fw-c");
    c.nr_devs = 1;
    assert_int_equal(dma_masters(&c, list, sizeof(list)), 0);
    assert_string_equal(list, "");
    c.nr_devs = 0;
    assert_int_equal(dma_masters(&c, list, sizeof(list)), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_board_devices), cmocka_unit_test(test_every_mark),
        cmocka_unit_test(test_page_overlap),  cmocka_unit_test(test_bad_regions),
        cmocka_unit_test(test_masters_list),
    };
    return cmocka_run_group_tests_name("dma", tests, NULL, NULL);
}
