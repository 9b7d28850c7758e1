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

/* Constants usable from C and from assembly. */
#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

#define PLAT_NAME "qemu-virt"

/* RAM as QEMU gives it with -m 1G. */
#define PLAT_RAM_BASE UL(0x40000000)
#define PLAT_RAM_SIZE UL(0x40000000)

/*
 * The hypervisor owns the first 64 MiB of RAM: QEMU's DTB (at the RAM base), the hypervisor
 * image with the guest images it carries, its stacks, page tables and heap.
 */
#define PLAT_HYP_BASE UL(0x40000000)
#define PLAT_HYP_SIZE UL(0x04000000)
/* Link address. QEMU places its device tree at the RAM base only if it fits below the ELF
 * image: linked at 0x40080000 it silently did not, at 0x40200000 it does. */
#define PLAT_HYP_LOAD UL(0x40200000)
/* Where QEMU's device tree for the machine is when it does not say (x0 = 0 for an ELF image),
 * and how far it may reach: below the image. */
#define PLAT_FW_DTB_BASE PLAT_RAM_BASE
#define PLAT_FW_DTB_MAX (PLAT_HYP_LOAD - PLAT_RAM_BASE)

#define PLAT_MAX_CPUS 4

#define PLAT_UART_BASE UL(0x09000000)
#define PLAT_UART_IRQ 33
#define PLAT_GICD_BASE UL(0x08000000)
#define PLAT_GICD_SIZE UL(0x00010000)
#define PLAT_GICR_BASE UL(0x080A0000)
#define PLAT_GICR_STRIDE UL(0x20000) /* RD_base + SGI_base frames per CPU */

/* PPIs (GICv3 INTIDs) of the generic timers. */
#define PLAT_IRQ_HYP_TIMER 26  /* CNTHP, EL2 physical timer */
#define PLAT_IRQ_VIRT_TIMER 27 /* CNTV, the guest's virtual timer */
#define PLAT_IRQ_MAINT 25      /* GIC maintenance interrupt */

/*
 * Devices of the board: X(name, base, size, irq, owner, dma). Owner HYP devices are never given
 * to a guest; GUEST devices may be assigned to at most one VM (identity-mapped, IPA == PA).
 *
 * dma is DMA for a device that can master DMA (its guest can make it read or write physical
 * memory), NO_DMA otherwise. No SMMU is in use, so stage 2 does not confine DMA: a VM holding a
 * DMA device can reach every VM's memory and the hypervisor's. fw-cfg has a DMA interface,
 * virtio-mmio devices fetch their queues by DMA, and all three PCIe windows reach functions
 * that master the bus (ECAM sets their bus-master enable; which other window suffices depends
 * on what firmware set up, so each counts).
 * emvcfg refuses such a device unless the VM is `dma-trusted`; the hypervisor checks again.
 */
#define PLAT_DEVICES(X)                                                                            \
    X("uart0", UL(0x09000000), UL(0x1000), 33, HYP, NO_DMA)                                        \
    X("gic", UL(0x08000000), UL(0x01000000), 0, HYP, NO_DMA)                                       \
    X("rtc", UL(0x09010000), UL(0x1000), 34, GUEST, NO_DMA)                                        \
    X("fw-cfg", UL(0x09020000), UL(0x1000), 0, GUEST, DMA)                                         \
    X("gpio", UL(0x09030000), UL(0x1000), 39, GUEST, NO_DMA)                                       \
    X("virtio0", UL(0x0a000000), UL(0x200), 48, GUEST, DMA)                                        \
    X("virtio1", UL(0x0a000200), UL(0x200), 49, GUEST, DMA)                                        \
    X("virtio2", UL(0x0a000400), UL(0x200), 50, GUEST, DMA)                                        \
    X("virtio3", UL(0x0a000600), UL(0x200), 51, GUEST, DMA)                                        \
    X("pcie-ecam", UL(0x4010000000), UL(0x10000000), 0, GUEST, DMA)                                \
    X("pcie-mmio", UL(0x10000000), UL(0x2eff0000), 0, GUEST, DMA)                                  \
    X("pcie-pio", UL(0x3eff0000), UL(0x10000), 0, GUEST, DMA)

/* Where a guest sees its virtual GIC (same as the physical one; trapped, never mapped). */
#define PLAT_VGICD_BASE PLAT_GICD_BASE
#define PLAT_VGICR_BASE PLAT_GICR_BASE

/* Default guest-physical base of a VM's RAM. */
#define PLAT_GUEST_RAM_IPA UL(0x40000000)

#endif
