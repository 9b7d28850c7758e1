/* SPDX-License-Identifier: MIT */
/**
 * dma.h - which of a VM's passed-through devices can master DMA.
 *
 * Stage 2 translates the CPU's accesses only; without an SMMU a device that masters DMA reads
 * and writes physical memory directly, so a VM holding one can reach every VM's RAM and the
 * hypervisor's. Decided from the board description (board.h), not from the generated tables,
 * so tables produced some other way cannot hide a DMA device. Pure: no hardware, no state.
 */
#ifndef EMV_DMA_H
#define EMV_DMA_H

#include <stddef.h>

#include "core/config.h"

/**
 * The board device that can master DMA and that the stage-2 mapping of @d exposes: the device
 * at @d's exact place, else any DMA-capable device sharing one of @d's pages. NULL for none.
 */
const char *dma_master_of(const struct emv_dev_cfg *d);

/**
 * How many of @c's devices can master DMA; their board names go to @list, ", "-separated and
 * NUL-terminated (cut short if @size is too small; @size > 0).
 */
unsigned dma_masters(const struct emv_vm_cfg *c, char *list, size_t size);

#endif
