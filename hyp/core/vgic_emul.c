/* SPDX-License-Identifier: MIT */
/*
 * vgic_emul.c - GICv3 distributor and redistributor register emulation (Arm IHI 0069,
 * chapters 12.9 and 12.10). Only what a guest needs to enable, prioritise and route its
 * interrupts; everything else reads as zero and ignores writes, as reserved space does.
 */
#include "vgic.h"

#include "mmio.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6100 /* IROUTER<32> */
#define GIC_PIDR2 0xffe8

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0 0x0c00
#define GICR_ICFGR1 0x0c04

#define CTLR_ARE_NS (1u << 4)
#define CTLR_RWP (1u << 31)
#define WAKER_PSLEEP (1u << 1)
#define WAKER_CASLEEP (1u << 2)
#define IIDR_EMVISOR 0x0001043b /* Arm's JEP106 code, as a GIC-600-like part */
#define PIDR2_GICV3 0x30

void vgic_dist_init(struct vgic_dist *d)
{
    *d = (struct vgic_dist){0};
    for (unsigned i = 0; i < VGIC_NR_SPIS; i++)
        d->spi_prio[i] = VGIC_DEFAULT_PRIO;
}

void vgic_cpu_init(struct vgic_cpu *c)
{
    *c = (struct vgic_cpu){0};
    c->enabled = 0xffff; /* SGIs are always enabled on GICv3 implementations like QEMU's */
    c->waker = WAKER_PSLEEP | WAKER_CASLEEP;
    for (unsigned i = 0; i < 32; i++)
        c->prio[i] = VGIC_DEFAULT_PRIO;
}

/* Byte-array registers (priorities) accessed with any width up to 8 bytes. */
static void bytes_access(uint8_t *arr, unsigned n, struct mmio_access *a, uint64_t idx)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < a->size && idx + i < n; i++) {
        if (a->write)
            arr[idx + i] = (uint8_t)(a->val >> (8 * i));
        else
            v |= (uint64_t)arr[idx + i] << (8 * i);
    }
    if (!a->write)
        a->val = v;
}

static void set_clear(uint32_t *reg, struct mmio_access *a, bool set)
{
    if (a->write) {
        if (set)
            *reg |= (uint32_t)a->val;
        else
            *reg &= ~(uint32_t)a->val;
    } else {
        a->val = *reg;
    }
}

/* The hardware bit of each SPI in GICD_ICFGR<2 + n>'s 16 SPIs, as the 2-bit field mask. */
static uint32_t hw_cfg_mask(const struct vgic_dist *d, unsigned n)
{
    uint32_t hw = (d->hw[n / 2] >> (16 * (n % 2))) & 0xffff, mask = 0;
    for (unsigned i = 0; i < 16; i++)
        mask |= ((hw >> i) & 1u) * (3u << (2 * i));
    return mask;
}

/* GICD_ICFGR<2 + n>: a device's SPIs stay level-sensitive (field 0b00) whatever is written. */
static void spi_cfg_access(struct vgic_dist *d, unsigned n, struct mmio_access *a)
{
    uint32_t *r = &d->spi_cfg[n];
    uint32_t fixed = hw_cfg_mask(d, n);
    if (a->write)
        *r = (uint32_t)a->val & 0xaaaaaaaau & ~fixed; /* bit 0 of each field is RES0 */
    else
        a->val = *r;
}

int vgicd_emulate(struct vgic_dist *d, struct mmio_access *a)
{
    uint64_t off = a->off;
    uint32_t discard = 0;
    if (!a->write)
        a->val = 0;
    if (off == GICD_CTLR) {
        if (a->write)
            d->ctlr = (uint32_t)a->val & 0x3; /* EnableGrp0/1; ARE is fixed at 1 */
        else
            a->val = d->ctlr | CTLR_ARE_NS;
    } else if (off == GICD_TYPER && !a->write) {
        a->val = ((VGIC_NR_IRQS / 32) - 1) | (9u << 19); /* ITLinesNumber, IDbits = 10 */
    } else if (off == GICD_IIDR && !a->write) {
        a->val = IIDR_EMVISOR;
    } else if (off >= GICD_IGROUPR && off < GICD_IGROUPR + 8 && !a->write) {
        a->val = 0xffffffffu; /* all Group 1, RAO/WI */
    } else if (off >= GICD_ISENABLER + 4 && off < GICD_ISENABLER + VGIC_NR_IRQS / 8 && !(off & 3)) {
        set_clear(&d->spi_enabled[(off - GICD_ISENABLER) / 4 - 1], a, true);
    } else if (off >= GICD_ICENABLER + 4 && off < GICD_ICENABLER + VGIC_NR_IRQS / 8 && !(off & 3)) {
        set_clear(&d->spi_enabled[(off - GICD_ICENABLER) / 4 - 1], a, false);
    } else if (off >= GICD_ISENABLER && off < GICD_ICENABLER + 8) {
        set_clear(&discard, a, true); /* bank 0 is the redistributor's */
    } else if (off >= GICD_IPRIORITYR + 32 && off < GICD_IPRIORITYR + VGIC_NR_IRQS) {
        bytes_access(d->spi_prio, VGIC_NR_SPIS, a, off - (GICD_IPRIORITYR + 32));
    } else if (off >= GICD_ICFGR + 8 && off < GICD_ICFGR + VGIC_NR_IRQS / 4 && !(off & 3)) {
        spi_cfg_access(d, (unsigned)(off - GICD_ICFGR - 8) / 4, a);
    } else if (off >= GICD_IROUTER && off < GICD_IROUTER + 8 * VGIC_NR_SPIS && (off & 3) == 0 &&
               (a->size == 4 || (a->size == 8 && (off & 7) == 0))) {
        /* 64-bit registers; a 32-bit access reaches one half and leaves the other alone */
        uint64_t *r = &d->irouter[(off - GICD_IROUTER) / 8];
        unsigned shift = (off & 4) * 8;
        uint64_t mask = mmio_size_mask(a->size) << shift;
        mask &= 0xff80ffffffULL; /* Aff3, IRM, Aff2, Aff1, Aff0; the rest is RES0 */
        if (a->write)
            *r = (*r & ~mask) | ((a->val << shift) & mask);
        else
            a->val = (*r & mask) >> shift;
    } else if (off == GIC_PIDR2 && !a->write) {
        a->val = PIDR2_GICV3;
    }
    return 0;
}

static int vgicr_rd_frame(struct vgic_cpu *c, const struct vgicr_id *id, struct mmio_access *a)
{
    switch (a->off) {
    case GICR_TYPER:
        if (!a->write)
            a->val = ((uint64_t)id->affinity << 32) | ((uint64_t)id->index << 8) |
                     (id->last ? (1u << 4) : 0);
        break;
    case GICR_TYPER + 4: /* upper half read as a 32-bit access */
        if (!a->write)
            a->val = id->affinity;
        break;
    case GICR_WAKER:
        if (a->write) /* ChildrenAsleep follows ProcessorSleep at once */
            c->waker = (a->val & WAKER_PSLEEP) ? (WAKER_PSLEEP | WAKER_CASLEEP) : 0;
        else
            a->val = c->waker;
        break;
    case GICR_IIDR:
        if (!a->write)
            a->val = IIDR_EMVISOR;
        break;
    case GIC_PIDR2:
        if (!a->write)
            a->val = PIDR2_GICV3;
        break;
    default:
        break;
    }
    return 0;
}

static int vgicr_sgi_frame(struct vgic_cpu *c, struct mmio_access *a, uint32_t *raise)
{
    uint64_t off = a->off - GICR_SGI;
    if (off == GICR_IGROUPR0 && !a->write) {
        a->val = 0xffffffffu;
    } else if (off == GICR_ISENABLER0) {
        set_clear(&c->enabled, a, true);
    } else if (off == GICR_ICENABLER0) {
        set_clear(&c->enabled, a, false);
        c->enabled |= 0xffff;
    } else if (off == GICR_ISPENDR0) {
        if (a->write)
            *raise |= (uint32_t)a->val;
    } else if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32) {
        bytes_access(c->prio, 32, a, off - GICR_IPRIORITYR);
    } else if (off == GICR_ICFGR1) {
        if (a->write)
            c->ppi_cfg = (uint32_t)a->val;
        else
            a->val = c->ppi_cfg;
    } else if (off == GICR_ICFGR0 && !a->write) {
        a->val = 0xaaaaaaaau; /* SGIs are edge-triggered */
    }
    return 0;
}

int vgicr_emulate(struct vgic_cpu *c, const struct vgicr_id *id, struct mmio_access *a,
                  uint32_t *raise)
{
    if (!a->write)
        a->val = 0;
    if (a->off < GICR_SGI)
        return vgicr_rd_frame(c, id, a);
    return vgicr_sgi_frame(c, a, raise);
}

bool vgic_irq_enabled(const struct vgic_dist *d, const struct vgic_cpu *c, irq_t irq)
{
    if (irq < 32)
        return (c->enabled >> irq) & 1;
    if (irq < VGIC_NR_IRQS)
        return (d->ctlr & 2) && ((d->spi_enabled[(irq - 32) / 32] >> (irq % 32)) & 1);
    return false;
}

uint8_t vgic_irq_prio(const struct vgic_dist *d, const struct vgic_cpu *c, irq_t irq)
{
    if (irq < 32)
        return c->prio[irq];
    return irq < VGIC_NR_IRQS ? d->spi_prio[irq - 32] : 0xff;
}

void vgic_spi_set_hw(struct vgic_dist *d, irq_t irq)
{
    if (irq >= 32 && irq < VGIC_NR_IRQS)
        d->hw[(irq - 32) / 32] |= 1u << (irq % 32);
}

bool vgic_spi_is_hw(const struct vgic_dist *d, irq_t irq)
{
    return irq >= 32 && irq < VGIC_NR_IRQS && ((d->hw[(irq - 32) / 32] >> (irq % 32)) & 1);
}

unsigned vgic_spi_target(const struct vgic_dist *d, irq_t irq, unsigned nr)
{
    if (irq < 32 || irq >= VGIC_NR_IRQS)
        return 0;
    uint64_t r = d->irouter[irq - 32];
    unsigned aff0 = r & 0xff;
    /* IRM (1 of N) or an affinity other than 0.0.0.i: vCPU 0, like a 1-of-N choice would */
    return (r & (1ULL << 31)) || (r & 0xff00ffff00ULL) || aff0 >= nr ? 0 : aff0;
}

irq_t vgic_sgi_targets(uint64_t val, unsigned self, unsigned nr, uint32_t *targets)
{
    uint32_t all = nr >= 32 ? ~0u : (1u << nr) - 1;
    if ((val >> 40) & 1) { /* IRM: all but self */
        *targets = all & ~(1u << self);
    } else if (val & 0x00ff00ff00ff0000ULL) { /* Aff3, Aff2, Aff1 not 0 */
        *targets = 0;
    } else {
        unsigned rs = (val >> 44) & 0xf;
        uint64_t tl = val & 0xffff;
        *targets = rs < 2 ? (uint32_t)(tl << (16 * rs)) & all : 0;
    }
    return (irq_t)((val >> 24) & 0xf);
}
