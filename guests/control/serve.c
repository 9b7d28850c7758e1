/* SPDX-License-Identifier: MIT */
/*
 * serve.c - the control VM serves one admission ring per client, in rounds (serve.h). Every
 * index the client writes is checked by the ring library before anything is copied; a request
 * is copied out whole before the decision looks at it, and the decision checks its fields.
 */
#include "serve.h"

#include "string.h"

int serve_add(struct serve *s, uint32_t port, uint32_t vm, const char *peer, void *mem, size_t size)
{
    if (s->n == SERVE_MAX_CLIENTS || port >= 64)
        return -1;
    struct serve_client *c = &s->c[s->n];
    memset(c, 0, sizeof *c);
    if (ring_back_init_sized(&c->ring, mem, size, 0, EMV_ADMIT_SLOT_SIZE))
        return -1;
    c->port = port;
    c->vm = vm;
    size_t i = 0;
    for (; peer && peer[i] && i < sizeof c->peer - 1; i++)
        c->peer[i] = peer[i];
    c->peer[i] = 0;
    s->n++;
    return 0;
}

const char *serve_violation(int err)
{
    switch (err) {
    case -RING_EAHEAD:
        return "producer index ahead: more requests in flight than slots";
    case -RING_EBEHIND:
        return "producer index moved backwards";
    default:
        return "ring broken";
    }
}

/* At most one request of @c, answered; true if more may be waiting. */
static bool serve_one(struct serve_client *c, const struct serve_ops *ops)
{
    static union emv_admit_slot in, out;
    int n = ring_back_take_slots(&c->ring, &in, 1);
    if (n == 0 && (n = ring_back_final_check(&c->ring)) > 0) /* came before the re-arm */
        n = ring_back_take_slots(&c->ring, &in, 1);
    if (n < 0) {
        c->cut = true;
        ops->cut(ops->ctx, c, n);
        return false;
    }
    if (n == 0)
        return false; /* dry and re-armed: its next push notifies */
    memset(&out, 0, sizeof out);
    ops->decide(ops->ctx, c, &in.req, &out.resp);
    ring_back_put_slots(&c->ring, &out, 1);
    if (ring_back_push(&c->ring) > 0)
        ops->notify(ops->ctx, c);
    return true;
}

uint64_t serve_round(struct serve *s, uint64_t pending, const struct serve_ops *ops)
{
    uint64_t busy = 0;
    for (unsigned i = 0; i < s->n; i++) {
        struct serve_client *c = &s->c[i];
        if (!c->cut && ((pending >> c->port) & 1) && serve_one(c, ops))
            busy |= 1ull << c->port;
    }
    return busy;
}
