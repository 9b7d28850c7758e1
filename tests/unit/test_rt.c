/* SPDX-License-Identifier: MIT */
/*
 * test_rt.c - the rt/ analysis: hand-checked vectors, brute-force cross-checks and seeded
 * property tests (deterministic, a few seconds in all).
 *
 * About Shin & Lee 2008 ("Compositional real-time scheduling framework with periodic model",
 * ACM TECS 7(3)): their figures draw sbf of small resources such as Gamma(3, 2) and the
 * worst-case supply pattern with the 2(P - Q) blackout; test_sbf_vectors checks those
 * shapes value by value (derived by hand from the definition, not read off the figures). The
 * paper's numeric interface tables were not available offline, so the interface vectors
 * below are hand-derived instead (each with its derivation).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rt.h"
#include "rt_priv.h" /* the work-limit test drives the internals with a tiny budget */
#include "rt_sim.h"

typedef __int128 i128;

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- References: literal formulas and brute force, deliberately naive ---- */

static i128 floor_div(i128 a, i128 b)
{
    i128 q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Shin & Lee (docs/rtsa.md): k = max(ceil((t - (P - Q)) / P), 1), then the two cases. */
static uint64_t paper_sbf(uint64_t p, uint64_t q, uint64_t t)
{
    i128 P = p, Q = q, T = t, k = -floor_div(-(T - (P - Q)), P);

    if (k < 1)
        k = 1;
    if ((k + 1) * P - 2 * Q <= T && T <= (k + 1) * P - Q)
        return (uint64_t)(T - (k + 1) * (P - Q));
    return (uint64_t)((k - 1) * Q);
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    return b ? gcd64(b, a % b) : a;
}

static uint64_t lcm_all(uint64_t p, const struct rt_task *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p = p / gcd64(p, t[i].period) * t[i].period;
    return p;
}

static uint64_t naive_dbf(const struct rt_task *t, size_t n, uint64_t x)
{
    uint64_t d = 0;

    for (size_t i = 0; i < n; i++)
        d += x / t[i].period * t[i].wcet;
    return d;
}

/* EDF: U vs Q/P (exact rationals), then dbf <= sbf at every integer t up to 2B + 2L. */
static int ref_edf(uint64_t p, uint64_t q, const struct rt_task *t, size_t n)
{
    uint64_t h = lcm_all(1, t, n), l = lcm_all(p, t, n), b = p - q;
    i128 uh = 0;

    for (size_t i = 0; i < n; i++)
        uh += (i128)t[i].wcet * (h / t[i].period);
    if (uh * p > (i128)q * h || (uh * p == (i128)q * h && uh > 0 && q < p))
        return RT_UNSCHEDULABLE;
    for (uint64_t x = 1; x <= 2 * b + 2 * l; x++) {
        if (naive_dbf(t, n, x) > paper_sbf(p, q, x))
            return RT_UNSCHEDULABLE;
    }
    return RT_SCHEDULABLE;
}

/* RM: for every task, some integer t in [1, p_i] with rbf_i(t) <= sbf(t). */
static int ref_rm(uint64_t p, uint64_t q, const struct rt_task *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool ok = false;

        for (uint64_t x = 1; x <= t[i].period && !ok; x++) {
            uint64_t d = t[i].wcet;

            for (size_t k = 0; k < n; k++) {
                if (t[k].period < t[i].period || (t[k].period == t[i].period && k < i))
                    d += (x + t[k].period - 1) / t[k].period * t[k].wcet;
            }
            ok = d <= paper_sbf(p, q, x);
        }
        if (!ok)
            return RT_UNSCHEDULABLE;
    }
    return RT_SCHEDULABLE;
}

static int ref_check(enum rt_policy pol, uint64_t p, uint64_t q, const struct rt_task *t, size_t n)
{
    return pol == RT_EDF ? ref_edf(p, q, t, n) : ref_rm(p, q, t, n);
}

static uint64_t sbf(uint64_t p, uint64_t q, uint64_t t)
{
    struct rt_resource r = {p, q};

    return rt_sbf(&r, t);
}

static int check(enum rt_policy pol, uint64_t p, uint64_t q, const struct rt_task *t, size_t n)
{
    struct rt_resource r = {p, q};

    return rt_check(pol, &r, t, n);
}

/* ---- sbf ---- */

static void test_sbf_vectors(void **state)
{
    (void)state;
    /* Gamma(10, 4): blackout 2B = 12, then 4 units, 6 nothing, 4 units, ... */
    static const uint64_t g10_4[][2] = {
        {0, 0},  {6, 0},  {11, 0},  {12, 0}, /* blackout, both ends */
        {13, 1}, {14, 2}, {16, 4},           /* first window [12, 16] */
        {17, 4}, {22, 4},                    /* gap (16, 22] */
        {23, 5}, {26, 8},                    /* second window [22, 26] */
        {27, 8}, {32, 8}, {36, 12},          /* gap, third window ends at 36 */
    };
    /* Gamma(3, 2), the shape drawn in the paper: 2B = 2, then +2 per 3 with a 1-unit gap. */
    static const uint64_t g3_2[][2] = {{0, 0}, {2, 0}, {3, 1}, {4, 2}, {5, 2},
                                       {6, 3}, {7, 4}, {8, 4}, {9, 5}, {10, 6}};

    for (size_t i = 0; i < ARRAY_LEN(g10_4); i++)
        assert_int_equal(sbf(10, 4, g10_4[i][0]), g10_4[i][1]);
    for (size_t i = 0; i < ARRAY_LEN(g3_2); i++)
        assert_int_equal(sbf(3, 2, g3_2[i][0]), g3_2[i][1]);
    /* No budget: never any supply. Full budget: a dedicated CPU. */
    assert_int_equal(sbf(5, 0, 1000), 0);
    assert_int_equal(sbf(5, 5, 0), 0);
    assert_int_equal(sbf(5, 5, 7), 7);
    assert_int_equal(sbf(1, 1, UINT64_MAX), UINT64_MAX);
    /* 64-bit edges: 2B overflows; t - 2B = 2^64 - 3 lies in the first window. */
    assert_int_equal(sbf(UINT64_MAX, 1, UINT64_MAX), 0);
    assert_int_equal(sbf(UINT64_MAX, UINT64_MAX - 1, UINT64_MAX), UINT64_MAX - 2);
    assert_int_equal(sbf(UINT64_MAX, UINT64_MAX - 1, 2), 0);
    assert_int_equal(sbf(UINT64_MAX, UINT64_MAX - 1, 3), 1);
}

/* Every P <= 16, every Q, every t up to 6P: closed form == the paper's formula. */
static void test_sbf_matches_paper_formula(void **state)
{
    (void)state;
    for (uint64_t p = 1; p <= 16; p++) {
        for (uint64_t q = 0; q <= p; q++) {
            for (uint64_t t = 0; t <= 6 * p; t++)
                assert_int_equal(sbf(p, q, t), paper_sbf(p, q, t));
        }
    }
}

static void test_sbf_inv(void **state)
{
    (void)state;
    struct rt_resource r = {10, 4}, none = {10, 0}, full = {7, 7}, edge = {UINT64_MAX, 1};
    uint64_t rng = 11, t;

    assert_true(rt_sbf_inv(&r, 0, &t) && t == 0);
    assert_true(rt_sbf_inv(&r, 1, &t) && t == 13);
    assert_true(rt_sbf_inv(&r, 4, &t) && t == 16);
    assert_true(rt_sbf_inv(&r, 5, &t) && t == 23);
    assert_false(rt_sbf_inv(&none, 1, &t));
    assert_true(rt_sbf_inv(&full, 9, &t) && t == 9);
    assert_false(rt_sbf_inv(&edge, 1, &t)); /* would be 2(2^64 - 2) + 1 */
    /* Property: the smallest t with sbf(t) >= s. */
    for (int i = 0; i < 20000; i++) {
        struct rt_resource g;
        uint64_t s;

        g.period = 1 + rt_sim_rand(&rng) % 1000000;
        g.budget = 1 + rt_sim_rand(&rng) % g.period;
        s = rt_sim_rand(&rng) % 100000000;
        assert_true(rt_sbf_inv(&g, s, &t));
        assert_true(rt_sbf(&g, t) >= s);
        assert_true(t == 0 || rt_sbf(&g, t - 1) < s);
    }
}

/* Property: sbf is non-decreasing in t and in Q. */
static void test_sbf_monotone(void **state)
{
    (void)state;
    uint64_t rng = 1;

    for (int i = 0; i < 50000; i++) {
        uint64_t p = 1 + rt_sim_rand(&rng) % (i % 2 ? 50 : 1000000000);
        uint64_t q = rt_sim_rand(&rng) % (p + 1);
        uint64_t t = rt_sim_rand(&rng) % (8 * p + 3), dt = rt_sim_rand(&rng) % (p + 1);

        assert_true(sbf(p, q, t) <= sbf(p, q, t + 1));
        assert_true(sbf(p, q, t) <= sbf(p, q, t + dt));
        if (q < p)
            assert_true(sbf(p, q, t) <= sbf(p, q + 1, t));
        assert_true(sbf(p, q, t) <= t);
    }
}

/* Property: sbf(t) >= lsbf(t) = (Q/P)(t - 2(P - Q)), compared as P sbf >= Q (t - 2B). */
static void test_sbf_above_lsbf(void **state)
{
    (void)state;
    uint64_t rng = 2;

    for (int i = 0; i < 50000; i++) {
        uint64_t p = 1 + rt_sim_rand(&rng) % (i % 2 ? 40 : UINT32_MAX);
        uint64_t q = rt_sim_rand(&rng) % (p + 1);
        uint64_t t = rt_sim_rand(&rng) % (10 * p + 1);
        i128 rhs = (i128)q * ((i128)t - 2 * (i128)(p - q));

        assert_true((i128)sbf(p, q, t) * p >= rhs);
    }
}

/* ---- demand ---- */

static void test_dbf_rbf_vectors(void **state)
{
    (void)state;
    const struct rt_task t[] = {{4, 1}, {6, 2}, {4, 3}};
    const struct rt_task big[] = {{1, 1}, {1, 1}};

    assert_int_equal(rt_dbf(t, 3, 3), 0);
    assert_int_equal(rt_dbf(t, 3, 4), 4);
    assert_int_equal(rt_dbf(t, 3, 12), 3 + 4 + 9);
    /* rbf of task 2 (period 4, after task 0 by index): 3 + ceil(t/4) 1 */
    assert_int_equal(rt_rbf(t, 3, 2, 1), 4);
    assert_int_equal(rt_rbf(t, 3, 2, 5), 5);
    /* task 1 (period 6) is interfered with by both period-4 tasks */
    assert_int_equal(rt_rbf(t, 3, 1, 6), 2 + 2 * 1 + 2 * 3);
    assert_int_equal(rt_rbf(t, 3, 0, 100), 1);
    assert_int_equal(rt_dbf(big, 2, UINT64_MAX), UINT64_MAX); /* saturates */
}

/* ---- checks ---- */

static void test_edf_vectors(void **state)
{
    (void)state;
    /* One task (p, 4) in Gamma(10, 4): its first deadline needs sbf(p) >= 4, i.e. p >= 16. */
    const struct rt_task t15 = {15, 4}, t16 = {16, 4}, t30 = {30, 4};
    /* U = 1 on a dedicated CPU: exactly schedulable; with a blackout U = Q/P is not. */
    const struct rt_task full[] = {{4, 2}, {6, 3}};
    const struct rt_task half[] = {{4, 1}, {8, 2}};

    assert_int_equal(check(RT_EDF, 10, 4, &t15, 1), RT_UNSCHEDULABLE);
    assert_int_equal(check(RT_EDF, 10, 4, &t16, 1), RT_SCHEDULABLE);
    assert_int_equal(check(RT_EDF, 10, 4, &t30, 1), RT_SCHEDULABLE);
    assert_int_equal(check(RT_EDF, 1, 1, full, 2), RT_SCHEDULABLE);
    assert_int_equal(check(RT_EDF, 7, 7, full, 2), RT_SCHEDULABLE);
    assert_int_equal(check(RT_EDF, 2, 1, half, 2), RT_UNSCHEDULABLE);
    assert_int_equal(check(RT_EDF, 5, 0, NULL, 0), RT_SCHEDULABLE);
}

static void test_rm_vectors(void **state)
{
    (void)state;
    /* Dedicated CPU, classic RTA: R2 = 3 + ceil(R2/4) 2 converges at 7 > 6. */
    const struct rt_task full[] = {{4, 2}, {6, 3}};
    /* R2 = 2 + ceil(R2/4) 1 = 3 <= 6. */
    const struct rt_task light[] = {{4, 1}, {6, 2}};
    /* Equal periods: the later one waits for the earlier; (10,3),(10,3) in Gamma(5,4):
     * task 1 needs 6 units by t = 10: sbf(10) = 7 (2B = 2, then 4, gap 1, 3 more); with
     * Q = 3, sbf(10) = 4 (2B = 4, then 3, gap 2, 1 more). */
    const struct rt_task tie[] = {{10, 3}, {10, 3}};

    assert_int_equal(check(RT_RM, 1, 1, full, 2), RT_UNSCHEDULABLE);
    assert_int_equal(check(RT_RM, 1, 1, light, 2), RT_SCHEDULABLE);
    assert_int_equal(check(RT_RM, 5, 4, tie, 2), RT_SCHEDULABLE);
    assert_int_equal(check(RT_RM, 5, 3, tie, 2), RT_UNSCHEDULABLE);
}

/* RM ties go in array (= file) order: of two equal periods the earlier entry has priority.
 * For implicit deadlines that never changes a verdict (the last tied task sees the same total
 * demand either way), but it decides which task fails and each task's interference. */
static void test_rm_tie_order(void **state)
{
    (void)state;
    const struct rt_task ab[] = {{10, 6}, {10, 5}};
    const struct rt_task ba[] = {{10, 5}, {10, 6}};
    struct rt_resource r = {5, 5};
    struct rt_explain ex;

    assert_int_equal(rt_rbf(ab, 2, 0, 10), 6);  /* first: nothing above it */
    assert_int_equal(rt_rbf(ab, 2, 1, 10), 11); /* second: waits for the first */
    assert_int_equal(rt_rbf(ba, 2, 0, 10), 5);
    assert_int_equal(rt_rbf(ba, 2, 1, 10), 11);
    assert_int_equal(rt_check_explain(RT_RM, &r, ab, 2, &ex), RT_UNSCHEDULABLE);
    assert_int_equal(ex.task, 1); /* the later entry fails, whichever it is */
    assert_int_equal(rt_check_explain(RT_RM, &r, ba, 2, &ex), RT_UNSCHEDULABLE);
    assert_int_equal(ex.task, 1);
}

static void test_explain(void **state)
{
    (void)state;
    struct rt_resource r = {10, 4}, cpu = {1, 1};
    const struct rt_task t15 = {15, 4};
    const struct rt_task full[] = {{4, 2}, {6, 3}};
    const struct rt_task heavy[] = {{10, 5}};
    struct rt_explain ex;

    assert_int_equal(rt_check_explain(RT_EDF, &r, &t15, 1, &ex), RT_UNSCHEDULABLE);
    assert_int_equal(ex.reason, RT_WHY_DEMAND);
    assert_true(ex.demand > ex.supply);
    assert_int_equal(ex.supply, rt_sbf(&r, ex.t));
    assert_int_equal(ex.demand, rt_dbf(&t15, 1, ex.t));
    assert_int_equal(rt_check_explain(RT_RM, &cpu, full, 2, &ex), RT_UNSCHEDULABLE);
    assert_int_equal(ex.task, 1);
    assert_int_equal(ex.t, 6);
    assert_int_equal(ex.demand, 3 + 2 * 2);
    assert_int_equal(ex.supply, 6);
    assert_int_equal(rt_check_explain(RT_EDF, &r, heavy, 1, &ex), RT_UNSCHEDULABLE);
    assert_int_equal(ex.reason, RT_WHY_UTIL);
    assert_int_equal(rt_check_explain(RT_EDF, &cpu, full, 2, &ex), RT_SCHEDULABLE);
    assert_int_equal(ex.reason, RT_WHY_OK);
    assert_int_equal(ex.task, RT_NO_TASK);
}

static void test_invalid(void **state)
{
    (void)state;
    struct rt_resource ok = {10, 5}, zero = {0, 0}, over = {10, 11};
    const struct rt_task good = {10, 1}, nop = {0, 0}, fat = {10, 11};
    uint64_t b;

    assert_int_equal(rt_check(RT_EDF, &zero, &good, 1), RT_EINVAL);
    assert_int_equal(rt_check(RT_RM, &over, &good, 1), RT_EINVAL);
    assert_int_equal(rt_check(RT_EDF, &ok, &nop, 1), RT_EINVAL);
    assert_int_equal(rt_check(RT_RM, &ok, &fat, 1), RT_EINVAL);
    assert_int_equal(rt_check(RT_EDF, NULL, &good, 1), RT_EINVAL);
    assert_int_equal(rt_check(RT_EDF, &ok, NULL, 1), RT_EINVAL);
    assert_int_equal(rt_check((enum rt_policy)7, &ok, &good, 1), RT_EINVAL);
    assert_int_equal(rt_interface(RT_EDF, 0, &good, 1, &b), RT_EINVAL);
    assert_int_equal(rt_interface(RT_EDF, 10, &fat, 1, &b), RT_EINVAL);
    assert_int_equal(rt_interface(RT_RM, 10, &good, 1, NULL), RT_EINVAL);
    assert_int_equal(rt_root_check(RT_EDF, &over, 1), RT_EINVAL);
    assert_int_equal(rt_root_check(RT_RM, NULL, 2), RT_EINVAL);
    assert_int_equal(rt_check_explain(RT_EDF, &ok, &good, 1, NULL), RT_EINVAL);
}

/*
 * Hyperperiod beyond 64 bits and utilisation within 1/p2 of Q/P: neither the hyperperiod bound
 * nor the lsbf bound (about 3e29) fits, so the answer must be RT_EOVERFLOW, not a guess.
 * p1, p2 are primes below 2^33; e2 = -p1^-1 mod p2 makes U P = Q - 1/p2 (computed offline).
 */
static void test_overflow(void **state)
{
    (void)state;
    const struct rt_task t[] = {{8589934583u, 1}, {8589933581u, 3437687990u}};
    /* Root: two interfaces with budgets summing to 1 - 1/(P1 P2), P1, P2 primes near 2^62:
     * the 2^-64 bracket cannot separate that from 1. */
    const struct rt_resource ifaces[] = {{4611686018427387847u, 3466855191045852092u},
                                         {4611686018427386707u, 1144830827381535472u}};
    const struct rt_resource light[] = {{4611686018427387847u, 1}, {4611686018427386707u, 1}};

    assert_int_equal(check(RT_EDF, 8589934583u, 3437688392u, t, 2), RT_EOVERFLOW);
    assert_int_equal(rt_root_check(RT_EDF, ifaces, 2), RT_EOVERFLOW);
    assert_int_equal(rt_root_check(RT_EDF, light, 2), RT_SCHEDULABLE);
    /* Far from the edge the same tasks are decided despite the hyperperiod: with Q = 0.8 P,
     * 2B = 3.4e9 and sbf(p2) = p2 - 2B = 5.2e9 >= e2; with Q = 0.6 P, sbf(p2) = 1.7e9 < e2. */
    assert_int_equal(check(RT_EDF, 8589934583u, 6871947666u, t, 2), RT_SCHEDULABLE);
    assert_int_equal(check(RT_EDF, 8589934583u, 5153960749u, t, 2), RT_UNSCHEDULABLE);
    assert_int_equal(check(RT_EDF, 8589934583u, 3437688392u - 100, t, 2), RT_UNSCHEDULABLE);
    assert_string_equal(rt_strerror(RT_EOVERFLOW),
                        "analysis bound does not fit in 64 bits (hyperperiod overflow)");
}

/* Past the work cap the answer is RT_ELIMIT, never a guess; with the normal cap it decides. */
static void test_work_limit(void **state)
{
    (void)state;
    const struct rt_task t[] = {{15, 4}, {30, 4}};
    struct rt_set s = {t, NULL, 2};
    struct rt_resource r = {10, 6};
    struct rt_explain ex;
    struct rt_util u;
    uint64_t work = 2;

    rt_util_compute(&s, &u);
    assert_int_equal(rt_edf_check(&r, &s, &u, &work, &ex), RT_ELIMIT);
    assert_int_equal(ex.reason, RT_WHY_ERROR);
    work = 1;
    assert_int_equal(rt_rm_task_check(&r, &s, 1, &work, &ex), RT_ELIMIT);
    work = RT_WORK_LIMIT;
    assert_int_equal(rt_edf_check(&r, &s, &u, &work, &ex), RT_SCHEDULABLE);
    assert_true(work < RT_WORK_LIMIT);
    work = RT_WORK_LIMIT;
    assert_int_equal(rt_rm_check(&r, &s, &work, &ex), RT_SCHEDULABLE);
}

static void test_root(void **state)
{
    (void)state;
    const struct rt_resource edf_full[] = {{10, 5}, {20, 10}};
    const struct rt_resource edf_over[] = {{10, 5}, {20, 10}, {100, 1}};
    const struct rt_resource rm_bad[] = {{4, 2}, {6, 3}};
    const struct rt_resource rm_ok[] = {{4, 1}, {6, 2}, {12, 0}};

    assert_int_equal(rt_root_check(RT_EDF, edf_full, 2), RT_SCHEDULABLE);
    assert_int_equal(rt_root_check(RT_EDF, edf_over, 3), RT_UNSCHEDULABLE);
    assert_int_equal(rt_root_check(RT_RM, rm_bad, 2), RT_UNSCHEDULABLE);
    assert_int_equal(rt_root_check(RT_EDF, rm_bad, 2), RT_SCHEDULABLE);
    assert_int_equal(rt_root_check(RT_RM, rm_ok, 3), RT_SCHEDULABLE);
    assert_int_equal(rt_root_check(RT_RM, NULL, 0), RT_SCHEDULABLE);
}

static size_t random_small_set(uint64_t *rng, struct rt_task *t, uint64_t maxp)
{
    size_t n = 1 + rt_sim_rand(rng) % 4;

    for (size_t i = 0; i < n; i++) {
        t[i].period = 1 + rt_sim_rand(rng) % maxp;
        t[i].wcet = rt_sim_rand(rng) % (t[i].period / 2 + 1) + (i == 0);
        if (t[i].wcet > t[i].period)
            t[i].wcet = t[i].period;
    }
    return n;
}

/* rt_check == brute force on thousands of random small sets and resources. */
static void test_check_vs_bruteforce(void **state)
{
    (void)state;
    uint64_t rng = 3;
    unsigned agree[2][2] = {{0}};

    for (int i = 0; i < 6000; i++) {
        struct rt_task t[4];
        size_t n = random_small_set(&rng, t, 12);
        uint64_t p = 1 + rt_sim_rand(&rng) % 9, q = rt_sim_rand(&rng) % (p + 1);
        enum rt_policy pol = i % 2 ? RT_RM : RT_EDF;
        int got = check(pol, p, q, t, n), want = ref_check(pol, p, q, t, n);

        if (got != want)
            fail_msg("policy %d Gamma(%lu,%lu) n=%zu: got %d want %d", pol, (unsigned long)p,
                     (unsigned long)q, n, got, want);
        agree[pol][got]++;
    }
    /* Both outcomes must actually have been exercised for both policies. */
    for (int pol = 0; pol < 2; pol++)
        assert_true(agree[pol][0] > 300 && agree[pol][1] > 300);
}

static void test_interface_vectors(void **state)
{
    (void)state;
    /* (15, 4) with P = 10: needs sbf(15) >= 4. Q = 4 gives 3 (2B = 12); Q = 5 gives 5 and
     * U = 4/15 < 1/2 keeps later deadlines safe. Same answer under RM (one task). */
    const struct rt_task t = {15, 4};
    /* (4,2),(6,3) fill the CPU (U = 1), so only a full budget Q = P (no blackout) works. */
    const struct rt_task full[] = {{4, 2}, {6, 3}};
    const struct rt_task idle = {10, 0};
    uint64_t b = 99;

    assert_int_equal(rt_interface(RT_EDF, 10, &t, 1, &b), RT_SCHEDULABLE);
    assert_int_equal(b, 5);
    assert_int_equal(rt_interface(RT_RM, 10, &t, 1, &b), RT_SCHEDULABLE);
    assert_int_equal(b, 5);
    assert_int_equal(rt_interface(RT_EDF, 1, full, 2, &b), RT_SCHEDULABLE);
    assert_int_equal(b, 1);
    assert_int_equal(rt_interface(RT_EDF, 2, full, 2, &b), RT_SCHEDULABLE);
    assert_int_equal(b, 2);
    assert_int_equal(rt_interface(RT_RM, 1, full, 2, &b), RT_UNSCHEDULABLE);
    assert_int_equal(rt_interface(RT_EDF, 10, &idle, 1, &b), RT_SCHEDULABLE);
    assert_int_equal(b, 0);
    assert_int_equal(rt_interface(RT_RM, 10, NULL, 0, &b), RT_SCHEDULABLE);
    assert_int_equal(b, 0);
}

/* The 100-task component of bench/rt_bench.c: periods 1-1000 ms in ns, U just below 0.5. */
static void hundred_tasks(struct rt_task *t, size_t n)
{
    uint64_t rng = 0x2024u, w[100], wsum = 0;

    for (size_t i = 0; i < n; i++) {
        t[i].period = 1000000 + rt_sim_rand(&rng) % (999ull * 1000000 + 1);
        w[i] = 1 + rt_sim_rand(&rng) % 1000;
        wsum += w[i];
    }
    for (size_t i = 0; i < n; i++) {
        t[i].wcet = t[i].period / 2 * w[i] / wsum;
        if (!t[i].wcet)
            t[i].wcet = 1;
    }
}

/*
 * Budgets within a hair of U P need scans beyond the probe limit. The search must then still
 * answer with a budget that passes, say how many budgets below it it could not decide, and the
 * budget just below that range must be a proven failure. When nothing is undecided, the
 * budget is the exact minimum.
 */
static void test_interface_undecided(void **state)
{
    (void)state;
    static struct rt_task t[100];
    const uint64_t periods[] = {1000000, 10000000};
    int undecided_seen = 0;

    hundred_tasks(t, 100);
    for (size_t k = 0; k < 2; k++) {
        struct rt_iface_result res = {0, 0};
        uint64_t b = 0;

        assert_int_equal(rt_interface_ex(RT_EDF, periods[k], t, 100, &res), RT_SCHEDULABLE);
        assert_int_equal(rt_interface(RT_EDF, periods[k], t, 100, &b), RT_SCHEDULABLE);
        assert_int_equal(b, res.budget);
        assert_true(res.budget > periods[k] / 3 && res.budget < periods[k] / 3 * 2);
        assert_int_equal(check(RT_EDF, periods[k], res.budget, t, 100), RT_SCHEDULABLE);
        assert_true(res.undecided < 64);
        assert_int_equal(check(RT_EDF, periods[k], res.budget - res.undecided - 1, t, 100),
                         RT_UNSCHEDULABLE);
        undecided_seen += res.undecided > 0;
    }
    assert_int_equal(undecided_seen, 1); /* 1 ms is decided exactly, 10 ms is not */
}

/* rt_wide_div with the quotient aliasing the dividend (the interface's lower bound does it). */
static void test_wide_div_alias(void **state)
{
    (void)state;
    struct rt_wide n = {{12345, 1u << 4, 0, 0}}, d = rt_wide_from(7), q, a = n;
    uint64_t v;

    rt_wide_div(&n, &d, &q);
    rt_wide_div(&a, &d, &a);
    assert_int_equal(rt_wide_cmp(&q, &a), 0);
    assert_false(rt_wide_to_u64(&q, &v)); /* (2^68 + 12345) / 7 > 2^64 */
    a = rt_wide_from(100);
    rt_wide_div(&a, &d, &d);
    assert_true(rt_wide_to_u64(&d, &v));
    assert_int_equal(v, 14);
}

/* The brute-force smallest budget, or P + 1 if none. */
static uint64_t ref_interface(enum rt_policy pol, uint64_t p, const struct rt_task *t, size_t n)
{
    for (uint64_t q = 0; q <= p; q++) {
        if (ref_check(pol, p, q, t, n) == RT_SCHEDULABLE)
            return q;
    }
    return p + 1;
}

/* Small sets: interface == brute-force minimum; EDF never needs more than RM. */
static void test_interface_small_random(void **state)
{
    (void)state;
    uint64_t rng = 4;

    for (int i = 0; i < 1500; i++) {
        struct rt_task t[4];
        size_t n = random_small_set(&rng, t, 12);
        uint64_t p = 1 + rt_sim_rand(&rng) % 9, b[2];

        for (int pol = 0; pol < 2; pol++) {
            uint64_t want = ref_interface((enum rt_policy)pol, p, t, n);
            int rc = rt_interface((enum rt_policy)pol, p, t, n, &b[pol]);

            if (want > p) {
                assert_int_equal(rc, RT_UNSCHEDULABLE);
                b[pol] = p + 1;
            } else {
                assert_int_equal(rc, RT_SCHEDULABLE);
                assert_int_equal(b[pol], want);
            }
        }
        assert_true(b[RT_EDF] <= b[RT_RM]);
    }
}

/*
 * Larger sets with periods up to 10^9 (hyperperiods mostly beyond 64 bits): the budget passes,
 * budget - 1 fails, and EDF needs no more than RM.
 */
static void test_interface_minimal_random(void **state)
{
    (void)state;
    uint64_t rng = 5;
    unsigned found = 0;

    for (int i = 0; i < 400; i++) {
        struct rt_task t[12];
        size_t n = 2 + rt_sim_rand(&rng) % 11;
        uint64_t p = 1000 + rt_sim_rand(&rng) % 1000000, b[2];
        int rc[2];

        for (size_t k = 0; k < n; k++) {
            t[k].period = 1000000 + rt_sim_rand(&rng) % 1000000000;
            t[k].wcet = 1 + rt_sim_rand(&rng) % (t[k].period / (4 * n));
        }
        for (int pol = 0; pol < 2; pol++) {
            rc[pol] = rt_interface((enum rt_policy)pol, p, t, n, &b[pol]);
            assert_true(rc[pol] == RT_SCHEDULABLE || rc[pol] == RT_UNSCHEDULABLE);
            if (rc[pol] != RT_SCHEDULABLE)
                continue;
            found++;
            assert_int_equal(check((enum rt_policy)pol, p, b[pol], t, n), RT_SCHEDULABLE);
            if (b[pol] > 0)
                assert_int_equal(check((enum rt_policy)pol, p, b[pol] - 1, t, n), RT_UNSCHEDULABLE);
        }
        if (rc[RT_RM] == RT_SCHEDULABLE) {
            assert_int_equal(rc[RT_EDF], RT_SCHEDULABLE);
            assert_true(b[RT_EDF] <= b[RT_RM]);
        }
    }
    assert_true(found > 400);
}

/* Monotone in Q: once a budget passes, every larger budget passes (random mid-size sets). */
static void test_check_monotone_in_budget(void **state)
{
    (void)state;
    uint64_t rng = 6;

    for (int i = 0; i < 3000; i++) {
        struct rt_task t[4];
        size_t n = random_small_set(&rng, t, 40);
        uint64_t p = 1 + rt_sim_rand(&rng) % 30;
        enum rt_policy pol = i % 2 ? RT_RM : RT_EDF;
        bool passed = false;

        for (uint64_t q = 0; q <= p; q++) {
            int rc = check(pol, p, q, t, n);

            assert_true(rc >= 0);
            if (passed)
                assert_int_equal(rc, RT_SCHEDULABLE);
            passed = rc == RT_SCHEDULABLE;
        }
    }
}

static void test_strerror(void **state)
{
    (void)state;
    assert_string_equal(rt_strerror(RT_SCHEDULABLE), "schedulable");
    assert_string_equal(rt_strerror(RT_UNSCHEDULABLE), "unschedulable");
    assert_non_null(rt_strerror(RT_EINVAL));
    assert_non_null(rt_strerror(RT_ELIMIT));
    assert_string_equal(rt_strerror(42), "unknown result");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sbf_vectors),
        cmocka_unit_test(test_sbf_matches_paper_formula),
        cmocka_unit_test(test_sbf_inv),
        cmocka_unit_test(test_sbf_monotone),
        cmocka_unit_test(test_sbf_above_lsbf),
        cmocka_unit_test(test_dbf_rbf_vectors),
        cmocka_unit_test(test_edf_vectors),
        cmocka_unit_test(test_rm_vectors),
        cmocka_unit_test(test_rm_tie_order),
        cmocka_unit_test(test_explain),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_work_limit),
        cmocka_unit_test(test_root),
        cmocka_unit_test(test_check_vs_bruteforce),
        cmocka_unit_test(test_interface_vectors),
        cmocka_unit_test(test_interface_small_random),
        cmocka_unit_test(test_interface_minimal_random),
        cmocka_unit_test(test_interface_undecided),
        cmocka_unit_test(test_wide_div_alias),
        cmocka_unit_test(test_check_monotone_in_budget),
        cmocka_unit_test(test_strerror),
    };

    return cmocka_run_group_tests_name("rt", tests, NULL, NULL);
}
