/* SPDX-License-Identifier: MIT */
/* threadq.c - which minios thread runs next (see threadq.h). */
#include "threadq.h"

int tq_pick(const struct mos_thread *t, unsigned n, int cur, bool yielding)
{
    int best = -1;
    for (unsigned i = 0; i < n; i++) {
        if (t[i].state != MOS_T_READY)
            continue;
        if (best < 0 || t[i].prio > t[best].prio ||
            (t[i].prio == t[best].prio && t[i].turn < t[best].turn))
            best = (int)i;
    }
    if (best >= 0 && !yielding && cur >= 0 && (unsigned)cur < n && t[cur].state == MOS_T_READY &&
        t[cur].prio == t[best].prio)
        return cur; /* no preemption among equals */
    return best;
}

unsigned tq_wake_due(struct mos_thread *t, unsigned n, uint64_t now)
{
    unsigned woken = 0;
    for (unsigned i = 0; i < n; i++)
        if (t[i].state == MOS_T_SLEEPING && t[i].wake_ns <= now) {
            t[i].state = MOS_T_READY;
            woken++;
        }
    return woken;
}

uint64_t tq_next_wake(const struct mos_thread *t, unsigned n)
{
    uint64_t next = UINT64_MAX;
    for (unsigned i = 0; i < n; i++)
        if (t[i].state == MOS_T_SLEEPING && t[i].wake_ns < next)
            next = t[i].wake_ns;
    return next;
}
