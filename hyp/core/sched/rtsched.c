/* SPDX-License-Identifier: MIT */
/*
 * rtsched.c - the top level of the hierarchical scheduler (docs/realtime.md): each
 * real-time vCPU is a periodic server Gamma(period, budget), ordered by EDF (deadline = end
 * of its current period) or RM (shorter period first); best-effort vCPUs share what is left
 * by credit (credit.c). With rt_policy 2 every vCPU is best effort: the credit baseline.
 *
 * Budgets: a server's budget is refilled at absolute period boundaries (release k * period
 * after its start, so there is no drift however late a decision runs) and charged for the
 * time it holds the CPU. A server that has budget but is blocked still holds the CPU when it
 * is the highest-priority one: its budget drains while best-effort work runs in the
 * background ("idling periodic server"). This keeps each server's supply within Gamma, which
 * the root test (sum of budget/period <= 1 under EDF) assumes; a server never runs beyond its
 * budget in a period.
 */
#include "credit.h"
#include "policy.h"
#include "rr.h"

static bool is_rt(const struct sched_entity *se)
{
    return se->period_ns != 0;
}

static ns_t min_ns(ns_t a, ns_t b)
{
    return a < b ? a : b;
}

/* Refill at the period boundary; skip whole periods in one step. Time the server used
 * beyond its budget (debt) comes off the new budget. */
static void replenish(struct sched_entity *se, ns_t now)
{
    if (now < se->deadline_ns)
        return;
    uint64_t k = (now - se->deadline_ns) / se->period_ns + 1;
    se->deadline_ns += k * se->period_ns;
    ns_t pay = min_ns(se->debt_ns, se->budget_ns);
    se->remaining_ns = se->budget_ns - pay;
    se->debt_ns -= pay;
    se->replenishments += k;
}

/* Charge the holder for [last_pick, now): what fell in its current period comes off its
 * budget; if it was running (@cur), what it used past its budget or past its period's end
 * (a decision that came late) is debt for the next period. An idling holder (blocked) owes
 * nothing beyond its budget: it did not use the CPU. */
static void charge(struct runq *rq, const struct sched_entity *cur, ns_t now)
{
    struct sched_entity *h = rq->holder;
    if (h && now > rq->last_pick) {
        ns_t in_period =
            rq->last_pick < h->deadline_ns ? min_ns(now, h->deadline_ns) - rq->last_pick : 0;
        bool had = h->remaining_ns > 0;
        ns_t paid = min_ns(in_period, h->remaining_ns);
        h->remaining_ns -= paid;
        if (had && h->remaining_ns == 0)
            h->exhaustions++;
        if (h == cur)
            h->debt_ns += now - rq->last_pick - paid;
    }
    rq->last_pick = now;
}

static bool higher(const struct runq *rq, const struct sched_entity *a,
                   const struct sched_entity *b)
{
    ns_t ka = rq->rt_policy == 1 ? a->period_ns : a->deadline_ns;
    ns_t kb = rq->rt_policy == 1 ? b->period_ns : b->deadline_ns;
    return ka < kb || (ka == kb && a->index < b->index);
}

static void rt_init(struct runq *rq, ns_t slice_ns, unsigned rt_policy)
{
    rr_init(rq, slice_ns, rt_policy);
    rq->ignore_servers = rt_policy == 2;
    credit_init(rq, 0);
}

static void rt_add(struct runq *rq, struct sched_entity *se, ns_t now)
{
    se->runnable = true;
    if (rq->ignore_servers)
        se->period_ns = 0;
    if (rq->nr_all < SCHED_MAX_ENTITIES) {
        se->index = rq->nr_all;
        rq->all[rq->nr_all++] = se;
    }
    if (is_rt(se)) {
        se->deadline_ns = now + se->period_ns;
        se->remaining_ns = se->budget_ns;
    }
}

static void rt_wake(struct runq *rq, struct sched_entity *se, ns_t now)
{
    (void)rq;
    (void)now;
    if (is_rt(se))
        se->runnable = true;
    else
        credit_wake(se);
}

static void rt_remove(struct runq *rq, struct sched_entity *se)
{
    rr_remove(rq, se);
    if (rq->be_running == se)
        rq->be_running = 0;
    if (rq->be_preempted == se)
        rq->be_preempted = 0;
    for (unsigned i = 0; i < rq->nr_all; i++) {
        if (rq->all[i] == se) {
            rq->all[i] = rq->all[--rq->nr_all];
            return;
        }
    }
}

/*
 * New parameters: a best-effort vCPU becomes a server with a full budget and its first
 * period starting now; a server keeps its current period's deadline and the next period has
 * the new length. With the same period, its budget left changes by the difference. With a
 * new period, the budget left can only shrink (to the new budget) until that deadline: the
 * old period's rest must not carry a new, larger budget (the other servers were admitted
 * against the old one for this period). Period 0 makes it best effort again.
 */
static void rt_update(struct runq *rq, struct sched_entity *se, ns_t period, ns_t budget, ns_t now)
{
    if (rq->ignore_servers)
        return;
    if (!is_rt(se))
        credit_charge(rq, rq->be_running, now); /* its last best-effort slice, before it changes */
    if (rq->be_preempted == se)
        rq->be_preempted = 0;
    if (!period) {
        se->period_ns = se->budget_ns = se->remaining_ns = 0;
        if (rq->holder == se)
            rq->holder = 0;
        return;
    }
    if (!is_rt(se)) {
        se->deadline_ns = now + period;
        se->remaining_ns = budget;
        se->debt_ns = 0;
    } else if (period != se->period_ns) {
        se->remaining_ns = min_ns(se->remaining_ns, budget);
    } else if (budget > se->budget_ns) {
        se->remaining_ns += budget - se->budget_ns;
    } else {
        se->remaining_ns -= min_ns(se->remaining_ns, se->budget_ns - budget);
    }
    se->period_ns = period;
    se->budget_ns = budget;
}

static struct sched_entity *rt_pick(struct runq *rq, struct sched_entity *cur, enum sched_cur how,
                                    ns_t now, ns_t *until)
{
    if (cur && how == CUR_BLOCKED)
        cur->runnable = false;
    charge(rq, cur, now);
    credit_charge(rq, rq->be_running, now);
    if (cur && is_rt(cur) && how == CUR_YIELDED)
        cur->remaining_ns = 0; /* a server that yields is done for this period */
    ns_t next_repl = NS_NEVER;
    struct sched_entity *best = 0;
    for (unsigned i = 0; i < rq->nr_all; i++) {
        struct sched_entity *se = rq->all[i];
        if (!is_rt(se))
            continue;
        replenish(se, now);
        next_repl = min_ns(next_repl, se->deadline_ns);
        if (se->remaining_ns && (!best || higher(rq, se, best)))
            best = se;
    }
    rq->holder = best;
    if (best && best->runnable) {
        if (rq->be_running && cur == rq->be_running && how == CUR_RUNNING)
            rq->be_preempted = rq->be_running;
        rq->be_running = 0;
        *until = min_ns(now + best->remaining_ns, next_repl);
        return best;
    }
    /* No server may run: best effort in the background, while a blocked holder idles. A
     * best-effort vCPU a server preempted goes on with its slice, as if the server's time had
     * been an interrupt: a guest of several vCPUs on this CPU (Linux) is not switched to a
     * sibling that may only spin on a lock the preempted one holds (docs/architecture.md,
     * "Several vCPUs of one VM on one CPU"). A woken (boosted) vCPU still goes first. */
    struct sched_entity *be = cur && !is_rt(cur) ? cur : 0;
    enum sched_cur be_how = be ? how : CUR_NONE;
    if (!be && rq->be_preempted && rq->be_preempted->runnable) {
        be = rq->be_preempted;
        be_how = CUR_RUNNING;
    }
    rq->be_preempted = 0;
    struct sched_entity *se = credit_pick(rq, be, be_how, now);
    rq->be_running = se;
    *until = min_ns(se ? rq->slice_end : NS_NEVER, next_repl);
    if (best)
        *until = min_ns(*until, now + best->remaining_ns);
    return se;
}

const struct sched_policy sched_rt = {
    .name = "periodic servers",
    .init = rt_init,
    .add = rt_add,
    .wake = rt_wake,
    .remove = rt_remove,
    .update = rt_update,
    .pick = rt_pick,
};
