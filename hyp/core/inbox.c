/* SPDX-License-Identifier: MIT */
/* inbox.c - the inbox ring with its per-sender quota (inbox.h). */
#include "inbox.h"

struct msg_slot *inbox_claim(struct inbox_q *q, vmid_t sender)
{
    /* The quota test is the only one needed: with every sender under its quota the ring
     * cannot be full (inbox.h's assertion). */
    if (sender < 1 || sender > EMV_MAX_VMS || q->queued[sender] >= EMV_INBOX_PER_SENDER)
        return 0;
    struct msg_slot *s = &q->slot[(q->head + q->count) % EMV_INBOX_SLOTS];
    q->count++;
    q->queued[sender]++;
    s->sender = sender;
    return s;
}

struct msg_slot *inbox_head(struct inbox_q *q)
{
    return q->count ? &q->slot[q->head] : 0;
}

void inbox_pop(struct inbox_q *q)
{
    q->queued[q->slot[q->head].sender]--;
    q->head = (q->head + 1) % EMV_INBOX_SLOTS;
    q->count--;
}
