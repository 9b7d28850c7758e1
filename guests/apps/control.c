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
 * It never waits for a client: each answer is sent once, and one the client has no room for
 * (it does not read its inbox) is dropped and counted. Its work is paced: at most
 * SERVE_BATCH messages per wake-up and wake-ups at least SERVE_GAP_NS apart, so a flood of
 * requests costs it a bounded share of its CPU; the hypervisor's per-sender inbox quota and
 * FIFO order keep a flooding client from pushing the others' requests out of that share.
 */
#include "admit.h"
#include "minios.h"
#include "string.h"

static struct admit_state st;
static uint64_t overhead_floor_us;

/* One inbox's worth: with the per-sender quota, a request has at most the other senders'
 * quotas ahead of it, so it is served in the next batch after it arrived. */
#define SERVE_BATCH EMV_INBOX_SLOTS
#define SERVE_GAP_NS 1000000UL /* 1 ms: answers come that much later only under load */
#define MAX_CLIENTS 8          /* VM ids 1..8: the hypervisor's limit */

/* Per client: how often the control VM gave up on it, for rate-limited log lines. */
static struct {
    uint32_t dropped, malformed;
} clients[MAX_CLIENTS + 1];

/* Log the 1st, 2nd, 4th, 8th, ... occurrence: a flood cannot fill the console, yet the
 * count stays visible. */
static bool log_now(uint32_t n)
{
    return (n & (n - 1)) == 0;
}

/* The control VM acts on a VM only through its VM object (vm-<name>, EMV_RIGHT_CONTROL): its
 * index for each VM id, from the boot information (0: none; else index + 1). */
static uint32_t vm_objs[MAX_CLIENTS + 1];

static int note_vm_obj(const struct mos_obj *o, void *ctx)
{
    (void)ctx;
    if (o->type == EMV_OBJ_VM && (o->rights & EMV_RIGHT_CONTROL) && o->peer_id &&
        o->peer_id <= MAX_CLIENTS)
        vm_objs[o->peer_id] = o->index + 1;
    return 0;
}

/* The object that names the client a request came from (the sender's VM id of a message, the
 * peer-id of an admit-X channel): -1 if the control VM has none for it. */
static int64_t client_obj(uint32_t vm)
{
    return vm <= MAX_CLIENTS && vm_objs[vm] ? (int64_t)vm_objs[vm] - 1 : -1;
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
    for (uint32_t vm = 1; vm <= MAX_CLIENTS; vm++) {
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

/* Send @resp to @from once. A client with no room for it (its inbox holds its quota of
 * unread messages) loses it: waiting would let any client stop the control VM. */
static void deliver(uint32_t from, const struct emv_admit_resp *resp)
{
    int64_t r = hvc6(EMV_HC_MSG_SEND, from, (uint64_t)resp, sizeof(*resp), 0, 0, 0);
    if (!r || from > MAX_CLIENTS)
        return;
    uint32_t n = ++clients[from].dropped;
    if (log_now(n))
        mos_printf("control: vm %u: %s, answer dropped (%u so far)\n", from,
                   r == -EMV_EAGAIN ? "inbox full" : "not reachable", n);
}

/* Decide one request of VM @from (@well_formed: it had a request's size) into @resp: the
 * analysis, the interface installed if admitted, the decision line. */
static void decide(uint32_t from, struct emv_admit_req *req, bool well_formed,
                   struct emv_admit_resp *resp)
{
    uint32_t cpu = UINT32_MAX;
    uint64_t worst_ns = 0;
    if (!well_formed || req->magic != EMV_ADMIT_MAGIC)
        req->magic = 0; /* answered as malformed, at no more cost than that */
    else
        update_overhead(from, req->vcpu, &cpu, &worst_ns);
    uint64_t t0 = mos_cycles();
    admit_request(&st, from, req, resp);
    resp->analysis_cycles = mos_cycles() - t0;
    if (resp->result == EMV_ADMIT_BAD_REQUEST) {
        uint32_t k = from <= MAX_CLIENTS ? ++clients[from].malformed : 1;
        if (log_now(k)) /* the usual decision line (make bench reads its cost) */
            mos_printf("control: vm %u asks for %u task(s): refused: %s (analysis %lu "
                       "cycles) [%u malformed so far]\n",
                       from, req->nr_tasks, resp->reason, resp->analysis_cycles, k);
        return;
    }
    if (cpu != UINT32_MAX)
        mos_printf("control: cpu %u: measured overhead up to %lu ns per period, charging %lu "
                   "us\n",
                   cpu, worst_ns, st.overhead_us);
    int64_t set = 0;
    if (resp->result == EMV_ADMITTED)
        set = sched_call(EMV_HC_SCHED_SET, from, req->vcpu, resp->period_us * 1000,
                         resp->budget_us * 1000, 0);
    mos_printf("control: vm %u asks for %u task(s): %s: %s (analysis %lu cycles)%s\n", from,
               req->nr_tasks, resp->result == EMV_ADMITTED ? "admitted" : "refused", resp->reason,
               resp->analysis_cycles, set < 0 ? " [install failed]" : "");
}

/* Answer at most @budget messages; returns how many there were. */
static unsigned serve(unsigned budget)
{
    /* A whole EMV_MSG_MAX: a longer message than a request must not stay stuck at the head
     * of the inbox (-EMV_E2BIG leaves it queued). */
    static union {
        struct emv_admit_req req;
        uint8_t raw[EMV_MSG_MAX];
    } buf;
    struct emv_admit_resp resp;
    unsigned done = 0;
    for (; done < budget; done++) {
        uint64_t out[3];
        int64_t n = hvc6(EMV_HC_MSG_RECV, (uint64_t)&buf, sizeof(buf), 0, 0, 0, out);
        if (n < 0)
            break;
        decide((uint32_t)out[0], &buf.req, (uint64_t)n == sizeof(buf.req), &resp);
        deliver((uint32_t)out[0], &resp);
    }
    return done;
}

/* Clients that ask over a channel `admit-X` and a region `admbuf-X` of their own. */
#define MAX_BOXES 8
static struct {
    uint32_t port, vm;
    volatile struct emv_admit_box *box;
} boxes[MAX_BOXES];
static unsigned nr_boxes;

static int find_box(const struct mos_obj *o, void *ctx)
{
    (void)ctx;
    struct mos_obj r;
    if (nr_boxes == MAX_BOXES || mos_obj_region_of(o, "admit-", "admbuf-", &r) ||
        r.size < sizeof(struct emv_admit_box) || !(r.rights & EMV_RIGHT_WRITE))
        return 0;
    boxes[nr_boxes].port = o->index;
    boxes[nr_boxes].vm = o->peer_id;
    boxes[nr_boxes++].box = (volatile struct emv_admit_box *)r.ipa;
    mos_printf("control: vm %u (%s) asks over channel %s\n", o->peer_id, o->peer, o->name);
    return 0;
}

/* One request per client whose port is pending: its box is read once, the answer written,
 * then resp_seq, then the client is notified. */
static void serve_boxes(uint64_t pending)
{
    for (unsigned i = 0; i < nr_boxes; i++) {
        volatile struct emv_admit_box *b = boxes[i].box;
        uint32_t seq = b->req_seq;
        if (!((pending >> boxes[i].port) & 1) || seq == b->resp_seq)
            continue;
        __asm__ volatile("dmb ish" ::: "memory"); /* the request was written before req_seq */
        struct emv_admit_req req;
        memcpy(&req, (const void *)&b->req, sizeof(req)); /* read once, then checked */
        struct emv_admit_resp resp;
        decide(boxes[i].vm, &req, true, &resp);
        memcpy((void *)&b->resp, &resp, sizeof(resp));
        __asm__ volatile("dmb ish" ::: "memory");
        b->resp_seq = seq;
        mos_evtchn_notify(boxes[i].port);
    }
}

/* Sleep until an interrupt is pending or @deadline (0: no deadline), then take it. Interrupts
 * stay masked otherwise, so a message that arrives after the inbox was found empty keeps
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
    mos_obj_each(find_box, 0);
    /* Messages raise EMV_VIRQ_MSG (an SGI, enabled from reset): sleeping until any
     * interrupt and then reading the inbox is all the control VM needs. */
    mos_irq_disable();
    uint64_t next = 0;
    for (;;) {
        uint64_t now = mos_time_ns();
        if (now < next) { /* paced: an interrupt before then only ends this sleep early */
            sleep_until(next);
            continue;
        }
        next = now + SERVE_GAP_NS;
        uint64_t pending = mos_evtchn_poll(); /* before looking at the boxes */
        serve_boxes(pending);
        if (serve(SERVE_BATCH) < SERVE_BATCH && !pending)
            sleep_until(0); /* the inbox was empty, no box was notified */
    }
}
