/* SPDX-License-Identifier: MIT */
/**
 * board.h - the QEMU `virt` board (-M virt,virtualization=on,gic-version=3).
 *
 * The one description of the board. Included by the hypervisor *and* by the host config
 * compiler (tools/emvcfg), so a config is checked against the same facts the hypervisor uses.
 * Pure macros: no types, no code.
 */
#ifndef EMV_BOARD_H
#define EMV_BOARD_H

#define PLAT_NAME "qemu-virt"

/* RAM as QEMU gives it with -m 1G. */
#define PLAT_RAM_BASE 0x40000000UL
#define PLAT_RAM_SIZE 0x40000000UL

/*
 * The hypervisor owns the first 64 MiB of RAM: QEMU's DTB (at the RAM base), the hypervisor
 * image with the guest images it carries, its stacks, page tables and heap.
 */
#define PLAT_HYP_BASE 0x40000000UL
#define PLAT_HYP_SIZE 0x04000000UL
#define PLAT_HYP_LOAD 0x40200000UL /* link address: the DTB fits below (PLATFORM-NOTES) */

#define PLAT_MAX_CPUS 4

#define PLAT_UART_BASE 0x09000000UL
#define PLAT_UART_IRQ 33
#define PLAT_GICD_BASE 0x08000000UL
#define PLAT_GICD_SIZE 0x00010000UL
#define PLAT_GICR_BASE 0x080A0000UL
#define PLAT_GICR_STRIDE 0x20000UL /* RD_base + SGI_base frames per CPU */

/* PPIs (GICv3 INTIDs) of the generic timers. */
#define PLAT_IRQ_HYP_TIMER 26  /* CNTHP, EL2 physical timer */
#define PLAT_IRQ_VIRT_TIMER 27 /* CNTV, the guest's virtual timer */
#define PLAT_IRQ_MAINT 25      /* GIC maintenance interrupt */

/*
 * Devices of the board: X(name, base, size, irq, owner). Owner HYP devices are never given to a
 * guest; GUEST devices may be assigned to at most one VM (identity-mapped, IPA == PA).
 */
#define PLAT_DEVICES(X)                                                                            \
    X("uart0", 0x09000000UL, 0x1000UL, 33, HYP)                                                    \
    X("gic", 0x08000000UL, 0x01000000UL, 0, HYP)                                                   \
    X("rtc", 0x09010000UL, 0x1000UL, 34, GUEST)                                                    \
    X("fw-cfg", 0x09020000UL, 0x1000UL, 0, GUEST)                                                  \
    X("gpio", 0x09030000UL, 0x1000UL, 39, GUEST)                                                   \
    X("virtio0", 0x0a000000UL, 0x200UL, 48, GUEST)                                                 \
    X("virtio1", 0x0a000200UL, 0x200UL, 49, GUEST)                                                 \
    X("virtio2", 0x0a000400UL, 0x200UL, 50, GUEST)                                                 \
    X("virtio3", 0x0a000600UL, 0x200UL, 51, GUEST)                                                 \
    X("pcie-ecam", 0x4010000000UL, 0x10000000UL, 0, GUEST)                                         \
    X("pcie-mmio", 0x10000000UL, 0x2eff0000UL, 0, GUEST)                                           \
    X("pcie-pio", 0x3eff0000UL, 0x10000UL, 0, GUEST)

/* Where a guest sees its virtual GIC (same as the physical one; trapped, never mapped). */
#define PLAT_VGICD_BASE PLAT_GICD_BASE
#define PLAT_VGICR_BASE PLAT_GICR_BASE

/* Default guest-physical base of a VM's RAM. */
#define PLAT_GUEST_RAM_IPA 0x40000000UL

#endif
