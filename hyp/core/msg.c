/* SPDX-License-Identifier: MIT */
/*
 * msg.c - inter-VM messages: small copies into the destination VM's inbox, announced by a
 * virtual interrupt. The way guests reach the control VM (admission requests) and get its
 * answer. A sender that already has its quota queued in the destination's inbox is refused
 * (-EMV_EAGAIN) rather than anything dropped; the quota keeps one sender from filling the
 * inbox for everyone (inbox.h).
 */
#include "emv/errno.h"
#include "hyp.h"
#include "string.h"

struct vm *vm_by_id(vmid_t id)
{
    return id >= 1 && id <= nr_vms ? &vms[id - 1] : 0;
}

struct vm *vm_control(void)
{
    for (unsigned i = 0; i < nr_vms; i++)
        if (vms[i].cfg->flags & EMV_VM_F_CONTROL)
            return &vms[i];
    return 0;
}

int msg_send(struct vm *from, vmid_t dest, ipa_t buf, uint32_t len)
{
    uint8_t data[EMV_MSG_MAX]; /* copied once, before any lock: the guest may change it */
    struct vm *to = dest ? vm_by_id(dest) : vm_control();
    if (!to || to->state != VM_RUNNING)
        return -EMV_EINVAL;
    if (len > sizeof(data))
        return -EMV_E2BIG;
    int r = copy_from_guest(from, data, buf, len);
    if (r)
        return r;
    struct inbox *in = &to->inbox;
    spin_lock(&in->lock);
    struct msg_slot *s = inbox_claim(&in->q, from->id);
    if (!s) { /* this sender's quota is used up here; other senders still get in */
        spin_unlock(&in->lock);
        return -EMV_EAGAIN;
    }
    s->len = len;
    memcpy(s->data, data, len);
    spin_unlock(&in->lock);
    virq_raise(to->vcpus[0], EMV_VIRQ_MSG);
    return 0;
}

int msg_recv(struct vm *vm, ipa_t buf, uint32_t len, vmid_t *sender)
{
    struct inbox *in = &vm->inbox;
    spin_lock(&in->lock);
    struct msg_slot *s = inbox_head(&in->q);
    if (!s || s->len > len) { /* a too small buffer leaves the message queued */
        spin_unlock(&in->lock);
        return s ? -EMV_E2BIG : -EMV_EAGAIN;
    }
    int n = copy_to_guest(vm, buf, s->data, s->len); /* a bad buffer: the message stays */
    if (n) {
        spin_unlock(&in->lock);
        return n;
    }
    n = (int)s->len;
    *sender = s->sender;
    inbox_pop(&in->q);
    spin_unlock(&in->lock);
    return n;
}
