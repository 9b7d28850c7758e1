/* SPDX-License-Identifier: MIT */
/*
 * iface.c - a component's interface: the smallest integer budget for a given period.
 *
 * sbf grows with the budget at every t, so schedulability is monotone in Q and a binary
 * search finds the smallest passing budget. RM goes task by task: the set passes iff every
 * task passes, so the answer is the largest per-task minimum, and a task already passing
 * with the budget found so far costs a single response-time iteration.
 */
#include "rt_priv.h"

static int iface_edf(rt_time_t period, const struct rt_set *s, rt_time_t *budget)
{
    struct rt_resource r = {period, period};
    struct rt_explain ex;
    struct rt_wide lo_w;
    uint64_t work = RT_WORK_LIMIT;
    struct rt_util u;
    rt_time_t lo, hi = period;
    int rc;

    rt_util_compute(s, &u);
    if (!u.any_work) {
        *budget = 0;
        return RT_SCHEDULABLE;
    }
    rc = rt_edf_check(&r, s, &u, &work, &ex);
    if (rc != RT_SCHEDULABLE)
        return rc;
    /* Any Q <= P * num / den <= P U fails (U >= Q/P with work to do), so start above it. */
    lo_w = u.num;
    rt_wide_mul(&lo_w, period);
    rt_wide_div(&lo_w, &u.den, &lo_w);
    if (!rt_wide_to_u64(&lo_w, &lo) || lo >= period)
        lo = period - 1;
    while (hi - lo > 1) {
        r.budget = lo + (hi - lo) / 2;
        work = RT_WORK_LIMIT;
        rc = rt_edf_check(&r, s, &u, &work, &ex);
        if (rc < 0)
            return rc;
        if (rc == RT_SCHEDULABLE)
            hi = r.budget;
        else
            lo = r.budget;
    }
    *budget = hi;
    return RT_SCHEDULABLE;
}

/* Smallest budget in (lo, period] for which task i passes; RT_UNSCHEDULABLE if none. */
static int iface_rm_task(rt_time_t period, const struct rt_set *s, size_t i, rt_time_t lo,
                         rt_time_t *budget)
{
    struct rt_resource r = {period, period};
    struct rt_explain ex;
    uint64_t work = RT_WORK_LIMIT;
    rt_time_t hi = period;
    int rc = rt_rm_task_check(&r, s, i, &work, &ex);

    if (rc != RT_SCHEDULABLE)
        return rc;
    while (hi - lo > 1) {
        r.budget = lo + (hi - lo) / 2;
        work = RT_WORK_LIMIT;
        rc = rt_rm_task_check(&r, s, i, &work, &ex);
        if (rc < 0)
            return rc;
        if (rc == RT_SCHEDULABLE)
            hi = r.budget;
        else
            lo = r.budget;
    }
    *budget = hi;
    return RT_SCHEDULABLE;
}

static int iface_rm(rt_time_t period, const struct rt_set *s, rt_time_t *budget)
{
    struct rt_resource r = {period, 0};
    struct rt_explain ex;

    for (size_t i = 0; i < s->n; i++) {
        uint64_t work = RT_WORK_LIMIT;
        int rc = RT_UNSCHEDULABLE;

        if (rt_set_wcet(s, i) == 0)
            continue;
        if (r.budget)
            rc = rt_rm_task_check(&r, s, i, &work, &ex);
        if (rc < 0)
            return rc;
        if (rc == RT_SCHEDULABLE)
            continue;
        /* r.budget fails for task i (a zero budget fails any task with work). */
        rc = iface_rm_task(period, s, i, r.budget, &r.budget);
        if (rc != RT_SCHEDULABLE)
            return rc;
    }
    *budget = r.budget;
    return RT_SCHEDULABLE;
}

int rt_interface(enum rt_policy policy, rt_time_t period, const struct rt_task *tasks, size_t n,
                 rt_time_t *budget)
{
    struct rt_set s = {tasks, NULL, n};

    if (!budget || period == 0 || (n && !tasks) || rt_set_validate(&s) != RT_SCHEDULABLE)
        return RT_EINVAL;
    if (policy == RT_EDF)
        return iface_edf(period, &s, budget);
    if (policy == RT_RM)
        return iface_rm(period, &s, budget);
    return RT_EINVAL;
}
