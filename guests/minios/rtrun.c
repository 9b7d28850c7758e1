/* SPDX-License-Identifier: MIT */
/*
 * rtrun.c - minios's periodic tasks: releases come from the virtual timer (thread.c owns
 * it); jobs run to completion with interrupts enabled on a stack of their own, and a release
 * that outranks the running job runs at once, nested from the interrupt's tail (after its
 * EOI). That is exact preemptive EDF/RM for run-to-completion jobs, like OSEK's basic tasks,
 * without a stack per task. Jobs outrank every thread; when neither has work, the idle
 * thread blocks the vCPU until the next release (EMV_HC_BLOCK).
 */
#include "kern.h"
#include "minios.h"

static struct mos_rt rt;
static struct mos_task *running; /* the innermost job executing, NULL in the idle loop */
static uint64_t loops_per_us = 1;

void rtk_release(uint64_t now)
{
    rt_release_due(&rt, now);
}

uint64_t rtk_next_release(void)
{
    return rt_next_release(&rt);
}

bool rtk_busy(void)
{
    return running != 0;
}

/* Run every ready job that outranks the one this level interrupted. Interrupts are masked
 * on entry and exit; each job runs with them enabled so that it can be preempted. */
void rtk_dispatch(void)
{
    struct mos_task *outer = running, *t;
    while ((t = rt_pick(&rt, outer))) {
        t->ready = false;
        t->running = true;
        running = t;
        mos_irq_enable();
        t->job(t->arg);
        mos_irq_disable();
        rt_complete(&rt, t, mos_now_ns());
        running = outer;
    }
}

static void calibrate(void)
{
    uint64_t best = UINT64_MAX;
    for (int trial = 0; trial < 7; trial++) {
        uint64_t t0 = mos_now_ns();
        for (volatile uint64_t i = 0; i < 100000; i++)
            ;
        uint64_t d = mos_now_ns() - t0;
        if (d < best)
            best = d; /* the least-disturbed trial: preemption only makes loops look slower */
    }
    loops_per_us = best ? 100000000UL / best : 1;
    if (!loops_per_us)
        loops_per_us = 1;
}

void mos_spin_ns(uint64_t ns)
{
    for (volatile uint64_t i = 0, n = ns * loops_per_us / 1000; i < n; i++)
        ;
}

void mos_rt_init(enum mos_policy policy)
{
    rt_init(&rt, policy);
    calibrate();
    kern_init();
}

int mos_task_create(const char *name, uint64_t period_ns, uint64_t wcet_ns, void (*job)(void *),
                    void *arg)
{
    kern_init();
    mos_irq_disable();
    int id = rt_add(&rt, name, period_ns, wcet_ns, job, arg, mos_now_ns());
    kern_rearm();
    kern_run_jobs(); /* its first job is released now and may outrank the caller */
    mos_irq_enable();
    return id;
}

int mos_task_remove(int id)
{
    mos_irq_disable();
    int r = rt_remove(&rt, id);
    kern_rearm();
    mos_irq_enable();
    return r;
}

void mos_rt_run_until(uint64_t until_ns)
{
    mos_thread_sleep_until(until_ns);
}

uint64_t mos_rt_report(void)
{
    uint64_t jobs = 0, misses = 0;
    unsigned n = 0;
    for (unsigned i = 0; i < rt.n; i++) {
        const struct mos_task *t = &rt.task[i];
        if (!t->jobs && !t->used && !t->misses && !t->skipped)
            continue; /* a slot never used (a removed task's misses still count) */
        n++;
        jobs += t->jobs;
        misses += t->misses;
        mos_printf("rt: task %s period-us=%lu wcet-us=%lu jobs=%lu misses=%lu skipped=%lu "
                   "worst-response-us=%lu%s\n",
                   t->name, t->period_ns / 1000, t->wcet_ns / 1000, t->jobs, t->misses, t->skipped,
                   t->worst_resp_ns / 1000, t->used ? "" : " (removed)");
        if (t->first_miss_dl)
            mos_printf("miss %s %lu %lu\n", t->name, t->first_miss_dl - t->period_ns,
                       t->first_miss_dl);
    }
    mos_printf("rt: report policy=%s tasks=%u jobs=%lu misses=%lu\n",
               rt.policy == MOS_EDF ? "edf" : "rm", n, jobs, misses);
    return misses;
}
