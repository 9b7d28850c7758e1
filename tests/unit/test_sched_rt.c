/* SPDX-License-Identifier: MIT */
/*
 * test_sched_rt.c - periodic servers by EDF/RM with budget enforcement, driven by a small
 * discrete-event loop that behaves like core/sched/sched.c (decide, run until `until` or an
 * event, decide again) and records how much CPU each entity got in each period.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/sched/policy.h"

#define MAXE 6

struct sim {
    struct runq rq;
    struct sched_entity e[MAXE];
    unsigned n;
    ns_t now;
    struct sched_entity *cur;
    ns_t got[MAXE];        /* CPU time received in total */
    ns_t got_window[MAXE]; /* ... in the current window */
    ns_t max_window[MAXE]; /* largest amount in any window of the entity's period */
    ns_t window_start[MAXE];
    bool blocked_until_set[MAXE];
    ns_t blocked_until[MAXE];
    ns_t tick; /* extra decision points, like a periodic interrupt (0: none) */
    ns_t late; /* every timer-driven decision comes this long after `until` (latency) */
};

static void sim_init(struct sim *s, unsigned policy, ns_t slice)
{
    memset(s, 0, sizeof(*s));
    sched_rt.init(&s->rq, slice, policy);
}

static unsigned sim_add(struct sim *s, ns_t period, ns_t budget)
{
    unsigned i = s->n++;
    s->e[i].period_ns = period;
    s->e[i].budget_ns = budget;
    s->e[i].weight = 256;
    sched_rt.add(&s->rq, &s->e[i], s->now);
    return i;
}

static unsigned idx(struct sim *s, struct sched_entity *se)
{
    return (unsigned)(se - s->e);
}

/* Account [from, to) to the running entity, per aligned window of its own period. */
static void account(struct sim *s, unsigned i, ns_t from, ns_t to)
{
    ns_t p = s->e[i].period_ns ? s->e[i].period_ns : 1000000;
    while (from < to) {
        ns_t wend = s->window_start[i] + p;
        if (from >= wend) {
            s->window_start[i] += ((from - s->window_start[i]) / p) * p;
            s->got_window[i] = 0;
            continue;
        }
        ns_t chunk = (to < wend ? to : wend) - from;
        s->got[i] += chunk;
        s->got_window[i] += chunk;
        if (s->got_window[i] > s->max_window[i])
            s->max_window[i] = s->got_window[i];
        from += chunk;
    }
}

/* Run the system until @end. Entities always want the CPU unless blocked_until is set. */
static void sim_run(struct sim *s, ns_t end)
{
    enum sched_cur how = CUR_NONE;
    while (s->now < end) {
        ns_t until;
        s->cur = sched_rt.pick(&s->rq, s->cur, how, s->now, &until);
        ns_t next = end;
        if (until + s->late < next)
            next = until + s->late;
        for (unsigned i = 0; i < s->n; i++)
            if (s->blocked_until_set[i] && s->blocked_until[i] > s->now &&
                s->blocked_until[i] < next)
                next = s->blocked_until[i];
        if (s->tick && (s->now / s->tick + 1) * s->tick < next)
            next = (s->now / s->tick + 1) * s->tick;
        assert_true(next > s->now);
        if (s->cur)
            account(s, idx(s, s->cur), s->now, next);
        s->now = next;
        how = s->cur ? CUR_RUNNING : CUR_NONE;
        for (unsigned i = 0; i < s->n; i++)
            if (s->blocked_until_set[i] && s->blocked_until[i] == s->now) {
                s->blocked_until_set[i] = false;
                sched_rt.wake(&s->rq, &s->e[i], s->now);
            }
    }
}

static void test_budget_enforced_against_spinner(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 1000000);
    unsigned rt = sim_add(&s, 10000000, 3000000);    /* 3 ms every 10 ms */
    unsigned be = sim_add(&s, 0, 0);                 /* best effort, always runnable */
    s.tick = 700000;                                 /* decisions at odd times too */
    sim_run(&s, 10000 * 10000000ULL);                /* 10,000 periods */
    assert_int_equal(s.got[rt], 10000 * 3000000ULL); /* exactly its budget, every period */
    assert_int_equal(s.max_window[rt], 3000000);
    assert_int_equal(s.got[be], 10000 * 7000000ULL);
    assert_int_equal(s.e[rt].replenishments, 9999);
}

static void test_no_drift(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 1000000);
    unsigned a = sim_add(&s, 3333333, 1000000);
    s.tick = 999983; /* decisions never aligned with the period */
    sim_run(&s, 3333333ULL * 100000);
    /* Deadlines stay on the exact grid k * period after the start: the period in progress at
     * the last decision (just before the end) ends exactly at the end. */
    assert_int_equal(s.e[a].deadline_ns % 3333333ULL, 0);
    assert_int_equal(s.e[a].deadline_ns, 3333333ULL * 100000);
    assert_int_equal(s.got[a], 1000000ULL * 100000);
}

static void test_edf_full_utilisation(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 1000000);
    unsigned a = sim_add(&s, 5000000, 2000000); /* 40 % */
    unsigned b = sim_add(&s, 7000000, 4200000); /* 60 % */
    sim_run(&s, 35000000ULL * 200);             /* 200 hyperperiods */
    /* EDF at 100 % gives every server its full budget in every period. */
    assert_int_equal(s.got[a], 2000000ULL * 7 * 200);
    assert_int_equal(s.got[b], 4200000ULL * 5 * 200);
    assert_int_equal(s.max_window[a], 2000000);
    assert_int_equal(s.max_window[b], 4200000);
}

static void test_rm_priority_order(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 1, 1000000);
    unsigned slow = sim_add(&s, 20000000, 5000000);
    unsigned fast = sim_add(&s, 10000000, 5000000);
    ns_t until;
    /* At time 0 both have budget: RM runs the shorter period first. */
    struct sched_entity *first = sched_rt.pick(&s.rq, NULL, CUR_NONE, 0, &until);
    assert_ptr_equal(first, &s.e[fast]);
    assert_int_equal(until, 5000000);
    struct sched_entity *second = sched_rt.pick(&s.rq, first, CUR_RUNNING, 5000000, &until);
    assert_ptr_equal(second, &s.e[slow]);
    assert_int_equal(until, 10000000); /* fast's replenishment preempts it */
    (void)slow;
}

static void test_blocked_holder_idles_budget(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 1000000);
    unsigned rt = sim_add(&s, 10000000, 4000000);
    unsigned be = sim_add(&s, 0, 0);
    ns_t until;
    struct sched_entity *cur = sched_rt.pick(&s.rq, NULL, CUR_NONE, 0, &until);
    assert_ptr_equal(cur, &s.e[rt]);
    /* It blocks after 1 ms: best effort runs, but the server's budget keeps draining. */
    cur = sched_rt.pick(&s.rq, cur, CUR_BLOCKED, 1000000, &until);
    assert_ptr_equal(cur, &s.e[be]);
    assert_int_equal(until, 1000000 + 1000000); /* BE slice end */
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 2000000, &until);
    assert_ptr_equal(cur, &s.e[be]);
    sched_rt.wake(&s.rq, &s.e[rt], 2500000);
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 2500000, &until);
    assert_ptr_equal(cur, &s.e[rt]);
    assert_int_equal(s.e[rt].remaining_ns, 1500000); /* 4 - 1 run - 1.5 idled */
    assert_int_equal(until, 4000000);
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 4000000, &until);
    assert_ptr_equal(cur, &s.e[be]); /* exhausted: waits for its next period */
    assert_int_equal(s.e[rt].exhaustions, 1);
}

static void test_yield_forfeits_period(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 1000000);
    unsigned rt = sim_add(&s, 10000000, 4000000);
    unsigned be = sim_add(&s, 0, 0);
    ns_t until;
    struct sched_entity *cur = sched_rt.pick(&s.rq, NULL, CUR_NONE, 0, &until);
    cur = sched_rt.pick(&s.rq, cur, CUR_YIELDED, 100, &until);
    assert_ptr_equal(cur, &s.e[be]);
    assert_int_equal(until, 100 + 1000000);
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 10000000, &until);
    assert_ptr_equal(cur, &s.e[rt]); /* back at its next period */
}

static void test_remove_server(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 1000000);
    unsigned rt = sim_add(&s, 10000000, 4000000);
    unsigned be = sim_add(&s, 0, 0);
    sched_rt.remove(&s.rq, &s.e[rt]);
    sim_run(&s, 100000000);
    assert_int_equal(s.got[rt], 0);
    assert_int_equal(s.got[be], 100000000);
}

/* A budget stopped late (enforcement latency) is repaid from the next budget: over many
 * periods the server gets no more than its budgets plus one latency. */
static void test_late_stop_is_repaid(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 1000000);
    unsigned rt = sim_add(&s, 10000000, 3000000);
    unsigned be = sim_add(&s, 0, 0);
    s.late = 500;
    sim_run(&s, 1000 * 10000000ULL);
    assert_true(s.got[rt] <= 1000 * 3000000ULL + 500);
    assert_true(s.got[rt] >= 1000 * 3000000ULL - 3000000);
    assert_true(s.got[be] > 0);
    assert_true(s.e[rt].debt_ns <= 500);
}

/* A decision that comes after the holder's period ended: the time it ran past the boundary
 * belongs to the new period and comes off the new budget. */
static void test_late_boundary_charged_to_new_period(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 1000000);
    unsigned rt = sim_add(&s, 10000000, 10000000);
    ns_t until;
    struct sched_entity *cur = sched_rt.pick(&s.rq, NULL, CUR_NONE, 0, &until);
    assert_ptr_equal(cur, &s.e[rt]);
    assert_int_equal(until, 10000000);
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 10500000, &until); /* 0.5 ms late */
    assert_ptr_equal(cur, &s.e[rt]);
    assert_int_equal(s.e[rt].remaining_ns, 9500000);
    assert_int_equal(until, 20000000);
}

/* An idling holder (blocked) used no CPU: nothing past its period is charged to it. */
static void test_idle_holder_owes_nothing(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 100000000);
    unsigned rt = sim_add(&s, 10000000, 10000000);
    unsigned be = sim_add(&s, 0, 0);
    ns_t until;
    struct sched_entity *cur = sched_rt.pick(&s.rq, NULL, CUR_NONE, 0, &until);
    cur = sched_rt.pick(&s.rq, cur, CUR_BLOCKED, 1000000, &until);
    assert_ptr_equal(cur, &s.e[be]);
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 10500000, &until);
    assert_int_equal(s.e[rt].debt_ns, 0);
    assert_int_equal(s.e[rt].remaining_ns, 10000000);
}

/* A longer period with a larger budget must not pour the new budget into the rest of the old,
 * shorter period: the other server still gets its budget there. */
static void test_period_change_keeps_old_period_safe(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 1000000);
    unsigned a = sim_add(&s, 2000000, 500000);
    unsigned b = sim_add(&s, 2000000, 500000);
    sim_run(&s, 100000); /* a runs first (tie, created first) */
    assert_int_equal(s.got[a], 100000);
    sched_rt.update(&s.rq, &s.e[a], 20000000, 15000000, s.now); /* U: 0.75 + 0.25 = 1 */
    sim_run(&s, 2000000);
    assert_int_equal(s.got[b], 500000); /* b's budget in [0, 2 ms) */
    assert_int_equal(s.got[a], 500000); /* a: no more than its old budget there */
    sim_run(&s, 22000000);
    assert_int_equal(s.got[a], 500000 + 15000000); /* then 15 ms in [2, 22) ms */
}

static void test_credit_weights(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 10000000);
    unsigned heavy = sim_add(&s, 0, 0);
    unsigned light = sim_add(&s, 0, 0);
    s.e[heavy].weight = 512;
    sim_run(&s, 3000000000ULL); /* 3 s, 100 accounting periods */
    /* Weights 512:256 -> about 2/3 and 1/3 of the CPU. */
    assert_in_range(s.got[heavy], 1900000000ULL, 2100000000ULL);
    assert_in_range(s.got[light], 900000000ULL, 1100000000ULL);
    assert_int_equal(s.got[heavy] + s.got[light], 3000000000ULL);
}

static void test_credit_equal_share_and_rt_first(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 10000000);
    unsigned rt = sim_add(&s, 10000000, 5000000);
    unsigned a = sim_add(&s, 0, 0);
    unsigned b = sim_add(&s, 0, 0);
    sim_run(&s, 3000000000ULL);
    assert_int_equal(s.got[rt], 1500000000ULL);
    assert_in_range(s.got[a], 700000000ULL, 800000000ULL);
    assert_in_range(s.got[b], 700000000ULL, 800000000ULL);
}

static void test_boost_on_wake(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 30000000);
    unsigned spin = sim_add(&s, 0, 0);
    unsigned io = sim_add(&s, 0, 0);
    ns_t until;
    struct sched_entity *cur = sched_rt.pick(&s.rq, NULL, CUR_NONE, 0, &until);
    if (cur == &s.e[io])
        cur = sched_rt.pick(&s.rq, cur, CUR_BLOCKED, 100000, &until);
    else
        sched_rt.pick(&s.rq, cur, CUR_RUNNING, 0, &until); /* spinner runs */
    s.e[io].runnable = false;
    assert_ptr_equal(cur, &s.e[spin]);
    /* The I/O vCPU wakes 1 ms into the spinner's 30 ms slice: boosted, it runs at once. */
    sched_rt.wake(&s.rq, &s.e[io], 1000000);
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 1000000, &until);
    assert_ptr_equal(cur, &s.e[io]);
    assert_true(s.e[io].boost);
    cur = sched_rt.pick(&s.rq, cur, CUR_BLOCKED, 1100000, &until);
    assert_ptr_equal(cur, &s.e[spin]);
    assert_false(s.e[io].boost);
}

/* Two best-effort vCPUs beside servers that leave only short gaps (150 us in each 2 ms, far
 * less than a slice): one wakes once (boosted) and then never blocks. Its boost must end after
 * one slice of use in total, or it would win every gap and the other would starve (seen as a
 * Linux guest whose boot CPU never ran again once its second vCPU came up). */
static void test_boost_ends_across_preemptions(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 10000000);
    sim_add(&s, 2000000, 900000);
    sim_add(&s, 2000000, 950000);
    unsigned a = sim_add(&s, 0, 0);
    unsigned b = sim_add(&s, 0, 0);
    s.e[b].runnable = false;
    s.blocked_until_set[b] = true;
    s.blocked_until[b] = 5000000;
    sim_run(&s, 1000000000ULL);
    /* 150 us per 2 ms go to best effort: 75 ms in 1 s, shared about evenly. */
    assert_int_equal(s.got[a] + s.got[b], 75000000ULL);
    assert_in_range(s.got[a], 30000000ULL, 45000000ULL);
    assert_in_range(s.got[b], 30000000ULL, 45000000ULL);
    assert_false(s.e[b].boost);
}

/* Two best-effort vCPUs of one VM (Linux's) beside a server: the one the server preempts goes
 * on with its slice afterwards; the sibling gets the CPU only when the slice ends. */
static void test_preempted_best_effort_resumes(void **state)
{
    (void)state;
    struct sim s;
    sim_init(&s, 0, 10000000);
    unsigned rt = sim_add(&s, 2000000, 900000);
    unsigned a = sim_add(&s, 0, 0);
    unsigned b = sim_add(&s, 0, 0);
    ns_t until;
    struct sched_entity *cur = sched_rt.pick(&s.rq, NULL, CUR_NONE, 0, &until);
    assert_ptr_equal(cur, &s.e[rt]);
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 900000, &until); /* budget spent */
    struct sched_entity *first = cur;
    assert_true(first == &s.e[a] || first == &s.e[b]);
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 2000000, &until); /* the server's period */
    assert_ptr_equal(cur, &s.e[rt]);
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 2900000, &until);
    assert_ptr_equal(cur, first); /* not the sibling, which never ran */
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 4000000, &until);
    assert_ptr_equal(cur, &s.e[rt]);
    /* A woken sibling is boosted and goes first, as before. */
    struct sched_entity *other = first == &s.e[a] ? &s.e[b] : &s.e[a];
    other->runnable = false;
    sched_rt.wake(&s.rq, other, 4500000);
    cur = sched_rt.pick(&s.rq, cur, CUR_RUNNING, 4900000, &until);
    assert_ptr_equal(cur, other);
    /* Once the first one's slice is over, the sibling's turn comes anyway. */
    sim_init(&s, 0, 10000000);
    rt = sim_add(&s, 2000000, 900000);
    a = sim_add(&s, 0, 0);
    b = sim_add(&s, 0, 0);
    sim_run(&s, 1000000000ULL);
    assert_in_range(s.got[a], 250000000ULL, 300000000ULL);
    assert_in_range(s.got[b], 250000000ULL, 300000000ULL);
}

static void test_credit_baseline_ignores_servers(void **state)
{
    (void)state;
    struct runq rq;
    sched_rt.init(&rq, 1000000, 2);
    assert_int_equal(rq.rt_policy, 2); /* the report names it: policy=credit */
    struct sim s;
    sim_init(&s, 2, 10000000);
    unsigned rt = sim_add(&s, 10000000, 3000000);
    unsigned be = sim_add(&s, 0, 0);
    sim_run(&s, 3000000000ULL);
    /* As best effort the "server" gets half, not its 30 % budget: the baseline has none. */
    assert_in_range(s.got[rt], 1400000000ULL, 1600000000ULL);
    assert_in_range(s.got[be], 1400000000ULL, 1600000000ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_budget_enforced_against_spinner),
        cmocka_unit_test(test_no_drift),
        cmocka_unit_test(test_edf_full_utilisation),
        cmocka_unit_test(test_rm_priority_order),
        cmocka_unit_test(test_blocked_holder_idles_budget),
        cmocka_unit_test(test_yield_forfeits_period),
        cmocka_unit_test(test_remove_server),
        cmocka_unit_test(test_late_stop_is_repaid),
        cmocka_unit_test(test_late_boundary_charged_to_new_period),
        cmocka_unit_test(test_idle_holder_owes_nothing),
        cmocka_unit_test(test_period_change_keeps_old_period_safe),
        cmocka_unit_test(test_credit_weights),
        cmocka_unit_test(test_credit_equal_share_and_rt_first),
        cmocka_unit_test(test_boost_on_wake),
        cmocka_unit_test(test_boost_ends_across_preemptions),
        cmocka_unit_test(test_preempted_best_effort_resumes),
        cmocka_unit_test(test_credit_baseline_ignores_servers),
    };
    return cmocka_run_group_tests_name("sched_rt", tests, NULL, NULL);
}
