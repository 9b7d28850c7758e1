/* SPDX-License-Identifier: MIT */
/**
 * grant.h - run-time grants: a VM lets one peer map pages of its own RAM (docs/abi.md, Grants).
 *
 * Pure bookkeeping, host unit-tested: which grants each VM has made (its grant table, indexed
 * by reference) and what each VM has mapped in its grant window. Stage-2 changes and locking
 * go through hooks, so the same code runs in the hypervisor and in tests/unit/test_grant.c.
 * VMs are named by index (0-based position in the config). Arguments arrive decoded
 * (hc_decode.c): pages in the granter's RAM, 1..EMV_GRANT_MAX_PAGES of them, references
 * below EMV_GRANT_MAX, window slots below EMV_GRANT_WINDOW_PAGES. What depends on state
 * (live, meant for the caller, mapped already) is checked here, under the VMs' locks.
 *
 * Locking: each VM's grant state has a lock. An operation that touches two VMs (map, unmap,
 * revoke, stop) holds both, taken in VM index order, so no two CPUs can deadlock; the
 * unmap hook (stage-2 removal and a broadcast TLB invalidation) waits for no other CPU.
 */
#ifndef EMV_GRANT_H
#define EMV_GRANT_H

#include "emv/objects.h"
#include "emv/types.h"
#include "core/config.h"

/** One grant: pages of the granter's RAM, for one peer. */
struct grant {
    bool live;
    bool ro;
    bool mapped;   /**< the peer has it mapped, at window slot `slot` */
    uint8_t peer;  /**< VM index */
    uint8_t slot;  /**< the first page of the peer's mapping in its window */
    uint8_t pages; /**< 1..EMV_GRANT_MAX_PAGES */
    paddr_t pa;    /**< first page */
};

enum { GSLOT_FREE, GSLOT_MAPPED, GSLOT_REVOKED };

/** What the window page that starts a mapping holds (the others of it are only taken). */
struct gslot {
    uint8_t state; /**< GSLOT_*: REVOKED keeps the IPA range taken until the mapper unmaps */
    uint8_t granter, ref, pages;
};

struct grant_vm {
    bool up; /**< running: may grant, map and be granted to */
    struct grant g[EMV_GRANT_MAX];
    uint64_t window; /**< bit i: window page i taken */
    struct gslot slot[EMV_GRANT_WINDOW_PAGES];
    unsigned live;         /**< grants outstanding */
    unsigned mapped_pages; /**< window pages mapped now (not counting revoked ones) */
    uint64_t created, maps, revoked_while_mapped;
};

/** Where grant_map put a grant. */
struct grant_mapped {
    unsigned slot; /**< the first window page */
    unsigned pages;
    bool ro;
};

struct grant_hooks {
    /** Map @pages pages from @pa at @ipa of VM @vm (read-only if @ro, never executable);
     *  0 or -1 (nothing left mapped). */
    int (*map)(void *ctx, unsigned vm, ipa_t ipa, paddr_t pa, unsigned pages, bool ro);
    /** Remove them: when this returns no CPU can reach the pages through VM @vm's stage 2. */
    void (*unmap)(void *ctx, unsigned vm, ipa_t ipa, unsigned pages);
    void (*lock)(void *ctx, unsigned vm);
    void (*unlock)(void *ctx, unsigned vm);
    void *ctx;
};

struct grant_sys {
    unsigned nr_vms;
    const struct grant_hooks *h;
    struct grant_vm vm[EMV_MAX_VMS];
};

/** The IPA of window page @slot. */
static inline ipa_t grant_slot_ipa(unsigned slot)
{
    return EMV_GRANT_IPA_BASE + (ipa_t)slot * PAGE_SIZE;
}

void grant_init(struct grant_sys *s, unsigned nr_vms, const struct grant_hooks *h);
/** VM @vm runs from now on (its window's tables exist). */
void grant_vm_up(struct grant_sys *s, unsigned vm);
/** A new grant; returns its reference, or -EMV_EINVAL (a peer that is not running or the
 *  granter itself), -EMV_ENOMEM (EMV_GRANT_MAX outstanding). */
int grant_create(struct grant_sys *s, unsigned granter, unsigned peer, paddr_t pa, unsigned pages,
                 bool ro);
/** End grant @ref; if the peer has it mapped, the unmap hook has run when this returns.
 *  0, or -EMV_EINVAL (no such grant). */
int grant_revoke(struct grant_sys *s, unsigned granter, unsigned ref);
/** Map @granter's grant @ref into @mapper's window; 0 and *@out, or -EMV_EINVAL (no such
 *  grant), -EMV_EPERM (meant for another VM), -EMV_EEXIST (mapped already), -EMV_ENOMEM
 *  (no room in the window). */
int grant_map(struct grant_sys *s, unsigned mapper, unsigned granter, unsigned ref,
              struct grant_mapped *out);
/** Unmap the mapping that starts at window page @slot: 0, 1 (it had been revoked; only the
 *  window space was left), or -EMV_EINVAL (no mapping starts there). */
int grant_unmap(struct grant_sys *s, unsigned mapper, unsigned slot);
/** VM @vm stopped: its grants are revoked (peers' mappings removed), its own mappings
 *  removed and its window emptied; it can neither grant nor map nor be granted to again. */
void grant_vm_down(struct grant_sys *s, unsigned vm);

#endif
