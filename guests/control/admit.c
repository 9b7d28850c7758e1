/* SPDX-License-Identifier: MIT */
/*
 * admit.c - admission control for the open environment (docs/realtime.md): a component may
 * change its task set at run time only if the analysis says every component on that CPU
 * still meets its deadlines. Overheads are part of the budget, so "admitted" means "no
 * misses on this machine", not just on paper.
 */
#include "admit.h"

#include "fmt.h"
#include "rt.h"

static void answer(struct emv_admit_resp *r, int result, const char *fmt, uint64_t a, uint64_t b)
{
    r->result = result;
    emv_snprintf(r->reason, sizeof(r->reason), fmt, a, b);
}

static struct admit_server *find(struct admit_state *st, uint32_t vm, uint32_t vcpu)
{
    for (unsigned i = 0; i < st->n; i++)
        if (st->srv[i].vm == vm && st->srv[i].vcpu == vcpu)
            return &st->srv[i];
    return 0;
}

static int copy_tasks(const struct emv_admit_req *req, struct rt_task *t)
{
    if (req->nr_tasks > EMV_ADMIT_MAX_TASKS)
        return -1;
    for (uint32_t i = 0; i < req->nr_tasks; i++) {
        t[i].period = req->tasks[i].period_us;
        t[i].wcet = req->tasks[i].wcet_us;
        if (!t[i].period || !t[i].wcet || t[i].wcet > t[i].period)
            return -1;
    }
    return 0;
}

static uint32_t cpu_policy(const struct admit_state *st, uint32_t cpu)
{
    return cpu < ADMIT_MAX_CPUS ? st->cpu_policy[cpu] : EMV_CPU_EDF;
}

/* Would the servers of @s's CPU fit with @s given (@period, @budget)? */
static int cpu_fits(const struct admit_state *st, const struct admit_server *s, uint64_t period,
                    uint64_t budget)
{
    struct rt_resource r[ADMIT_MAX_SERVERS];
    size_t n = 0;
    for (unsigned i = 0; i < st->n; i++) {
        const struct admit_server *o = &st->srv[i];
        if (o->cpu != s->cpu || (o != s && !o->period_us))
            continue;
        r[n].period = o == s ? period : o->period_us;
        r[n].budget = o == s ? budget : o->budget_us;
        n++;
    }
    return rt_root_check(cpu_policy(st, s->cpu) == EMV_CPU_RM ? RT_RM : RT_EDF, r, n);
}

void admit_request(struct admit_state *st, uint32_t vm, const struct emv_admit_req *req,
                   struct emv_admit_resp *resp)
{
    struct rt_task tasks[EMV_ADMIT_MAX_TASKS];
    *resp = (struct emv_admit_resp){.magic = EMV_ADMIT_MAGIC, .seq = req->seq};
    struct admit_server *s = find(st, vm, req->vcpu);
    if (req->magic != EMV_ADMIT_MAGIC || req->op != EMV_ADMIT_SET_TASKS || req->policy > 1 ||
        copy_tasks(req, tasks)) {
        answer(resp, EMV_ADMIT_BAD_REQUEST, "malformed request", 0, 0);
        return;
    }
    uint64_t period = req->period_us ? req->period_us : s ? s->period_us : 0;
    if (!s) {
        answer(resp, EMV_REFUSED, "vm has no vcpu %lu", req->vcpu, 0);
        return;
    }
    if (!period) {
        answer(resp, EMV_REFUSED, "vcpu %lu is best effort: ask with a server period", req->vcpu,
               0);
        return;
    }
    if (period < EMV_ADMIT_MIN_PERIOD_US || period > EMV_ADMIT_MAX_PERIOD_US) {
        answer(resp, EMV_ADMIT_BAD_REQUEST, "period %lu us outside 10 us .. 10 s", period, 0);
        return;
    }
    resp->period_us = s->period_us;
    resp->budget_us = s->budget_us;
    if (cpu_policy(st, s->cpu) != EMV_CPU_EDF && cpu_policy(st, s->cpu) != EMV_CPU_RM) {
        answer(resp, EMV_REFUSED, "cpu %lu runs no periodic servers (cpu-policy rr or credit)",
               s->cpu, 0);
        return;
    }
    uint64_t need = 0;
    int r = req->nr_tasks
                ? rt_interface(req->policy ? RT_RM : RT_EDF, period, tasks, req->nr_tasks, &need)
                : RT_SCHEDULABLE;
    if (r < 0) {
        answer(resp, EMV_REFUSED, "the analysis could not decide (rt error -%lu)", (uint64_t)-r, 0);
        return;
    }
    if (r != RT_SCHEDULABLE) {
        answer(resp, EMV_REFUSED, "the task set needs more than the whole period (%lu us)", period,
               0);
        return;
    }
    uint64_t budget = need + st->overhead_us;
    if (budget > period) {
        answer(resp, EMV_REFUSED, "budget %lu us with overhead exceeds the period %lu us", budget,
               period);
        return;
    }
    if (cpu_fits(st, s, period, budget) != RT_SCHEDULABLE) {
        answer(resp, EMV_REFUSED, "needs budget %lu us; cpu %lu would be overloaded", budget,
               s->cpu);
        return;
    }
    s->period_us = period;
    s->budget_us = budget;
    resp->period_us = period;
    resp->budget_us = budget;
    answer(resp, EMV_ADMITTED, "budget %lu us every %lu us", budget, period);
}
