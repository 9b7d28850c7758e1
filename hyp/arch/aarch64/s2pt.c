/* SPDX-License-Identifier: MIT */
/* s2pt.c - build stage-2 tables. No hardware access: see s2pt.h. */
#include "s2pt.h"

#define ENTRIES 512
#define LEVEL_SHIFT(l) (12 + 9 * (3 - (l))) /* level 1: 30, 2: 21, 3: 12 */
#define LEVEL_SIZE(l) (1UL << LEVEL_SHIFT(l))
#define INDEX(ipa, l) (((ipa) >> LEVEL_SHIFT(l)) & (ENTRIES - 1))

int s2pt_init(struct s2pt *pt, const struct pt_alloc *alloc)
{
    pt->alloc = alloc;
    pt->root = alloc->alloc_page(alloc->ctx);
    if (!pt->root)
        return S2_ENOMEM;
    pt->root_pa = alloc->to_phys(alloc->ctx, pt->root);
    return 0;
}

/* Stage-2 leaf attributes (Arm ARM D8.5.5): memory type, S2AP, shareability, XN. */
static uint64_t leaf_bits(enum s2_attr attr, int level)
{
    uint64_t d = S2_DESC_VALID | S2_AF;
    if (level == 3)
        d |= S2_DESC_TABLE; /* a page descriptor has bit 1 set at level 3 */
    switch (attr) {
    case S2_NORMAL_RWX:
        return d | S2_AP_RW | S2_MEMATTR_NORMAL_WB | S2_SH_INNER;
    case S2_SHARED_RW:
        return d | S2_AP_RW | S2_MEMATTR_NORMAL_WB | S2_SH_INNER | S2_XN;
    case S2_SHARED_RO:
        return d | S2_AP_RO | S2_MEMATTR_NORMAL_WB | S2_SH_INNER | S2_XN;
    default:
        return d | S2_AP_RW | S2_MEMATTR_DEVICE_nGnRE | S2_XN;
    }
}

/* The mapping kind a leaf descriptor encodes (the inverse of leaf_bits). */
static enum s2_attr leaf_attr(uint64_t e)
{
    if ((e & S2_MEMATTR_MASK) != S2_MEMATTR_NORMAL_WB)
        return S2_DEVICE_RW;
    if (!(e & S2_XN))
        return S2_NORMAL_RWX;
    return (e & S2_AP_MASK) == S2_AP_RW ? S2_SHARED_RW : S2_SHARED_RO;
}

/* The next-level table under *entry, allocating it if the entry is empty. */
static uint64_t *next_table(struct s2pt *pt, uint64_t *entry, int *err)
{
    if (*entry & S2_DESC_VALID) {
        if (!(*entry & S2_DESC_TABLE)) {
            *err = S2_EEXIST; /* a block already covers this range */
            return NULL;
        }
        return pt->alloc->to_virt(pt->alloc->ctx, *entry & S2_ADDR_MASK);
    }
    uint64_t *t = pt->alloc->alloc_page(pt->alloc->ctx);
    if (!t) {
        *err = S2_ENOMEM;
        return NULL;
    }
    *entry = pt->alloc->to_phys(pt->alloc->ctx, t) | S2_DESC_VALID | S2_DESC_TABLE;
    return t;
}

/* Map one leaf (block or page) of the given level. */
static int map_leaf(struct s2pt *pt, ipa_t ipa, paddr_t pa, int leaf_level, enum s2_attr attr)
{
    uint64_t *table = pt->root;
    for (int l = 1; l < leaf_level; l++) {
        int err = 0;
        table = next_table(pt, &table[INDEX(ipa, l)], &err);
        if (!table)
            return err;
    }
    uint64_t *e = &table[INDEX(ipa, leaf_level)];
    if (*e & S2_DESC_VALID)
        return S2_EEXIST;
    *e = pa | leaf_bits(attr, leaf_level);
    return 0;
}

int s2pt_map(struct s2pt *pt, ipa_t ipa, paddr_t pa, uint64_t size, enum s2_attr attr)
{
    if (!size || !IS_ALIGNED(ipa | pa | size, PAGE_SIZE) || ipa >= S2_IPA_LIMIT ||
        size > S2_IPA_LIMIT - ipa || (pa & ~S2_ADDR_MASK))
        return S2_EINVAL;
    if (attr < S2_NORMAL_RWX || attr > S2_SHARED_RO)
        return S2_EINVAL;
    while (size) {
        int level = 3;
        if (IS_ALIGNED(ipa | pa, LEVEL_SIZE(2)) && size >= LEVEL_SIZE(2))
            level = 2;
        int err = map_leaf(pt, ipa, pa, level, attr);
        if (err)
            return err;
        ipa += LEVEL_SIZE(level);
        pa += LEVEL_SIZE(level);
        size -= LEVEL_SIZE(level);
    }
    return 0;
}

static bool range_ok(ipa_t ipa, uint64_t size)
{
    return size && IS_ALIGNED(ipa | size, PAGE_SIZE) && ipa < S2_IPA_LIMIT &&
           size <= S2_IPA_LIMIT - ipa;
}

int s2pt_prealloc(struct s2pt *pt, ipa_t ipa, uint64_t size)
{
    if (!range_ok(ipa, size))
        return S2_EINVAL;
    ipa_t end = ipa + size;
    for (ipa_t a = ipa & ~(LEVEL_SIZE(2) - 1); a < end; a += LEVEL_SIZE(2)) {
        uint64_t *table = pt->root;
        for (int l = 1; l < 3 && table; l++) {
            int err = 0;
            table = next_table(pt, &table[INDEX(a, l)], &err);
            if (!table)
                return err;
        }
    }
    return 0;
}

/* The leaf entry that maps @ipa and its level, or NULL (nothing mapped there). */
static uint64_t *find_leaf(const struct s2pt *pt, ipa_t ipa, int *level)
{
    uint64_t *table = pt->root;
    for (int l = 1; l <= 3; l++) {
        uint64_t *e = &table[INDEX(ipa, l)];
        if (!(*e & S2_DESC_VALID))
            return NULL;
        if (l == 3 || !(*e & S2_DESC_TABLE)) {
            *level = l;
            return e;
        }
        table = pt->alloc->to_virt(pt->alloc->ctx, *e & S2_ADDR_MASK);
    }
    return NULL;
}

/* One pass over the range: check only (@clear false) or remove. Returns pages mapped. */
static int unmap_pass(struct s2pt *pt, ipa_t ipa, uint64_t size, bool clear)
{
    int pages = 0;
    for (ipa_t a = ipa, end = ipa + size; a < end;) {
        int level = 3;
        uint64_t *e = find_leaf(pt, a, &level);
        uint64_t step = e ? LEVEL_SIZE(level) : PAGE_SIZE;
        if (e && (!IS_ALIGNED(a, step) || end - a < step))
            return S2_EINVAL; /* would split a block */
        if (e) {
            pages += (int)(step / PAGE_SIZE);
            if (clear)
                *e = 0;
        }
        a += step;
    }
    return pages;
}

int s2pt_unmap(struct s2pt *pt, ipa_t ipa, uint64_t size)
{
    if (!range_ok(ipa, size))
        return S2_EINVAL;
    int r = unmap_pass(pt, ipa, size, false);
    return r < 0 ? r : unmap_pass(pt, ipa, size, true);
}

int s2pt_lookup(const struct s2pt *pt, ipa_t ipa, paddr_t *pa, enum s2_attr *attr, int *level)
{
    if (ipa >= S2_IPA_LIMIT)
        return S2_EINVAL;
    const uint64_t *table = pt->root;
    for (int l = 1; l <= 3; l++) {
        uint64_t e = table[INDEX(ipa, l)];
        if (!(e & S2_DESC_VALID))
            return S2_EINVAL;
        bool is_table = (e & S2_DESC_TABLE) && l < 3;
        if (!is_table) {
            uint64_t off = ipa & (LEVEL_SIZE(l) - 1);
            *pa = (e & S2_ADDR_MASK & ~(LEVEL_SIZE(l) - 1)) + off;
            *attr = leaf_attr(e);
            if (level)
                *level = l;
            return 0;
        }
        table = pt->alloc->to_virt(pt->alloc->ctx, e & S2_ADDR_MASK);
    }
    return S2_EINVAL;
}

/* Free the tables under @table (a table of @level) and then @table itself. */
static void free_tables(struct s2pt *pt, uint64_t *table, int level)
{
    for (unsigned i = 0; level < 3 && i < ENTRIES; i++) {
        uint64_t e = table[i];
        if ((e & S2_DESC_VALID) && (e & S2_DESC_TABLE))
            free_tables(pt, pt->alloc->to_virt(pt->alloc->ctx, e & S2_ADDR_MASK), level + 1);
    }
    pt->alloc->free_page(pt->alloc->ctx, table);
}

void s2pt_destroy(struct s2pt *pt)
{
    if (!pt->root)
        return;
    free_tables(pt, pt->root, 1);
    pt->root = 0;
    pt->root_pa = 0;
}
