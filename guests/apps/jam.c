/* SPDX-License-Identifier: MIT */
/*
 * jam.c - a hostile client of the control VM, for the jam system test: it sends junk to the
 * control VM (VM 0) in a tight loop, alternately maximal messages (EMV_MSG_MAX bytes, longer
 * than a request) and request-sized ones with a wrong magic, and never reads its own inbox,
 * so every answer the control VM sends it piles up there. A well-behaved client beside it
 * must still get its requests answered.
 * It prints how many sends were accepted and refused (-EMV_EAGAIN) every 250 ms: the
 * hypervisor's per-sender quota shows as refusals, never as a stop.
 */
#include "emv/admit.h"
#include "minios.h"

void app_main(uint64_t bootarg)
{
    (void)bootarg;
    static uint8_t junk[EMV_MSG_MAX];
    for (unsigned i = 0; i < sizeof(junk); i++)
        junk[i] = (uint8_t)(0xa5 ^ i);
    mos_printf("jam: flooding the control VM, never reading my inbox\n");
    uint64_t sent = 0, refused = 0, other = 0, next = mos_time_ns() + 250000000UL;
    for (;;) {
        uint64_t len = (sent + refused + other) & 1 ? sizeof(struct emv_admit_req) : sizeof(junk);
        int64_t r = hvc6(EMV_HC_MSG_SEND, 0, (uint64_t)junk, len, 0, 0, 0);
        if (r == 0)
            sent++;
        else if (r == -EMV_EAGAIN)
            refused++;
        else
            other++;
        if (!((sent + refused + other) & 255) && mos_time_ns() >= next) {
            mos_printf("jam: %lu sent, %lu refused, %lu other errors\n", sent, refused, other);
            next += 250000000UL;
        }
    }
}
