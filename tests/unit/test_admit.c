/* SPDX-License-Identifier: MIT */
/* test_admit.c - the control VM's admission decisions, on the host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "admit.h"
#include "rt.h"

static struct admit_state st;

static int setup(void **state)
{
    (void)state;
    memset(&st, 0, sizeof(st));
    st.overhead_us = 50;
    st.srv[st.n++] = (struct admit_server){.vm = 2, .vcpu = 0, .cpu = 0, 10000, 1000};
    st.srv[st.n++] = (struct admit_server){.vm = 3, .vcpu = 0, .cpu = 0, 10000, 6000};
    st.srv[st.n++] = (struct admit_server){.vm = 4, .vcpu = 0, .cpu = 1, 5000, 4000};
    st.srv[st.n++] = (struct admit_server){.vm = 5, .vcpu = 0, .cpu = 0, 0, 0}; /* best effort */
    return 0;
}

static struct emv_admit_req req(unsigned n, const struct emv_admit_task *t)
{
    struct emv_admit_req r = {.magic = EMV_ADMIT_MAGIC, .op = EMV_ADMIT_SET_TASKS, .seq = 7};
    r.nr_tasks = n;
    for (unsigned i = 0; i < n; i++)
        r.tasks[i] = t[i];
    return r;
}

static void test_fits(void **s)
{
    (void)s;
    struct emv_admit_task t[] = {{40000, 4000}};
    struct emv_admit_req q = req(1, t);
    struct emv_admit_resp a;
    admit_request(&st, 2, &q, &a);
    assert_int_equal(a.result, EMV_ADMITTED);
    assert_int_equal(a.budget_us, 1334 + 50); /* rtsa interface --period 10000: 1334 */
    assert_int_equal(a.period_us, 10000);
    assert_int_equal(a.seq, 7);
    assert_int_equal(st.srv[0].budget_us, 1384);
}

/* The root test follows the CPU's policy: on CPU 1, beside (5 ms, 4 ms), a newcomer with a
 * 7 ms period and a budget in (1000, 1400] us fits under EDF (0.8 + B/7000 <= 1) but not under
 * RM (the 5 ms server comes first: B + 4000 must fit in 5000). */
static void test_root_test_follows_cpu_policy(void **s)
{
    (void)s;
    st.srv[st.n++] = (struct admit_server){.vm = 6, .vcpu = 0, .cpu = 1, 0, 0};
    struct emv_admit_task t[] = {{70000, 10000}};
    struct rt_task rt = {70000, 10000};
    uint64_t need = 0;
    assert_int_equal(rt_interface(RT_EDF, 7000, &rt, 1, &need), RT_SCHEDULABLE);
    assert_true(need + 50 > 1000 && need + 50 <= 1400);
    struct emv_admit_req q = req(1, t);
    q.period_us = 7000;
    struct emv_admit_resp a;
    st.cpu_policy[1] = EMV_CPU_RM;
    admit_request(&st, 6, &q, &a);
    assert_int_equal(a.result, EMV_REFUSED);
    char want[96];
    snprintf(want, sizeof(want), "needs budget %lu us; cpu 1 would be overloaded",
             (unsigned long)(need + 50));
    assert_string_equal(a.reason, want);
    st.cpu_policy[1] = EMV_CPU_EDF;
    admit_request(&st, 6, &q, &a);
    assert_int_equal(a.result, EMV_ADMITTED);
    assert_int_equal(a.budget_us, need + 50);
}

/* A CPU that runs no servers (round-robin or the credit baseline) admits none. */
static void test_no_servers_on_rr_or_credit_cpu(void **s)
{
    (void)s;
    struct emv_admit_task t[] = {{40000, 4000}};
    struct emv_admit_req q = req(1, t);
    struct emv_admit_resp a;
    for (uint32_t pol = EMV_CPU_RR; pol <= EMV_CPU_CREDIT; pol++) {
        st.cpu_policy[0] = pol;
        admit_request(&st, 2, &q, &a);
        assert_int_equal(a.result, EMV_REFUSED);
        assert_string_equal(a.reason, "cpu 0 runs no periodic servers (cpu-policy rr or credit)");
        assert_int_equal(st.srv[0].budget_us, 1000);
    }
}

static void test_cpu_overloaded(void **s)
{
    (void)s;
    struct emv_admit_task t[] = {{40000, 4000}, {20000, 5000}};
    struct emv_admit_req q = req(2, t);
    struct emv_admit_resp a;
    admit_request(&st, 2, &q, &a);
    assert_int_equal(a.result, EMV_REFUSED);
    assert_string_equal(a.reason, "needs budget 5050 us; cpu 0 would be overloaded");
    assert_int_equal(st.srv[0].budget_us, 1000); /* unchanged */
    assert_int_equal(a.budget_us, 1000);
    /* With the other server gone from CPU 0, the same request fits. */
    st.srv[1].budget_us = 4000;
    admit_request(&st, 2, &q, &a);
    assert_int_equal(a.result, EMV_ADMITTED);
}

static void test_overhead_counts(void **s)
{
    (void)s;
    /* 5000 us of need alone fits CPU 1's 5000-period server only without overhead. */
    struct emv_admit_task t[] = {{5000, 5000}};
    struct emv_admit_req q = req(1, t);
    struct emv_admit_resp a;
    admit_request(&st, 4, &q, &a);
    assert_int_equal(a.result, EMV_REFUSED);
    assert_string_equal(a.reason, "budget 5050 us with overhead exceeds the period 5000 us");
    st.overhead_us = 0;
    admit_request(&st, 4, &q, &a);
    assert_int_equal(a.result, EMV_ADMITTED);
    assert_int_equal(a.budget_us, 5000);
}

static void test_not_a_server_and_malformed(void **s)
{
    (void)s;
    struct emv_admit_task t[] = {{40000, 4000}};
    struct emv_admit_req q = req(1, t);
    struct emv_admit_resp a;
    admit_request(&st, 5, &q, &a);
    assert_int_equal(a.result, EMV_REFUSED);
    assert_string_equal(a.reason, "vcpu 0 is best effort: ask with a server period");
    admit_request(&st, 9, &q, &a);
    assert_int_equal(a.result, EMV_REFUSED);
    struct emv_admit_task bad[] = {{1000, 2000}};
    q = req(1, bad);
    admit_request(&st, 2, &q, &a);
    assert_int_equal(a.result, EMV_ADMIT_BAD_REQUEST);
    q = req(1, t);
    q.nr_tasks = EMV_ADMIT_MAX_TASKS + 1;
    admit_request(&st, 2, &q, &a);
    assert_int_equal(a.result, EMV_ADMIT_BAD_REQUEST);
    q = req(1, t);
    q.magic = 1;
    admit_request(&st, 2, &q, &a);
    assert_int_equal(a.result, EMV_ADMIT_BAD_REQUEST);
    q = req(1, t);
    q.policy = 7;
    admit_request(&st, 2, &q, &a);
    assert_int_equal(a.result, EMV_ADMIT_BAD_REQUEST);
}

/* A best-effort vCPU becomes a new component when it asks with a period and it fits. */
static void test_new_component(void **s)
{
    (void)s;
    struct emv_admit_task t[] = {{40000, 4000}};
    struct emv_admit_req q = req(1, t);
    struct emv_admit_resp a;
    uint64_t need = 0;
    struct rt_task rt[] = {{40000, 4000}};
    assert_int_equal(rt_interface(RT_EDF, 10000, rt, 1, &need), RT_SCHEDULABLE);

    q.period_us = 5; /* below the hypervisor's limit */
    admit_request(&st, 5, &q, &a);
    assert_int_equal(a.result, EMV_ADMIT_BAD_REQUEST);
    assert_int_equal(st.srv[3].period_us, 0);

    q.period_us = 10000;
    admit_request(&st, 5, &q, &a);
    assert_int_equal(a.result, EMV_ADMITTED);
    assert_int_equal(a.period_us, 10000);
    assert_int_equal(a.budget_us, need + 50);
    assert_true(need + 50 <= 3000); /* what 1000 + 6000 of 10000 leave */
    assert_int_equal(st.srv[3].period_us, 10000);
    assert_int_equal(st.srv[3].budget_us, need + 50);

    /* now cpu 0 is fuller: a second newcomer's big set is refused and stays best effort */
    st.srv[st.n++] = (struct admit_server){.vm = 6, .vcpu = 0, .cpu = 0, 0, 0};
    struct emv_admit_task big[] = {{10000, 2500}};
    q = req(1, big);
    q.period_us = 10000;
    admit_request(&st, 6, &q, &a);
    assert_int_equal(a.result, EMV_REFUSED);
    assert_int_equal(st.srv[4].period_us, 0);
    assert_int_equal(a.period_us, 0); /* the unchanged interface: best effort */
}

/* A server may ask for another period: the interface is recomputed for it. */
static void test_period_change(void **s)
{
    (void)s;
    struct emv_admit_task t[] = {{40000, 4000}};
    struct emv_admit_req q = req(1, t);
    struct emv_admit_resp a;
    q.period_us = 20000;
    admit_request(&st, 2, &q, &a);
    assert_int_equal(a.result, EMV_ADMITTED);
    assert_int_equal(a.period_us, 20000);
    assert_int_equal(st.srv[0].period_us, 20000);
    assert_int_equal(st.srv[0].budget_us, a.budget_us);
}

static void test_rm_needs_more_than_edf(void **s)
{
    (void)s;
    struct emv_admit_task t[] = {{20000, 3000}, {30000, 5000}, {70000, 9000}};
    struct emv_admit_req q = req(3, t);
    struct emv_admit_resp edf, rm;
    st.srv[1].budget_us = 0; /* leave room */
    admit_request(&st, 2, &q, &edf);
    q.policy = 1;
    admit_request(&st, 2, &q, &rm);
    assert_int_equal(edf.result, EMV_ADMITTED);
    assert_int_equal(rm.result, EMV_ADMITTED);
    assert_true(rm.budget_us >= edf.budget_us);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fits, setup),
        cmocka_unit_test_setup(test_root_test_follows_cpu_policy, setup),
        cmocka_unit_test_setup(test_no_servers_on_rr_or_credit_cpu, setup),
        cmocka_unit_test_setup(test_cpu_overloaded, setup),
        cmocka_unit_test_setup(test_overhead_counts, setup),
        cmocka_unit_test_setup(test_not_a_server_and_malformed, setup),
        cmocka_unit_test_setup(test_rm_needs_more_than_edf, setup),
        cmocka_unit_test_setup(test_new_component, setup),
        cmocka_unit_test_setup(test_period_change, setup),
    };
    return cmocka_run_group_tests_name("admission", tests, NULL, NULL);
}
