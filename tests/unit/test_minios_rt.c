/* SPDX-License-Identifier: MIT */
/*
 * test_minios_rt.c - minios's periodic task bookkeeping (guests/minios/rtsched.c), the very
 * file the guest links. Hand-checked vectors for each call, then a discrete-time simulator
 * that dispatches like rtrun.c (the innermost running job is the reference for rt_pick, a
 * job that outranks it nests on top) to check whole schedules: exact event counts for small
 * task sets, no misses where EDF/RM theory says none can happen, and seeded random runs
 * with run-time add/remove and overruns against independently kept accounting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rtsched.h"

static void job_nop(void *arg)
{
    (void)arg;
}

static int add(struct mos_rt *rt, uint64_t period, uint64_t wcet, uint64_t now)
{
    return rt_add(rt, "t", period, wcet, job_nop, NULL, now);
}

/* What rtrun.c does with a picked job before running it. */
static void start(struct mos_task *t)
{
    t->ready = false;
    t->running = true;
}

/* ---- hand-checked vectors ---- */

static void test_add_validates(void **state)
{
    (void)state;
    struct mos_rt rt;
    rt_init(&rt, MOS_EDF);
    assert_int_equal(add(&rt, 0, 1, 0), -1);
    assert_int_equal(add(&rt, 100, 0, 0), -1);
    assert_int_equal(add(&rt, 100, 101, 0), -1);
    assert_int_equal(rt_add(&rt, "t", 100, 10, NULL, NULL, 0), -1);
    /* Nothing was taken by the failures. */
    assert_int_equal(rt.n, 0);
    for (unsigned i = 0; i < MOS_MAX_TASKS; i++)
        assert_false(rt.task[i].used);
    assert_int_equal(rt_next_release(&rt), UINT64_MAX);

    int id = rt_add(&rt, "full", 100, 100, job_nop, &rt, 42); /* wcet == period is legal */
    assert_int_equal(id, 0);
    const struct mos_task *t = &rt.task[0];
    assert_true(t->used);
    assert_string_equal(t->name, "full");
    assert_int_equal(t->period_ns, 100);
    assert_int_equal(t->wcet_ns, 100);
    assert_ptr_equal(t->arg, &rt);
    assert_int_equal(t->next_release, 42);
    assert_false(t->ready);
    assert_int_equal(rt.n, 1);
}

static void test_add_until_full(void **state)
{
    (void)state;
    struct mos_rt rt;
    rt_init(&rt, MOS_RM);
    for (int i = 0; i < MOS_MAX_TASKS; i++)
        assert_int_equal(add(&rt, 100 + (uint64_t)i, 1, 0), i);
    assert_int_equal(add(&rt, 10, 1, 0), -1);
    assert_int_equal(rt.n, MOS_MAX_TASKS);
    /* The failed add changed no task. */
    for (int i = 0; i < MOS_MAX_TASKS; i++)
        assert_int_equal(rt.task[i].period_ns, 100 + (uint64_t)i);
    /* A removed task's slot is free again. */
    assert_int_equal(rt_remove(&rt, 3), 0);
    assert_int_equal(add(&rt, 10, 1, 5), 3);
    assert_int_equal(rt.task[3].period_ns, 10);
    assert_int_equal(rt.task[3].next_release, 5);
    assert_int_equal(add(&rt, 10, 1, 0), -1);
}

static void test_edf_picks_earliest_deadline(void **state)
{
    (void)state;
    struct mos_rt rt;
    rt_init(&rt, MOS_EDF);
    int a = add(&rt, 100, 10, 0); /* deadline 100 */
    int b = add(&rt, 40, 10, 70); /* first released at 70: deadline 110 */
    int c = add(&rt, 50, 10, 30); /* deadline 80 */
    assert_null(rt_pick(&rt, NULL));
    rt_release_due(&rt, 70);
    assert_int_equal(rt.task[a].dl, 100);
    assert_int_equal(rt.task[b].dl, 110);
    assert_int_equal(rt.task[c].dl, 80);
    /* Earliest absolute deadline first, even though b has the shortest period. */
    struct mos_task *t = rt_pick(&rt, NULL);
    assert_ptr_equal(t, &rt.task[c]);
    start(t);
    rt_complete(&rt, t, 75);
    assert_ptr_equal(rt_pick(&rt, NULL), &rt.task[a]);
    start(&rt.task[a]);
    rt_complete(&rt, &rt.task[a], 85);
    assert_ptr_equal(rt_pick(&rt, NULL), &rt.task[b]);
    start(&rt.task[b]);
    rt_complete(&rt, &rt.task[b], 90);
    assert_null(rt_pick(&rt, NULL));
}

static void test_rm_picks_shortest_period_ties_by_creation(void **state)
{
    (void)state;
    struct mos_rt rt;
    rt_init(&rt, MOS_RM);
    int slow = add(&rt, 50, 5, 0);
    int first = add(&rt, 20, 5, 0);
    int second = add(&rt, 20, 5, 0);
    int fast = add(&rt, 10, 5, 0);
    rt_release_due(&rt, 0);
    int order[] = {fast, first, second, slow};
    for (unsigned i = 0; i < 4; i++) {
        struct mos_task *t = rt_pick(&rt, NULL);
        assert_ptr_equal(t, &rt.task[order[i]]);
        start(t);
        rt_complete(&rt, t, 1 + i);
    }
    assert_null(rt_pick(&rt, NULL));

    /* RM ignores deadlines: a later-released job of a shorter period still goes first. */
    rt_release_due(&rt, 40); /* fast (dl 50), first and second (dl 60), not slow (50) */
    assert_ptr_equal(rt_pick(&rt, NULL), &rt.task[fast]);
}

static void test_pick_preempts_only_when_outranked(void **state)
{
    (void)state;
    struct mos_rt rt;
    rt_init(&rt, MOS_EDF);
    int lo = add(&rt, 100, 10, 0);
    int run = add(&rt, 100, 10, 0);
    int hi = add(&rt, 100, 10, 0);
    rt_release_due(&rt, 0); /* all three: deadline 100 */
    struct mos_task *r = &rt.task[run];
    start(r);

    /* Equal deadline, later in the tie order: no preemption. */
    rt.task[lo].ready = false;
    assert_null(rt_pick(&rt, r));
    assert_ptr_equal(rt_pick(&rt, NULL), &rt.task[hi]);
    /* Later deadline: none. Earlier deadline: preempts. */
    rt.task[hi].dl = 101;
    assert_null(rt_pick(&rt, r));
    rt.task[hi].dl = 99;
    assert_ptr_equal(rt_pick(&rt, r), &rt.task[hi]);
    /* Equal deadline, earlier in the tie order (lower id): that is a higher priority. */
    rt.task[hi].ready = false;
    rt.task[lo].ready = true;
    assert_ptr_equal(rt_pick(&rt, r), &rt.task[lo]);
    /* Nothing ready: nothing to run, with or without a running job. */
    rt.task[lo].ready = false;
    assert_null(rt_pick(&rt, r));
    assert_null(rt_pick(&rt, NULL));

    /* RM: the running job's period is what a release must beat. */
    rt_init(&rt, MOS_RM);
    int p20 = add(&rt, 20, 1, 0);
    int p10 = add(&rt, 10, 1, 0);
    int q20 = add(&rt, 20, 1, 0);
    rt_release_due(&rt, 0);
    start(&rt.task[p20]);
    assert_ptr_equal(rt_pick(&rt, &rt.task[p20]), &rt.task[p10]);
    rt.task[p10].ready = false;
    assert_null(rt_pick(&rt, &rt.task[p20])); /* q20: same period, later id */
    assert_ptr_equal(rt_pick(&rt, NULL), &rt.task[q20]);
}

static void test_release_at_period_boundary(void **state)
{
    (void)state;
    struct mos_rt rt;
    rt_init(&rt, MOS_EDF);
    int id = add(&rt, 100, 30, 1000);
    struct mos_task *t = &rt.task[id];
    assert_int_equal(rt_next_release(&rt), 1000);
    rt_release_due(&rt, 999);
    assert_false(t->ready);
    rt_release_due(&rt, 1000);
    assert_true(t->ready);
    assert_int_equal(t->rel, 1000);
    assert_int_equal(t->dl, 1100);
    assert_int_equal(rt_next_release(&rt), 1100);
    start(t);
    rt_complete(&rt, t, 1030);
    rt_release_due(&rt, 1099);
    assert_false(t->ready);
    rt_release_due(&rt, 1100);
    assert_true(t->ready);
    assert_int_equal(t->rel, 1100);
    assert_int_equal(t->dl, 1200);
    assert_int_equal(rt_next_release(&rt), 1200);
    assert_int_equal(t->skipped, 0);
    assert_int_equal(t->misses, 0);

    /* Asked late (a timer that fired late): the job still belongs to its period. */
    start(t);
    rt_complete(&rt, t, 1150);
    rt_release_due(&rt, 1230);
    assert_int_equal(t->rel, 1200);
    assert_int_equal(t->dl, 1300);
    assert_int_equal(t->next_release, 1300);
    start(t);
    rt_complete(&rt, t, 1260);
    assert_int_equal(t->worst_resp_ns, 60);
}

static void test_completion_after_deadline_is_one_miss(void **state)
{
    (void)state;
    struct mos_rt rt;
    rt_init(&rt, MOS_RM);
    struct mos_task *t = &rt.task[add(&rt, 100, 50, 0)];
    rt_release_due(&rt, 0);
    start(t);
    rt_complete(&rt, t, 100); /* exactly at the deadline: met */
    assert_int_equal(t->jobs, 1);
    assert_int_equal(t->misses, 0);
    assert_int_equal(t->first_miss_dl, 0);
    assert_int_equal(t->worst_resp_ns, 100);

    rt_release_due(&rt, 100);
    start(t);
    rt_complete(&rt, t, 201); /* one past deadline 200 */
    assert_int_equal(t->jobs, 2);
    assert_int_equal(t->misses, 1);
    assert_int_equal(t->skipped, 0);
    assert_int_equal(t->first_miss_dl, 200);
    assert_int_equal(t->worst_resp_ns, 101);

    rt_release_due(&rt, 200); /* the late job was done before this release: no skip */
    assert_int_equal(t->skipped, 0);
    assert_int_equal(t->rel, 200);
    start(t);
    rt_complete(&rt, t, 260);
    assert_int_equal(t->jobs, 3);
    assert_int_equal(t->worst_resp_ns, 101); /* the worst, not the last */
    assert_int_equal(t->misses, 1);
    assert_int_equal(t->first_miss_dl, 200);
}

static void test_release_over_unfinished_job_is_skipped(void **state)
{
    (void)state;
    struct mos_rt rt;
    rt_init(&rt, MOS_EDF);
    struct mos_task *t = &rt.task[add(&rt, 100, 50, 0)];
    rt_release_due(&rt, 0);
    start(t);
    rt_release_due(&rt, 100); /* still running at its deadline */
    assert_int_equal(t->skipped, 1);
    assert_int_equal(t->misses, 1);
    assert_int_equal(t->first_miss_dl, 100);
    assert_true(t->running);
    assert_false(t->ready);
    assert_int_equal(t->rel, 0); /* the running job keeps its own release and deadline */
    assert_int_equal(t->dl, 100);
    assert_int_equal(t->next_release, 200);

    rt_release_due(&rt, 350); /* 200 and 300: two more, at once */
    assert_int_equal(t->skipped, 3);
    assert_int_equal(t->misses, 3);
    assert_int_equal(t->next_release, 400);
    rt_complete(&rt, t, 360); /* and the job itself finished late */
    assert_int_equal(t->jobs, 1);
    assert_int_equal(t->misses, 4);
    assert_int_equal(t->first_miss_dl, 100);
    assert_int_equal(t->worst_resp_ns, 360);
    assert_false(t->running);

    /* A job still waiting (ready, never started) also loses the next release. */
    rt_release_due(&rt, 400);
    assert_true(t->ready);
    rt_release_due(&rt, 500);
    assert_int_equal(t->skipped, 4);
    assert_int_equal(t->misses, 5);
    assert_int_equal(t->rel, 400);
    assert_int_equal(t->dl, 500);
    assert_true(t->ready);
    assert_int_equal(t->first_miss_dl, 100); /* still the first one */
}

static void test_remove(void **state)
{
    (void)state;
    struct mos_rt rt;
    rt_init(&rt, MOS_RM);
    int a = add(&rt, 10, 2, 0);
    int b = add(&rt, 20, 2, 0);
    int c = add(&rt, 30, 2, 0);
    assert_int_equal(rt_remove(&rt, -1), -1);
    assert_int_equal(rt_remove(&rt, MOS_MAX_TASKS), -1);
    assert_int_equal(rt_remove(&rt, 5), -1); /* never added */
    rt_release_due(&rt, 0);

    /* a is running, b is ready; both go. */
    struct mos_task *ta = &rt.task[a], *tb = &rt.task[b], *tc = &rt.task[c];
    start(ta);
    assert_int_equal(rt_remove(&rt, a), 0);
    assert_int_equal(rt_remove(&rt, b), 0);
    assert_int_equal(rt_remove(&rt, b), -1); /* not twice */
    assert_false(tb->ready);
    assert_ptr_equal(rt_pick(&rt, NULL), tc);
    assert_int_equal(rt_next_release(&rt), 30);

    /* a's running job is not lost: no new task takes its slot before it finishes. */
    int d = add(&rt, 40, 1, 5);
    assert_int_equal(d, b);
    assert_true(ta->running);
    rt_release_due(&rt, 1000); /* a (period 10) and b are never released again */
    assert_int_equal(ta->skipped, 0);
    assert_int_equal(ta->misses, 0);
    assert_int_equal(ta->next_release, 10);
    rt_complete(&rt, ta, 1000);
    assert_int_equal(ta->jobs, 1);
    assert_int_equal(ta->misses, 1); /* finished after deadline 10 */
    assert_false(ta->used);
    for (int i = 0; i < 20; i++)
        assert_ptr_not_equal(rt_pick(&rt, NULL), ta);

    /* Its statistics stay readable until its slot is reused, then start from zero. */
    assert_int_equal(ta->worst_resp_ns, 1000);
    assert_int_equal(add(&rt, 50, 1, 1000), a);
    assert_int_equal(ta->jobs, 0);
    assert_int_equal(ta->misses, 0);
    assert_int_equal(ta->worst_resp_ns, 0);
    assert_int_equal(ta->first_miss_dl, 0);

    /* All gone: no release left. */
    assert_int_equal(rt_remove(&rt, a), 0);
    assert_int_equal(rt_remove(&rt, c), 0);
    assert_int_equal(rt_remove(&rt, d), 0);
    assert_int_equal(rt_next_release(&rt), UINT64_MAX);
    assert_null(rt_pick(&rt, NULL));
}

static void test_next_release(void **state)
{
    (void)state;
    struct mos_rt rt;
    rt_init(&rt, MOS_EDF);
    assert_int_equal(rt_next_release(&rt), UINT64_MAX);
    int a = add(&rt, 70, 1, 0);
    int b = add(&rt, 30, 1, 20);
    assert_int_equal(rt_next_release(&rt), 0);
    rt_release_due(&rt, 0);
    assert_int_equal(rt_next_release(&rt), 20);
    rt_release_due(&rt, 20);
    assert_int_equal(rt_next_release(&rt), 50);
    rt_release_due(&rt, 65);
    assert_int_equal(rt_next_release(&rt), 70);
    assert_int_equal(rt_remove(&rt, a), 0);
    assert_int_equal(rt_next_release(&rt), 80);
    assert_int_equal(rt_remove(&rt, b), 0);
    assert_int_equal(rt_next_release(&rt), UINT64_MAX);
}

/* ---- a discrete-time simulator that dispatches like rtrun.c ---- */

static uint64_t rng_state;

static uint64_t rnd(uint64_t n) /* uniform enough in [0, n) */
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % n;
}

/* What the test knows about one slot, kept apart from struct mos_task. */
struct life {
    bool live;
    uint64_t added, period;
    bool removed;
    uint64_t releases_at_removal, dropped; /* a ready job removed before it ran */
    uint64_t late, worst, jobs;
};

struct sim {
    struct mos_rt rt;
    uint64_t now;
    struct mos_task *stack[MOS_MAX_TASKS]; /* running jobs, innermost last */
    unsigned depth;
    uint64_t left[MOS_MAX_TASKS]; /* work left of each running job */
    struct life life[MOS_MAX_TASKS];
    enum { WORK_WCET, WORK_RANDOM, WORK_OVERRUN } work; /* how long each job runs */
    unsigned reused;                                    /* rt_add took a removed task's slot */
};

static unsigned slot(const struct sim *s, const struct mos_task *t)
{
    return (unsigned)(t - s->rt.task);
}

/* The documented priority order: EDF earlier deadline, RM shorter period, ties lower id. */
static bool ranks_before(const struct sim *s, const struct mos_task *a, const struct mos_task *b)
{
    uint64_t ka = s->rt.policy == MOS_EDF ? a->dl : a->period_ns;
    uint64_t kb = s->rt.policy == MOS_EDF ? b->dl : b->period_ns;
    if (ka != kb)
        return ka < kb;
    return slot(s, a) < slot(s, b);
}

static uint64_t releases_so_far(const struct life *l, uint64_t now)
{
    if (l->removed)
        return l->releases_at_removal;
    return now < l->added ? 0 : (now - l->added) / l->period + 1;
}

static int sim_add(struct sim *s, uint64_t period, uint64_t wcet)
{
    bool any_free = false;
    bool was_free[MOS_MAX_TASKS];
    for (unsigned i = 0; i < MOS_MAX_TASKS; i++) {
        was_free[i] = !s->rt.task[i].used && !s->rt.task[i].running;
        any_free |= was_free[i];
    }
    int id = add(&s->rt, period, wcet, s->now);
    if (!any_free) {
        assert_int_equal(id, -1);
        return -1;
    }
    assert_true(id >= 0 && id < MOS_MAX_TASKS);
    assert_true(was_free[id]);
    s->reused += s->life[id].live;
    s->life[id] = (struct life){.live = true, .added = s->now, .period = period};
    return id;
}

/* Before rt_release_due(now): releases from now on never happen. */
static void sim_remove(struct sim *s, int id)
{
    struct life *l = &s->life[id];
    struct mos_task *t = &s->rt.task[id];
    l->releases_at_removal = s->now > l->added ? (s->now - l->added - 1) / l->period + 1 : 0;
    l->dropped += t->ready;
    l->removed = true;
    assert_int_equal(rt_remove(&s->rt, id), 0);
    assert_int_equal(rt_remove(&s->rt, id), -1);
}

/* rt_pick against a choice made here from the flags alone. */
static struct mos_task *sim_pick(struct sim *s, const struct mos_task *running)
{
    struct mos_task *best = NULL;
    for (unsigned i = 0; i < MOS_MAX_TASKS; i++) {
        struct mos_task *t = &s->rt.task[i];
        if (t->used && t->ready && (!best || ranks_before(s, t, best)))
            best = t;
    }
    if (best && running && !ranks_before(s, best, running))
        best = NULL;
    struct mos_task *got = rt_pick(&s->rt, running);
    assert_ptr_equal(got, best);
    return got;
}

static void sim_check(struct sim *s)
{
    uint64_t next = UINT64_MAX;
    for (unsigned i = 0; i < MOS_MAX_TASKS; i++) {
        const struct mos_task *t = &s->rt.task[i];
        struct life *l = &s->life[i];
        if (!l->live)
            continue;
        assert_false(t->ready && t->running);
        assert_true(t->used == !l->removed);
        /* Every release is a job done, a job pending, a skip, or dropped by rt_remove. */
        uint64_t rel = releases_so_far(l, s->now);
        assert_int_equal(t->jobs + t->skipped + (t->ready || t->running) + l->dropped, rel);
        assert_true(t->jobs >= l->jobs); /* never decreases */
        assert_int_equal(t->jobs, l->jobs);
        assert_int_equal(t->misses, t->skipped + l->late);
        assert_int_equal(t->worst_resp_ns, l->worst);
        assert_true((t->misses == 0) == (t->first_miss_dl == 0));
        if (t->ready || t->running) {
            assert_int_equal((t->rel - l->added) % l->period, 0);
            assert_true(t->rel <= s->now);
            assert_int_equal(t->dl, t->rel + l->period);
        }
        if (t->used) {
            uint64_t nr = l->added + rel * l->period;
            assert_true(nr > s->now);
            if (nr < next)
                next = nr;
        }
    }
    assert_int_equal(rt_next_release(&s->rt), next);
    for (unsigned d = 0; d < s->depth; d++) {
        assert_true(s->stack[d]->running);
        if (d)
            assert_true(ranks_before(s, s->stack[d], s->stack[d - 1]));
    }
}

/* One time unit: releases, dispatch (nesting what outranks the innermost job), then the
 * innermost job runs for the unit and may complete. */
static void sim_step(struct sim *s)
{
    rt_release_due(&s->rt, s->now);
    struct mos_task *t;
    while ((t = sim_pick(s, s->depth ? s->stack[s->depth - 1] : NULL))) {
        start(t);
        s->stack[s->depth++] = t;
        uint64_t w = t->wcet_ns;
        if (s->work == WORK_OVERRUN && !rnd(8))
            w += 1 + rnd(2 * t->period_ns);
        else if (s->work != WORK_WCET)
            w = 1 + rnd(w);
        s->left[slot(s, t)] = w;
    }
    sim_check(s);
    s->now++;
    if (!s->depth)
        return;
    t = s->stack[s->depth - 1];
    unsigned i = slot(s, t);
    if (--s->left[i])
        return;
    s->depth--;
    uint64_t rel = t->rel;
    rt_complete(&s->rt, t, s->now);
    struct life *l = &s->life[i];
    l->jobs++;
    l->late += s->now > rel + l->period;
    if (s->now - rel > l->worst)
        l->worst = s->now - rel;
    assert_false(t->running);
}

static void sim_init(struct sim *s, enum mos_policy policy)
{
    memset(s, 0, sizeof(*s));
    rt_init(&s->rt, policy);
}

static void sim_run(struct sim *s, uint64_t end)
{
    while (s->now < end)
        sim_step(s);
}

static void sim_add_all(struct sim *s, const uint64_t (*set)[2], unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        assert_int_equal(sim_add(s, set[i][0], set[i][1]), (int)i);
}

/* p=5 e=2 and p=7 e=4 (U = 0.97), both released at 0. RM, by hand: 0-2 A, 2-5 B, 5-7 A
 * preempts, at 7 B is still running so its release is skipped, B finishes at 8. EDF: all met. */
static void test_sim_rm_misses_where_edf_does_not(void **state)
{
    (void)state;
    static const uint64_t set[][2] = {{5, 2}, {7, 4}};
    static struct sim s;
    sim_init(&s, MOS_RM);
    s.work = WORK_WCET;
    sim_add_all(&s, set, 2);
    sim_run(&s, 8);
    const struct mos_task *a = &s.rt.task[0], *b = &s.rt.task[1];
    assert_int_equal(a->jobs, 2);
    assert_int_equal(a->misses, 0);
    assert_int_equal(a->worst_resp_ns, 2);
    assert_int_equal(b->jobs, 1);
    assert_int_equal(b->skipped, 1);
    assert_int_equal(b->misses, 2); /* the skipped release and the late finish */
    assert_int_equal(b->first_miss_dl, 7);
    assert_int_equal(b->worst_resp_ns, 8);
    assert_int_equal(rt_next_release(&s.rt), 10);

    sim_init(&s, MOS_EDF);
    s.work = WORK_WCET;
    sim_add_all(&s, set, 2);
    sim_run(&s, 350); /* ten hyperperiods: every job released before 350 is done by 350 */
    assert_int_equal(a->jobs, 70);
    assert_int_equal(b->jobs, 50);
    assert_int_equal(a->misses + b->misses + a->skipped + b->skipped, 0);
}

/* p=4 e=2, p=5 e=2, p=10 e=1: U = 1 exactly. RM, by hand up to 20: A 0-2, B 2-4, A 4-6,
 * B 6-8, A 8-10; C's first job is still waiting at 10 (skip), B 10-12, A 12-14, C 14-15
 * (response 15), B 15-16, A 16-18, B 18-19. EDF meets every deadline. */
static void test_sim_full_utilisation(void **state)
{
    (void)state;
    static const uint64_t set[][2] = {{4, 2}, {5, 2}, {10, 1}};
    static struct sim s;
    sim_init(&s, MOS_RM);
    s.work = WORK_WCET;
    sim_add_all(&s, set, 3);
    sim_run(&s, 20);
    const struct mos_task *a = &s.rt.task[0], *b = &s.rt.task[1], *c = &s.rt.task[2];
    assert_int_equal(a->jobs, 5);
    assert_int_equal(a->worst_resp_ns, 2);
    assert_int_equal(b->jobs, 4);
    assert_int_equal(b->worst_resp_ns, 4);
    assert_int_equal(a->misses + b->misses, 0);
    assert_int_equal(c->jobs, 1);
    assert_int_equal(c->skipped, 1);
    assert_int_equal(c->misses, 2);
    assert_int_equal(c->first_miss_dl, 10);
    assert_int_equal(c->worst_resp_ns, 15);

    sim_init(&s, MOS_EDF);
    s.work = WORK_WCET;
    sim_add_all(&s, set, 3);
    sim_run(&s, 20);
    assert_int_equal(a->jobs, 5);
    assert_int_equal(b->jobs, 4);
    assert_int_equal(c->jobs, 2);
    sim_run(&s, 2000);
    assert_int_equal(a->jobs, 500);
    assert_int_equal(b->jobs, 400);
    assert_int_equal(c->jobs, 200);
    assert_int_equal(a->misses + b->misses + c->misses, 0);
}

/* Random sets the theory guarantees: EDF with U <= 1, RM with harmonic periods and U <= 1,
 * every job taking its full wcet, tasks added at random phases. Not one miss. */
static void test_sim_schedulable_sets_never_miss(void **state)
{
    (void)state;
    static const uint64_t edf_periods[] = {4, 5, 8, 10, 20, 40}; /* hyperperiod 40 */
    static const uint64_t rm_periods[] = {5, 10, 20, 40};
    static struct sim s;
    rng_state = 0x9e3779b97f4a7c15ULL;
    for (unsigned run = 0; run < 60; run++) {
        enum mos_policy pol = run & 1 ? MOS_RM : MOS_EDF;
        const uint64_t *per = pol == MOS_EDF ? edf_periods : rm_periods;
        unsigned nper = pol == MOS_EDF ? 6 : 4;
        uint64_t p[MOS_MAX_TASKS], e[MOS_MAX_TASKS], phase[MOS_MAX_TASKS];
        int id[MOS_MAX_TASKS];
        uint64_t used = 0; /* utilisation in 1/40ths */
        unsigned n = 0, want = 1 + (unsigned)rnd(MOS_MAX_TASKS - 1);
        while (n < want) {
            uint64_t pi = per[rnd(nper)], ei = 1 + rnd(pi);
            if (used + ei * (40 / pi) > 40)
                break;
            used += ei * (40 / pi);
            p[n] = pi, e[n] = ei, phase[n] = rnd(40), n++;
        }
        if (used < 40) { /* the rest of the processor to one more task: U = 1 exactly */
            p[n] = 40, e[n] = 40 - used, phase[n] = rnd(40), n++;
            used = 40;
        }
        sim_init(&s, pol);
        s.work = WORK_WCET;
        for (uint64_t t = 0; t < 4000; t++) {
            for (unsigned i = 0; i < n; i++)
                if (phase[i] == t)
                    assert_true((id[i] = sim_add(&s, p[i], e[i])) >= 0);
            sim_step(&s);
        }
        for (unsigned i = 0; i < n; i++) { /* every job with a deadline by 4000 is done */
            assert_int_equal(s.rt.task[id[i]].misses, 0);
            assert_true(s.rt.task[id[i]].jobs >= (4000 - phase[i]) / p[i]);
        }
    }
}

/* Seeded random runs: random sets (overloaded or not), jobs that sometimes overrun, tasks
 * added and removed at run time. sim_pick and sim_check hold rtsched.c to the documented
 * rules at every step; the counters below make sure the interesting cases happened. */
static void test_sim_random_invariants(void **state)
{
    (void)state;
    static struct sim s;
    unsigned skips = 0, late = 0, removed_running = 0, reused = 0, full = 0, nested = 0;
    rng_state = 0x2545f4914f6cdd1dULL;
    for (unsigned run = 0; run < 40; run++) {
        sim_init(&s, run & 1 ? MOS_RM : MOS_EDF);
        s.work = run % 4 < 2 ? WORK_OVERRUN : WORK_RANDOM;
        for (unsigned step = 0; step < 5000; step++) {
            if (!rnd(60)) {
                uint64_t p = 3 + rnd(40);
                if (sim_add(&s, p, 1 + rnd(p < 8 ? p : 8)) < 0)
                    full++;
            }
            if (!rnd(90)) {
                int id = (int)rnd(MOS_MAX_TASKS);
                if (s.rt.task[id].used) {
                    removed_running += s.rt.task[id].running;
                    sim_remove(&s, id);
                } else {
                    assert_int_equal(rt_remove(&s.rt, id), -1);
                }
            }
            sim_step(&s);
            if (s.depth >= 2)
                nested++;
        }
        reused += s.reused;
        for (unsigned i = 0; i < MOS_MAX_TASKS; i++) {
            skips += s.rt.task[i].skipped;
            late += s.life[i].late;
        }
    }
    assert_true(skips > 0);
    assert_true(late > 0);
    assert_true(removed_running > 0);
    assert_true(full > 0);
    assert_true(nested > 0);
    assert_true(reused > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_validates),
        cmocka_unit_test(test_add_until_full),
        cmocka_unit_test(test_edf_picks_earliest_deadline),
        cmocka_unit_test(test_rm_picks_shortest_period_ties_by_creation),
        cmocka_unit_test(test_pick_preempts_only_when_outranked),
        cmocka_unit_test(test_release_at_period_boundary),
        cmocka_unit_test(test_completion_after_deadline_is_one_miss),
        cmocka_unit_test(test_release_over_unfinished_job_is_skipped),
        cmocka_unit_test(test_remove),
        cmocka_unit_test(test_next_release),
        cmocka_unit_test(test_sim_rm_misses_where_edf_does_not),
        cmocka_unit_test(test_sim_full_utilisation),
        cmocka_unit_test(test_sim_schedulable_sets_never_miss),
        cmocka_unit_test(test_sim_random_invariants),
    };
    return cmocka_run_group_tests_name("minios rtsched", tests, NULL, NULL);
}
