/* SPDX-License-Identifier: MIT */
/*
 * vpsci.c - PSCI for guests (vpsci.h): a Linux VM brings its secondary vCPUs up with CPU_ON,
 * takes them down with CPU_OFF, and powers itself off or restarts with SYSTEM_OFF / RESET,
 * which stop or restart that VM only, never the board.
 */
#include "core/vpsci.h"
#include "hyp.h"

/* Any vCPU of the VM, from any CPU: claim the target (one CPU_ON wins), give it the entry,
 * then its own CPU resets and wakes it at its next decision (sched.c: power_on_due). */
static int64_t cpu_on(struct vcpu *t, uint64_t entry, uint64_t context)
{
    uint32_t expect = VPSCI_OFF, ticket;
    if (!vmreset_cpu_on_ticket(&t->vm->reset, &ticket))
        return PSCI_DENIED; /* its VM restarts: only vCPU 0 starts, at the kernel's entry */
    if (!__atomic_compare_exchange_n(&t->power, &expect, VPSCI_CLAIMED, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return expect == VPSCI_ON ? PSCI_ALREADY_ON : PSCI_ON_PENDING;
    t->on_entry = entry;
    t->on_context = context;
    t->on_ticket = ticket;
    __atomic_store_n(&t->power, VPSCI_PENDING, __ATOMIC_RELEASE);
    sched_kick(t);
    return PSCI_SUCCESS;
}

static int64_t affinity_info(const struct vcpu *t)
{
    uint32_t p = __atomic_load_n(&t->power, __ATOMIC_ACQUIRE);
    return p == VPSCI_ON ? PSCI_AFF_ON : p == VPSCI_OFF ? PSCI_AFF_OFF : PSCI_AFF_ON_PENDING;
}

void vpsci_handle(struct vcpu *v, uint64_t *x)
{
    struct vm *vm = v->vm;
    struct vpsci_call c;
    vpsci_decode(x, vm->nr_vcpus, vm->ram.ipa, vm->ram.size, &c);
    switch (c.act) {
    case VPSCI_RETURN:
        x[0] = (uint64_t)c.ret;
        return;
    case VPSCI_DO_CPU_ON:
        x[0] = (uint64_t)cpu_on(vm->vcpus[c.target], c.entry, c.context);
        return;
    case VPSCI_DO_AFF_INFO:
        x[0] = (uint64_t)affinity_info(vm->vcpus[c.target]);
        return;
    case VPSCI_DO_CPU_OFF:
        sched_power_off(v);
        return;
    case VPSCI_DO_SYSTEM_OFF:
        vm_stop(vm, "powered off by the guest (PSCI SYSTEM_OFF, vcpu %u)", v->id);
        return;
    case VPSCI_DO_SYSTEM_RESET: /* that VM only; a second one meanwhile joins the first */
        vm_restart(vm, "the guest (PSCI SYSTEM_RESET, vcpu %u)", v->id);
        return;
    }
}
