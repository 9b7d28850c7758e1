/* SPDX-License-Identifier: MIT */
/* trace.c - per-CPU event rings and the end-of-run dump (see trace.h). */
#include "trace.h"

#include "hyp.h"

#define TRACE_EVENTS 65536 /* per CPU, 2 MiB: the whole demo run fits; older events are dropped */

struct trace_rec {
    ns_t t;
    const struct vcpu *v;
    uint32_t ev;
    uint64_t arg;
};

struct trace_ring {
    uint64_t head; /* total events ever written */
    struct trace_rec rec[TRACE_EVENTS];
};

bool trace_on;
static struct trace_ring rings[PLAT_MAX_CPUS];

void trace_event(unsigned cpu, ns_t t, enum trace_ev ev, const struct vcpu *v, uint64_t arg)
{
    if (!trace_on || cpu >= PLAT_MAX_CPUS)
        return;
    struct trace_ring *r = &rings[cpu];
    r->rec[r->head % TRACE_EVENTS] = (struct trace_rec){t, v, ev, arg};
    r->head++;
}

static const char *const ev_names[] = {"in", "out", "repl", "exh", "wake", "idle", "exit"};
static const char *const why_names[] = {"preempt", "block", "yield", "budget", "stop"};

static void dump_one(unsigned cpu, const struct trace_rec *r)
{
    if (!r->v) {
        hyp_log("trace %lu %u %s - - 0", r->t, cpu, ev_names[r->ev]);
        return;
    }
    if (r->ev == TR_EXIT) /* why the guest entered the hypervisor */
        hyp_log("trace %lu %u exit %s %u %s:%lu", r->t, cpu, r->v->vm->name, r->v->id,
                exit_kind_names[(r->arg & 0xff) < EXIT_KINDS ? r->arg & 0xff : EXIT_OTHER],
                r->arg >> 8);
    else if (r->ev == TR_OUT)
        hyp_log("trace %lu %u out %s %u %s", r->t, cpu, r->v->vm->name, r->v->id,
                why_names[r->arg < ARRAY_SIZE(why_names) ? r->arg : 0]);
    else
        hyp_log("trace %lu %u %s %s %u %lu", r->t, cpu, ev_names[r->ev], r->v->vm->name, r->v->id,
                r->arg);
}

void trace_dump(void)
{
    if (!trace_on)
        return;
    trace_on = false; /* nothing more is recorded while we print */
    uint64_t pos[PLAT_MAX_CPUS], total = 0, dropped = 0;
    unsigned online = 0;
    for (unsigned c = 0; c < PLAT_MAX_CPUS; c++)
        online += pcpus[c].online;
    hyp_log("trace-begin cpus=%u unit=ns", online);
    for (unsigned i = 0; i < nr_vms; i++)
        for (unsigned j = 0; j < vms[i].nr_vcpus; j++) {
            const struct vcpu *v = vms[i].vcpus[j];
            hyp_log("trace-vcpu %s %u %u", vms[i].name, j, v->pcpu);
            if (v->se.period_ns)
                hyp_log("trace-server %s %u %u %lu %lu", vms[i].name, j, v->pcpu, v->se.period_ns,
                        v->se.budget_ns);
        }
    for (unsigned c = 0; c < PLAT_MAX_CPUS; c++) {
        uint64_t n = rings[c].head;
        pos[c] = n > TRACE_EVENTS ? n - TRACE_EVENTS : 0;
        dropped += pos[c];
    }
    for (;;) { /* merge the rings by time */
        int best = -1;
        for (unsigned c = 0; c < PLAT_MAX_CPUS; c++)
            if (pos[c] < rings[c].head &&
                (best < 0 || rings[c].rec[pos[c] % TRACE_EVENTS].t <
                                 rings[best].rec[pos[best] % TRACE_EVENTS].t))
                best = (int)c;
        if (best < 0)
            break;
        dump_one((unsigned)best, &rings[best].rec[pos[best]++ % TRACE_EVENTS]);
        total++;
    }
    hyp_log("trace-end events=%lu dropped=%lu", total, dropped);
}
