/* SPDX-License-Identifier: MIT */
/* virq.c - raising virtual interrupts: mark pending, wake the vCPU; delivery is vgic_arch_flush. */
#include "hyp.h"

void virq_raise(struct vcpu *v, irq_t irq)
{
    if (irq >= VGIC_NR_IRQS)
        return;
    __atomic_fetch_or(&v->vgic.pending, 1UL << irq, __ATOMIC_RELEASE);
    if (v->state == VCPU_BLOCKED)
        sched_wake(v);
    else if (v->pcpu != this_pcpu()->id)
        sched_kick(v); /* running elsewhere: make it exit so the interrupt is delivered */
}

bool virq_pending(struct vcpu *v)
{
    uint64_t pend = __atomic_load_n(&v->vgic.pending, __ATOMIC_ACQUIRE);
    for (irq_t irq = 0; pend; irq++, pend >>= 1)
        if ((pend & 1) && vgic_irq_enabled(&v->vm->vgicd, &v->vgic, irq))
            return true;
    return vgic_arch_lr_pending(v);
}
