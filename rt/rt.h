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
};

/** Supply bound function sbf(t) of Gamma(r). r must be valid (0 <= budget <= period > 0). */
rt_time_t rt_sbf(const struct rt_resource *r, rt_time_t t);

/** Is the task set schedulable by @policy inside Gamma(r)? Returns an enum rt_result. */
int rt_check(enum rt_policy policy, const struct rt_resource *r, const struct rt_task *tasks,
             size_t n);

/**
 * Smallest integer budget for @period such that the task set passes rt_check. Returns
 * RT_SCHEDULABLE and sets *budget, RT_UNSCHEDULABLE when even budget = period fails, or an error.
 */
int rt_interface(enum rt_policy policy, rt_time_t period, const struct rt_task *tasks, size_t n,
                 rt_time_t *budget);

/** Root test: are these interfaces (as periodic tasks) schedulable on one CPU under @policy? */
int rt_root_check(enum rt_policy policy, const struct rt_resource *ifaces, size_t n);

#endif
