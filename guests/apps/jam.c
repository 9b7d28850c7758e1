/* SPDX-License-Identifier: MIT */
/*
 * jam.c - a hostile client of the control VM, on its own admission ring (region admbuf-X,
 * channel admit-X; include/emv/admit.h). A well-behaved client beside it must still be served.
 *
 * bootarg 0: flood. In a tight loop it keeps its ring full of requests — junk (wrong magic),
 *   malformed ones (a task count far over the limit) and well-formed ones for an overloaded
 *   task set, which cost the control VM a full analysis before it refuses them — takes the
 *   answers only to make room for more, and notifies the control VM on every turn, whether
 *   the ring asked for it or not. Every 250 ms it prints what it pushed and what was answered.
 * bootarg 1..3: break the ring after one honest request: 1 producer index 65536 ahead, 2 moved
 *   7 back, 3 one request more in flight than the ring has slots (the slots scribbled). Then
 *   for 200 ms garbage in every slot and index, each time with a notification; the control
 *   VM's indices (rsp_prod, req_event) must stay untouched: it cut this client off.
 */
#include "emv/admit.h"
#include "emv/ring.h"
#include "minios.h"
#include "string.h"

#define KIND_FLOOD 0
#define KIND_AHEAD 1
#define KIND_BEHIND 2
#define KIND_OVER 3

static struct ring_front fr;
static uint32_t port;

static int open_ring(void)
{
    struct mos_obj ch, region;
    if (mos_obj_first(EMV_OBJ_EVTCHN, 0, &ch) ||
        mos_obj_region_of(&ch, "admit-", "admbuf-", &region) ||
        ring_front_init_sized(&fr, (void *)region.ipa, region.size, 0, EMV_ADMIT_SLOT_SIZE)) {
        mos_printf("jam: no admission ring in the boot information\n");
        return -1;
    }
    port = ch.index;
    return 0;
}

static uint64_t rnd = 88172645463325252u;
static uint64_t xorshift(void)
{
    return mos_xorshift(&rnd);
}

/* The @i-th request of the flood: junk, malformed, or well formed and overloaded. */
static void flood_request(union emv_admit_slot *q, uint64_t i)
{
    memset(q, 0, sizeof *q);
    q->req.seq = (uint32_t)i;
    switch (i % 3) {
    case 0: /* junk */
        for (unsigned w = 0; w < EMV_ADMIT_SLOT_SIZE / 8; w++)
            q->words[w] = xorshift();
        q->req.magic = 0xbad;
        break;
    case 1: /* malformed: a task count the request cannot hold */
        q->req.magic = EMV_ADMIT_MAGIC;
        q->req.op = EMV_ADMIT_SET_TASKS;
        q->req.nr_tasks = 0xffffffffu;
        break;
    default: /* well formed, U = 1.1 at a 2 ms server: analysed, then refused */
        q->req.magic = EMV_ADMIT_MAGIC;
        q->req.op = EMV_ADMIT_SET_TASKS;
        q->req.nr_tasks = 2;
        q->req.tasks[0] = (struct emv_admit_task){10000, 6000};
        q->req.tasks[1] = (struct emv_admit_task){20000, 10000};
        q->req.period_us = 2000;
        break;
    }
}

static void flood(void)
{
    static union emv_admit_slot q, a[8];
    uint64_t pushed = 0, answered = 0, notified = 0, next = mos_time_ns() + 250000000UL;
    mos_printf("jam: flooding my ring and channel to the control VM (%u slots)\n", fr.mask + 1);
    for (uint64_t turn = 1;; turn++) {
        int n = ring_front_take_slots(&fr, a, 8);
        if (n < 0) {
            mos_printf("jam: the control VM broke the ring (%d)\n", n);
            break;
        }
        answered += (uint64_t)n;
        while (ring_front_free(&fr)) {
            flood_request(&q, pushed);
            pushed += (uint64_t)ring_front_put_slots(&fr, &q, 1);
        }
        ring_front_push(&fr);
        mos_evtchn_notify(port); /* every turn, asked for or not */
        notified++;
        if (!(turn & 255) && mos_time_ns() >= next) {
            mos_printf("jam: %lu requests pushed, %lu answered, %lu notifications\n", pushed,
                       answered, notified);
            next += 250000000UL;
        }
    }
    for (;;)
        mos_block(0);
}

static void pause_ns(uint64_t ns)
{
    uint64_t until = mos_now_ns() + ns;
    while (mos_now_ns() < until)
        mos_block(until);
}

static void scribble_slots(void)
{
    volatile uint64_t *w = (volatile uint64_t *)((volatile uint8_t *)fr.sh + RING_SLOT_SIZE);
    for (uint32_t i = 0; i < (fr.mask + 1) * (EMV_ADMIT_SLOT_SIZE / 8); i++)
        w[i] = xorshift();
}

static void hostile(unsigned kind)
{
    static union emv_admit_slot q;
    /* One honest request first (refused: a best-effort vCPU must name a server period). */
    memset(&q, 0, sizeof q);
    q.req = (struct emv_admit_req){
        .magic = EMV_ADMIT_MAGIC, .op = EMV_ADMIT_SET_TASKS, .nr_tasks = 1, .seq = 1};
    q.req.tasks[0] = (struct emv_admit_task){40000, 4000};
    ring_front_put_slots(&fr, &q, 1);
    ring_front_push(&fr);
    mos_evtchn_notify(port);
    int n = 0;
    for (unsigned i = 0; i < 1000 && n == 0; i++) {
        pause_ns(1000000);
        n = ring_front_take_slots(&fr, &q, 1);
    }
    q.resp.reason[sizeof q.resp.reason - 1] = 0;
    mos_printf("jam: honest request first: %s\n",
               n == 1 && q.resp.seq == 1 ? q.resp.reason : "no answer");
    volatile struct ring_shared *sh = fr.sh;
    const char *what;
    switch (kind) {
    case KIND_AHEAD:
        sh->req_prod = fr.req_pushed + 0x10000;
        what = "producer 65536 ahead";
        break;
    case KIND_BEHIND:
        sh->req_prod = fr.req_pushed - 7;
        what = "producer 7 behind";
        break;
    default: /* all answered: one more than the slots in flight */
        scribble_slots();
        sh->req_prod = fr.req_pushed + fr.mask + 2;
        what = "one request more than the ring holds";
        break;
    }
    mos_evtchn_notify(port);
    mos_printf("jam: broke my ring: %s, notified\n", what);
    pause_ns(10000000);
    uint32_t rsp_prod = sh->rsp_prod, req_event = sh->req_event;
    uint64_t storms = 0, end = mos_now_ns() + 200000000UL;
    while (mos_now_ns() < end) {
        scribble_slots();
        sh->req_prod = (uint32_t)xorshift();
        sh->rsp_event = (uint32_t)xorshift();
        mos_evtchn_notify(port);
        storms++;
    }
    pause_ns(10000000);
    bool same = rsp_prod == sh->rsp_prod && req_event == sh->req_event;
    mos_printf("jam: %lu scribbles and notifications in 200 ms later the control VM's indices "
               "are %s\n",
               storms, same ? "untouched" : "changed");
}

void app_main(uint64_t bootarg)
{
    mos_irq_enable();
    if (open_ring() == 0) {
        if (bootarg == KIND_FLOOD)
            flood();
        else
            hostile((unsigned)bootarg);
    }
    for (;;)
        mos_block(0);
}
