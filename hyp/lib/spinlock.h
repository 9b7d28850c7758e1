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
    /* The wfe before the first look stays, though it costs two instructions when the lock is
     * free: QEMU yields the CPU at every wfe, and a lock taken without it (ldaxr first) let a
     * console flood on CPU 1 hold off CPU 0's timer tick for 44 ms (the conflood scenario),
     * this lock not being fair. */
    __asm__ volatile("   sevl\n"
                     "1: wfe\n"
                     "2: ldaxr %w0, [%1]\n"
                     "   cbnz  %w0, 1b\n"
                     "   stxr  %w0, %w2, [%1]\n"
                     "   cbnz  %w0, 2b\n"
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
