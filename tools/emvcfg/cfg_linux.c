/* SPDX-License-Identifier: MIT */
/*
 * cfg_linux.c - a VM that boots an unmodified arm64 Linux kernel (config `kernel`, `initrd`,
 * `bootargs`): the Image header, where kernel, initramfs and device tree go in the VM's RAM
 * (the arm64 boot protocol), their checks, and the device tree Linux boots from. That device
 * tree *is* the VM's boot information (cfg_bootinfo.c), with the devices Linux needs added:
 * CPUs with PSCI, the virtual GIC, the timer, the emulated PL011 and /chosen.
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "board.h"
#include "cfg.h"

#define ULL(x) ((unsigned long long)(x))
#define SZ_2M 0x200000ULL
#define SZ_4K 0x1000ULL

int cfg_linux_read_header(const char *file, struct cfg_vm *vm)
{
    uint8_t h[64];
    FILE *f = fopen(file, "rb");
    if (!f)
        return -1;
    size_t n = fread(h, 1, sizeof(h), f);
    fclose(f);
    if (n != sizeof(h))
        return -1;
    uint64_t v[8];
    for (unsigned i = 0; i < 8; i++) {
        v[i] = 0;
        for (unsigned b = 0; b < 8; b++)
            v[i] |= (uint64_t)h[i * 8 + b] << (8 * b);
    }
    vm->kernel_header_ok = !memcmp(h + 56, "ARM\x64", 4);
    vm->text_offset = v[1];
    vm->kernel_image_size = v[2];
    vm->kernel_flags = v[3];
    return 0;
}

void cfg_linux_layout(const struct cfg_vm *vm, struct cfg_linux_layout *l)
{
    uint64_t isz = vm->initrd_size > 0 ? (uint64_t)vm->initrd_size : 0;
    uint64_t end = vm->ram_ipa + vm->ram_size;
    uint64_t ksz = (uint64_t)(vm->image_size > 0 ? vm->image_size : 0);
    l->kernel = vm->ram_ipa + vm->text_offset;
    l->kernel_end = l->kernel + (vm->kernel_image_size > ksz ? vm->kernel_image_size : ksz);
    /* The device tree is the boot information: the hypervisor copies it to the last pages of
     * RAM (at most CFG_BOOTINFO_MAX bytes); the initramfs goes just below that room. */
    l->dtb_room = end - CFG_BOOTINFO_MAX;
    l->initrd = isz ? (l->dtb_room - isz) & ~(SZ_4K - 1) : 0;
    l->initrd_end = isz ? l->initrd + isz : 0;
}

void cfg_check_linux(const struct cfg_vm *vm, bool ram_ok, struct cfg_diag *d)
{
    const char *n = vm->name;
    if (!vm->linux_kernel) {
        if (vm->initrd[0] || vm->has_bootargs)
            cfg_error(d, n, vm->initrd[0] ? "initrd" : "bootargs",
                      "only for a VM that boots a Linux kernel (`kernel`), not an `image`");
        return;
    }
    if (vm->image_size < 0)
        return; /* check_image said it cannot be read */
    if (!vm->kernel_header_ok) {
        cfg_error(d, n, "kernel", "'%s' is not an arm64 Linux Image (no \"ARM\\x64\" magic)",
                  vm->image);
        return;
    }
    if (vm->kernel_flags & 1)
        cfg_error(d, n, "kernel", "'%s' is a big-endian kernel; only little-endian is supported",
                  vm->image);
    if (((vm->kernel_flags >> 1) & 3) == 2 || ((vm->kernel_flags >> 1) & 3) == 3)
        cfg_error(d, n, "kernel", "'%s' needs a 16 or 64 KiB page size; stage 2 uses 4 KiB",
                  vm->image);
    if (vm->has_entry)
        cfg_error(d, n, "entry", "not with `kernel`: Linux is entered at the Image's start");
    if (vm->bootarg)
        cfg_error(d, n, "bootarg", "not with `kernel`: x1..x3 are 0 by the arm64 boot protocol");
    if (vm->initrd[0] && vm->initrd_size < 0)
        cfg_error(d, n, "initrd", "cannot read '%s'", vm->initrd);
    else if (vm->initrd[0] && vm->initrd_size == 0)
        cfg_error(d, n, "initrd", "'%s' is empty", vm->initrd);
    if (!ram_ok)
        return;
    if (vm->ram_ipa % SZ_2M)
        cfg_error(d, n, "ipa",
                  "%#llx: a Linux VM's RAM must start 2 MiB aligned (the arm64 boot protocol "
                  "places the Image at a 2 MiB aligned base)",
                  ULL(vm->ram_ipa));
    struct cfg_linux_layout l;
    cfg_linux_layout(vm, &l);
    uint64_t below = l.initrd ? l.initrd : l.dtb_room;
    if (vm->ram_size < CFG_BOOTINFO_MAX + SZ_4K || l.kernel_end > below ||
        (vm->initrd_size > 0 && (uint64_t)vm->initrd_size > l.dtb_room - vm->ram_ipa))
        cfg_error(d, n, "memory",
                  "%llu bytes cannot hold the kernel (%llu bytes from offset %#llx, the Image "
                  "header's image_size), the initramfs (%lld bytes) and the device tree (%u)",
                  ULL(vm->ram_size), ULL(l.kernel_end - l.kernel), ULL(vm->text_offset),
                  (long long)(vm->initrd_size > 0 ? vm->initrd_size : 0), CFG_BOOTINFO_MAX);
}

/* Nodes of the Linux device tree. phandles: 1 the GIC, 2 the UART's clock. */
#define PH_GIC 1
#define PH_CLK 2

static int prop_cells(void *fdt, const char *name, const uint32_t *v, unsigned n)
{
    fdt32_t c[16];
    for (unsigned i = 0; i < n && i < 16; i++)
        c[i] = cpu_to_fdt32(v[i]);
    return fdt_property(fdt, name, c, (int)(n * sizeof(fdt32_t)));
}

static int reg2(void *fdt, uint64_t a, uint64_t s)
{
    uint32_t v[4] = {(uint32_t)(a >> 32), (uint32_t)a, (uint32_t)(s >> 32), (uint32_t)s};
    return prop_cells(fdt, "reg", v, 4);
}

static int cpus_node(void *fdt, const struct cfg_vm *vm)
{
    int r = fdt_begin_node(fdt, "cpus");
    r = r ? r : fdt_property_u32(fdt, "#address-cells", 1);
    r = r ? r : fdt_property_u32(fdt, "#size-cells", 0);
    for (unsigned i = 0; i < vm->nr_vcpus && i < EMV_MAX_VCPUS_PER_VM; i++) {
        char name[16];
        snprintf(name, sizeof(name), "cpu@%u", i);
        r = r ? r : fdt_begin_node(fdt, name);
        r = r ? r : fdt_property_string(fdt, "device_type", "cpu");
        r = r ? r : fdt_property_string(fdt, "compatible", "arm,cortex-a53");
        r = r ? r : fdt_property_u32(fdt, "reg", i); /* MPIDR Aff0 = vCPU index */
        r = r ? r : fdt_property_string(fdt, "enable-method", "psci");
        r = r ? r : fdt_end_node(fdt);
    }
    return r ? r : fdt_end_node(fdt);
}

static int gic_node(void *fdt, const struct cfg_vm *vm)
{
    char name[32];
    snprintf(name, sizeof(name), "intc@%lx", (unsigned long)PLAT_VGICD_BASE);
    uint64_t rd = (uint64_t)vm->nr_vcpus * PLAT_GICR_STRIDE;
    uint32_t reg[8] = {0, (uint32_t)PLAT_VGICD_BASE, 0, (uint32_t)PLAT_GICD_SIZE,
                       0, (uint32_t)PLAT_VGICR_BASE, 0, (uint32_t)rd};
    uint32_t maint[3] = {1, PLAT_IRQ_MAINT - 16, 4};
    int r = fdt_begin_node(fdt, name);
    r = r ? r : fdt_property_string(fdt, "compatible", "arm,gic-v3");
    r = r ? r : fdt_property_u32(fdt, "#interrupt-cells", 3);
    r = r ? r : fdt_property(fdt, "interrupt-controller", NULL, 0);
    r = r ? r : fdt_property_u32(fdt, "#redistributor-regions", 1);
    r = r ? r : prop_cells(fdt, "reg", reg, 8);
    r = r ? r : prop_cells(fdt, "interrupts", maint, 3);
    r = r ? r : fdt_property_u32(fdt, "phandle", PH_GIC);
    return r ? r : fdt_end_node(fdt);
}

/* Secure physical, non-secure physical, virtual and hypervisor timer PPIs (GIC PPI numbers). */
static int timer_node(void *fdt)
{
    uint32_t irqs[12] = {
        1, 13, 4, 1, 14, 4, 1, PLAT_IRQ_VIRT_TIMER - 16, 4, 1, PLAT_IRQ_HYP_TIMER - 16, 4};
    int r = fdt_begin_node(fdt, "timer");
    r = r ? r : fdt_property_string(fdt, "compatible", "arm,armv8-timer");
    r = r ? r : prop_cells(fdt, "interrupts", irqs, 12);
    r = r ? r : fdt_property(fdt, "always-on", NULL, 0);
    return r ? r : fdt_end_node(fdt);
}

static int psci_node(void *fdt)
{
    static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
    int r = fdt_begin_node(fdt, "psci");
    r = r ? r : fdt_property(fdt, "compatible", compat, sizeof(compat));
    r = r ? r : fdt_property_string(fdt, "method", "hvc");
    return r ? r : fdt_end_node(fdt);
}

static int uart_nodes(void *fdt, char *path, size_t size)
{
    static const char compat[] = "arm,pl011\0arm,primecell";
    static const char clkn[] = "uartclk\0apb_pclk";
    uint32_t irq[3] = {0, PLAT_UART_IRQ - 32, 4}, clks[2] = {PH_CLK, PH_CLK};
    int r = fdt_begin_node(fdt, "apb-pclk");
    r = r ? r : fdt_property_string(fdt, "compatible", "fixed-clock");
    r = r ? r : fdt_property_u32(fdt, "#clock-cells", 0);
    r = r ? r : fdt_property_u32(fdt, "clock-frequency", 24000000);
    r = r ? r : fdt_property_string(fdt, "clock-output-names", "clk24mhz");
    r = r ? r : fdt_property_u32(fdt, "phandle", PH_CLK);
    r = r ? r : fdt_end_node(fdt);
    snprintf(path, size, "/pl011@%lx", (unsigned long)PLAT_UART_BASE);
    r = r ? r : fdt_begin_node(fdt, path + 1);
    r = r ? r : fdt_property(fdt, "compatible", compat, sizeof(compat));
    r = r ? r : reg2(fdt, PLAT_UART_BASE, 0x1000);
    r = r ? r : prop_cells(fdt, "interrupts", irq, 3);
    r = r ? r : prop_cells(fdt, "clocks", clks, 2);
    r = r ? r : fdt_property(fdt, "clock-names", clkn, sizeof(clkn));
    return r ? r : fdt_end_node(fdt);
}

static int chosen_node(void *fdt, const struct cfg_vm *vm, const char *stdout_path)
{
    struct cfg_linux_layout l;
    cfg_linux_layout(vm, &l);
    int r = fdt_begin_node(fdt, "chosen");
    r = r ? r : fdt_property_string(fdt, "bootargs", vm->bootargs);
    r = r ? r : fdt_property_string(fdt, "stdout-path", stdout_path);
    if (l.initrd) {
        r = r ? r : fdt_property_u64(fdt, "linux,initrd-start", l.initrd);
        r = r ? r : fdt_property_u64(fdt, "linux,initrd-end", l.initrd_end);
    }
    /* Room for a seed: the hypervisor fills it with fresh bytes at each start of the VM (or
     * takes the property out when the board has no entropy), so Linux's RNG is ready before
     * its first system call. Unseeded, every system call took a slow path. */
    static const uint8_t placeholder[CFG_RNG_SEED_BYTES];
    r = r ? r : fdt_property(fdt, "rng-seed", placeholder, sizeof(placeholder));
    return r ? r : fdt_end_node(fdt);
}

uint32_t cfg_linux_rng_seed_off(const void *blob)
{
    int len = 0;
    const void *p = fdt_getprop(blob, fdt_path_offset(blob, "/chosen"), "rng-seed", &len);
    return p && len == CFG_RNG_SEED_BYTES ? (uint32_t)((const uint8_t *)p - (const uint8_t *)blob)
                                          : 0;
}

int cfg_linux_root_props(void *fdt, const struct cfg_vm *vm)
{
    (void)vm;
    int r = fdt_property_string(fdt, "model", "emvisor VM");
    return r ? r : fdt_property_u32(fdt, "interrupt-parent", PH_GIC);
}

int cfg_linux_nodes(void *fdt, const struct cfg_vm *vm)
{
    char uart[32];
    int r = cpus_node(fdt, vm);
    r = r ? r : gic_node(fdt, vm);
    r = r ? r : timer_node(fdt);
    r = r ? r : psci_node(fdt);
    r = r ? r : uart_nodes(fdt, uart, sizeof(uart));
    return r ? r : chosen_node(fdt, vm, uart);
}
