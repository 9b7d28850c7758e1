/* SPDX-License-Identifier: MIT */
/*
 * sched.c - the scheduling mechanism: per-CPU run queues driven by a policy (policy.h),
 * the EL2 timer as the tick, blocking until an interrupt or deadline, idling, and the vCPU
 * switch itself (which only rewrites the trap frame; see vectors.S).
 *
 * Everything here touches only this CPU's state, except sched_kick(), which sends an SGI:
 * what happens on one CPU cannot stall another.
 */
#include "drivers.h"
#include "hyp.h"
#include "string.h"

#define SGI_KICK 0

struct pcpu pcpus[PLAT_MAX_CPUS];
extern uint8_t hyp_stacks[];
static ns_t run_for_deadline; /* CPU 0 ends the run here when the config asks for it */

struct pcpu *this_pcpu(void)
{
    uint64_t p;
    __asm__ volatile("mrs %0, tpidr_el2" : "=r"(p));
    return (struct pcpu *)p;
}

void sched_init_cpu(struct pcpu *p)
{
    p->policy = &sched_rr;
    p->policy->init(&p->rq, emv_config.slice_us * 1000);
    p->frame = (uint64_t *)(hyp_stacks + (p->id + 1) * (uint64_t)HYP_STACK_SIZE) - FRAME_REGS;
    if (p->id == 0 && emv_config.run_for_ms)
        run_for_deadline = emv_config.run_for_ms * 1000000UL;
}

void sched_add_vcpu(struct vcpu *v)
{
    struct pcpu *p = &pcpus[v->pcpu];
    p->vcpus[p->nr_vcpus++] = v;
    p->policy->enqueue(&p->rq, &v->se, 0);
}

static struct vcpu *se_vcpu(struct sched_entity *se)
{
    return (struct vcpu *)((uint8_t *)se - __builtin_offsetof(struct vcpu, se));
}

/* Move the outgoing vCPU's state out of the hardware and the frame. */
static void switch_out(struct pcpu *p, struct vcpu *v, ns_t now)
{
    memcpy(v->regs, p->frame, sizeof(v->regs));
    vcpu_arch_save(v);
    v->stats.runtime_ns += now - v->ran_since;
    if (v->state == VCPU_RUNNING) {
        v->state = VCPU_RUNNABLE;
        p->policy->enqueue(&p->rq, &v->se, now);
    }
    p->current = 0;
}

static void switch_in(struct pcpu *p, struct vcpu *v, ns_t now)
{
    vcpu_arch_restore(v);
    memcpy(p->frame, v->regs, sizeof(v->regs));
    v->state = VCPU_RUNNING;
    v->ran_since = now;
    v->stats.switches_in++;
    p->current = v;
}

/* Wake blocked vCPUs whose deadline passed or that have an interrupt; return the next
 * time something must happen on this CPU. */
static ns_t wake_due(struct pcpu *p, ns_t now)
{
    ns_t next = run_for_deadline && p->id == 0 ? run_for_deadline : ~0UL;
    for (unsigned i = 0; i < p->nr_vcpus; i++) {
        struct vcpu *v = p->vcpus[i];
        if (v->state != VCPU_BLOCKED)
            continue;
        if ((v->wake_at && v->wake_at <= now) || virq_pending(v)) {
            v->state = VCPU_RUNNABLE;
            p->policy->enqueue(&p->rq, &v->se, now);
        } else if (v->wake_at && v->wake_at < next) {
            next = v->wake_at;
        }
    }
    return next;
}

static void handle_pending_irqs(void);

/* Choose and load the next vCPU; idles (WFI with interrupts masked) while none is runnable. */
static void schedule(struct pcpu *p)
{
    ns_t now = timer_now_ns();
    struct vcpu *prev = p->current;
    p->need_resched = false;
    if (run_for_deadline && p->id == 0 && now >= run_for_deadline)
        system_report_and_off("run-for-ms elapsed");
    if (prev && prev->state == VCPU_RUNNING && p->rq.nr == 0) {
        if (now >= p->slice_end) /* nobody else wants the CPU: a new slice, no switch */
            p->slice_end = now + p->rq.slice_ns;
        goto rearm;
    }
    if (prev)
        switch_out(p, prev, now);
    for (;;) {
        if (run_for_deadline && p->id == 0 && now >= run_for_deadline)
            system_report_and_off("run-for-ms elapsed");
        ns_t next_event = wake_due(p, now);
        ns_t until;
        struct sched_entity *se = p->policy->pick(&p->rq, now, &until);
        while (se && se_vcpu(se)->state != VCPU_RUNNABLE)
            se = p->policy->pick(&p->rq, now, &until); /* drop stopped vCPUs */
        if (se) {
            p->slice_end = until;
            switch_in(p, se_vcpu(se), now);
            break;
        }
        p->idle_entries++;
        if (next_event != ~0UL)
            timer_hyp_arm(next_event);
        __asm__ volatile("wfi" ::: "memory");
        handle_pending_irqs();
        now = timer_now_ns();
    }
rearm:;
    ns_t next = wake_due(p, now);
    timer_hyp_arm(p->slice_end < next ? p->slice_end : next);
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
    p->slice_end = 0; /* give up the rest of the slice even if alone */
    (void)v;
}

void sched_block(struct vcpu *v, ns_t deadline)
{
    if (virq_pending(v))
        return;
    v->wake_at = deadline;
    v->state = VCPU_BLOCKED;
    this_pcpu()->need_resched = true;
}

void sched_wake(struct vcpu *v)
{
    if (v->state != VCPU_BLOCKED)
        return;
    if (v->pcpu == this_pcpu()->id) {
        v->state = VCPU_RUNNABLE;
        pcpus[v->pcpu].policy->enqueue(&pcpus[v->pcpu].rq, &v->se, timer_now_ns());
        this_pcpu()->need_resched = true;
    } else {
        sched_kick(v); /* its own CPU notices the pending interrupt in wake_due() */
    }
}

/* Make @v's CPU reschedule soon: at once if it is this CPU, else by an SGI. */
void sched_kick(struct vcpu *v)
{
    struct pcpu *p = this_pcpu();
    if (v->pcpu == p->id)
        p->need_resched = true;
    else
        gic_send_sgi(v->pcpu, SGI_KICK);
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
        __asm__ volatile("mrs x9, cntv_ctl_el0\n orr x9, x9, #2\n msr cntv_ctl_el0, x9" ::: "x9");
        if (p->current) {
            p->current->stats.timer_irqs++;
            virq_raise(p->current, EMV_VIRQ_VTIMER);
        }
    } else if (irq == SGI_KICK) {
        p->need_resched = true;
    } else {
        hyp_log("cpu %u: unexpected interrupt %u ignored", p->id, irq);
    }
    gic_eoi(irq);
}

static void handle_pending_irqs(void)
{
    for (;;) {
        irq_t irq = gic_ack();
        if (irq >= GIC_SPURIOUS)
            return;
        irq_handle(irq);
    }
}

void trap_guest_irq(uint64_t *frame)
{
    (void)frame;
    handle_pending_irqs();
    trap_exit();
}

/* Every return to a guest passes here: reschedule if needed, then deliver interrupts. */
void trap_exit(void)
{
    struct pcpu *p = this_pcpu();
    if (p->need_resched || !p->current || p->current->state != VCPU_RUNNING)
        schedule(p);
    vgic_arch_flush(p->current);
}

/* Called by sched_enter (vectors.S) on a stack that starts below the frame. */
void sched_start(void)
{
    struct pcpu *p = this_pcpu();
    p->current = 0;
    schedule(p);
    vgic_arch_flush(p->current);
}
