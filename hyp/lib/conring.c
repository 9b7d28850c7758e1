/* SPDX-License-Identifier: MIT */
/* conring.c - the console output ring (conring.h). */
#include "conring.h"

#include "fmt.h"

void conring_init(struct conring *r, char *buf, uint8_t *who, uint32_t size,
                  struct conring_owner *owners, unsigned nr_owners)
{
    *r = (struct conring){.buf = buf, .who = who, .mask = size - 1, .owners = owners};
    conring_share(r, nr_owners);
}

void conring_share(struct conring *r, unsigned nr_owners)
{
    uint32_t size = r->mask + 1, writers = size - size / CONRING_RESERVE_DIV;
    r->nr_owners = nr_owners;
    r->owners[0].limit = size;
    for (unsigned i = 1; i < nr_owners; i++)
        r->owners[i].limit = writers / (nr_owners - 1);
}

uint32_t conring_used(const struct conring *r)
{
    return r->head - r->tail;
}

/* What @owner may still queue: free bytes, within its share. */
static uint32_t room(const struct conring *r, unsigned owner)
{
    uint32_t free = r->mask + 1 - conring_used(r);
    const struct conring_owner *o = &r->owners[owner];
    uint32_t share = o->limit - o->held;
    return share < free ? share : free;
}

static size_t queued_len(const struct conring_piece *p, unsigned n)
{
    size_t total = 0;
    for (unsigned i = 0; i < n; i++)
        for (size_t j = 0; j < p[i].len; j++)
            total += p[i].s[j] == '\n' ? 2 : 1;
    return total;
}

static void push(struct conring *r, unsigned owner, char c)
{
    r->who[r->head & r->mask] = (uint8_t)owner;
    r->buf[r->head++ & r->mask] = c;
}

static void copy_in(struct conring *r, unsigned owner, const struct conring_piece *p, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        for (size_t j = 0; j < p[i].len; j++) {
            if (p[i].s[j] == '\n')
                push(r, owner, '\r');
            push(r, owner, p[i].s[j]);
        }
    }
    r->owners[owner].held += (uint32_t)queued_len(p, n);
}

static bool put(struct conring *r, unsigned owner, const struct conring_piece *p, unsigned n)
{
    size_t need = queued_len(p, n);
    if (need > room(r, owner)) {
        r->owners[owner].dropped += need;
        r->owners[owner].dropped_total += need;
        r->dropped_total += need;
        r->notice_due = true;
        return false;
    }
    copy_in(r, owner, p, n);
    return true;
}

/* The notice for @owner's drops: a hypervisor line, but charged to @owner's share, so a
 * writer that keeps flooding cannot fill the hypervisor's reserve with notices about it.
 * False while there is no room for it. */
static bool notice(struct conring *r, unsigned owner)
{
    struct conring_owner *o = &r->owners[owner];
    char note[80];
    int len = emv_snprintf(note, sizeof(note), "emv: console: %lu bytes dropped (%s)\n",
                           (unsigned long)o->dropped, o->name ? o->name : "?");
    struct conring_piece np = {note, len > 0 ? (size_t)len : 0};
    if (len <= 0 || queued_len(&np, 1) > room(r, owner))
        return false;
    copy_in(r, owner, &np, 1);
    o->dropped = 0;
    return true;
}

static void notices(struct conring *r)
{
    bool all = true;
    for (unsigned i = 0; i < r->nr_owners; i++)
        if (r->owners[i].dropped && !notice(r, i))
            all = false;
    r->notice_due = !all;
}

bool conring_put(struct conring *r, unsigned owner, const struct conring_piece *p, unsigned n)
{
    if (owner >= r->nr_owners)
        return false;
    if (r->notice_due)
        notices(r);
    return put(r, owner, p, n);
}

uint32_t conring_drain(struct conring *r, bool (*tx)(void *ctx, char c), void *ctx, uint32_t max)
{
    uint32_t sent = 0;
    while (sent < max && r->tail != r->head && tx(ctx, r->buf[r->tail & r->mask])) {
        r->owners[r->who[r->tail & r->mask]].held--;
        r->tail++;
        sent++;
    }
    return sent;
}
