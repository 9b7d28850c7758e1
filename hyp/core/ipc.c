/* SPDX-License-Identifier: MIT */
/*
 * ipc.c - synchronous IPC, L4-style: a client calls an endpoint with a short message in
 * registers and waits; the endpoint's server takes calls one at a time with reply_recv, which
 * answers the caller it served and waits for the next. Endpoints and who may call or serve
 * them come from the config (objects); a call names its endpoint by the caller's own object.
 *
 * Messages never touch guest memory: four words in x2..x5 each way. What a vCPU gets back is
 * put in its mailbox (vcpu_ipc.in) and loaded into its registers when it next returns to its
 * guest (trap_exit -> ipc_apply), whichever CPU produced it.
 *
 * A passive server has no time of its own (docs/realtime.md): a call switches straight to it
 * on the caller's CPU and in the caller's scheduling context (sched_exec_switch: registers
 * and EL1 state only, no scheduling decision), and its reply switches straight back. Its
 * time is the caller's budget. An active server is an ordinary vCPU: a call wakes it and the
 * caller waits; its CPU's scheduler runs it in its own time.
 */
#include "emv/errno.h"
#include "hyp.h"
#include "spinlock.h"

/* One cache line each: endpoints used on different CPUs share none, and &eps[i] is a shift. */
struct endpoint {
    spinlock_t lock;
    const struct emv_ep_cfg *cfg;
    struct vcpu *server;      /**< vCPU 0 of the server VM; 0 if it did not start */
    bool waiting;             /**< the server waits in reply_recv */
    struct vcpu *serving;     /**< the caller the server is answering (0: none) */
    struct vcpu *head, *tail; /**< callers waiting for the server, first come first served */
} __attribute__((aligned(64)));

static struct endpoint eps[EMV_MAX_EPS];

void ipc_init(void)
{
    for (unsigned e = 0; e < emv_config.nr_eps && e < EMV_MAX_EPS; e++) {
        struct endpoint *ep = &eps[e];
        ep->cfg = &emv_config.eps[e];
        struct vm *vm = ep->cfg->server_vm < nr_vms ? &vms[ep->cfg->server_vm] : 0;
        ep->server = vm && vm->state == VM_RUNNING && vm->nr_vcpus ? vm->vcpus[0] : 0;
        if (ep->server)
            ep->server->ipc.passive = ep->cfg->passive;
    }
}

/* What a call or an error leaves in x0..x5: @x0, @x1, then the four words @w (0s if none).
 * Into a mailbox (applied at the return to the guest) or, on the fast path, straight into the
 * registers of a vCPU that waits. */
static void call_words(uint64_t *r, int64_t x0, uint64_t x1, const uint64_t *w)
{
    r[0] = (uint64_t)x0;
    r[1] = x1;
    for (unsigned i = 0; i < 4; i++)
        r[2 + i] = w ? w[i] : 0;
}

/* What a reply leaves in the caller's x0..x5: x0 = 0, x1..x4 = the server's x2..x5 (@w),
 * x5 = 0. */
static void reply_words(uint64_t *r, const uint64_t *w)
{
    r[0] = 0;
    for (unsigned i = 0; i < 4; i++)
        r[1 + i] = w[i];
    r[5] = 0;
}

static void mailbox(struct vcpu *v, int64_t x0, uint64_t x1, const uint64_t *w)
{
    call_words(v->ipc.in, x0, x1, w);
    __atomic_store_n(&v->ipc.in_ready, true, __ATOMIC_RELEASE);
}

static void mailbox_reply(struct vcpu *v, const uint64_t *w)
{
    reply_words(v->ipc.in, w);
    __atomic_store_n(&v->ipc.in_ready, true, __ATOMIC_RELEASE);
}

static struct endpoint *endpoint_of(const struct emv_obj_cfg *o);

/* The fault handler answered @v's fault (or is gone): act on it. False if the VM stopped. */
static bool fault_answered(struct vcpu *v, uint64_t *frame)
{
    int64_t status = (int64_t)v->ipc.in[0];
    uint64_t action = v->ipc.in[1], esr = v->ipc.msg[0], addr = v->ipc.msg[1];
    v->ipc.fault = false;
    if (status == 0 && action == EMV_FAULT_RESUME) {
        frame[31] += 4; /* past the faulting instruction */
        return true;
    }
    if (status == 0 && action == EMV_FAULT_RESTART && !v->ipc.passive) {
        vm_restart(v->vm, "its fault handler");
        return false; /* parked at the decision that follows */
    }
    vm_stop(v->vm, "stage-2 fault at ipa %#lx (esr %#lx, pc %#lx); %s", addr, esr, v->ipc.msg[2],
            status ? "its fault handler is gone" : "stopped by its fault handler");
    return false;
}

bool ipc_apply(struct vcpu *v, uint64_t *frame)
{
    if (!__atomic_exchange_n(&v->ipc.in_ready, false, __ATOMIC_ACQUIRE))
        return true;
    if (v->ipc.fault)
        return fault_answered(v, frame);
    for (unsigned i = 0; i < 6; i++)
        frame[i] = v->ipc.in[i];
    return true;
}

/*
 * A stage-2 fault of @v goes to its VM's fault handler (config `fault-handler`) as a call on
 * that endpoint: message {ESR_EL2, faulting IPA, PC, 0}, and @v waits. The handler's reply
 * (EMV_FAULT_*) decides (fault_answered). False when there is no handler to ask: the VM stops.
 */
bool ipc_fault(struct vcpu *v, uint64_t esr, uint64_t addr, uint64_t pc)
{
    const struct emv_vm_cfg *c = v->vm->cfg;
    const struct emv_obj_cfg *o;
    if (!c->fault_ep || v->ipc.donor ||
        obj_decode(c, c->fault_ep - 1, EMV_OBJ_ENDPOINT, EMV_RIGHT_CALL, &o))
        return false;
    struct endpoint *ep = endpoint_of(o);
    if (!ep || !ep->server || ep->server->vm == v->vm ||
        __atomic_load_n(&ep->server->vm->state, __ATOMIC_ACQUIRE) != VM_RUNNING)
        return false;
    uint64_t x[6] = {EMV_HC_IPC_CALL, c->fault_ep - 1, esr, addr, pc, 0};
    v->ipc.fault = true;
    ipc_call(v, o, x);
    return true;
}

static struct vcpu *dequeue(struct endpoint *ep)
{
    struct vcpu *c = ep->head;
    if (c) {
        ep->head = c->ipc.next;
        if (!ep->head)
            ep->tail = 0;
        c->ipc.next = 0;
    }
    return c;
}

static void enqueue(struct endpoint *ep, struct vcpu *c)
{
    c->ipc.next = 0;
    if (ep->tail)
        ep->tail->ipc.next = c;
    else
        ep->head = c;
    ep->tail = c;
}

/* Hand the server the call of @c: the server now answers @c. A passive server runs in the
 * time of its caller, unless another caller's time already runs it (ipc_lend): then @c waits
 * for its answer as in line. With the lock held. */
static void deliver(struct endpoint *ep, struct vcpu *c)
{
    struct vcpu *s = ep->server;
    ep->serving = c;
    ep->waiting = false;
    mailbox(s, 0, c->ipc.badge, c->ipc.msg);
    if (s->ipc.passive && !s->ipc.donor) {
        s->ipc.donor = c;
        c->ipc.donated_to = s;
        if (c->state == VCPU_IPC)
            sched_ipc_wake(c); /* its time runs the server when its CPU chooses it */
    }
}

/*
 * A wake from another CPU (vcpu_ipc.wake) ends the wait it was sent for. One can come for a
 * vCPU that was not waiting (a caller running the server on its time is still in line, and a
 * stop on another CPU ends its call with -EMV_EPIPE): it must not end @v's next wait, which
 * starts here. Nobody can wake that wait before the endpoint lock, held here, is released.
 */
static void forget_old_wake(struct vcpu *v)
{
    __atomic_store_n(&v->ipc.wake, false, __ATOMIC_RELAXED);
}

/* The endpoint slot object @o names (0: none, a config the tool would not write). */
static inline struct endpoint *endpoint_slot(const struct emv_obj_cfg *o)
{
    return o->endpoint < EMV_MAX_EPS ? &eps[o->endpoint] : 0;
}

static struct endpoint *endpoint_of(const struct emv_obj_cfg *o)
{
    struct endpoint *ep = endpoint_slot(o);
    return ep && ep->cfg ? ep : 0;
}

/* Does server @s wait, directly or down a chain, for @v (which runs now)? Then @v waiting for
 * @s would be a cycle: nobody's time could ever finish either call. A server waits for the
 * one its time runs (donated_to) or for the server it waits in line for (waits). */
static bool waits_for(const struct vcpu *s, const struct vcpu *v)
{
    for (unsigned n = 0; s && n <= HYP_MAX_VCPUS; n++) { /* a chain is at most every vCPU long */
        if (s == v)
            return true;
        s = s->ipc.donated_to ? s->ipc.donated_to : s->ipc.waits ? s->ipc.waits->server : 0;
    }
    return s != 0; /* longer than every vCPU: a cycle already; refuse */
}

/*
 * A call. To a passive server that waits: it switches straight to the server, in the caller's
 * time. To a busy passive server (serving, or still starting): the caller waits in line but
 * stays in its CPU's policy, and whenever the policy chooses it, its time runs the server
 * (exec_of -> ipc_lend) -- finishing the call in progress, whoever made it, then the calls
 * before its own. So a caller never idles its budget while a server it waits for could run: at
 * worst it pays for the calls ahead of it (docs/realtime.md). To an active server: the caller
 * blocks, the server is woken.
 */
void ipc_call(struct vcpu *v, const struct emv_obj_cfg *o, const uint64_t *x)
{
    struct endpoint *ep = endpoint_of(o);
    for (unsigned i = 0; i < 4; i++)
        v->ipc.msg[i] = x[2 + i]; /* read once, here */
    v->ipc.badge = o->badge;
    if (!ep || !ep->server ||
        __atomic_load_n(&ep->server->vm->state, __ATOMIC_ACQUIRE) != VM_RUNNING) {
        mailbox(v, -EMV_EPIPE, 0, 0);
        return;
    }
    struct vcpu *s = ep->server;
    spin_lock(&ep->lock);
    forget_old_wake(v);
    bool go = ep->waiting;
    /* A vCPU running on lent time (a passive server serving a call) cannot block: its caller's
     * context would go on running with nothing to run. It may call a passive server: a free
     * one runs on (nested lending); a busy one is waited for in line as any caller waits, the
     * chain's time running that server (exec_of -> ipc_lend) -- unless that server waits for
     * this one (a cycle). A call to an active server is refused. */
    if (v->ipc.donor && (!s->ipc.passive || (!go && waits_for(s, v)))) {
        spin_unlock(&ep->lock);
        mailbox(v, -EMV_EAGAIN, 0, 0);
        return;
    }
    if (go) {
        deliver(ep, v);
    } else {
        enqueue(ep, v); /* the server is busy: first come, first served */
        v->stats.ipc_queued++;
    }
    if (!s->ipc.passive) {
        sched_ipc_block(v);
        spin_unlock(&ep->lock);
        if (go)
            sched_ipc_wake(s);
        return;
    }
    if (!go) { /* waits in line; its time runs the server when its CPU chooses it */
        v->state = VCPU_IPC;
        v->ipc.waits = ep;
        sched_resched_self();
    }
    spin_unlock(&ep->lock);
    if (go)
        sched_exec_switch(s); /* v's time goes on, with the server's registers */
}

struct vcpu *ipc_lend(struct vcpu *w)
{
    struct endpoint *ep = w->ipc.waits;
    struct vcpu *s = ep->server;
    spin_lock(&ep->lock);
    struct vcpu *d = s->ipc.donor;
    if (d && d != w) { /* the caller whose time ran it so far waits now, as in line */
        d->ipc.donated_to = 0;
        d->ipc.waits = ep;
        d->state = VCPU_IPC;
    }
    s->ipc.donor = w;
    w->ipc.donated_to = s;
    w->ipc.waits = 0;
    spin_unlock(&ep->lock);
    return s;
}

/* The server answers the caller it served (if it still waits) and is done with it. */
static void reply(struct endpoint *ep, struct vcpu *s, const uint64_t *x)
{
    struct vcpu *c = ep->serving;
    ep->serving = 0;
    if (!c)
        return; /* its caller stopped meanwhile: the reply has nowhere to go */
    mailbox_reply(c, x + 2);
    if (s->ipc.passive && c == s->ipc.donor) { /* its own time ran this call */
        s->ipc.donor = 0;
        c->ipc.donated_to = 0;
        c->state = VCPU_RUNNING; /* was running all along, as the scheduler saw it */
    } else {
        sched_ipc_wake(c); /* it waited (another caller's time ran the server) or blocked */
    }
}

void ipc_reply_recv(struct vcpu *v, const struct emv_obj_cfg *o, const uint64_t *x)
{
    struct endpoint *ep = endpoint_of(o);
    if (!ep || ep->server != v) {
        mailbox(v, -EMV_EINVAL, 0, 0);
        return;
    }
    struct vcpu *ctx = this_pcpu()->ctx, *lender = v->ipc.donor; /* whose time runs it now */
    spin_lock(&ep->lock);
    forget_old_wake(v);
    struct vcpu *caller = ep->serving;
    reply(ep, v, x);
    struct vcpu *next = dequeue(ep);
    if (next)
        deliver(ep, next);
    else
        ep->waiting = true;
    if (!v->ipc.passive) {
        if (!next)
            sched_ipc_block(v); /* waits in its own time */
        spin_unlock(&ep->lock);
        return; /* goes on with the next call, in its own time */
    }
    if (next && lender && v->ipc.donor == lender) {
        spin_unlock(&ep->lock);
        return; /* goes on with the next call in the same lender's time */
    }
    v->state = VCPU_IPC;
    if (!next && ctx == v)
        sched_ipc_block(v); /* a passive server's first wait, in its own time */
    spin_unlock(&ep->lock);
    if (caller && caller == lender)
        sched_exec_switch(caller); /* straight back to the caller (maybe itself a lender's) */
}

/*
 * The fast path of a round trip through a passive server (docs/abi.md, IPC): a call that finds
 * the server waiting, and the server's reply_recv answering the caller that lent it its time
 * when no other call waits. The endpoint is decoded as on the general path (obj_decode, before
 * anything acts); the message goes straight into the other vCPU's registers instead of its
 * mailbox, and the caller (vectors.S) switches to the vCPU returned (sched_ipc_switch). Any other
 * case (an error, a queue, an active or busy server, a caller that is itself lent time, a fault)
 * changes nothing and returns 0: the general path (hypercall_handle) takes the call and gives the
 * same answer.
 */
static struct vcpu *fast_call(struct vcpu *v, struct endpoint *ep, uint32_t badge,
                              const uint64_t *x)
{
    struct vcpu *s = ep->server;
    /* s == v: a server calling itself, which no config allows (emvcfg), left to the general
     * path all the same: the switch (sched_ipc_switch) is between two vCPUs */
    if (s == v || !s->ipc.passive || v->ipc.donor || s->ipc.in_ready ||
        __atomic_load_n(&s->vm->state, __ATOMIC_ACQUIRE) != VM_RUNNING)
        return 0;
    spin_lock(&ep->lock);
    if (!ep->waiting) {
        spin_unlock(&ep->lock);
        return 0;
    }
    ep->waiting = false;
    ep->serving = v;
    s->ipc.donor = v; /* it runs in the caller's time */
    v->ipc.donated_to = s;
    spin_unlock(&ep->lock);
    call_words(s->regs, 0, badge, x + 2); /* the server waits in reply_recv */
    return s;
}

static struct vcpu *fast_reply(struct vcpu *v, struct endpoint *ep, const uint64_t *x)
{
    struct vcpu *c = v->ipc.donor;
    if (ep->server != v || !v->ipc.passive || !c || c->ipc.in_ready || c->ipc.fault)
        return 0; /* a fault's answer is acted on (fault_answered), not loaded as a reply */
    spin_lock(&ep->lock);
    if (ep->serving != c || ep->head) {
        spin_unlock(&ep->lock);
        return 0;
    }
    ep->serving = 0;
    ep->waiting = true;
    v->ipc.donor = 0;
    c->ipc.donated_to = 0;
    c->state = VCPU_RUNNING; /* was running all along, as the scheduler saw it */
    v->state = VCPU_IPC;
    spin_unlock(&ep->lock);
    reply_words(c->regs, x + 2); /* the caller waits in call */
    return c;
}

/* The endpoint object @x[1] of @v's table with right @need, or 0 (the general path answers or
 * reports the error). */
static inline struct endpoint *fast_endpoint(struct vcpu *v, const uint64_t *x, uint32_t need,
                                             const struct emv_obj_cfg **o)
{
    if (obj_decode(v->vm->cfg, x[1], EMV_OBJ_ENDPOINT, need, o))
        return 0;
    struct endpoint *ep = endpoint_slot(*o);
    return ep && ep->server ? ep : 0; /* a server only where ipc_init found a config */
}

/* One body for both halves, each with @call constant: its own rights, no call/reply test. The
 * fast path's count is ipc_fast (vm.c adds it to the hypercalls). */
static inline __attribute__((always_inline)) struct vcpu *fast_path(struct vcpu *v, uint64_t *x,
                                                                    bool call)
{
    const struct emv_obj_cfg *o;
    struct endpoint *ep = fast_endpoint(v, x, call ? EMV_RIGHT_CALL : EMV_RIGHT_RECV, &o);
    struct vcpu *to = !ep ? 0 : call ? fast_call(v, ep, o->badge, x) : fast_reply(v, ep, x);
    if (to)
        v->stats.ipc_fast++;
    return to;
}

struct vcpu *ipc_fast_call(struct vcpu *v, uint64_t *x)
{
    return fast_path(v, x, true);
}

struct vcpu *ipc_fast_reply_recv(struct vcpu *v, uint64_t *x)
{
    return fast_path(v, x, false);
}

/* A VM stopped: its calls end, callers of its endpoints get -EMV_EPIPE. */
void ipc_vm_stopped(struct vm *vm)
{
    for (unsigned e = 0; e < EMV_MAX_EPS && eps[e].cfg; e++) {
        struct endpoint *ep = &eps[e];
        spin_lock(&ep->lock);
        /* A passive server ran on the time of one of its vCPUs (preempted mid-call, or waiting in
         * line): that lending ends, else the server would keep pointing at a vCPU that is gone or
         * starts afresh, and the next caller to take the server over (ipc_lend) would mark that
         * vCPU as waiting in line, and its time would run the server. Left without time, the
         * server is orphaned: the next caller's time finishes the call. (A lending of a chain
         * running now on this CPU has been ended already by ipc_unwind.) */
        struct vcpu *s = ep->server, *d = s ? s->ipc.donor : 0;
        if (d && d->vm == vm && s->vm != vm) {
            d->ipc.donated_to = 0;
            s->ipc.donor = 0;
        }
        if (ep->server && ep->server->vm == vm) {
            for (struct vcpu *c; (c = dequeue(ep));) {
                mailbox(c, -EMV_EPIPE, 0, 0);
                sched_ipc_wake(c);
            }
            if (ep->serving && !ep->serving->ipc.donated_to) {
                mailbox(ep->serving, -EMV_EPIPE, 0, 0);
                sched_ipc_wake(ep->serving);
                ep->serving = 0;
            }
            ep->waiting = false;
        }
        if (ep->serving && ep->serving->vm == vm && !ep->serving->ipc.donated_to)
            ep->serving = 0; /* its reply is dropped */
        struct vcpu **pp = &ep->head;
        for (ep->tail = 0; *pp;) {
            if ((*pp)->vm == vm) {
                *pp = (*pp)->ipc.next;
                continue;
            }
            ep->tail = *pp;
            pp = &(*pp)->ipc.next;
        }
        spin_unlock(&ep->lock);
    }
}

/* Forget that server @s serves @c (with the endpoint locks): its reply will go nowhere. */
static void forget_serving(struct vcpu *s, struct vcpu *c)
{
    for (unsigned e = 0; e < EMV_MAX_EPS && eps[e].cfg; e++) {
        struct endpoint *ep = &eps[e];
        spin_lock(&ep->lock);
        if (ep->server == s && ep->serving == c)
            ep->serving = 0;
        spin_unlock(&ep->lock);
    }
}

/*
 * On this CPU passive servers run on a caller's time (the chain ctx -> ... -> current) and a
 * VM of that chain stopped. The time comes back to the caller: every lending in the chain
 * ends, the servers in it are left where they were (a later caller's time runs them on) and
 * their replies are dropped; the caller, if it is still there, gets -EMV_EPIPE, and so does
 * each server of the chain for its own call down the chain.
 */
void ipc_unwind(struct pcpu *p)
{
    struct vcpu *c = p->ctx;
    bool gone = false;
    for (struct vcpu *v = c; v; v = v->ipc.donated_to)
        gone |= __atomic_load_n(&v->vm->state, __ATOMIC_ACQUIRE) == VM_STOPPED ||
                vmreset_phase(&v->vm->reset) != VMRESET_NONE;
    if (!gone)
        return;
    for (struct vcpu *v = c, *n; v; v = n) {
        n = v->ipc.donated_to;
        v->ipc.donated_to = 0;
        if (n) {
            forget_serving(n, v);
            n->ipc.donor = 0;
            /* A server in the middle of the chain called @n: that call's answer is dropped, so
             * it ends with -EMV_EPIPE when time next runs the server (not as if answered). */
            if (v != c && __atomic_load_n(&v->vm->state, __ATOMIC_ACQUIRE) != VM_STOPPED)
                mailbox(v, -EMV_EPIPE, 0, 0);
        }
    }
    if (c->vm->state != VM_STOPPED)
        mailbox(c, -EMV_EPIPE, 0, 0);
    sched_exec_switch(c);
}
