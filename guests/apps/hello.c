/* SPDX-License-Identifier: MIT */
/*
 * hello.c - the smallest useful guest, from docs/guests.md: it greets, prints a tick every
 * 100 ms from its virtual timer five times, and stops. Built by `make` into
 * build/guests/hello.bin; booted by configs/example-hello.dts.
 */
#include "minios.h"

#define TICK_MS 100
#define TICKS 5

static volatile unsigned ticks;

static void on_tick(void) /* called from the timer interrupt */
{
    ticks++;
}

void app_main(uint64_t bootarg)
{
    uint64_t self[3]; /* x1..x3 of EMV_HC_SELF: VM id, vCPU index, vCPUs */
    hvc6(EMV_HC_SELF, 0, 0, 0, 0, 0, self);
    mos_printf("hello from %s: vm %lu, bootarg %lu\n", mos_name(), self[0], bootarg);

    mos_timer_periodic(TICK_MS * 1000000UL, on_tick);
    mos_irq_enable();
    for (unsigned seen = 0; seen < TICKS;) {
        mos_block(0); /* give the CPU away until an interrupt */
        if (ticks != seen) {
            seen = ticks;
            mos_printf("tick %u at %lu ms\n", seen, mos_now_ns() / 1000000);
        }
    }
    mos_timer_periodic(0, 0);
    mos_printf("done\n");
} /* returning stops this guest for good; the other VMs go on */
