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
    default:
        return false;
    }
}

static void check_privilege(unsigned nr, const uint64_t x[6], bool priv, const struct hc_call *c)
{
    if (nr == EMV_HC_SYSTEM_OFF || nr == EMV_HC_SCHED_SET || nr == EMV_HC_SCHED_STATS)
        CHECK(priv);
    if (nr == EMV_HC_SCHED_SET) {
        bool be = c->period == 0 && c->budget == 0;
        CHECK(be || (c->period >= 10000 && c->period <= 10000000000UL && c->budget > 0 &&
                     c->budget <= c->period));
        CHECK(c->period == x[3] && c->budget == x[4]);
    }
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

static void check_call(const struct guest_ram *ram, uint32_t imm, const uint64_t x[6], bool priv)
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
    check_call(&ram, imm, x, priv);
    check_range(&ram, x[1], x[2]);
    return 0;
}
