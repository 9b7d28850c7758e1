/* SPDX-License-Identifier: MIT */
/*
 * guest_mem.c - the only way the hypervisor reads or writes a guest's memory. Every copy
 * checks its whole range against the guest's RAM as its stage 2 maps it (one window,
 * IPA -> PA) at the moment of the copy, so an address a guest gave is never cast and used.
 * The EL2 map is the identity on RAM, so the checked PA is also where the bytes are.
 */
#include "emv/errno.h"
#include "hyp.h"
#include "string.h"

int copy_from_guest(const struct vm *vm, void *dst, ipa_t src, uint64_t len)
{
    paddr_t pa;
    if (!len)
        return 0;
    int r = guest_range_to_pa(&vm->ram, src, len, &pa);
    if (r)
        return r;
    memcpy(dst, (const void *)pa, len);
    return 0;
}

int copy_to_guest(const struct vm *vm, ipa_t dst, const void *src, uint64_t len)
{
    paddr_t pa;
    if (!len)
        return 0;
    int r = guest_range_to_pa(&vm->ram, dst, len, &pa);
    if (r)
        return r;
    memcpy((void *)pa, src, len);
    return 0;
}
