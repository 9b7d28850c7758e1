/* SPDX-License-Identifier: MIT */
/*
 * rr.c - round-robin with a fixed time slice: the foundation's policy and the simplest
 * thing that is fair. FIFO queue; a preempted or yielding vCPU goes to the tail.
 */
#include "policy.h"

static void rr_init(struct runq *rq, ns_t slice_ns)
{
    rq->head = rq->tail = 0;
    rq->nr = 0;
    rq->slice_ns = slice_ns;
}

static void rr_enqueue(struct runq *rq, struct sched_entity *se, ns_t now)
{
    (void)now;
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

static void rr_dequeue(struct runq *rq, struct sched_entity *se)
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

static struct sched_entity *rr_pick(struct runq *rq, ns_t now, ns_t *run_until)
{
    struct sched_entity *se = rq->head;
    if (!se)
        return 0;
    rr_dequeue(rq, se);
    *run_until = now + rq->slice_ns;
    return se;
}

const struct sched_policy sched_rr = {
    .name = "round-robin",
    .init = rr_init,
    .enqueue = rr_enqueue,
    .dequeue = rr_dequeue,
    .pick = rr_pick,
};
