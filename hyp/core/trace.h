/* SPDX-License-Identifier: MIT */
/**
 * trace.h - scheduling event trace. Each CPU appends to its own ring (no locks, no
 * cross-CPU traffic); at the end of a run the rings are merged by time and printed on the
 * console in the line format of docs/trace.md, which tools/emvtrace.py turns into a
 * Perfetto trace and a Gantt chart. Off unless the config says `trace;`.
 */
#ifndef EMV_TRACE_H
#define EMV_TRACE_H

#include "emv/types.h"

enum trace_ev { TR_IN, TR_OUT, TR_REPL, TR_EXH, TR_WAKE, TR_IDLE, TR_EXIT };
enum trace_why { WHY_PREEMPT, WHY_BLOCK, WHY_YIELD, WHY_BUDGET, WHY_STOP };

struct vcpu;
void trace_event(unsigned cpu, ns_t t, enum trace_ev ev, const struct vcpu *v, uint64_t arg);
/** Record an event only when tracing is on: the arguments are not even evaluated when off,
 * so tracing costs one load and branch on the scheduling path. */
#define TRACE(...)                                                                                 \
    do {                                                                                           \
        if (unlikely(trace_on))                                                                    \
            trace_event(__VA_ARGS__);                                                              \
    } while (0)

/** Print every CPU's events, merged by time (called once, at the end of a run). */
void trace_dump(void);
extern bool trace_on;

#endif
