/* SPDX-License-Identifier: MIT */
/* test_minios_thread.c - minios's choice of the next thread (guests/minios/threadq.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "threadq.h"

#define N MOS_MAX_THREADS

static struct mos_thread t[N];

static void set(int i, enum mos_tstate st, int prio, uint64_t turn)
{
    t[i] = (struct mos_thread){.state = st, .prio = prio, .turn = turn};
}

static int setup(void **s)
{
    (void)s;
    for (int i = 0; i < N; i++)
        t[i] = (struct mos_thread){0};
    set(N - 1, MOS_T_READY, -1, 0); /* idle */
    return 0;
}

static void test_highest_priority_wins(void **s)
{
    (void)s;
    set(0, MOS_T_READY, 10, 0);
    set(1, MOS_T_READY, 20, 5);
    set(2, MOS_T_SLEEPING, 99, 0);
    assert_int_equal(tq_pick(t, N, 0, false), 1);
    assert_int_equal(tq_pick(t, N, 1, false), 1);
    t[1].state = MOS_T_FREE;
    assert_int_equal(tq_pick(t, N, 1, false), 0); /* the current one is gone */
}

static void test_idle_only_when_nothing_else(void **s)
{
    (void)s;
    assert_int_equal(tq_pick(t, N, N - 1, true), N - 1);
    set(3, MOS_T_READY, 0, 9);
    assert_int_equal(tq_pick(t, N, N - 1, false), 3); /* priority 0 still beats idle */
    t[N - 1].state = MOS_T_FREE;
    t[3].state = MOS_T_DEAD;
    assert_int_equal(tq_pick(t, N, 3, true), -1);
}

/* Equals: the current keeps the CPU unless it yields; then the one waiting longest. */
static void test_equals_rotate_only_on_yield(void **s)
{
    (void)s;
    set(0, MOS_T_READY, 5, 1);
    set(1, MOS_T_READY, 5, 2);
    set(2, MOS_T_READY, 5, 3);
    assert_int_equal(tq_pick(t, N, 2, false), 2); /* no preemption among equals */
    int cur = 0;
    uint64_t turns = 3;
    int order[9];
    for (int k = 0; k < 9; k++) {
        t[cur].turn = ++turns; /* what thread.c does when a turn ends */
        cur = tq_pick(t, N, cur, true);
        order[k] = cur;
    }
    int want[9] = {1, 2, 0, 1, 2, 0, 1, 2, 0};
    for (int k = 0; k < 9; k++)
        assert_int_equal(order[k], want[k]);
}

/* A thread preempted by a more urgent one keeps its place among its equals. */
static void test_preempted_keeps_its_place(void **s)
{
    (void)s;
    set(0, MOS_T_READY, 5, 10); /* running, preempted mid-turn (turn unchanged) */
    set(1, MOS_T_READY, 5, 11);
    set(2, MOS_T_READY, 30, 12);
    assert_int_equal(tq_pick(t, N, 0, false), 2);
    t[2].state = MOS_T_SLEEPING; /* the urgent one sleeps again: turn ends */
    t[2].turn = 13;
    assert_int_equal(tq_pick(t, N, 2, true), 0); /* back to the preempted one, not 1 */
}

static void test_ties_in_turn_go_to_lower_index(void **s)
{
    (void)s;
    set(4, MOS_T_READY, 7, 0);
    set(2, MOS_T_READY, 7, 0);
    assert_int_equal(tq_pick(t, N, -1, true), 2);
}

static void test_wake_due(void **s)
{
    (void)s;
    set(1, MOS_T_SLEEPING, 5, 0);
    t[1].wake_ns = 1000;
    set(2, MOS_T_SLEEPING, 5, 0);
    t[2].wake_ns = 2000;
    set(3, MOS_T_READY, 5, 0);
    t[3].wake_ns = 10; /* not sleeping: ignored */
    assert_int_equal(tq_next_wake(t, N), 1000);
    assert_int_equal(tq_wake_due(t, N, 999), 0);
    assert_int_equal(tq_wake_due(t, N, 1000), 1); /* exactly at its time */
    assert_int_equal(t[1].state, MOS_T_READY);
    assert_int_equal(tq_next_wake(t, N), 2000);
    assert_int_equal(tq_wake_due(t, N, 5000), 1);
    assert_true(tq_next_wake(t, N) == UINT64_MAX);
}

/* Random tables: the pick is always ready, never outranked, and follows the rules. */
static void test_random_invariants(void **s)
{
    (void)s;
    srand(0x7e5d);
    for (int round = 0; round < 20000; round++) {
        for (int i = 0; i < N; i++)
            set(i, (enum mos_tstate)(rand() % 4), rand() % 4, (uint64_t)(rand() % 8));
        int cur = rand() % (N + 1) - 1;
        bool yielding = rand() & 1;
        int p = tq_pick(t, N, cur, yielding);
        int best_prio = -1000;
        for (int i = 0; i < N; i++)
            if (t[i].state == MOS_T_READY && t[i].prio > best_prio)
                best_prio = t[i].prio;
        if (best_prio == -1000) {
            assert_int_equal(p, -1);
            continue;
        }
        assert_true(p >= 0 && t[p].state == MOS_T_READY && t[p].prio == best_prio);
        if (!yielding && cur >= 0 && t[cur].state == MOS_T_READY && t[cur].prio == best_prio) {
            assert_int_equal(p, cur);
            continue;
        }
        for (int i = 0; i < N; i++)
            if (t[i].state == MOS_T_READY && t[i].prio == best_prio)
                assert_true(t[i].turn > t[p].turn || (t[i].turn == t[p].turn && i >= p));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_highest_priority_wins, setup),
        cmocka_unit_test_setup(test_idle_only_when_nothing_else, setup),
        cmocka_unit_test_setup(test_equals_rotate_only_on_yield, setup),
        cmocka_unit_test_setup(test_preempted_keeps_its_place, setup),
        cmocka_unit_test_setup(test_ties_in_turn_go_to_lower_index, setup),
        cmocka_unit_test_setup(test_wake_due, setup),
        cmocka_unit_test_setup(test_random_invariants, setup),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
