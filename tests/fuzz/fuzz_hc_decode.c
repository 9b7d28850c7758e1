/* SPDX-License-Identifier: MIT */
/*
 * fuzz_hc_decode.c - libFuzzer target: hc_decode() and guest_range_to_pa() with arbitrary
 * registers, HVC immediate, privilege and RAM window. Whatever they accept must be safe for
 * the invoke half to act on without another check: a buffer lies entirely inside the caller's
 * RAM and its host-physical address is the window's translation of its IPA; limits hold.
 * Sums are done in 128 bits so the checks themselves cannot wrap.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/evport.h"
#include "core/hc_decode.h"
#include "emv/errno.h"
#include "emv/hypercall.h"
#include "emv/objects.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "fuzz_hc_decode: %s:%d: %s\n", __FILE__, __LINE__, #c);                \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

typedef unsigned __int128 u128;

static uint64_t take64(const uint8_t **p, size_t *n)
{
    uint64_t v = 0;
    size_t k = *n < 8 ? *n : 8;
    memcpy(&v, *p, k);
    *p += k;
    *n -= k;
    return v;
}

/* [ipa, ipa + len) inside the window, and pa its translation. */
static void check_inside(const struct guest_ram *ram, uint64_t ipa, uint64_t len, paddr_t pa)
{
    CHECK(len > 0);
    CHECK(ipa >= ram->ipa);
    CHECK((u128)(ipa - ram->ipa) + len <= ram->size);
    CHECK(pa == ram->pa + (ipa - ram->ipa));
    /* A window that does not wrap the address space never yields a buffer that does. */
    if ((u128)ram->ipa + ram->size <= (u128)1 << 64)
        CHECK((u128)ipa + len <= (u128)1 << 64);
}

static void check_range(const struct guest_ram *ram, uint64_t ipa, uint64_t len)
{
    paddr_t pa = 0xdead;
    int r = guest_range_to_pa(ram, ipa, len, &pa);
    bool inside =
        ipa >= ram->ipa && (u128)(ipa - ram->ipa) + len <= ram->size && ipa - ram->ipa < ram->size;
    CHECK(r == 0 || r == -EMV_EFAULT);
    CHECK((r == 0) == inside);
    if (r == 0 && len > 0)
        check_inside(ram, ipa, len, pa);
    if (r != 0)
        CHECK(pa == 0xdead); /* nothing written on failure */
}

/* The buffer a call takes: which registers, and the documented maximum. */
static bool buffer_of(unsigned nr, const uint64_t x[6], uint64_t *ipa, uint64_t *len, uint64_t *max)
{
    switch (nr) {
    case EMV_HC_CONSOLE_WRITE:
    case EMV_HC_VM_NAME:
        *ipa = x[1], *len = x[2], *max = EMV_CONSOLE_MAX;
        return true;
    default:
        return false;
    }
}

static void check_privilege(unsigned nr, const uint64_t x[6], bool priv, const struct hc_call *c)
{
    if (nr == EMV_HC_SYSTEM_OFF)
        CHECK(priv);
    if (nr == EMV_HC_SCHED_GET || nr == EMV_HC_SCHED_SET || nr == EMV_HC_SCHED_STATS)
        CHECK(c->arg == x[1] && c->arg2 == x[2] && x[2] < EMV_MAX_VCPUS_PER_VM);
    if (nr == EMV_HC_SCHED_SET) {
        bool be = c->period == 0 && c->budget == 0;
        CHECK(be || (c->period >= 10000 && c->period <= 10000000000UL && c->budget > 0 &&
                     c->budget <= c->period));
        CHECK(c->period == x[3] && c->budget == x[4]);
    }
    if (nr == EMV_HC_EVTCHN_BIND)
        CHECK(c->arg == x[1] && c->arg2 == x[2] && x[2] < EMV_MAX_OBJS);
}

/* Grants: whole pages of the caller's RAM, bounded counts and references, known flags, and
 * an unmap address inside the grant window. */
static void check_grant(const struct guest_ram *ram, const uint64_t x[6], const struct hc_call *c)
{
    switch (c->nr) {
    case EMV_HC_GRANT_CREATE:
        CHECK(c->len >= 1 && c->len <= EMV_GRANT_MAX_PAGES && c->len == x[3]);
        CHECK((x[2] & 0xfff) == 0 && (c->arg2 & ~(uint64_t)EMV_GRANT_RO) == 0);
        check_inside(ram, x[2], c->len * 0x1000, c->buf_pa);
        break;
    case EMV_HC_GRANT_REVOKE:
        CHECK(c->arg < EMV_GRANT_MAX);
        break;
    case EMV_HC_GRANT_MAP:
        CHECK(c->arg2 < EMV_GRANT_MAX);
        break;
    case EMV_HC_GRANT_UNMAP:
        CHECK(c->arg < EMV_GRANT_WINDOW_PAGES && x[1] == EMV_GRANT_IPA_BASE + c->arg * 0x1000);
        break;
    default:
        break;
    }
}

/* The type and rights a call that names an object needs of it (0 type: none). */
static void needs(unsigned nr, uint32_t *type, uint32_t *rights)
{
    *type = 0, *rights = 0;
    switch (nr) {
    case EMV_HC_SCHED_GET:
    case EMV_HC_SCHED_SET:
    case EMV_HC_SCHED_STATS:
        *type = EMV_OBJ_VM, *rights = EMV_RIGHT_CONTROL;
        break;
    case EMV_HC_EVTCHN_NOTIFY:
        *type = EMV_OBJ_EVTCHN, *rights = EMV_RIGHT_NOTIFY;
        break;
    case EMV_HC_EVTCHN_MASK:
    case EMV_HC_GRANT_CREATE:
    case EMV_HC_GRANT_MAP:
    case EMV_HC_EVTCHN_CLOSE: /* a run-time port only: resolves no object */
        *type = EMV_OBJ_EVTCHN;
        break;
    case EMV_HC_EVTCHN_ALLOC_UNBOUND:
    case EMV_HC_EVTCHN_BIND:
        *type = EMV_OBJ_VM, *rights = EMV_RIGHT_BIND;
        break;
    case EMV_HC_IPC_CALL:
        *type = EMV_OBJ_ENDPOINT, *rights = EMV_RIGHT_CALL;
        break;
    case EMV_HC_IPC_REPLY_RECV:
        *type = EMV_OBJ_ENDPOINT, *rights = EMV_RIGHT_RECV;
        break;
    default:
        break;
    }
}

/* The second step: an object it resolves is the caller's own, of the type and with the rights
 * the call needs; calls that name none resolve nothing. */
static void check_obj(const struct emv_vm_cfg *vm, struct hc_call *c)
{
    uint32_t type, rights;
    needs(c->nr, &type, &rights);
    CHECK(c->nr >= HC_FIRST_OBJ_CALL || type == 0); /* hypercall_handle skips the others */
    c->obj = 0;
    int r = hc_decode_obj(vm, c);
    CHECK(r == 0 || r == -EMV_EINVAL || r == -EMV_EPERM);
    if (r || !type) {
        CHECK(c->obj == 0);
        return;
    }
    if (type == EMV_OBJ_EVTCHN && c->arg >= vm->nr_objs) {
        /* a run-time port: an index of the table past the config's objects, nothing else */
        CHECK(c->obj == 0 && c->arg < EMV_MAX_OBJS);
        return;
    }
    CHECK(c->nr != EMV_HC_EVTCHN_CLOSE); /* the config's objects are never closed */
    CHECK(c->obj >= vm->objs && c->obj < vm->objs + vm->nr_objs);
    CHECK((uint64_t)(c->obj - vm->objs) == c->arg);
    CHECK(c->obj->type == type && (c->obj->rights & rights) == rights);
}

static void check_call(const struct guest_ram *ram, uint32_t imm, const uint64_t x[6], bool priv,
                       const struct emv_vm_cfg *vm)
{
    struct hc_call c;
    memset(&c, 0xa5, sizeof(c));
    int r = hc_decode(ram, imm, x, priv, &c);
    CHECK(r <= 0 && r >= -EMV_EAGAIN);
    bool retired = x[0] == 0x0a || x[0] == 0x0b; /* the inbox's calls: unknown now */
    if (r != 0) {
        CHECK(r != -EMV_ENOSYS || imm != 0 || x[0] >= EMV_HC_COUNT || retired);
        CHECK(!retired || imm != 0 || r == -EMV_ENOSYS);
        return;
    }
    CHECK(imm == 0 && x[0] < EMV_HC_COUNT && c.nr == x[0] && !retired);
    uint64_t ipa, len, max;
    if (buffer_of(c.nr, x, &ipa, &len, &max)) {
        CHECK(c.len == len && len <= max);
        if (len > 0)
            check_inside(ram, ipa, len, c.buf_pa);
    } else if (c.nr == EMV_HC_GRANT_CREATE) {
        check_grant(ram, x, &c);
    } else {
        CHECK(c.len == 0 && c.buf_pa == 0); /* no buffer: nothing for invoke to copy */
    }
    check_grant(ram, x, &c);
    check_privilege(c.nr, x, priv, &c);
    check_obj(vm, &c);
}

/* A table of up to EMV_MAX_OBJS objects of any type and rights, from the input. */
static void make_table(struct emv_vm_cfg *vm, uint64_t a, uint64_t b)
{
    memset(vm, 0, sizeof(*vm));
    vm->nr_objs = (uint32_t)(a % (EMV_MAX_OBJS + 1));
    for (unsigned i = 0; i < vm->nr_objs; i++) {
        uint64_t k = (a >> 8) ^ (b >> (i % 48)) ^ (i * 0x9e3779b97f4a7c15ULL);
        vm->objs[i].type = (uint32_t)(k % 7);
        vm->objs[i].rights = (uint32_t)(k >> 8) & 0x7f;
        vm->objs[i].peer_vm = (uint32_t)(k >> 16) % EMV_MAX_VMS;
    }
}

/*
 * The run-time ports the decoded event-channel calls act on (hyp/core/evport.c): the rest of
 * the input is a sequence of operations by four VMs; after each, the tables must be
 * consistent (a bound end's peer is bound back to it, nothing in the config's indices), no
 * lock held, and the upcall never raised under a lock.
 */
#define EV_VMS 4
static struct evport_sys evs;
static unsigned ev_held;

static void ev_lock(void *ctx, unsigned vm)
{
    (void)ctx;
    CHECK(vm < EV_VMS && !(ev_held & (1u << vm)) && (ev_held >> vm) == 0); /* in index order */
    ev_held |= 1u << vm;
}

static void ev_unlock(void *ctx, unsigned vm)
{
    (void)ctx;
    CHECK(ev_held & (1u << vm));
    ev_held &= ~(1u << vm);
}

static void ev_raise(void *ctx, unsigned vm)
{
    (void)ctx;
    CHECK(vm < EV_VMS && ev_held == 0);
}

static const struct evport_hooks ev_hooks = {ev_raise, ev_lock, ev_unlock, 0};

static void ev_check_tables(void)
{
    CHECK(ev_held == 0);
    for (unsigned v = 0; v < EV_VMS; v++) {
        const struct evport_vm *m = &evs.vm[v];
        for (unsigned i = 0; i < EMV_MAX_OBJS; i++) {
            const struct evport *e = &m->p[i];
            if (i < m->nr_fixed || e->state == EVP_FREE) {
                CHECK(e->state == EVP_FREE);
                continue;
            }
            CHECK(e->peer < EV_VMS && e->peer != v && m->up);
            if (e->state == EVP_BOUND) {
                const struct evport *o = &evs.vm[e->peer].p[e->rport];
                CHECK(e->rport < EMV_MAX_OBJS && o->state == EVP_BOUND && o->peer == v &&
                      o->rport == i);
            }
        }
    }
}

static void ev_ops(const uint8_t *p, size_t n)
{
    evport_init(&evs, EV_VMS, &ev_hooks);
    for (unsigned v = 0; v < EV_VMS; v++)
        evport_vm_up(&evs, v, (unsigned)(n ? p[0] >> (2 * v) & 3 : 0) * 8); /* 0..24 fixed */
    for (size_t k = 1; k + 3 < n; k += 4) {
        unsigned op = p[k] % 9, a = p[k + 1] % (EV_VMS + 1), b = p[k + 2] % (EV_VMS + 1);
        unsigned port = p[k + 3] % (EMV_MAX_OBJS + 2), peer = 0;
        int r = 0;
        switch (op) {
        case 0:
            r = evport_alloc_unbound(&evs, a, b);
            CHECK(r < 0 || ((unsigned)r >= evs.vm[a].nr_fixed && r < EMV_MAX_OBJS));
            break;
        case 1:
            r = evport_bind(&evs, a, b, port);
            CHECK(r < 0 || ((unsigned)r >= evs.vm[a].nr_fixed && r < EMV_MAX_OBJS));
            break;
        case 2:
            r = evport_close(&evs, a, port);
            break;
        case 3:
            r = evport_notify(&evs, a, port);
            break;
        case 4:
            r = evport_mask(&evs, a, port, p[k] & 0x80);
            break;
        case 5:
            r = evport_peer(&evs, a, port, &peer);
            CHECK(r || (peer < EV_VMS && peer != a));
            break;
        case 6:
            if (a < EV_VMS) /* the hypervisor polls only its own VMs */
                evport_poll(&evs, a);
            break;
        case 7:
            evport_vm_down(&evs, a);
            break;
        default:
            if (a < EV_VMS && !evs.vm[a].up) /* as the hypervisor: only after a down */
                evport_vm_up(&evs, a, evs.vm[a].nr_fixed);
            break;
        }
        CHECK(r <= 0 || op <= 1);
        CHECK(r >= -EMV_EPIPE);
        ev_check_tables();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data;
    size_t n = size;
    struct guest_ram ram = {.ipa = take64(&p, &n), .pa = take64(&p, &n), .size = take64(&p, &n)};
    uint64_t x[6];
    for (int i = 0; i < 6; i++)
        x[i] = take64(&p, &n);
    uint64_t misc = take64(&p, &n);
    /* Mostly the one valid immediate and known call numbers, so decoding goes deep. */
    uint32_t imm = (misc & 0xf) == 0 ? (uint32_t)(misc >> 32) : 0;
    if (misc & 0x10)
        x[0] %= EMV_HC_COUNT + 1;
    bool priv = misc & 0x20;
    static struct emv_vm_cfg vm;
    make_table(&vm, take64(&p, &n), take64(&p, &n));
    check_call(&ram, imm, x, priv, &vm);
    check_range(&ram, x[1], x[2]);
    ev_ops(p, n);
    return 0;
}
