/* SPDX-License-Identifier: MIT */
/*
 * demo.c - the demo guest: a periodic timer tick, a line every few ticks.
 * bootarg: bits 0-15 tick period in ms (default 100); bit 16: busy (never sleeps, so the
 * hypervisor must preempt it); bits 32-47: how many ticks between lines (default 10).
 */
#include "minios.h"

static volatile uint64_t ticks;

static void on_tick(void)
{
    ticks++;
}

void app_main(uint64_t bootarg)
{
    uint64_t period_ms = bootarg & 0xffff ? bootarg & 0xffff : 100;
    bool busy = (bootarg >> 16) & 1;
    uint64_t every = (bootarg >> 32) & 0xffff ? (bootarg >> 32) & 0xffff : 10;
    uint64_t out[3];
    hvc6(EMV_HC_SELF, 0, 0, 0, 0, 0, out);
    mos_printf("hello from %s: vm %lu vcpu %lu, tick %lu ms, %s\n", mos_name(), out[0], out[1],
               period_ms, busy ? "busy" : "sleeping between ticks");
    mos_timer_periodic(period_ms * 1000000UL, on_tick);
    mos_irq_enable();
    uint64_t printed = 0, spins = 0;
    for (;;) {
        if (busy)
            spins++;
        else
            mos_block(0);
        uint64_t t = ticks;
        if (t >= printed + every) {
            printed = t - t % every;
            mos_printf("tick %lu at %lu ms%s\n", t, mos_time_ns() / 1000000, busy ? " (busy)" : "");
        }
    }
}
