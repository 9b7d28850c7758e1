/* SPDX-License-Identifier: MIT */
/**
 * hc_decode.h - validation of hypercall arguments (the "decode" half of decode-then-act).
 *
 * Pure: takes the caller's RAM window and registers, returns a fully checked call or an
 * error code. Nothing here can fault, so the invoke half never sees bad input.
 */
#ifndef EMV_HC_DECODE_H
#define EMV_HC_DECODE_H

#include "config.h" /* struct emv_vm_cfg: obj_decode is inline */
#include "emv/errno.h"
#include "emv/objects.h"
#include "emv/types.h"

struct emv_vm_cfg;
struct emv_obj_cfg;

/** The caller's RAM: the only memory a hypercall pointer may name. */
struct guest_ram {
    ipa_t ipa;
    paddr_t pa;
    uint64_t size;
};

/** A decoded, valid hypercall. */
struct hc_call {
    unsigned nr;    /**< EMV_HC_* */
    paddr_t buf_pa; /**< translated buffer, for calls that take one (checked here) */
    ipa_t buf_ipa;  /**< the same buffer as the guest named it: what copy_*_guest take */
    uint64_t len;
    uint64_t arg;                  /**< a scalar argument (BLOCK's deadline, an index) */
    uint64_t arg2;                 /**< a second one (a vCPU index) */
    uint64_t period, budget;       /**< SCHED_SET */
    const struct emv_obj_cfg *obj; /**< the caller's object the call names (hc_decode_obj) */
};

/** Translate [ipa, ipa+len) to host-physical; -EMV_EFAULT unless entirely inside @ram. */
int guest_range_to_pa(const struct guest_ram *ram, ipa_t ipa, uint64_t len, paddr_t *pa);

/**
 * Check a hypercall: @imm is the HVC immediate, @x the caller's x0..x5, @privileged whether the
 * caller is the control VM. Returns 0 and fills @out, or a negative EMV_E* code.
 */
int hc_decode(const struct guest_ram *ram, uint32_t imm, const uint64_t x[6], bool privileged,
              struct hc_call *out);

/**
 * Turn an object index into the caller's own object: it must exist in @vm's table (config),
 * be of @type and carry every right in @need. Returns 0 and sets @out; -EMV_EINVAL for an
 * index the caller does not have or an object of another type; -EMV_EPERM for missing rights.
 */
static inline int obj_decode(const struct emv_vm_cfg *vm, uint64_t idx, uint32_t type,
                             uint32_t need, const struct emv_obj_cfg **out)
{
    if (idx >= vm->nr_objs || idx >= EMV_MAX_OBJS)
        return -EMV_EINVAL;
    const struct emv_obj_cfg *o = &vm->objs[idx];
    if (o->type != type)
        return -EMV_EINVAL;
    if ((o->rights & need) != need)
        return -EMV_EPERM;
    *out = o;
    return 0;
}

/** Calls numbered below this name no object: hypercall_handle() skips hc_decode_obj() for
 *  them (one compare on the null hypercall's path). */
#define HC_FIRST_OBJ_CALL EMV_HC_SCHED_GET

/** The second decode step, for calls that name objects: resolves call->obj from the caller's
 *  table (after hc_decode() accepted the registers). A call naming an event-channel port
 *  resolves a config end to its object; an index past the config's objects (below
 *  EMV_MAX_OBJS) is a run-time port: call->obj stays 0 and its state is checked where the
 *  call acts, under the ports' locks (core/evport.h). */
int hc_decode_obj(const struct emv_vm_cfg *vm, struct hc_call *call);

#endif
