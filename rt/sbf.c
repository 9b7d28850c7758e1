/* SPDX-License-Identifier: MIT */
/*
 * sbf.c - supply bound function of the periodic resource Gamma(P, Q) and its inverse.
 *
 * The worst case for a window starting at time 0: the budget of one period is given at its
 * very start, the next one at the very end of the following period, and every later one at
 * the end of its period. The window therefore starts with a blackout of 2B, B = P - Q, after
 * which Q units arrive, then B of nothing, then Q, ... so with t = 2B + jP + r (0 <= r < P):
 *   sbf(t) = j Q + min(r, Q),  and 0 for t <= 2B.
 * This is the closed form of Shin & Lee's k = max(ceil((t - B) / P), 1) expression, written
 * so that every intermediate value is bounded by t (no overflow, no signed arithmetic).
 */
#include "rt_priv.h"

rt_time_t rt_sbf(const struct rt_resource *r, rt_time_t t)
{
    rt_time_t p = r->period, q = r->budget, b, s;

    if (q == 0 || p == 0)
        return 0;
    if (q >= p)
        return t; /* dedicated processor */
    b = p - q;
    /* t <= 2B, tested as two steps because 2B may not fit in 64 bits */
    if (t <= b || t - b <= b)
        return 0;
    s = t - b - b;
    return s / p * q + (s % p < q ? s % p : q);
}

bool rt_sbf_inv(const struct rt_resource *r, rt_time_t demand, rt_time_t *t)
{
    rt_time_t p = r->period, q = r->budget, b, j, acc;

    if (demand == 0) {
        *t = 0;
        return true;
    }
    if (q == 0 || p == 0)
        return false;
    if (q >= p) {
        *t = demand;
        return true;
    }
    /* demand = j Q + rem with 1 <= rem <= Q is reached at 2B + j P + rem. */
    b = p - q;
    j = (demand - 1) / q;
    if (j > UINT64_MAX / p)
        return false;
    acc = j * p;
    if (!rt_add_sat(&acc, b) || !rt_add_sat(&acc, b) || !rt_add_sat(&acc, demand - j * q))
        return false;
    *t = acc;
    return true;
}
