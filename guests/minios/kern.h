/* SPDX-License-Identifier: MIT */
/*
 * kern.h - between minios's two schedulers: thread.c (threads, the idle loop, the timer and
 * the interrupt tail) and rtrun.c (periodic real-time jobs, which outrank every thread).
 */
#ifndef MINIOS_KERN_H
#define MINIOS_KERN_H

#include <stdbool.h>
#include <stdint.h>

/** Install the interrupt tail and the idle thread (idempotent). */
void kern_init(void);
/** Run released jobs now: nested if a job is executing, else on the job stack. IRQs masked. */
void kern_run_jobs(void);
/** Re-arm the virtual timer for the earliest release or wake-up. Interrupts masked. */
void kern_rearm(void);

/* rtrun.c */
/** Release the jobs due at @now. */
void rtk_release(uint64_t now);
/** The earliest future release, or UINT64_MAX. */
uint64_t rtk_next_release(void);
/** Is a job executing (a thread switch must wait until the outermost one completes)? */
bool rtk_busy(void);
/** Run the released jobs that outrank the running one. Interrupts masked. */
void rtk_dispatch(void);

/* start.S */
/** Save callee-saved registers on this stack, store sp in *@save_sp, resume at @new_sp. */
void mos_ctx_switch(uint64_t *save_sp, uint64_t new_sp);
/** Call @fn on the stack whose top is @stack_top, then come back to this stack. */
void mos_call_on_stack(void (*fn)(void), void *stack_top);
/** First code of a new thread: calls mos_thread_boot(x19 = entry, x20 = arg). */
void mos_thread_trampoline(void);
/** Called by the trampoline with interrupts masked. */
void mos_thread_boot(void (*fn)(void *), void *arg) __attribute__((noreturn));

#endif
