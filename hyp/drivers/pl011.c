/* SPDX-License-Identifier: MIT */
/* pl011.c - polled transmit on the PL011 UART, the hypervisor's console. */
#include "board.h"
#include "drivers.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define FR_TXFF (1u << 5)

static inline volatile uint32_t *reg(uint64_t off)
{
    return (volatile uint32_t *)(PLAT_UART_BASE + off);
}

void uart_putc(char c)
{
    while (*reg(UART_FR) & FR_TXFF)
        ;
    *reg(UART_DR) = (uint32_t)(uint8_t)c;
}
