/* SPDX-License-Identifier: MIT */
/*
 * credit.c - best-effort vCPUs share the CPU by a credit scheduler in the style of Xen's:
 * every accounting period (30 ms) each runnable vCPU earns credit in proportion to its
 * weight; running costs credit; vCPUs with credit left (UNDER) run before those without
 * (OVER); a vCPU woken from blocking is BOOSTed ahead of both, so interrupt-driven work
 * gets the CPU quickly. Within a class the one whose last slice started longest ago goes
 * first (round robin). A vCPU a periodic server preempted resumes its slice when the server
 * is done (rtsched.c), so siblings of one VM do not take turns at every server period.
 * Used by rtsched.c for the time no periodic server needs.
 */
#include "credit.h"

#define CREDIT_PERIOD_NS 30000000LL
#define CREDIT_CAP_NS CREDIT_PERIOD_NS /* no hoarding beyond one period */

static bool is_be(const struct sched_entity *se)
{
    return se->period_ns == 0;
}

/* Hand out credit for every accounting period that ended by @now. */
static void refill(struct runq *rq, ns_t now)
{
    if (now < rq->acct_next)
        return;
    uint64_t k = (now - rq->acct_next) / CREDIT_PERIOD_NS + 1;
    rq->acct_next += k * CREDIT_PERIOD_NS;
    uint64_t total_w = 0;
    for (unsigned i = 0; i < rq->nr_all; i++)
        if (is_be(rq->all[i]) && rq->all[i]->runnable)
            total_w += rq->all[i]->weight;
    if (!total_w)
        return;
    int64_t grant = (int64_t)(k < 2 ? k : 2) * CREDIT_PERIOD_NS;
    for (unsigned i = 0; i < rq->nr_all; i++) {
        struct sched_entity *se = rq->all[i];
        if (!is_be(se) || !se->runnable)
            continue;
        se->credit_ns += grant * (int64_t)se->weight / (int64_t)total_w;
        if (se->credit_ns > CREDIT_CAP_NS)
            se->credit_ns = CREDIT_CAP_NS;
    }
}

static int class_of(const struct sched_entity *se)
{
    return se->boost ? 0 : se->credit_ns > 0 ? 1 : 2;
}

static bool better(const struct sched_entity *a, const struct sched_entity *b)
{
    int ca = class_of(a), cb = class_of(b);
    if (ca != cb)
        return ca < cb;
    if (a->last_ran != b->last_ran)
        return a->last_ran < b->last_ran;
    return a->index < b->index;
}

void credit_init(struct runq *rq, ns_t now)
{
    rq->acct_next = now + CREDIT_PERIOD_NS;
}

void credit_wake(struct sched_entity *se)
{
    se->runnable = true;
    se->boost = true;
    se->boost_used_ns = 0;
}

/* Charge the best-effort entity that ran since the last decision. A boost ends once its
 * holder has used one slice in total since the wake, however often servers cut its runs
 * short: else, where servers leave only gaps shorter than a slice, a boosted vCPU that never
 * blocks again would win every gap and starve the others. */
void credit_charge(struct runq *rq, struct sched_entity *ran, ns_t now)
{
    if (ran && is_be(ran) && now > rq->be_since) {
        ran->credit_ns -= (int64_t)(now - rq->be_since);
        ran->boost_used_ns += now - rq->be_since;
        if (ran->boost_used_ns >= rq->slice_ns)
            ran->boost = false;
    }
    rq->be_since = now;
}

struct sched_entity *credit_pick(struct runq *rq, struct sched_entity *cur, enum sched_cur how,
                                 ns_t now)
{
    refill(rq, now);
    if (cur && !is_be(cur))
        cur = 0;
    /* Within its slice a running vCPU keeps the CPU unless a better class appears. */
    bool in_slice = cur && cur->runnable && how == CUR_RUNNING && now < rq->slice_end;
    if (cur && !in_slice)
        cur->boost = false; /* boost lasts until it blocks, yields or uses a slice */
    struct sched_entity *best = 0;
    for (unsigned i = 0; i < rq->nr_all; i++) {
        struct sched_entity *se = rq->all[i];
        if (is_be(se) && se->runnable && (!best || better(se, best)))
            best = se;
    }
    if (in_slice && class_of(best) >= class_of(cur))
        best = cur;
    if (best && (best != cur || !in_slice)) { /* a new slice */
        rq->slice_end = now + rq->slice_ns;
        best->last_ran = now;
    }
    return best;
}
