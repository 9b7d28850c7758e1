/* SPDX-License-Identifier: MIT */
/**
 * conring.h - the console's output ring: writers queue whole lines and never wait for the
 * UART; whoever holds the console lock moves bytes to the UART only while it accepts them
 * without waiting. Pure code (no device access), so the host unit tests run it as is.
 *
 * Every byte has an owner: 0 is the hypervisor, 1..n the writers (VMs). A writer may hold
 * at most its share of the ring, so one that floods drops only its own lines; the
 * hypervisor may use any free byte, and the writers' shares together leave it a reserve
 * (CONRING_RESERVE_DIV), so its lines always have room while it does not flood itself.
 *
 * A line that does not fit is dropped whole, never cut; the count of dropped bytes goes
 * out as a notice line ("emv: console: N bytes dropped (name)") once there is room for it
 * in the dropping owner's share (a flood of notices costs only the flooder).
 * Not thread-safe: the caller serialises (console.c holds its lock).
 */
#ifndef EMV_CONRING_H
#define EMV_CONRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The writers together may hold all but 1/CONRING_RESERVE_DIV of the ring. */
#define CONRING_RESERVE_DIV 8

/** One owner of queued bytes. */
struct conring_owner {
    const char *name;       /**< for the drop notice */
    uint32_t held;          /**< bytes queued and not yet handed to the device */
    uint32_t limit;         /**< most bytes it may hold (conring_init sets it) */
    uint64_t dropped;       /**< bytes refused since its last notice went into the ring */
    uint64_t dropped_total; /**< bytes refused since boot */
};

struct conring {
    char *buf;
    uint8_t *who;        /**< owner of each byte of buf (same size) */
    uint32_t mask;       /**< size - 1; the size is a power of two */
    uint32_t head, tail; /**< free-running: bytes [tail, head) are queued */
    struct conring_owner *owners;
    unsigned nr_owners;     /**< owners[0] is the hypervisor */
    bool notice_due;        /**< some owner has dropped bytes not yet noticed */
    uint64_t dropped_total; /**< bytes refused since boot, all owners */
};

/** A piece of a line: @len bytes at @s. Each '\n' is queued as "\r\n". */
struct conring_piece {
    const char *s;
    size_t len;
};

/** @size must be a power of two (at least 64); @who has @size bytes too. @owners[0] is the
 *  hypervisor (no limit); owners 1..@nr_owners-1 share the ring less the reserve equally.
 *  @owners must be zeroed but for the names; @nr_owners at most 256. */
void conring_init(struct conring *r, char *buf, uint8_t *who, uint32_t size,
                  struct conring_owner *owners, unsigned nr_owners);

/** Set the owners and their shares (as conring_init); while no writer has queued bytes. */
void conring_share(struct conring *r, unsigned nr_owners);

/** Bytes queued and not yet handed to the device. */
uint32_t conring_used(const struct conring *r);

/** Queue the @n pieces together for @owner, all or nothing; false (and counted as dropped
 *  for @owner) if they do not fit in the ring or in @owner's share. Pending drop notices
 *  go in first when they fit. */
bool conring_put(struct conring *r, unsigned owner, const struct conring_piece *p, unsigned n);

/** Hand queued bytes to @tx, oldest first, until the ring is empty, @tx refuses one (it
 *  stays queued) or @max bytes went out. Returns how many went out. */
uint32_t conring_drain(struct conring *r, bool (*tx)(void *ctx, char c), void *ctx, uint32_t max);

#endif
