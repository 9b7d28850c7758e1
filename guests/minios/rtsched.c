/* SPDX-License-Identifier: MIT */
/* rtsched.c - periodic task bookkeeping and EDF/RM choice (see rtsched.h). */
#include "rtsched.h"

void rt_init(struct mos_rt *rt, enum mos_policy policy)
{
    *rt = (struct mos_rt){0};
    rt->policy = policy;
}

int rt_add(struct mos_rt *rt, const char *name, uint64_t period_ns, uint64_t wcet_ns,
           void (*job)(void *), void *arg, uint64_t now)
{
    if (!period_ns || !wcet_ns || wcet_ns > period_ns || !job)
        return -1;
    for (unsigned i = 0; i < MOS_MAX_TASKS; i++) {
        struct mos_task *t = &rt->task[i];
        if (t->used || t->running)
            continue;
        *t = (struct mos_task){.used = true,
                               .name = name,
                               .period_ns = period_ns,
                               .wcet_ns = wcet_ns,
                               .job = job,
                               .arg = arg,
                               .next_release = now};
        if (i >= rt->n)
            rt->n = i + 1;
        return (int)i;
    }
    return -1;
}

int rt_remove(struct mos_rt *rt, int id)
{
    if (id < 0 || id >= MOS_MAX_TASKS || !rt->task[id].used)
        return -1;
    rt->task[id].used = false;
    rt->task[id].ready = false;
    return 0;
}

void rt_release_due(struct mos_rt *rt, uint64_t now)
{
    for (unsigned i = 0; i < rt->n; i++) {
        struct mos_task *t = &rt->task[i];
        while (t->used && t->next_release <= now) {
            if (t->ready || t->running) { /* previous job unfinished: this release is lost */
                t->skipped++;
                t->misses++;
                if (!t->first_miss_dl)
                    t->first_miss_dl = t->next_release;
            } else {
                t->ready = true;
                t->rel = t->next_release;
                t->dl = t->next_release + t->period_ns;
            }
            t->next_release += t->period_ns;
        }
    }
}

uint64_t rt_next_release(const struct mos_rt *rt)
{
    uint64_t next = UINT64_MAX;
    for (unsigned i = 0; i < rt->n; i++)
        if (rt->task[i].used && rt->task[i].next_release < next)
            next = rt->task[i].next_release;
    return next;
}

/* Does job @a outrank job @b? EDF: earlier deadline; RM: shorter period; ties: lower id. */
static bool outranks(const struct mos_rt *rt, const struct mos_task *a, const struct mos_task *b)
{
    uint64_t ka = rt->policy == MOS_EDF ? a->dl : a->period_ns;
    uint64_t kb = rt->policy == MOS_EDF ? b->dl : b->period_ns;
    return ka < kb || (ka == kb && a < b);
}

struct mos_task *rt_pick(struct mos_rt *rt, const struct mos_task *running)
{
    struct mos_task *best = 0;
    for (unsigned i = 0; i < rt->n; i++) {
        struct mos_task *t = &rt->task[i];
        if (t->used && t->ready && (!best || outranks(rt, t, best)))
            best = t;
    }
    if (best && running && !outranks(rt, best, running))
        return 0;
    return best;
}

void rt_complete(struct mos_rt *rt, struct mos_task *t, uint64_t now)
{
    (void)rt;
    t->running = false;
    t->jobs++;
    uint64_t resp = now - t->rel;
    if (resp > t->worst_resp_ns)
        t->worst_resp_ns = resp;
    if (now > t->dl) {
        t->misses++;
        if (!t->first_miss_dl)
            t->first_miss_dl = t->dl;
    }
}
