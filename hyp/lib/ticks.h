/* SPDX-License-Identifier: MIT */
/**
 * ticks.h - counter ticks <-> nanoseconds at @f Hz, for any 64-bit input. Pure: host-tested.
 * Ticks to ns saturates (a guest may park its timer at CNTV_CVAL = ~0: that means "never",
 * not a wrapped, early time). Ns to ticks rounds up, so a timer armed for a time never fires
 * before it.
 */
#ifndef EMV_TICKS_H
#define EMV_TICKS_H

#include <stdint.h>

#define TICKS_NS_PER_S 1000000000ULL

static inline uint64_t ticks_to_ns(uint64_t ticks, uint64_t f)
{
    uint64_t ns;
    if (__builtin_mul_overflow(ticks / f, TICKS_NS_PER_S, &ns) ||
        __builtin_add_overflow(ns, (ticks % f) * TICKS_NS_PER_S / f, &ns))
        return UINT64_MAX;
    return ns;
}

static inline uint64_t ns_to_ticks(uint64_t ns, uint64_t f)
{
    uint64_t t;
    if (__builtin_mul_overflow(ns / TICKS_NS_PER_S, f, &t) ||
        __builtin_add_overflow(t, ((ns % TICKS_NS_PER_S) * f + TICKS_NS_PER_S - 1) / TICKS_NS_PER_S,
                               &t))
        return UINT64_MAX;
    return t;
}

#endif
