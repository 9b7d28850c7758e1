/* SPDX-License-Identifier: MIT */
/** drivers.h - the few devices the hypervisor itself drives: UART, GICv3, generic timer. */
#ifndef EMV_DRIVERS_H
#define EMV_DRIVERS_H

#include "emv/types.h"

/** PL011: uart_putc waits for FIFO space (panic path); uart_try_putc never waits. */
void uart_putc(char c);
bool uart_try_putc(char c);
void uart_tx_irq(bool on); /**< the transmit interrupt: FIFO has room again */
void uart_tx_irq_ack(void);
int uart_getc(void);       /**< a received byte, -1 if none */
void uart_rx_irq_on(void); /**< receive interrupts (console input for the VMs) */

/** GICv3: distributor once, redistributor + CPU interface per CPU. */
void gic_init_dist(void);
void gic_init_cpu(unsigned cpu);
irq_t gic_ack(void);               /**< ICC_IAR1_EL1; 1020..1023 = none */
void gic_eoi(irq_t irq);           /**< priority drop + deactivate */
void gic_priority_drop(irq_t irq); /**< EOI without deactivation: a guest's list register does it */
void gic_send_sgi(unsigned cpu, irq_t sgi);
void gic_enable_spi(irq_t irq, unsigned cpu); /**< level SPI for EL2, routed to @cpu */
void gic_route_spi(irq_t irq, unsigned cpu);  /**< route an SPI to @cpu */
void gic_disable_spi(irq_t irq);              /**< off and deactivated (its owner stopped) */
#define GIC_SPURIOUS 1020

/** Generic timer: the EL2 physical timer (CNTHP) for the hypervisor's own scheduling. */
uint64_t timer_now_ticks(void);
uint64_t timer_freq(void);
ns_t timer_ticks_to_ns(uint64_t ticks);
uint64_t timer_ns_to_ticks(ns_t ns);
ns_t timer_now_ns(void);
void timer_hyp_arm(ns_t deadline);
void timer_hyp_disarm(void);

#endif
