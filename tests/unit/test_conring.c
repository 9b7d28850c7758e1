/* SPDX-License-Identifier: MIT */
/* test_conring.c - the console output ring: whole lines or nothing, order, bounded drains. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/conring.h"

/* A fake UART: takes up to @room bytes, then refuses, into @out. */
struct fake_uart {
    char out[1 << 20];
    size_t n;
    size_t room;
};

static bool fake_tx(void *ctx, char c)
{
    struct fake_uart *u = ctx;
    if (!u->room || u->n == sizeof(u->out))
        return false;
    u->room--;
    u->out[u->n++] = c;
    return true;
}

static struct fake_uart uart;

static bool put1(struct conring *r, const char *s)
{
    struct conring_piece p = {s, strlen(s)};
    return conring_put(r, &p, 1);
}

static void drain_all(struct conring *r)
{
    uart.room = SIZE_MAX;
    conring_drain(r, fake_tx, &uart, UINT32_MAX);
}

static void test_pieces_and_newlines(void **state)
{
    (void)state;
    char buf[64];
    struct conring r;
    conring_init(&r, buf, sizeof(buf));
    uart.n = 0;
    const struct conring_piece p[] = {{"[vm] ", 5}, {"hello", 5}, {"\n", 1}};
    assert_true(conring_put(&r, p, 3));
    assert_int_equal(conring_used(&r), 12); /* "\n" is queued as "\r\n" */
    drain_all(&r);
    assert_int_equal(uart.n, 12);
    assert_memory_equal(uart.out, "[vm] hello\r\n", 12);
    assert_int_equal(conring_used(&r), 0);
}

static void test_drain_stops_when_uart_is_full(void **state)
{
    (void)state;
    char buf[64];
    struct conring r;
    conring_init(&r, buf, sizeof(buf));
    uart.n = 0;
    assert_true(put1(&r, "abcdefgh"));
    uart.room = 3; /* the FIFO takes three, then refuses: nothing waits, nothing is lost */
    assert_int_equal(conring_drain(&r, fake_tx, &uart, UINT32_MAX), 3);
    assert_int_equal(conring_used(&r), 5);
    uart.room = 100;
    assert_int_equal(conring_drain(&r, fake_tx, &uart, 2), 2); /* the per-call limit */
    drain_all(&r);
    assert_int_equal(uart.n, 8);
    assert_memory_equal(uart.out, "abcdefgh", 8);
}

static void test_full_ring_drops_whole_lines_and_says_so(void **state)
{
    (void)state;
    char buf[64];
    struct conring r;
    conring_init(&r, buf, sizeof(buf));
    uart.n = 0;
    char line[41];
    memset(line, 'x', 39);
    line[39] = '\n';
    line[40] = 0;
    assert_true(put1(&r, line));            /* 41 of 64 */
    assert_false(put1(&r, line));           /* 41 more do not fit: dropped whole */
    assert_int_equal(conring_used(&r), 41); /* not cut: the ring holds only the first */
    assert_int_equal(r.dropped_total, 41);
    drain_all(&r);
    assert_true(put1(&r, "ok\n"));
    drain_all(&r);
    const char *want = "emv: console: 41 bytes dropped\r\nok\r\n";
    assert_int_equal(uart.n, 41 + strlen(want));
    assert_memory_equal(uart.out + 41, want, strlen(want));
    assert_int_equal(r.dropped, 0);
    assert_int_equal(r.dropped_total, 41);
}

/* Wrap-around and random UART speeds: the UART sees exactly the accepted lines, whole and
 * in order, with a notice before the first line after each run of drops. */
static void test_random_against_model(void **state)
{
    (void)state;
    static char buf[256];
    static char want[1 << 20];
    size_t nwant = 0;
    uint64_t pending_drop = 0, dropped = 0;
    struct conring r;
    conring_init(&r, buf, sizeof(buf));
    uart.n = 0;
    uint32_t seed = 12345;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        char line[80];
        int len = snprintf(line, sizeof(line), "%d:%.*s\n", i, (int)(seed >> 26),
                           "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl");
        size_t room = sizeof(buf) - conring_used(&r);
        char note[64];
        int nlen = snprintf(note, sizeof(note), "emv: console: %llu bytes dropped\r\n",
                            (unsigned long long)pending_drop);
        if (pending_drop && (size_t)nlen <= room) {
            memcpy(want + nwant, note, (size_t)nlen);
            nwant += (size_t)nlen;
            room -= (size_t)nlen;
            pending_drop = 0;
        }
        bool fits = (size_t)len + 1 <= room;
        assert_int_equal(put1(&r, line), fits);
        if (fits) {
            memcpy(want + nwant, line, (size_t)len - 1);
            memcpy(want + nwant + len - 1, "\r\n", 2);
            nwant += (size_t)len + 1;
        } else {
            pending_drop += (size_t)len + 1;
            dropped += (size_t)len + 1;
        }
        uart.room = (seed >> 8) % 64; /* a UART that is sometimes slower than the writers */
        conring_drain(&r, fake_tx, &uart, UINT32_MAX);
    }
    drain_all(&r);
    assert_true(dropped > 0); /* the run did exercise drops */
    assert_int_equal(r.dropped_total, dropped);
    assert_int_equal(uart.n, nwant);
    assert_memory_equal(uart.out, want, nwant);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pieces_and_newlines),
        cmocka_unit_test(test_drain_stops_when_uart_is_full),
        cmocka_unit_test(test_full_ring_drops_whole_lines_and_says_so),
        cmocka_unit_test(test_random_against_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
