/* SPDX-License-Identifier: MIT */
/* test_inbox.c - the inbox ring's per-sender quota (hyp/core/inbox.c): one sender flooding
 * an inbox can never keep another out, and the order stays first in, first out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/inbox.h"

static struct inbox_q q;

static int setup(void **state)
{
    (void)state;
    memset(&q, 0, sizeof(q));
    return 0;
}

static struct msg_slot *put(vmid_t sender, uint32_t tag)
{
    struct msg_slot *s = inbox_claim(&q, sender);
    if (s) {
        s->len = sizeof(tag);
        memcpy(s->data, &tag, sizeof(tag));
    }
    return s;
}

static uint32_t take(vmid_t *sender)
{
    struct msg_slot *s = inbox_head(&q);
    assert_non_null(s);
    uint32_t tag;
    memcpy(&tag, s->data, sizeof(tag));
    *sender = s->sender;
    inbox_pop(&q);
    return tag;
}

static void test_quota_per_sender(void **state)
{
    (void)state;
    for (unsigned i = 0; i < EMV_INBOX_PER_SENDER; i++)
        assert_non_null(put(3, i));
    assert_null(put(3, 99)); /* over its quota: refused, nothing queued */
    assert_int_equal(q.count, EMV_INBOX_PER_SENDER);
    assert_non_null(put(4, 100)); /* another sender still gets in */
    vmid_t from;
    assert_int_equal(take(&from), 0);
    assert_int_equal(from, 3);
    assert_non_null(put(3, 2)); /* one read: one slot back for that sender */
    assert_null(put(3, 98));
}

static void test_flooders_never_deny_anyone(void **state)
{
    (void)state;
    /* Every sender but the last fills its quota, then keeps trying: the inbox never fills
     * for the last one. */
    for (vmid_t v = 1; v < EMV_MAX_VMS; v++)
        for (unsigned i = 0; i < EMV_INBOX_PER_SENDER + 3; i++)
            put(v, v * 100 + i);
    assert_int_equal(q.count, (EMV_MAX_VMS - 1) * EMV_INBOX_PER_SENDER);
    for (unsigned i = 0; i < EMV_INBOX_PER_SENDER; i++)
        assert_non_null(put(EMV_MAX_VMS, 7000 + i));
    assert_int_equal(q.count, EMV_MAX_VMS * EMV_INBOX_PER_SENDER);
    assert_true(q.count <= EMV_INBOX_SLOTS);
    /* FIFO: the last sender's first message comes after exactly the others' quotas. */
    vmid_t from;
    for (unsigned i = 0; i < (EMV_MAX_VMS - 1) * EMV_INBOX_PER_SENDER; i++)
        assert_int_not_equal(take(&from), 7000);
    assert_int_equal(take(&from), 7000);
    assert_int_equal(from, EMV_MAX_VMS);
}

static void test_fifo_across_wrap(void **state)
{
    (void)state;
    /* Many rounds through the ring: order kept, counts back to zero, no slot leaked. */
    uint32_t next_in = 0, next_out = 0;
    for (unsigned round = 0; round < 5 * EMV_INBOX_SLOTS; round++) {
        vmid_t v = 1 + round % EMV_MAX_VMS;
        assert_non_null(put(v, next_in++));
        if (round % 3 != 2) {
            vmid_t from;
            assert_int_equal(take(&from), next_out++);
        }
        if (q.count == EMV_INBOX_PER_SENDER * 2) /* keep it short of any quota */
            while (q.count) {
                vmid_t from;
                assert_int_equal(take(&from), next_out++);
            }
    }
    while (inbox_head(&q)) {
        vmid_t from;
        assert_int_equal(take(&from), next_out++);
    }
    assert_int_equal(next_out, next_in);
    for (vmid_t v = 0; v <= EMV_MAX_VMS; v++)
        assert_int_equal(q.queued[v], 0);
}

static void test_bad_sender_and_empty(void **state)
{
    (void)state;
    assert_null(inbox_head(&q));
    assert_null(put(0, 1)); /* no VM has id 0 (it names the control VM as a destination) */
    assert_null(put(EMV_MAX_VMS + 1, 1));
    assert_int_equal(q.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_quota_per_sender, setup),
        cmocka_unit_test_setup(test_flooders_never_deny_anyone, setup),
        cmocka_unit_test_setup(test_fifo_across_wrap, setup),
        cmocka_unit_test_setup(test_bad_sender_and_empty, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
