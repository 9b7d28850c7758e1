/* SPDX-License-Identifier: MIT */
/**
 * conring.h - the console's output ring: writers queue whole lines and never wait for the
 * UART; whoever holds the console lock moves bytes to the UART only while it accepts them
 * without waiting. Pure code (no device access), so the host unit tests run it as is.
 *
 * A line that does not fit is dropped whole, never cut; the count of dropped bytes goes
 * out as a notice line ("emv: console: N bytes dropped") once there is room for it.
 * Not thread-safe: the caller serialises (console.c holds its lock).
 */
#ifndef EMV_CONRING_H
#define EMV_CONRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conring {
    char *buf;
    uint32_t mask;          /**< size - 1; the size is a power of two */
    uint32_t head, tail;    /**< free-running: bytes [tail, head) are queued */
    uint64_t dropped;       /**< bytes refused since the last notice went into the ring */
    uint64_t dropped_total; /**< bytes refused since boot */
};

/** A piece of a line: @len bytes at @s. Each '\n' is queued as "\r\n". */
struct conring_piece {
    const char *s;
    size_t len;
};

/** @size must be a power of two (at least 64). */
void conring_init(struct conring *r, char *buf, uint32_t size);

/** Bytes queued and not yet handed to the device. */
uint32_t conring_used(const struct conring *r);

/** Queue the @n pieces together, all or nothing; false (and counted as dropped) if they do
 *  not fit. A pending drop notice goes in first when it fits. */
bool conring_put(struct conring *r, const struct conring_piece *p, unsigned n);

/** Hand queued bytes to @tx, oldest first, until the ring is empty, @tx refuses one (it
 *  stays queued) or @max bytes went out. Returns how many went out. */
uint32_t conring_drain(struct conring *r, bool (*tx)(void *ctx, char c), void *ctx, uint32_t max);

#endif
