/* SPDX-License-Identifier: MIT */
/* test_conring.c - the console output ring: whole lines or nothing, order, bounded drains,
 * per-writer shares. */
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
static uint8_t who[1 << 16];
static struct conring_owner owners[4];

/* A ring of @size bytes at @buf with the hypervisor and @writers writers (1..). */
static void ring_init(struct conring *r, char *buf, uint32_t size, unsigned writers)
{
    static const char *const names[] = {"hypervisor", "w1", "w2", "w3"};
    for (unsigned i = 0; i < 4; i++)
        owners[i] = (struct conring_owner){.name = names[i]};
    conring_init(r, buf, who, size, owners, writers + 1);
    uart.n = 0;
}

static bool put_as(struct conring *r, unsigned owner, const char *s)
{
    struct conring_piece p = {s, strlen(s)};
    return conring_put(r, owner, &p, 1);
}

static bool put1(struct conring *r, const char *s)
{
    return put_as(r, 0, s);
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
    ring_init(&r, buf, sizeof(buf), 0);
    const struct conring_piece p[] = {{"[vm] ", 5}, {"hello", 5}, {"\n", 1}};
    assert_true(conring_put(&r, 0, p, 3));
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
    ring_init(&r, buf, sizeof(buf), 0);
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
    ring_init(&r, buf, sizeof(buf), 0);
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
    const char *want = "emv: console: 41 bytes dropped (hypervisor)\r\nok\r\n";
    assert_int_equal(uart.n, 41 + strlen(want));
    assert_memory_equal(uart.out + 41, want, strlen(want));
    assert_int_equal(owners[0].dropped, 0);
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
    ring_init(&r, buf, sizeof(buf), 0);
    uint32_t seed = 12345;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        char line[80];
        int len = snprintf(line, sizeof(line), "%d:%.*s\n", i, (int)(seed >> 26),
                           "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl");
        size_t room = sizeof(buf) - conring_used(&r);
        char note[64];
        int nlen = snprintf(note, sizeof(note), "emv: console: %llu bytes dropped (hypervisor)\r\n",
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

/* Queue @line as @owner until it is refused; returns how many went in. */
static int flood(struct conring *r, unsigned owner, const char *line)
{
    int n = 0;
    while (put_as(r, owner, line))
        n++;
    return n;
}

/* Writer 1 floods a 256-byte ring (no drain): it stops at its share (224 / 2 = 112 bytes),
 * writer 2 still gets all of its own, and the notice about writer 1 comes out of writer 1's
 * share once that drains, before writer 1's next line. */
static void test_flooder_cannot_take_anothers_share(void **state)
{
    (void)state;
    static char buf[256];
    struct conring r;
    ring_init(&r, buf, sizeof(buf), 2);
    const char *line = "0123456789abcdefghi\n"; /* 21 bytes queued */
    assert_int_equal(flood(&r, 1, line), 112 / 21);
    assert_int_equal(owners[1].held, 112 / 21 * 21);
    assert_false(put_as(&r, 1, line));
    assert_int_equal(owners[1].dropped_total, 2 * 21);
    assert_int_equal(flood(&r, 2, line), 112 / 21); /* its whole share, untouched */
    assert_int_equal(owners[2].dropped_total, 21);  /* only the one that did not fit */
    assert_int_equal(r.dropped_total, 3 * 21);
    drain_all(&r);
    assert_int_equal(owners[1].held + owners[2].held, 0);
    assert_true(put_as(&r, 1, "back\n"));
    drain_all(&r);
    const char *want = "emv: console: 42 bytes dropped (w1)\r\n"
                       "emv: console: 21 bytes dropped (w2)\r\nback\r\n";
    assert_int_equal(uart.n, 2 * 5 * 21 + strlen(want));
    assert_memory_equal(uart.out + 2 * 5 * 21, want, strlen(want));
    assert_int_equal(owners[1].dropped + owners[2].dropped, 0);
    assert_int_equal(owners[1].dropped_total, 42); /* the totals stay for the report */
}

/* Three writers at their shares, with notices pending that do not fit: the hypervisor's line
 * still fits (the reserve, 256 / 8 bytes), and its notices never used the reserve. */
static void test_hypervisor_lines_always_fit(void **state)
{
    (void)state;
    static char buf[256];
    struct conring r;
    ring_init(&r, buf, sizeof(buf), 3);
    for (unsigned w = 1; w <= 3; w++) {
        flood(&r, w, "x\n");
        assert_false(put_as(&r, w, "0123456789\n")); /* drops pending */
        assert_true(owners[w].held <= owners[w].limit);
    }
    char line[31];
    memset(line, 'h', 29);
    line[29] = '\n';
    line[30] = 0;
    assert_true(put1(&r, line)); /* 31 bytes queued, of 256 - 3 * 74 = 34 left */
    assert_int_equal(owners[0].held, 31);
    assert_int_equal(owners[0].dropped_total, 0);
    for (unsigned w = 1; w <= 3; w++)
        assert_int_equal(owners[w].dropped, 3 + 12); /* pending: no room in its share */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pieces_and_newlines),
        cmocka_unit_test(test_drain_stops_when_uart_is_full),
        cmocka_unit_test(test_full_ring_drops_whole_lines_and_says_so),
        cmocka_unit_test(test_random_against_model),
        cmocka_unit_test(test_flooder_cannot_take_anothers_share),
        cmocka_unit_test(test_hypervisor_lines_always_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
