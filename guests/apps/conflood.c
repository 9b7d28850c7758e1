/* SPDX-License-Identifier: MIT */
/*
 * conflood.c - floods the console from its own CPU: 4 KiB writes (EMV_CONSOLE_MAX, cut into
 * lines by the hypervisor) back to back, forever, so the shared output ring is always full
 * as far as this VM's share goes. It sleeps 300 ms first so that the other VMs are visibly
 * running. The hypervisor must drop (and count) only this VM's lines, and the UART's
 * transmit interrupt must not take over the CPU that drains the ring.
 */
#include "minios.h"

void app_main(uint64_t bootarg)
{
    (void)bootarg;
    static char chunk[EMV_CONSOLE_MAX];
    for (unsigned i = 0; i < sizeof(chunk) - 1; i++)
        chunk[i] = (char)('a' + i % 26);
    chunk[sizeof(chunk) - 1] = '\n';
    mos_block(mos_time_ns() + 300000000UL); /* not a yield loop: this CPU idles meanwhile */
    mos_printf("flood start\n");
    for (uint64_t n = 1;; n++) {
        mos_write(chunk, sizeof(chunk));
        if (n % 256 == 0)
            mos_printf("flooded %lu chunks\n", n);
    }
}
