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
    ns_t until = 0;
    sched_rr.init(&rq, 10000);
    for (int i = 0; i < 3; i++)
        sched_rr.enqueue(&rq, &e[i], 0);
    assert_int_equal(rq.nr, 3);
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 3; i++) {
            struct sched_entity *se = sched_rr.pick(&rq, 100 * round, &until);
            assert_ptr_equal(se, &e[i]);
            assert_int_equal(until, 100 * round + 10000);
            sched_rr.enqueue(&rq, se, 0); /* preempted: back to the tail */
        }
    }
}

static void test_empty_and_double_enqueue(void **state)
{
    (void)state;
    struct runq rq;
    struct sched_entity a = {0};
    ns_t until = 0;
    sched_rr.init(&rq, 5);
    assert_null(sched_rr.pick(&rq, 0, &until));
    sched_rr.enqueue(&rq, &a, 0);
    sched_rr.enqueue(&rq, &a, 0); /* a wake racing a yield: still one entry */
    assert_int_equal(rq.nr, 1);
    assert_ptr_equal(sched_rr.pick(&rq, 0, &until), &a);
    assert_null(sched_rr.pick(&rq, 0, &until));
}

static void test_dequeue_middle_and_tail(void **state)
{
    (void)state;
    struct runq rq;
    struct sched_entity e[3] = {0};
    ns_t until;
    sched_rr.init(&rq, 5);
    for (int i = 0; i < 3; i++)
        sched_rr.enqueue(&rq, &e[i], 0);
    sched_rr.dequeue(&rq, &e[1]);
    sched_rr.dequeue(&rq, &e[2]);
    sched_rr.dequeue(&rq, &e[2]); /* not queued: no effect */
    assert_int_equal(rq.nr, 1);
    sched_rr.enqueue(&rq, &e[2], 0); /* the tail pointer must still be right */
    assert_ptr_equal(sched_rr.pick(&rq, 0, &until), &e[0]);
    assert_ptr_equal(sched_rr.pick(&rq, 0, &until), &e[2]);
    assert_null(sched_rr.pick(&rq, 0, &until));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_order_and_slice),
        cmocka_unit_test(test_empty_and_double_enqueue),
        cmocka_unit_test(test_dequeue_middle_and_tail),
    };
    return cmocka_run_group_tests_name("sched_rr", tests, NULL, NULL);
}
