/* SPDX-License-Identifier: MIT */
/*
 * vpl011.c - a Linux VM's console: the emulated PL011 (vpl011.h) at the board UART's address,
 * trapped at stage 2. What the guest writes goes to the hypervisor's console as `[vm] line`,
 * like every VM's output; its interrupt is the virtual SPI of the board UART's line.
 */
#include "core/coninput.h"
#include "drivers.h"
#include "hyp.h"

static void raise(struct vm *vm)
{
    virq_raise(vm->vcpus[vgic_spi_target(&vm->vgicd, PLAT_UART_IRQ, vm->nr_vcpus)], PLAT_UART_IRQ);
}

static int vpl011_mmio(struct vcpu *v, void *ctx, struct mmio_access *a)
{
    struct vm *vm = ctx;
    char c;
    bool tx;
    (void)v;
    spin_lock(&vm->uart_lock);
    bool irq = vpl011_access(&vm->uart, a, &c, &tx);
    spin_unlock(&vm->uart_lock);
    if (tx)
        vm_console_putc(vm, c);
    if (irq)
        raise(vm);
    return 0;
}

/* Console input: to vms[focus] (-1: nobody), moved on by the switch sequence (coninput.h). */
static struct coninput input;
static int focus = -1;

/* The next VM with an emulated UART after vms[@from], or -1 after the last. */
static int next_focus(int from)
{
    for (unsigned i = (unsigned)(from + 1); i < nr_vms; i++)
        if (vms[i].cfg->flags & EMV_VM_F_LINUX)
            return (int)i;
    return -1;
}

static void announce(void)
{
    if (focus < 0)
        hyp_log("console input: to nobody (Ctrl-E three times: to the next VM)");
    else
        hyp_log("console input: to vm '%s' (Ctrl-E three times: to the next VM)", vms[focus].name);
}

void vpl011_input_init(void)
{
    focus = next_focus(-1);
    if (focus < 0)
        return; /* no VM takes input: the receive interrupt stays off */
    announce();
    uart_rx_irq_on();
}

/* On the console's CPU, from its interrupt. A full receive FIFO drops the byte, as a UART. */
void vpl011_input(char c)
{
    char out[CONINPUT_PRESSES];
    bool sw;
    unsigned n = coninput_feed(&input, c, out, &sw);
    if (sw) {
        focus = next_focus(focus);
        announce();
        return;
    }
    if (focus < 0)
        return;
    struct vm *vm = &vms[focus];
    if (__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) != VM_RUNNING)
        return;
    for (unsigned i = 0; i < n; i++) {
        bool irq;
        spin_lock(&vm->uart_lock);
        vpl011_rx(&vm->uart, out[i], &irq);
        spin_unlock(&vm->uart_lock);
        if (irq)
            raise(vm);
    }
}

void vpl011_attach(struct vm *vm)
{
    vpl011_init(&vm->uart);
    vm_mmio_register(vm, PLAT_UART_BASE, PAGE_SIZE, vpl011_mmio, vm);
}
