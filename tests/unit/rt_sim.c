/* SPDX-License-Identifier: MIT */
/*
 * rt_sim.c - discrete-time simulation of EDF / RM inside a periodic resource.
 *
 * Time advances in unit slots. In slot [s, s+1) the resource either supplies the CPU or not
 * (enum rt_sim_supply); when it does, the ready job of highest priority runs for the slot.
 * Deadlines equal the next release, so a job still unfinished at its task's next release
 * has missed.
 */
#include <string.h>

#include "rt_sim.h"

uint64_t rt_sim_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

struct supply_state {
    const struct rt_sim_run *run;
    uint64_t rng;
    uint64_t mask; /* RT_SIM_RANDOM: supplied slots of the current resource period */
};

/* Q random distinct positions among P slots (P <= 64). */
static uint64_t random_mask(uint64_t *rng, rt_time_t p, rt_time_t q)
{
    uint64_t m = 0;

    for (rt_time_t k = 0; k < q;) {
        uint64_t bit = (uint64_t)1 << (rt_sim_rand(rng) % p);

        if (!(m & bit)) {
            m |= bit;
            k++;
        }
    }
    return m;
}

static bool supplied(struct supply_state *st, rt_time_t s)
{
    rt_time_t p = st->run->res.period, q = st->run->res.budget, b = p - q;

    if (st->run->supply == RT_SIM_WORST)
        return s >= 2 * b && (s - 2 * b) % p < q;
    if (s % p == 0)
        st->mask = random_mask(&st->rng, p, q);
    return st->mask >> (s % p) & 1;
}

/* Ready job to run: EDF earliest deadline, RM shortest period; ties to the lower index. */
static size_t pick(const struct rt_sim_run *run, const rt_time_t *left, const rt_time_t *dl)
{
    size_t best = run->n;

    for (size_t i = 0; i < run->n; i++) {
        if (!left[i])
            continue;
        if (best == run->n)
            best = i;
        else if (run->policy == RT_EDF ? dl[i] < dl[best]
                                       : run->tasks[i].period < run->tasks[best].period)
            best = i;
    }
    return best;
}

static bool valid(const struct rt_sim_run *run)
{
    if (run->n > RT_SIM_MAX_TASKS || run->res.period == 0 || run->res.budget > run->res.period)
        return false;
    if (run->supply == RT_SIM_RANDOM && run->res.period > 64)
        return false;
    for (size_t i = 0; i < run->n; i++) {
        if (run->tasks[i].period == 0)
            return false;
    }
    return true;
}

/* Deadline check and release at time s; true if a job missed. */
static bool release(const struct rt_sim_run *run, rt_time_t s, rt_time_t *left, rt_time_t *dl,
                    struct rt_sim_out *out)
{
    for (size_t i = 0; i < run->n; i++) {
        if (s < run->offset || (s - run->offset) % run->tasks[i].period)
            continue;
        if (left[i]) {
            out->miss = true;
            out->miss_at = s;
            out->miss_task = i;
            return true;
        }
        left[i] = run->tasks[i].wcet;
        dl[i] = s + run->tasks[i].period;
    }
    return false;
}

bool rt_sim(const struct rt_sim_run *run, struct rt_sim_out *out)
{
    rt_time_t left[RT_SIM_MAX_TASKS], dl[RT_SIM_MAX_TASKS];
    struct supply_state st = {run, run->seed, 0};

    memset(out, 0, sizeof(*out));
    if (!valid(run))
        return false;
    memset(left, 0, sizeof(left));
    memset(dl, 0, sizeof(dl));
    for (rt_time_t s = 0; s <= run->horizon; s++) {
        size_t j;

        if (release(run, s, left, dl, out))
            return true;
        if (s == run->horizon)
            break;
        /* Evaluate supply every slot so the random pattern advances period by period. */
        if (supplied(&st, s) && (j = pick(run, left, dl)) < run->n)
            left[j]--;
    }
    return true;
}

rt_time_t rt_sim_horizon(const struct rt_resource *r, const struct rt_task *tasks, size_t n,
                         rt_time_t cap)
{
    rt_time_t l = r->period, pmax = 0;

    for (size_t i = 0; i < n; i++) {
        rt_time_t p = tasks[i].period, g = l, b = p;

        while (b) { /* gcd */
            rt_time_t t = g % b;

            g = b;
            b = t;
        }
        if (l / g > cap / p)
            return 0;
        l = l / g * p;
        pmax = p > pmax ? p : pmax;
    }
    if (l > cap / 4)
        return 0;
    return 2 * (r->period - r->budget) + 2 * l + pmax;
}

/* Small random task set: 1..5 tasks, periods 2..15, utilisation unconstrained. */
static size_t random_set(uint64_t *rng, struct rt_task *t)
{
    size_t n = 1 + rt_sim_rand(rng) % 5;

    for (size_t i = 0; i < n; i++) {
        t[i].period = 2 + rt_sim_rand(rng) % 14;
        t[i].wcet = 1 + rt_sim_rand(rng) % (t[i].period < 4 ? t[i].period : t[i].period / 3);
    }
    return n;
}

/* A budget between the utilisation and the period, where the verdicts are interesting. */
static rt_time_t random_budget(uint64_t *rng, rt_time_t p, const struct rt_task *t, size_t n)
{
    rt_time_t lo = 0;

    for (size_t i = 0; i < n; i++)
        lo += t[i].wcet * p / t[i].period;
    lo = lo > p ? p : lo;
    return lo + rt_sim_rand(rng) % (p - lo + 1);
}

static bool run_misses(struct rt_sim_run *run)
{
    struct rt_sim_out out;

    rt_sim(run, &out);
    return out.miss;
}

/* Worst pattern at the critical instant; the same pattern at other phases; random supplies. */
static void simulate_all(struct rt_sim_run *run, uint64_t *rng, bool miss[3])
{
    run->supply = RT_SIM_WORST;
    run->offset = 0;
    miss[0] = run_misses(run);
    miss[1] = miss[2] = false;
    for (unsigned k = 0; k < 2; k++) {
        run->offset = 1 + rt_sim_rand(rng) % (2 * run->res.period);
        miss[1] |= run_misses(run);
    }
    run->supply = RT_SIM_RANDOM;
    for (unsigned k = 0; k < 4; k++) {
        run->seed = rt_sim_rand(rng);
        run->offset = rt_sim_rand(rng) % (2 * run->res.period);
        miss[2] |= run_misses(run);
    }
}

void rt_sim_experiment(uint64_t seed, unsigned count, enum rt_policy policy,
                       struct rt_sim_stats *st)
{
    uint64_t rng = seed;

    memset(st, 0, sizeof(*st));
    while (st->sets < count) {
        struct rt_task t[RT_SIM_MAX_TASKS];
        struct rt_sim_run run = {policy, {0, 0}, t, 0, RT_SIM_WORST, 0, 0, 0};
        bool miss[3];
        int rc;

        run.n = random_set(&rng, t);
        run.res.period = 1 + rt_sim_rand(&rng) % 10;
        run.res.budget = random_budget(&rng, run.res.period, t, run.n);
        run.horizon = rt_sim_horizon(&run.res, t, run.n, 1u << 20);
        rc = rt_check(policy, &run.res, t, run.n);
        if (run.horizon == 0 || rc < 0)
            continue;
        st->sets++;
        simulate_all(&run, &rng, miss);
        if (rc == RT_SCHEDULABLE) {
            st->sched++;
            st->unsound += miss[0] || miss[1] || miss[2];
        } else {
            st->unsched++;
            st->pess_worst += !miss[0];
            st->pess_random += !miss[2];
        }
    }
}
