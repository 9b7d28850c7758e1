/* SPDX-License-Identifier: MIT */
/* virq.c - raising virtual interrupts: mark pending, wake the vCPU; delivery is vgic_arch_flush. */
#include "hyp.h"

/*
 * A raise of an interrupt that is already pending coalesces with the raise that set it,
 * which did the wake or the kick: however fast a sender raises, the target's CPU is
 * disturbed at most once per interrupt the target actually takes. The pending bit is set
 * before the vCPU's state is read (both sequentially consistent), so either this raise sees
 * the vCPU blocked and wakes it, or the vCPU's CPU, blocking it, sees the bit (wake_due).
 */
void virq_raise(struct vcpu *v, irq_t irq)
{
    if (irq >= VGIC_NR_IRQS)
        return;
    uint64_t bit = 1UL << (irq % 64);
    if (__atomic_fetch_or(&v->vgic.pending[irq / 64], bit, __ATOMIC_SEQ_CST) & bit)
        return;
    if (__atomic_load_n(&v->state, __ATOMIC_SEQ_CST) == VCPU_BLOCKED)
        sched_wake(v);
    else
        sched_notify(v);
}

bool virq_pending(struct vcpu *v)
{
    for (unsigned w = 0; w < VGIC_WORDS; w++) {
        uint64_t pend = __atomic_load_n(&v->vgic.pending[w], __ATOMIC_ACQUIRE);
        while (pend) {
            irq_t irq = w * 64 + (irq_t)__builtin_ctzll(pend);
            if (vgic_irq_enabled(&v->vm->vgicd, &v->vgic, irq))
                return true;
            pend &= pend - 1;
        }
    }
    return vgic_arch_lr_pending(v);
}
