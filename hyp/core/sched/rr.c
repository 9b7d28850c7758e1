/* SPDX-License-Identifier: MIT */
/*
 * rr.c - round-robin with a fixed time slice: the foundation's policy, the simplest thing
 * that is fair, and the baseline the real-time policy is compared with. FIFO queue; a
 * preempted or yielding entity goes to the tail. The FIFO helpers are shared with rtsched.c.
 */
#include "policy.h"
#include "rr.h"

void fifo_push(struct runq *rq, struct sched_entity *se)
{
    if (se->queued)
        return; /* idempotent: a wake racing a yield must not link it twice */
    se->next = 0;
    se->queued = true;
    if (rq->tail)
        rq->tail->next = se;
    else
        rq->head = se;
    rq->tail = se;
    rq->nr++;
}

void fifo_remove(struct runq *rq, struct sched_entity *se)
{
    struct sched_entity **pp = &rq->head, *prev = 0;
    for (; *pp; prev = *pp, pp = &(*pp)->next) {
        if (*pp != se)
            continue;
        *pp = se->next;
        if (rq->tail == se)
            rq->tail = prev;
        se->queued = false;
        se->next = 0;
        rq->nr--;
        return;
    }
}

/* The next runnable entity off the FIFO (stale, non-runnable ones are dropped). */
struct sched_entity *fifo_pop(struct runq *rq)
{
    while (rq->head) {
        struct sched_entity *se = rq->head;
        fifo_remove(rq, se);
        if (se->runnable)
            return se;
    }
    return 0;
}

/* Round-robin among best-effort entities; shared with the real-time policy's background. */
struct sched_entity *rr_pick_fifo(struct runq *rq, struct sched_entity *cur, enum sched_cur how,
                                  ns_t now)
{
    if (cur && how == CUR_RUNNING && now < rq->slice_end)
        return cur; /* its slice is not over */
    if (cur && (how == CUR_RUNNING || how == CUR_YIELDED))
        fifo_push(rq, cur);
    struct sched_entity *se = fifo_pop(rq);
    if (se)
        rq->slice_end = now + rq->slice_ns;
    return se;
}

void rr_init(struct runq *rq, ns_t slice_ns, unsigned rt_policy)
{
    *rq = (struct runq){0};
    rq->slice_ns = slice_ns;
    rq->rt_policy = rt_policy;
}

static void rr_add(struct runq *rq, struct sched_entity *se, ns_t now)
{
    (void)now;
    se->runnable = true;
    if (rq->nr_all < SCHED_MAX_ENTITIES) {
        se->index = rq->nr_all;
        rq->all[rq->nr_all++] = se;
    }
    fifo_push(rq, se);
}

void rr_wake(struct runq *rq, struct sched_entity *se, ns_t now)
{
    (void)now;
    se->runnable = true;
    fifo_push(rq, se);
}

void rr_remove(struct runq *rq, struct sched_entity *se)
{
    se->runnable = false;
    fifo_remove(rq, se);
    if (rq->holder == se)
        rq->holder = 0;
}

static struct sched_entity *rr_pick(struct runq *rq, struct sched_entity *cur, enum sched_cur how,
                                    ns_t now, ns_t *until)
{
    if (cur && how == CUR_BLOCKED)
        cur->runnable = false;
    struct sched_entity *se = rr_pick_fifo(rq, cur, how, now);
    *until = se ? rq->slice_end : NS_NEVER;
    return se;
}

/* Round-robin has no servers: the parameters are kept, for the report, and ignored. */
static void rr_update(struct runq *rq, struct sched_entity *se, ns_t period, ns_t budget, ns_t now)
{
    (void)rq;
    (void)now;
    se->period_ns = period;
    se->budget_ns = budget;
}

const struct sched_policy sched_rr = {
    .update = rr_update,
    .name = "round-robin",
    .init = rr_init,
    .add = rr_add,
    .wake = rr_wake,
    .remove = rr_remove,
    .pick = rr_pick,
};
