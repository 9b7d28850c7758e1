/* SPDX-License-Identifier: MIT */
/* test_admit.c - the control VM's admission decisions, and its serving of one admission ring
 * per client (guests/control/serve.c) against honest and hostile front-ends, on the host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "admit.h"
#include "rt.h"
#include "serve.h"

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

/* ---- the admission rings ---------------------------------------------------------------- */

#define REGION 4096
static _Alignas(64) uint8_t mem[4][REGION];
static struct ring_front fe[4];
static struct serve srv;
static unsigned decided[4], notified[4], cut[4];
static int cut_err[4];

static unsigned client_no(const struct serve_client *c)
{
    return (unsigned)(c - srv.c);
}

/* The real decision, with each client's VM id: what the control VM does. */
static void t_decide(void *ctx, struct serve_client *c, struct emv_admit_req *req,
                     struct emv_admit_resp *resp)
{
    assert_ptr_equal(ctx, &srv);
    decided[client_no(c)]++;
    admit_request(&st, c->vm, req, resp);
}

static void t_notify(void *ctx, struct serve_client *c)
{
    (void)ctx;
    notified[client_no(c)]++;
}

static void t_cut(void *ctx, struct serve_client *c, int err)
{
    (void)ctx;
    cut[client_no(c)]++;
    cut_err[client_no(c)] = err;
}

static const struct serve_ops t_ops = {t_decide, t_notify, t_cut, &srv};

/* Clients 0..n-1: VM ids 2, 3, 4, 5 (setup's servers), ports 3, 5, 7, 9; rings initialised by
 * their front-ends here. */
static int setup_rings(void **state)
{
    setup(state);
    memset(&srv, 0, sizeof srv);
    memset(decided, 0, sizeof decided);
    memset(notified, 0, sizeof notified);
    memset(cut, 0, sizeof cut);
    static const char *names[] = {"a", "b", "c", "d"};
    for (unsigned i = 0; i < 4; i++) {
        memset(mem[i], 0xa5, REGION);
        assert_int_equal(ring_front_init_sized(&fe[i], mem[i], REGION, 0, EMV_ADMIT_SLOT_SIZE), 0);
        assert_int_equal(serve_add(&srv, 3 + 2 * i, 2 + i, names[i], mem[i], REGION), 0);
    }
    return 0;
}

static uint64_t port_bit(unsigned i)
{
    return 1ull << (3 + 2 * i);
}

/* Client @i pushes @n requests with seq from @seq, for one 40/4 ms task each; returns whether
 * the ring told it to notify the control VM. */
static int push(unsigned i, unsigned n, uint32_t seq)
{
    for (unsigned k = 0; k < n; k++) {
        union emv_admit_slot q;
        memset(&q, 0, sizeof q);
        struct emv_admit_task t[] = {{40000, 4000}};
        q.req = req(1, t);
        q.req.seq = seq + k;
        assert_int_equal(ring_front_put_slots(&fe[i], &q, 1), 1);
    }
    return ring_front_push(&fe[i]);
}

static void test_serve_add_limits(void **s)
{
    (void)s;
    struct serve x = {0};
    static _Alignas(64) uint8_t small[64 + EMV_ADMIT_SLOT_SIZE - 8];
    assert_int_equal(serve_add(&x, 64, 2, "p", mem[0], REGION), -1);        /* not a mask bit */
    assert_int_equal(serve_add(&x, 1, 2, "p", small, sizeof small), -1);    /* no slot fits */
    assert_int_equal(serve_add(&x, 1, 2, "p", mem[0] + 8, REGION - 8), -1); /* misaligned */
    for (unsigned i = 0; i < SERVE_MAX_CLIENTS; i++)
        assert_int_equal(serve_add(&x, i, 2, "a-very-long-vm-name", mem[0], REGION), 0);
    assert_int_equal(serve_add(&x, 9, 2, "p", mem[0], REGION), -1); /* table full */
    assert_string_equal(x.c[0].peer, "a-very-long-vm-");            /* cut to fit */
    assert_int_equal(x.c[0].ring.mask + 1, 8); /* (4096 - 64) / 256 = 15: 8 slots */
}

/* One request per client per round, whatever one client has queued: a full ring delays the
 * other's answer by one request, never more. Answers echo their seq, in order. */
static void test_serve_one_per_client_per_round(void **s)
{
    (void)s;
    push(0, 8, 100); /* a: a full ring */
    push(1, 1, 7);   /* b: one request */
    uint64_t busy = serve_round(&srv, port_bit(0) | port_bit(1), &t_ops);
    assert_int_equal(decided[0], 1);
    assert_int_equal(decided[1], 1); /* b's answer came in the first round */
    union emv_admit_slot a;
    assert_int_equal(ring_front_take_slots(&fe[1], &a, 1), 1);
    assert_int_equal(a.resp.seq, 7);
    assert_int_equal(a.resp.result, EMV_ADMITTED);
    for (unsigned round = 2; busy; round++) {
        assert_true(round <= 10);
        /* No new notification: what was left is served all the same. */
        busy = serve_round(&srv, busy, &t_ops);
        assert_true(decided[0] <= round && decided[1] == 1);
    }
    assert_int_equal(decided[0], 8);
    for (uint32_t k = 0; k < 8; k++) {
        assert_int_equal(ring_front_take_slots(&fe[0], &a, 1), 1);
        assert_int_equal(a.resp.seq, 100 + k);
        assert_int_equal(a.resp.magic, EMV_ADMIT_MAGIC);
    }
    assert_int_equal(ring_front_take_slots(&fe[0], &a, 1), 0);
    assert_int_equal(cut[0] + cut[1], 0);
}

/* Notifications as the ring says: the first answer wakes the client (its rsp_event is armed
 * from init), later ones only after it re-armed. A port not pending is not looked at. And the
 * other way: once the control VM found the ring dry it re-arms, so the client's next push asks
 * for a notification (none is lost); while it is busy, pushes need none. */
static void test_serve_notifies_as_asked(void **s)
{
    (void)s;
    assert_int_equal(push(2, 1, 1), 1);
    serve_round(&srv, port_bit(0), &t_ops); /* c's port is not pending: nothing done */
    assert_int_equal(decided[2], 0);
    uint64_t busy = serve_round(&srv, port_bit(2), &t_ops);
    assert_int_equal(notified[2], 1);
    assert_int_equal(push(2, 1, 2), 0); /* it has not looked since: no need to notify */
    busy = serve_round(&srv, busy, &t_ops);
    assert_int_equal(serve_round(&srv, busy, &t_ops), 0); /* dry: re-armed */
    assert_int_equal(decided[2], 2);
    assert_int_equal(notified[2], 1);
    union emv_admit_slot a[2];
    assert_int_equal(ring_front_take_slots(&fe[2], a, 2), 2);
    assert_int_equal(ring_front_final_check(&fe[2]), 0); /* re-armed */
    assert_int_equal(push(2, 1, 3), 1);                  /* the control VM sleeps on it: notify */
    serve_round(&srv, port_bit(2), &t_ops);
    assert_int_equal(notified[2], 2);
}

/* Hostile fields in a well-formed ring: copied out, then refused by the decision; the client
 * is answered, not cut off. */
static void test_serve_malformed_answered(void **s)
{
    (void)s;
    union emv_admit_slot q;
    memset(&q, 0xff, sizeof q); /* nr_tasks, vcpu, policy, period: all 0xffffffff... */
    q.req.magic = EMV_ADMIT_MAGIC;
    q.req.seq = 9;
    ring_front_put_slots(&fe[1], &q, 1);
    ring_front_push(&fe[1]);
    serve_round(&srv, port_bit(1), &t_ops);
    assert_int_equal(ring_front_take_slots(&fe[1], &q, 1), 1);
    assert_int_equal(q.resp.seq, 9);
    assert_int_equal(q.resp.result, EMV_ADMIT_BAD_REQUEST);
    assert_int_equal(cut[1], 0);
}

/* Three clients break their rings in three ways; each is cut off once, in the round that saw
 * it, and the honest one is served in that same round. Afterwards they may write anything and
 * notify forever: nothing more is read (no decision, no second cut) or written (the region is
 * left as the client wrote it). */
static void test_serve_cuts_off_hostile(void **s)
{
    (void)s;
    push(0, 1, 1);
    push(1, 1, 1);
    push(2, 1, 1);
    serve_round(&srv, port_bit(0) | port_bit(1) | port_bit(2), &t_ops);
    volatile struct ring_shared *sh0 = fe[0].sh, *sh1 = fe[1].sh, *sh2 = fe[2].sh;
    sh0->req_prod = fe[0].req_pushed + 0x10000;        /* far ahead */
    sh1->req_prod = fe[1].req_pushed - 7;              /* backwards */
    sh2->req_prod = fe[2].req_pushed + fe[2].mask + 2; /* one more in flight than slots */
    push(3, 1, 5);                                     /* d: honest */
    uint64_t all = port_bit(0) | port_bit(1) | port_bit(2) | port_bit(3);
    serve_round(&srv, all, &t_ops);
    assert_int_equal(cut[0], 1);
    assert_int_equal(cut_err[0], -RING_EAHEAD);
    assert_int_equal(cut[1], 1);
    assert_int_equal(cut_err[1], -RING_EBEHIND);
    assert_int_equal(cut[2], 1);
    assert_int_equal(cut_err[2], -RING_EAHEAD);
    assert_true(srv.c[0].cut && srv.c[1].cut && srv.c[2].cut && !srv.c[3].cut);
    assert_int_equal(decided[3], 1);
    union emv_admit_slot a;
    assert_int_equal(ring_front_take_slots(&fe[3], &a, 1), 1);
    assert_int_equal(a.resp.seq, 5);
    assert_int_equal(a.resp.result, EMV_REFUSED); /* vm 5 is best effort: asks without a period */
    static uint8_t before[3][REGION];
    uint64_t x = 1;
    for (unsigned round = 0; round < 100; round++) {
        for (unsigned i = 0; i < 3; i++) {
            for (unsigned b = 0; b < REGION; b++) {
                x = x * 6364136223846793005u + 1442695040888963407u;
                mem[i][b] = (uint8_t)(x >> 56);
            }
            memcpy(before[i], mem[i], REGION);
        }
        push(3, 1, 6 + round);
        serve_round(&srv, all, &t_ops);
        for (unsigned i = 0; i < 3; i++)
            assert_memory_equal(mem[i], before[i], REGION);
        assert_int_equal(ring_front_take_slots(&fe[3], &a, 1), 1);
        assert_int_equal(a.resp.seq, 6 + round);
    }
    assert_int_equal(cut[0] + cut[1] + cut[2], 3);
    assert_int_equal(decided[0] + decided[1] + decided[2], 3); /* their honest first requests */
    assert_int_equal(decided[3], 101);
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
        cmocka_unit_test_setup(test_serve_add_limits, setup_rings),
        cmocka_unit_test_setup(test_serve_one_per_client_per_round, setup_rings),
        cmocka_unit_test_setup(test_serve_notifies_as_asked, setup_rings),
        cmocka_unit_test_setup(test_serve_malformed_answered, setup_rings),
        cmocka_unit_test_setup(test_serve_cuts_off_hostile, setup_rings),
    };
    return cmocka_run_group_tests_name("admission", tests, NULL, NULL);
}
