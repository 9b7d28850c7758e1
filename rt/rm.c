/* SPDX-License-Identifier: MIT */
/*
 * rm.c - exact RM schedulability inside Gamma(P, Q) (Shin & Lee 2008, Thm. 2).
 *
 * Task i meets its deadlines iff some t in (0, p_i] has rbf_i(t) <= sbf(t). Rather than
 * testing every scheduling point (there can be thousands when periods span three orders of
 * magnitude), find the smallest such t by the response-time iteration t <- sbf^-1(rbf_i(t)):
 * both functions are non-decreasing, so every t' below the current iterate fails, and the
 * iteration stops at the first t with sbf^-1(rbf_i(t)) <= t, i.e. rbf_i(t) <= sbf(t).
 */
#include "rt_priv.h"

static int rm_fail(const struct rt_resource *r, const struct rt_set *s, size_t i,
                   struct rt_explain *ex)
{
    rt_time_t p = rt_set_period(s, i);

    rt_explain_set(ex, RT_UNSCHEDULABLE, RT_WHY_DEMAND);
    ex->t = p;
    rt_set_rbf(s, i, p, &ex->demand);
    ex->supply = rt_sbf(r, p);
    ex->task = i;
    return RT_UNSCHEDULABLE;
}

int rt_rm_task_check(const struct rt_resource *r, const struct rt_set *s, size_t i, uint64_t *work,
                     struct rt_explain *ex)
{
    rt_time_t t = 1, p = rt_set_period(s, i);

    if (rt_set_wcet(s, i) == 0)
        return rt_explain_set(ex, RT_SCHEDULABLE, RT_WHY_OK);
    for (;;) {
        rt_time_t d, next;

        if (!rt_charge(work, s->n))
            return rt_explain_set(ex, RT_ELIMIT, RT_WHY_ERROR);
        if (!rt_set_rbf(s, i, t, &d) || !rt_sbf_inv(r, d, &next))
            return rm_fail(r, s, i, ex); /* demand beyond any 64-bit supply */
        if (next <= t)
            return rt_explain_set(ex, RT_SCHEDULABLE, RT_WHY_OK);
        if (next > p)
            return rm_fail(r, s, i, ex);
        t = next;
    }
}

int rt_rm_check(const struct rt_resource *r, const struct rt_set *s, uint64_t *work,
                struct rt_explain *ex)
{
    struct rt_explain one;

    rt_explain_set(ex, RT_SCHEDULABLE, RT_WHY_OK);
    for (size_t i = 0; i < s->n; i++) {
        int rc = rt_rm_task_check(r, s, i, work, &one);

        if (rc < 0) {
            *ex = one;
            return rc;
        }
        if (rc == RT_SCHEDULABLE)
            continue;
        /* Report the highest-priority victim: the one a designer fixes first. */
        if (ex->task == RT_NO_TASK || rt_set_hp(s, i, ex->task))
            *ex = one;
    }
    return ex->result;
}
