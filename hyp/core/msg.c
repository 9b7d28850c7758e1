/* SPDX-License-Identifier: MIT */
/*
 * msg.c - inter-VM messages: small copies into the destination VM's inbox, announced by a
 * virtual interrupt. The way guests reach the control VM (admission requests) and get its
 * answer. A full inbox refuses the message (-EMV_EAGAIN) rather than dropping anything.
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

int msg_send(struct vm *from, vmid_t dest, paddr_t buf, uint32_t len)
{
    struct vm *to = dest ? vm_by_id(dest) : vm_control();
    if (!to || to->state != VM_RUNNING)
        return -EMV_EINVAL;
    struct inbox *in = &to->inbox;
    spin_lock(&in->lock);
    if (in->count == EMV_INBOX_SLOTS) {
        spin_unlock(&in->lock);
        return -EMV_EAGAIN;
    }
    struct msg_slot *s = &in->slot[(in->head + in->count) % EMV_INBOX_SLOTS];
    s->sender = from->id;
    s->len = len;
    memcpy(s->data, (const void *)buf, len);
    in->count++;
    spin_unlock(&in->lock);
    virq_raise(to->vcpus[0], EMV_VIRQ_MSG);
    return 0;
}

int msg_recv(struct vm *vm, paddr_t buf, uint32_t len, vmid_t *sender)
{
    struct inbox *in = &vm->inbox;
    spin_lock(&in->lock);
    if (!in->count) {
        spin_unlock(&in->lock);
        return -EMV_EAGAIN;
    }
    struct msg_slot *s = &in->slot[in->head];
    if (s->len > len) { /* too small a buffer: the message stays queued */
        spin_unlock(&in->lock);
        return -EMV_E2BIG;
    }
    memcpy((void *)buf, s->data, s->len);
    int n = (int)s->len;
    *sender = s->sender;
    in->head = (in->head + 1) % EMV_INBOX_SLOTS;
    in->count--;
    spin_unlock(&in->lock);
    return n;
}
