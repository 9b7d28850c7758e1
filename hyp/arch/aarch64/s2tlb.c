/* SPDX-License-Identifier: MIT */
/*
 * s2tlb.c - stage-2 changes made while VMs run (run-time grants): publishing new entries and
 * invalidating removed ones in every CPU's TLBs, from whichever CPU made the change.
 */
#include "hyp.h"
#include "sysreg.h"

/* New valid entries need no TLB maintenance (an invalid entry is never cached); the DSB makes
 * the descriptor writes visible to every CPU's table walks before the VM is told the IPA. */
void arch_s2_publish(void)
{
    dsb(ish);
}

/*
 * Arm ARM (DDI 0487), "Invalidation of TLB entries from stage 2 translations" under TLB
 * maintenance in the VMSAv8-64 chapter: after the stage-2 descriptors are written invalid,
 * DSB; TLBI IPAS2E1IS for each IPA (stage-2-only entries, any level of the walk, the current
 * VMID, every CPU in the Inner Shareable domain); DSB; then TLBI VMALLE1IS, because
 * IPAS2E1IS need not touch entries that combine stage 1 and stage 2; DSB. Both operate on
 * the VMID in VTTBR_EL2, so this CPU loads @vm's for the duration (EL2 runs with interrupts
 * masked and the EL1&0 regime is not in use here) and puts its own back. When this returns,
 * no CPU can reach the old pages through @vm's stage 2.
 */
void arch_s2_tlb_inval(const struct vm *vm, ipa_t ipa, uint64_t pages)
{
    uint64_t saved = read_sysreg(vttbr_el2);
    dsb(ish);
    write_sysreg(vttbr_el2, arch_vttbr(vm));
    isb();
    for (uint64_t i = 0; i < pages; i++)
        __asm__ volatile("tlbi ipas2e1is, %0" ::"r"((ipa >> 12) + i) : "memory");
    dsb(ish);
    __asm__ volatile("tlbi vmalle1is" ::: "memory");
    dsb(ish);
    write_sysreg(vttbr_el2, saved);
    isb();
}
