/* SPDX-License-Identifier: MIT */
/*
 * pl011.c - transmit on the PL011 UART, the hypervisor's console. uart_try_putc never waits
 * (console.c queues what the FIFO does not take); uart_putc waits, for the panic path only.
 * The transmit interrupt (TXIM) is on only while the console has bytes queued.
 */
#include "board.h"
#include "drivers.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_IMSC 0x38
#define UART_ICR 0x44
#define FR_TXFF (1u << 5)
#define INT_TX (1u << 5)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)
#define FR_RXFE (1u << 4)

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

bool uart_try_putc(char c)
{
    if (*reg(UART_FR) & FR_TXFF)
        return false;
    *reg(UART_DR) = (uint32_t)(uint8_t)c;
    return true;
}

void uart_tx_irq(bool on)
{
    uint32_t imsc = *reg(UART_IMSC);
    *reg(UART_IMSC) = on ? imsc | INT_TX : imsc & ~INT_TX;
}

/* Receive: the next byte, or -1 when the FIFO is empty. */
int uart_getc(void)
{
    if (*reg(UART_FR) & FR_RXFE)
        return -1;
    return (int)(*reg(UART_DR) & 0xff);
}

/* The receive and receive-timeout interrupts: on once something reads the input. */
void uart_rx_irq_on(void)
{
    *reg(UART_IMSC) = *reg(UART_IMSC) | INT_RX | INT_RT;
}

void uart_tx_irq_ack(void)
{
    *reg(UART_ICR) = INT_TX;
}
