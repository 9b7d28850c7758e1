/* SPDX-License-Identifier: MIT */
/*
 * evtchn.c - event channels: asynchronous notifications between two VMs, declared in the
 * config (`channels`) or bound at run time by both ends (config `links`, docs/abi.md).
 *
 * Each VM has a port per channel end it holds: the end's index in its object table (a config
 * end's, or a free index a run-time end took). Per VM, a pending and a mask bit per port
 * (core/evport.h). A notify sets the peer's port pending; the 0 -> 1 change of an unmasked
 * port raises EMV_VIRQ_EVENT in the peer's vCPU 0 (one upcall interrupt for all ports, as
 * Xen's event channels have), which wakes it if blocked. Notifications of a port still pending
 * coalesce; none is lost: the guest collects and clears all pending ports with one poll. A VM
 * only ever names its own ends (decoded by hc_decode_obj), never a peer's: a config end is
 * its object; a run-time end's state is checked by evport.c under the VMs' locks.
 */
#include "core/evport.h"
#include "emv/errno.h"
#include "hyp.h"

static struct evport_sys ports;

static void hook_raise(void *ctx, unsigned vm)
{
    (void)ctx;
    struct vm *m = &vms[vm];
    if (__atomic_load_n(&m->state, __ATOMIC_ACQUIRE) == VM_RUNNING && m->nr_vcpus)
        virq_raise(m->vcpus[0], EMV_VIRQ_EVENT);
}

static void hook_lock(void *ctx, unsigned vm)
{
    (void)ctx;
    spin_lock(&vms[vm].port_lock);
}

static void hook_unlock(void *ctx, unsigned vm)
{
    (void)ctx;
    spin_unlock(&vms[vm].port_lock);
}

static const struct evport_hooks hooks = {hook_raise, hook_lock, hook_unlock, 0};

void evtchn_init(unsigned nr)
{
    evport_init(&ports, nr, &hooks);
}

void evtchn_vm_up(struct vm *vm)
{
    evport_vm_up(&ports, vm->id - 1, vm->cfg->nr_objs);
}

void evtchn_vm_down(struct vm *vm)
{
    evport_vm_down(&ports, vm->id - 1);
}

/* A config end: its other end is fixed by the config. */
static int notify_fixed(const struct emv_obj_cfg *o)
{
    if (o->peer_vm >= nr_vms || o->peer_obj >= EMV_MAX_OBJS)
        return -EMV_EINVAL; /* not from emvcfg: never acts on a bad table */
    struct vm *peer = &vms[o->peer_vm];
    if (__atomic_load_n(&peer->state, __ATOMIC_ACQUIRE) != VM_RUNNING || !peer->nr_vcpus)
        return -EMV_EINVAL;
    if (evport_pend(&ports, o->peer_vm, o->peer_obj))
        virq_raise(peer->vcpus[0], EMV_VIRQ_EVENT);
    return 0;
}

/* The port a decoded call names: c->obj is the config end, or 0 for a run-time port c->arg. */
static unsigned port_of(const struct vm *vm, const struct hc_call *c)
{
    return c->obj ? (unsigned)(c->obj - vm->cfg->objs) : (unsigned)c->arg;
}

int evtchn_peer(struct vm *vm, const struct hc_call *c, unsigned *peer)
{
    if (c->obj) {
        *peer = c->obj->peer_vm;
        return 0;
    }
    return evport_peer(&ports, vm->id - 1, (unsigned)c->arg, peer);
}

int evtchn_notify(struct vm *vm, const struct hc_call *c)
{
    return c->obj ? notify_fixed(c->obj) : evport_notify(&ports, vm->id - 1, (unsigned)c->arg);
}

uint64_t evtchn_poll(struct vm *vm)
{
    return evport_poll(&ports, vm->id - 1);
}

/* The other event-channel hypercalls, decoded (hc_decode.c). */
int64_t evtchn_call(struct vm *vm, const struct hc_call *c, uint64_t *x)
{
    unsigned self = vm->id - 1;
    int r;
    switch (c->nr) {
    case EMV_HC_EVTCHN_MASK:
        if (!c->obj)
            return evport_mask(&ports, self, (unsigned)c->arg, c->arg2);
        evport_set_mask(&ports, self, port_of(vm, c), c->arg2);
        return 0;
    case EMV_HC_EVTCHN_ALLOC_UNBOUND:
        r = evport_alloc_unbound(&ports, self, c->obj->peer_vm);
        break;
    case EMV_HC_EVTCHN_BIND:
        r = evport_bind(&ports, self, c->obj->peer_vm, (unsigned)c->arg2);
        break;
    case EMV_HC_EVTCHN_CLOSE:
        return evport_close(&ports, self, (unsigned)c->arg);
    default:
        return -EMV_ENOSYS;
    }
    if (r < 0)
        return r;
    x[1] = (uint64_t)r;
    return 0;
}

void evtchn_report(void)
{
    for (unsigned i = 0; i < ports.nr_vms; i++) {
        const struct evport_vm *v = &ports.vm[i];
        if (!v->allocs && !v->binds)
            continue;
        unsigned open = 0;
        for (unsigned p = v->nr_fixed; p < EMV_MAX_OBJS; p++)
            open += v->p[p].state != EVP_FREE;
        hyp_log("vm %s ports: allocated=%lu bound=%lu closed=%lu notifies=%lu open=%u", vms[i].name,
                v->allocs, v->binds, v->closes, v->notifies, open);
    }
}
