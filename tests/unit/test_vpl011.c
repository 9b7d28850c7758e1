/* SPDX-License-Identifier: MIT */
/* test_vpl011.c - the emulated PL011's registers (hyp/core/vpl011_emul.c): what Linux's
 * amba-pl011 driver and earlycon read and write, the interrupt line's rising edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/vpl011.h"

static struct vpl011 u;

static uint32_t rd(uint64_t off)
{
    struct mmio_access a = {.off = off, .size = 4};
    char c;
    bool tx;
    vpl011_access(&u, &a, &c, &tx);
    assert_false(tx);
    return (uint32_t)a.val;
}

static bool wr(uint64_t off, uint32_t v)
{
    struct mmio_access a = {.off = off, .size = 4, .write = true, .val = v};
    char c;
    bool tx;
    return vpl011_access(&u, &a, &c, &tx);
}

static void test_ids_and_reset(void **s)
{
    (void)s;
    vpl011_init(&u);
    static const uint8_t want[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    for (unsigned i = 0; i < 8; i++)
        assert_int_equal(rd(0xfe0 + 4 * i), want[i]);
    assert_int_equal(rd(0x18), 0x90); /* FR: TXFE, RXFE */
    assert_int_equal(rd(0x30), 0x300);
    assert_int_equal(rd(0x40), 0); /* nothing unmasked */
}

static void test_tx(void **s)
{
    (void)s;
    vpl011_init(&u);
    struct mmio_access a = {.off = 0, .size = 1, .write = true, .val = 'x'};
    char c = 0;
    bool tx = false;
    assert_false(vpl011_access(&u, &a, &c, &tx));
    assert_true(tx);
    assert_int_equal(c, 'x');
}

static void test_registers_keep_values(void **s)
{
    (void)s;
    vpl011_init(&u);
    wr(0x24, 13);   /* IBRD */
    wr(0x28, 1);    /* FBRD */
    wr(0x2c, 0x70); /* LCR_H: 8 bits, FIFO */
    wr(0x30, 0x301);
    wr(0x48, 0);
    assert_int_equal(rd(0x24), 13);
    assert_int_equal(rd(0x28), 1);
    assert_int_equal(rd(0x2c), 0x70);
    assert_int_equal(rd(0x30), 0x301);
}

static void test_interrupts(void **s)
{
    (void)s;
    vpl011_init(&u);
    assert_true(wr(0x38, 0x20)); /* unmasking TX with the FIFO empty raises the line */
    assert_int_equal(rd(0x40), 0x20);
    assert_false(wr(0x38, 0x20)); /* no new edge */
    assert_false(wr(0x38, 0x50)); /* RX and RT only: nothing received */
    assert_int_equal(rd(0x40), 0);
    bool irq;
    assert_true(vpl011_rx(&u, 'a', &irq));
    assert_true(irq);
    assert_true(vpl011_rx(&u, 'b', &irq));
    assert_false(irq);                    /* the line is up already */
    assert_int_equal(rd(0x18) & 0x10, 0); /* RXFE clear */
    assert_int_equal(rd(0x0), 'a');
    assert_int_equal(rd(0x0), 'b');
    assert_int_equal(rd(0x18) & 0x10, 0x10);
    assert_int_equal(rd(0x40), 0); /* emptied: RX and RT fall */
    for (unsigned i = 0; i < VPL011_RX_SIZE; i++)
        assert_true(vpl011_rx(&u, 'c', &irq));
    assert_false(vpl011_rx(&u, 'd', &irq)); /* FIFO full */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_and_reset),
        cmocka_unit_test(test_tx),
        cmocka_unit_test(test_registers_keep_values),
        cmocka_unit_test(test_interrupts),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests_name("vpl011", tests, NULL, NULL);
}
