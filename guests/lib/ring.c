/* SPDX-License-Identifier: MIT */
/*
 * ring.c - request/response rings over memory shared with a possibly hostile peer.
 *
 * Freestanding (guests link it) and host-testable. Rules kept everywhere below: an index the
 * peer writes is loaded exactly once into a local, checked, and only then used; slot contents
 * are copied out word by word before anyone looks at them; indices this side owns live in its
 * private struct and are only ever written to the shared region, never read back from it.
 */
#include "emv/ring.h"

/* A request or response seen as words: may_alias makes that legal C for any slot-sized
 * struct, and word copies need no memcpy (which a struct assignment can turn into). */
typedef uint64_t __attribute__((may_alias)) word_t;

#ifdef RING_HOOK
/* Unit tests only: called before every index access, so a test can run the peer's steps
 * between this side's (the no-lost-wake-up interleavings). */
void ring_hook(const volatile uint32_t *p, bool write);
#else
static inline void ring_hook(const volatile uint32_t *p, bool write)
{
    (void)p;
    (void)write;
}
#endif

/* One load the compiler can neither repeat nor drop: the peer may change the value at any
 * time, and checking one load but using another would let it pass the check. */
static inline uint32_t read_once(const volatile uint32_t *p)
{
    ring_hook(p, false);
    return *p;
}

static inline void write_once(volatile uint32_t *p, uint32_t v)
{
    ring_hook(p, true);
    *p = v;
}

/* log2 of @slot_size if it is a power of two from RING_SLOT_SIZE to RING_SLOT_MAX, else 0. */
static unsigned slot_shift(uint32_t slot_size)
{
    for (unsigned sh = 6; (1u << sh) <= RING_SLOT_MAX; sh++)
        if (slot_size == 1u << sh)
            return sh;
    return 0;
}

uint32_t ring_slots_sized(size_t bytes, uint32_t slot_size)
{
    if (!slot_shift(slot_size) || bytes < RING_SLOT_SIZE + (size_t)slot_size)
        return 0;
    size_t fit = (bytes - RING_SLOT_SIZE) / slot_size;
    uint32_t n = 1;
    while (n < RING_MAX_SLOTS && (size_t)n * 2 <= fit)
        n *= 2;
    return n;
}

uint32_t ring_slots(size_t bytes)
{
    return ring_slots_sized(bytes, RING_SLOT_SIZE);
}

/* Both sides compute the ring's geometry from their own idea of the region and of the slot
 * size their protocol fixes, never from the region. */
static int check_region(void *mem, size_t bytes, uint32_t slot_size, uint32_t *mask,
                        uint32_t *shift)
{
    uint32_t n = ring_slots_sized(bytes, slot_size);
    if (n == 0 || ((uintptr_t)mem & (RING_SLOT_SIZE - 1)) != 0)
        return -RING_EINVAL;
    *mask = n - 1;
    *shift = slot_shift(slot_size);
    return 0;
}

/* Slot @idx (a free-running index) of a ring with 2^@shift-byte slots. */
static volatile uint64_t *slot_at(volatile struct ring_shared *sh, uint32_t idx, uint32_t mask,
                                  uint32_t shift)
{
    return (volatile uint64_t *)((volatile uint8_t *)sh + RING_SLOT_SIZE +
                                 ((size_t)(idx & mask) << shift));
}

/* A slot is copied in whole words: each one loaded once, aligned, and no memcpy (which a
 * freestanding guest may lack, and which must not be given a volatile source). */
static void slot_copy_out(const volatile uint64_t *s, void *dst, uint32_t shift)
{
    word_t *d = dst;
    for (unsigned k = 0; k < 1u << (shift - 3); k++)
        d[k] = s[k];
}

static void slot_copy_in(volatile uint64_t *s, const void *src, uint32_t shift)
{
    const word_t *w = src;
    for (unsigned k = 0; k < 1u << (shift - 3); k++)
        s[k] = w[k];
}

/* Entry @i of a caller's array of slot-sized entries. */
static const void *entry_c(const void *entries, uint32_t i, uint32_t shift)
{
    return (const uint8_t *)entries + ((size_t)i << shift);
}

static void *entry(void *entries, uint32_t i, uint32_t shift)
{
    return (uint8_t *)entries + ((size_t)i << shift);
}

/* The first violation is returned as itself, so the caller can log what the peer did; every
 * later call on the dead ring gets -RING_EBROKEN. */
static int violation(int *error, int code)
{
    *error = code;
    return -code;
}

/* ---- front-end ------------------------------------------------------------------------- */

int ring_front_init_sized(struct ring_front *f, void *mem, size_t bytes, uint32_t start,
                          uint32_t slot_size)
{
    int err = check_region(mem, bytes, slot_size, &f->mask, &f->shift);
    if (err)
        return err;
    f->sh = mem;
    f->req_prod_pvt = f->req_pushed = f->rsp_cons = f->rsp_seen = start;
    f->error = 0;
    write_once(&f->sh->req_prod, start);
    write_once(&f->sh->rsp_prod, start);
    write_once(&f->sh->req_event, start + 1);
    write_once(&f->sh->rsp_event, start + 1);
    ring_wmb();
    return 0;
}

int ring_front_init(struct ring_front *f, void *mem, size_t bytes, uint32_t start)
{
    return ring_front_init_sized(f, mem, bytes, start, RING_SLOT_SIZE);
}

uint32_t ring_front_free(const struct ring_front *f)
{
    if (f->error)
        return 0;
    return f->mask + 1 - (f->req_prod_pvt - f->rsp_cons);
}

int ring_front_put_slots(struct ring_front *f, const void *reqs, uint32_t n)
{
    if (f->error)
        return -RING_EBROKEN;
    uint32_t room = ring_front_free(f);
    if (n > room)
        n = room;
    for (uint32_t i = 0; i < n; i++)
        slot_copy_in(slot_at(f->sh, f->req_prod_pvt + i, f->mask, f->shift),
                     entry_c(reqs, i, f->shift), f->shift);
    f->req_prod_pvt += n;
    return (int)n;
}

/* The typed calls: for rings of RING_SLOT_SIZE slots, whose entries are struct ring_req/rsp. */
#define TYPED(side)                                                                                \
    do {                                                                                           \
        if ((side)->shift != 6)                                                                    \
            return -RING_EINVAL;                                                                   \
    } while (0)

int ring_front_put(struct ring_front *f, const struct ring_req *reqs, uint32_t n)
{
    TYPED(f);
    return ring_front_put_slots(f, reqs, n);
}

/*
 * Publish @new as the producer index and decide whether the consumer asked to be told: it
 * wants a notification only if its event index lies in (old, new], i.e. this push passed it.
 */
static int push(volatile uint32_t *prod, const volatile uint32_t *event, uint32_t old, uint32_t new)
{
    ring_wmb(); /* the slots before the index that exposes them */
    write_once(prod, new);
    ring_mb(); /* the index before reading the event: else both sides may sleep */
    uint32_t ev = read_once(event);
    return (uint32_t)(new - ev) < (uint32_t)(new - old);
}

int ring_front_push(struct ring_front *f)
{
    if (f->error)
        return -RING_EBROKEN;
    uint32_t old = f->req_pushed;
    f->req_pushed = f->req_prod_pvt;
    return push(&f->sh->req_prod, &f->sh->req_event, old, f->req_pushed);
}

/*
 * Responses waiting, from one load of rsp_prod. A legal rsp_prod never moves back, is never
 * more than the ring ahead of what we took, and never exceeds the requests we pushed.
 */
static int front_pending(struct ring_front *f)
{
    if (f->error)
        return -RING_EBROKEN;
    uint32_t prod = read_once(&f->sh->rsp_prod);
    uint32_t avail = prod - f->rsp_cons;
    if (prod - f->rsp_seen >= 0x80000000u)
        return violation(&f->error, RING_EBEHIND);
    if (avail > f->mask + 1)
        return violation(&f->error, RING_EAHEAD);
    if (avail > f->req_pushed - f->rsp_cons)
        return violation(&f->error, RING_EUNSOL);
    f->rsp_seen = prod;
    return (int)avail;
}

int ring_front_take_slots(struct ring_front *f, void *rsps, uint32_t max)
{
    int avail = front_pending(f);
    if (avail <= 0)
        return avail;
    ring_rmb(); /* the index before the slots it exposes */
    uint32_t n = (uint32_t)avail < max ? (uint32_t)avail : max;
    for (uint32_t i = 0; i < n; i++)
        slot_copy_out(slot_at(f->sh, f->rsp_cons + i, f->mask, f->shift), entry(rsps, i, f->shift),
                      f->shift);
    f->rsp_cons += n;
    return (int)n;
}

int ring_front_take(struct ring_front *f, struct ring_rsp *rsps, uint32_t max)
{
    TYPED(f);
    return ring_front_take_slots(f, rsps, max);
}

/* Re-arm, then look again: a response pushed between the first look and the re-arm would
 * otherwise neither be seen nor notified. */
int ring_front_final_check(struct ring_front *f)
{
    int n = front_pending(f);
    if (n != 0)
        return n < 0 ? n : 1;
    write_once(&f->sh->rsp_event, f->rsp_cons + 1);
    ring_mb();
    n = front_pending(f);
    return n < 0 ? n : n > 0;
}

/* ---- back-end -------------------------------------------------------------------------- */

int ring_back_init_sized(struct ring_back *b, void *mem, size_t bytes, uint32_t start,
                         uint32_t slot_size)
{
    int err = check_region(mem, bytes, slot_size, &b->mask, &b->shift);
    if (err)
        return err;
    b->sh = mem;
    b->req_cons = b->req_seen = b->rsp_prod_pvt = b->rsp_pushed = start;
    b->error = 0;
    return 0;
}

int ring_back_init(struct ring_back *b, void *mem, size_t bytes, uint32_t start)
{
    return ring_back_init_sized(b, mem, bytes, start, RING_SLOT_SIZE);
}

/*
 * Requests waiting, from one load of req_prod. The front-end can never have more than the
 * ring's size in flight (requests it pushed that we have not answered), since requests and
 * responses share the slots.
 */
static int back_pending(struct ring_back *b)
{
    if (b->error)
        return -RING_EBROKEN;
    uint32_t prod = read_once(&b->sh->req_prod);
    if (prod - b->req_seen >= 0x80000000u)
        return violation(&b->error, RING_EBEHIND);
    if (prod - b->rsp_prod_pvt > b->mask + 1)
        return violation(&b->error, RING_EAHEAD);
    b->req_seen = prod;
    return (int)(prod - b->req_cons);
}

int ring_back_take_slots(struct ring_back *b, void *reqs, uint32_t max)
{
    int avail = back_pending(b);
    if (avail <= 0)
        return avail;
    ring_rmb();
    uint32_t n = (uint32_t)avail < max ? (uint32_t)avail : max;
    for (uint32_t i = 0; i < n; i++)
        slot_copy_out(slot_at(b->sh, b->req_cons + i, b->mask, b->shift), entry(reqs, i, b->shift),
                      b->shift);
    b->req_cons += n;
    return (int)n;
}

int ring_back_take(struct ring_back *b, struct ring_req *reqs, uint32_t max)
{
    TYPED(b);
    return ring_back_take_slots(b, reqs, max);
}

int ring_back_put_slots(struct ring_back *b, const void *rsps, uint32_t n)
{
    if (b->error)
        return -RING_EBROKEN;
    uint32_t owed = b->req_cons - b->rsp_prod_pvt;
    if (n > owed)
        n = owed;
    for (uint32_t i = 0; i < n; i++)
        slot_copy_in(slot_at(b->sh, b->rsp_prod_pvt + i, b->mask, b->shift),
                     entry_c(rsps, i, b->shift), b->shift);
    b->rsp_prod_pvt += n;
    return (int)n;
}

int ring_back_put(struct ring_back *b, const struct ring_rsp *rsps, uint32_t n)
{
    TYPED(b);
    return ring_back_put_slots(b, rsps, n);
}

int ring_back_push(struct ring_back *b)
{
    if (b->error)
        return -RING_EBROKEN;
    uint32_t old = b->rsp_pushed;
    b->rsp_pushed = b->rsp_prod_pvt;
    return push(&b->sh->rsp_prod, &b->sh->rsp_event, old, b->rsp_pushed);
}

int ring_back_final_check(struct ring_back *b)
{
    int n = back_pending(b);
    if (n != 0)
        return n < 0 ? n : 1;
    write_once(&b->sh->req_event, b->req_cons + 1);
    ring_mb();
    n = back_pending(b);
    return n < 0 ? n : n > 0;
}
