/* SPDX-License-Identifier: MIT */
/**
 * s2pt.h - stage-2 translation table construction (Arm ARM D8.3, VMSAv8-64 descriptors).
 *
 * 4 KiB granule, 39-bit IPA space, walk starting at level 1 (VTCR_EL2.T0SZ = 25, SL0 = 1).
 * Pure logic: table pages come from a caller-supplied allocator and are addressed through
 * its phys/virt hooks, so the same code builds real tables in the hypervisor and inspectable
 * ones in host unit tests.
 */
#ifndef EMV_S2PT_H
#define EMV_S2PT_H

#include "emv/types.h"

#define S2_IPA_BITS 39
#define S2_IPA_LIMIT (1UL << S2_IPA_BITS)

/** Mapping kinds. */
enum s2_attr {
    S2_NORMAL_RWX = 1, /**< guest RAM: Normal write-back, read/write/execute */
    S2_DEVICE_RW = 2,  /**< passed-through MMIO: Device-nGnRE, never executable */
    S2_SHARED_RW = 3,  /**< shared memory: Normal write-back, read/write, never executable */
    S2_SHARED_RO = 4,  /**< shared memory: Normal write-back, read-only, never executable */
};

struct pt_alloc {
    void *(*alloc_page)(void *ctx);         /**< zeroed, 4 KiB aligned; NULL when exhausted */
    void (*free_page)(void *ctx, void *va); /**< gives a page of alloc_page back */
    paddr_t (*to_phys)(void *ctx, void *va);
    void *(*to_virt)(void *ctx, paddr_t pa);
    void *ctx;
};

struct s2pt {
    uint64_t *root; /**< level-1 table (512 entries) */
    paddr_t root_pa;
    const struct pt_alloc *alloc;
};

/** Error codes (negative). */
#define S2_EINVAL (-1) /**< misaligned, empty or outside the IPA space */
#define S2_ENOMEM (-2) /**< the allocator ran out of pages */
#define S2_EEXIST (-3) /**< part of the range is mapped already */

int s2pt_init(struct s2pt *pt, const struct pt_alloc *alloc);
/** Map [ipa, ipa+size) to [pa, pa+size), using 2 MiB blocks wherever both are aligned. */
int s2pt_map(struct s2pt *pt, ipa_t ipa, paddr_t pa, uint64_t size, enum s2_attr attr);
/** Allocate every table down to level 3 for [ipa, ipa+size) without mapping anything, so
 *  that page mappings made there later (s2pt_map of 4 KiB pieces) never allocate: how a VM's
 *  grant window gets its tables at creation. S2_EEXIST if a block covers part of the range. */
int s2pt_prealloc(struct s2pt *pt, ipa_t ipa, uint64_t size);
/** Remove the leaves of [ipa, ipa+size): pages, and 2 MiB blocks the range covers whole.
 *  Table pages stay in place (so a later map there allocates nothing). All or nothing: a
 *  range that covers part of a block changes nothing and gives S2_EINVAL. Returns the number
 *  of 4 KiB pages that were mapped. The caller invalidates the TLBs. */
int s2pt_unmap(struct s2pt *pt, ipa_t ipa, uint64_t size);
/** Give every table page back to the allocator (a VM that failed to start or is gone);
 *  the tables must no longer be in use by any CPU. */
void s2pt_destroy(struct s2pt *pt);
/** Translate one IPA; returns 0 and fills pa/attr/level, or S2_EINVAL when unmapped. */
int s2pt_lookup(const struct s2pt *pt, ipa_t ipa, paddr_t *pa, enum s2_attr *attr, int *level);

/* Descriptor bits, exposed for the tests. */
#define S2_DESC_VALID (1UL << 0)
#define S2_DESC_TABLE (1UL << 1) /* at levels 1-2: table; at level 3: page */
#define S2_MEMATTR_NORMAL_WB (0xfUL << 2)
#define S2_MEMATTR_DEVICE_nGnRE (0x1UL << 2)
#define S2_MEMATTR_MASK (0xfUL << 2)
#define S2_AP_RW (3UL << 6)
#define S2_AP_RO (1UL << 6)
#define S2_AP_MASK (3UL << 6)
#define S2_SH_INNER (3UL << 8)
#define S2_AF (1UL << 10)
#define S2_XN (1UL << 54)
#define S2_ADDR_MASK 0x0000fffffffff000UL

#endif
