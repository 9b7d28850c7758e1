/* SPDX-License-Identifier: MIT */
/* test_s2pt.c - stage-2 table construction, inspected descriptor by descriptor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "s2pt.h"

/* A page pool in host memory; "physical" addresses are fake, 0x80000000 + index * 4 KiB,
 * so that a test would catch code that used host pointers as table addresses. */
#define POOL 64
struct pool {
    uint64_t *pages[POOL];
    unsigned used, limit;
    unsigned char freed[POOL]; /* given back by free_page (never handed out again here) */
};
static struct pool pool;

static void *pool_alloc(void *ctx)
{
    struct pool *p = ctx;
    if (p->used >= p->limit)
        return NULL;
    void *pg = aligned_alloc(4096, 4096);
    memset(pg, 0, 4096);
    p->pages[p->used++] = pg;
    return pg;
}

static paddr_t pool_phys(void *ctx, void *va)
{
    struct pool *p = ctx;
    for (unsigned i = 0; i < p->used; i++)
        if (p->pages[i] == va)
            return 0x80000000UL + i * 4096UL;
    fail_msg("to_phys of a pointer not from the pool");
    return 0;
}

static void *pool_virt(void *ctx, paddr_t pa)
{
    struct pool *p = ctx;
    unsigned i = (unsigned)((pa - 0x80000000UL) / 4096);
    assert_true(pa >= 0x80000000UL && i < p->used);
    return p->pages[i];
}

static void pool_free(void *ctx, void *va)
{
    struct pool *p = ctx;
    for (unsigned i = 0; i < p->used; i++)
        if (p->pages[i] == va) {
            assert_int_equal(p->freed[i], 0); /* freed twice */
            p->freed[i] = 1;
            return;
        }
    fail_msg("free_page of a pointer not from the pool");
}

static unsigned pool_freed(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < pool.used; i++)
        n += pool.freed[i];
    return n;
}

static struct pt_alloc alloc = {.alloc_page = pool_alloc,
                                .free_page = pool_free,
                                .to_phys = pool_phys,
                                .to_virt = pool_virt,
                                .ctx = &pool};

static int setup(void **state)
{
    (void)state;
    memset(&pool, 0, sizeof(pool));
    pool.limit = POOL;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (unsigned i = 0; i < pool.used; i++)
        free(pool.pages[i]);
    return 0;
}

static void test_ram_uses_2m_blocks(void **state)
{
    (void)state;
    struct s2pt pt;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    assert_int_equal(s2pt_map(&pt, 0x40000000, 0x48000000, 0x1000000, S2_NORMAL_RWX), 0);
    assert_int_equal(pool.used, 2); /* root + one level-2 table, 8 block entries */
    uint64_t *l2 = pool.pages[1];
    for (unsigned i = 0; i < 8; i++) {
        uint64_t d = l2[i];
        assert_int_equal(d & 3, 1); /* valid block */
        assert_int_equal(d & S2_ADDR_MASK, 0x48000000UL + i * 0x200000UL);
        assert_int_equal(d & S2_MEMATTR_MASK, S2_MEMATTR_NORMAL_WB);
        assert_true(d & S2_AF);
        assert_int_equal(d & S2_AP_RW, S2_AP_RW);
        assert_false(d & S2_XN);
    }
    assert_int_equal(l2[8], 0);
    /* The root entry for IPA 1 GiB is a table descriptor pointing at the level-2 page. */
    assert_int_equal(pt.root[1], 0x80001000UL | 3);
}

static void test_device_pages_are_xn(void **state)
{
    (void)state;
    struct s2pt pt;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    assert_int_equal(s2pt_map(&pt, 0x09010000, 0x09010000, 0x1000, S2_DEVICE_RW), 0);
    assert_int_equal(pool.used, 3); /* root, level 2, level 3 */
    paddr_t pa;
    enum s2_attr attr;
    int level;
    assert_int_equal(s2pt_lookup(&pt, 0x09010abc, &pa, &attr, &level), 0);
    assert_int_equal(pa, 0x09010abc);
    assert_int_equal(attr, S2_DEVICE_RW);
    assert_int_equal(level, 3);
    uint64_t d = ((uint64_t *)pool.pages[2])[0x10];
    assert_int_equal(d & 3, 3); /* level-3 page descriptor */
    assert_true(d & S2_XN);
    assert_int_equal(d & S2_MEMATTR_MASK, S2_MEMATTR_DEVICE_nGnRE);
    assert_int_not_equal(s2pt_lookup(&pt, 0x09011000, &pa, &attr, &level), 0);
    assert_int_not_equal(s2pt_lookup(&pt, 0x0900f000, &pa, &attr, &level), 0);
}

static void test_unaligned_mix_blocks_and_pages(void **state)
{
    (void)state;
    struct s2pt pt;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    /* Starts 4 KiB before a 2 MiB boundary, ends 4 KiB after the next one. */
    ipa_t ipa = 0x401ff000;
    assert_int_equal(s2pt_map(&pt, ipa, 0x501ff000, 0x202000, S2_NORMAL_RWX), 0);
    for (uint64_t off = 0; off < 0x202000; off += 0x1000) {
        paddr_t pa;
        enum s2_attr attr;
        int level;
        assert_int_equal(s2pt_lookup(&pt, ipa + off, &pa, &attr, &level), 0);
        assert_int_equal(pa, 0x501ff000 + off);
        assert_int_equal(level, off >= 0x1000 && off < 0x201000 ? 2 : 3);
    }
    paddr_t pa;
    enum s2_attr attr;
    assert_int_not_equal(s2pt_lookup(&pt, ipa + 0x202000, &pa, &attr, NULL), 0);
    assert_int_not_equal(s2pt_lookup(&pt, ipa - 1, &pa, &attr, NULL), 0);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    struct s2pt pt;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    assert_int_equal(s2pt_map(&pt, 0x1001, 0x1000, 0x1000, S2_NORMAL_RWX), S2_EINVAL);
    assert_int_equal(s2pt_map(&pt, 0x1000, 0x1800, 0x1000, S2_NORMAL_RWX), S2_EINVAL);
    assert_int_equal(s2pt_map(&pt, 0x1000, 0x1000, 0, S2_NORMAL_RWX), S2_EINVAL);
    assert_int_equal(s2pt_map(&pt, 0x1000, 0x1000, 0x800, S2_NORMAL_RWX), S2_EINVAL);
    assert_int_equal(s2pt_map(&pt, S2_IPA_LIMIT, 0x1000, 0x1000, S2_NORMAL_RWX), S2_EINVAL);
    assert_int_equal(s2pt_map(&pt, S2_IPA_LIMIT - 0x1000, 0, 0x2000, S2_NORMAL_RWX), S2_EINVAL);
    assert_int_equal(s2pt_map(&pt, 0x1000, 1UL << 48, 0x1000, S2_NORMAL_RWX), S2_EINVAL);
    assert_int_equal(s2pt_map(&pt, 0x1000, 0x1000, 0x1000, 7), S2_EINVAL);
    assert_int_equal(pool.used, 1); /* nothing allocated on refusal */
}

static void test_overlap_refused(void **state)
{
    (void)state;
    struct s2pt pt;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    assert_int_equal(s2pt_map(&pt, 0x40000000, 0x48000000, 0x200000, S2_NORMAL_RWX), 0);
    /* A page inside the existing block, and the same block again. */
    assert_int_equal(s2pt_map(&pt, 0x40001000, 0x9000000, 0x1000, S2_DEVICE_RW), S2_EEXIST);
    assert_int_equal(s2pt_map(&pt, 0x40000000, 0x50000000, 0x200000, S2_NORMAL_RWX), S2_EEXIST);
    assert_int_equal(s2pt_map(&pt, 0x40200000, 0x50000000, 0x1000, S2_NORMAL_RWX), 0);
    assert_int_equal(s2pt_map(&pt, 0x40200000, 0x50000000, 0x1000, S2_NORMAL_RWX), S2_EEXIST);
}

static void test_out_of_pages(void **state)
{
    (void)state;
    struct s2pt pt;
    pool.limit = 2;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    assert_int_equal(s2pt_map(&pt, 0x9000000, 0x9000000, 0x1000, S2_DEVICE_RW), S2_ENOMEM);
    pool.limit = 0;
    struct s2pt pt2;
    assert_int_equal(s2pt_init(&pt2, &alloc), S2_ENOMEM);
}

/* Shared memory: Normal, never executable; read-only where the config says "ro". */
static void test_shared_memory_attributes(void **state)
{
    (void)state;
    struct s2pt pt;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    assert_int_equal(s2pt_map(&pt, 0x800000000UL, 0x4f000000, 0x1000, S2_SHARED_RW), 0);
    assert_int_equal(s2pt_map(&pt, 0x800001000UL, 0x4f001000, 0x1000, S2_SHARED_RO), 0);
    assert_int_equal(s2pt_map(&pt, 0x800002000UL, 0x4f002000, 0x1000, 9), S2_EINVAL);
    paddr_t pa;
    enum s2_attr attr;
    int level;
    assert_int_equal(s2pt_lookup(&pt, 0x800000010UL, &pa, &attr, &level), 0);
    assert_int_equal(pa, 0x4f000010);
    assert_int_equal(attr, S2_SHARED_RW);
    assert_int_equal(s2pt_lookup(&pt, 0x800001ff8UL, &pa, &attr, &level), 0);
    assert_int_equal(pa, 0x4f001ff8);
    assert_int_equal(attr, S2_SHARED_RO);
    uint64_t *l2 = pool.pages[1], *l3 = pool.pages[2]; /* root, level 2, level 3 */
    (void)l2;
    assert_int_equal(l3[0] & (S2_AP_MASK | S2_XN | S2_MEMATTR_MASK),
                     S2_AP_RW | S2_XN | S2_MEMATTR_NORMAL_WB);
    assert_int_equal(l3[1] & (S2_AP_MASK | S2_XN | S2_MEMATTR_MASK),
                     S2_AP_RO | S2_XN | S2_MEMATTR_NORMAL_WB);
}

/* A VM that failed to start, or is gone, gives every table page back, once. */
static void test_destroy_frees_every_table(void **state)
{
    (void)state;
    struct s2pt pt;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    assert_int_equal(s2pt_map(&pt, 0x401ff000, 0x501ff000, 0x202000, S2_NORMAL_RWX), 0);
    assert_int_equal(s2pt_map(&pt, 0x9000000, 0x9000000, 0x1000, S2_DEVICE_RW), 0);
    assert_int_equal(s2pt_map(&pt, 0x8000000000UL - 0x1000, 0x1000, 0x1000, S2_DEVICE_RW), 0);
    assert_true(pool.used >= 6); /* root, 3 level-2 and at least 3 level-3 tables */
    s2pt_destroy(&pt);
    assert_int_equal(pool_freed(), pool.used);
    assert_null(pt.root);
    s2pt_destroy(&pt); /* a second destroy is harmless */
    assert_int_equal(pool_freed(), pool.used);
}

/* Out of pages half way: what was taken can still be given back. */
static void test_destroy_after_enomem(void **state)
{
    (void)state;
    struct s2pt pt;
    pool.limit = 2;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    assert_int_equal(s2pt_map(&pt, 0x9000000, 0x9000000, 0x1000, S2_DEVICE_RW), S2_ENOMEM);
    s2pt_destroy(&pt);
    assert_int_equal(pool_freed(), 2);
}

/* Unmap removes exactly the pages asked for, leaves the tables, and a remap allocates
 * nothing; an unmapped hole is skipped and counted as such. */
static void test_unmap_pages(void **state)
{
    (void)state;
    struct s2pt pt;
    paddr_t pa;
    enum s2_attr attr;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    assert_int_equal(s2pt_map(&pt, 0x4000000000UL, 0x48010000, 0x4000, S2_SHARED_RW), 0);
    unsigned used = pool.used;
    assert_int_equal(s2pt_unmap(&pt, 0x4000001000UL, 0x2000), 2);
    assert_int_equal(s2pt_lookup(&pt, 0x4000000000UL, &pa, &attr, 0), 0);
    assert_int_equal(s2pt_lookup(&pt, 0x4000001000UL, &pa, &attr, 0), S2_EINVAL);
    assert_int_equal(s2pt_lookup(&pt, 0x4000002ff8UL, &pa, &attr, 0), S2_EINVAL);
    assert_int_equal(s2pt_lookup(&pt, 0x4000003000UL, &pa, &attr, 0), 0);
    assert_int_equal(pa, 0x48013000);
    assert_int_equal(s2pt_unmap(&pt, 0x4000000000UL, 0x4000), 2); /* the hole counts 0 */
    assert_int_equal(s2pt_unmap(&pt, 0x4000000000UL, 0x4000), 0);
    assert_int_equal(pool_freed(), 0); /* tables stay */
    assert_int_equal(s2pt_map(&pt, 0x4000002000UL, 0x48020000, 0x1000, S2_SHARED_RO), 0);
    assert_int_equal(pool.used, used); /* ... so a remap allocates nothing */
    assert_int_equal(s2pt_lookup(&pt, 0x4000002000UL, &pa, &attr, 0), 0);
    assert_int_equal(attr, S2_SHARED_RO);
}

/* A 2 MiB block goes only whole; a range that would split one changes nothing. */
static void test_unmap_blocks_whole_only(void **state)
{
    (void)state;
    struct s2pt pt;
    paddr_t pa;
    enum s2_attr attr;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    assert_int_equal(s2pt_map(&pt, 0x40000000, 0x48000000, 0x400000, S2_NORMAL_RWX), 0);
    assert_int_equal(s2pt_map(&pt, 0x40400000, 0x48400000, 0x1000, S2_NORMAL_RWX), 0);
    assert_int_equal(s2pt_unmap(&pt, 0x40000000, 0x1000), S2_EINVAL);
    assert_int_equal(s2pt_map(&pt, 0x3ffff000, 0x47fff000, 0x1000, S2_NORMAL_RWX), 0);
    assert_int_equal(s2pt_unmap(&pt, 0x3ffff000, 0x2000), S2_EINVAL);
    assert_int_equal(s2pt_lookup(&pt, 0x3ffff000, &pa, &attr, 0), 0); /* all or nothing */
    assert_int_equal(s2pt_lookup(&pt, 0x40000000, &pa, &attr, 0), 0);
    assert_int_equal(s2pt_unmap(&pt, 0x40200000, 0x201000), 513);
    assert_int_equal(s2pt_lookup(&pt, 0x40200000, &pa, &attr, 0), S2_EINVAL);
    assert_int_equal(s2pt_lookup(&pt, 0x40400000, &pa, &attr, 0), S2_EINVAL);
    assert_int_equal(s2pt_lookup(&pt, 0x401ff000, &pa, &attr, 0), 0);
    assert_int_equal(s2pt_unmap(&pt, 0x40000001, 0x1000), S2_EINVAL);
    assert_int_equal(s2pt_unmap(&pt, 0x40000000, 0), S2_EINVAL);
    assert_int_equal(s2pt_unmap(&pt, 0x8000000000UL - 0x1000, 0x2000), S2_EINVAL);
}

/* Preallocation builds the tables down to level 3 and maps nothing; pages mapped there
 * later take no page from the allocator, even when it has none left. */
static void test_prealloc_then_map_allocates_nothing(void **state)
{
    (void)state;
    struct s2pt pt;
    paddr_t pa;
    enum s2_attr attr;
    assert_int_equal(s2pt_init(&pt, &alloc), 0);
    assert_int_equal(s2pt_prealloc(&pt, 0x4000000000UL, 0x40000), 0);
    assert_int_equal(pool.used, 3); /* root, level 2, level 3 */
    assert_int_equal(s2pt_lookup(&pt, 0x4000000000UL, &pa, &attr, 0), S2_EINVAL);
    pool.limit = pool.used;
    for (unsigned i = 0; i < 64; i++)
        assert_int_equal(s2pt_map(&pt, 0x4000000000UL + i * 0x1000UL, 0x48000000 + i * 0x1000UL,
                                  0x1000, S2_SHARED_RW),
                         0);
    assert_int_equal(s2pt_prealloc(&pt, 0x4000000000UL, 0x1000), 0); /* idempotent */
    assert_int_equal(s2pt_prealloc(&pt, 0x4000200000UL, 0x1000), S2_ENOMEM);
    assert_int_equal(s2pt_prealloc(&pt, 0x4000000001UL, 0x1000), S2_EINVAL);
    pool.limit = POOL;
    assert_int_equal(s2pt_map(&pt, 0x40000000, 0x48000000, 0x200000, S2_NORMAL_RWX), 0);
    assert_int_equal(s2pt_prealloc(&pt, 0x40000000, 0x1000), S2_EEXIST); /* a block is there */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ram_uses_2m_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_pages_are_xn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unaligned_mix_blocks_and_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overlap_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_frees_every_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_memory_attributes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_after_enomem, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_blocks_whole_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prealloc_then_map_allocates_nothing, setup, teardown),
    };
    return cmocka_run_group_tests_name("s2pt", tests, NULL, NULL);
}
