/* SPDX-License-Identifier: MIT */
/* test_sched_rr.c - the round-robin policy, driven exactly as core/sched/sched.c drives it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/sched/policy.h"

static void test_fifo_order_and_slice(void **state)
{
    (void)state;
    struct runq rq;
    struct sched_entity e[3] = {0};
    ns_t until = 0, now = 0;
    sched_rr.init(&rq, 10000, 0);
    for (int i = 0; i < 3; i++)
        sched_rr.add(&rq, &e[i], 0);
    struct sched_entity *cur = sched_rr.pick(&rq, NULL, CUR_NONE, now, &until);
    for (int round = 0; round < 12; round++) {
        assert_ptr_equal(cur, &e[round % 3]);
        assert_int_equal(until, now + 10000);
        /* Mid-slice decisions keep the same entity. */
        assert_ptr_equal(sched_rr.pick(&rq, cur, CUR_RUNNING, now + 5000, &until), cur);
        now += 10000;
        cur = sched_rr.pick(&rq, cur, CUR_RUNNING, now, &until);
    }
}

static void test_yield_block_wake(void **state)
{
    (void)state;
    struct runq rq;
    struct sched_entity a = {0}, b = {0};
    ns_t until;
    sched_rr.init(&rq, 100, 0);
    sched_rr.add(&rq, &a, 0);
    sched_rr.add(&rq, &b, 0);
    struct sched_entity *cur = sched_rr.pick(&rq, NULL, CUR_NONE, 0, &until);
    assert_ptr_equal(cur, &a);
    cur = sched_rr.pick(&rq, cur, CUR_YIELDED, 10, &until); /* yield mid-slice */
    assert_ptr_equal(cur, &b);
    cur = sched_rr.pick(&rq, cur, CUR_BLOCKED, 20, &until);
    assert_ptr_equal(cur, &a);
    cur = sched_rr.pick(&rq, cur, CUR_BLOCKED, 30, &until);
    assert_null(cur); /* both blocked: idle */
    assert_int_equal(until, NS_NEVER);
    sched_rr.wake(&rq, &b, 40);
    sched_rr.wake(&rq, &b, 40); /* a wake racing another: still one entry */
    assert_int_equal(rq.nr, 1);
    assert_ptr_equal(sched_rr.pick(&rq, NULL, CUR_NONE, 40, &until), &b);
}

static void test_remove(void **state)
{
    (void)state;
    struct runq rq;
    struct sched_entity e[3] = {0};
    ns_t until;
    sched_rr.init(&rq, 5, 0);
    for (int i = 0; i < 3; i++)
        sched_rr.add(&rq, &e[i], 0);
    sched_rr.remove(&rq, &e[1]);
    sched_rr.remove(&rq, &e[1]); /* not queued any more: no effect */
    struct sched_entity *cur = sched_rr.pick(&rq, NULL, CUR_NONE, 0, &until);
    assert_ptr_equal(cur, &e[0]);
    cur = sched_rr.pick(&rq, cur, CUR_RUNNING, 5, &until);
    assert_ptr_equal(cur, &e[2]);
    cur = sched_rr.pick(&rq, cur, CUR_RUNNING, 10, &until);
    assert_ptr_equal(cur, &e[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_order_and_slice),
        cmocka_unit_test(test_yield_block_wake),
        cmocka_unit_test(test_remove),
    };
    return cmocka_run_group_tests_name("sched_rr", tests, NULL, NULL);
}
