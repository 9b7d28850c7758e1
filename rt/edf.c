/* SPDX-License-Identifier: MIT */
/*
 * edf.c - exact EDF schedulability of implicit-deadline periodic tasks inside Gamma(P, Q).
 *
 * Condition (Shin & Lee 2008, Thm. 1): dbf(t) <= sbf(t) for every t > 0. dbf only steps at
 * deadlines and sbf never decreases, so deadlines are the only points to check, and only
 * those below a bound:
 *  - U > Q/P: demand outgrows supply, unschedulable. U = Q/P < 1 also fails: at multiples of
 *    the hyperperiod dbf = U t while sbf(t) <= (Q/P)(t - B) < U t.
 *  - U < Q/P, lsbf bound: dbf(t) <= U t and sbf(t) >= lsbf(t) = (Q/P)(t - 2B), so every
 *    t >= T = 2BQ / (Q - U P) is safe.
 *  - U <= Q/P, hyperperiod bound: for t >= B, dbf - sbf is unchanged or lower after
 *    L = lcm(H, P), so t <= B + L suffice.
 * The smaller bound that fits in 64 bits is used; with neither, the answer is RT_EOVERFLOW.
 * The first deadline of each task is tested first (where most failures are); then the
 * deadlines below the bound are checked backwards, QPA-style (Zhang & Burns 2009):
 * having checked t, every t' in [sbf^-1(dbf(t)), t] is safe because dbf(t') <= dbf(t) <=
 * sbf(t'), so the scan jumps to the last deadline before sbf^-1(dbf(t)).
 */
#include "rt_priv.h"

/*
 * t = the largest deadline (multiple of a period of a task with work) strictly below x, or 0,
 * and *dbf = dbf(t). No deadline lies in (t, x - 1], so dbf(t) = dbf(x - 1): one division per
 * task yields both, which halves the cost of a scan step.
 */
static rt_time_t deadline_before(const struct rt_set *s, rt_time_t x, rt_time_t *dbf, bool *ok)
{
    rt_time_t best = 0;

    *dbf = 0;
    *ok = true;
    if (x <= 1)
        return 0;
    for (size_t i = 0; i < s->n; i++) {
        rt_time_t p = rt_set_period(s, i), e = rt_set_wcet(s, i), k = (x - 1) / p;

        if (!e)
            continue;
        if (k * p > best)
            best = k * p;
        if (k > UINT64_MAX / e || !rt_add_sat(dbf, k * e))
            *ok = false; /* demand beyond 64 bits: certainly above supply */
    }
    return best;
}

/* T = ceil(2BQ den / (Q den - P num_hi)) with U <= num_hi / den; false if it exceeds 64 bits. */
static bool lsbf_bound(const struct rt_resource *r, const struct rt_util *u, rt_time_t *t)
{
    struct rt_wide x = rt_wide_from(r->budget), y, n = rt_wide_from(r->period - r->budget), q;

    rt_util_upper(u, &y);
    rt_wide_mul_wide(&x, &u->den);
    rt_wide_mul(&y, r->period);
    if (rt_wide_cmp(&x, &y) <= 0)
        return false; /* the upper bound on U is not below Q/P: no finite T from it */
    rt_wide_sub(&x, &y);
    rt_wide_mul(&n, 2);
    rt_wide_mul(&n, r->budget);
    rt_wide_mul_wide(&n, &u->den); /* < 2^194 */
    y = x;
    rt_wide_sub(&y, &(struct rt_wide){{1, 0, 0, 0}});
    rt_wide_add(&n, &y); /* ceiling division */
    rt_wide_div(&n, &x, &q);
    return rt_wide_to_u64(&q, t);
}

/* Exclusive upper limit of the deadlines to check; false when no bound fits in 64 bits. */
static bool edf_limit(const struct rt_resource *r, const struct rt_util *u, rt_time_t *limit)
{
    bool have = lsbf_bound(r, u, limit);
    rt_time_t l, lim = r->period - r->budget;

    if (u->exact && rt_lcm(u->hyper, r->period, &l) && rt_add_sat(&lim, l) && rt_add_sat(&lim, 1) &&
        (!have || lim < *limit)) {
        *limit = lim;
        have = true;
    }
    return have;
}

static int edf_fail(struct rt_explain *ex, rt_time_t t, rt_time_t demand, rt_time_t supply)
{
    rt_explain_set(ex, RT_UNSCHEDULABLE, RT_WHY_DEMAND);
    ex->t = t;
    ex->demand = demand;
    ex->supply = supply;
    return RT_UNSCHEDULABLE;
}

/*
 * Most failures happen at the first deadlines, right after the blackout, while the backward
 * scan would reach them last: test each task's first deadline up front (n points, O(n^2)).
 */
static int edf_first_deadlines(const struct rt_resource *r, const struct rt_set *s, rt_time_t limit,
                               uint64_t *work, struct rt_explain *ex)
{
    for (size_t i = 0; i < s->n; i++) {
        rt_time_t t = rt_set_period(s, i), d, supply;

        if (t >= limit || !rt_set_wcet(s, i))
            continue;
        if (!rt_charge(work, s->n))
            return rt_explain_set(ex, RT_ELIMIT, RT_WHY_ERROR);
        supply = rt_sbf(r, t);
        if (!rt_set_dbf(s, t, &d) || d > supply)
            return edf_fail(ex, t, d, supply);
    }
    return RT_SCHEDULABLE;
}

static int edf_scan(const struct rt_resource *r, const struct rt_set *s, rt_time_t limit,
                    uint64_t *work, struct rt_explain *ex)
{
    rt_time_t d, x;
    bool ok;
    rt_time_t t = deadline_before(s, limit, &d, &ok);

    while (t > 0) {
        rt_time_t supply = rt_sbf(r, t);

        if (!rt_charge(work, s->n))
            return rt_explain_set(ex, RT_ELIMIT, RT_WHY_ERROR);
        if (!ok || d > supply)
            return edf_fail(ex, t, ok ? d : RT_TIME_MAX, supply);
        rt_sbf_inv(r, d, &x); /* d <= sbf(t), so x <= t */
        t = deadline_before(s, x, &d, &ok);
    }
    return rt_explain_set(ex, RT_SCHEDULABLE, RT_WHY_OK);
}

int rt_edf_check(const struct rt_resource *r, const struct rt_set *s, const struct rt_util *u,
                 uint64_t *work, struct rt_explain *ex)
{
    rt_time_t limit;

    if (!u->any_work)
        return rt_explain_set(ex, RT_SCHEDULABLE, RT_WHY_OK);
    switch (rt_util_cmp(u, r->budget, r->period)) {
    case RT_CMP_GT:
        return rt_explain_set(ex, RT_UNSCHEDULABLE, RT_WHY_UTIL);
    case RT_CMP_EQ:
        if (r->budget == r->period)
            return rt_explain_set(ex, RT_SCHEDULABLE, RT_WHY_OK);
        return rt_explain_set(ex, RT_UNSCHEDULABLE, RT_WHY_UTIL);
    case RT_CMP_UNKNOWN:
        return rt_explain_set(ex, RT_EOVERFLOW, RT_WHY_ERROR);
    case RT_CMP_LT:
        break;
    }
    if (r->budget == r->period)
        return rt_explain_set(ex, RT_SCHEDULABLE, RT_WHY_OK);
    if (!edf_limit(r, u, &limit))
        return rt_explain_set(ex, RT_EOVERFLOW, RT_WHY_ERROR);
    if (edf_first_deadlines(r, s, limit, work, ex) != RT_SCHEDULABLE)
        return ex->result;
    return edf_scan(r, s, limit, work, ex);
}
