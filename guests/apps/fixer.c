/* SPDX-License-Identifier: MIT */
/*
 * fixer.c - a fault handler: the VMs that name its endpoint as their `fault-handler` send it
 * their stage-2 faults as IPC calls (message {ESR_EL2, IPA, PC, 0}, badge = which client).
 * For each client it answers, in turn: resume past the fault, restart the VM, resume, stop.
 */
#include "minios.h"

static const uint64_t answers[] = {EMV_FAULT_RESUME, EMV_FAULT_RESTART, EMV_FAULT_RESUME,
                                   EMV_FAULT_STOP};
static const char *const names[] = {"stop", "restart", "resume"};

void app_main(uint64_t bootarg)
{
    (void)bootarg;
    struct mos_obj ep;
    if (mos_obj_first(EMV_OBJ_ENDPOINT, EMV_RIGHT_RECV, &ep)) {
        mos_printf("fixer: no endpoint to serve\n");
        return;
    }
    mos_printf("fixer: handling faults on %s\n", ep.name);
    uint64_t reply[4] = {0}, msg[4], badge, seen[9] = {0};
    for (;;) {
        if (mos_ipc_reply_recv(ep.index, reply, &badge, msg) < 0)
            return;
        uint64_t n = badge < 9 ? seen[badge]++ : 3;
        reply[0] = answers[n < 4 ? n : 3];
        mos_printf("fixer: client %lu fault %lu: esr %#lx ipa %#lx pc %#lx: %s\n", badge, n + 1,
                   msg[0], msg[1], msg[2], names[reply[0]]);
    }
}
