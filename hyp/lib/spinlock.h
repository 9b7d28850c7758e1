/* SPDX-License-Identifier: MIT */
/** spinlock.h - a test-and-test-and-set lock (needs the MMU on: exclusives on Normal memory). */
#ifndef EMV_SPINLOCK_H
#define EMV_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    volatile uint32_t v;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
    uint32_t tmp, one = 1;
    /* Uncontended: four instructions. Held: wait for an event (the holder's release clears
     * the exclusive monitor that ldaxr set, which is one) and look again. */
    __asm__ volatile("1: ldaxr %w0, [%1]\n"
                     "   cbz   %w0, 2f\n"
                     "   wfe\n"
                     "   b     1b\n"
                     "2: stxr  %w0, %w2, [%1]\n"
                     "   cbnz  %w0, 1b\n"
                     : "=&r"(tmp)
                     : "r"(&l->v), "r"(one)
                     : "memory");
}

/** One attempt, never waits: true if the caller now holds @l. */
static inline bool spin_trylock(spinlock_t *l)
{
    uint32_t old, fail = 1, one = 1;
    __asm__ volatile("   ldaxr %w0, [%2]\n"
                     "   cbnz  %w0, 1f\n"
                     "   stxr  %w1, %w3, [%2]\n"
                     "   b     2f\n"
                     "1: clrex\n"
                     "2:\n"
                     : "=&r"(old), "+&r"(fail)
                     : "r"(&l->v), "r"(one)
                     : "memory");
    return old == 0 && fail == 0;
}

static inline void spin_unlock(spinlock_t *l)
{
    __asm__ volatile("stlr wzr, [%0]" ::"r"(&l->v) : "memory");
}

#endif
