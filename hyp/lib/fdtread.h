/* SPDX-License-Identifier: MIT */
/**
 * fdtread.h - a small reader of flattened device trees (devicetree specification, chapter 5), for
 * the boot information (docs/abi.md) in minios and the board's device tree in the hypervisor
 * (core/seed.c). Pure: no hardware; host unit-tested (tests/unit/test_minios_bootinfo.c,
 * tests/unit/test_seed.c). Every offset and length is checked against the blob's
 * own size before it is used, so a damaged blob ends a walk early, never reads past its end.
 */
#ifndef EMV_FDTREAD_H
#define EMV_FDTREAD_H

#include <stdbool.h>
#include <stdint.h>

struct fdt_blob {
    const uint8_t *b; /**< NULL: no blob (every walk is empty) */
    uint32_t size, struct_off, struct_size, strings_off, strings_size;
};

/** Check the header of the blob at @p, at most @max bytes long; 0, or -1 (then @f is empty). */
int fdt_blob_init(struct fdt_blob *f, const void *p, uint64_t max);

enum fdt_tok_kind { FDT_TOK_DONE, FDT_TOK_BEGIN, FDT_TOK_END, FDT_TOK_PROP };

struct fdt_tok {
    enum fdt_tok_kind kind;
    unsigned depth;     /**< BEGIN: of the node entered (the root is 1); END: of the node left;
                             PROP: of the node holding it */
    const char *name;   /**< BEGIN: the node's name; PROP: the property's name */
    const uint8_t *val; /**< PROP: its value, @len bytes */
    uint32_t len;
};

struct fdt_iter {
    const struct fdt_blob *f;
    uint32_t p;
    unsigned depth;
};

void fdt_iter_init(struct fdt_iter *it, const struct fdt_blob *f);
/** The next token into @t; FDT_TOK_DONE at the end or at anything malformed. */
enum fdt_tok_kind fdt_next(struct fdt_iter *it, struct fdt_tok *t);

uint32_t fdt_be32(const uint8_t *p);
/** A one-cell property's value into @out; false unless it is exactly 4 bytes. */
bool fdt_u32(const struct fdt_tok *t, uint32_t *out);
/** A string property: the string, or NULL unless it is one NUL-terminated string. */
const char *fdt_str(const struct fdt_tok *t);

#endif
