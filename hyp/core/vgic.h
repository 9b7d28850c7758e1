/* SPDX-License-Identifier: MIT */
/**
 * vgic.h - the virtual GICv3 a guest sees.
 *
 * The guest uses the real GICv3 CPU interface through its system registers (the hardware's
 * virtual CPU interface, ICV_*); the hypervisor injects interrupts through the list
 * registers (arch/aarch64/vcpu_arch.c, vgic_arch_flush). The distributor and redistributor
 * are emulated here (vgic_emul.c): the guest's MMIO accesses fault at stage 2 and arrive as
 * struct mmio_access.
 * Register emulation is pure logic over these structs, tested on the host.
 */
#ifndef EMV_VGIC_H
#define EMV_VGIC_H

#include "emv/types.h"

/* SGIs 0-15, PPIs 16-31, SPIs 32-127: every SPI a device of the board uses (vm.c checks) */
#define VGIC_NR_IRQS 128
#define VGIC_NR_SPIS (VGIC_NR_IRQS - 32)
#define VGIC_WORDS (VGIC_NR_IRQS / 64) /* 64-bit words of a per-INTID bitmap */
#define VGIC_DEFAULT_PRIO 0xa0

/** One decoded guest MMIO access (Arm ARM D13.2.37, ISS of a data abort). */
struct mmio_access {
    uint64_t off;  /**< offset inside the emulated region */
    unsigned size; /**< bytes: 1, 2, 4 or 8 */
    bool write;
    uint64_t val; /**< written value, or where a read's result goes */
};

/** Per-VM distributor state. */
struct vgic_dist {
    uint32_t ctlr;
    uint32_t spi_enabled[VGIC_NR_SPIS / 32]; /**< bit n: INTID 32 + n */
    uint8_t spi_prio[VGIC_NR_SPIS];
    uint32_t spi_cfg[VGIC_NR_SPIS / 16]; /**< GICD_ICFGR<2..>: 2 bits per SPI */
    uint64_t irouter[VGIC_NR_SPIS];
    /** SPIs wired to a device this VM owns: level-sensitive as the device is (the guest
     *  cannot reconfigure them), delivered with the list register's hardware bit. */
    uint32_t hw[VGIC_NR_SPIS / 32];
};

/** Per-vCPU redistributor state and software-pending interrupts. */
struct vgic_cpu {
    uint64_t pending[VGIC_WORDS]; /**< raised, not yet in a list register */
    uint32_t enabled;             /**< SGIs/PPIs 0..31 */
    uint8_t prio[32];
    uint32_t ppi_cfg;
    uint32_t waker;
};

/** Identity of the vCPU behind a redistributor frame. */
struct vgicr_id {
    unsigned index;    /**< GICR_TYPER.Processor_Number */
    uint32_t affinity; /**< GICR_TYPER.Affinity (the vCPU's MPIDR) */
    bool last;         /**< GICR_TYPER.Last */
};

void vgic_dist_init(struct vgic_dist *d);
void vgic_cpu_init(struct vgic_cpu *c);
/** Emulate a distributor access. Returns 0 (unknown registers read as zero, ignore writes). */
int vgicd_emulate(struct vgic_dist *d, struct mmio_access *a);
/** Emulate an access to one vCPU's redistributor (RD + SGI frames). *raise gets INTIDs the guest
 * set pending through GICR_ISPENDR0. */
int vgicr_emulate(struct vgic_cpu *c, const struct vgicr_id *id, struct mmio_access *a,
                  uint32_t *raise);
/** Is @irq enabled for delivery, and its priority. */
bool vgic_irq_enabled(const struct vgic_dist *d, const struct vgic_cpu *c, irq_t irq);

/**
 * A guest's write of @val to ICC_SGI1R_EL1 (or ICC_ASGI1R_EL1) from vCPU @self of a VM with
 * @nr vCPUs, whose vCPU i has affinity 0.0.0.i: returns the SGI's INTID and sets @targets
 * to the vCPU indices it goes to (IRM = 1: every other vCPU; else the target list, offset
 * by RS, at Aff3.Aff2.Aff1 = 0.0.0; affinities no vCPU has are ignored, as on hardware).
 */
irq_t vgic_sgi_targets(uint64_t val, unsigned self, unsigned nr, uint32_t *targets);
uint8_t vgic_irq_prio(const struct vgic_dist *d, const struct vgic_cpu *c, irq_t irq);
/** Mark SPI @irq as wired to a device the VM owns (see struct vgic_dist.hw). */
void vgic_spi_set_hw(struct vgic_dist *d, irq_t irq);
/** Is SPI @irq wired to a device the VM owns. */
bool vgic_spi_is_hw(const struct vgic_dist *d, irq_t irq);
/** The vCPU index GICD_IROUTER<irq> names (Aff0), or 0 when it names none of @nr vCPUs. */
unsigned vgic_spi_target(const struct vgic_dist *d, irq_t irq, unsigned nr);

#endif
