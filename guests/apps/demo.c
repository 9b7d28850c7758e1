/* SPDX-License-Identifier: MIT */
/*
 * demo.c - the demo guest: a periodic timer tick, a line every few ticks. Its settings come
 * from the config (`settings` node, docs/config.md; the list is DEMO_SETTINGS in settings.h):
 * tick-ms, the tick period (default 100); print-every, ticks between lines (default 10);
 * busy, a flag: never sleeps, so the hypervisor must preempt it.
 */
#include "minios.h"
#include "settings.h"

static volatile uint64_t ticks;

static void on_tick(void)
{
    ticks++;
}

void app_main(uint64_t bootarg)
{
    static const char *const known[] = DEMO_SETTINGS;
    (void)bootarg; /* emvcfg refuses one for this guest */
    mos_settings_check(known);
    uint64_t period_ms = mos_setting("tick-ms", 100), every = mos_setting("print-every", 10);
    bool busy = mos_setting("busy", 0);
    if (!period_ms || period_ms > 60000 || !every) {
        mos_printf("demo: tick-ms must be 1..60000 and print-every at least 1\n");
        mos_halt();
    }
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
