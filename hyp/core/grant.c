/* SPDX-License-Identifier: MIT */
/* grant.c - run-time grants: bookkeeping only, no hardware access (see grant.h). */
#include "grant.h"

#include "emv/errno.h"
#include "vmlocks.h"

static void lock1(struct grant_sys *s, unsigned vm)
{
    s->h->lock(s->h->ctx, vm);
}

static void unlock1(struct grant_sys *s, unsigned vm)
{
    s->h->unlock(s->h->ctx, vm);
}

#define lock2(s, a, b) vm_lock2((s)->h->lock, (s)->h->ctx, a, b) /* order: vmlocks.h */
#define unlock2(s, a, b) vm_unlock2((s)->h->unlock, (s)->h->ctx, a, b)
#define lock_all(s) vm_lock_all((s)->h->lock, (s)->h->ctx, (s)->nr_vms)
#define unlock_all(s) vm_unlock_all((s)->h->unlock, (s)->h->ctx, (s)->nr_vms)

/* The other VM an operation on VM @a involves, read under a's lock; -1: none (no such grant
 * or mapping). */
typedef int (*other_fn)(const struct grant_sys *s, unsigned a, unsigned arg);

static int live_peer(const struct grant_sys *s, unsigned granter, unsigned ref)
{
    const struct grant *g = &s->vm[granter].g[ref];
    return g->live ? g->peer : -1;
}

static int slot_granter(const struct grant_sys *s, unsigned mapper, unsigned slot)
{
    const struct gslot *e = &s->vm[mapper].slot[slot];
    return e->state != GSLOT_FREE ? e->granter : -1;
}

/*
 * Lock @a and the VM @other names, in index order. That VM is learnt under a's lock, which
 * must be dropped to take the two in order; if the answer changed meanwhile (the VM's other
 * vCPUs revoked and re-granted), every VM's lock is taken instead, so the time spent here is
 * bounded whatever the VM does. Returns the other VM (locked, *@all says how) or -1 (nothing
 * locked).
 */
static int lock_with_other(struct grant_sys *s, unsigned a, unsigned arg, other_fn other, bool *all)
{
    lock1(s, a);
    int b = other(s, a, arg);
    unlock1(s, a);
    if (b < 0)
        return -1;
    lock2(s, a, (unsigned)b);
    *all = false;
    if (other(s, a, arg) == b)
        return b;
    unlock2(s, a, (unsigned)b);
    lock_all(s);
    *all = true;
    b = other(s, a, arg);
    if (b < 0)
        unlock_all(s);
    return b;
}

static void unlock_with_other(struct grant_sys *s, unsigned a, unsigned b, bool all)
{
    if (all)
        unlock_all(s);
    else
        unlock2(s, a, b);
}

void grant_init(struct grant_sys *s, unsigned nr_vms, const struct grant_hooks *h)
{
    s->nr_vms = nr_vms < EMV_MAX_VMS ? nr_vms : EMV_MAX_VMS;
    s->h = h;
    for (unsigned i = 0; i < EMV_MAX_VMS; i++)
        s->vm[i] = (struct grant_vm){0};
}

void grant_vm_up(struct grant_sys *s, unsigned vm)
{
    if (vm >= s->nr_vms)
        return;
    lock1(s, vm);
    s->vm[vm].up = true;
    unlock1(s, vm);
}

/* Both VMs locked. */
static int create_locked(struct grant_sys *s, unsigned granter, unsigned peer, paddr_t pa,
                         unsigned pages, bool ro)
{
    struct grant_vm *gv = &s->vm[granter];
    if (!gv->up || !s->vm[peer].up)
        return -EMV_EINVAL;
    for (unsigned ref = 0; ref < EMV_GRANT_MAX; ref++) {
        if (gv->g[ref].live)
            continue;
        gv->g[ref] = (struct grant){
            .live = true, .ro = ro, .peer = (uint8_t)peer, .pages = (uint8_t)pages, .pa = pa};
        gv->live++;
        gv->created++;
        return (int)ref;
    }
    return -EMV_ENOMEM;
}

int grant_create(struct grant_sys *s, unsigned granter, unsigned peer, paddr_t pa, unsigned pages,
                 bool ro)
{
    if (granter >= s->nr_vms || peer >= s->nr_vms || peer == granter || !pages ||
        pages > EMV_GRANT_MAX_PAGES)
        return -EMV_EINVAL;
    lock2(s, granter, peer); /* the peer's lock: it cannot be going down meanwhile */
    int r = create_locked(s, granter, peer, pa, pages, ro);
    unlock2(s, granter, peer);
    return r;
}

/* Window pages [at, at + n) as a mask. */
static uint64_t run_mask(unsigned at, unsigned n)
{
    return (n >= 64 ? ~0ULL : (1ULL << n) - 1) << at;
}

/* First fit: the lowest @n free window pages in a row, or -1. */
static int window_find(uint64_t used, unsigned n)
{
    for (unsigned at = 0; at + n <= EMV_GRANT_WINDOW_PAGES; at++)
        if (!(used & run_mask(at, n)))
            return (int)at;
    return -1;
}

/* The granter's and the peer's locks held: end grant @ref, removing the peer's mapping
 * first. The peer's window pages stay taken (REVOKED) until it unmaps them, so that it never
 * finds other pages at an address it still uses: its accesses there fault instead. */
static void end_grant(struct grant_sys *s, unsigned granter, unsigned ref)
{
    struct grant_vm *gv = &s->vm[granter];
    struct grant *g = &gv->g[ref];
    if (g->mapped) {
        struct grant_vm *pv = &s->vm[g->peer];
        s->h->unmap(s->h->ctx, g->peer, grant_slot_ipa(g->slot), g->pages);
        pv->slot[g->slot].state = GSLOT_REVOKED;
        pv->mapped_pages -= g->pages;
        gv->revoked_while_mapped++;
    }
    g->live = false;
    g->mapped = false;
    gv->live--;
}

int grant_revoke(struct grant_sys *s, unsigned granter, unsigned ref)
{
    bool all;
    if (granter >= s->nr_vms || ref >= EMV_GRANT_MAX)
        return -EMV_EINVAL;
    int peer = lock_with_other(s, granter, ref, live_peer, &all);
    if (peer < 0)
        return -EMV_EINVAL;
    end_grant(s, granter, ref);
    unlock_with_other(s, granter, (unsigned)peer, all);
    return 0;
}

/* Both VMs locked. */
static int map_locked(struct grant_sys *s, unsigned mapper, unsigned granter, unsigned ref,
                      struct grant_mapped *out)
{
    struct grant_vm *mv = &s->vm[mapper], *gv = &s->vm[granter];
    struct grant *g = &gv->g[ref];
    if (!mv->up || !gv->up || !g->live)
        return -EMV_EINVAL;
    if (g->peer != mapper)
        return -EMV_EPERM;
    if (g->mapped)
        return -EMV_EEXIST;
    int at = window_find(mv->window, g->pages);
    if (at < 0 ||
        s->h->map(s->h->ctx, mapper, grant_slot_ipa((unsigned)at), g->pa, g->pages, g->ro))
        return -EMV_ENOMEM;
    mv->window |= run_mask((unsigned)at, g->pages);
    mv->slot[at] = (struct gslot){GSLOT_MAPPED, (uint8_t)granter, (uint8_t)ref, g->pages};
    mv->mapped_pages += g->pages;
    mv->maps++;
    g->mapped = true;
    g->slot = (uint8_t)at;
    *out = (struct grant_mapped){(unsigned)at, g->pages, g->ro};
    return 0;
}

int grant_map(struct grant_sys *s, unsigned mapper, unsigned granter, unsigned ref,
              struct grant_mapped *out)
{
    if (mapper >= s->nr_vms || granter >= s->nr_vms || ref >= EMV_GRANT_MAX)
        return -EMV_EINVAL;
    lock2(s, mapper, granter);
    int r = map_locked(s, mapper, granter, ref, out);
    unlock2(s, mapper, granter);
    return r;
}

/* The mapper's and the granter's locks held: drop the mapping that starts at @slot.
 * Returns 1 if it had been revoked (only window space was left), else 0. */
static int drop_slot(struct grant_sys *s, unsigned mapper, unsigned slot)
{
    struct grant_vm *mv = &s->vm[mapper];
    struct gslot *e = &mv->slot[slot];
    int revoked = e->state == GSLOT_REVOKED;
    if (!revoked) {
        s->h->unmap(s->h->ctx, mapper, grant_slot_ipa(slot), e->pages);
        s->vm[e->granter].g[e->ref].mapped = false;
        mv->mapped_pages -= e->pages;
    }
    mv->window &= ~run_mask(slot, e->pages);
    e->state = GSLOT_FREE;
    return revoked;
}

int grant_unmap(struct grant_sys *s, unsigned mapper, unsigned slot)
{
    bool all;
    if (mapper >= s->nr_vms || slot >= EMV_GRANT_WINDOW_PAGES)
        return -EMV_EINVAL;
    int granter = lock_with_other(s, mapper, slot, slot_granter, &all);
    if (granter < 0)
        return -EMV_EINVAL;
    int r = drop_slot(s, mapper, slot);
    unlock_with_other(s, mapper, (unsigned)granter, all);
    return r;
}

/* Every mapping in @vm's window of a grant by @granter goes. */
static void drop_mappings_from(struct grant_sys *s, unsigned vm, unsigned granter)
{
    lock2(s, vm, granter);
    for (unsigned slot = 0; slot < EMV_GRANT_WINDOW_PAGES; slot++)
        if (slot_granter(s, vm, slot) == (int)granter)
            drop_slot(s, vm, slot);
    unlock2(s, vm, granter);
}

void grant_vm_down(struct grant_sys *s, unsigned vm)
{
    bool all;
    if (vm >= s->nr_vms)
        return;
    lock1(s, vm);
    s->vm[vm].up = false; /* from now on nothing new: no grant, no map, by it or to it */
    unlock1(s, vm);
    for (unsigned ref = 0; ref < EMV_GRANT_MAX; ref++) {
        int peer = lock_with_other(s, vm, ref, live_peer, &all);
        if (peer < 0)
            continue;
        end_grant(s, vm, ref);
        unlock_with_other(s, vm, (unsigned)peer, all);
    }
    for (unsigned g = 0; g < s->nr_vms; g++)
        drop_mappings_from(s, vm, g);
}
