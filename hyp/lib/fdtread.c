/* SPDX-License-Identifier: MIT */
/*
 * fdtread.c - the checked device-tree reader of fdtread.h: a header check, then one token at a
 * time.
 */
#include "fdtread.h"

#include "string.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4

uint32_t fdt_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int fdt_blob_init(struct fdt_blob *f, const void *p, uint64_t max)
{
    const uint8_t *b = p;
    *f = (struct fdt_blob){0};
    if (!b || max < 40 || fdt_be32(b) != FDT_MAGIC)
        return -1;
    uint32_t size = fdt_be32(b + 4), so = fdt_be32(b + 8), stro = fdt_be32(b + 12);
    uint32_t strs = fdt_be32(b + 32), sts = fdt_be32(b + 36);
    if (size < 40 || size > max || so > size || sts > size - so || stro > size ||
        strs > size - stro)
        return -1;
    *f = (struct fdt_blob){b, size, so, sts, stro, strs};
    return 0;
}

void fdt_iter_init(struct fdt_iter *it, const struct fdt_blob *f)
{
    *it = (struct fdt_iter){f, 0, 0};
}

/* A NUL-terminated string at @off of [base, base+len), or 0 if it runs past the end. */
static const char *str_at(const struct fdt_blob *f, uint32_t base, uint32_t len, uint32_t off)
{
    for (uint32_t i = off; i < len; i++)
        if (!f->b[base + i])
            return (const char *)f->b + base + off;
    return 0;
}

enum fdt_tok_kind fdt_next(struct fdt_iter *it, struct fdt_tok *t)
{
    const struct fdt_blob *f = it->f;
    *t = (struct fdt_tok){FDT_TOK_DONE, it->depth, 0, 0, 0};
    while (f->b && f->struct_size >= 4 && it->p <= f->struct_size - 4) {
        const uint8_t *s = f->b + f->struct_off;
        uint32_t tok = fdt_be32(s + it->p);
        it->p += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *n = str_at(f, f->struct_off, f->struct_size, it->p);
            if (!n)
                break;
            it->p += (uint32_t)((strlen(n) + 1 + 3) & ~3u);
            *t = (struct fdt_tok){FDT_TOK_BEGIN, ++it->depth, n, 0, 0};
            return t->kind;
        }
        if (tok == FDT_END_NODE) {
            if (!it->depth)
                break;
            *t = (struct fdt_tok){FDT_TOK_END, it->depth--, 0, 0, 0};
            return t->kind;
        }
        if (tok == FDT_PROP) {
            if (f->struct_size < 8 || it->p > f->struct_size - 8)
                break;
            uint32_t len = fdt_be32(s + it->p), nameoff = fdt_be32(s + it->p + 4);
            it->p += 8;
            const char *name = str_at(f, f->strings_off, f->strings_size, nameoff);
            if (!name || len > f->struct_size - it->p)
                break;
            *t = (struct fdt_tok){FDT_TOK_PROP, it->depth, name, s + it->p, len};
            it->p += (len + 3) & ~3u;
            if (it->p > f->struct_size) /* padding past the end: the next read stops */
                it->p = f->struct_size;
            return t->kind;
        }
        if (tok != FDT_NOP)
            break; /* FDT_END or garbage */
    }
    it->p = f->struct_size; /* done for good */
    *t = (struct fdt_tok){FDT_TOK_DONE, it->depth, 0, 0, 0};
    return FDT_TOK_DONE;
}

bool fdt_u32(const struct fdt_tok *t, uint32_t *out)
{
    if (t->kind != FDT_TOK_PROP || t->len != 4)
        return false;
    *out = fdt_be32(t->val);
    return true;
}

const char *fdt_str(const struct fdt_tok *t)
{
    if (t->kind != FDT_TOK_PROP || !t->len || t->val[t->len - 1])
        return 0;
    return strlen((const char *)t->val) + 1 == t->len ? (const char *)t->val : 0;
}
