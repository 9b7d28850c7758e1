/* SPDX-License-Identifier: MIT */
/* test_ring.c - I/O rings: batches, index wrap-around, notification suppression, no lost
 * wake-up, every protocol violation, and a long ping-pong. Built with -DRING_HOOK. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emv/ring.h"

#define PAGE 4096
#define SLOTS 32 /* what one 4 KiB page holds */

static _Alignas(64) uint8_t page[PAGE];
static struct ring_front fr;
static struct ring_back bk;

/*
 * The hook runs a model of the peer, one step at a time: step k runs just before the
 * side under test makes its index access number model_at[k] (or after the call, for the
 * number of accesses the call makes). Off when model_n is 0.
 */
static void (*model[3])(void);
static unsigned model_at[3];
static unsigned model_n, model_next, accesses;

void ring_hook(const volatile uint32_t *p, bool write)
{
    (void)p;
    (void)write;
    while (model_next < model_n && model_at[model_next] == accesses)
        model[model_next++]();
    accesses++;
}

static void hook_off(void)
{
    model_n = model_next = accesses = 0;
}

/* The steps placed after the call; a call that made fewer than @n accesses (it returned
 * early) runs the steps meant for the missing ones after it, which is one more valid order. */
static void model_finish(unsigned n)
{
    assert_true(accesses <= n);
    while (model_next < model_n)
        model[model_next++]();
    hook_off();
}

static volatile struct ring_shared *sh(void)
{
    return (volatile struct ring_shared *)page;
}

static void setup_at(uint32_t start)
{
    hook_off();
    memset(page, 0xa5, sizeof(page));
    assert_int_equal(ring_front_init(&fr, page, PAGE, start), 0);
    assert_int_equal(ring_back_init(&bk, page, PAGE, start), 0);
}

static struct ring_req mkreq(uint64_t id)
{
    struct ring_req r = {.id = id, .op = (uint32_t)(id * 7), .len = (uint32_t)(id % 49)};
    for (unsigned i = 0; i < RING_DATA_SIZE; i++)
        r.data[i] = (uint8_t)(id + i);
    return r;
}

/* The back-end's answer: derived from the whole request, so a wrong slot shows. */
static struct ring_rsp answer(const struct ring_req *q)
{
    struct ring_rsp r = {.id = q->id, .status = (int32_t)(q->op ^ 0x55), .len = q->len};
    for (unsigned i = 0; i < RING_DATA_SIZE; i++)
        r.data[i] = (uint8_t)~q->data[RING_DATA_SIZE - 1 - i];
    return r;
}

static void check_req(const struct ring_req *got, uint64_t id)
{
    struct ring_req want = mkreq(id);
    assert_memory_equal(got, &want, sizeof(want));
}

static void check_rsp(const struct ring_rsp *got, uint64_t id)
{
    struct ring_req q = mkreq(id);
    struct ring_rsp want = answer(&q);
    assert_memory_equal(got, &want, sizeof(want));
}

/* One round trip of @n requests with ids from @id; both sides sleep armed at the end. */
static void round_trip(uint32_t n, uint64_t id)
{
    struct ring_req q[SLOTS] = {0}, got[SLOTS];
    struct ring_rsp a[SLOTS] = {0}, back[SLOTS];
    for (uint32_t i = 0; i < n; i++)
        q[i] = mkreq(id + i);
    assert_int_equal(ring_front_put(&fr, q, n), n);
    assert_int_equal(ring_front_push(&fr), 1); /* the back-end was asleep */
    assert_int_equal(ring_back_take(&bk, got, SLOTS), n);
    for (uint32_t i = 0; i < n; i++) {
        check_req(&got[i], id + i);
        a[i] = answer(&got[i]);
    }
    assert_int_equal(ring_back_final_check(&bk), 0);
    assert_int_equal(ring_back_put(&bk, a, n), n);
    assert_int_equal(ring_back_push(&bk), 1);
    assert_int_equal(ring_front_take(&fr, back, SLOTS), n);
    for (uint32_t i = 0; i < n; i++)
        check_rsp(&back[i], id + i);
    assert_int_equal(ring_front_final_check(&fr), 0);
}

static void test_geometry(void **state)
{
    (void)state;
    assert_int_equal(ring_slots(PAGE), 32); /* 63 fit: rounded down to a power of two */
    assert_int_equal(ring_slots(64 + 64), 1);
    assert_int_equal(ring_slots(127), 0);
    assert_int_equal(ring_slots(64 + 64 * 64), 64);
    assert_int_equal(ring_slots((size_t)1 << 30), RING_MAX_SLOTS);
    assert_int_equal(ring_front_init(&fr, page, 100, 0), -RING_EINVAL);
    assert_int_equal(ring_back_init(&bk, page + 8, PAGE - 8, 0), -RING_EINVAL);
}

static void test_batches(void **state)
{
    (void)state;
    static const uint32_t sizes[] = {1, 8, 32};
    setup_at(0);
    uint64_t id = 1;
    for (unsigned rep = 0; rep < 5; rep++)
        for (unsigned s = 0; s < 3; s++) {
            round_trip(sizes[s], id);
            id += sizes[s];
        }
}

static void test_full_and_owed(void **state)
{
    (void)state;
    struct ring_req q[SLOTS + 4], got[SLOTS];
    struct ring_rsp a[SLOTS + 4];
    setup_at(0);
    for (unsigned i = 0; i < SLOTS + 4; i++)
        q[i] = mkreq(i);
    assert_int_equal(ring_front_put(&fr, q, SLOTS + 4), SLOTS); /* no more room than slots */
    assert_int_equal(ring_front_free(&fr), 0);
    assert_int_equal(ring_front_put(&fr, q, 1), 0);
    ring_front_push(&fr);
    assert_int_equal(ring_back_take(&bk, got, 5), 5);
    for (unsigned i = 0; i < 5; i++)
        a[i] = answer(&got[i]);
    a[5] = a[0];
    assert_int_equal(ring_back_put(&bk, a, 6), 5); /* only what was taken is owed */
    ring_back_push(&bk);
    assert_int_equal(ring_front_free(&fr), 0); /* room comes back when responses are taken */
    struct ring_rsp r[SLOTS];
    assert_int_equal(ring_front_take(&fr, r, SLOTS), 5);
    assert_int_equal(ring_front_free(&fr), 5);
}

/* Free-running indices cross 2^32 in the middle of batches. */
static void test_wrap_around(void **state)
{
    (void)state;
    uint32_t start = UINT32_MAX - 40;
    setup_at(start);
    uint64_t id = 0;
    for (unsigned rep = 0; rep < 6; rep++) {
        round_trip(13, id);
        id += 13;
    }
    assert_true(fr.req_prod_pvt < start); /* wrapped, and still all correct */
    assert_int_equal(fr.req_prod_pvt, (uint32_t)(start + 78));
    assert_int_equal(sh()->rsp_prod, (uint32_t)(start + 78));
}

/*
 * A busy back-end takes one request per step while the front-end pushes one per step: it
 * never finds the ring empty, so it never re-arms, and 32 requests cost one notification.
 */
static unsigned busy_consumer_run(bool rearm_each)
{
    struct ring_req got;
    unsigned notes = 0;
    bool awake = false;
    for (uint64_t i = 0; i < SLOTS; i++) {
        struct ring_req q = mkreq(i);
        assert_int_equal(ring_front_put(&fr, &q, 1), 1);
        if (ring_front_push(&fr) == 1) {
            notes++;
            awake = true;
        }
        if (!awake)
            continue;
        assert_int_equal(ring_back_take(&bk, &got, 1), 1);
        check_req(&got, i);
        if (rearm_each) /* a consumer that goes to sleep after each request */
            awake = ring_back_final_check(&bk) == 1;
    }
    return notes;
}

static void test_notification_suppression(void **state)
{
    (void)state;
    setup_at(0);
    unsigned busy = busy_consumer_run(false);
    assert_int_equal(busy, 1);
    assert_int_equal(ring_back_final_check(&bk), 0); /* now idle: armed for the next one */
    struct ring_rsp a[SLOTS], r[SLOTS];
    for (unsigned i = 0; i < SLOTS; i++) {
        struct ring_req q = mkreq(i);
        a[i] = answer(&q);
    }
    /* Responses: the front-end also stays busy, one notification for the lot. */
    unsigned rnotes = 0;
    for (unsigned i = 0; i < SLOTS; i++) {
        assert_int_equal(ring_back_put(&bk, &a[i], 1), 1);
        rnotes += (unsigned)ring_back_push(&bk);
        assert_int_equal(ring_front_take(&fr, &r[i], 1), 1);
        check_rsp(&r[i], i);
    }
    assert_int_equal(rnotes, 1);
    /* The baseline: a consumer that sleeps after every request is woken for every one. */
    setup_at(0);
    assert_int_equal(busy_consumer_run(true), SLOTS);
}

/*
 * No lost wake-up. One side runs the real call; the other is a model of its index accesses,
 * the same ones in the same order as ring.c makes them, whose steps the hook runs between the
 * real side's accesses: every interleaving of the two (the barriers make them sequentially
 * consistent). Whatever the order, a request pushed while the back-end goes to sleep is either
 * seen by its final check or notified by the push.
 */
static uint32_t p_old, p_new;
static int p_notify;
static int c_phase, c_sleep;

/* The front-end's push after its slot is written: W req_prod, then R req_event. */
static void producer_w(void)
{
    sh()->req_prod = p_new;
}

static void producer_r(void)
{
    uint32_t ev = sh()->req_event;
    p_notify = (uint32_t)(p_new - ev) < (uint32_t)(p_new - p_old);
}

/* The back-end's final check on an empty ring: R req_prod, W req_event, R req_prod. */
static void consumer_step(void)
{
    if (c_phase == 0)
        c_sleep = sh()->req_prod == bk.req_cons;
    else if (c_phase == 1 && c_sleep)
        sh()->req_event = bk.req_cons + 1;
    else if (c_phase == 2 && c_sleep)
        c_sleep = sh()->req_prod == bk.req_cons;
    c_phase++;
}

/* One request served, the back-end gone idle with a stale event index, the next request
 * written but not pushed. */
static void idle_ring(void)
{
    struct ring_req q = mkreq(1), got;
    setup_at(0);
    ring_front_put(&fr, &q, 1);
    ring_front_push(&fr);
    ring_back_take(&bk, &got, 1);
    ring_front_put(&fr, &q, 1);
    p_old = fr.req_pushed;
    p_new = fr.req_prod_pvt;
    p_notify = -1;
    c_phase = 0;
    c_sleep = -1;
    hook_off();
}

static void test_no_lost_wakeup_real_consumer(void **state)
{
    (void)state;
    unsigned runs = 0;
    for (unsigned i = 0; i <= 3; i++)
        for (unsigned j = i; j <= 3; j++) {
            idle_ring();
            model[0] = producer_w;
            model[1] = producer_r;
            model_at[0] = i;
            model_at[1] = j;
            model_n = 2;
            int sleep = ring_back_final_check(&bk) == 0;
            model_finish(3);
            assert_true(p_notify == 0 || p_notify == 1);
            assert_true(!sleep || p_notify == 1);
            runs++;
        }
    assert_int_equal(runs, 10); /* C(5, 2): every interleaving of 3 and 2 steps */
}

static void test_no_lost_wakeup_real_producer(void **state)
{
    (void)state;
    unsigned runs = 0;
    for (unsigned i = 0; i <= 2; i++)
        for (unsigned j = i; j <= 2; j++)
            for (unsigned k = j; k <= 2; k++) {
                idle_ring();
                model[0] = model[1] = model[2] = consumer_step;
                model_at[0] = i;
                model_at[1] = j;
                model_at[2] = k;
                model_n = 3;
                int notify = ring_front_push(&fr);
                model_finish(2);
                assert_int_equal(c_phase, 3);
                assert_true(!c_sleep || notify == 1);
                runs++;
            }
    assert_int_equal(runs, 10);
}

/* The first violation is reported as itself and kills the ring: every call after it fails. */
static void assert_dead(void)
{
    struct ring_req q = mkreq(0);
    struct ring_rsp r = {0};
    assert_int_equal(ring_back_take(&bk, &q, 1), -RING_EBROKEN);
    assert_int_equal(ring_back_put(&bk, &r, 1), -RING_EBROKEN);
    assert_int_equal(ring_back_push(&bk), -RING_EBROKEN);
    assert_int_equal(ring_back_final_check(&bk), -RING_EBROKEN);
    assert_false(ring_is_violation(-RING_EBROKEN));
}

static void assert_front_dead(void)
{
    struct ring_req q = mkreq(0);
    struct ring_rsp r;
    assert_int_equal(ring_front_put(&fr, &q, 1), -RING_EBROKEN);
    assert_int_equal(ring_front_push(&fr), -RING_EBROKEN);
    assert_int_equal(ring_front_take(&fr, &r, 1), -RING_EBROKEN);
    assert_int_equal(ring_front_final_check(&fr), -RING_EBROKEN);
    assert_int_equal(ring_front_free(&fr), 0);
}

/* A hostile front-end: req_prod more than the ring ahead of what the back-end answered. */
static void test_violation_req_ahead(void **state)
{
    (void)state;
    struct ring_req got[SLOTS];
    setup_at(UINT32_MAX - 3);
    sh()->req_prod = UINT32_MAX - 3 + SLOTS; /* exactly full: legal */
    assert_int_equal(ring_back_take(&bk, got, 2), 2);
    sh()->req_prod = UINT32_MAX - 3 + SLOTS + 1; /* one slot more than exists */
    int r = ring_back_take(&bk, got, SLOTS);
    assert_int_equal(r, -RING_EAHEAD);
    assert_true(ring_is_violation(r));
    assert_dead();
    /* Slots taken but not answered still count: they are not free for new requests. */
    setup_at(0);
    sh()->req_prod = SLOTS;
    assert_int_equal(ring_back_take(&bk, got, SLOTS), SLOTS);
    sh()->req_prod = SLOTS + 1;
    assert_int_equal(ring_back_final_check(&bk), -RING_EAHEAD);
}

static void test_violation_req_behind(void **state)
{
    (void)state;
    struct ring_req got[SLOTS];
    setup_at(5);
    sh()->req_prod = 9;
    assert_int_equal(ring_back_take(&bk, got, 1), 1);
    sh()->req_prod = 8; /* backwards, though still ahead of what was taken */
    assert_int_equal(ring_back_take(&bk, got, 1), -RING_EBEHIND);
    assert_dead();
    setup_at(5);
    sh()->req_prod = 4; /* behind the consumer */
    assert_int_equal(ring_back_final_check(&bk), -RING_EBEHIND);
}

/* A hostile back-end: responses for requests never pushed, too many, or going backwards. */
static void test_violation_responses(void **state)
{
    (void)state;
    struct ring_req q[3] = {mkreq(1), mkreq(2), mkreq(3)};
    struct ring_rsp r[SLOTS];
    setup_at(0);
    sh()->rsp_prod = 1; /* nothing outstanding at all */
    assert_int_equal(ring_front_take(&fr, r, 1), -RING_EUNSOL);
    assert_front_dead();

    setup_at(0);
    ring_front_put(&fr, q, 3);
    ring_front_push(&fr);
    ring_front_put(&fr, q, 0);
    sh()->rsp_prod = 3; /* all three answered: legal */
    assert_int_equal(ring_front_take(&fr, r, 1), 1);
    assert_int_equal(ring_front_put(&fr, q, 1), 1); /* written, not pushed */
    sh()->rsp_prod = 4;                             /* an answer to the unpushed one */
    assert_int_equal(ring_front_final_check(&fr), -RING_EUNSOL);

    setup_at(0);
    sh()->rsp_prod = SLOTS + 1;
    assert_int_equal(ring_front_take(&fr, r, 1), -RING_EAHEAD);

    setup_at(0);
    ring_front_put(&fr, q, 3);
    ring_front_push(&fr);
    sh()->rsp_prod = 2;
    assert_int_equal(ring_front_take(&fr, r, 1), 1);
    sh()->rsp_prod = 1; /* backwards */
    assert_int_equal(ring_front_take(&fr, r, 1), -RING_EBEHIND);
    assert_front_dead();
}

/* Neither side reads back an index it owns: the peer scribbling on it changes nothing. */
static void test_own_indices_private(void **state)
{
    (void)state;
    struct ring_req q = mkreq(7), got;
    struct ring_rsp a, r;
    setup_at(0);
    ring_front_put(&fr, &q, 1);
    ring_front_push(&fr);
    sh()->rsp_prod = 0x1234; /* the front-end writing the back-end's index */
    sh()->req_event = 0x777;
    assert_int_equal(ring_back_take(&bk, &got, 1), 1);
    a = answer(&got);
    assert_int_equal(ring_back_put(&bk, &a, 1), 1);
    ring_back_push(&bk);
    assert_int_equal(sh()->rsp_prod, 1);
    sh()->req_prod = 1; /* and the other way round: harmless rewrites of the same value */
    assert_int_equal(ring_front_take(&fr, &r, 1), 1);
    check_rsp(&r, 7);
    sh()->req_prod = 0x4321;
    ring_front_put(&fr, &q, 1);
    ring_front_push(&fr);
    assert_int_equal(sh()->req_prod, 2);
}

/* A slot is copied once: the peer changing it after the take changes nothing taken. */
static void test_copied_out(void **state)
{
    (void)state;
    struct ring_req q = mkreq(9), got;
    setup_at(0);
    ring_front_put(&fr, &q, 1);
    ring_front_push(&fr);
    assert_int_equal(ring_back_take(&bk, &got, 1), 1);
    memset(page + RING_SLOT_SIZE, 0xee, RING_SLOT_SIZE);
    check_req(&got, 9);
}

/* ---- rings with larger slots (a protocol's own slot size) ------------------------------ */

#define BIG 256     /* the admission protocol's slot size */
#define BIG_SLOTS 8 /* (4096 - 64) / 256 = 15 fit: rounded down */

struct big {
    uint64_t w[BIG / 8];
};

static struct big mkbig(uint64_t id, uint64_t salt)
{
    struct big b;
    for (unsigned i = 0; i < BIG / 8; i++)
        b.w[i] = id * 0x9e3779b97f4a7c15u + i + salt;
    return b;
}

static void test_sized_geometry(void **state)
{
    (void)state;
    assert_int_equal(ring_slots_sized(PAGE, BIG), BIG_SLOTS);
    assert_int_equal(ring_slots_sized(PAGE, 64), 32);
    assert_int_equal(ring_slots_sized(PAGE, RING_SLOT_MAX), 0); /* header + one 4 KiB slot */
    assert_int_equal(ring_slots_sized(64 + RING_SLOT_MAX, RING_SLOT_MAX), 1);
    assert_int_equal(ring_slots_sized(64 + BIG - 1, BIG), 0);
    assert_int_equal(ring_slots_sized(64 + BIG, BIG), 1);
    /* Not a power of two, too small, too large: refused. */
    assert_int_equal(ring_slots_sized(PAGE, 192), 0);
    assert_int_equal(ring_slots_sized(PAGE, 32), 0);
    assert_int_equal(ring_slots_sized(1 << 20, 2 * RING_SLOT_MAX), 0);
    assert_int_equal(ring_front_init_sized(&fr, page, PAGE, 0, 192), -RING_EINVAL);
    assert_int_equal(ring_back_init_sized(&bk, page, PAGE, 0, 0), -RING_EINVAL);
    assert_int_equal(ring_back_init_sized(&bk, page + 64, 128, 0, BIG), -RING_EINVAL);
}

static void setup_big(uint32_t start)
{
    hook_off();
    memset(page, 0xa5, sizeof(page));
    assert_int_equal(ring_front_init_sized(&fr, page, PAGE, start, BIG), 0);
    assert_int_equal(ring_back_init_sized(&bk, page, PAGE, start, BIG), 0);
}

/* Batches of every size across the 2^32 wrap; every word of every entry arrives, in its own
 * slot, and the slots lie where the layout says. */
static void test_sized_round_trips(void **state)
{
    (void)state;
    static struct big q[BIG_SLOTS], got[BIG_SLOTS], a[BIG_SLOTS], back[BIG_SLOTS];
    setup_big(UINT32_MAX - 20);
    uint64_t id = 0;
    for (unsigned rep = 0; rep < 20; rep++) {
        uint32_t n = rep % BIG_SLOTS + 1;
        for (uint32_t i = 0; i < n; i++)
            q[i] = mkbig(id + i, 0);
        assert_int_equal(ring_front_free(&fr), BIG_SLOTS);
        assert_int_equal(ring_front_put_slots(&fr, q, n), n);
        /* Slot of request k at 64 + (k mod 8) * 256. */
        uint32_t k = fr.req_prod_pvt - n;
        assert_memory_equal(page + 64 + (size_t)(k & (BIG_SLOTS - 1)) * BIG, &q[0], BIG);
        assert_int_equal(ring_front_push(&fr), 1);
        assert_int_equal(ring_back_take_slots(&bk, got, BIG_SLOTS), n);
        for (uint32_t i = 0; i < n; i++) {
            assert_memory_equal(&got[i], &q[i], BIG);
            a[i] = mkbig(id + i, 1);
        }
        assert_int_equal(ring_back_final_check(&bk), 0);
        assert_int_equal(ring_back_put_slots(&bk, a, n + 3), n); /* only what is owed */
        assert_int_equal(ring_back_push(&bk), 1);
        assert_int_equal(ring_front_take_slots(&fr, back, BIG_SLOTS), n);
        for (uint32_t i = 0; i < n; i++)
            assert_memory_equal(&back[i], &a[i], BIG);
        assert_int_equal(ring_front_final_check(&fr), 0);
        id += n;
    }
}

/* The typed calls move 64-byte entries: on a ring of larger slots they refuse. */
static void test_sized_typed_refused(void **state)
{
    (void)state;
    struct ring_req q = mkreq(1), got;
    struct ring_rsp r;
    setup_big(0);
    assert_int_equal(ring_front_put(&fr, &q, 1), -RING_EINVAL);
    assert_int_equal(ring_back_take(&bk, &got, 1), -RING_EINVAL);
    assert_int_equal(ring_back_put(&bk, &r, 1), -RING_EINVAL);
    assert_int_equal(ring_front_take(&fr, &r, 1), -RING_EINVAL);
    /* and a 64-byte ring refuses nothing through the *_slots calls */
    setup_at(0);
    assert_int_equal(ring_front_put_slots(&fr, &q, 1), 1);
    /* a full big ring takes no more than its slots */
    static struct big many[BIG_SLOTS + 1];
    setup_big(0);
    assert_int_equal(ring_front_put_slots(&fr, many, BIG_SLOTS + 1), BIG_SLOTS);
}

/* The checks count slots of the ring's own size: one request more than 8 in flight is a
 * violation, 8 are not; and a hostile producer index never makes the back-end copy. */
static void test_sized_violations(void **state)
{
    (void)state;
    static struct big got[BIG_SLOTS];
    setup_big(0);
    sh()->req_prod = BIG_SLOTS;
    assert_int_equal(ring_back_take_slots(&bk, got, BIG_SLOTS), BIG_SLOTS);
    assert_int_equal(ring_back_put_slots(&bk, got, 3), 3);
    sh()->req_prod = BIG_SLOTS + 3; /* 8 in flight again: legal */
    assert_int_equal(ring_back_take_slots(&bk, got, 1), 1);
    sh()->req_prod = BIG_SLOTS + 4; /* 9 */
    assert_int_equal(ring_back_take_slots(&bk, got, 1), -RING_EAHEAD);
    assert_int_equal(ring_back_take_slots(&bk, got, 1), -RING_EBROKEN);
    assert_int_equal(ring_back_put_slots(&bk, got, 1), -RING_EBROKEN);
    assert_int_equal(ring_back_push(&bk), -RING_EBROKEN);
    setup_big(100);
    memset(got, 0x77, sizeof got);
    sh()->req_prod = 0x80000000u;
    assert_int_equal(ring_back_take_slots(&bk, got, BIG_SLOTS), -RING_EAHEAD);
    assert_int_equal(((uint8_t *)got)[0], 0x77); /* nothing copied */
    setup_big(100);
    sh()->req_prod = 99;
    assert_int_equal(ring_back_final_check(&bk), -RING_EBEHIND);
}

/* 10,000 requests, one at a time, front and back alternating in one thread. */
static void test_ping_pong(void **state)
{
    (void)state;
    enum { N = 10000 };
    static uint8_t seen[N];
    memset(seen, 0, sizeof(seen));
    setup_at(UINT32_MAX - 5000); /* and across the wrap on the way */
    unsigned front_notes = 0, back_notes = 0;
    for (uint64_t id = 0; id < N; id++) {
        struct ring_req q = mkreq(id), got;
        struct ring_rsp a, r;
        assert_int_equal(ring_front_put(&fr, &q, 1), 1);
        back_notes += (unsigned)ring_front_push(&fr);
        assert_int_equal(ring_back_take(&bk, &got, 1), 1);
        assert_int_equal(ring_back_final_check(&bk), 0);
        a = answer(&got);
        assert_int_equal(ring_back_put(&bk, &a, 1), 1);
        front_notes += (unsigned)ring_back_push(&bk);
        assert_int_equal(ring_front_take(&fr, &r, 1), 1);
        assert_int_equal(ring_front_final_check(&fr), 0);
        assert_true(r.id < N);
        assert_int_equal(seen[r.id], 0);
        seen[r.id] = 1;
        check_rsp(&r, id);
    }
    for (unsigned i = 0; i < N; i++)
        assert_int_equal(seen[i], 1);
    /* Both sides slept after every exchange: each one needed its notification. */
    assert_int_equal(back_notes, N);
    assert_int_equal(front_notes, N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometry),
        cmocka_unit_test(test_batches),
        cmocka_unit_test(test_full_and_owed),
        cmocka_unit_test(test_wrap_around),
        cmocka_unit_test(test_notification_suppression),
        cmocka_unit_test(test_no_lost_wakeup_real_consumer),
        cmocka_unit_test(test_no_lost_wakeup_real_producer),
        cmocka_unit_test(test_violation_req_ahead),
        cmocka_unit_test(test_violation_req_behind),
        cmocka_unit_test(test_violation_responses),
        cmocka_unit_test(test_own_indices_private),
        cmocka_unit_test(test_copied_out),
        cmocka_unit_test(test_ping_pong),
        cmocka_unit_test(test_sized_geometry),
        cmocka_unit_test(test_sized_round_trips),
        cmocka_unit_test(test_sized_typed_refused),
        cmocka_unit_test(test_sized_violations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
