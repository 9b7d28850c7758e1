/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ring.c - libFuzzer target: one real side of a ring against a hostile peer whose every
 * move comes from the input: the initial content of the shared region, then any sequence of
 * writes to any word of it (indices, events, slots) mixed with the real side's calls.
 *
 * An independent model (absolute 64-bit counters, no modular tricks) says what each call must
 * return: the number of entries a legal peer index allows, with exactly the slot contents that
 * were in shared memory, or the violation the peer committed, after which only -RING_EBROKEN.
 * AddressSanitizer sees the region at its exact size, so any slot index out of range is found.
 * The slot size comes from the input too: 64 bytes (the typed calls) or a protocol's larger
 * size, 128 to 4096 (the *_sized and *_slots calls; admission uses 256).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emv/ring.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "fuzz_ring: %s:%d: %s\n", __FILE__, __LINE__, #c);                     \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

struct input {
    const uint8_t *p;
    size_t n;
};

static uint8_t next8(struct input *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

static uint32_t next32(struct input *in)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | next8(in);
    return v;
}

/* The run: the region, the real side, and the model's view in absolute counts from start. */
struct run {
    struct input in;
    volatile struct ring_shared *sh;
    size_t bytes;
    uint32_t slots, start;
    uint32_t slot_size; /* bytes per slot: 64 (typed calls) or larger (*_slots calls) */
    bool front;         /* the real side is the front-end (else the back-end) */
    struct ring_front f;
    struct ring_back b;
    uint64_t put, pushed, cons, seen; /* the real side's own and accepted peer counts */
    int dead;                         /* 0, or the violation already reported */
};

/* The peer's producer index as the model judges it: a violation code, or 0 and @abs. */
static int judge(const struct run *r, uint32_t prod, uint64_t *abs)
{
    uint32_t delta = prod - (uint32_t)(r->start + r->seen);
    if (delta >= 0x80000000u)
        return RING_EBEHIND;
    *abs = r->seen + delta;
    /* Back-end: in flight = pushed by the peer - answered by us (r->put counts answers). */
    if (!r->front)
        return *abs - r->put > r->slots ? RING_EAHEAD : 0;
    if (*abs - r->cons > r->slots)
        return RING_EAHEAD;
    return *abs > r->pushed ? RING_EUNSOL : 0;
}

static volatile uint32_t *peer_prod(struct run *r)
{
    return r->front ? &r->sh->rsp_prod : &r->sh->req_prod;
}

/* What a call that looks at the peer's index must return, given that index now. */
static int expect_pending(struct run *r, uint64_t *abs)
{
    if (r->dead)
        return -RING_EBROKEN;
    int v = judge(r, *peer_prod(r), abs);
    if (v) {
        r->dead = v;
        return -v;
    }
    r->seen = *abs;
    return (int)(*abs - r->cons);
}

/* Room for the largest batch a call may be asked for (slots + 1 entries, the slots holding at
 * most 4 KiB) at any slot size. */
#define BATCH_BYTES (2 * 4096)

static const uint8_t *slot_bytes(const struct run *r, uint32_t i)
{
    return (const uint8_t *)r->sh + RING_SLOT_SIZE + (size_t)i * r->slot_size;
}

static void do_take(struct run *r)
{
    uint32_t max = next8(&r->in) % (r->slots + 2);
    static _Alignas(64) uint8_t out[BATCH_BYTES], snap[BATCH_BYTES];
    uint64_t abs = 0;
    /* Single-threaded: the region cannot change during the call, so snapshot it first. */
    memcpy(snap, slot_bytes(r, 0), (size_t)r->slots * r->slot_size);
    int want = expect_pending(r, &abs);
    int got;
    if (r->slot_size == RING_SLOT_SIZE)
        got = r->front ? ring_front_take(&r->f, (struct ring_rsp *)out, max)
                       : ring_back_take(&r->b, (struct ring_req *)out, max);
    else
        got = r->front ? ring_front_take_slots(&r->f, out, max)
                       : ring_back_take_slots(&r->b, out, max);
    if (want > 0 && (uint32_t)want > max)
        want = (int)max;
    CHECK(got == want);
    for (int i = 0; i < got; i++) {
        uint32_t slot = (r->start + (uint32_t)r->cons + (uint32_t)i) & (r->slots - 1);
        CHECK(!memcmp(out + (size_t)i * r->slot_size, snap + (size_t)slot * r->slot_size,
                      r->slot_size));
    }
    if (got > 0)
        r->cons += (uint64_t)got;
}

static void do_final_check(struct run *r)
{
    uint64_t abs = 0;
    int want = expect_pending(r, &abs);
    int got = r->front ? ring_front_final_check(&r->f) : ring_back_final_check(&r->b);
    if (want > 0)
        want = 1;
    CHECK(got == want);
    if (got == 0) { /* armed for the next entry after what was taken */
        uint32_t ev = r->front ? r->sh->rsp_event : r->sh->req_event;
        CHECK(ev == (uint32_t)(r->start + r->cons + 1));
    }
}

/* The real side produces: requests (front) or answers to requests taken (back), then push. */
static void do_produce(struct run *r)
{
    uint32_t n = next8(&r->in) % (r->slots + 2);
    static _Alignas(64) uint8_t in[BATCH_BYTES];
    memset(in, 0x5a, sizeof(in));
    uint64_t room = r->front ? r->slots - (r->put - r->cons) : r->cons - r->put;
    int want = r->dead ? -RING_EBROKEN : (int)(n < room ? n : room);
    int got;
    if (r->slot_size == RING_SLOT_SIZE)
        got = r->front ? ring_front_put(&r->f, (const struct ring_req *)in, n)
                       : ring_back_put(&r->b, (const struct ring_rsp *)in, n);
    else
        got = r->front ? ring_front_put_slots(&r->f, in, n) : ring_back_put_slots(&r->b, in, n);
    CHECK(got == want);
    if (got > 0)
        r->put += (uint64_t)got;
    uint32_t ev = r->front ? r->sh->req_event : r->sh->rsp_event;
    uint32_t old = (uint32_t)(r->start + r->pushed), now = (uint32_t)(r->start + r->put);
    got = r->front ? ring_front_push(&r->f) : ring_back_push(&r->b);
    want = r->dead ? -RING_EBROKEN : (uint32_t)(now - ev) < (uint32_t)(now - old);
    CHECK(got == want);
    if (r->dead)
        return;
    r->pushed = r->put;
    CHECK((r->front ? r->sh->req_prod : r->sh->rsp_prod) == now);
}

/* The peer writes a word anywhere, or its producer index near where it legally could be. */
static void do_peer_write(struct run *r, uint8_t op)
{
    if (op == 0) {
        uint32_t w = next8(&r->in) | (uint32_t)next8(&r->in) << 8;
        ((volatile uint32_t *)r->sh)[w % (r->bytes / 4)] = next32(&r->in);
        return;
    }
    uint64_t base = r->front ? r->pushed : r->put + r->slots; /* the largest legal value */
    *peer_prod(r) = (uint32_t)(r->start + base) + (uint32_t)(int8_t)next8(&r->in);
}

static void setup(struct run *r, const uint8_t *data, size_t size)
{
    memset(r, 0, sizeof(*r));
    r->in = (struct input){data, size};
    uint8_t geo = next8(&r->in);
    r->slot_size = RING_SLOT_SIZE << (geo >> 4) % 7; /* 64..4096 */
    /* 1..64 slots of 64 bytes; fewer of larger ones, to stay inside BATCH_BYTES */
    uint32_t max_shift = 6;
    while (((r->slot_size << max_shift) > 64 * 64) && max_shift > 0)
        max_shift--;
    r->slots = 1u << (geo & 0xf) % (max_shift + 1);
    /* A region a little larger than the ring needs: the extra must not become a slot. */
    r->bytes = RING_SLOT_SIZE + (size_t)r->slot_size * r->slots;
    if (next8(&r->in) & 1)
        r->bytes += r->slot_size - 8;
    r->start = next32(&r->in);
    r->front = next8(&r->in) & 1;
    void *mem = 0;
    CHECK(posix_memalign(&mem, RING_SLOT_SIZE, r->bytes) == 0 && mem);
    /* The real side attaches first, then the peer fills the region from a short pattern. */
    int e = r->front ? ring_front_init_sized(&r->f, mem, r->bytes, r->start, r->slot_size)
                     : ring_back_init_sized(&r->b, mem, r->bytes, r->start, r->slot_size);
    CHECK(e == 0);
    uint8_t pat[16];
    unsigned plen = next8(&r->in) % 17;
    for (unsigned i = 0; i < plen; i++)
        pat[i] = next8(&r->in);
    for (size_t i = 0; i < r->bytes; i++)
        ((uint8_t *)mem)[i] = plen ? pat[i % plen] : 0;
    r->sh = mem;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct run r;
    setup(&r, data, size);
    while (r.in.n > 0) {
        uint8_t op = next8(&r.in) % 6;
        if (op <= 1)
            do_peer_write(&r, op);
        else if (op == 2)
            do_take(&r);
        else if (op == 3)
            do_final_check(&r);
        else
            do_produce(&r);
    }
    free((void *)r.sh);
    return 0;
}
