/* SPDX-License-Identifier: MIT */
/*
 * control.c - the control VM: holds the system's periodic-server interfaces, answers
 * admission requests from guests with the rt/ analysis, and installs what it admits with
 * the privileged EMV_HC_SCHED_SET. Every admitted budget carries a per-period overhead:
 * twice the largest hypervisor overhead any server on that CPU has suffered in one period
 * so far (measured by the hypervisor, EMV_HC_SCHED_STATS: interrupt entries while it ran
 * and the switch that brought it in), and never less than the bootarg in microseconds
 * (default 10, for a CPU with no history yet).
 *
 * Each client asks on a ring of its own (include/emv/admit.h): the config gives it a channel
 * `admit-X` to the control VM and a region `admbuf-X`, and the control VM serves every such
 * pair its boot information names, as the back-end. It never waits for a client: an answer
 * goes into the slot of its request, so a client that does not read its answers only loses
 * them. Its work is paced: one request per client per round, rounds at least SERVE_GAP_NS
 * apart, so a client that floods its ring and its channel costs a bounded share of the control
 * VM's CPU and delays another client's answer by at most one request. A client that breaks
 * its ring (a wild producer index) is logged once, its port masked, and never served again.
 */
#include "admit.h"
#include "minios.h"
#include "serve.h"
#include "string.h"

static struct admit_state st;
static uint64_t overhead_floor_us;

/* 1 ms between rounds: answers come that much later only under load. */
#define SERVE_GAP_NS 1000000UL
#define MAX_VM_ID 8 /* VM ids 1..8: the hypervisor's limit */

static struct serve clients; /* one admission ring per client (guests/control/serve.c) */

/* Log the 1st, 2nd, 4th, 8th, ... occurrence: a flood cannot fill the console, yet the
 * count stays visible. */
static bool log_now(uint32_t n)
{
    return (n & (n - 1)) == 0;
}

/* The control VM acts on a VM only through its VM object (vm-<name>, EMV_RIGHT_CONTROL): its
 * index for each VM id, from the boot information (0: none; else index + 1). */
static uint32_t vm_objs[MAX_VM_ID + 1];

static int note_vm_obj(const struct mos_obj *o, void *ctx)
{
    (void)ctx;
    if (o->type == EMV_OBJ_VM && (o->rights & EMV_RIGHT_CONTROL) && o->peer_id &&
        o->peer_id <= MAX_VM_ID)
        vm_objs[o->peer_id] = o->index + 1;
    return 0;
}

/* The object that names the client a request came from (the sender's VM id of a message, the
 * peer-id of an admit-X channel): -1 if the control VM has none for it. */
static int64_t client_obj(uint32_t vm)
{
    return vm <= MAX_VM_ID && vm_objs[vm] ? (int64_t)vm_objs[vm] - 1 : -1;
}

/* Scheduling calls on (VM id, vCPU) through the VM's object. */
static int64_t sched_call(uint64_t nr, uint32_t vm, uint32_t vcpu, uint64_t a3, uint64_t a4,
                          uint64_t out[3])
{
    int64_t o = client_obj(vm);
    return o < 0 ? -EMV_EINVAL : hvc6(nr, (uint64_t)o, vcpu, a3, a4, 0, out);
}

static void load_servers(void)
{
    mos_obj_each(note_vm_obj, 0);
    for (uint32_t vm = 1; vm <= MAX_VM_ID; vm++) {
        for (uint32_t vcpu = 0; vcpu < 4; vcpu++) {
            uint64_t out[3];
            if (sched_call(EMV_HC_SCHED_GET, vm, vcpu, 0, 0, out) < 0)
                break;
            if (st.n == ADMIT_MAX_SERVERS)
                return;
            st.srv[st.n++] =
                (struct admit_server){vm, vcpu, (uint32_t)out[2], out[0] / 1000, out[1] / 1000};
            if (out[0])
                mos_printf("control: vm %u vcpu %u on cpu %lu: budget %lu us every %lu us\n", vm,
                           vcpu, out[2], out[1] / 1000, out[0] / 1000);
        }
    }
}

/* The overhead to charge a request from (vm, vcpu): from what its CPU's servers measured.
 * Sets *cpu and *worst_ns for the log line, printed only if the request is well formed. */
static void update_overhead(uint32_t vm, uint32_t vcpu, uint32_t *cpu_out, uint64_t *worst_out)
{
    uint32_t cpu = UINT32_MAX;
    for (unsigned i = 0; i < st.n; i++)
        if (st.srv[i].vm == vm && st.srv[i].vcpu == vcpu)
            cpu = st.srv[i].cpu;
    uint64_t worst_ns = 0;
    for (unsigned i = 0; i < st.n; i++) {
        uint64_t out[3];
        if (st.srv[i].cpu != cpu || !st.srv[i].period_us ||
            sched_call(EMV_HC_SCHED_STATS, st.srv[i].vm, st.srv[i].vcpu, 0, 0, out) < 0)
            continue;
        if (out[0] > worst_ns)
            worst_ns = out[0];
    }
    uint64_t us = (2 * worst_ns + 999) / 1000;
    st.overhead_us = us > overhead_floor_us ? us : overhead_floor_us;
    *cpu_out = cpu;
    *worst_out = worst_ns;
}

/* Decide one request of client @c into @resp: the analysis, the interface installed if
 * admitted, the decision line (rate-limited per client, so a flood cannot fill the console). */
static void decide(void *ctx, struct serve_client *c, struct emv_admit_req *req,
                   struct emv_admit_resp *resp)
{
    (void)ctx;
    uint32_t from = c->vm;
    uint32_t cpu = UINT32_MAX;
    uint64_t worst_ns = 0;
    if (req->magic == EMV_ADMIT_MAGIC)
        update_overhead(from, req->vcpu, &cpu, &worst_ns);
    uint64_t t0 = mos_cycles();
    admit_request(&st, from, req, resp);
    resp->analysis_cycles = mos_cycles() - t0;
    if (resp->result == EMV_ADMIT_BAD_REQUEST) {
        uint32_t k = ++c->malformed;
        if (log_now(k)) /* the usual decision line (make bench reads its cost) */
            mos_printf("control: vm %u asks for %u task(s): refused: %s (analysis %lu "
                       "cycles) [%u malformed so far]\n",
                       from, req->nr_tasks, resp->reason, resp->analysis_cycles, k);
        return;
    }
    bool log = log_now(++c->decided);
    if (cpu != UINT32_MAX && log)
        mos_printf("control: cpu %u: measured overhead up to %lu ns per period, charging %lu "
                   "us\n",
                   cpu, worst_ns, st.overhead_us);
    int64_t set = 0;
    if (resp->result == EMV_ADMITTED)
        set = sched_call(EMV_HC_SCHED_SET, from, req->vcpu, resp->period_us * 1000,
                         resp->budget_us * 1000, 0);
    if (log || resp->result == EMV_ADMITTED || set < 0)
        mos_printf("control: vm %u asks for %u task(s): %s: %s (analysis %lu cycles)%s%s\n", from,
                   req->nr_tasks, resp->result == EMV_ADMITTED ? "admitted" : "refused",
                   resp->reason, resp->analysis_cycles, set < 0 ? " [install failed]" : "",
                   log ? "" : " [more not logged]");
}

/* Pair each channel end admit-X with region admbuf-X: one client, one ring. */
static int find_client(const struct mos_obj *o, void *ctx)
{
    (void)ctx;
    struct mos_obj r;
    int found = mos_obj_region_of(o, "admit-", "admbuf-", &r);
    if (found == -1)
        return 0;
    if (found || !(r.rights & EMV_RIGHT_WRITE) ||
        serve_add(&clients, o->index, o->peer_id, o->peer, (void *)r.ipa, r.size)) {
        mos_printf("control: channel %s has no usable region admbuf-%s: not served\n", o->name,
                   o->name + 6);
        return 0;
    }
    mos_printf("control: vm %u (%s) asks over channel %s (%u-slot ring)\n", o->peer_id, o->peer,
               o->name, ring_slots_sized(r.size, EMV_ADMIT_SLOT_SIZE));
    return 0;
}

static void notify(void *ctx, struct serve_client *c)
{
    (void)ctx;
    mos_evtchn_notify(c->port);
}

/* One line, then silence: the port is masked and the ring never read or written again. */
static void cut_off(void *ctx, struct serve_client *c, int err)
{
    (void)ctx;
    mos_evtchn_mask(c->port, true);
    mos_printf("control: vm %u (%s) broke its admission ring (%s): cut off\n", c->vm, c->peer,
               serve_violation(err));
}

static const struct serve_ops ops = {decide, notify, cut_off, 0};

/* Sleep until an interrupt is pending or @deadline (0: no deadline), then take it. Interrupts
 * stay masked otherwise, so a notification that arrives after a ring was found dry keeps
 * EMV_HC_BLOCK from sleeping instead of being taken in between. */
static void sleep_until(uint64_t deadline)
{
    mos_block(deadline);
    mos_irq_enable();
    mos_irq_disable();
}

void app_main(uint64_t bootarg)
{
    overhead_floor_us = bootarg ? bootarg : 10;
    st.overhead_us = overhead_floor_us;
    load_servers();
    for (uint32_t cpu = 0; cpu < ADMIT_MAX_CPUS; cpu++) {
        uint64_t out[3];
        static const char *const names[] = {"edf", "rm", "rr", "credit"};
        if (hvc6(EMV_HC_CPU_INFO, cpu, 0, 0, 0, 0, out) != 0)
            continue;
        st.cpu_policy[cpu] = (uint32_t)out[0];
        mos_printf("control: cpu %u orders servers by %s\n", cpu, out[0] < 4 ? names[out[0]] : "?");
    }
    mos_printf("control: %u vcpu(s) known, overhead per period: 2 x measured, at least %lu us\n",
               st.n, overhead_floor_us);
    mos_obj_each(find_client, 0);
    /* Notifications raise EMV_VIRQ_EVENT (an SGI, enabled from reset): sleeping until any
     * interrupt and then polling the ports is all the control VM needs. */
    mos_irq_disable();
    uint64_t next = 0, busy = 0; /* busy: ports of clients that may have more waiting */
    for (;;) {
        uint64_t now = mos_time_ns();
        if (now < next) { /* paced: an interrupt before then only ends this sleep early */
            sleep_until(next);
            continue;
        }
        next = now + SERVE_GAP_NS;
        uint64_t pending = mos_evtchn_poll() | busy; /* poll first, then look at the rings */
        busy = serve_round(&clients, pending, &ops);
        if (!busy)
            sleep_until(0); /* every ring dry and re-armed: the next request notifies */
    }
}
