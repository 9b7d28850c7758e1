/* SPDX-License-Identifier: MIT */
/* test_seed.c - guests' random seeds (hyp/core/seed.c): /chosen/<prop> found in a device tree
 * built with libfdt, and nothing found (no crash, no out-of-bounds offset) in truncated or
 * corrupted ones; ChaCha20 against RFC 8439's test vector; distinct bytes per VM and per draw;
 * a property taken out with NOPs is gone for libfdt too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "core/seed.h"

static uint8_t blob[4096];

/* A tree like QEMU's: a root property, a node with its own rng-seed (not /chosen), /chosen with
 * bootargs, kaslr-seed and rng-seed, and a nested "chosen" that is not /chosen. */
static int build(void)
{
    static const uint8_t seed[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                     12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                     23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
    uint8_t other[8] = {0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee};
    int r = fdt_create(blob, sizeof(blob));
    r = r ? r : fdt_finish_reservemap(blob);
    r = r ? r : fdt_begin_node(blob, "");
    r = r ? r : fdt_property_u32(blob, "#address-cells", 2);
    r = r ? r : fdt_begin_node(blob, "dev");
    r = r ? r : fdt_property(blob, "rng-seed", other, sizeof(other));
    r = r ? r : fdt_begin_node(blob, "chosen");
    r = r ? r : fdt_property(blob, "rng-seed", other, sizeof(other));
    r = r ? r : fdt_end_node(blob);
    r = r ? r : fdt_end_node(blob);
    r = r ? r : fdt_begin_node(blob, "chosen");
    r = r ? r : fdt_property_string(blob, "bootargs", "console=ttyAMA0");
    r = r ? r : fdt_property_u64(blob, "kaslr-seed", 0x1122334455667788ull);
    r = r ? r : fdt_property(blob, "rng-seed", seed, sizeof(seed));
    r = r ? r : fdt_end_node(blob);
    r = r ? r : fdt_end_node(blob);
    r = r ? r : fdt_finish(blob);
    assert_int_equal(r, 0);
    return (int)fdt_totalsize(blob);
}

static void test_find(void **s)
{
    (void)s;
    int total = build();
    uint32_t off, len;
    assert_int_equal(seed_fdt_chosen_prop(blob, (size_t)total, "rng-seed", &off, &len), 0);
    int lp;
    const void *p = fdt_getprop(blob, fdt_path_offset(blob, "/chosen"), "rng-seed", &lp);
    assert_non_null(p);
    assert_int_equal(off, (uint32_t)((const uint8_t *)p - blob));
    assert_int_equal(len, 32);
    assert_int_equal(blob[off], 1);
    assert_int_equal(blob[off + 31], 32);
    assert_int_equal(seed_fdt_chosen_prop(blob, (size_t)total, "kaslr-seed", &off, &len), 0);
    assert_int_equal(len, 8);
    assert_int_equal(seed_fdt_chosen_prop(blob, (size_t)total, "rng", &off, &len), -1);
    assert_int_equal(seed_fdt_chosen_prop(blob, (size_t)total, "rng-seed-x", &off, &len), -1);
    assert_int_equal(seed_fdt_chosen_prop(blob, (size_t)total, "#address-cells", &off, &len), -1);
}

static void test_malformed(void **s)
{
    (void)s;
    int total = build();
    uint32_t off, len;
    for (int n = 0; n < total; n++) /* the header says more than may be read */
        assert_int_equal(seed_fdt_chosen_prop(blob, (size_t)n, "rng-seed", &off, &len), -1);
    assert_int_equal(seed_fdt_chosen_prop(NULL, 4096, "rng-seed", &off, &len), -1);
    uint8_t save[4096];
    memcpy(save, blob, sizeof(save));
    blob[0] ^= 1; /* magic */
    assert_int_equal(seed_fdt_chosen_prop(blob, sizeof(blob), "rng-seed", &off, &len), -1);
    /* Every byte of the tree set to each of a few values in turn: found or not, a found value
     * lies inside the tree. */
    static const uint8_t vals[] = {0x00, 0x01, 0x02, 0x03, 0x09, 0x7f, 0x80, 0xff};
    for (int i = 0; i < total; i++)
        for (unsigned v = 0; v < sizeof(vals); v++) {
            memcpy(blob, save, sizeof(save));
            blob[i] = vals[v];
            if (seed_fdt_chosen_prop(blob, (size_t)total, "rng-seed", &off, &len) == 0)
                assert_true((uint64_t)off + len <= (uint64_t)total);
        }
}

static void test_chacha20_rfc8439(void **s)
{
    (void)s;
    /* RFC 8439, 2.3.2: key 00..1f, counter 1, nonce 00:00:00:09:00:00:00:4a:00:00:00:00 */
    static const uint8_t want[64] = {
        0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3,
        0x20, 0x71, 0xc4, 0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22,
        0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e, 0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa,
        0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2, 0xb5, 0x12, 0x9c, 0xd1,
        0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e};
    uint8_t key[32], out[64];
    for (unsigned i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    const uint32_t nonce[3] = {0x09000000u, 0x4a000000u, 0};
    seed_chacha20_block(key, 1, nonce, out);
    assert_memory_equal(out, want, 64);
}

static void test_derive(void **s)
{
    (void)s;
    uint8_t board[32], key[32], a[100], b[100], c[100], d[100];
    for (unsigned i = 0; i < 32; i++)
        board[i] = (uint8_t)(i * 7 + 3);
    seed_key_from(key, board, sizeof(board));
    assert_memory_equal(key, board, 32); /* 32 bytes are the key as they are */
    seed_derive(key, 1, 0, a, sizeof(a));
    seed_derive(key, 1, 0, b, sizeof(b));
    assert_memory_equal(a, b, sizeof(a)); /* a function of its inputs */
    seed_derive(key, 2, 0, c, sizeof(c));
    seed_derive(key, 1, 1, d, sizeof(d));
    assert_memory_not_equal(a, c, 32); /* another VM */
    assert_memory_not_equal(a, d, 32); /* the same VM's next start */
    assert_memory_not_equal(a + 64, c + 64, 32);
    assert_memory_not_equal(a, a + 64, 32); /* the second block is not the first again */
    board[5] ^= 0x10;
    seed_key_from(key, board, sizeof(board));
    seed_derive(key, 1, 0, b, sizeof(b));
    assert_memory_not_equal(a, b, 32); /* another board seed */
    uint8_t big[80], key2[32];
    memset(big, 0x5a, sizeof(big));
    seed_key_from(key2, big, sizeof(big)); /* longer than a key: every byte counts */
    big[79] ^= 1;
    seed_key_from(key, big, sizeof(big));
    assert_memory_not_equal(key, key2, 32);
}

static void test_nop(void **s)
{
    (void)s;
    int total = build();
    uint32_t off, len;
    assert_int_equal(seed_fdt_chosen_prop(blob, (size_t)total, "rng-seed", &off, &len), 0);
    seed_fdt_nop_prop(blob, off, len);
    assert_int_equal(fdt_check_full(blob, (size_t)total), 0);
    int ch = fdt_path_offset(blob, "/chosen");
    assert_null(fdt_getprop(blob, ch, "rng-seed", NULL));
    assert_non_null(fdt_getprop(blob, ch, "kaslr-seed", NULL)); /* the rest stays */
    assert_non_null(fdt_getprop(blob, ch, "bootargs", NULL));
    assert_int_equal(seed_fdt_chosen_prop(blob, (size_t)total, "rng-seed", &off, &len), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_chacha20_rfc8439),
        cmocka_unit_test(test_derive),
        cmocka_unit_test(test_nop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
