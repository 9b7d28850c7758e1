/* SPDX-License-Identifier: MIT */
/**
 * inbox.h - a VM's message inbox as plain data: a FIFO ring in which each sender may hold at
 * most EMV_INBOX_PER_SENDER messages. Pure (no locks, no copies): msg.c holds the lock and
 * copies; the host unit test drives the same functions.
 *
 * Why one sender can never deny another: the ring has a slot for every sender's whole quota
 * at once (the assertion below), so a sender under its quota always finds a free slot however
 * many messages the others keep queued. FIFO order then bounds the wait: a message has at
 * most (EMV_MAX_VMS - 1) * EMV_INBOX_PER_SENDER others' messages ahead of it.
 */
#ifndef EMV_INBOX_H
#define EMV_INBOX_H

#include "core/config.h"
#include "emv/hypercall.h"
#include "emv/types.h"

_Static_assert(EMV_INBOX_SLOTS >= EMV_MAX_VMS * EMV_INBOX_PER_SENDER,
               "the inbox must hold every sender's quota at once");

struct msg_slot {
    vmid_t sender;
    uint32_t len;
    uint8_t data[EMV_MSG_MAX];
};

struct inbox_q {
    unsigned head, count;
    uint8_t queued[EMV_MAX_VMS + 1]; /**< messages queued per sender id (1..EMV_MAX_VMS) */
    struct msg_slot slot[EMV_INBOX_SLOTS];
};

/** Claim the tail slot for @sender (its id and the count are set; the caller fills len and
 * data), or NULL if @sender already has its quota queued here (or is no VM id). */
struct msg_slot *inbox_claim(struct inbox_q *q, vmid_t sender);

/** The oldest message, or NULL if the inbox is empty. */
struct msg_slot *inbox_head(struct inbox_q *q);

/** Remove the oldest message (there must be one); its sender gets the slot back. */
void inbox_pop(struct inbox_q *q);

#endif
