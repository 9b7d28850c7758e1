/* SPDX-License-Identifier: MIT */
/*
 * rtguest.c - a real-time guest: runs the periodic tasks its config gives it (the VM's
 * `tasks` node, handed over in the boot information: docs/config.md, docs/abi.md) under
 * minios's EDF or RM, every job accounted (release, completion, deadline). A job spins for its
 * task's exec-us of its own CPU time; a task with overrun-every runs overrun-us instead on
 * every such job. With request-period-us it starts best effort and first asks the control VM
 * to become a real-time component with that server period; if refused, the tasks run best
 * effort (and may miss). A task with request-at-ms is asked for at that time of the run and
 * runs only if admitted. After run-for-ms: `rt: report ...` and one line per task (see
 * guests/minios/rtrun.c). It has no settings of its own: what the config says is what runs.
 */
#include "emv/admit.h"
#include "minios.h"
#include "fmt.h"
#include "string.h"

static struct mos_taskset ts;

struct job_arg {
    const struct mos_taskdef *def;
    unsigned n;
};
static struct job_arg args[MOS_MAX_TASKS];

static void job(void *p)
{
    struct job_arg *a = p;
    a->n++;
    uint64_t us = a->def->exec_us;
    if (a->def->overrun_every && a->n % a->def->overrun_every == 0)
        us = a->def->overrun_us;
    mos_spin_ns(us * 1000);
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

static void add(const struct mos_taskdef *t)
{
    args[nr_tasks] = (struct job_arg){t, 0};
    if (mos_task_create(t->name, (uint64_t)t->period_us * 1000, (uint64_t)t->wcet_us * 1000, job,
                        &args[nr_tasks]) < 0)
        mos_printf("rtguest: cannot create %s\n", t->name);
    req.tasks[nr_tasks] = (struct emv_admit_task){t->period_us, t->wcet_us};
    req.nr_tasks = ++nr_tasks;
}

/* @us in ms for messages: "20", "0.5", "1.25". */
static const char *ms(uint32_t us, char buf[16])
{
    char frac[8];
    unsigned f = us % 1000, n = 0;
    while (f) {
        frac[n++] = (char)('0' + f / 100);
        f = f % 100 * 10;
    }
    frac[n] = '\0';
    emv_snprintf(buf, 16, "%u%s%s", us / 1000, n ? "." : "", frac);
    return buf;
}

/* Ask the control VM to add the requested task @t; run it if admitted. */
static void request(const struct mos_taskdef *t)
{
    char what[64], p[16], w[16];
    emv_snprintf(what, sizeof(what), "add %s %s/%s ms", t->name, ms(t->period_us, p),
                 ms(t->wcet_us, w));
    req.tasks[nr_tasks] = (struct emv_admit_task){t->period_us, t->wcet_us};
    req.nr_tasks = nr_tasks + 1;
    if (admit(what))
        add(t);
    req.nr_tasks = nr_tasks;
}

void app_main(uint64_t bootarg)
{
    (void)bootarg; /* emvcfg refuses a bootarg for this guest: its settings are its tasks */
    const char *err = mos_tasks(&ts);
    if (err) {
        mos_printf("rtguest: the boot information gives no task set I can run: %s%s%s "
                   "(docs/config.md, tasks)\n",
                   err, ts.bad ? ": " : "", ts.bad ? ts.bad : "");
        mos_halt();
    }
    policy = ts.policy;
    mos_rt_init(ts.policy);
    mos_irq_enable();
    if (ts.request_period_us) {
        mos_thread_sleep_until(mos_now_ns() + 50000000); /* let the control VM start */
        for (unsigned i = 0; i < ts.n; i++)
            if (!ts.task[i].requested && req.nr_tasks < EMV_ADMIT_MAX_TASKS)
                req.tasks[req.nr_tasks++] =
                    (struct emv_admit_task){ts.task[i].period_us, ts.task[i].wcet_us};
        req.period_us = ts.request_period_us;
        if (!admit("become a real-time component"))
            mos_printf("rtguest: running best effort\n");
        req.period_us = 0; /* later requests keep the period */
        req.nr_tasks = 0;
    }
    for (unsigned i = 0; i < ts.n; i++)
        if (!ts.task[i].requested)
            add(&ts.task[i]);
    char run[32] = "until the system stops";
    if (ts.run_for_ms)
        emv_snprintf(run, sizeof(run), "%u ms", ts.run_for_ms);
    mos_printf("rtguest: %s, %u tasks from the config, %s\n", policy ? "rm" : "edf", nr_tasks, run);
    uint64_t start = mos_now_ns();
    for (unsigned i = 0; i < ts.n; i++)
        if (ts.task[i].requested) {
            mos_rt_run_until(start + (uint64_t)ts.task[i].request_at_ms * 1000000UL);
            request(&ts.task[i]);
        }
    if (!ts.run_for_ms)
        for (;;)
            mos_rt_run_until(UINT64_MAX);
    mos_rt_run_until(start + (uint64_t)ts.run_for_ms * 1000000UL);
    mos_rt_report();
    for (;;)
        mos_block(0);
}
