/* SPDX-License-Identifier: MIT */
/*
 * hypercall.c - the "invoke" half: acts on calls that hc_decode() has already validated,
 * so nothing here checks guest input again and nothing here can fail on it.
 */
#include "drivers.h"
#include "emv/errno.h"
#include "hyp.h"
#include "string.h"

#define HC_NO_RESULT INT64_MIN /* the call put its results in the caller's IPC mailbox */

/* vCPU @idx of the VM object @o names (decoded: the caller holds it with the right the call
 * needs); 0 if that VM has no such vCPU (or never started). */
static struct vcpu *find_vcpu(const struct emv_obj_cfg *o, uint64_t idx)
{
    struct vm *vm = o->peer_vm < nr_vms ? &vms[o->peer_vm] : 0;
    return vm && idx < vm->nr_vcpus ? vm->vcpus[idx] : 0;
}

static int64_t hc_sched_get(const struct hc_call *c, uint64_t *x)
{
    struct vcpu *t = find_vcpu(c->obj, c->arg2);
    if (!t)
        return -EMV_EINVAL;
    spin_lock(&t->change.lock); /* the newest interface, even if not applied yet */
    bool pend = t->change.pending;
    x[1] = pend ? t->change.period_ns : t->se.period_ns;
    x[2] = pend ? t->change.budget_ns : t->se.budget_ns;
    spin_unlock(&t->change.lock);
    x[3] = t->pcpu;
    return 0;
}

static int64_t hc_sched_stats(const struct hc_call *c, uint64_t *x)
{
    struct vcpu *t = find_vcpu(c->obj, c->arg2);
    if (!t)
        return -EMV_EINVAL;
    x[1] = sched_overhead_max(t);
    x[2] = t->se.replenishments;
    x[3] = t->se.exhaustions;
    return 0;
}

static int64_t hc_sched_set(struct vcpu *v, const struct hc_call *c)
{
    struct vcpu *t = find_vcpu(c->obj, c->arg2);
    if (!t || t->vm->state != VM_RUNNING)
        return -EMV_EINVAL;
    hyp_log("vm '%s' vcpu %u: interface set to budget %lu us every %lu us by '%s'", t->vm->name,
            t->id, c->budget / 1000, c->period / 1000, v->vm->name);
    return sched_change(t, c->period, c->budget);
}

static int64_t hc_invoke(struct vcpu *v, const struct hc_call *c, uint64_t *x)
{
    switch (c->nr) {
    case EMV_HC_VERSION:
        return EMV_ABI_VERSION;
    case EMV_HC_CONSOLE_WRITE: {
        int r = vm_console_write(v->vm, c->buf_ipa, c->len);
        return r ? r : (int64_t)c->len;
    }
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
            char name[EMV_NAME_MAX + 1] = {0}; /* the name and its NUL, copied at once */
            memcpy(name, v->vm->name, k);
            int r = copy_to_guest(v->vm, c->buf_ipa, name, k + 1);
            if (r)
                return r;
        }
        return (int64_t)n;
    }
    case EMV_HC_SCHED_GET:
        return hc_sched_get(c, x);
    case EMV_HC_SCHED_SET:
        return hc_sched_set(v, c);
    case EMV_HC_SCHED_STATS:
        return hc_sched_stats(c, x);
    case EMV_HC_CPU_INFO:
        if (c->arg >= PLAT_MAX_CPUS || !pcpus[c->arg].online)
            return -EMV_EINVAL;
        x[1] = c->arg < ARRAY_SIZE(emv_config.cpu_policy) ? emv_config.cpu_policy[c->arg] : 0;
        return 0;
    case EMV_HC_EVTCHN_NOTIFY:
        return evtchn_notify(v->vm, c);
    case EMV_HC_EVTCHN_POLL:
        x[1] = evtchn_poll(v->vm);
        return 0;
    case EMV_HC_EVTCHN_MASK:
    case EMV_HC_EVTCHN_ALLOC_UNBOUND:
    case EMV_HC_EVTCHN_BIND:
    case EMV_HC_EVTCHN_CLOSE:
        return evtchn_call(v->vm, c, x);
    case EMV_HC_IPC_CALL: /* results come through the mailbox: the frame may be another's */
        ipc_call(v, c->obj, x);
        return HC_NO_RESULT;
    case EMV_HC_IPC_REPLY_RECV:
        ipc_reply_recv(v, c->obj, x);
        return HC_NO_RESULT;
    case EMV_HC_GRANT_CREATE:
    case EMV_HC_GRANT_REVOKE:
    case EMV_HC_GRANT_MAP:
    case EMV_HC_GRANT_UNMAP:
        return vm_grant_call(v->vm, c, x);
    case EMV_HC_SYSTEM_OFF:
        system_report_and_off("control VM asked");
    default:
        return -EMV_ENOSYS;
    }
}

void hypercall_handle(struct vcpu *v, uint32_t imm)
{
    uint64_t *x = v->regs;
    struct hc_call call;
    v->stats.hypercalls++;
    int r = hc_decode(&v->vm->ram, imm, x, v->vm->cfg->flags & EMV_VM_F_CONTROL, &call);
    if (!r && call.nr >= HC_FIRST_OBJ_CALL)
        r = hc_decode_obj(v->vm->cfg, &call);
    if (r) {
        x[0] = (uint64_t)(int64_t)r;
        return;
    }
    int64_t res = hc_invoke(v, &call, x);
    if (res != HC_NO_RESULT)
        x[0] = (uint64_t)res;
}
