/* SPDX-License-Identifier: MIT */
/*
 * guestcfg.c - read /emvisor/settings of the boot information (guestcfg.h).
 */
#include "guestcfg.h"

#include "string.h"

/* Calls @fn for each property of /emvisor/settings until it returns non-zero. */
static int each(const struct fdt_blob *f, int (*fn)(const struct fdt_tok *t, void *ctx), void *ctx)
{
    struct fdt_iter it;
    struct fdt_tok t;
    bool in_emvisor = false, in_settings = false;
    fdt_iter_init(&it, f);
    while (fdt_next(&it, &t) != FDT_TOK_DONE) {
        if (t.kind == FDT_TOK_BEGIN && t.depth == 2)
            in_emvisor = !strcmp(t.name, "emvisor");
        else if (t.kind == FDT_TOK_BEGIN && t.depth == 3)
            in_settings = in_emvisor && !strcmp(t.name, "settings");
        else if (t.kind == FDT_TOK_END && t.depth == 3)
            in_settings = false;
        else if (t.kind == FDT_TOK_PROP && in_settings && t.depth == 3) {
            int r = fn(&t, ctx);
            if (r)
                return r;
        }
    }
    return 0;
}

struct get {
    const char *name;
    uint64_t *val;
};

static int get_one(const struct fdt_tok *t, void *ctx)
{
    struct get *g = ctx;
    if (strcmp(t->name, g->name))
        return 0;
    if (t->len == 0)
        *g->val = 1;
    else if (t->len == 4)
        *g->val = fdt_be32(t->val);
    else if (t->len == 8)
        *g->val = (uint64_t)fdt_be32(t->val) << 32 | fdt_be32(t->val + 4);
    else
        return -1;
    return 1;
}

int mos_settings_get(const struct fdt_blob *f, const char *name, uint64_t *val)
{
    struct get g = {name, val};
    return each(f, get_one, &g);
}

struct unknown {
    const char *const *known;
    const char *first;
};

static int find_unknown(const struct fdt_tok *t, void *ctx)
{
    struct unknown *u = ctx;
    for (const char *const *k = u->known; *k; k++)
        if (!strcmp(*k, t->name))
            return 0;
    u->first = t->name;
    return 1;
}

const char *mos_settings_unknown(const struct fdt_blob *f, const char *const *known)
{
    struct unknown u = {known, 0};
    each(f, find_unknown, &u);
    return u.first;
}
