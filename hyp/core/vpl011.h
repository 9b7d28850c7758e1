/* SPDX-License-Identifier: MIT */
/**
 * vpl011.h - an emulated Arm PL011 UART (PrimeCell UART, DDI 0183) per Linux VM: its registers
 * as pure logic over struct mmio_access, tested on the host; vpl011.c connects it to a VM
 * (console output, the virtual SPI).
 *
 * Enough for Linux's amba-pl011 driver and earlycon: the transmit FIFO is always empty (a
 * written character goes straight to the VM's console line), the receive FIFO holds what the
 * hypervisor gives it (vpl011_rx).
 */
#ifndef EMV_VPL011_H
#define EMV_VPL011_H

#include <stdbool.h>
#include <stdint.h>

#include "core/vgic.h"

#define VPL011_RX_SIZE 32 /* receive FIFO, as the PL011's */

/* Interrupt bits of RIS / MIS / IMSC / ICR. */
#define VPL011_INT_RX (1u << 4)
#define VPL011_INT_TX (1u << 5)
#define VPL011_INT_RT (1u << 6)

struct vpl011 {
    uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr;
    uint8_t rx[VPL011_RX_SIZE];
    unsigned rx_head, rx_len;
};

void vpl011_init(struct vpl011 *u);

/**
 * Emulate one access to the UART's 4 KiB frame. A write to DR puts the byte in *@tx and returns
 * with *@has_tx set. Returns true when the interrupt line rose with this access (MIS went from
 * 0 to non-zero): the caller raises the VM's virtual SPI.
 */
bool vpl011_access(struct vpl011 *u, struct mmio_access *a, char *tx, bool *has_tx);

/** A received byte (host console input); false when the FIFO is full. *@irq: the line rose. */
bool vpl011_rx(struct vpl011 *u, char c, bool *irq);

/** The interrupt line: MIS non-zero. */
bool vpl011_line(const struct vpl011 *u);

#endif
