/* SPDX-License-Identifier: MIT */
/*
 * faulty.c - a VM that faults on purpose, twice per life: a load from IPA 0x1000 (nothing is
 * mapped there), then a store to it. Without a fault handler the first fault stops it; with
 * one (configs/test-faulthandler.dts) the handler decides each time.
 */
#include "minios.h"

void app_main(uint64_t bootarg)
{
    (void)bootarg;
    mos_printf("faulty: up\n");
    uint64_t v = *(volatile uint64_t *)0x1000; /* fault 1 */
    mos_printf("faulty: resumed past the first fault (read %lu)\n", v);
    *(volatile uint64_t *)0x1000 = 1; /* fault 2 */
    mos_printf("faulty: resumed past the second fault\n");
}
