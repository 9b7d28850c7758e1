/* SPDX-License-Identifier: MIT */
/**
 * policy.h - the interface between the scheduling mechanism (core/sched/sched.c: timers,
 * vCPU switches) and a scheduling policy (which runnable vCPU next, for how long).
 *
 * A policy sees only sched_entity objects and times: no hardware, so each policy is
 * compiled into host unit tests unchanged. One run queue per physical CPU; vCPUs are
 * pinned, so no policy ever looks at another CPU's queue.
 */
#ifndef EMV_SCHED_POLICY_H
#define EMV_SCHED_POLICY_H

#include "emv/types.h"

struct sched_entity {
    struct sched_entity *next; /**< run-queue link, owned by the policy */
    bool queued;
    uint32_t weight;
    uint64_t period_ns, budget_ns; /**< for real-time policies */
};

struct runq {
    struct sched_entity *head, *tail;
    unsigned nr;
    ns_t slice_ns; /**< round-robin slice */
};

struct sched_policy {
    const char *name;
    void (*init)(struct runq *rq, ns_t slice_ns);
    /** A vCPU became runnable (woken, preempted or yielded): queue it. */
    void (*enqueue)(struct runq *rq, struct sched_entity *se, ns_t now);
    /** A queued vCPU must leave the queue (stopped). */
    void (*dequeue)(struct runq *rq, struct sched_entity *se);
    /** Take the next entity to run off the queue, or NULL; *run_until = end of its slice. */
    struct sched_entity *(*pick)(struct runq *rq, ns_t now, ns_t *run_until);
};

extern const struct sched_policy sched_rr;

#endif
