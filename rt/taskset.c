/* SPDX-License-Identifier: MIT */
/*
 * taskset.c - validation, demand functions and the exact utilisation of a task set.
 */
#include "rt_priv.h"

uint64_t rt_gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;

        a = b;
        b = t;
    }
    return a;
}

bool rt_lcm(uint64_t a, uint64_t b, uint64_t *out)
{
    uint64_t q = a / rt_gcd(a, b);

    if (q > UINT64_MAX / b)
        return false;
    *out = q * b;
    return true;
}

bool rt_add_sat(uint64_t *acc, uint64_t x)
{
    if (*acc > UINT64_MAX - x) {
        *acc = UINT64_MAX;
        return false;
    }
    *acc += x;
    return true;
}

uint64_t rt_div_ceil(uint64_t a, uint64_t b)
{
    return a / b + (a % b != 0);
}

/* *acc += k * e, false on overflow. */
static bool add_mul(uint64_t *acc, uint64_t k, uint64_t e)
{
    if (e && k > UINT64_MAX / e) {
        *acc = UINT64_MAX;
        return false;
    }
    return rt_add_sat(acc, k * e);
}

int rt_resource_validate(const struct rt_resource *r)
{
    if (!r || r->period == 0 || r->budget > r->period)
        return RT_EINVAL;
    return RT_SCHEDULABLE;
}

int rt_set_validate(const struct rt_set *s)
{
    if (s->n && !s->tasks && !s->ifaces)
        return RT_EINVAL;
    for (size_t i = 0; i < s->n; i++) {
        if (rt_set_period(s, i) == 0 || rt_set_wcet(s, i) > rt_set_period(s, i))
            return RT_EINVAL;
    }
    return RT_SCHEDULABLE;
}

bool rt_set_dbf(const struct rt_set *s, rt_time_t t, rt_time_t *out)
{
    *out = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!add_mul(out, t / rt_set_period(s, i), rt_set_wcet(s, i)))
            return false;
    }
    return true;
}

bool rt_set_rbf(const struct rt_set *s, size_t i, rt_time_t t, rt_time_t *out)
{
    *out = rt_set_wcet(s, i);
    for (size_t k = 0; k < s->n; k++) {
        if (k == i || !rt_set_hp(s, k, i))
            continue;
        if (!add_mul(out, rt_div_ceil(t, rt_set_period(s, k)), rt_set_wcet(s, k)))
            return false;
    }
    return true;
}

rt_time_t rt_dbf(const struct rt_task *tasks, size_t n, rt_time_t t)
{
    struct rt_set s = {tasks, NULL, tasks ? n : 0};
    rt_time_t d;

    rt_set_dbf(&s, t, &d);
    return d;
}

rt_time_t rt_rbf(const struct rt_task *tasks, size_t n, size_t i, rt_time_t t)
{
    struct rt_set s = {tasks, NULL, tasks ? n : 0};
    rt_time_t d;

    if (i >= s.n)
        return 0;
    rt_set_rbf(&s, i, t, &d);
    return d;
}

/* U = sum e_i (H / p_i) / H, exact; false if H does not fit in 64 bits. */
static bool util_exact(const struct rt_set *s, struct rt_util *u)
{
    rt_time_t h = 1;

    for (size_t i = 0; i < s->n; i++) {
        if (rt_set_wcet(s, i) && !rt_lcm(h, rt_set_period(s, i), &h))
            return false;
    }
    u->exact = true;
    u->hyper = h;
    u->den = rt_wide_from(h);
    u->num = rt_wide_from(0);
    for (size_t i = 0; i < s->n; i++) {
        struct rt_wide term;

        if (rt_set_wcet(s, i) == 0)
            continue; /* its period need not divide h */
        term = rt_wide_from(h / rt_set_period(s, i));

        rt_wide_mul(&term, rt_set_wcet(s, i)); /* < 2^128: cannot fail */
        rt_wide_add(&u->num, &term);
    }
    return true;
}

/* U bracketed by sums of floor(e_i 2^64 / p_i). */
static void util_fixed(const struct rt_set *s, struct rt_util *u)
{
    u->exact = false;
    u->hyper = 0;
    u->num = rt_wide_from(0);
    u->den = rt_wide_from(0);
    u->den.w[1] = 1;
    u->inexact = 0;
    for (size_t i = 0; i < s->n; i++) {
        rt_time_t e = rt_set_wcet(s, i), p = rt_set_period(s, i);
        struct rt_wide term = rt_wide_from(0);
        bool exact = true;

        if (e == p)
            term.w[1] = 1; /* exactly 2^64 */
        else
            term.w[0] = rt_frac64(e, p, &exact);
        rt_wide_add(&u->num, &term);
        u->inexact += !exact;
    }
}

void rt_util_compute(const struct rt_set *s, struct rt_util *u)
{
    u->any_work = false;
    u->inexact = 0;
    for (size_t i = 0; i < s->n; i++)
        u->any_work |= rt_set_wcet(s, i) != 0;
    if (!util_exact(s, u))
        util_fixed(s, u);
}

enum rt_cmp rt_util_cmp(const struct rt_util *u, rt_time_t q, rt_time_t p)
{
    struct rt_wide lo = u->num, bw = rt_wide_from(q), hi;

    /* U <> q/p  <=>  num * p <> q * den; all products stay below 2^200. */
    rt_wide_mul(&lo, p);
    rt_wide_mul_wide(&bw, &u->den);
    if (u->exact || u->inexact == 0) {
        int c = rt_wide_cmp(&lo, &bw);

        return c < 0 ? RT_CMP_LT : c > 0 ? RT_CMP_GT : RT_CMP_EQ;
    }
    rt_util_upper(u, &hi);
    rt_wide_mul(&hi, p);
    if (rt_wide_cmp(&hi, &bw) <= 0)
        return RT_CMP_LT; /* U p 2^64 < hi <= q 2^64 */
    if (rt_wide_cmp(&lo, &bw) >= 0)
        return RT_CMP_GT; /* U p 2^64 > lo >= q 2^64 */
    return RT_CMP_UNKNOWN;
}

void rt_util_upper(const struct rt_util *u, struct rt_wide *num)
{
    struct rt_wide extra = rt_wide_from(u->exact ? 0 : u->inexact);

    *num = u->num;
    rt_wide_add(num, &extra);
}
