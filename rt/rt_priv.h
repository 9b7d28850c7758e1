/* SPDX-License-Identifier: MIT */
/**
 * rt_priv.h - internals shared by the files in rt/ (not part of the API).
 *
 * Same rules as rt.h: C99, integers only, no allocation, only <stdint.h>, <stddef.h>,
 * <stdbool.h>; every file here also builds freestanding for AArch64.
 */
#ifndef EMV_RT_PRIV_H
#define EMV_RT_PRIV_H

#include "rt.h"

/* ---- 256-bit unsigned integers (wide.c) ----
 * Why: utilisations are sums of fractions whose common denominator (the hyperperiod) often
 * exceeds 64 bits, and the lsbf-based bound multiplies three 64-bit values. 256 bits hold
 * every product the analysis forms, so comparisons stay exact. */

#define RT_WIDE_WORDS 4

/** Little-endian limbs: value = sum w[i] * 2^(64 i). */
struct rt_wide {
    uint64_t w[RT_WIDE_WORDS];
};

struct rt_wide rt_wide_from(uint64_t v);
/** *a *= b; false if the product does not fit in 256 bits. */
bool rt_wide_mul(struct rt_wide *a, uint64_t b);
/** *a *= *b; false if the product does not fit in 256 bits. */
bool rt_wide_mul_wide(struct rt_wide *a, const struct rt_wide *b);
/** *a += *b; false on overflow. */
bool rt_wide_add(struct rt_wide *a, const struct rt_wide *b);
/** *a -= *b; requires *a >= *b. */
void rt_wide_sub(struct rt_wide *a, const struct rt_wide *b);
/** -1, 0, 1 as *a <, ==, > *b. */
int rt_wide_cmp(const struct rt_wide *a, const struct rt_wide *b);
/** *q = *n / *d (d != 0; q may alias n or d), bit-serial: only used a few times per analysis. */
void rt_wide_div(const struct rt_wide *n, const struct rt_wide *d, struct rt_wide *q);
/** Stores the value in *out and returns true if it fits in 64 bits. */
bool rt_wide_to_u64(const struct rt_wide *a, uint64_t *out);
/** floor(e * 2^64 / p) for e < p, and whether the division was exact. */
uint64_t rt_frac64(uint64_t e, uint64_t p, bool *exact);

/* ---- 64-bit helpers (taskset.c) ---- */

uint64_t rt_gcd(uint64_t a, uint64_t b);
/** lcm(a, b) into *out; false on overflow. a, b > 0. */
bool rt_lcm(uint64_t a, uint64_t b, uint64_t *out);
/** *acc += x; false (and *acc = RT_TIME_MAX) on overflow. */
bool rt_add_sat(uint64_t *acc, uint64_t x);
/** ceil(a / b) for b > 0 without overflow. */
uint64_t rt_div_ceil(uint64_t a, uint64_t b);

/* ---- Task sets (taskset.c) ----
 * The root test analyses interfaces (struct rt_resource) as periodic tasks. Rather than copy
 * them (no allocation), the analysis reads tasks through this view. */

struct rt_set {
    const struct rt_task *tasks;      /**< the tasks, or NULL ... */
    const struct rt_resource *ifaces; /**< ... interfaces seen as (period, budget) tasks */
    size_t n;
};

static inline rt_time_t rt_set_period(const struct rt_set *s, size_t i)
{
    return s->tasks ? s->tasks[i].period : s->ifaces[i].period;
}

static inline rt_time_t rt_set_wcet(const struct rt_set *s, size_t i)
{
    return s->tasks ? s->tasks[i].wcet : s->ifaces[i].budget;
}

/** RM priority: does task k have higher priority than task i (shorter period, then index)? */
static inline bool rt_set_hp(const struct rt_set *s, size_t k, size_t i)
{
    rt_time_t pk = rt_set_period(s, k), pi = rt_set_period(s, i);
    return pk < pi || (pk == pi && k < i);
}

/** RT_SCHEDULABLE if every task has period > 0 and wcet <= period, else RT_EINVAL. */
int rt_set_validate(const struct rt_set *s);
/** RT_SCHEDULABLE if 0 <= budget <= period > 0, else RT_EINVAL. */
int rt_resource_validate(const struct rt_resource *r);

/**
 * Utilisation U = sum e_i / p_i of a task set, kept exactly when the hyperperiod fits in 64
 * bits (num / den with den = H), else bracketed in 2^-64 steps:
 * num / 2^64 <= U <= (num + inexact) / 2^64, both strict when inexact > 0.
 */
struct rt_util {
    bool exact;         /**< num / den is U exactly; hyper is valid */
    rt_time_t hyper;    /**< lcm of the periods of tasks with wcet > 0 (exact only) */
    struct rt_wide num; /**< see above */
    struct rt_wide den; /**< H or 2^64 */
    uint64_t inexact;   /**< number of rounded-down terms (fixed-point only) */
    bool any_work;      /**< some task has wcet > 0 */
};

void rt_util_compute(const struct rt_set *s, struct rt_util *u);

/** Result of comparing U with a bandwidth Q/P. */
enum rt_cmp { RT_CMP_LT, RT_CMP_EQ, RT_CMP_GT, RT_CMP_UNKNOWN };

/** Compare U with q/p exactly, or RT_CMP_UNKNOWN when the fixed-point bracket straddles it. */
enum rt_cmp rt_util_cmp(const struct rt_util *u, rt_time_t q, rt_time_t p);

/**
 * An upper bound on U as a fraction num/den usable in exact arithmetic: num/den itself when
 * exact, else (num + inexact) / 2^64.
 */
void rt_util_upper(const struct rt_util *u, struct rt_wide *num);

/** dbf of the view; false on overflow (the demand then exceeds any 64-bit supply). */
bool rt_set_dbf(const struct rt_set *s, rt_time_t t, rt_time_t *out);
/** rbf of task i of the view for t > 0; false on overflow. */
bool rt_set_rbf(const struct rt_set *s, size_t i, rt_time_t t, rt_time_t *out);

/* ---- Analysis internals (edf.c, rm.c) ---- */

/**
 * Work accounting: each scan iteration charges the number of tasks it touches to *work
 * (starting at RT_WORK_LIMIT); false once it is spent.
 */
static inline bool rt_charge(uint64_t *work, uint64_t n)
{
    if (*work < n + 1)
        return false;
    *work -= n + 1;
    return true;
}

/** EDF inside Gamma(r) with a precomputed utilisation; fills *ex, returns ex->result. */
int rt_edf_check(const struct rt_resource *r, const struct rt_set *s, const struct rt_util *u,
                 uint64_t *work, struct rt_explain *ex);

/** RM: is task i schedulable inside Gamma(r)? RT_SCHEDULABLE / RT_UNSCHEDULABLE (or
 *  RT_ELIMIT); fills *ex on failure (t = p_i, demand = rbf(p_i), supply = sbf(p_i)). */
int rt_rm_task_check(const struct rt_resource *r, const struct rt_set *s, size_t i, uint64_t *work,
                     struct rt_explain *ex);

/** RM inside Gamma(r): every task; reports the highest-priority failing task. */
int rt_rm_check(const struct rt_resource *r, const struct rt_set *s, uint64_t *work,
                struct rt_explain *ex);

/** Fill *ex as a plain result with no evidence; returns result. */
int rt_explain_set(struct rt_explain *ex, int result, enum rt_reason why);

#endif
