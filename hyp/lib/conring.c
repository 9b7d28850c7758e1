/* SPDX-License-Identifier: MIT */
/* conring.c - the console output ring (conring.h). */
#include "conring.h"

#include "fmt.h"

void conring_init(struct conring *r, char *buf, uint32_t size)
{
    *r = (struct conring){.buf = buf, .mask = size - 1};
}

uint32_t conring_used(const struct conring *r)
{
    return r->head - r->tail;
}

static uint32_t room(const struct conring *r)
{
    return r->mask + 1 - conring_used(r);
}

static size_t queued_len(const struct conring_piece *p, unsigned n)
{
    size_t total = 0;
    for (unsigned i = 0; i < n; i++)
        for (size_t j = 0; j < p[i].len; j++)
            total += p[i].s[j] == '\n' ? 2 : 1;
    return total;
}

static void copy_in(struct conring *r, const struct conring_piece *p, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        for (size_t j = 0; j < p[i].len; j++) {
            if (p[i].s[j] == '\n')
                r->buf[r->head++ & r->mask] = '\r';
            r->buf[r->head++ & r->mask] = p[i].s[j];
        }
    }
}

static bool put(struct conring *r, const struct conring_piece *p, unsigned n)
{
    size_t need = queued_len(p, n);
    if (need > room(r)) {
        r->dropped += need;
        r->dropped_total += need;
        return false;
    }
    copy_in(r, p, n);
    return true;
}

bool conring_put(struct conring *r, const struct conring_piece *p, unsigned n)
{
    if (r->dropped) {
        char note[64];
        int len = emv_snprintf(note, sizeof(note), "emv: console: %lu bytes dropped\n",
                               (unsigned long)r->dropped);
        struct conring_piece np = {note, (size_t)len};
        if (len > 0 && queued_len(&np, 1) <= room(r)) {
            copy_in(r, &np, 1);
            r->dropped = 0;
        }
    }
    return put(r, p, n);
}

uint32_t conring_drain(struct conring *r, bool (*tx)(void *ctx, char c), void *ctx, uint32_t max)
{
    uint32_t sent = 0;
    while (sent < max && r->tail != r->head && tx(ctx, r->buf[r->tail & r->mask])) {
        r->tail++;
        sent++;
    }
    return sent;
}
