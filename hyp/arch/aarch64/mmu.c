/* SPDX-License-Identifier: MIT */
/*
 * mmu.c - the hypervisor's own EL2 stage-1 translation: an identity map in 1 GiB blocks,
 * Device memory below RAM, Normal write-back cacheable memory for RAM (Arm ARM D8.2).
 * Built once by CPU 0 with the MMU off; every CPU then enables the same tables.
 */
#include "board.h"
#include "sysreg.h"
#include "emv/types.h"

#define MAIR_DEVICE_nGnRE 0x04UL
#define MAIR_NORMAL_WB 0xffUL
#define ATTR_DEVICE 0 /* MAIR index */
#define ATTR_NORMAL 1

#define PTE_VALID (1UL << 0)
#define PTE_ATTR(i) ((uint64_t)(i) << 2)
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF (1UL << 10)
#define PTE_XN (1UL << 54)

/* TCR_EL2: T0SZ = 25 (39-bit VA, walk starts at level 1), WB caches, inner shareable,
 * 4 KiB granule, PS = 40-bit PA; bits 31 and 23 are RES1. */
#define TCR_EL2_VALUE                                                                              \
    (25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (0UL << 14) | (2UL << 16) | (1UL << 23) |     \
     (1UL << 31))

#define SCTLR_M (1UL << 0)
#define SCTLR_C (1UL << 2)
#define SCTLR_SA (1UL << 3)
#define SCTLR_I (1UL << 12)

static uint64_t el2_l1[512] __attribute__((aligned(4096)));

/* Called with the MMU off on CPU 0: keep to aligned 64-bit stores. */
void mmu_build_tables(void)
{
    for (uint64_t i = 0; i < 512; i++) {
        paddr_t pa = i << 30;
        bool ram = pa >= PLAT_RAM_BASE && pa < PLAT_RAM_BASE + PLAT_RAM_SIZE;
        if (ram)
            el2_l1[i] = pa | PTE_VALID | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF;
        else
            el2_l1[i] = pa | PTE_VALID | PTE_ATTR(ATTR_DEVICE) | PTE_AF | PTE_XN;
    }
}

void mmu_enable(void)
{
    write_sysreg(mair_el2,
                 MAIR_DEVICE_nGnRE << (8 * ATTR_DEVICE) | MAIR_NORMAL_WB << (8 * ATTR_NORMAL));
    write_sysreg(tcr_el2, TCR_EL2_VALUE);
    write_sysreg(ttbr0_el2, (uint64_t)el2_l1);
    isb();
    __asm__ volatile("tlbi alle2\n dsb ish" ::: "memory");
    isb();
    uint64_t sctlr = read_sysreg(sctlr_el2);
    write_sysreg(sctlr_el2, sctlr | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA);
    isb();
}

/* Clean data cache lines to the point of coherency, e.g. after loading a guest image that the
 * guest will first read with its MMU (and so its caches) off. */
void cache_clean_range(paddr_t start, uint64_t size)
{
    uint64_t ctr = read_sysreg(ctr_el0);
    uint64_t line = 4UL << ((ctr >> 16) & 0xf);
    for (paddr_t a = start & ~(line - 1); a < start + size; a += line)
        __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
    dsb(sy);
    __asm__ volatile("ic iallu" ::: "memory");
    dsb(sy);
    isb();
}
