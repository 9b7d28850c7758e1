/* SPDX-License-Identifier: MIT */
/*
 * bootinfo.c - the boot information emvisor hands a guest: a flattened device tree whose
 * IPA is in x0 at entry (docs/abi.md, "Boot information"). minios reads the VM's identity
 * and its object table (/emvisor/objects, one node per object) from it. A small reader of
 * the format (devicetree specification, chapter 5): every offset and length is checked
 * against the blob's own size before it is used.
 */
#include "minios.h"

#include "string.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static const uint8_t *blob;
static uint32_t blob_size, struct_off, struct_size, strings_off, strings_size;

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void mos_bootinfo_init(uint64_t ipa)
{
    const uint8_t *b = (const uint8_t *)ipa; /* MMU off: IPA = VA */
    if (!ipa || be32(b) != FDT_MAGIC)
        return;
    uint32_t size = be32(b + 4), so = be32(b + 8), stro = be32(b + 12);
    uint32_t strs = be32(b + 32), sts = be32(b + 36);
    if (size < 40 || so > size || sts > size - so || stro > size || strs > size - stro)
        return;
    blob = b, blob_size = size, struct_off = so, struct_size = sts;
    strings_off = stro, strings_size = strs;
}

/* A NUL-terminated string at @off of [base, base+len), or 0 if it runs past the end. */
static const char *str_at(uint32_t base, uint32_t len, uint32_t off)
{
    for (uint32_t i = off; i < len; i++)
        if (!blob[base + i])
            return (const char *)blob + base + off;
    return 0;
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
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* A property of an object node, or of /emvisor. */
static void on_prop(struct walk *w, const char *name, const uint8_t *val, uint32_t len)
{
    struct mos_obj *o = &w->cur;
    if (w->in_objects && w->depth == 4) {
        if (!strcmp(name, "index") && len == 4)
            o->index = be32(val);
        else if (!strcmp(name, "type") && len == 4)
            o->type = be32(val);
        else if (!strcmp(name, "rights") && len == 4)
            o->rights = be32(val);
        else if (!strcmp(name, "reg") && len == 16)
            o->ipa = cells64(val), o->size = cells64(val + 8);
        else if (!strcmp(name, "peer-id") && len == 4)
            o->peer_id = be32(val);
        else if (!strcmp(name, "irq") && len == 4)
            o->irq = be32(val);
        else if (!strcmp(name, "peer") && len && !val[len - 1])
            copy_name(o->peer, (const char *)val);
    }
}

/* Walk the structure block; calls w->fn for each object node. Returns what fn returned to
 * stop the walk, or 0. */
static int walk(struct walk *w)
{
    uint32_t p = 0;
    while (blob && p + 4 <= struct_size) {
        uint32_t tok = be32(blob + struct_off + p);
        p += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *n = str_at(struct_off, struct_size, p);
            if (!n)
                return 0;
            p += (uint32_t)((strlen(n) + 1 + 3) & ~3u);
            w->depth++;
            if (w->depth == 2)
                w->in_emvisor = !strcmp(n, "emvisor");
            if (w->depth == 3)
                w->in_objects = w->in_emvisor && !strcmp(n, "objects");
            if (w->depth == 4 && w->in_objects) {
                w->cur = (struct mos_obj){0};
                copy_name(w->cur.name, n);
            }
        } else if (tok == FDT_END_NODE) {
            if (w->depth == 4 && w->in_objects) {
                int r = w->fn(&w->cur, w->ctx);
                if (r)
                    return r;
            }
            if (w->depth == 3)
                w->in_objects = false;
            if (w->depth)
                w->depth--;
        } else if (tok == FDT_PROP) {
            if (p + 8 > struct_size)
                return 0;
            uint32_t len = be32(blob + struct_off + p), nameoff = be32(blob + struct_off + p + 4);
            p += 8;
            const char *name = str_at(strings_off, strings_size, nameoff);
            if (!name || len > struct_size - p)
                return 0;
            on_prop(w, name, blob + struct_off + p, len);
            p += (len + 3) & ~3u;
        } else if (tok != FDT_NOP) {
            return 0; /* FDT_END or garbage */
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
