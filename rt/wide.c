/* SPDX-License-Identifier: MIT */
/*
 * wide.c - just enough 256-bit unsigned arithmetic for exact comparisons of rationals.
 *
 * Written with 64-bit operations only (no unsigned __int128, no libgcc helpers), so it builds
 * freestanding for AArch64 and behaves the same on every host.
 */
#include "rt_priv.h"

#define LO32(x) ((x)&0xffffffffu)

struct rt_wide rt_wide_from(uint64_t v)
{
    struct rt_wide r = {{v, 0, 0, 0}};
    return r;
}

/* 64 x 64 -> 128 from four 32 x 32 products. */
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t al = LO32(a), ah = a >> 32, bl = LO32(b), bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + LO32(lh) + LO32(hl);

    *lo = (mid << 32) | LO32(ll);
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

bool rt_wide_mul(struct rt_wide *a, uint64_t b)
{
    uint64_t carry = 0;

    for (int i = 0; i < RT_WIDE_WORDS; i++) {
        uint64_t hi, lo;

        mul64(a->w[i], b, &hi, &lo);
        lo += carry;
        hi += lo < carry; /* cannot wrap: the full product is at most (2^64-1)^2 */
        a->w[i] = lo;
        carry = hi;
    }
    return carry == 0;
}

bool rt_wide_add(struct rt_wide *a, const struct rt_wide *b)
{
    uint64_t carry = 0;

    for (int i = 0; i < RT_WIDE_WORDS; i++) {
        uint64_t s = a->w[i] + b->w[i];
        uint64_t c = s < a->w[i];

        a->w[i] = s + carry;
        carry = c | (a->w[i] < s);
    }
    return carry == 0;
}

void rt_wide_sub(struct rt_wide *a, const struct rt_wide *b)
{
    uint64_t borrow = 0;

    for (int i = 0; i < RT_WIDE_WORDS; i++) {
        uint64_t d = a->w[i] - b->w[i];
        uint64_t br = a->w[i] < b->w[i];

        a->w[i] = d - borrow;
        borrow = br | (d < borrow);
    }
}

int rt_wide_cmp(const struct rt_wide *a, const struct rt_wide *b)
{
    for (int i = RT_WIDE_WORDS - 1; i >= 0; i--) {
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    }
    return 0;
}

static int top_bit(const struct rt_wide *a)
{
    for (int i = RT_WIDE_WORDS - 1; i >= 0; i--) {
        for (int b = 63; a->w[i] && b >= 0; b--) {
            if (a->w[i] >> b & 1)
                return i * 64 + b;
        }
    }
    return -1;
}

/* r = 2 r + bit; returns the bit shifted out at the top. */
static uint64_t shl1(struct rt_wide *r, uint64_t bit)
{
    for (int i = 0; i < RT_WIDE_WORDS; i++) {
        uint64_t out = r->w[i] >> 63;

        r->w[i] = r->w[i] << 1 | bit;
        bit = out;
    }
    return bit;
}

void rt_wide_div(const struct rt_wide *n, const struct rt_wide *d, struct rt_wide *q)
{
    struct rt_wide r = rt_wide_from(0), quot = rt_wide_from(0);

    /* quot is separate so that q may alias n or d. */
    for (int b = top_bit(n); b >= 0; b--) {
        uint64_t out = shl1(&r, n->w[b / 64] >> (b % 64) & 1);

        /* With a bit shifted out, r (mod 2^256) is below the true value, which is >= d;
         * the wrapped subtraction still yields the right remainder. */
        if (out || rt_wide_cmp(&r, d) >= 0) {
            rt_wide_sub(&r, d);
            quot.w[b / 64] |= (uint64_t)1 << (b % 64);
        }
    }
    *q = quot;
}

bool rt_wide_to_u64(const struct rt_wide *a, uint64_t *out)
{
    *out = a->w[0];
    return (a->w[1] | a->w[2] | a->w[3]) == 0;
}

uint64_t rt_frac64(uint64_t e, uint64_t p, bool *exact)
{
    uint64_t rem = e, q = 0;

    /* Long division of (e << 64) by p, one quotient bit per step; e < p keeps it in 64 bits. */
    for (int b = 63; b >= 0; b--) {
        uint64_t out = rem >> 63;

        rem <<= 1;
        if (out || rem >= p) {
            rem -= p;
            q |= (uint64_t)1 << b;
        }
    }
    *exact = rem == 0;
    return q;
}

bool rt_wide_mul_wide(struct rt_wide *a, const struct rt_wide *b)
{
    struct rt_wide acc = rt_wide_from(0);
    bool ok = true;

    for (int j = 0; j < RT_WIDE_WORDS; j++) {
        struct rt_wide part = *a;

        if (!b->w[j])
            continue;
        ok &= rt_wide_mul(&part, b->w[j]);
        /* part <<= 64 j, noting any limb pushed out */
        for (int i = RT_WIDE_WORDS - 1; i >= 0; i--) {
            if (i >= RT_WIDE_WORDS - j)
                ok &= part.w[i] == 0;
            part.w[i] = i >= j ? part.w[i - j] : 0;
        }
        ok &= rt_wide_add(&acc, &part);
    }
    *a = acc;
    return ok;
}
