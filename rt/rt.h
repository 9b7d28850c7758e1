/* SPDX-License-Identifier: MIT */
/**
 * rt.h - compositional real-time analysis (periodic resource model, Shin & Lee 2008).
 *
 * Pure C99, integers only, no allocation, no hardware access: the same file is compiled into
 * the host tools (rtsa, emvcfg), the control VM and the host unit tests.
 * Time is an unsigned 64-bit integer in one unit throughout (callers use ns or us).
 */
#ifndef EMV_RT_H
#define EMV_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t rt_time_t;

/** A periodic task: released every @period, needs @wcet, deadline = period. */
struct rt_task {
    rt_time_t period;
    rt_time_t wcet;
};

/** A periodic resource Gamma(period, budget): @budget units of supply every @period. */
struct rt_resource {
    rt_time_t period;
    rt_time_t budget;
};

enum rt_policy { RT_EDF = 0, RT_RM = 1 };

/** Results: >= 0 is an answer, < 0 an error (never a wrong answer). */
enum rt_result {
    RT_SCHEDULABLE = 0,
    RT_UNSCHEDULABLE = 1,
    RT_EINVAL = -1,    /**< zero period, wcet > period, budget > period, ... */
    RT_EOVERFLOW = -2, /**< a hyperperiod or demand would overflow 64 bits */
    RT_ELIMIT = -3,    /**< the exact test would need more than RT_WORK_LIMIT steps */
};

/** Supply bound function sbf(t) of Gamma(r). r must be valid (0 <= budget <= period > 0). */
rt_time_t rt_sbf(const struct rt_resource *r, rt_time_t t);

/** Is the task set schedulable by @policy inside Gamma(r)? Returns an enum rt_result. */
int rt_check(enum rt_policy policy, const struct rt_resource *r, const struct rt_task *tasks,
             size_t n);

/**
 * Smallest integer budget for @period such that the task set passes rt_check. Returns
 * RT_SCHEDULABLE and sets *budget, RT_UNSCHEDULABLE when even budget = period fails, or an error.
 * When the exact test runs out of work (RT_ELIMIT) for budgets just above U * period, *budget
 * is the smallest budget proven to pass: always safe, and rt_interface_ex says whether some
 * smaller budget was left undecided.
 */
int rt_interface(enum rt_policy policy, rt_time_t period, const struct rt_task *tasks, size_t n,
                 rt_time_t *budget);

/** What rt_interface_ex found. */
struct rt_iface_result {
    rt_time_t budget;    /**< the smallest budget proven to pass */
    rt_time_t undecided; /**< budgets below it neither proven to pass nor to fail within
                              RT_IFACE_PROBE_LIMIT per probe; 0 means budget is the exact minimum */
};

/** rt_interface with the proof status of the answer; same return values. */
int rt_interface_ex(enum rt_policy policy, rt_time_t period, const struct rt_task *tasks, size_t n,
                    struct rt_iface_result *out);

/** Root test: are these interfaces (as periodic tasks) schedulable on one CPU under @policy? */
int rt_root_check(enum rt_policy policy, const struct rt_resource *ifaces, size_t n);

/* ---- Additions (issue 3): helpers, explanations, error strings. ---- */

/** Largest representable time; rt_dbf/rt_rbf saturate at this value. */
#define RT_TIME_MAX UINT64_MAX
/**
 * Work cap of one rt_check, in task evaluations:
 * scan iterations times tasks. Pathological sets (a bound of 10^19 with demand within a
 * hair of supply) would otherwise run for years; they get RT_ELIMIT instead.
 */
#define RT_WORK_LIMIT ((uint64_t)1 << 26)
/**
 * Work cap of each probe of rt_interface's budget search (1/16 of RT_WORK_LIMIT, a few ms on a
 * host). A probe just above U * period that needs more is left undecided instead of failing
 * the whole search; rt_interface_ex reports how many budgets below the answer stay unproven.
 */
#define RT_IFACE_PROBE_LIMIT (RT_WORK_LIMIT >> 4)
/** rt_explain.task when no single task is to blame (EDF, utilisation, errors). */
#define RT_NO_TASK ((size_t)-1)

/** Why rt_check_explain came to its result. */
enum rt_reason {
    RT_WHY_OK = 0,     /**< schedulable */
    RT_WHY_DEMAND = 1, /**< demand exceeds supply at time t: see t, demand, supply, task */
    RT_WHY_UTIL = 2,   /**< utilisation > budget/period, or = with a blackout (no finite t kept) */
    RT_WHY_ERROR = 3,  /**< the result is an error code (RT_EINVAL, RT_EOVERFLOW) */
};

/** The outcome of a check with its evidence (filled by rt_check_explain). */
struct rt_explain {
    int result;            /**< same value rt_check returns */
    enum rt_reason reason; /**< why */
    rt_time_t t;           /**< RT_WHY_DEMAND: a time at which demand > supply (EDF: some such
                                t, not necessarily the first; RM: the failing task's deadline) */
    rt_time_t demand;      /**< dbf(t) (EDF) or rbf of the failing task at t (RM); saturated */
    rt_time_t supply;      /**< sbf(t) */
    size_t task;           /**< RM: index of the highest-priority failing task, else RT_NO_TASK */
};

/**
 * Smallest t with sbf(t) >= @demand ("when has @demand been supplied at the latest").
 * Returns false when no such t fits in 64 bits (or the budget is zero and @demand > 0).
 */
bool rt_sbf_inv(const struct rt_resource *r, rt_time_t demand, rt_time_t *t);

/** Demand bound function dbf(t) = sum floor(t/p_i) e_i (implicit deadlines); saturates. */
rt_time_t rt_dbf(const struct rt_task *tasks, size_t n, rt_time_t t);

/**
 * Request bound function of task @i under RM: e_i + sum over higher-priority k of
 * ceil(t/p_k) e_k, for t > 0. Priority: shorter period first, ties in array order. Saturates.
 */
rt_time_t rt_rbf(const struct rt_task *tasks, size_t n, size_t i, rt_time_t t);

/** rt_check with the evidence behind the answer; @ex must not be NULL. Returns ex->result. */
int rt_check_explain(enum rt_policy policy, const struct rt_resource *r,
                     const struct rt_task *tasks, size_t n, struct rt_explain *ex);

/** A short constant English description of an rt_result value. */
const char *rt_strerror(int result);

#endif
