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

/* Where [@ipa, @ipa + @len) of @vm's RAM is, after checking all of it; 0 for an empty range. */
static int guest_window(const struct vm *vm, ipa_t ipa, uint64_t len, paddr_t *pa)
{
    *pa = 0;
    return len ? guest_range_to_pa(&vm->ram, ipa, len, pa) : 0;
}

int copy_from_guest(const struct vm *vm, void *dst, ipa_t src, uint64_t len)
{
    paddr_t pa;
    int r = guest_window(vm, src, len, &pa);
    if (!r && len)
        memcpy(dst, (const void *)pa, len);
    return r;
}

int copy_to_guest(const struct vm *vm, ipa_t dst, const void *src, uint64_t len)
{
    paddr_t pa;
    int r = guest_window(vm, dst, len, &pa);
    if (!r && len)
        memcpy((void *)pa, src, len);
    return r;
}
