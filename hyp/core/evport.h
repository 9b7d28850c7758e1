/* SPDX-License-Identifier: MIT */
/**
 * evport.h - event-channel ports: pending and mask bits per port, and the ports VMs bind at
 * run time (docs/abi.md, "Event channels").
 *
 * Pure bookkeeping, host unit-tested (tests/unit/test_evport.c): locking and the upcall go
 * through hooks, as in grant.h. VMs are named by index (0-based position in the config).
 *
 * A VM's ports are the indices of its object table. The config's objects take the first
 * `nr_fixed` indices: its channel ends there are ports whose other end never changes (they
 * are notified through the config, not through this table). Every index from nr_fixed up to
 * EMV_MAX_OBJS is free for a run-time port, shaped like Xen's interdomain event channels:
 *
 *   FREE --alloc_unbound(peer)--> UNBOUND (reserved for peer) --peer binds--> BOUND (peer, port)
 *   BOUND --either end closes--> the closer's end FREE, the other end UNBOUND (for the closer)
 *
 * A run-time port's peer VM is fixed from its allocation to its close; only the port's own VM
 * frees it. Notifying an UNBOUND port fails with -EMV_EPIPE.
 *
 * Locking: each VM's ports have a lock (the hooks). A VM's port entries change only under
 * its lock; an operation on both ends of a channel (bind, close of a bound port) holds both
 * locks, lower VM index first; a notify holds only the sender's (the receiver's end of a
 * bound pair changes only with the sender's lock held too, so under it the pair is stable).
 * A VM that goes down takes every lock. Pending and mask bits are atomics: any CPU sets them.
 */
#ifndef EMV_EVPORT_H
#define EMV_EVPORT_H

#include "emv/objects.h"
#include "emv/types.h"
#include "core/config.h"

enum { EVP_FREE, EVP_UNBOUND, EVP_BOUND };

struct evport {
    uint8_t state; /**< EVP_*; fixed (config) ports are never in this table's care */
    uint8_t peer;  /**< UNBOUND: the VM it is reserved for; BOUND: the VM of the other end */
    uint8_t rport; /**< BOUND: the other end's port */
};

struct evport_vm {
    bool up;           /**< running: may allocate and bind, and be bound to */
    uint32_t nr_fixed; /**< the config's objects: run-time ports are the indices from here */
    struct evport p[EMV_MAX_OBJS];
    uint64_t pending;                         /**< bit i: port i notified, not yet polled */
    uint64_t mask;                            /**< bit i: port i raises nothing */
    uint64_t allocs, binds, closes, notifies; /**< run-time ports, for the report */
};

struct evport_hooks {
    void (*raise)(void *ctx, unsigned vm); /**< the upcall (EMV_VIRQ_EVENT) in VM @vm */
    void (*lock)(void *ctx, unsigned vm);
    void (*unlock)(void *ctx, unsigned vm);
    void *ctx;
};

struct evport_sys {
    unsigned nr_vms;
    const struct evport_hooks *h;
    struct evport_vm vm[EMV_MAX_VMS];
};

void evport_init(struct evport_sys *s, unsigned nr_vms, const struct evport_hooks *h);
/** VM @vm runs from now on, with @nr_fixed config objects; its bits are clear. */
void evport_vm_up(struct evport_sys *s, unsigned vm, uint32_t nr_fixed);
/** VM @vm stopped (or restarts): its run-time ports are closed, their bound peers' ends go
 *  back to unbound; it can no longer allocate, bind or be bound to until evport_vm_up. */
void evport_vm_down(struct evport_sys *s, unsigned vm);

/** Mark @vm's @port pending (@vm, @port in range); true if the upcall is due: the port was
 *  not pending and is not masked. Inline: it is on the notify path of every channel. */
static inline bool evport_pend(struct evport_sys *s, unsigned vm, unsigned port)
{
    struct evport_vm *v = &s->vm[vm];
    uint64_t bit = 1ULL << port;
    uint64_t old = __atomic_fetch_or(&v->pending, bit, __ATOMIC_SEQ_CST);
    return !(old & bit) && !(__atomic_load_n(&v->mask, __ATOMIC_SEQ_CST) & bit);
}

/** Mark @vm's @port pending and raise the upcall (the hook) if evport_pend says so. */
void evport_signal(struct evport_sys *s, unsigned vm, unsigned port);

/** All of @vm's pending ports (@vm in range), cleared. */
static inline uint64_t evport_poll(struct evport_sys *s, unsigned vm)
{
    return __atomic_exchange_n(&s->vm[vm].pending, 0, __ATOMIC_SEQ_CST);
}
/** Mask or unmask @vm's @port (a config port, or a run-time port the caller checked);
 *  unmasking a pending port raises the upcall. */
void evport_set_mask(struct evport_sys *s, unsigned vm, unsigned port, bool mask);

/** A new unbound port of @vm reserved for @peer: its index, or -EMV_ENOMEM (no free index),
 *  -EMV_EPIPE (@peer is not running), -EMV_EINVAL (@peer is @vm or not a VM). */
int evport_alloc_unbound(struct evport_sys *s, unsigned vm, unsigned peer);
/** Bind a new port of @vm to @peer's @rport: the new port's index, or -EMV_EINVAL (@rport is
 *  not a run-time port of @peer's), -EMV_EPERM (it is unbound but reserved for another VM),
 *  -EMV_EEXIST (it is bound already), -EMV_ENOMEM (no free index in @vm's table),
 *  -EMV_EPIPE (@peer is not running). */
int evport_bind(struct evport_sys *s, unsigned vm, unsigned peer, unsigned rport);
/** Close @vm's run-time @port: 0, or -EMV_EPERM (a config port), -EMV_EINVAL (not an
 *  allocated port). A bound peer's end goes back to unbound (reserved for @vm). */
int evport_close(struct evport_sys *s, unsigned vm, unsigned port);
/** Notify through @vm's run-time @port: 0, or -EMV_EINVAL (not an allocated port),
 *  -EMV_EPIPE (unbound: no other end). */
int evport_notify(struct evport_sys *s, unsigned vm, unsigned port);
/** The VM @vm's run-time @port is for (bound to, or reserved for): 0 and *@peer, or
 *  -EMV_EINVAL (not an allocated port). */
int evport_peer(struct evport_sys *s, unsigned vm, unsigned port, unsigned *peer);
/** Mask or unmask @vm's run-time @port: 0, or -EMV_EINVAL (not an allocated port). */
int evport_mask(struct evport_sys *s, unsigned vm, unsigned port, bool mask);

#endif
