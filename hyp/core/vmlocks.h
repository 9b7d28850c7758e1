/* SPDX-License-Identifier: MIT */
/**
 * vmlocks.h - the one lock order for code that holds several VMs' locks at once (grants,
 * event-channel ports): two VMs' locks lower index first, all of them in index order. Pure:
 * the lock and unlock operations are the caller's hooks, so host tests can check the order.
 */
#ifndef EMV_VMLOCKS_H
#define EMV_VMLOCKS_H

typedef void vm_lock_fn(void *ctx, unsigned vm);

static inline void vm_lock2(vm_lock_fn *lock, void *ctx, unsigned a, unsigned b)
{
    lock(ctx, a < b ? a : b);
    if (a != b)
        lock(ctx, a < b ? b : a);
}

static inline void vm_unlock2(vm_lock_fn *unlock, void *ctx, unsigned a, unsigned b)
{
    unlock(ctx, a);
    if (a != b)
        unlock(ctx, b);
}

static inline void vm_lock_all(vm_lock_fn *lock, void *ctx, unsigned nr_vms)
{
    for (unsigned i = 0; i < nr_vms; i++)
        lock(ctx, i);
}

static inline void vm_unlock_all(vm_lock_fn *unlock, void *ctx, unsigned nr_vms)
{
    for (unsigned i = 0; i < nr_vms; i++)
        unlock(ctx, i);
}

#endif
