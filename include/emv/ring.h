/* SPDX-License-Identifier: MIT */
/**
 * ring.h - request/response rings between two VMs over shared memory (docs/abi.md, "Rings").
 *
 * The shared layout is guest-visible ABI: a 64-byte header of free-running 32-bit indices
 * followed by a power-of-two number of 64-byte slots, each holding a request or, once the
 * back-end has answered it, a response. A protocol whose messages are longer fixes a larger
 * slot size (a power of two up to RING_SLOT_MAX; the *_sized and *_slots calls); the header
 * and every rule stay the same. The front-end produces requests and consumes
 * responses; the back-end consumes requests and produces responses.
 *
 * Each side keeps its own indices in a private struct and never trusts the shared copy of an
 * index it owns. Every index the peer owns is read once, checked, then used; a bad one marks
 * the ring broken and is reported as a distinct error, so the caller can cut the peer off.
 * Notifications are a return value: push and the final checks say whether to signal the peer,
 * and the caller does it with whatever event primitive it has.
 *
 * The implementation (guests/lib/ring.c) is freestanding: no libc, no FP registers.
 */
#ifndef EMV_RING_H
#define EMV_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RING_SLOT_SIZE 64u /**< bytes per slot; also the size of the header */
#define RING_DATA_SIZE 48u /**< payload bytes in a request or a response */
#define RING_MAX_SLOTS (1u << 16)
#define RING_SLOT_MAX 4096u /**< the largest slot size a protocol may fix */

/** Errors, returned negated. The first three are peer protocol violations. */
#define RING_EAHEAD 1  /**< the peer's producer index is more than the ring's size ahead */
#define RING_EBEHIND 2 /**< the peer's producer index moved backwards */
#define RING_EUNSOL 3  /**< responses for requests that were never pushed */
#define RING_EBROKEN 4 /**< a violation was found earlier: the ring is dead */
#define RING_EINVAL 5  /**< a bad local argument (region too small or misaligned) */

/** A request: @id is echoed in its response; @op and @data mean what the protocol says. */
struct ring_req {
    uint64_t id;
    uint32_t op;
    uint32_t len;
    uint8_t data[RING_DATA_SIZE];
};

/** A response to the request with the same @id. */
struct ring_rsp {
    uint64_t id;
    int32_t status;
    uint32_t len;
    uint8_t data[RING_DATA_SIZE];
};

/** One slot of the shared region: a request until the back-end overwrites it with a response. */
union ring_slot {
    struct ring_req req;
    struct ring_rsp rsp;
    uint64_t words[RING_SLOT_SIZE / 8];
};

/**
 * The shared region: offsets 0, 4, 8, 12 as in Xen's shared ring, slots from offset 64.
 * req_prod and rsp_event are written by the front-end, rsp_prod and req_event by the back-end.
 */
struct ring_shared {
    uint32_t req_prod;  /**< requests pushed by the front-end */
    uint32_t req_event; /**< back-end: "notify me when req_prod passes this" */
    uint32_t rsp_prod;  /**< responses pushed by the back-end */
    uint32_t rsp_event; /**< front-end: "notify me when rsp_prod passes this" */
    uint8_t pad[RING_SLOT_SIZE - 16];
    union ring_slot slot[]; /**< index i lives in slot[i % slots] */
};

_Static_assert(sizeof(struct ring_req) == RING_SLOT_SIZE, "request must fill a slot");
_Static_assert(sizeof(struct ring_rsp) == RING_SLOT_SIZE, "response must fill a slot");
_Static_assert(sizeof(struct ring_shared) == RING_SLOT_SIZE, "header must be one slot");

/** The front-end's private state: indices it owns and the last peer index it accepted. */
struct ring_front {
    volatile struct ring_shared *sh;
    uint32_t mask;         /**< slots - 1 */
    uint32_t shift;        /**< log2 of the slot size */
    uint32_t req_prod_pvt; /**< requests written, not necessarily pushed */
    uint32_t req_pushed;   /**< requests made visible to the back-end */
    uint32_t rsp_cons;     /**< responses taken */
    uint32_t rsp_seen;     /**< the last rsp_prod accepted from the back-end */
    int error;             /**< 0, or the first violation (positive RING_E*) */
};

/** The back-end's private state. */
struct ring_back {
    volatile struct ring_shared *sh;
    uint32_t mask;
    uint32_t shift;
    uint32_t req_cons;     /**< requests taken */
    uint32_t req_seen;     /**< the last req_prod accepted from the front-end */
    uint32_t rsp_prod_pvt; /**< responses written, not necessarily pushed */
    uint32_t rsp_pushed;   /**< responses made visible to the front-end */
    int error;
};

/*
 * Barriers: the producer orders slot writes before its index (wmb), the consumer its index
 * read before slot reads (rmb), and an index write before reading the peer's event index
 * (mb: a store then a load, which only a full barrier orders). Inner shareable: the peer runs
 * on another CPU of the same machine.
 */
#if defined(__aarch64__)
#define ring_mb() __asm__ volatile("dmb ish" ::: "memory")
#define ring_rmb() __asm__ volatile("dmb ishld" ::: "memory")
#define ring_wmb() __asm__ volatile("dmb ishst" ::: "memory")
#else
#define ring_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define ring_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define ring_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

/** Slots in a region of @bytes (the largest power of two that fits, at most RING_MAX_SLOTS). */
uint32_t ring_slots(size_t bytes);

/**
 * Front-end: set up the shared region (all indices @start, events @start + 1) and attach.
 * Both sides must pass the same @start; protocols use 0 (tests start near 2^32).
 * Returns 0 or -RING_EINVAL (fewer than 1 slot, or @mem not 64-byte aligned).
 */
int ring_front_init(struct ring_front *f, void *mem, size_t bytes, uint32_t start);
/** Back-end: attach to a region the front-end initialised; reads nothing from it. */
int ring_back_init(struct ring_back *b, void *mem, size_t bytes, uint32_t start);

/*
 * Rings with slots of @slot_size bytes (a power of two from RING_SLOT_SIZE to RING_SLOT_MAX),
 * the header unchanged: slot i at offset 64 + i * slot_size. The size is the protocol's, given
 * by both sides and never read from the region; -RING_EINVAL for any other. Such a ring moves
 * entries with the *_slots calls: arrays of slot-sized, 8-byte-aligned entries, copied whole.
 * The typed calls below (struct ring_req/ring_rsp) refuse it with -RING_EINVAL.
 */
uint32_t ring_slots_sized(size_t bytes, uint32_t slot_size);
int ring_front_init_sized(struct ring_front *f, void *mem, size_t bytes, uint32_t start,
                          uint32_t slot_size);
int ring_back_init_sized(struct ring_back *b, void *mem, size_t bytes, uint32_t start,
                         uint32_t slot_size);
int ring_front_put_slots(struct ring_front *f, const void *reqs, uint32_t n);
int ring_front_take_slots(struct ring_front *f, void *rsps, uint32_t max);
int ring_back_take_slots(struct ring_back *b, void *reqs, uint32_t max);
int ring_back_put_slots(struct ring_back *b, const void *rsps, uint32_t n);

/** Requests that can be put now. */
uint32_t ring_front_free(const struct ring_front *f);
/** Copy up to @n requests into free slots; returns how many (0 when full) or -RING_EBROKEN. */
int ring_front_put(struct ring_front *f, const struct ring_req *reqs, uint32_t n);
/** Make put requests visible; returns 1 if the back-end must be notified, 0 if not. */
int ring_front_push(struct ring_front *f);
/** Copy out up to @max pushed responses; returns how many, or a negated RING_E*. */
int ring_front_take(struct ring_front *f, struct ring_rsp *rsps, uint32_t max);
/**
 * Before the front-end sleeps: 1 if responses are waiting, else re-arm rsp_event, re-check
 * and return 1 if some arrived meanwhile (no lost wake-up), 0 to sleep; or a negated RING_E*.
 */
int ring_front_final_check(struct ring_front *f);

/** Copy out up to @max pushed requests; returns how many, or a negated RING_E*. */
int ring_back_take(struct ring_back *b, struct ring_req *reqs, uint32_t max);
/** Copy up to @n responses, one per request taken and not yet answered; returns how many. */
int ring_back_put(struct ring_back *b, const struct ring_rsp *rsps, uint32_t n);
/** Make put responses visible; returns 1 if the front-end must be notified, 0 if not. */
int ring_back_push(struct ring_back *b);
/** As ring_front_final_check, for requests. */
int ring_back_final_check(struct ring_back *b);

/** Whether @err (as returned) is a peer protocol violation: cut that peer off. */
static inline bool ring_is_violation(int err)
{
    return err == -RING_EAHEAD || err == -RING_EBEHIND || err == -RING_EUNSOL;
}

#endif
