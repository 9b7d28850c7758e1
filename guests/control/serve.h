/* SPDX-License-Identifier: MIT */
/**
 * serve.h - the control VM's side of the admission rings (include/emv/admit.h): one ring per
 * client, served in rounds. Pure C over the ring library; the decision, the notifications and
 * the log lines are the caller's (callbacks), so this is host unit-tested
 * (tests/unit/test_admit.c) with rings in host memory.
 *
 * A round serves each client whose port is pending (or that may have more waiting from the
 * last round) at most one request: taken (copied out of the ring once), decided, answered in
 * the request's slot, pushed. So a round costs at most one decision per client, and a client
 * that keeps its ring full delays another's answer by at most one of its requests. A client
 * whose ring breaks (ring.h's violations) is cut off: reported once, never read or written
 * again, whatever it does later.
 */
#ifndef CTL_SERVE_H
#define CTL_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emv/admit.h"
#include "emv/ring.h"

#define SERVE_MAX_CLIENTS 8 /**< VM ids 1..8: the hypervisor's limit */

struct serve_client {
    uint32_t port; /**< its channel end in the control VM's object table */
    uint32_t vm;   /**< its VM id (the channel's peer-id): what EMV_HC_SCHED_* name it by */
    char peer[16]; /**< its VM name, for log lines */
    bool cut;      /**< broke its ring: never served again */
    uint32_t decided, malformed; /**< for the caller's rate-limited log lines */
    struct ring_back ring;
};

struct serve_ops {
    /** Decide @req of @c into @resp (zeroed before the call). */
    void (*decide)(void *ctx, struct serve_client *c, struct emv_admit_req *req,
                   struct emv_admit_resp *resp);
    /** Signal @c's port (the ring asked for it). */
    void (*notify)(void *ctx, struct serve_client *c);
    /** @c broke its ring with @err (a negated RING_E*): mask its port, log one line. */
    void (*cut)(void *ctx, struct serve_client *c, int err);
    void *ctx;
};

struct serve {
    unsigned n;
    struct serve_client c[SERVE_MAX_CLIENTS];
};

/**
 * Add a client whose ring is the region [@mem, @mem + @size) (attached as back-end; nothing
 * is read from it yet). 0; -1 if the table is full, @port is not below 64 (a pending mask
 * bit), or the region cannot hold a ring of EMV_ADMIT_SLOT_SIZE slots.
 */
int serve_add(struct serve *s, uint32_t port, uint32_t vm, const char *peer, void *mem,
              size_t size);

/**
 * One round over the clients whose port bit is set in @pending: at most one request each.
 * Returns the ports of the clients that may have more waiting (serve them next round even
 * without a notification).
 */
uint64_t serve_round(struct serve *s, uint64_t pending, const struct serve_ops *ops);

/** A short description of a ring violation @err, for the cut-off line. */
const char *serve_violation(int err);

#endif
