/* SPDX-License-Identifier: MIT */
/*
 * admitcl.c - the client side of admission (include/emv/admit.h, docs/abi.md "Admission
 * protocol"): the front-end of the ring in region `admbuf-X`, signalled over channel `admit-X`
 * to the control VM. One request at a time; the answer is the response that echoes its seq.
 */
#include "emv/admit.h"
#include "minios.h"
#include "string.h"

static struct {
    int state; /* 0 not looked for yet, 1 open, -1 none or broken */
    struct mos_obj ch;
    struct ring_front ring;
} cl;

static int find(const struct mos_obj *o, void *ctx)
{
    struct mos_obj *region = ctx;
    if (mos_obj_region_of(o, "admit-", "admbuf-", region) || !(region->rights & EMV_RIGHT_WRITE))
        return 0;
    cl.ch = *o;
    return 1;
}

int mos_admit_open(void)
{
    if (cl.state)
        return cl.state > 0 ? 0 : -1;
    struct mos_obj region;
    cl.state = -1;
    if (!mos_obj_each(find, &region))
        return -1;
    if (ring_front_init_sized(&cl.ring, (void *)region.ipa, region.size, 0, EMV_ADMIT_SLOT_SIZE)) {
        mos_printf("admit: region %s cannot hold the admission ring\n", region.name);
        return -1;
    }
    cl.state = 1;
    mos_printf("admit: asking the control VM over channel %s (%u-slot ring)\n", cl.ch.name,
               cl.ring.mask + 1);
    return 0;
}

/* Nothing to take yet: re-arm and look again (the order that loses no notification), then
 * wait a little. Returns a negative RING_E* if the control VM broke the ring. */
static int wait_answer(void (*wait)(uint64_t until_ns))
{
    uint64_t until = mos_now_ns() + 1000000;
    if (wait) { /* e.g. running jobs meanwhile: it polls the ring again after a millisecond */
        mos_evtchn_poll();
        int more = ring_front_final_check(&cl.ring);
        if (more == 0)
            wait(until);
        return more < 0 ? more : 0;
    }
    mos_irq_disable();
    mos_evtchn_poll();
    int more = ring_front_final_check(&cl.ring);
    if (more == 0)
        mos_block(until); /* returns at once if the answer's notification came meanwhile */
    mos_irq_enable();
    return more < 0 ? more : 0;
}

int mos_admit_ask(const struct emv_admit_req *req, struct emv_admit_resp *resp,
                  void (*wait)(uint64_t until_ns))
{
    if (mos_admit_open())
        return -1;
    static union emv_admit_slot slot;
    memset(&slot, 0, sizeof slot);
    slot.req = *req;
    /* Answers to earlier requests we gave up on would fill the ring: take them first. */
    while (ring_front_free(&cl.ring) == 0 && ring_front_take_slots(&cl.ring, &slot, 1) == 1)
        slot.req = *req;
    if (ring_front_put_slots(&cl.ring, &slot, 1) != 1) {
        mos_printf("admit: the ring is %s\n", cl.ring.error ? "broken" : "full");
        return -1;
    }
    if (ring_front_push(&cl.ring) > 0)
        mos_evtchn_notify(cl.ch.index);
    uint64_t give_up = mos_now_ns() + 2000000000UL;
    while (mos_now_ns() < give_up) {
        int n = ring_front_take_slots(&cl.ring, &slot, 1);
        if (n == 1 && slot.resp.magic == EMV_ADMIT_MAGIC && slot.resp.seq == req->seq) {
            *resp = slot.resp;
            resp->reason[sizeof resp->reason - 1] = 0; /* printable, whatever came */
            return 0;
        }
        if (n == 0)
            n = wait_answer(wait);
        if (n < 0) {
            mos_printf("admit: the control VM broke the ring (error %d)\n", -n);
            cl.state = -1;
            return -1;
        }
    }
    mos_printf("admit: no answer within 2 s\n");
    return -1;
}
