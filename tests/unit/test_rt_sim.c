/* SPDX-License-Identifier: MIT */
/*
 * test_rt_sim.c - the analysis against discrete-time simulation.
 *
 * Soundness: whenever rt_check says schedulable, no simulated scenario may miss a deadline:
 * neither the worst-case supply pattern with all tasks released at the start of its 2(P-Q)
 * blackout (the critical instant), nor random legal supplies with random release offsets.
 * Pessimism: how often the analysis says unschedulable although the simulation shows no
 * miss, printed as TAP diagnostics. Against the worst pattern it is 0 by construction (supply
 * in [0, t) is exactly sbf(t), so a failing t of the analysis is a miss of the simulation);
 * against random supplies it measures what the worst-case guarantee costs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "rt.h"
#include "rt_sim.h"

#define SETS 3000

/* The simulator itself on hand-checked schedules. */
static void test_sim_vectors(void **state)
{
    (void)state;
    /* (15,4) in Gamma(10,4) worst pattern: supply starts at 12, the job gets 3 by 15: miss. */
    const struct rt_task t15 = {15, 4}, t16 = {16, 4};
    const struct rt_task full[] = {{4, 2}, {6, 3}};
    struct rt_sim_run run = {RT_EDF, {10, 4}, &t15, 1, RT_SIM_WORST, 0, 0, 200};
    struct rt_sim_out out;

    assert_true(rt_sim(&run, &out));
    assert_true(out.miss);
    assert_int_equal(out.miss_at, 15);
    run.tasks = &t16;
    assert_true(rt_sim(&run, &out));
    assert_false(out.miss);
    /* Dedicated CPU, U = 1: EDF meets everything, RM misses task 1 at 6. */
    run = (struct rt_sim_run){RT_EDF, {1, 1}, full, 2, RT_SIM_WORST, 0, 0, 120};
    assert_true(rt_sim(&run, &out));
    assert_false(out.miss);
    run.policy = RT_RM;
    assert_true(rt_sim(&run, &out));
    assert_true(out.miss);
    assert_int_equal(out.miss_at, 6);
    assert_int_equal(out.miss_task, 1);
    /* Random supply still gives exactly Q per resource period. */
    run = (struct rt_sim_run){RT_EDF, {10, 4}, &t15, 1, RT_SIM_RANDOM, 9, 0, 150};
    assert_true(rt_sim(&run, &out));
    run.n = RT_SIM_MAX_TASKS + 1;
    assert_false(rt_sim(&run, &out));
}

static void experiment(enum rt_policy pol, uint64_t seed)
{
    struct rt_sim_stats st;
    const char *name = pol == RT_EDF ? "edf" : "rm";

    rt_sim_experiment(seed, SETS, pol, &st);
    printf("# %s: %u task sets, analysis schedulable %u, unschedulable %u\n", name, st.sets,
           st.sched, st.unsched);
    printf("# pessimistic: %u of %u (%s, worst-case supply at the critical instant)\n",
           st.pess_worst, st.unsched, name);
    printf("# pessimistic: %u of %u (%s, against 4 random legal supplies and offsets)\n",
           st.pess_random, st.unsched, name);
    assert_int_equal(st.unsound, 0);
    /* Both verdicts must be well represented or the comparison says little. */
    assert_true(st.sched > SETS / 10 && st.unsched > SETS / 10);
    /* The worst pattern realises sbf exactly, so the analysis must be exact against it. */
    assert_int_equal(st.pess_worst, 0);
}

static void test_sim_edf(void **state)
{
    (void)state;
    experiment(RT_EDF, 0x5eed0001);
}

static void test_sim_rm(void **state)
{
    (void)state;
    experiment(RT_RM, 0x5eed0002);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_vectors),
        cmocka_unit_test(test_sim_edf),
        cmocka_unit_test(test_sim_rm),
    };

    return cmocka_run_group_tests_name("rt_sim", tests, NULL, NULL);
}
