/* SPDX-License-Identifier: MIT */
/* test_vgic.c - emulated GICv3 distributor/redistributor registers as a guest uses them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/vgic.h"

static uint64_t rd(struct vgic_dist *d, uint64_t off, unsigned size)
{
    struct mmio_access a = {off, size, false, 0xdead};
    assert_int_equal(vgicd_emulate(d, &a), 0);
    return a.val;
}

static void wr(struct vgic_dist *d, uint64_t off, unsigned size, uint64_t v)
{
    struct mmio_access a = {off, size, true, v};
    assert_int_equal(vgicd_emulate(d, &a), 0);
}

static uint64_t rrd(struct vgic_cpu *c, const struct vgicr_id *id, uint64_t off, unsigned size)
{
    uint32_t raise = 0;
    struct mmio_access a = {off, size, false, 0xdead};
    assert_int_equal(vgicr_emulate(c, id, &a, &raise), 0);
    assert_int_equal(raise, 0);
    return a.val;
}

static uint32_t rwr(struct vgic_cpu *c, const struct vgicr_id *id, uint64_t off, uint64_t v)
{
    uint32_t raise = 0;
    struct mmio_access a = {off, 4, true, v};
    assert_int_equal(vgicr_emulate(c, id, &a, &raise), 0);
    return raise;
}

static void test_distributor_identity(void **state)
{
    (void)state;
    struct vgic_dist d;
    vgic_dist_init(&d);
    assert_int_equal(rd(&d, 0xffe8, 4) & 0xf0, 0x30); /* GICv3 */
    assert_int_equal(rd(&d, 0x0004, 4) & 0x1f, 3);    /* 128 INTIDs */
    assert_true(rd(&d, 0x0000, 4) & (1u << 4));       /* ARE always on */
    wr(&d, 0x0000, 4, 0x2);
    assert_int_equal(rd(&d, 0x0000, 4), 0x12);
    assert_int_equal(rd(&d, 0x1234, 4), 0); /* reserved: RAZ */
}

/* Every SPI of the board (INTIDs 32..127) is modelled: enable, priority, configuration,
 * routing; beyond them the registers are reserved. */
static void test_all_spis(void **state)
{
    (void)state;
    struct vgic_dist d;
    struct vgic_cpu c;
    vgic_dist_init(&d);
    vgic_cpu_init(&c);
    wr(&d, 0x0000, 4, 0x2);
    wr(&d, 0x010c, 4, 1u << 31); /* GICD_ISENABLER3: INTID 127 */
    assert_true(vgic_irq_enabled(&d, &c, 127));
    assert_false(vgic_irq_enabled(&d, &c, 126));
    assert_false(vgic_irq_enabled(&d, &c, 128));
    wr(&d, 0x0110, 4, ~0u); /* GICD_ISENABLER4: beyond the model, ignored */
    assert_false(vgic_irq_enabled(&d, &c, 128));
    wr(&d, 0x018c, 4, 1u << 31); /* GICD_ICENABLER3 */
    assert_false(vgic_irq_enabled(&d, &c, 127));
    wr(&d, 0x0400 + 100, 1, 0x40); /* GICD_IPRIORITYR byte of INTID 100 */
    assert_int_equal(vgic_irq_prio(&d, &c, 100), 0x40);
    assert_int_equal(rd(&d, 0x0400 + 128, 4), 0); /* beyond: RAZ */
    wr(&d, 0x0c00 + 4 * 7, 4, 0xffffffffu);       /* GICD_ICFGR7: INTIDs 112..127 edge */
    assert_int_equal(rd(&d, 0x0c00 + 4 * 7, 4), 0xaaaaaaaau);  /* bit 0 of each field RES0 */
    wr(&d, 0x6100 + 8 * (127 - 32), 8, 0xffffffffffffffffULL); /* GICD_IROUTER<127> */
    assert_int_equal(rd(&d, 0x6100 + 8 * (127 - 32), 8), 0xff80ffffffULL); /* RES0 bits */
    assert_int_equal(rd(&d, 0x6100 + 8 * 96, 8), 0); /* IROUTER<128>: reserved */
}

/* A device's line: always level-sensitive, whatever the guest writes. */
static void test_device_line_is_level(void **state)
{
    (void)state;
    struct vgic_dist d;
    vgic_dist_init(&d);
    vgic_spi_set_hw(&d, 34); /* the RTC: ICFGR2, field 2 */
    assert_true(vgic_spi_is_hw(&d, 34));
    assert_false(vgic_spi_is_hw(&d, 35));
    assert_false(vgic_spi_is_hw(&d, 20)); /* a PPI is never a device line here */
    wr(&d, 0x0c08, 4, 0xffffffffu);
    assert_int_equal(rd(&d, 0x0c08, 4), 0xaaaaaaaau & ~(3u << 4));
}

/* GICD_IROUTER names the vCPU a shared interrupt goes to; IRM, other affinities and vCPUs
 * the VM does not have mean vCPU 0. */
static void test_spi_routing(void **state)
{
    (void)state;
    struct vgic_dist d;
    vgic_dist_init(&d);
    assert_int_equal(vgic_spi_target(&d, 34, 2), 0);
    wr(&d, 0x6100 + 8 * 2, 8, 1); /* IROUTER<34> = 0.0.0.1 */
    assert_int_equal(vgic_spi_target(&d, 34, 2), 1);
    assert_int_equal(vgic_spi_target(&d, 34, 1), 0); /* no vCPU 1 */
    wr(&d, 0x6100 + 8 * 2, 4, 0x101);                /* Aff1 = 1: no such vCPU */
    assert_int_equal(vgic_spi_target(&d, 34, 2), 0);
    wr(&d, 0x6100 + 8 * 2, 4, 0x80000001u); /* IRM */
    assert_int_equal(vgic_spi_target(&d, 34, 2), 0);
    wr(&d, 0x6100 + 8 * 2 + 4, 4, 0); /* upper half only: the lower one stays */
    assert_int_equal(rd(&d, 0x6100 + 8 * 2, 4), 0x80000001u);
    assert_int_equal(vgic_spi_target(&d, 20, 2), 0); /* not an SPI */
}

static void test_spi_enable_and_priority(void **state)
{
    (void)state;
    struct vgic_dist d;
    struct vgic_cpu c;
    vgic_dist_init(&d);
    vgic_cpu_init(&c);
    assert_false(vgic_irq_enabled(&d, &c, 40));
    wr(&d, 0x0104, 4, 1u << 8);                 /* ISENABLER1: INTID 40 */
    assert_false(vgic_irq_enabled(&d, &c, 40)); /* distributor Group 1 still off */
    wr(&d, 0x0000, 4, 0x2);
    assert_true(vgic_irq_enabled(&d, &c, 40));
    wr(&d, 0x0184, 4, 1u << 8); /* ICENABLER1 */
    assert_false(vgic_irq_enabled(&d, &c, 40));
    wr(&d, 0x0400 + 40, 1, 0x40);
    assert_int_equal(vgic_irq_prio(&d, &c, 40), 0x40);
    assert_int_equal(rd(&d, 0x0400 + 40, 4), 0xa0a0a040);
    wr(&d, 0x6100 + 8 * 8, 8, 0x0000000100000203UL); /* IROUTER<40> */
    assert_int_equal(rd(&d, 0x6100 + 8 * 8, 8), 0x0000000100000203UL);
    /* 32-bit halves: each reaches its own half and leaves the other alone */
    wr(&d, 0x6100 + 8 * 8, 4, 0x00000007);
    assert_int_equal(rd(&d, 0x6100 + 8 * 8, 8), 0x0000000100000007UL);
    wr(&d, 0x6100 + 8 * 8 + 4, 4, 0x00000002);
    assert_int_equal(rd(&d, 0x6100 + 8 * 8, 8), 0x0000000200000007UL);
    assert_int_equal(rd(&d, 0x6100 + 8 * 8 + 4, 4), 0x00000002);
    assert_int_equal(rd(&d, 0x6100 + 8 * 8, 4), 0x00000007);
    wr(&d, 0x0400 + 200, 4, 0xffffffff); /* out of range: ignored, no overflow */
}

static void test_redistributor(void **state)
{
    (void)state;
    struct vgic_cpu c;
    struct vgic_dist d;
    vgic_cpu_init(&c);
    vgic_dist_init(&d);
    struct vgicr_id id = {.index = 1, .affinity = 1, .last = true};
    uint64_t typer = rrd(&c, &id, 0x0008, 8);
    assert_int_equal(typer >> 32, 1);
    assert_int_equal((typer >> 8) & 0xffff, 1);
    assert_true(typer & (1u << 4));
    /* Waking: ProcessorSleep cleared -> ChildrenAsleep reads 0. */
    assert_int_equal(rrd(&c, &id, 0x0014, 4), 6);
    rwr(&c, &id, 0x0014, 0);
    assert_int_equal(rrd(&c, &id, 0x0014, 4), 0);
    /* Enabling the virtual timer PPI. */
    assert_false(vgic_irq_enabled(&d, &c, 27));
    rwr(&c, &id, 0x10000 + 0x100, 1u << 27);
    assert_true(vgic_irq_enabled(&d, &c, 27));
    rwr(&c, &id, 0x10000 + 0x180, 1u << 27);
    assert_false(vgic_irq_enabled(&d, &c, 27));
    assert_true(vgic_irq_enabled(&d, &c, 3)); /* SGIs stay enabled */
    /* Setting pending asks the caller to raise it. */
    assert_int_equal(rwr(&c, &id, 0x10000 + 0x200, 1u << 27), 1u << 27);
    /* Priorities, byte access. */
    struct mmio_access a = {0x10000 + 0x400 + 27, 1, true, 0x20};
    uint32_t raise = 0;
    vgicr_emulate(&c, &id, &a, &raise);
    assert_int_equal(vgic_irq_prio(&d, &c, 27), 0x20);
}

static void test_sgi_targets(void **state)
{
    (void)state;
    uint32_t t;
    /* SGI 5 to target list {1} */
    assert_int_equal(vgic_sgi_targets((5ULL << 24) | 0x2, 0, 4, &t), 5);
    assert_int_equal(t, 0x2);
    /* IRM: every vCPU but the sender */
    assert_int_equal(vgic_sgi_targets((6ULL << 24) | (1ULL << 40), 1, 4, &t), 6);
    assert_int_equal(t, 0xd);
    /* vCPUs the VM does not have, and other Aff1/Aff2/Aff3, reach nobody */
    vgic_sgi_targets((7ULL << 24) | 0xfff0, 0, 4, &t);
    assert_int_equal(t, 0);
    vgic_sgi_targets((7ULL << 24) | (1ULL << 16) | 0x1, 0, 4, &t); /* Aff1 = 1 */
    assert_int_equal(t, 0);
    vgic_sgi_targets((7ULL << 24) | (1ULL << 48) | 0x1, 0, 4, &t); /* Aff3 = 1 */
    assert_int_equal(t, 0);
    /* RS = 1: the list covers vCPUs 16..31 */
    vgic_sgi_targets((1ULL << 44) | 0x1, 0, 20, &t);
    assert_int_equal(t, 1u << 16);
    /* the INTID is 4 bits: SGIs only */
    assert_int_equal(vgic_sgi_targets(~0ULL & ~(1ULL << 40) & 0xffffffff, 0, 1, &t), 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distributor_identity),
        cmocka_unit_test(test_spi_enable_and_priority),
        cmocka_unit_test(test_all_spis),
        cmocka_unit_test(test_device_line_is_level),
        cmocka_unit_test(test_spi_routing),
        cmocka_unit_test(test_redistributor),
        cmocka_unit_test(test_sgi_targets),
    };
    return cmocka_run_group_tests_name("vgic", tests, NULL, NULL);
}
