/* SPDX-License-Identifier: MIT */
/**
 * threadq.h - minios's thread table and the choice of the next thread: fixed priorities,
 * round robin among equals on yield, sleeping threads woken by time. Pure logic (no
 * hardware), host unit-tested; thread.c does the stacks, the switch and the timer.
 */
#ifndef MINIOS_THREADQ_H
#define MINIOS_THREADQ_H

#include <stdbool.h>
#include <stdint.h>

#define MOS_MAX_THREADS 8 /**< including the main thread and the idle thread */

enum mos_tstate { MOS_T_FREE = 0, MOS_T_READY, MOS_T_SLEEPING, MOS_T_DEAD };

struct mos_thread {
    enum mos_tstate state;
    int prio;      /**< higher runs first; the idle thread is the only one below 0 */
    uint64_t turn; /**< when its last turn ended (a counter): among equals, oldest first */
    uint64_t wake_ns;
    const char *name;
    /* thread.c's part: saved stack pointer, entry, stack bounds, statistics */
    uint64_t sp;
    void (*fn)(void *);
    void *arg;
    uint64_t *stack_lo;
    uint64_t slice_end; /**< end of its current turn (0: none begun) */
    uint64_t runs;
};

/**
 * The thread to run next, given the current one @cur. The highest priority among ready
 * threads wins; among equals, @cur keeps the CPU unless @yielding, else the one whose last
 * turn ended longest ago (smallest `turn`; then the lowest index). A thread ending its turn
 * (yield, sleep, time slice over) gets a new, larger `turn` first, so equals rotate, while
 * a thread preempted by a more urgent one keeps its place. Returns -1 if nothing is ready.
 */
int tq_pick(const struct mos_thread *t, unsigned n, int cur, bool yielding);
/** Make ready every sleeping thread whose wake time is <= @now; returns how many. */
unsigned tq_wake_due(struct mos_thread *t, unsigned n, uint64_t now);
/** The earliest wake time among sleeping threads, or UINT64_MAX. */
uint64_t tq_next_wake(const struct mos_thread *t, unsigned n);

#endif
