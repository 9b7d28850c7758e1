/* SPDX-License-Identifier: MIT */
/*
 * sched.c - the scheduling mechanism: per-CPU run queues driven by a policy (policy.h),
 * the EL2 timer as the tick, blocking until an interrupt or deadline, idling, and the vCPU
 * switch itself (which copies no registers: the trap frame is the current vCPU's, vectors.S).
 *
 * Everything here touches only this CPU's state, except the kicks (kick_cpu), which send
 * an SGI: what happens on one CPU cannot stall another. Kicks are what one CPU can cost
 * another, so they are bounded: one outstanding per target CPU, none for a vCPU that is not
 * running there, and none that would only let a best-effort vCPU wait for a server.
 */
#include "arch_cpu.h"
#include "core/vpsci.h"
#include "drivers.h"
#include "hyp.h"
#include "string.h"
#include "trace.h"

#define SGI_KICK 0

struct pcpu pcpus[PLAT_MAX_CPUS];
extern uint8_t hyp_stacks[];
static ns_t run_for_deadline; /* CPU 0 ends the run here when the config asks for it */
static ns_t stats_next;       /* CPU 0 logs the CPUs' counters then (stats-every-ms; 0: never) */

void sched_init_cpu(struct pcpu *p)
{
    uint32_t pol = p->id < ARRAY_SIZE(emv_config.cpu_policy) ? emv_config.cpu_policy[p->id] : 0;
    p->policy = pol == EMV_CPU_POLICY_RR ? &sched_rr : &sched_rt;
    p->policy->init(&p->rq, emv_config.slice_us * 1000,
                    pol == EMV_CPU_POLICY_CREDIT ? 2 : pol == EMV_CPU_POLICY_RM);
    if (p->id == 0 && emv_config.run_for_ms)
        run_for_deadline = emv_config.run_for_ms * 1000000UL;
    if (p->id == 0 && emv_config.stats_every_ms)
        stats_next = emv_config.stats_every_ms * 1000000UL;
    trace_on = emv_config.trace;
    if (trace_on && emv_config.trace_exits)
        arch_use_traced_vectors();
}

/* At boot: the vCPU joins its CPU; the policy gets it in sched_release_all(). */
void sched_add_vcpu(struct vcpu *v)
{
    struct pcpu *p = &pcpus[v->pcpu];
    p->vcpus[p->nr_vcpus++] = v;
}

/*
 * Hand every vCPU to its CPU's policy with one common instant, once all VMs are created:
 * every server's first period starts then, on every CPU (a synchronous release, the
 * critical instant the analysis assumes), however long loading the images in between took.
 */
void sched_release_all(void)
{
    ns_t now = timer_now_ns();
    for (unsigned c = 0; c < PLAT_MAX_CPUS; c++) {
        struct pcpu *p = &pcpus[c];
        for (unsigned i = 0; p->online && i < p->nr_vcpus; i++)
            p->policy->add(&p->rq, &p->vcpus[i]->se, now); /* passive ones until they wait */
    }
}

static struct vcpu *se_vcpu(struct sched_entity *se)
{
    return (struct vcpu *)((uint8_t *)se - __builtin_offsetof(struct vcpu, se));
}

/* Why the outgoing vCPU leaves, for the trace. */
static enum trace_why out_reason(const struct vcpu *v, enum sched_cur how, bool exhausted)
{
    if (v->state == VCPU_STOPPED)
        return WHY_STOP;
    if (how == CUR_BLOCKED)
        return WHY_BLOCK;
    if (how == CUR_YIELDED)
        return WHY_YIELD;
    return exhausted ? WHY_BUDGET : WHY_PREEMPT;
}

/* Budget events the policy recorded in its counters during the last decision. Returns
 * whether @cur's budget ran out. */
static bool trace_budgets(struct pcpu *p, ns_t now, const struct vcpu *cur)
{
    bool cur_exh = false;
    for (unsigned i = 0; i < p->nr_vcpus; i++) {
        struct vcpu *v = p->vcpus[i];
        if (!v->se.period_ns)
            continue;
        if (v->se.replenishments != v->tr_repl) {
            v->tr_repl = v->se.replenishments;
            TRACE(p->id, v->se.deadline_ns - v->se.period_ns, TR_REPL, v, v->se.deadline_ns);
        }
        if (v->se.exhaustions != v->tr_exh) {
            v->tr_exh = v->se.exhaustions;
            TRACE(p->id, now, TR_EXH, v, 0);
            cur_exh |= v == cur;
        }
    }
    return cur_exh;
}

/* The vCPU whose registers run in @v's time: @v, or the passive server it called. */
static struct vcpu *exec_of(struct vcpu *v)
{
    for (unsigned n = 0; n <= HYP_MAX_VCPUS; n++) { /* a chain is at most every vCPU long */
        if (v->ipc.donated_to)
            v = v->ipc.donated_to;
        else if (v->ipc.waits)
            v = ipc_lend(v); /* it waits for a passive server: its time runs that server */
        else
            break;
    }
    return v;
}

/* Move the outgoing vCPU's EL1 state out of the hardware (its registers are in its frame
 * already): the one running (current) and the context it ran in (ctx, the same unless a passive
 * server ran). */
static void switch_out(struct pcpu *p, ns_t now)
{
    struct vcpu *v = p->current, *c = p->ctx;
    vcpu_arch_save(v);
    c->stats.runtime_ns += now - c->ran_since;
    p->out_ns = now;
    if (v->state == VCPU_RUNNING)
        v->state = VCPU_RUNNABLE;
    if (c->state == VCPU_RUNNING)
        c->state = VCPU_RUNNABLE;
    p->current = p->ctx = 0;
}

/* @v, its EL1 state loaded, is now the one running here. */
static void exec_in(struct pcpu *p, struct vcpu *v)
{
    v->state = VCPU_RUNNING;
    v->stats.switches_in++;
    v->stats.ran_on |= 1u << p->id;
    p->current = v;
    /* Published before vgic_arch_flush reads v's pending interrupts: a raiser on another CPU
     * that missed v here (no kick, sched_notify) has set its bit before this fence. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Put @v's EL1 state on this CPU and make it the one running here (its registers are in its
 * frame: vectors.S). */
static void load_exec(struct pcpu *p, struct vcpu *v)
{
    vcpu_arch_restore(v);
    exec_in(p, v);
}

/* Run @c's scheduling context: its own registers, or those of the passive server it called. */
static void switch_in(struct pcpu *p, struct vcpu *c, ns_t now)
{
    struct vcpu *v = exec_of(c);
    load_exec(p, v);
    c->state = VCPU_RUNNING;
    c->ran_since = now;
    p->ctx = c;
    TRACE(p->id, now, TR_IN, v, 0);
}

/*
 * Is @v (a vCPU of this CPU) stopped? A VM's state is the authority on stopping: vm_stop()
 * (any CPU) sets it first and it never changes back, while a vCPU's own CPU may overwrite the
 * vCPU's state it wrote (RUNNING, BLOCKED, RUNNABLE) in a race. Every decision re-derives
 * STOPPED from it.
 */
static bool vcpu_stopped(struct vcpu *v)
{
    if (__atomic_load_n(&v->vm->state, __ATOMIC_ACQUIRE) == VM_STOPPED)
        v->state = VCPU_STOPPED;
    return v->state == VCPU_STOPPED;
}

/*
 * A vCPU the policy picked that must never run in its own time again: a stopped one, or a
 * passive server that has started. A passive server is in the policy only until its first
 * wait; if that wait came on a caller's time (the caller called before the server had first
 * waited, and lent it its time), cur_how never saw it: it leaves when the policy would run it
 * on its own time -- which would run its guest while it waits in reply_recv, or while a
 * caller's time runs it already.
 */
static bool leaves_policy(struct pcpu *p, struct vcpu *v)
{
    return vcpu_stopped(v) ||
           (v->ipc.passive && v != p->ctx && (v->state == VCPU_IPC || v->ipc.donor));
}

/* Take a stopped vCPU out of the policy, once: it must not hold its server's CPU time
 * (a blocked server idles as the holder) nor count in any later decision. */
static void forget_stopped(struct pcpu *p, struct vcpu *v)
{
    if (!v->sched_gone) {
        p->policy->remove(&p->rq, &v->se);
        v->sched_gone = true;
    }
}

/* vm_stop() flagged this CPU: its stopped vCPUs (but the current one, which leaves in
 * cur_how()) leave the policy. Off the common path: one flag test per decision. */
static void stops_due(struct pcpu *p)
{
    if (likely(!__atomic_exchange_n(&p->stops_pending, false, __ATOMIC_ACQUIRE)))
        return;
    for (unsigned i = 0; i < p->nr_vcpus; i++) {
        struct vcpu *v = p->vcpus[i];
        if (v != p->ctx && vcpu_stopped(v))
            forget_stopped(p, v);
    }
}

/*
 * vm_restart() flagged this CPU: its vCPUs of a restarting VM are powered off (a current one
 * leaves in this decision, cur_how() seeing it blocked); the CPU that parks a VM's last vCPU
 * resets the VM and starts its vCPU 0 (vm_restart_parked). A vCPU that was waiting in IPC or
 * was runnable is simply off now: the pick tells the policy (schedule()).
 */
static void parks_due(struct pcpu *p)
{
    if (likely(!__atomic_exchange_n(&p->parks_pending, false, __ATOMIC_ACQUIRE)))
        return;
    for (unsigned i = 0; i < p->nr_vcpus; i++) {
        struct vcpu *v = p->vcpus[i];
        if (!__atomic_exchange_n(&v->park_pending, false, __ATOMIC_ACQ_REL) || vcpu_stopped(v))
            continue;
        __atomic_store_n(&v->power, VPSCI_OFF, __ATOMIC_RELEASE);
        v->wake_at = 0;
        v->loading = false;
        __atomic_store_n(&v->state, VCPU_BLOCKED, __ATOMIC_SEQ_CST);
        if (vmreset_parked(&v->vm->reset))
            vm_restart_parked(v->vm);
    }
}

/*
 * A vCPU powered off by PSCI wakes only by CPU_ON (vpsci.c), and only once it has left this
 * CPU (CPU_OFF may be answered before its registers are saved): then it starts afresh at the
 * entry point CPU_ON gave. Until it has left, the next decision comes at once.
 */
static bool power_on_due(struct pcpu *p, struct vcpu *v, ns_t now, ns_t *next)
{
    if (__atomic_load_n(&v->power, __ATOMIC_ACQUIRE) != VPSCI_PENDING)
        return false;
    if (v == p->ctx) {
        *next = now;
        return false;
    }
    if (!v->loading && !vmreset_ticket_valid(&v->vm->reset, v->on_ticket)) {
        __atomic_store_n(&v->power, VPSCI_OFF, __ATOMIC_RELEASE); /* a CPU_ON that raced with */
        return false;                                             /* its VM's restart: void */
    }
    vcpu_arch_init(v, v->on_entry, v->on_context, 0);
    __atomic_store_n(&v->power, VPSCI_ON, __ATOMIC_RELEASE);
    return true;
}

void sched_power_off(struct vcpu *v)
{
    __atomic_store_n(&v->power, VPSCI_OFF, __ATOMIC_RELEASE);
    v->wake_at = 0;
    __atomic_store_n(&v->state, VCPU_BLOCKED, __ATOMIC_SEQ_CST);
    this_pcpu()->need_resched = true;
}

/* Wake blocked vCPUs whose deadline passed or that have an interrupt; return the next
 * time something must happen on this CPU. */
static ns_t wake_due(struct pcpu *p, ns_t now)
{
    ns_t next = run_for_deadline && p->id == 0 ? run_for_deadline : NS_NEVER;
    if (stats_next && p->id == 0 && stats_next < next)
        next = stats_next;
    if (p->id == CONSOLE_CPU &&
        unlikely(__atomic_load_n(&console_throttled_until, __ATOMIC_RELAXED))) {
        ns_t con = console_poll(now); /* a throttled console interrupt comes back on time */
        next = con < next ? con : next;
    }
    stops_due(p);
    parks_due(p);
    for (unsigned i = 0; i < p->nr_vcpus; i++) {
        struct vcpu *v = p->vcpus[i];
        if (v->state == VCPU_IPC && __atomic_load_n(&v->ipc.wake, __ATOMIC_ACQUIRE) &&
            !v->sched_gone) {
            __atomic_store_n(&v->ipc.wake, false, __ATOMIC_RELAXED);
            v->state = VCPU_RUNNABLE; /* its IPC partner on another CPU is done with it */
            if (v->ipc.waits)         /* it never left the policy */
                v->ipc.waits = 0;
            else
                p->policy->wake(&p->rq, &v->se, now);
            continue;
        }
        if (v->state != VCPU_BLOCKED)
            continue;
        bool off = __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) != VPSCI_ON;
        if (off ? power_on_due(p, v, now, &next)
                : ((v->wake_at && v->wake_at <= now) || virq_pending(v))) {
            v->state = VCPU_RUNNABLE;
            p->policy->wake(&p->rq, &v->se, now);
            TRACE(p->id, now, TR_WAKE, v, 0);
        } else if (v->wake_at && v->wake_at < next) {
            next = v->wake_at;
        }
    }
    return next;
}

static void handle_pending_irqs(void);
static void kick_cpu(struct pcpu *t, bool resched);

static inline uint64_t cycles_now(void)
{
    return arch_cycles(); /* no barrier: a statistic, not a fence */
}

/* Budget enforcement latency: how long after its budget ran out a server was stopped. The
 * decision that ran it set budget_end when the budget was what limited its run. */
static void account_enforcement(struct pcpu *p, const struct vcpu *prev, enum sched_cur how,
                                ns_t now)
{
    if (!prev || how != CUR_RUNNING || !p->budget_end || now < p->budget_end)
        return;
    ns_t late = now - p->budget_end;
    p->stats.enforcements++;
    p->stats.enforce_late_ns += late;
    if (late > p->stats.enforce_late_max_ns)
        p->stats.enforce_late_max_ns = late;
    p->budget_end = 0;
}

/* Interfaces the control VM installed for vCPUs of this CPU since the last decision. */
static void apply_changes(struct pcpu *p, ns_t now)
{
    if (likely(!__atomic_exchange_n(&p->changes_pending, false, __ATOMIC_ACQUIRE)))
        return;
    for (unsigned i = 0; i < p->nr_vcpus; i++) {
        struct vcpu *v = p->vcpus[i];
        spin_lock(&v->change.lock);
        bool pending = v->change.pending;
        ns_t period = v->change.period_ns, budget = v->change.budget_ns;
        v->change.pending = false;
        spin_unlock(&v->change.lock);
        if (!pending)
            continue;
        p->policy->update(&p->rq, &v->se, period, budget, now);
        v->tr_repl = v->se.replenishments;
    }
}

/* Called on the control VM's CPU: the vCPU's own CPU applies it at its next decision. */
int sched_change(struct vcpu *v, ns_t period_ns, ns_t budget_ns)
{
    spin_lock(&v->change.lock);
    v->change.period_ns = period_ns;
    v->change.budget_ns = budget_ns;
    v->change.pending = true;
    spin_unlock(&v->change.lock);
    __atomic_store_n(&pcpus[v->pcpu].changes_pending, true, __ATOMIC_RELEASE);
    sched_kick(v);
    return 0;
}

/* How the current vCPU left the CPU, for the policy; a stopped one leaves the run queue.
 * Called after wake_due(): a vCPU that blocked and was woken at once (its deadline passed,
 * an interrupt is pending) has been handed to policy->wake() already, so it counts as new. */
static enum sched_cur cur_how(struct pcpu *p, struct vcpu *v)
{
    if (!v)
        return CUR_NONE;
    if (vcpu_stopped(v)) {
        forget_stopped(p, v);
        return CUR_BLOCKED;
    }
    if (v->ipc.passive && v->state == VCPU_IPC && !v->sched_gone) {
        forget_stopped(p, v); /* a passive server's first wait: from now on only callers run it */
        return CUR_BLOCKED;
    }
    if (v->state == VCPU_IPC && v->ipc.waits)
        return p->yielded ? CUR_YIELDED : CUR_RUNNING; /* its time goes on, for the server */
    switch (v->state) {
    case VCPU_BLOCKED:
    case VCPU_IPC:
        return CUR_BLOCKED;
    case VCPU_RUNNABLE:
        return CUR_NONE;
    default:
        return p->yielded ? CUR_YIELDED : CUR_RUNNING;
    }
}

/* Bring this CPU's count of EL2 instructions up to date. The hardware counter has 32 bits:
 * called at every interrupt entry and scheduling pass, far more often than it wraps. */
static void count_el2(struct pcpu *p)
{
    uint32_t n = arch_el2_insns();
    p->stats.el2_insns += (uint32_t)(n - p->el2_last);
    p->el2_last = n;
}

uint64_t sched_el2_insns(const struct pcpu *p)
{
    if (p == this_pcpu())
        count_el2(this_pcpu());
    return p->stats.el2_insns; /* another CPU's: as of its last entry */
}

/* stats-every-ms: CPU 0 logs every CPU's counters (the first read before anything is
 * printed, so the logging is counted in the next line, not this one). */
static void stats_log(ns_t now)
{
    uint64_t el2[PLAT_MAX_CPUS];
    for (unsigned c = 0; c < PLAT_MAX_CPUS; c++)
        el2[c] = sched_el2_insns(&pcpus[c]);
    for (unsigned c = 0; c < PLAT_MAX_CPUS; c++)
        if (pcpus[c].online)
            hyp_log("stats at %lu ms: cpu %u el2-insns=%lu idle-ns=%lu decisions=%lu",
                    now / 1000000, c, el2[c], pcpus[c].stats.idle_ns, pcpus[c].stats.decisions);
    ns_t every = emv_config.stats_every_ms * 1000000UL;
    while (stats_next <= now)
        stats_next += every;
}

/* Choose and load the next vCPU; idles (WFI with interrupts masked) while none is runnable. */
static void schedule(struct pcpu *p)
{
    ns_t now = timer_now_ns();
    count_el2(p);
    if (stats_next && p->id == 0 && now >= stats_next)
        stats_log(now);
    if (unlikely(p->current != p->ctx))
        ipc_unwind(p); /* a caller or passive server stopped in the middle of a call */
    struct vcpu *prev = p->ctx;
    apply_changes(p, now);
    ns_t next_event = wake_due(p, now);
    enum sched_cur how = cur_how(p, prev);
    p->need_resched = false;
    p->yielded = false;
    if (run_for_deadline && p->id == 0 && now >= run_for_deadline)
        system_report_and_off("the config's run-for-ms is over");
    for (;;) {
        ns_t until;
        uint64_t c0 = cycles_now();
        struct sched_entity *se = p->policy->pick(&p->rq, prev ? &prev->se : 0, how, now, &until);
        uint64_t cost = cycles_now() - c0;
        if (se && leaves_policy(p, se_vcpu(se))) {
            forget_stopped(p, se_vcpu(se));
            how = CUR_NONE;
            prev = prev && &prev->se == se ? 0 : prev;
            continue;
        }
        if (se && se_vcpu(se)->state == VCPU_BLOCKED && se_vcpu(se) != p->ctx) {
            prev = se_vcpu(se); /* powered off from the start (PSCI): tell the policy */
            how = CUR_BLOCKED;
            continue;
        }
        p->stats.decisions++;
        p->stats.decision_cycles += cost;
        if (cost > p->stats.decision_cycles_max)
            p->stats.decision_cycles_max = cost;
        account_enforcement(p, prev, how, now);
        bool exhausted = trace_on && trace_budgets(p, now, p->ctx);
        ns_t when = until < next_event ? until : next_event;
        p->budget_end = se && se->period_ns && until == now + se->remaining_ns ? until : 0;
        if (se && se_vcpu(se) == p->ctx && exec_of(p->ctx) == p->current) { /* no switch */
            se_vcpu(se)->state = p->current->state = VCPU_RUNNING;
            timer_hyp_arm(when);
            return;
        }
        if (p->current) {
            TRACE(p->id, now, TR_OUT, p->ctx, out_reason(p->ctx, how, exhausted));
            switch_out(p, now);
        }
        if (se) {
            switch_in(p, se_vcpu(se), now);
            timer_hyp_arm(when);
            return;
        }
        p->idle_entries++;
        TRACE(p->id, now, TR_IDLE, 0, 0);
        if (when != NS_NEVER)
            timer_hyp_arm(when);
        else
            timer_hyp_disarm();
        ns_t slept = timer_now_ns();
        arch_wait_irq();
        p->stats.idle_ns += timer_now_ns() - slept;
        handle_pending_irqs();
        now = timer_now_ns();
        if (stats_next && p->id == 0 && now >= stats_next)
            stats_log(now);
        if (run_for_deadline && p->id == 0 && now >= run_for_deadline)
            system_report_and_off("the config's run-for-ms is over");
        apply_changes(p, now); /* a new interface may have come while this CPU idled */
        next_event = wake_due(p, now);
        prev = 0;
        how = CUR_NONE;
    }
}

void sched_tick(void)
{
    timer_hyp_disarm();
    this_pcpu()->need_resched = true;
}

void sched_yield(struct vcpu *v)
{
    struct pcpu *p = this_pcpu();
    p->need_resched = true;
    p->yielded = true;
    (void)v;
}

void sched_block(struct vcpu *v, ns_t deadline)
{
    if (virq_pending(v) || v->ipc.donor) /* a passive server on a caller's time: never */
        return;
    v->wake_at = deadline;
    /* Sequentially consistent against virq_raise(): it sets a pending bit then reads the
     * state; wake_due(), after this, reads the bits. One of the two sees the other. */
    __atomic_store_n(&v->state, VCPU_BLOCKED, __ATOMIC_SEQ_CST);
    this_pcpu()->need_resched = true;
}

void sched_wake(struct vcpu *v)
{
    if (v->state != VCPU_BLOCKED || __atomic_load_n(&v->power, __ATOMIC_ACQUIRE) != VPSCI_ON)
        return; /* a powered-off vCPU wakes by PSCI CPU_ON only */
    if (v->pcpu == this_pcpu()->id) {
        v->state = VCPU_RUNNABLE;
        pcpus[v->pcpu].policy->wake(&pcpus[v->pcpu].rq, &v->se, timer_now_ns());
        this_pcpu()->need_resched = true;
        return;
    }
    /* Its own CPU notices the wake in wake_due(), at its next decision. Ask for one now only
     * where the wake can change what runs: the CPU idles or runs a best-effort vCPU, or the
     * woken vCPU is a server (it may have the earlier deadline). A best-effort vCPU never
     * preempts a server, so a server is not interrupted for it (at most one budget or
     * period later, the CPU decides anyway). */
    struct pcpu *t = &pcpus[v->pcpu];
    struct vcpu *cur = __atomic_load_n(&t->current, __ATOMIC_SEQ_CST);
    if (!cur || !__atomic_load_n(&cur->se.period_ns, __ATOMIC_RELAXED) || v->se.period_ns)
        kick_cpu(t, true);
}

/*
 * Interrupt CPU @t. At most one kick is outstanding per CPU: requests made while one is in
 * flight ride on it, so a storm of them costs @t one interrupt entry, not one each.
 * @resched: @t must run a scheduling pass (a wake, a new interface, a stop), not only
 * return to its vCPU through vgic_arch_flush (which delivers new virtual interrupts).
 */
static void kick_cpu(struct pcpu *t, bool resched)
{
    if (resched)
        __atomic_store_n(&t->kick_resched, true, __ATOMIC_SEQ_CST);
    if (!__atomic_exchange_n(&t->kick_sent, true, __ATOMIC_SEQ_CST))
        gic_send_sgi(t->id, SGI_KICK);
}

/* The kick SGI arrived: the next kick must send a new SGI, and a scheduling pass follows
 * if any sender asked for one. Cleared before read, so no request falls between. */
static void kick_taken(struct pcpu *p)
{
    p->stats.kicks++;
    p->stats.kicks_server += p->ctx && p->ctx->se.period_ns;
    __atomic_store_n(&p->kick_sent, false, __ATOMIC_SEQ_CST);
    if (__atomic_exchange_n(&p->kick_resched, false, __ATOMIC_SEQ_CST))
        p->need_resched = true;
}

void sched_resched_self(void)
{
    this_pcpu()->need_resched = true;
}

void sched_reload_current(void)
{
    struct pcpu *p = this_pcpu();
    vcpu_arch_restore(p->current);
}

void sched_ipc_block(struct vcpu *v)
{
    __atomic_store_n(&v->state, VCPU_IPC, __ATOMIC_SEQ_CST);
    this_pcpu()->need_resched = true;
}

void sched_ipc_wake(struct vcpu *v)
{
    struct pcpu *p = this_pcpu();
    if (v->pcpu != p->id) {
        __atomic_store_n(&v->ipc.wake, true, __ATOMIC_SEQ_CST);
        kick_cpu(&pcpus[v->pcpu], true); /* its own CPU hands it to its policy */
        return;
    }
    if (v->state != VCPU_IPC)
        return;
    /* It waited in line for a passive server: in its CPU's policy all along, or a passive server
     * itself (out of the policy) on a lender's time. Either way it waits no more: left set, its
     * next lender (exec_of -> ipc_lend) would run that server again, answered or not. */
    if (v->ipc.waits) {
        v->ipc.waits = 0;
        v->state = VCPU_RUNNABLE;
        return;
    }
    if (v->sched_gone)
        return;
    v->state = VCPU_RUNNABLE;
    p->policy->wake(&p->rq, &v->se, timer_now_ns());
    p->need_resched = true;
}

/*
 * IPC with a passive server on this CPU: run @to in the current scheduling context (the
 * caller's budget and period go on), switching only registers and EL1 state, no policy
 * decision (the fast path of a call and of its reply).
 */
void sched_exec_switch(struct vcpu *to)
{
    struct pcpu *p = this_pcpu();
    struct vcpu *from = p->current;
    if (from == to)
        return;
    exec_in(p, to); /* first: the EL1 switch is then a tail call, and nothing in it reads
                     * current (EL2 runs with interrupts masked) */
    vcpu_arch_switch(from, to);
}

/* Make @v's CPU reschedule soon: at once if it is this CPU, else by a kick. */
void sched_kick(struct vcpu *v)
{
    struct pcpu *p = this_pcpu();
    if (v->pcpu == p->id)
        p->need_resched = true;
    else
        kick_cpu(&pcpus[v->pcpu], true);
}

/* @v (not blocked) has a new pending virtual interrupt. On this CPU, the return to the
 * guest delivers it. Elsewhere, only a vCPU running there needs its CPU interrupted; one
 * that waits for the CPU gets it when switched in (switch_in's fence orders the two). */
void sched_notify(struct vcpu *v)
{
    if (v->pcpu == this_pcpu()->id)
        return;
    struct pcpu *t = &pcpus[v->pcpu];
    if (__atomic_load_n(&t->current, __ATOMIC_SEQ_CST) == v)
        kick_cpu(t, false);
}

/*
 * A device's interrupt goes to the vCPU of its owner VM that the VM routed it to, as the
 * virtual SPI with the same INTID. Only its priority is dropped here: the physical line stays
 * active until the guest deactivates it through a list register with the hardware bit, so a
 * device interrupts its CPU at most once per interrupt its owner handles.
 */
static bool device_irq_forward(irq_t irq)
{
    struct vcpu *t = vm_device_irq_target(irq);
    if (!t)
        return false;
    gic_priority_drop(irq);
    virq_raise(t, irq);
    return true;
}

/* Physical interrupts at EL2. Called from the guest IRQ vector and from the idle loop. */
static void irq_handle(irq_t irq)
{
    struct pcpu *p = this_pcpu();
    if (irq == PLAT_IRQ_HYP_TIMER) {
        sched_tick();
    } else if (irq == PLAT_IRQ_VIRT_TIMER) {
        /* The running vCPU's CNTV fired: mask it at the source (the guest unmasks it when
         * it re-arms, as on hardware) and deliver it as a virtual interrupt. */
        arch_vtimer_mask();
        if (p->current) {
            p->current->stats.timer_irqs++;
            virq_raise(p->current, EMV_VIRQ_VTIMER);
        }
    } else if (irq == SGI_KICK) {
        kick_taken(p);
    } else if (irq == PLAT_UART_IRQ) {
        console_irq();
    } else if (device_irq_forward(irq)) {
        return; /* active until its guest deactivates it */
    } else {
        hyp_log("cpu %u: unexpected interrupt %u ignored", p->id, irq);
    }
    gic_eoi(irq);
}

/* At most IRQS_PER_ENTRY interrupts per entry: one source that is raised again at once
 * cannot keep this CPU here; the rest stay pending in the GIC and come at the next entry,
 * after a scheduling pass (the tick, the run-for-ms deadline) could run. */
#define IRQS_PER_ENTRY 8

static void handle_pending_irqs(void)
{
    for (unsigned i = 0; i < IRQS_PER_ENTRY; i++) {
        irq_t irq = gic_ack();
        if (irq >= GIC_SPURIOUS)
            return;
        irq_handle(irq);
    }
}

/* Start of an interrupt from a guest: the interrupted server may be charged for it. */
static void sched_irq_enter(struct pcpu *p)
{
    count_el2(p);
    p->entry_ticks = timer_now_ticks(); /* raw: converted only if a server is charged */
    p->entry_vcpu = p->ctx;
    p->entry_irq = true;
    p->out_ns = 0;
}

static void ovh_add(struct vcpu *v, ns_t d)
{
    struct vcpu_stats *s = &v->stats;
    if (s->ovh_repl != v->se.replenishments) { /* a new period: close the last one */
        if (s->ovh_acc_ns > s->ovh_max_ns)
            s->ovh_max_ns = s->ovh_acc_ns;
        s->ovh_acc_ns = 0;
        s->ovh_repl = v->se.replenishments;
    }
    s->ovh_acc_ns += d;
}

/* Charge this entry to the servers it cost time: the whole entry to the one an interrupt
 * stopped (involuntarily), and the decision and switch to the one switched in (its budget
 * started at the decision). Only servers are tracked; an upper bound, since a switch
 * is charged to both sides. A hypercall's own work is its caller's, not overhead. */
static void ovh_charge(struct pcpu *p)
{
    struct vcpu *in = p->ctx, *out = p->entry_vcpu;
    bool switched = p->out_ns != 0; /* then idle time may lie between out and in */
    bool charge_out = out && p->entry_irq && out->se.period_ns;
    bool charge_in = in && switched && in->se.period_ns;
    if (!charge_out && !charge_in)
        return;
    ns_t now = timer_now_ns();
    if (charge_out)
        ovh_add(out, (switched ? p->out_ns : now) - timer_ticks_to_ns(p->entry_ticks));
    if (charge_in) /* from the decision on: not what preceded it */
        ovh_add(in, now - in->ran_since);
}

/* The largest per-period overhead seen by @v's server so far (including the open period). */
ns_t sched_overhead_max(const struct vcpu *v)
{
    const struct vcpu_stats *s = &v->stats;
    return s->ovh_acc_ns > s->ovh_max_ns ? s->ovh_acc_ns : s->ovh_max_ns;
}

const char *const exit_kind_names[EXIT_KINDS] = {"irq",  "wfx",  "hvc", "smc",  "sysreg",
                                                 "mmio", "iabt", "fp",  "other"};

/* Traced with its cost in trap_exit (trace_exit_done). */
void sched_trace_exit(struct pcpu *p, struct vcpu *v, unsigned kind)
{
    if (!v)
        return;
    v->exits[kind]++;
    p->exit_vcpu = v;
    p->exit_kind = kind;
    p->exit_at = timer_now_ns();
    p->exit_idle_ns = p->stats.idle_ns;
}

/* The exit's event: when it left the guest, why, and how long the hypervisor took (ns =
 * instructions under -icount) until a guest ran again, idle time taken off. */
void sched_trace_exit_done(struct pcpu *p)
{
    if (!p->exit_vcpu)
        return;
    ns_t el2 = timer_now_ns() - p->exit_at - (p->stats.idle_ns - p->exit_idle_ns);
    TRACE(p->id, p->exit_at, TR_EXIT, p->exit_vcpu, p->exit_kind | el2 << 8);
    p->exit_vcpu = 0;
}

void trap_guest_irq(uint64_t *frame)
{
    (void)frame;
    sched_irq_enter(this_pcpu());
    handle_pending_irqs();
    trap_exit();
}

/* While tracing (el2_vectors_traced): the exit counted and traced with the time it took. */
void trap_guest_irq_traced(uint64_t *frame)
{
    struct pcpu *p = this_pcpu();
    sched_trace_exit(p, p->current, EXIT_IRQ);
    trap_guest_irq(frame);
    sched_trace_exit_done(p);
}

/*
 * vCPU 0 of a restarting VM runs the memory load in its own time instead of its guest: one
 * piece (a bounded stretch with interrupts masked), then the interrupts that came meanwhile,
 * then a scheduling decision if one is due (budget, tick, kick), as if the guest had run and
 * been interrupted: a server's overhead (ovh_charge) counts the entries, never the pieces.
 */
static void restart_piece(struct pcpu *p)
{
    ovh_charge(p); /* the entry that led here ends, as a return to the guest would end it */
    vm_restart_step(p->current);
    sched_irq_enter(p); /* what follows a piece is charged as an interrupt of the guest */
    handle_pending_irqs();
    if (p->need_resched || p->current->state != VCPU_RUNNING)
        schedule(p);
}

/* Every return to a guest passes here: reschedule if needed, then deliver interrupts. */
void trap_exit(void)
{
    struct pcpu *p = this_pcpu();
    /* A vCPU loading its VM's memory (a restart) runs no guest code, so it traps nothing:
     * it can be current here only if a decision in this call made it so. */
    bool decided = false;
    if (p->need_resched || !p->current || p->current->state != VCPU_RUNNING) {
        schedule(p);
        decided = true;
    }
    for (;;) {
        if (unlikely(p->current->ipc.in_ready) && !ipc_apply(p->current, p->current->regs)) {
            schedule(p); /* a fault handler's answer stopped or restarts the VM */
            decided = true;
        } else if (unlikely(decided) && unlikely(p->current->loading)) {
            restart_piece(p);
        } else {
            break;
        }
    }
    if (virq_raised(p->current)) /* most exits have nothing new to deliver */
        vgic_arch_flush(p->current);
    if (unlikely(p->out_ns || p->entry_irq)) /* not on a hypercall that kept the CPU */
        ovh_charge(p);
}

void sched_enter(void *stack_top) __attribute__((noreturn)); /* vectors.S */

void sched_go(void)
{
    sched_enter(hyp_stacks + (this_pcpu()->id + 1) * (uint64_t)HYP_STACK_SIZE);
}

/*
 * The IPC fast path's switch (vectors.S, after trap_ipc_call or trap_ipc_reply_recv named @to) and
 * its way back to the guest: as sched_exec_switch, then of trap_exit's work only what can be due,
 * since no decision was made, no time is to be charged (sched_sync_enter zeroed what ovh_charge
 * looks at) and @to is RUNNING (exec_in): a decision asked for, a message for @to (a -EMV_EPIPE
 * from a stop on another CPU) or a new virtual interrupt. Tested once @to is published (exec_in's
 * fence). @to is never the vCPU current here: fast_call takes no call of a server to itself.
 */
void sched_ipc_switch(struct vcpu *to)
{
    struct pcpu *p = this_pcpu();
    struct vcpu *from = p->current;
    exec_in(p, to);
    if (likely(!p->need_resched && !to->ipc.in_ready && !virq_raised(to))) {
        vcpu_arch_switch(from, to); /* a tail call: no stack frame on the fast path */
        return;
    }
    vcpu_arch_switch(from, to);
    trap_exit();
}

/* Called by sched_enter (vectors.S) with the boot call chain dropped. */
void sched_start(void)
{
    struct pcpu *p = this_pcpu();
    p->current = p->ctx = 0;
    schedule(p);
    vgic_arch_flush(p->current);
}
