/* SPDX-License-Identifier: MIT */
/**
 * mmio.h - what an emulated MMIO load puts in the guest's register and what an emulated
 * store writes, from the data-abort syndrome (Arm ARM, ESR_ELx ISS for a data abort with
 * ISV = 1): SAS the access size, SSE sign-extend, SF 64-bit register. Pure: host-tested.
 */
#ifndef EMV_MMIO_H
#define EMV_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#define ISS_SSE (1u << 21) /**< the load sign-extends (LDRSB/LDRSH/LDRSW) */
#define ISS_SF (1u << 15)  /**< the register is 64-bit Xt (else 32-bit Wt) */

static inline uint64_t mmio_size_mask(unsigned size)
{
    return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

/** The value a load of @size bytes that read @val leaves in its target register. */
static inline uint64_t mmio_load_result(uint64_t val, unsigned size, uint64_t iss)
{
    val &= mmio_size_mask(size);
    if ((iss & ISS_SSE) && size < 8 && (val >> (8 * size - 1)) & 1)
        val |= ~mmio_size_mask(size);
    return iss & ISS_SF ? val : val & 0xffffffffULL;
}

/** The bytes a store of @size bytes from register value @reg writes. */
static inline uint64_t mmio_store_value(uint64_t reg, unsigned size)
{
    return reg & mmio_size_mask(size);
}

#endif
