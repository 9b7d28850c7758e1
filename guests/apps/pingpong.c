/* SPDX-License-Identifier: MIT */
/*
 * pingpong.c - two VMs cooperating through a shared-memory region and an event channel, both
 * named in the config and found in the boot information.
 * bootarg 0: the server. For every channel end "ping-X" it has, region "ring-X" holds one
 * client's request slot; on each event it answers every new request (value v -> 3v + 1) and
 * notifies that client back.
 * bootarg N > 0: a client making N requests on its (only) region and channel, one at a time,
 * sleeping until the answer's event; every answer is checked, a missing one after 100 ms is
 * reported as lost. Prints `pingpong: N round trips, E wrong, L lost, ...`.
 */
#include "minios.h"

#include "string.h"

struct slot { /* one request and its answer; the client writes req_*, the server resp_* */
    volatile uint64_t req_seq, req_val;
    volatile uint64_t resp_seq, resp_val;
};

#define MAX_CLIENTS 8

static struct {
    uint32_t port;
    struct slot *slot;
} clients[MAX_CLIENTS];
static unsigned nr_clients;
static volatile uint64_t upcalls;

static void on_irq(uint32_t irq)
{
    if (irq == EMV_VIRQ_EVENT)
        upcalls++;
}

static uint64_t answer(uint64_t v)
{
    return 3 * v + 1;
}

/* Server side: pair each channel end "ping-X" with region "ring-X". */
static int pair(const struct mos_obj *o, void *ctx)
{
    (void)ctx;
    struct mos_obj r;
    int found = nr_clients < MAX_CLIENTS ? mos_obj_region_of(o, "ping-", "ring-", &r) : -1;
    if (found == -1)
        return 0;
    if (found || r.size < sizeof(struct slot)) {
        mos_printf("pingpong: no region ring-%s for channel %s\n", o->name + 5, o->name);
        return 0;
    }
    clients[nr_clients].port = o->index;
    clients[nr_clients++].slot = (struct slot *)r.ipa;
    mos_printf("pingpong: serving %s (port %u, region at %#lx) for %s\n", o->name, o->index, r.ipa,
               o->peer);
    return 0;
}

static void serve(void)
{
    mos_obj_each(pair, 0);
    uint64_t answered = 0;
    for (;;) {
        mos_irq_disable();
        uint64_t pend = mos_evtchn_poll();
        if (!pend) {
            mos_block(0);     /* returns at once if the event is pending (masked here) */
            mos_irq_enable(); /* takes it */
            continue;
        }
        mos_irq_enable();
        for (unsigned c = 0; c < nr_clients; c++) {
            struct slot *s = clients[c].slot;
            uint64_t seq = s->req_seq; /* read once */
            if (!((pend >> clients[c].port) & 1) || seq == s->resp_seq)
                continue;
            __asm__ volatile("dmb ish" ::: "memory"); /* the value was written before seq */
            s->resp_val = answer(s->req_val);
            __asm__ volatile("dmb ish" ::: "memory");
            s->resp_seq = seq;
            mos_evtchn_notify(clients[c].port);
            if (++answered % 5000 == 0)
                mos_printf("pingpong: %lu answered\n", answered);
        }
    }
}

/* Client side: its only region and channel. */
static void client(uint64_t n)
{
    struct mos_obj ring, ch;
    if (mos_obj_first(EMV_OBJ_SHMEM, 0, &ring) || mos_obj_first(EMV_OBJ_EVTCHN, 0, &ch)) {
        mos_printf("pingpong: no region or channel in the boot information\n");
        return;
    }
    mos_printf("pingpong: %lu requests to %s over %s\n", n, ch.peer, ring.name);
    struct slot *s = (struct slot *)ring.ipa;
    uint64_t wrong = 0, lost = 0, t0 = mos_cycles();
    for (uint64_t i = 1; i <= n && !lost; i++) {
        uint64_t v = i * 2654435761u;
        s->req_val = v;
        __asm__ volatile("dmb ish" ::: "memory");
        s->req_seq = i;
        mos_evtchn_notify(ch.index);
        uint64_t give_up = mos_now_ns() + 100000000;
        for (;;) {
            mos_irq_disable();
            /* Clear the port before looking: a notification after this raises the event
             * again (pending ports coalesce; one never polled would never raise again). */
            mos_evtchn_poll();
            if (s->resp_seq == i || mos_now_ns() > give_up) {
                mos_irq_enable();
                break;
            }
            mos_block(give_up);
            mos_irq_enable();
        }
        __asm__ volatile("dmb ish" ::: "memory");
        if (s->resp_seq != i)
            lost++, mos_printf("pingpong: request %lu lost\n", i);
        else if (s->resp_val != answer(v))
            wrong++;
    }
    uint64_t cycles = mos_cycles() - t0;
    mos_printf("pingpong: %lu round trips, %lu wrong, %lu lost, %lu upcalls, %lu cycles each\n", n,
               wrong, lost, upcalls, cycles / n);
}

void app_main(uint64_t bootarg)
{
    mos_set_irq_handler(on_irq);
    mos_irq_enable();
    if (bootarg)
        client(bootarg);
    else
        serve();
    for (;;)
        mos_block(0);
}
