/* SPDX-License-Identifier: MIT */
/*
 * seed.c - board entropy -> key -> per-VM seeds (seed.h). Pure: no hardware, no globals.
 */
#include "seed.h"

#include "lib/fdtread.h"
#include "string.h"

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int seed_fdt_chosen_prop(const uint8_t *blob, size_t avail, const char *name, uint32_t *off,
                         uint32_t *len)
{
    struct fdt_blob f;
    if (fdt_blob_init(&f, blob, avail) || fdt_be32(blob + 20) < 17 || f.struct_off % 4)
        return -1; /* besides fdtread's checks: version 17 and an aligned structure block */
    struct fdt_iter it;
    struct fdt_tok t;
    bool in_chosen = false;
    fdt_iter_init(&it, &f);
    while (fdt_next(&it, &t) != FDT_TOK_DONE) {
        if (t.kind == FDT_TOK_BEGIN) {
            in_chosen = t.depth == 2 && !strcmp(t.name, "chosen");
        } else if (t.kind == FDT_TOK_END) {
            in_chosen = false;
        } else if (in_chosen && !strcmp(t.name, name)) {
            *off = (uint32_t)(t.val - blob);
            *len = t.len;
            return 0;
        }
    }
    return -1;
}

void seed_key_from(uint8_t key[SEED_KEY_BYTES], const uint8_t *src, size_t n)
{
    for (unsigned i = 0; i < SEED_KEY_BYTES; i++)
        key[i] = 0;
    for (size_t i = 0; i < n; i++)
        key[i % SEED_KEY_BYTES] ^= src[i];
    if (n > SEED_KEY_BYTES) { /* more than a key's worth: one more ChaCha20 pass spreads it */
        static const uint32_t fold[3] = {0x666f6c64u, 0, 0};
        uint8_t b[64];
        seed_chacha20_block(key, 0, fold, b);
        for (unsigned i = 0; i < SEED_KEY_BYTES; i++)
            key[i] = b[i];
    }
}

#define ROTL(x, n) ((x) << (n) | (x) >> (32 - (n)))
#define QR(a, b, c, d)                                                                             \
    do {                                                                                           \
        a += b;                                                                                    \
        d ^= a;                                                                                    \
        d = ROTL(d, 16);                                                                           \
        c += d;                                                                                    \
        b ^= c;                                                                                    \
        b = ROTL(b, 12);                                                                           \
        a += b;                                                                                    \
        d ^= a;                                                                                    \
        d = ROTL(d, 8);                                                                            \
        c += d;                                                                                    \
        b ^= c;                                                                                    \
        b = ROTL(b, 7);                                                                            \
    } while (0)

void seed_chacha20_block(const uint8_t key[SEED_KEY_BYTES], uint32_t counter,
                         const uint32_t nonce[3], uint8_t out[64])
{
    uint32_t in[16] = {0x61707865u, 0x3320646eu, 0x79622d32u, 0x6b206574u}; /* "expand 32-byte k" */
    for (unsigned i = 0; i < 8; i++)
        in[4 + i] = le32(key + 4 * i);
    in[12] = counter;
    in[13] = nonce[0];
    in[14] = nonce[1];
    in[15] = nonce[2];
    uint32_t x[16];
    for (unsigned i = 0; i < 16; i++)
        x[i] = in[i];
    for (unsigned r = 0; r < 10; r++) { /* 20 rounds: a column round and a diagonal round */
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (unsigned i = 0; i < 16; i++) {
        uint32_t v = x[i] + in[i];
        out[4 * i] = (uint8_t)v;
        out[4 * i + 1] = (uint8_t)(v >> 8);
        out[4 * i + 2] = (uint8_t)(v >> 16);
        out[4 * i + 3] = (uint8_t)(v >> 24);
    }
}

void seed_derive(const uint8_t key[SEED_KEY_BYTES], uint32_t vmid, uint64_t draw, uint8_t *dst,
                 size_t n)
{
    const uint32_t nonce[3] = {vmid, (uint32_t)(draw >> 32), (uint32_t)draw};
    uint8_t b[64];
    for (uint32_t blk = 0; n; blk++) {
        seed_chacha20_block(key, blk, nonce, b);
        size_t k = n < sizeof(b) ? n : sizeof(b);
        for (size_t i = 0; i < k; i++)
            dst[i] = b[i];
        dst += k;
        n -= k;
    }
}

void seed_fdt_nop_prop(uint8_t *blob, uint32_t val_off, uint32_t len)
{
    uint32_t end = val_off + ((len + 3) & ~3u);
    for (uint32_t p = val_off - SEED_FDT_PROP_HDR; p < end; p += 4) {
        blob[p] = 0;
        blob[p + 1] = 0;
        blob[p + 2] = 0;
        blob[p + 3] = (uint8_t)SEED_FDT_NOP;
    }
}
