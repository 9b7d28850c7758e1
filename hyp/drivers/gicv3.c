/* SPDX-License-Identifier: MIT */
/*
 * gicv3.c - physical GICv3 (Arm IHI 0069): distributor, one redistributor per CPU and the
 * system-register CPU interface. All interrupts are Group 1 Non-secure; QEMU's virt GIC
 * without secure=on has a single security state (GICD_CTLR.DS = 1).
 */
#include "board.h"
#include "drivers.h"
#include "sysreg.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000 /* IROUTER<n> at 0x6000 + 8n, n >= 32 */
#define CTLR_RWP (1u << 31)
#define CTLR_ARE (1u << 4)
#define CTLR_ENGRP1 (1u << 1)
#define CTLR_ENGRP0 (1u << 0)

#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define WAKER_PSLEEP (1u << 1)
#define WAKER_CASLEEP (1u << 2)
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI + 0x0180)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)
#define TYPER_LAST (1u << 4)

static inline volatile uint32_t *gicd(uint64_t off)
{
    return (volatile uint32_t *)(PLAT_GICD_BASE + off);
}

static inline volatile uint32_t *gicr32(uint64_t rd, uint64_t off)
{
    return (volatile uint32_t *)(rd + off);
}

void gic_init_dist(void)
{
    *gicd(GICD_CTLR) = 0;
    while (*gicd(GICD_CTLR) & CTLR_RWP)
        ;
    unsigned lines = 32 * ((*gicd(GICD_TYPER) & 0x1f) + 1);
    for (unsigned i = 32; i < lines; i += 32) {
        *gicd(GICD_ICENABLER + i / 8) = 0xffffffffu; /* SPIs stay off until assigned */
        *gicd(GICD_IGROUPR + i / 8) = 0xffffffffu;
    }
    *gicd(GICD_CTLR) = CTLR_ARE | CTLR_ENGRP1 | CTLR_ENGRP0;
    while (*gicd(GICD_CTLR) & CTLR_RWP)
        ;
}

/* Find this CPU's redistributor by matching GICR_TYPER.Affinity with MPIDR_EL1. */
static uint64_t find_rd(void)
{
    uint64_t mpidr = read_sysreg(mpidr_el1);
    uint32_t aff = (uint32_t)((mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000));
    for (uint64_t rd = PLAT_GICR_BASE;; rd += PLAT_GICR_STRIDE) {
        uint64_t typer = *(volatile uint64_t *)(rd + GICR_TYPER);
        if ((uint32_t)(typer >> 32) == aff)
            return rd;
        if (typer & TYPER_LAST)
            return 0;
    }
}

void gic_init_cpu(unsigned cpu)
{
    uint64_t rd = find_rd();
    (void)cpu;
    if (rd) {
        *gicr32(rd, GICR_WAKER) &= ~WAKER_PSLEEP;
        while (*gicr32(rd, GICR_WAKER) & WAKER_CASLEEP)
            ;
        *gicr32(rd, GICR_IGROUPR0) = 0xffffffffu;
        *gicr32(rd, GICR_ICENABLER0) = 0xffffffffu;
        for (unsigned i = 0; i < 32; i += 4)
            *gicr32(rd, GICR_IPRIORITYR + i) = 0x80808080u;
        *gicr32(rd, GICR_ISENABLER0) = (1u << PLAT_IRQ_HYP_TIMER) | (1u << PLAT_IRQ_VIRT_TIMER) |
                                       (1u << PLAT_IRQ_MAINT) | 0xffffu /* SGIs */;
    }
    /* ICC_SRE_EL2: SRE | Enable (EL1 may use its own system-register interface). */
    write_sysreg(S3_4_C12_C9_5, read_sysreg(S3_4_C12_C9_5) | 0x9);
    isb();
    write_sysreg(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
    write_sysreg(S3_0_C12_C12_3, 0);  /* ICC_BPR1_EL1 */
    /* ICC_CTLR_EL1.EOImode = 1: EOI only drops the priority, deactivation is separate
     * (ICC_DIR_EL1), so a device's interrupt can stay active until its guest deactivates it
     * through a list register with the hardware bit (Arm IHI 0069 4.4, 12.2.6). */
    write_sysreg(S3_0_C12_C12_4, 2);
    write_sysreg(S3_0_C12_C12_7, 1); /* ICC_IGRPEN1_EL1 */
    isb();
}

irq_t gic_ack(void)
{
    irq_t irq = (irq_t)read_sysreg(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
    dsb(sy);
    return irq;
}

void gic_priority_drop(irq_t irq)
{
    write_sysreg(S3_0_C12_C12_1, irq); /* ICC_EOIR1_EL1 (EOImode 1: priority drop only) */
    isb();
}

void gic_eoi(irq_t irq)
{
    write_sysreg(S3_0_C12_C12_1, irq); /* ICC_EOIR1_EL1 */
    write_sysreg(S3_0_C12_C11_1, irq); /* ICC_DIR_EL1 */
    isb();
}

void gic_send_sgi(unsigned cpu, irq_t sgi)
{
    /* ICC_SGI1R_EL1: Aff0 target list bit, INTID in [27:24]; QEMU virt uses Aff0 = CPU. */
    uint64_t v = ((uint64_t)sgi << 24) | (1UL << (cpu & 15));
    dsb(ishst); /* what the kick is about (a pending interrupt, a new state) is seen first */
    write_sysreg(S3_0_C12_C11_5, v);
    isb();
}

void gic_route_spi(irq_t irq, unsigned cpu)
{
    /* IROUTER: Aff0 = CPU on QEMU virt (as for SGIs), Interrupt_Routing_Mode 0. */
    *(volatile uint64_t *)(PLAT_GICD_BASE + GICD_IROUTER + 8UL * irq) = cpu & 0xff;
}

void gic_enable_spi(irq_t irq, unsigned cpu)
{
    volatile uint8_t *prio = (volatile uint8_t *)(PLAT_GICD_BASE + GICD_IPRIORITYR);
    prio[irq] = 0x80;
    gic_route_spi(irq, cpu);
    *gicd(GICD_ISENABLER + (irq / 32) * 4) = 1u << (irq % 32);
}

void gic_disable_spi(irq_t irq)
{
    *gicd(GICD_ICENABLER + (irq / 32) * 4) = 1u << (irq % 32);
    *gicd(GICD_ICACTIVER + (irq / 32) * 4) = 1u << (irq % 32); /* its owner will not */
}
