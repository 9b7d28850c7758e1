/* SPDX-License-Identifier: MIT */
/*
 * evtchn.c - event channels: asynchronous notifications between two VMs (config `channels`).
 *
 * Each VM has a port per channel end it holds: the end's index in its object table. Per VM,
 * a pending and a mask bit per port. A notify sets the peer's port pending; the 0 -> 1 change
 * of an unmasked port raises EMV_VIRQ_EVENT in the peer's vCPU 0 (one upcall interrupt for all
 * ports, as Xen's event channels have), which wakes it if blocked. Notifications of a port
 * still pending coalesce; none is lost: the guest collects and clears all pending ports with
 * one poll. A VM only ever names its own ends (decoded by hc_decode_obj), never a peer's.
 */
#include "emv/errno.h"
#include "hyp.h"

int evtchn_notify(const struct emv_obj_cfg *o)
{
    if (o->peer_vm >= nr_vms || o->peer_obj >= EMV_MAX_OBJS)
        return -EMV_EINVAL; /* not from emvcfg: never acts on a bad table */
    struct vm *peer = &vms[o->peer_vm];
    if (__atomic_load_n(&peer->state, __ATOMIC_ACQUIRE) != VM_RUNNING || !peer->nr_vcpus)
        return -EMV_EINVAL;
    uint64_t bit = 1ULL << o->peer_obj;
    uint64_t old = __atomic_fetch_or(&peer->ev_pending, bit, __ATOMIC_SEQ_CST);
    if (!(old & bit) && !(__atomic_load_n(&peer->ev_mask, __ATOMIC_SEQ_CST) & bit))
        virq_raise(peer->vcpus[0], EMV_VIRQ_EVENT);
    return 0;
}

uint64_t evtchn_poll(struct vm *vm)
{
    return __atomic_exchange_n(&vm->ev_pending, 0, __ATOMIC_SEQ_CST);
}

void evtchn_mask(struct vm *vm, uint32_t port, bool mask)
{
    uint64_t bit = 1ULL << port;
    if (mask) {
        __atomic_fetch_or(&vm->ev_mask, bit, __ATOMIC_SEQ_CST);
        return;
    }
    __atomic_fetch_and(&vm->ev_mask, ~bit, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&vm->ev_pending, __ATOMIC_SEQ_CST) & bit)
        virq_raise(vm->vcpus[0], EMV_VIRQ_EVENT); /* what came while masked */
}
