/* SPDX-License-Identifier: MIT */
/*
 * check.c - the public checks: a component inside its resource, and the root test.
 */
#include "rt_priv.h"

int rt_explain_set(struct rt_explain *ex, int result, enum rt_reason why)
{
    ex->result = result;
    ex->reason = why;
    ex->t = 0;
    ex->demand = 0;
    ex->supply = 0;
    ex->task = RT_NO_TASK;
    return result;
}

static int check_set(enum rt_policy policy, const struct rt_resource *r, const struct rt_set *s,
                     struct rt_explain *ex)
{
    uint64_t work = RT_WORK_LIMIT;
    struct rt_util u;

    if (rt_resource_validate(r) != RT_SCHEDULABLE || rt_set_validate(s) != RT_SCHEDULABLE)
        return rt_explain_set(ex, RT_EINVAL, RT_WHY_ERROR);
    if (policy == RT_RM)
        return rt_rm_check(r, s, &work, ex);
    if (policy != RT_EDF)
        return rt_explain_set(ex, RT_EINVAL, RT_WHY_ERROR);
    rt_util_compute(s, &u);
    return rt_edf_check(r, s, &u, &work, ex);
}

int rt_check_explain(enum rt_policy policy, const struct rt_resource *r,
                     const struct rt_task *tasks, size_t n, struct rt_explain *ex)
{
    struct rt_set s = {tasks, NULL, n};

    if (!ex)
        return RT_EINVAL;
    if (n && !tasks)
        return rt_explain_set(ex, RT_EINVAL, RT_WHY_ERROR);
    return check_set(policy, r, &s, ex);
}

int rt_check(enum rt_policy policy, const struct rt_resource *r, const struct rt_task *tasks,
             size_t n)
{
    struct rt_explain ex;

    return rt_check_explain(policy, r, tasks, n, &ex);
}

int rt_root_check(enum rt_policy policy, const struct rt_resource *ifaces, size_t n)
{
    /* The physical CPU is Gamma(1, 1): sbf(t) = t, so EDF reduces to sum Q/P <= 1 and RM to
     * classic response-time analysis, both exact. */
    static const struct rt_resource cpu = {1, 1};
    struct rt_set s = {NULL, ifaces, n};
    struct rt_explain ex;

    if (n && !ifaces)
        return RT_EINVAL;
    return check_set(policy, &cpu, &s, &ex);
}

const char *rt_strerror(int result)
{
    switch (result) {
    case RT_SCHEDULABLE:
        return "schedulable";
    case RT_UNSCHEDULABLE:
        return "unschedulable";
    case RT_EINVAL:
        return "invalid argument (zero period, wcet or budget above period, ...)";
    case RT_EOVERFLOW:
        return "analysis bound does not fit in 64 bits (hyperperiod overflow)";
    case RT_ELIMIT:
        return "exact test exceeds the work limit (demand too close to supply for too long)";
    default:
        return "unknown result";
    }
}
