/* SPDX-License-Identifier: MIT */
/* hc_decode.c - hypercall argument validation; no hardware access (host unit-tested). */
#include "hc_decode.h"

#include "emv/errno.h"
#include "emv/hypercall.h"
#include "emv/objects.h"
#include "config.h"

int guest_range_to_pa(const struct guest_ram *ram, ipa_t ipa, uint64_t len, paddr_t *pa)
{
    /* Written so that no sum can wrap: ipa - ram->ipa only after ipa >= ram->ipa. */
    if (ipa < ram->ipa)
        return -EMV_EFAULT;
    uint64_t off = ipa - ram->ipa;
    if (off >= ram->size || len > ram->size - off)
        return -EMV_EFAULT;
    *pa = ram->pa + off;
    return 0;
}

/* A buffer (ipa, len) given in two argument registers. */
static int decode_buffer(const struct guest_ram *ram, uint64_t ipa, uint64_t len, uint64_t max,
                         struct hc_call *out)
{
    if (len > max)
        return -EMV_E2BIG;
    out->len = len;
    out->buf_ipa = ipa;
    if (len == 0)
        return 0;
    return guest_range_to_pa(ram, ipa, len, &out->buf_pa);
}

/* (VM object, vCPU index): the object is the caller's table's business (hc_decode_obj);
 * whether the VM has that many vCPUs is checked when the call acts. */
static int decode_vm_vcpu(const uint64_t x[6], struct hc_call *out)
{
    if (x[2] >= EMV_MAX_VCPUS_PER_VM)
        return -EMV_EINVAL;
    out->arg = x[1];
    out->arg2 = x[2];
    return 0;
}

/* A periodic server: 0 < budget <= period, period within [10 us, 10 s]; or (0, 0) to make
 * the vCPU best effort. */
static int decode_sched_set(const uint64_t x[6], struct hc_call *out)
{
    uint64_t period = x[3], budget = x[4];
    bool be = period == 0 && budget == 0;
    if (!be && (period < 10000 || period > 10000000000UL || budget == 0 || budget > period))
        return -EMV_EINVAL;
    out->period = period;
    out->budget = budget;
    return decode_vm_vcpu(x, out);
}

/* GRANT_CREATE (port, ipa, pages, flags): whole pages of the caller's own RAM, nothing else
 * (not its devices, shared regions or grant window: none of them is inside its RAM). */
static int decode_grant_create(const struct guest_ram *ram, const uint64_t x[6],
                               struct hc_call *out)
{
    if (!IS_ALIGNED(x[2], PAGE_SIZE) || x[3] == 0 || x[3] > EMV_GRANT_MAX_PAGES ||
        (x[4] & ~(uint64_t)EMV_GRANT_RO))
        return -EMV_EINVAL;
    out->arg = x[1];
    out->arg2 = x[4];
    out->len = x[3];
    return guest_range_to_pa(ram, x[2], x[3] * PAGE_SIZE, &out->buf_pa);
}

/* GRANT_UNMAP (ipa): the first page of a mapping in the caller's grant window. */
static int decode_grant_unmap(const uint64_t x[6], struct hc_call *out)
{
    if (x[1] < EMV_GRANT_IPA_BASE || !IS_ALIGNED(x[1], PAGE_SIZE) ||
        (x[1] - EMV_GRANT_IPA_BASE) / PAGE_SIZE >= EMV_GRANT_WINDOW_PAGES)
        return -EMV_EINVAL;
    out->arg = (x[1] - EMV_GRANT_IPA_BASE) / PAGE_SIZE; /* the window page */
    return 0;
}

int hc_decode(const struct guest_ram *ram, uint32_t imm, const uint64_t x[6], bool privileged,
              struct hc_call *out)
{
    if (imm != 0 || x[0] >= EMV_HC_COUNT)
        return -EMV_ENOSYS;
    out->nr = (unsigned)x[0];
    out->buf_pa = 0;
    out->buf_ipa = 0;
    out->len = 0;
    out->arg = out->arg2 = out->period = out->budget = 0;
    out->obj = 0;
    switch (out->nr) {
    case EMV_HC_CONSOLE_WRITE:
        return decode_buffer(ram, x[1], x[2], EMV_CONSOLE_MAX, out);
    case EMV_HC_VM_NAME:
        return decode_buffer(ram, x[1], x[2], EMV_CONSOLE_MAX, out);
    case EMV_HC_BLOCK:
    case EMV_HC_CPU_INFO: /* which CPUs exist is checked when the call acts */
        out->arg = x[1];
        return 0;
    case EMV_HC_SYSTEM_OFF:
        return privileged ? 0 : -EMV_EPERM;
    case 0x0a: /* retired numbers (the shared inbox, include/emv/hypercall.h): never reused */
    case 0x0b:
        return -EMV_ENOSYS;
    case EMV_HC_SCHED_SET:
        return decode_sched_set(x, out);
    case EMV_HC_SCHED_STATS: /* the same (VM object, vcpu) arguments */
    case EMV_HC_SCHED_GET:
        return decode_vm_vcpu(x, out);
    case EMV_HC_EVTCHN_NOTIFY: /* which objects exist is the caller's table's business */
    case EMV_HC_EVTCHN_ALLOC_UNBOUND:
    case EMV_HC_EVTCHN_CLOSE:
    case EMV_HC_IPC_CALL: /* the message words are data: anything goes */
    case EMV_HC_IPC_REPLY_RECV:
        out->arg = x[1];
        return 0;
    case EMV_HC_EVTCHN_BIND: /* (VM object, its port): whose port and what state is evport's */
        if (x[2] >= EMV_MAX_OBJS)
            return -EMV_EINVAL;
        out->arg = x[1];
        out->arg2 = x[2];
        return 0;
    case EMV_HC_EVTCHN_MASK:
        if (x[2] > 1)
            return -EMV_EINVAL;
        out->arg = x[1];
        out->arg2 = x[2];
        return 0;
    case EMV_HC_GRANT_CREATE:
        return decode_grant_create(ram, x, out);
    case EMV_HC_GRANT_REVOKE:
        if (x[1] >= EMV_GRANT_MAX)
            return -EMV_EINVAL;
        out->arg = x[1];
        return 0;
    case EMV_HC_GRANT_MAP: /* (port, ref): whose grant and whether live is the grant table's */
        if (x[2] >= EMV_GRANT_MAX)
            return -EMV_EINVAL;
        out->arg = x[1];
        out->arg2 = x[2];
        return 0;
    case EMV_HC_GRANT_UNMAP:
        return decode_grant_unmap(x, out);
    default:
        return 0;
    }
}

/* A port: a config channel end (needing @need), or an index free for run-time ports. */
static int port_decode(const struct emv_vm_cfg *vm, uint64_t idx, uint32_t need,
                       const struct emv_obj_cfg **out)
{
    if (idx < vm->nr_objs)
        return obj_decode(vm, idx, EMV_OBJ_EVTCHN, need, out);
    *out = 0;
    return idx < EMV_MAX_OBJS ? 0 : -EMV_EINVAL;
}

/* CLOSE: a run-time port only; the config's channels last as long as the system. */
static int close_decode(const struct emv_vm_cfg *vm, uint64_t idx)
{
    if (idx < vm->nr_objs && idx < EMV_MAX_OBJS)
        return vm->objs[idx].type == EMV_OBJ_EVTCHN ? -EMV_EPERM : -EMV_EINVAL;
    return idx < EMV_MAX_OBJS ? 0 : -EMV_EINVAL;
}

int hc_decode_obj(const struct emv_vm_cfg *vm, struct hc_call *call)
{
    switch (call->nr) {
    case EMV_HC_SCHED_GET: /* another VM's scheduling is the business of who controls it */
    case EMV_HC_SCHED_SET:
    case EMV_HC_SCHED_STATS:
        return obj_decode(vm, call->arg, EMV_OBJ_VM, EMV_RIGHT_CONTROL, &call->obj);
    case EMV_HC_EVTCHN_NOTIFY:
        return port_decode(vm, call->arg, EMV_RIGHT_NOTIFY, &call->obj);
    case EMV_HC_EVTCHN_MASK:  /* one's own port: no right needed beyond having it */
    case EMV_HC_GRANT_CREATE: /* the channel end names the peer; no right needed either */
    case EMV_HC_GRANT_MAP:
        return port_decode(vm, call->arg, 0, &call->obj);
    case EMV_HC_EVTCHN_ALLOC_UNBOUND:
    case EMV_HC_EVTCHN_BIND:
        return obj_decode(vm, call->arg, EMV_OBJ_VM, EMV_RIGHT_BIND, &call->obj);
    case EMV_HC_EVTCHN_CLOSE:
        return close_decode(vm, call->arg);
    case EMV_HC_IPC_CALL:
        return obj_decode(vm, call->arg, EMV_OBJ_ENDPOINT, EMV_RIGHT_CALL, &call->obj);
    case EMV_HC_IPC_REPLY_RECV:
        return obj_decode(vm, call->arg, EMV_OBJ_ENDPOINT, EMV_RIGHT_RECV, &call->obj);
    default:
        return 0;
    }
}
