/* SPDX-License-Identifier: MIT */
/*
 * vm_grant.c - run-time grants (core/grant.h, docs/abi.md "Grants") on the VMs' stage-2
 * tables: the hooks that map into and unmap from a VM's grant window, the hypercalls, the
 * report. A VM's window gets its table pages when the VM is created (vm_grant_window), so a
 * grant map never takes a page from the shared pool: no VM can exhaust it at run time.
 */
#include "core/grant.h"
#include "emv/errno.h"
#include "hyp.h"

static struct grant_sys grants;

static int hook_map(void *ctx, unsigned vm, ipa_t ipa, paddr_t pa, unsigned pages, bool ro)
{
    (void)ctx;
    struct vm *m = &vms[vm];
    int r = s2pt_map(&m->s2, ipa, pa, pages * PAGE_SIZE, ro ? S2_SHARED_RO : S2_SHARED_RW);
    if (r) { /* cannot happen with the window's tables in place; leave nothing behind */
        s2pt_unmap(&m->s2, ipa, pages * PAGE_SIZE);
        arch_s2_tlb_inval(m, ipa, pages);
        return -1;
    }
    arch_s2_publish();
    return 0;
}

static void hook_unmap(void *ctx, unsigned vm, ipa_t ipa, unsigned pages)
{
    (void)ctx;
    s2pt_unmap(&vms[vm].s2, ipa, pages * PAGE_SIZE);
    arch_s2_tlb_inval(&vms[vm], ipa, pages);
}

static void hook_lock(void *ctx, unsigned vm)
{
    (void)ctx;
    spin_lock(&vms[vm].grant_lock);
}

static void hook_unlock(void *ctx, unsigned vm)
{
    (void)ctx;
    spin_unlock(&vms[vm].grant_lock);
}

static const struct grant_hooks hooks = {hook_map, hook_unmap, hook_lock, hook_unlock, 0};

void vm_grants_init(unsigned nr)
{
    grant_init(&grants, nr, &hooks);
}

int vm_grant_window(struct vm *vm)
{
    return s2pt_prealloc(&vm->s2, EMV_GRANT_IPA_BASE, EMV_GRANT_WINDOW_PAGES * PAGE_SIZE);
}

void vm_grants_up(struct vm *vm)
{
    grant_vm_up(&grants, vm->id - 1);
}

void vm_grants_down(struct vm *vm)
{
    grant_vm_down(&grants, vm->id - 1);
}

static int64_t grant_map_call(struct vm *vm, const struct hc_call *c, uint64_t *x)
{
    struct grant_mapped m;
    unsigned granter;
    int r = evtchn_peer(vm, c, &granter);
    if (!r)
        r = grant_map(&grants, vm->id - 1, granter, (unsigned)c->arg2, &m);
    if (r)
        return r;
    x[1] = grant_slot_ipa(m.slot);
    x[2] = m.pages;
    x[3] = m.ro ? EMV_GRANT_RO : 0;
    return 0;
}

/* The grant hypercalls, decoded (hc_decode.c): CREATE and MAP name the peer by one of the
 * caller's own channel ends, a config one (c->obj) or a run-time port (bound or unbound). */
int64_t vm_grant_call(struct vm *vm, const struct hc_call *c, uint64_t *x)
{
    unsigned self = vm->id - 1, peer;
    int r;
    switch (c->nr) {
    case EMV_HC_GRANT_CREATE:
        r = evtchn_peer(vm, c, &peer);
        return r ? r
                 : grant_create(&grants, self, peer, c->buf_pa, (unsigned)c->len,
                                c->arg2 & EMV_GRANT_RO);
    case EMV_HC_GRANT_REVOKE:
        return grant_revoke(&grants, self, (unsigned)c->arg);
    case EMV_HC_GRANT_MAP:
        return grant_map_call(vm, c, x);
    case EMV_HC_GRANT_UNMAP:
        return grant_unmap(&grants, self, (unsigned)c->arg);
    default:
        return -EMV_ENOSYS;
    }
}

/* Set bits of @w. Not __builtin_popcountll: libgcc's version uses SIMD registers, which
 * the hypervisor must never touch (they hold a guest's state, switched lazily). */
static unsigned bits_set(uint64_t w)
{
    unsigned n = 0;
    for (; w; w &= w - 1)
        n++;
    return n;
}

void vm_grants_report(void)
{
    hyp_log("stage-2 tables: %u pages in use", vm_pt_pages_used());
    for (unsigned i = 0; i < grants.nr_vms; i++) {
        const struct grant_vm *g = &grants.vm[i];
        if (!g->created && !g->maps)
            continue;
        hyp_log("vm %s grants: outstanding=%u created=%lu revoked-while-mapped=%lu "
                "mapped-pages=%u window-pages=%u maps=%lu",
                vms[i].name, g->live, g->created, g->revoked_while_mapped, g->mapped_pages,
                bits_set(g->window), g->maps);
    }
}
