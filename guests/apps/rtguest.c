/* SPDX-License-Identifier: MIT */
/*
 * rtguest.c - a real-time guest: periodic tasks under minios's EDF or RM, every job
 * accounted (release, completion, deadline). A job spins for 80 % of its task's WCET of
 * its own CPU time (the WCET is an upper bound), except where a set overruns on purpose.
 * bootarg: bits 0-7 task set, bit 8 RM (else EDF), bits 16-31 run time in ms (default 2000),
 * bit 32: start best effort and ask the control VM to become a new real-time component with
 *         a server period of bits 40-59 (us) before creating the tasks; if refused, the tasks
 *         run best effort (and may miss).
 *   1: 10/1, 20/3, 40/6 ms          (U = 0.40)
 *   2: 5/0.5, 10/1, 25/5 ms         (U = 0.40)
 *   3: 10/6, 20/10 ms               (U = 1.10, overloaded: must miss)
 *   4: 10/1 ms, 20/2 ms whose every 10th job runs 3x its WCET (overrun), 40/4 ms
 *   5: like 1; after half the run asks to add 'extra' 20/4 ms (fits), then 'huge' 10/9 ms
 * At the end: `rt: report ...` and one line per task (see guests/minios/rtrun.c).
 */
#include "emv/admit.h"
#include "minios.h"

struct spec {
    const char *name;
    uint64_t period_us, wcet_us;
};

static const struct spec sets[6][4] = {
    {{0}},
    {{"t10", 10000, 1000}, {"t20", 20000, 3000}, {"t40", 40000, 6000}},
    {{"t5", 5000, 500}, {"t10", 10000, 1000}, {"t25", 25000, 5000}},
    {{"h10", 10000, 6000}, {"h20", 20000, 10000}},
    {{"t10", 10000, 1000}, {"over20", 20000, 2000}, {"t40", 40000, 4000}},
    {{"t10", 10000, 1000}, {"t20", 20000, 3000}, {"t40", 40000, 6000}},
};

struct job_arg {
    uint64_t wcet_ns;
    unsigned overrun_every, n;
};
static struct job_arg args[8];

static void job(void *p)
{
    struct job_arg *a = p;
    a->n++;
    uint64_t work = a->wcet_ns * 8 / 10;
    if (a->overrun_every && a->n % a->overrun_every == 0)
        work = a->wcet_ns * 3;
    mos_spin_ns(work);
}

static unsigned nr_tasks, policy;
static struct emv_admit_req req;

static int admit(const char *what)
{
    struct emv_admit_resp resp;
    req.magic = EMV_ADMIT_MAGIC;
    req.op = EMV_ADMIT_SET_TASKS;
    req.policy = policy;
    req.seq++;
    /* Over its own ring to the control VM (admit-X, admbuf-X), running jobs while it waits. */
    if (mos_admit_ask(&req, &resp, mos_rt_run_until)) {
        mos_printf("rtguest: %s: no answer from the control VM\n", what);
        return 0;
    }
    mos_printf("rtguest: %s: %s: %s\n", what, resp.result == EMV_ADMITTED ? "ADMITTED" : "REFUSED",
               resp.reason);
    return resp.result == EMV_ADMITTED;
}

static void add(const struct spec *s, unsigned overrun)
{
    args[nr_tasks] = (struct job_arg){s->wcet_us * 1000, overrun, 0};
    if (mos_task_create(s->name, s->period_us * 1000, s->wcet_us * 1000, job, &args[nr_tasks]) < 0)
        mos_printf("rtguest: cannot create %s\n", s->name);
    req.tasks[nr_tasks] = (struct emv_admit_task){s->period_us, s->wcet_us};
    req.nr_tasks = ++nr_tasks;
}

void app_main(uint64_t bootarg)
{
    unsigned set = bootarg & 0xff;
    policy = (bootarg >> 8) & 1;
    uint64_t run_ms = (bootarg >> 16) & 0xffff ? (bootarg >> 16) & 0xffff : 2000;
    if (set < 1 || set > 5)
        set = 1;
    mos_rt_init(policy ? MOS_RM : MOS_EDF);
    mos_irq_enable();
    if (bootarg & (1UL << 32)) {
        mos_thread_sleep_until(mos_now_ns() + 50000000); /* let the control VM start */
        for (unsigned i = 0; i < 4 && sets[set][i].name; i++)
            req.tasks[i] = (struct emv_admit_task){sets[set][i].period_us, sets[set][i].wcet_us};
        req.nr_tasks = 0;
        while (req.nr_tasks < 4 && sets[set][req.nr_tasks].name)
            req.nr_tasks++;
        req.period_us = (bootarg >> 40) & 0xfffff;
        if (!admit("become a real-time component"))
            mos_printf("rtguest: running best effort\n");
        req.period_us = 0; /* later requests keep the period */
    }
    for (unsigned i = 0; i < 4 && sets[set][i].name; i++)
        add(&sets[set][i], set == 4 && i == 1 ? 10 : 0);
    mos_printf("rtguest: set %u, %s, %u tasks, %lu ms\n", set, policy ? "rm" : "edf", nr_tasks,
               run_ms);
    uint64_t start = mos_now_ns(), end = start + run_ms * 1000000UL;
    if (set == 5) {
        mos_rt_run_until(start + run_ms * 500000UL);
        static const struct spec extra = {"extra", 20000, 4000}, huge = {"huge", 10000, 9000};
        req.tasks[nr_tasks] = (struct emv_admit_task){extra.period_us, extra.wcet_us};
        req.nr_tasks = nr_tasks + 1;
        if (admit("add extra 20/4 ms"))
            add(&extra, 0);
        req.tasks[nr_tasks] = (struct emv_admit_task){huge.period_us, huge.wcet_us};
        req.nr_tasks = nr_tasks + 1;
        if (admit("add huge 10/9 ms"))
            add(&huge, 0);
        req.nr_tasks = nr_tasks;
    }
    mos_rt_run_until(end);
    mos_rt_report();
    for (;;)
        mos_block(0);
}
