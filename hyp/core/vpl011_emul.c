/* SPDX-License-Identifier: MIT */
/*
 * vpl011_emul.c - the PL011 register file of a VM's emulated console (vpl011.h). Pure logic.
 * Register offsets and bits: Arm PrimeCell UART (PL011) Technical Reference Manual, 3.2/3.3.
 */
#include "core/vpl011.h"

#define DR 0x000
#define RSR 0x004
#define FR 0x018
#define ILPR 0x020
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define DMACR 0x048
#define ID_BASE 0xfe0

#define FR_RXFE (1u << 4)
#define FR_TXFE (1u << 7)
#define INT_ALL 0x7ffu

/* PeriphID0..3 (r1p5 PL011, as QEMU's) and PCellID0..3. */
static const uint8_t ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

void vpl011_init(struct vpl011 *u)
{
    *u = (struct vpl011){.cr = 0x300, .ifls = 0x12}; /* reset values: TXE, RXE; FIFO levels 1/2 */
    u->ris = VPL011_INT_TX; /* the transmit FIFO is empty: always below its level */
}

bool vpl011_line(const struct vpl011 *u)
{
    return (u->ris & u->imsc) != 0;
}

/* RX and receive-timeout are raised while the FIFO holds characters. */
static void rx_status(struct vpl011 *u)
{
    if (u->rx_len)
        u->ris |= VPL011_INT_RX | VPL011_INT_RT;
    else
        u->ris &= ~(VPL011_INT_RX | VPL011_INT_RT);
}

static uint32_t read_reg(struct vpl011 *u, uint64_t off)
{
    switch (off) {
    case DR: {
        if (!u->rx_len)
            return 0;
        uint8_t c = u->rx[u->rx_head];
        u->rx_head = (u->rx_head + 1) % VPL011_RX_SIZE;
        u->rx_len--;
        rx_status(u);
        return c;
    }
    case FR:
        return FR_TXFE | (u->rx_len ? 0 : FR_RXFE);
    case IBRD:
        return u->ibrd;
    case FBRD:
        return u->fbrd;
    case LCR_H:
        return u->lcr_h;
    case CR:
        return u->cr;
    case IFLS:
        return u->ifls;
    case IMSC:
        return u->imsc;
    case RIS:
        return u->ris;
    case MIS:
        return u->ris & u->imsc;
    case DMACR:
        return u->dmacr;
    default:
        if (off >= ID_BASE && off < ID_BASE + 32 && !(off & 3))
            return ids[(off - ID_BASE) / 4];
        return 0; /* RSR (no errors), ILPR and reserved offsets read as zero */
    }
}

static void write_reg(struct vpl011 *u, uint64_t off, uint32_t v, char *tx, bool *has_tx)
{
    switch (off) {
    case DR:
        *tx = (char)(v & 0xff);
        *has_tx = true;
        break;
    case IBRD:
        u->ibrd = v & 0xffff;
        break;
    case FBRD:
        u->fbrd = v & 0x3f;
        break;
    case LCR_H:
        u->lcr_h = v & 0xff;
        break;
    case CR:
        u->cr = v & 0xff87;
        break;
    case IFLS:
        u->ifls = v & 0x3f;
        break;
    case IMSC:
        u->imsc = v & INT_ALL;
        break;
    case ICR:
        u->ris &= ~(v & INT_ALL);
        u->ris |= VPL011_INT_TX; /* still empty: the condition holds again at once */
        rx_status(u);
        break;
    case DMACR:
        u->dmacr = v & 0x7;
        break;
    default:
        break; /* RSR/ECR (clears errors: none), read-only and reserved offsets */
    }
}

bool vpl011_access(struct vpl011 *u, struct mmio_access *a, char *tx, bool *has_tx)
{
    bool before = vpl011_line(u);
    *has_tx = false;
    /* Registers are 32 bits wide (DR also takes byte accesses); others read as zero. */
    uint64_t off = a->off & ~3ull;
    if (a->write)
        write_reg(u, off, (uint32_t)(a->val << 8 * (a->off & 3)), tx, has_tx);
    else
        a->val = read_reg(u, off) >> 8 * (a->off & 3);
    return !before && vpl011_line(u);
}

bool vpl011_rx(struct vpl011 *u, char c, bool *irq)
{
    bool before = vpl011_line(u);
    *irq = false;
    if (u->rx_len == VPL011_RX_SIZE)
        return false;
    u->rx[(u->rx_head + u->rx_len) % VPL011_RX_SIZE] = (uint8_t)c;
    u->rx_len++;
    rx_status(u);
    *irq = !before && vpl011_line(u);
    return true;
}
