/* SPDX-License-Identifier: MIT */
/*
 * vpl011.c - a Linux VM's console: the emulated PL011 (vpl011.h) at the board UART's address,
 * trapped at stage 2. What the guest writes goes to the hypervisor's console as `[vm] line`,
 * like every VM's output; its interrupt is the virtual SPI of the board UART's line.
 */
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

void vpl011_attach(struct vm *vm)
{
    vpl011_init(&vm->uart);
    vm_mmio_register(vm, PLAT_UART_BASE, PAGE_SIZE, vpl011_mmio, vm);
}
