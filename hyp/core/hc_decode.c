/* SPDX-License-Identifier: MIT */
/* hc_decode.c - hypercall argument validation; no hardware access (host unit-tested). */
#include "hc_decode.h"

#include "emv/errno.h"
#include "emv/hypercall.h"

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

static int decode_buffer(const struct guest_ram *ram, const uint64_t x[6], uint64_t max,
                         struct hc_call *out)
{
    if (x[2] > max)
        return -EMV_E2BIG;
    out->len = x[2];
    if (x[2] == 0)
        return 0;
    return guest_range_to_pa(ram, x[1], x[2], &out->buf_pa);
}

int hc_decode(const struct guest_ram *ram, uint32_t imm, const uint64_t x[6], bool privileged,
              struct hc_call *out)
{
    if (imm != 0 || x[0] >= EMV_HC_COUNT)
        return -EMV_ENOSYS;
    out->nr = (unsigned)x[0];
    out->buf_pa = 0;
    out->len = 0;
    out->arg = 0;
    switch (out->nr) {
    case EMV_HC_CONSOLE_WRITE:
        return decode_buffer(ram, x, EMV_CONSOLE_MAX, out);
    case EMV_HC_VM_NAME:
        return decode_buffer(ram, x, EMV_CONSOLE_MAX, out);
    case EMV_HC_BLOCK:
        out->arg = x[1];
        return 0;
    case EMV_HC_SYSTEM_OFF:
        return privileged ? 0 : -EMV_EPERM;
    default:
        return 0;
    }
}
