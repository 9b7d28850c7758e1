/* SPDX-License-Identifier: MIT */
/* evport.c - event-channel ports: bookkeeping only, no hardware access (see evport.h). */
#include "evport.h"

#include "emv/errno.h"
#include "vmlocks.h"

static void lock1(struct evport_sys *s, unsigned vm)
{
    s->h->lock(s->h->ctx, vm);
}

static void unlock1(struct evport_sys *s, unsigned vm)
{
    s->h->unlock(s->h->ctx, vm);
}

#define lock2(s, a, b) vm_lock2((s)->h->lock, (s)->h->ctx, a, b) /* order: vmlocks.h */
#define unlock2(s, a, b) vm_unlock2((s)->h->unlock, (s)->h->ctx, a, b)
#define lock_all(s) vm_lock_all((s)->h->lock, (s)->h->ctx, (s)->nr_vms)
#define unlock_all(s) vm_unlock_all((s)->h->unlock, (s)->h->ctx, (s)->nr_vms)

void evport_init(struct evport_sys *s, unsigned nr_vms, const struct evport_hooks *h)
{
    *s = (struct evport_sys){.nr_vms = nr_vms < EMV_MAX_VMS ? nr_vms : EMV_MAX_VMS, .h = h};
}

/* A port that becomes free forgets what it was: a later port there starts clear. */
static void clear_bits(struct evport_vm *v, unsigned port)
{
    uint64_t keep = ~(1ULL << port);
    __atomic_fetch_and(&v->pending, keep, __ATOMIC_SEQ_CST);
    __atomic_fetch_and(&v->mask, keep, __ATOMIC_SEQ_CST);
}

void evport_vm_up(struct evport_sys *s, unsigned vm, uint32_t nr_fixed)
{
    if (vm >= s->nr_vms)
        return;
    struct evport_vm *v = &s->vm[vm];
    lock1(s, vm);
    for (unsigned i = 0; i < EMV_MAX_OBJS; i++)
        v->p[i] = (struct evport){EVP_FREE, 0, 0};
    v->nr_fixed = nr_fixed < EMV_MAX_OBJS ? nr_fixed : EMV_MAX_OBJS;
    __atomic_store_n(&v->pending, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&v->mask, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&v->up, true, __ATOMIC_RELEASE);
    unlock1(s, vm);
}

/* Free @vm's run-time @port (allocated); a bound peer's end goes back to unbound, reserved for
 * @vm. Both VMs' locks are held. */
static void close_locked(struct evport_sys *s, unsigned vm, unsigned port)
{
    struct evport_vm *v = &s->vm[vm];
    struct evport *e = &v->p[port];
    if (e->state == EVP_BOUND) {
        struct evport *o = &s->vm[e->peer].p[e->rport];
        *o = (struct evport){EVP_UNBOUND, (uint8_t)vm, 0};
    }
    *e = (struct evport){EVP_FREE, 0, 0};
    clear_bits(v, port);
    v->closes++;
}

void evport_vm_down(struct evport_sys *s, unsigned vm)
{
    if (vm >= s->nr_vms)
        return;
    struct evport_vm *v = &s->vm[vm];
    lock_all(s); /* its bound peers, whoever they are, at once: rare and bounded */
    __atomic_store_n(&v->up, false, __ATOMIC_RELEASE);
    for (unsigned i = v->nr_fixed; i < EMV_MAX_OBJS; i++)
        if (v->p[i].state != EVP_FREE)
            close_locked(s, vm, i);
    unlock_all(s);
}

void evport_signal(struct evport_sys *s, unsigned vm, unsigned port)
{
    if (vm < s->nr_vms && port < EMV_MAX_OBJS && evport_pend(s, vm, port))
        s->h->raise(s->h->ctx, vm);
}

void evport_set_mask(struct evport_sys *s, unsigned vm, unsigned port, bool mask)
{
    if (vm >= s->nr_vms || port >= EMV_MAX_OBJS)
        return;
    struct evport_vm *v = &s->vm[vm];
    uint64_t bit = 1ULL << port;
    if (mask) {
        __atomic_fetch_or(&v->mask, bit, __ATOMIC_SEQ_CST);
        return;
    }
    __atomic_fetch_and(&v->mask, ~bit, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&v->pending, __ATOMIC_SEQ_CST) & bit)
        s->h->raise(s->h->ctx, vm); /* what came while masked */
}

/* The lowest index of @v's table free for a run-time port, -1 if none. */
static int free_port(const struct evport_vm *v)
{
    for (unsigned i = v->nr_fixed; i < EMV_MAX_OBJS; i++)
        if (v->p[i].state == EVP_FREE)
            return (int)i;
    return -1;
}

/* Is @port one of @vm's run-time ports (any state)? Its index, not its state. */
static bool runtime_index(const struct evport_sys *s, unsigned vm, unsigned port)
{
    return vm < s->nr_vms && port < EMV_MAX_OBJS && port >= s->vm[vm].nr_fixed;
}

int evport_alloc_unbound(struct evport_sys *s, unsigned vm, unsigned peer)
{
    if (vm >= s->nr_vms || peer >= s->nr_vms || vm == peer)
        return -EMV_EINVAL;
    struct evport_vm *v = &s->vm[vm];
    lock1(s, vm);
    int r;
    if (!__atomic_load_n(&s->vm[peer].up, __ATOMIC_ACQUIRE) || !v->up)
        r = -EMV_EPIPE;
    else if ((r = free_port(v)) < 0)
        r = -EMV_ENOMEM;
    else {
        v->p[r] = (struct evport){EVP_UNBOUND, (uint8_t)peer, 0};
        clear_bits(v, (unsigned)r);
        v->allocs++;
    }
    unlock1(s, vm);
    return r;
}

int evport_bind(struct evport_sys *s, unsigned vm, unsigned peer, unsigned rport)
{
    if (vm >= s->nr_vms || peer >= s->nr_vms || vm == peer || !runtime_index(s, peer, rport))
        return -EMV_EINVAL;
    struct evport_vm *v = &s->vm[vm], *pv = &s->vm[peer];
    lock2(s, vm, peer);
    struct evport *o = &pv->p[rport];
    int r;
    if (!pv->up || !v->up)
        r = -EMV_EPIPE;
    else if (o->state == EVP_FREE)
        r = -EMV_EINVAL;
    else if (o->peer != vm)
        r = -EMV_EPERM; /* reserved for, or bound to, another VM */
    else if (o->state == EVP_BOUND)
        r = -EMV_EEXIST;
    else if ((r = free_port(v)) < 0)
        r = -EMV_ENOMEM;
    else {
        v->p[r] = (struct evport){EVP_BOUND, (uint8_t)peer, (uint8_t)rport};
        *o = (struct evport){EVP_BOUND, (uint8_t)vm, (uint8_t)r};
        clear_bits(v, (unsigned)r);
        v->binds++;
    }
    unlock2(s, vm, peer);
    return r;
}

int evport_close(struct evport_sys *s, unsigned vm, unsigned port)
{
    if (vm >= s->nr_vms || port >= EMV_MAX_OBJS)
        return -EMV_EINVAL;
    if (port < s->vm[vm].nr_fixed)
        return -EMV_EPERM; /* the config's: it lasts as long as the system */
    struct evport *e = &s->vm[vm].p[port];
    lock1(s, vm);
    unsigned state = e->state, peer = e->peer;
    unlock1(s, vm);
    if (state == EVP_FREE)
        return -EMV_EINVAL;
    /* The peer is fixed from the port's allocation to its close, and only this VM frees it:
     * if another of its vCPUs closed (and reallocated) it meanwhile, take every lock. */
    bool all = false;
    lock2(s, vm, peer);
    if (e->state == EVP_FREE || e->peer != peer) {
        unlock2(s, vm, peer);
        lock_all(s);
        all = true;
    }
    int r = e->state == EVP_FREE ? -EMV_EINVAL : 0;
    if (!r)
        close_locked(s, vm, port);
    if (all)
        unlock_all(s);
    else
        unlock2(s, vm, peer);
    return r;
}

int evport_notify(struct evport_sys *s, unsigned vm, unsigned port)
{
    if (!runtime_index(s, vm, port))
        return -EMV_EINVAL;
    struct evport_vm *v = &s->vm[vm];
    lock1(s, vm);
    const struct evport *e = &v->p[port];
    int r = e->state == EVP_FREE ? -EMV_EINVAL : e->state == EVP_UNBOUND ? -EMV_EPIPE : 0;
    unsigned peer = e->peer;
    bool raise = false;
    if (!r) { /* the other end changes only with this lock held too: it is there */
        raise = evport_pend(s, peer, e->rport);
        v->notifies++;
    }
    unlock1(s, vm);
    if (raise)
        s->h->raise(s->h->ctx, peer);
    return r;
}

int evport_peer(struct evport_sys *s, unsigned vm, unsigned port, unsigned *peer)
{
    if (!runtime_index(s, vm, port))
        return -EMV_EINVAL;
    lock1(s, vm);
    const struct evport *e = &s->vm[vm].p[port];
    int r = e->state == EVP_FREE ? -EMV_EINVAL : 0;
    *peer = e->peer;
    unlock1(s, vm);
    return r;
}

int evport_mask(struct evport_sys *s, unsigned vm, unsigned port, bool mask)
{
    if (!runtime_index(s, vm, port))
        return -EMV_EINVAL;
    lock1(s, vm);
    int r = s->vm[vm].p[port].state == EVP_FREE ? -EMV_EINVAL : 0;
    uint64_t bit = 1ULL << port;
    bool raise = false;
    if (!r && mask)
        __atomic_fetch_or(&s->vm[vm].mask, bit, __ATOMIC_SEQ_CST);
    else if (!r) {
        __atomic_fetch_and(&s->vm[vm].mask, ~bit, __ATOMIC_SEQ_CST);
        raise = __atomic_load_n(&s->vm[vm].pending, __ATOMIC_SEQ_CST) & bit;
    }
    unlock1(s, vm);
    if (raise)
        s->h->raise(s->h->ctx, vm);
    return r;
}
