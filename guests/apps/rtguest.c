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
#include "string.h"

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

/* Its own channel to the control VM (`admit-X`, with region `admbuf-X`), if the config gave it
 * one: then requests go there, else as messages to the control VM's inbox. */
static struct mos_obj admit_ch, admit_box;

static int find_admit_channel(const struct mos_obj *o, void *ctx)
{
    (void)ctx;
    if (mos_obj_region_of(o, "admit-", "admbuf-", &admit_box) ||
        admit_box.size < sizeof(struct emv_admit_box))
        return 0;
    admit_ch = *o;
    return 1;
}

static int admit_over_channel(struct emv_admit_resp *resp)
{
    static int found = -1;
    if (found < 0) {
        found = mos_obj_each(find_admit_channel, 0);
        if (found)
            mos_printf("rtguest: asking the control VM over channel %s\n", admit_ch.name);
    }
    if (!found)
        return 0;
    volatile struct emv_admit_box *b = (volatile struct emv_admit_box *)admit_box.ipa;
    memcpy((void *)&b->req, &req, sizeof(req));
    __asm__ volatile("dmb ish" ::: "memory");
    b->req_seq = req.seq;
    mos_evtchn_notify(admit_ch.index);
    for (;;) { /* poll first, then look (docs/abi.md), and keep running jobs meanwhile */
        mos_evtchn_poll();
        if (b->resp_seq == req.seq)
            break;
        mos_rt_run_until(mos_now_ns() + 1000000);
    }
    __asm__ volatile("dmb ish" ::: "memory");
    memcpy(resp, (const void *)&b->resp, sizeof(*resp));
    return 1;
}

static int admit(const char *what)
{
    struct emv_admit_resp resp;
    req.magic = EMV_ADMIT_MAGIC;
    req.op = EMV_ADMIT_SET_TASKS;
    req.policy = policy;
    req.seq++;
    if (admit_over_channel(&resp))
        goto answered;
    while (hvc6(EMV_HC_MSG_SEND, 0, (uint64_t)&req, sizeof(req), 0, 0, 0) == -EMV_EAGAIN)
        mos_block(mos_time_ns() + 1000000);
    for (;;) {
        uint64_t out[3];
        if (hvc6(EMV_HC_MSG_RECV, (uint64_t)&resp, sizeof(resp), 0, 0, 0, out) ==
                (int64_t)sizeof(resp) &&
            resp.seq == req.seq)
            break;
        mos_rt_run_until(mos_now_ns() + 1000000); /* keep running jobs while waiting */
    }
answered:
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
