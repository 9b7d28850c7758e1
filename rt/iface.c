/* SPDX-License-Identifier: MIT */
/*
 * iface.c - a component's interface: the smallest integer budget for a given period.
 *
 * sbf grows with the budget at every t, so schedulability is monotone in Q and a binary
 * search finds the smallest passing budget. RM goes task by task: the set passes iff every
 * task passes, so the answer is the largest per-task minimum, and a task already passing
 * with the budget found so far costs a single response-time iteration.
 *
 * A probe may exceed the work limit (RT_ELIMIT): EDF budgets within a hair of U P need a scan
 * up to 2BQ / (Q - UP). Such a budget is undecided, not failed: the search goes on above it,
 * and the result is the smallest budget proven to pass together with the number of budgets
 * below it that were neither proven to pass nor to fail (0: the budget is the minimum).
 */
#include "rt_priv.h"

/* One probe of the search: is budget q enough? RT_SCHEDULABLE, RT_UNSCHEDULABLE, or an error. */
typedef int (*iface_probe)(const struct rt_set *s, size_t i, const struct rt_util *u,
                           const struct rt_resource *r);

static int probe_edf(const struct rt_set *s, size_t i, const struct rt_util *u,
                     const struct rt_resource *r)
{
    struct rt_explain ex;
    uint64_t work = RT_IFACE_PROBE_LIMIT;

    (void)i;
    return rt_edf_check(r, s, u, &work, &ex);
}

static int probe_rm(const struct rt_set *s, size_t i, const struct rt_util *u,
                    const struct rt_resource *r)
{
    struct rt_explain ex;
    uint64_t work = RT_IFACE_PROBE_LIMIT;

    (void)u;
    return rt_rm_task_check(r, s, i, &work, &ex);
}

/*
 * Binary search for the smallest passing budget in (lo, hi]: hi is known to pass, lo to fail
 * or to be undecided, and failed <= lo is the largest budget known to fail. A probe that runs
 * out of work raises the lower end of the search without counting as a failure;
 * out->undecided is the number of budgets between the largest proven failure and the answer.
 */
static int iface_search(iface_probe probe, rt_time_t period, const struct rt_set *s, size_t i,
                        const struct rt_util *u, rt_time_t lo, rt_time_t failed, rt_time_t hi,
                        struct rt_iface_result *out)
{
    struct rt_resource r = {period, 0};

    while (hi - lo > 1) {
        int rc;

        r.budget = lo + (hi - lo) / 2;
        rc = probe(s, i, u, &r);
        if (rc == RT_SCHEDULABLE) {
            hi = r.budget;
            continue;
        }
        if (rc == RT_UNSCHEDULABLE)
            failed = r.budget;
        else if (rc != RT_ELIMIT)
            return rc;
        lo = r.budget;
    }
    out->budget = hi;
    out->undecided = hi - failed - 1;
    return RT_SCHEDULABLE;
}

static int iface_edf(rt_time_t period, const struct rt_set *s, struct rt_iface_result *out)
{
    struct rt_resource r = {period, period};
    struct rt_wide lo_w;
    struct rt_util u;
    rt_time_t lo;
    int rc;

    rt_util_compute(s, &u);
    if (!u.any_work) {
        out->budget = 0;
        return RT_SCHEDULABLE;
    }
    rc = probe_edf(s, 0, &u, &r);
    if (rc != RT_SCHEDULABLE)
        return rc;
    /* Any Q <= P * num / den <= P U fails (U >= Q/P with work to do), so start above it. */
    lo_w = u.num;
    rt_wide_mul(&lo_w, period);
    rt_wide_div(&lo_w, &u.den, &lo_w);
    if (!rt_wide_to_u64(&lo_w, &lo) || lo >= period)
        lo = period - 1;
    return iface_search(probe_edf, period, s, 0, &u, lo, lo, period, out);
}

static int iface_rm(rt_time_t period, const struct rt_set *s, struct rt_iface_result *out)
{
    struct rt_resource r = {period, 0};
    rt_time_t failed = 0; /* largest budget proven to fail some task (0 fails any work) */

    for (size_t i = 0; i < s->n; i++) {
        struct rt_iface_result one = {0, 0};
        rt_time_t lo = r.budget, failed_i = 0;
        int rc = RT_UNSCHEDULABLE;

        if (rt_set_wcet(s, i) == 0)
            continue;
        if (r.budget)
            rc = probe_rm(s, i, NULL, &r);
        if (rc == RT_SCHEDULABLE)
            continue;
        if (rc == RT_UNSCHEDULABLE)
            failed_i = lo;
        else if (rc != RT_ELIMIT)
            return rc;
        /* r.budget does not pass task i (a zero budget fails any task with work). */
        r.budget = period;
        rc = probe_rm(s, i, NULL, &r);
        if (rc != RT_SCHEDULABLE)
            return rc;
        rc = iface_search(probe_rm, period, s, i, NULL, lo, failed_i, period, &one);
        if (rc != RT_SCHEDULABLE)
            return rc;
        /* The set needs the largest per-task minimum; a budget failing one task fails all. */
        r.budget = one.budget;
        if (one.budget - one.undecided - 1 > failed)
            failed = one.budget - one.undecided - 1;
    }
    out->budget = r.budget;
    out->undecided = r.budget ? r.budget - failed - 1 : 0;
    return RT_SCHEDULABLE;
}

int rt_interface_ex(enum rt_policy policy, rt_time_t period, const struct rt_task *tasks, size_t n,
                    struct rt_iface_result *out)
{
    struct rt_set s = {tasks, NULL, n};

    if (!out || period == 0 || (n && !tasks) || rt_set_validate(&s) != RT_SCHEDULABLE)
        return RT_EINVAL;
    out->budget = 0;
    out->undecided = 0;
    if (policy == RT_EDF)
        return iface_edf(period, &s, out);
    if (policy == RT_RM)
        return iface_rm(period, &s, out);
    return RT_EINVAL;
}

int rt_interface(enum rt_policy policy, rt_time_t period, const struct rt_task *tasks, size_t n,
                 rt_time_t *budget)
{
    struct rt_iface_result res;
    int rc;

    if (!budget)
        return RT_EINVAL;
    rc = rt_interface_ex(policy, period, tasks, n, &res);
    if (rc == RT_SCHEDULABLE)
        *budget = res.budget;
    return rc;
}
