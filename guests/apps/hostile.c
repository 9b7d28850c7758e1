/* SPDX-License-Identifier: MIT */
/*
 * hostile.c - a guest that attacks. bootarg: bits 0-3 the attack, bits 12+ the target
 * address (page aligned). It waits 300 ms first so that the other VMs are visibly running.
 *   1 store to target   2 load from target   3 execute at target
 *   4 spin forever with interrupts masked (never yields, never traps)
 *   5 store-pair (an access the hypervisor cannot decode) to target
 *   6 flood the console: 64 writes of EMV_CONSOLE_MAX bytes back to back, then spin masked
 * If it is still alive afterwards it says so: the tests treat that line as a failure.
 */
#include "minios.h"

void app_main(uint64_t bootarg)
{
    unsigned attack = bootarg & 0xf;
    uint64_t target = bootarg & ~0xfffUL;
    uint64_t start = mos_time_ns();
    while (mos_time_ns() - start < 300000000UL)
        mos_yield();
    mos_printf("attack %u on %#lx\n", attack, target);
    volatile uint64_t *p = (volatile uint64_t *)target;
    switch (attack) {
    case 1:
        *p = 0xdeadbeefUL;
        break;
    case 2:
        mos_printf("read %#lx\n", *p);
        break;
    case 3:
        ((void (*)(void))target)();
        break;
    case 4:
        mos_irq_disable();
        for (;;)
            __asm__ volatile("" ::: "memory");
    case 5:
        __asm__ volatile("stp xzr, xzr, [%0]" ::"r"(target) : "memory");
        break;
    case 6: {
        static char line[EMV_CONSOLE_MAX];
        for (unsigned i = 0; i < sizeof(line) - 1; i++)
            line[i] = (char)('a' + i % 26);
        line[sizeof(line) - 1] = '\n';
        for (int i = 0; i < 64; i++)
            mos_write(line, sizeof(line));
        mos_printf("flooded %u bytes\n", 64 * (unsigned)sizeof(line));
        mos_irq_disable();
        for (;;)
            __asm__ volatile("" ::: "memory");
    }
    default:
        mos_printf("unknown attack\n");
    }
    mos_printf("SURVIVED attack %u\n", attack);
}
