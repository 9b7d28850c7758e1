/* SPDX-License-Identifier: MIT */
/*
 * dma.c - DMA-capable devices of a VM, from the board's PLAT_DEVICES table (see dma.h).
 */
#include "core/dma.h"

#include <stdbool.h>

#include "board.h"

#define DMA_PAGE_MASK 0xfffULL

enum dma { NO_DMA, DMA };

struct dma_dev {
    const char *name;
    uint64_t base, size;
    enum dma dma;
};
#define X(n, b, s, i, o, m) {n, b, s, m},
static const struct dma_dev board_devs[] = {PLAT_DEVICES(X)};
#undef X
#define NR_BOARD_DEVS (sizeof(board_devs) / sizeof(board_devs[0]))

/* The last byte of [base, base+size), saturated: a bad table must not wrap around to 0. */
static uint64_t last_byte(uint64_t base, uint64_t size)
{
    uint64_t last = base + size - 1;
    return last < base ? ~0ULL : last;
}

/* Stage 2 maps whole pages, so a region exposes every device in the pages it touches. */
static bool pages_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    if (!as || !bs)
        return false;
    uint64_t a0 = a & ~DMA_PAGE_MASK, a1 = last_byte(a, as) | DMA_PAGE_MASK;
    uint64_t b0 = b & ~DMA_PAGE_MASK, b1 = last_byte(b, bs) | DMA_PAGE_MASK;
    return a0 <= b1 && b0 <= a1;
}

const char *dma_master_of(const struct emv_dev_cfg *d)
{
    for (unsigned i = 0; i < NR_BOARD_DEVS; i++)
        if (board_devs[i].dma == DMA && board_devs[i].base == d->base &&
            board_devs[i].size == d->size)
            return board_devs[i].name;
    for (unsigned i = 0; i < NR_BOARD_DEVS; i++)
        if (board_devs[i].dma == DMA &&
            pages_overlap(d->base, d->size, board_devs[i].base, board_devs[i].size))
            return board_devs[i].name;
    return 0;
}

/* Append @s to the NUL-terminated @list of @size bytes, cutting it short if need be. */
static void append(char *list, size_t size, const char *s)
{
    size_t n = 0;
    while (list[n])
        n++;
    while (*s && n + 1 < size)
        list[n++] = *s++;
    list[n] = '\0';
}

unsigned dma_masters(const struct emv_vm_cfg *c, char *list, size_t size)
{
    unsigned found = 0;
    list[0] = '\0';
    for (unsigned k = 0; k < c->nr_devs && k < EMV_MAX_DEVS_PER_VM; k++) {
        const char *name = dma_master_of(&c->devs[k]);
        if (!name)
            continue;
        if (found++)
            append(list, size, ", ");
        append(list, size, name);
    }
    return found;
}
