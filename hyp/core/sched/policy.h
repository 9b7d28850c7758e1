/* SPDX-License-Identifier: MIT */
/**
 * policy.h - the interface between the scheduling mechanism (core/sched/sched.c: timers,
 * vCPU switches, blocking) and a scheduling policy (which runnable vCPU next, until when).
 *
 * A policy sees only sched_entity objects and times: no hardware, so each policy is
 * compiled into host unit tests unchanged. One run queue per physical CPU; vCPUs are
 * pinned, so no policy ever looks at another CPU's queue.
 */
#ifndef EMV_SCHED_POLICY_H
#define EMV_SCHED_POLICY_H

#include "emv/types.h"

#define SCHED_MAX_ENTITIES 32
#define NS_NEVER (~(ns_t)0)

struct sched_entity {
    struct sched_entity *next; /**< best-effort FIFO link, owned by the policy */
    bool queued;               /**< on the best-effort FIFO */
    bool runnable;             /**< set by enqueue, cleared when it blocks or stops */
    uint32_t weight;
    unsigned index; /**< tie-break: order of creation on this CPU */
    /* Periodic server Gamma(period, budget); period 0 = best effort. */
    ns_t period_ns, budget_ns;
    ns_t remaining_ns; /**< budget left in the current period */
    ns_t deadline_ns;  /**< end of the current period = next replenishment */
    ns_t debt_ns;      /**< CPU time used beyond the budget (a late stop, a late boundary):
                            taken from the next budget, so no period adds up to more */
    uint64_t replenishments, exhaustions;
    /* Best effort (credit.c). */
    int64_t credit_ns;
    bool boost;
    ns_t boost_used_ns; /**< CPU time used since the wake that boosted it */
    ns_t last_ran;
};

/** How the entity that was running when pick() is called left the CPU. */
enum sched_cur { CUR_NONE, CUR_RUNNING, CUR_YIELDED, CUR_BLOCKED };

struct runq {
    struct sched_entity *head, *tail; /**< best-effort FIFO (not including the current one) */
    unsigned nr;
    ns_t slice_ns;
    ns_t slice_end;
    unsigned rt_policy; /**< 0 EDF, 1 RM: how servers are ordered; 2 credit (servers ignored) */
    unsigned nr_all;
    struct sched_entity *all[SCHED_MAX_ENTITIES]; /**< every entity ever added */
    struct sched_entity *holder; /**< RT server owning the CPU time now (running or idling) */
    ns_t last_pick;
    bool ignore_servers;      /**< credit baseline: every vCPU best effort */
    ns_t acct_next, be_since; /**< credit accounting */
    struct sched_entity *be_running;
    struct sched_entity *be_preempted; /**< best effort stopped by a server within its slice */
};

struct sched_policy {
    const char *name;
    /** @rt_policy: 0 EDF, 1 RM, 2 servers ignored (all best effort, the credit baseline). */
    void (*init)(struct runq *rq, ns_t slice_ns, unsigned rt_policy);
    /** A new entity on this CPU (once, at VM creation); it starts runnable. */
    void (*add)(struct runq *rq, struct sched_entity *se, ns_t now);
    /** A blocked entity became runnable. */
    void (*wake)(struct runq *rq, struct sched_entity *se, ns_t now);
    /** New server parameters (period 0: best effort) from the control VM. */
    void (*update)(struct runq *rq, struct sched_entity *se, ns_t period, ns_t budget, ns_t now);
    /** An entity is gone for good (its VM stopped). */
    void (*remove)(struct runq *rq, struct sched_entity *se);
    /**
     * Decide who runs from @now. @cur ran until now and left as @how. Returns the entity
     * (possibly @cur again) or NULL to idle; *until is when the policy must decide again at
     * the latest (NS_NEVER: only on an event).
     */
    struct sched_entity *(*pick)(struct runq *rq, struct sched_entity *cur, enum sched_cur how,
                                 ns_t now, ns_t *until);
};

/** The foundation's round-robin: every entity best effort, fixed slice. */
extern const struct sched_policy sched_rr;
/** Periodic servers by EDF or RM with budget enforcement; best effort by credit in the
 * background. */
extern const struct sched_policy sched_rt;

#endif
