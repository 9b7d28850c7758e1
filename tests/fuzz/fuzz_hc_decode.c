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
    case EMV_HC_MSG_SEND:
        *ipa = x[2], *len = x[3], *max = EMV_MSG_MAX;
        return true;
    case EMV_HC_MSG_RECV:
        *ipa = x[1], *len = x[2], *max = EMV_MSG_MAX;
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
    if (nr == EMV_HC_MSG_SEND)
        CHECK(c->arg == x[1] && x[1] <= EMV_MAX_VMS);
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
    CHECK(((HC_NAMES_OBJ >> c->nr) & 1) == (type != 0));
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
    if (r != 0) {
        CHECK(r != -EMV_ENOSYS || imm != 0 || x[0] >= EMV_HC_COUNT);
        return;
    }
    CHECK(imm == 0 && x[0] < EMV_HC_COUNT && c.nr == x[0]);
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
    return 0;
}
