/* SPDX-License-Identifier: MIT */
/*
 * bootinfo.c - the boot information emvisor hands a guest: a flattened device tree whose
 * IPA is in x0 at entry (docs/abi.md, "Boot information"). minios reads the VM's identity,
 * its object table (/emvisor/objects, one node per object), its task set (/emvisor/tasks,
 * taskset.c) and its settings (/emvisor/settings, guestcfg.c) from it, with the checked reader
 * of fdtread.c.
 */
#include "minios.h"

#include "guestcfg.h"
#include "string.h"

static struct fdt_blob blob;

void mos_bootinfo_init(uint64_t ipa)
{
    /* MMU off: IPA = VA. The hypervisor put the blob at the end of RAM; its header says how
     * long it is, and a guest trusts its own RAM (the limit only guards against wrapping). */
    fdt_blob_init(&blob, (const void *)ipa, UINT32_MAX);
}

const struct fdt_blob *mos_bootinfo(void)
{
    return &blob;
}

void mos_settings_check(const char *const *known)
{
    const char *u = mos_settings_unknown(&blob, known);
    if (u) {
        mos_printf("%s: setting '%s' in the config is not one this guest reads\n", mos_name(), u);
        mos_halt();
    }
    for (; *known; known++) {
        uint64_t v;
        if (mos_settings_get(&blob, *known, &v) < 0) {
            mos_printf("%s: setting '%s' is not a flag or a number\n", mos_name(), *known);
            mos_halt();
        }
    }
}

uint64_t mos_setting(const char *name, uint64_t dflt)
{
    uint64_t v;
    return mos_settings_get(&blob, name, &v) == 1 ? v : dflt;
}

const char *mos_tasks(struct mos_taskset *ts)
{
    return mos_taskset_read(&blob, ts);
}

struct walk {
    unsigned depth;
    bool in_emvisor, in_objects;
    struct mos_obj cur;
    int (*fn)(const struct mos_obj *o, void *ctx);
    void *ctx;
};

static void copy_name(char *dst, const char *src)
{
    size_t n = strlen(src);
    n = n < 15 ? n : 15;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static uint64_t cells64(const uint8_t *p)
{
    return (uint64_t)fdt_be32(p) << 32 | fdt_be32(p + 4);
}

/* A property of an object node, or of /emvisor. */
static void on_prop(struct walk *w, const char *name, const uint8_t *val, uint32_t len)
{
    struct mos_obj *o = &w->cur;
    if (w->in_objects && w->depth == 4) {
        if (!strcmp(name, "index") && len == 4)
            o->index = fdt_be32(val);
        else if (!strcmp(name, "type") && len == 4)
            o->type = fdt_be32(val);
        else if (!strcmp(name, "rights") && len == 4)
            o->rights = fdt_be32(val);
        else if (!strcmp(name, "reg") && len == 16)
            o->ipa = cells64(val), o->size = cells64(val + 8);
        else if (!strcmp(name, "peer-id") && len == 4)
            o->peer_id = fdt_be32(val);
        else if (!strcmp(name, "irq") && len == 4)
            o->irq = fdt_be32(val);
        else if (!strcmp(name, "peer") && len && !val[len - 1])
            copy_name(o->peer, (const char *)val);
    }
}

/* Walk the boot information; calls w->fn for each object node. Returns what fn returned to
 * stop the walk, or 0. */
static int walk(struct walk *w)
{
    struct fdt_iter it;
    struct fdt_tok t;
    fdt_iter_init(&it, &blob);
    while (fdt_next(&it, &t) != FDT_TOK_DONE) {
        w->depth = t.depth;
        if (t.kind == FDT_TOK_BEGIN) {
            if (w->depth == 2)
                w->in_emvisor = !strcmp(t.name, "emvisor");
            if (w->depth == 3)
                w->in_objects = w->in_emvisor && !strcmp(t.name, "objects");
            if (w->depth == 4 && w->in_objects) {
                w->cur = (struct mos_obj){0};
                copy_name(w->cur.name, t.name);
            }
        } else if (t.kind == FDT_TOK_END) {
            if (w->depth == 4 && w->in_objects) {
                int r = w->fn(&w->cur, w->ctx);
                if (r)
                    return r;
            }
            if (w->depth == 3)
                w->in_objects = false;
        } else {
            on_prop(w, t.name, t.val, t.len);
        }
    }
    return 0;
}

struct find {
    const char *name;
    struct mos_obj *out;
};

static int match(const struct mos_obj *o, void *ctx)
{
    struct find *f = ctx;
    if (strcmp(o->name, f->name))
        return 0;
    *f->out = *o;
    return 1;
}

int mos_obj_find(const char *name, struct mos_obj *out)
{
    struct find f = {name, out};
    struct walk w = {.fn = match, .ctx = &f};
    return walk(&w) ? 0 : -1;
}

int mos_obj_each(int (*fn)(const struct mos_obj *o, void *ctx), void *ctx)
{
    struct walk w = {.fn = fn, .ctx = ctx};
    return walk(&w);
}

static int first_of(const struct mos_obj *o, void *ctx)
{
    struct mos_obj *want = ctx;
    if (o->type != want->type || (o->rights & want->rights) != want->rights)
        return 0;
    *want = *o;
    return 1;
}

int mos_obj_first(uint32_t type, uint32_t rights, struct mos_obj *out)
{
    *out = (struct mos_obj){.type = type, .rights = rights};
    return mos_obj_each(first_of, out) ? 0 : -1;
}

int mos_obj_region_of(const struct mos_obj *ch, const char *ch_prefix, const char *region_prefix,
                      struct mos_obj *region)
{
    size_t cp = strlen(ch_prefix), rp = strlen(region_prefix);
    char name[sizeof(ch->name)];
    if (ch->type != EMV_OBJ_EVTCHN || strncmp(ch->name, ch_prefix, cp))
        return -1;
    size_t rest = strlen(ch->name + cp);
    if (rp + rest >= sizeof(name))
        return -2;
    memcpy(name, region_prefix, rp);
    memcpy(name + rp, ch->name + cp, rest + 1);
    return mos_obj_find(name, region) || region->type != EMV_OBJ_SHMEM ? -2 : 0;
}
