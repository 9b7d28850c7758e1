/* SPDX-License-Identifier: MIT */
/*
 * hypercall.c - the "invoke" half: acts on calls that hc_decode() has already validated,
 * so nothing here checks guest input again and nothing here can fail on it.
 */
#include "drivers.h"
#include "emv/errno.h"
#include "hyp.h"
#include "string.h"

static int64_t hc_invoke(struct vcpu *v, const struct hc_call *c, uint64_t *x)
{
    switch (c->nr) {
    case EMV_HC_VERSION:
        return EMV_ABI_VERSION;
    case EMV_HC_CONSOLE_WRITE:
        vm_console_write(v->vm, (const char *)c->buf_pa, c->len);
        return (int64_t)c->len;
    case EMV_HC_YIELD:
        sched_yield(v);
        return 0;
    case EMV_HC_SELF:
        x[1] = v->vm->id;
        x[2] = v->id;
        x[3] = v->vm->nr_vcpus;
        return 0;
    case EMV_HC_TIME:
        x[1] = timer_now_ns();
        x[2] = timer_freq();
        return 0;
    case EMV_HC_BLOCK: {
        ns_t deadline = vcpu_arch_timer_deadline(v);
        if (c->arg && (!deadline || c->arg < deadline))
            deadline = c->arg;
        sched_block(v, deadline);
        return 0;
    }
    case EMV_HC_VM_NAME: {
        size_t n = strlen(v->vm->name);
        if (c->len) {
            size_t k = n < c->len - 1 ? n : c->len - 1;
            memcpy((void *)c->buf_pa, v->vm->name, k);
            ((char *)c->buf_pa)[k] = '\0';
        }
        return (int64_t)n;
    }
    case EMV_HC_SYSTEM_OFF:
        system_report_and_off("control VM asked");
    default:
        return -EMV_ENOSYS;
    }
}

void hypercall_handle(struct vcpu *v, uint32_t imm)
{
    uint64_t *x = this_pcpu()->frame;
    struct hc_call call;
    v->stats.hypercalls++;
    int r = hc_decode(&v->vm->ram, imm, x, v->vm->cfg->flags & EMV_VM_F_CONTROL, &call);
    x[0] = r ? (uint64_t)(int64_t)r : (uint64_t)hc_invoke(v, &call, x);
}
