/* SPDX-License-Identifier: MIT */
/*
 * test_cfg.c - the config checks (tools/emvcfg/cfg_check.c): each mistake is refused with a
 * message naming the VM and the field, every mistake is reported, and valid configs pass.
 * Configs are built in memory; no file, no libfdt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "board.h"
#include "cfg.h"

static char msgs[8192];
static struct cfg_sys sys;

/* The same shape as the tool prints, with '-' for system-wide problems. */
static void collect(void *ctx, const char *vm, const char *field, const char *msg)
{
    (void)ctx;
    size_t n = strlen(msgs);
    snprintf(msgs + n, sizeof(msgs) - n, "vm '%s': %s: %s\n", vm ? vm : "-", field, msg);
}

static struct cfg_vm *add_vm(const char *name, uint64_t pa, uint32_t cpu)
{
    struct cfg_vm *vm = &sys.vms[sys.nr_vms++];
    cfg_vm_init(vm);
    snprintf(vm->name, sizeof(vm->name), "%s", name);
    snprintf(vm->image, sizeof(vm->image), "img.bin");
    vm->image_size = 8192;
    vm->has_memory = true;
    vm->ram_pa = pa;
    vm->ram_size = 0x1000000;
    vm->nr_vcpus = 1;
    vm->vcpus[0] = (struct cfg_vcpu){.cpu = cpu, .weight = 256};
    return vm;
}

/* alpha on cpu 0 and beta on cpu 1, 16 MiB each, nothing else: a valid system. */
static int setup(void **state)
{
    (void)state;
    cfg_sys_init(&sys);
    snprintf(sys.platform, sizeof(sys.platform), PLAT_NAME);
    add_vm("alpha", 0x48000000, 0);
    add_vm("beta", 0x49000000, 1);
    msgs[0] = '\0';
    return 0;
}

static unsigned check(void)
{
    struct cfg_diag d = {collect, NULL, 0};
    msgs[0] = '\0';
    return cfg_check(&sys, &d);
}

/* Exactly @n errors, and the messages contain @want. */
static void expect(unsigned n, const char *want)
{
    unsigned got = check();
    if (got != n || !strstr(msgs, want))
        fail_msg("expected %u error(s) with \"%s\", got %u:\n%s", n, want, got, msgs);
}

/* A further message of the last check. */
static void also(const char *want)
{
    if (!strstr(msgs, want))
        fail_msg("expected a message with \"%s\" in:\n%s", want, msgs);
}

static void add_dev(struct cfg_vm *vm, const char *name)
{
    snprintf(vm->devs[vm->nr_devs++], sizeof(vm->devs[0]), "%s", name);
}

static void rt_server(struct cfg_vm *vm, unsigned k, uint64_t period, uint64_t budget)
{
    vm->vcpus[k].has_period = vm->vcpus[k].has_budget = true;
    vm->vcpus[k].period_us = period;
    vm->vcpus[k].budget_us = budget;
}

static void add_task(struct cfg_vm *vm, uint64_t period, uint64_t wcet)
{
    vm->has_tasks = true;
    snprintf(vm->task_names[vm->nr_tasks], sizeof(vm->task_names[0]), "t%u", vm->nr_tasks);
    vm->tasks[vm->nr_tasks++] = (struct emv_task_cfg){period, wcet};
}

/* ---- valid systems ---- */

static void test_valid(void **s)
{
    (void)s;
    assert_int_equal(check(), 0);
}

static void test_valid_full(void **s)
{
    (void)s;
    add_dev(&sys.vms[0], "rtc");
    add_dev(&sys.vms[1], "gpio");
    add_dev(&sys.vms[1], "virtio0");
    sys.vms[1].dma_trusted = true;
    sys.vms[0].control = true;
    sys.vms[1].ram_ipa = 0x80000000;
    sys.vms[1].has_entry = true;
    sys.vms[1].entry = 0x80001000;
    rt_server(&sys.vms[0], 0, 10000, 5000);
    add_task(&sys.vms[0], 20000, 2000);
    sys.vms[0].nr_vcpus = 2;
    sys.vms[0].vcpus[1] = (struct cfg_vcpu){.cpu = 1, .weight = 512};
    sys.nr_cpu_policy = 2;
    sys.cpu_policy[1] = EMV_CPU_POLICY_RM;
    assert_int_equal(check(), 0);
}

/* ---- memory ---- */

static void test_memory_overlap(void **s)
{
    (void)s;
    sys.vms[1].ram_pa = 0x48800000;
    expect(1, "vm 'beta': memory: [0x48800000, 0x49800000) overlaps vm 'alpha' memory "
              "[0x48000000, 0x49000000)");
}

static void test_memory_outside_board(void **s)
{
    (void)s;
    sys.vms[1].ram_pa = PLAT_RAM_BASE + PLAT_RAM_SIZE - 0x800000;
    expect(1, "vm 'beta': memory: [0x7f800000, 0x80800000) is outside the board's RAM "
              "[0x40000000, 0x80000000)");
    sys.vms[1].ram_pa = 0x10000000; /* below RAM: MMIO space */
    expect(1, "vm 'beta': memory: [0x10000000, 0x11000000) is outside the board's RAM");
}

static void test_memory_hypervisor(void **s)
{
    (void)s;
    sys.vms[0].ram_pa = PLAT_HYP_BASE + 0x1000000;
    expect(1, "vm 'alpha': memory: [0x41000000, 0x42000000) overlaps the hypervisor's memory "
              "[0x40000000, 0x44000000)");
}

static void test_memory_base_misaligned(void **s)
{
    (void)s;
    sys.vms[0].ram_pa = 0x48000800;
    sys.vms[0].ram_size = 0x800000;
    expect(1, "vm 'alpha': memory: base 0x48000800 is not 4 KiB aligned");
}

static void test_memory_size_misaligned(void **s)
{
    (void)s;
    sys.vms[0].ram_size = 0x800800;
    expect(1, "vm 'alpha': memory: size 0x800800 is not a multiple of 4 KiB");
}

static void test_memory_zero_size(void **s)
{
    (void)s;
    sys.vms[1].ram_size = 0;
    expect(1, "vm 'beta': memory: size is zero");
}

static void test_memory_missing(void **s)
{
    (void)s;
    sys.vms[1].has_memory = false;
    expect(1, "vm 'beta': memory: missing");
}

static void test_memory_wraps(void **s)
{
    (void)s;
    sys.vms[1].ram_pa = 0xfffffffffff00000ULL;
    sys.vms[1].ram_size = 0x200000;
    expect(1, "vm 'beta': memory: base + size wraps around 64 bits");
}

/* ---- guest-physical layout ---- */

static void test_ipa_misaligned(void **s)
{
    (void)s;
    sys.vms[0].ram_ipa = 0x40000010;
    expect(1, "vm 'alpha': ipa: 0x40000010 is not 4 KiB aligned");
}

static void test_ipa_overlaps_vgic_distributor(void **s)
{
    (void)s;
    sys.vms[0].ram_ipa = 0x07000000; /* ends right where the distributor starts */
    expect(0, "");
    sys.vms[0].ram_ipa = 0x07800000;
    expect(1, "vm 'alpha': ipa: RAM [0x7800000, 0x8800000) overlaps the virtual GIC distributor "
              "[0x8000000, 0x8010000)");
}

static void test_ipa_overlaps_vgic_redistributors(void **s)
{
    (void)s;
    sys.vms[0].ram_ipa = 0x08090000; /* past the distributor, into the vCPU's redistributor */
    sys.vms[0].ram_size = 0x10000;
    expect(0, "");
    sys.vms[0].ram_size = 0x20000;
    expect(1, "vm 'alpha': ipa: RAM [0x8090000, 0x80b0000) overlaps the virtual GIC "
              "redistributors [0x80a0000, 0x80c0000)");
}

static void test_ipa_beyond_stage2(void **s)
{
    (void)s;
    sys.vms[0].ram_ipa = (1ULL << 39) - 0x800000;
    expect(1, "vm 'alpha': ipa: RAM [0x7fff800000, 0x8000800000) does not fit the 39-bit");
}

static void test_ipa_overlaps_own_device(void **s)
{
    (void)s;
    sys.vms[0].ram_ipa = 0x09000000;
    expect(0, ""); /* uart0 and rtc are there, but alpha has neither */
    add_dev(&sys.vms[0], "rtc");
    expect(1, "vm 'alpha': ipa: RAM [0x9000000, 0xa000000) overlaps device 'rtc' at 0x9010000");
}

/* ---- image and entry ---- */

static void test_no_image(void **s)
{
    (void)s;
    sys.vms[1].image[0] = '\0';
    expect(1, "vm 'beta': image: missing");
}

static void test_image_unreadable(void **s)
{
    (void)s;
    sys.vms[0].image_size = -1;
    expect(1, "vm 'alpha': image: cannot read 'img.bin'");
}

static void test_image_too_big(void **s)
{
    (void)s;
    sys.vms[1].image_size = 0x1000001;
    expect(1, "vm 'beta': image: 'img.bin' (16777217 bytes) is larger than the VM's memory "
              "(16777216 bytes)");
}

static void test_image_empty(void **s)
{
    (void)s;
    sys.vms[1].image_size = 0;
    expect(1, "vm 'beta': image: 'img.bin' is empty");
}

static void test_entry_outside_image(void **s)
{
    (void)s;
    sys.vms[0].has_entry = true;
    sys.vms[0].entry = sys.vms[0].ram_ipa + 0x2000; /* the image is 0x2000 bytes */
    expect(1, "vm 'alpha': entry: 0x40002000 is not a 4-byte aligned address inside the image "
              "[0x40000000, 0x40002000)");
    sys.vms[0].entry = sys.vms[0].ram_ipa - 4;
    expect(1, "vm 'alpha': entry: 0x3ffffffc");
    sys.vms[0].entry = sys.vms[0].ram_ipa + 2;
    expect(1, "vm 'alpha': entry: 0x40000002 is not a 4-byte aligned");
    sys.vms[0].entry = sys.vms[0].ram_ipa + 0x1ffc;
    expect(0, "");
}

/* ---- devices ---- */

static void test_device_twice(void **s)
{
    (void)s;
    add_dev(&sys.vms[0], "rtc");
    add_dev(&sys.vms[1], "rtc");
    expect(1, "vm 'beta': devices: 'rtc' is already given to vm 'alpha'");
}

static void test_device_unknown(void **s)
{
    (void)s;
    add_dev(&sys.vms[1], "flux-capacitor");
    expect(1, "vm 'beta': devices: the board has no device 'flux-capacitor'");
}

static void test_device_of_hypervisor(void **s)
{
    (void)s;
    add_dev(&sys.vms[0], "uart0");
    add_dev(&sys.vms[1], "gic");
    expect(2, "vm 'alpha': devices: 'uart0' belongs to the hypervisor");
    also("vm 'beta': devices: 'gic' belongs to the hypervisor");
}

static void test_device_listed_twice(void **s)
{
    (void)s;
    add_dev(&sys.vms[0], "gpio");
    add_dev(&sys.vms[0], "gpio");
    expect(1, "vm 'alpha': devices: 'gpio' listed twice");
}

/* virtio0 and virtio1 are 0x200 apart: one stage-2 page would expose both. */
static void test_device_shares_page(void **s)
{
    (void)s;
    sys.vms[0].dma_trusted = sys.vms[1].dma_trusted = true; /* virtio can DMA: not the point */
    add_dev(&sys.vms[0], "virtio0");
    add_dev(&sys.vms[1], "virtio1");
    expect(1, "vm 'beta': devices: 'virtio1' shares a 4 KiB page with 'virtio0' of vm 'alpha'");
    sys.vms[1].nr_devs = 0;
    sys.vms[1].dma_trusted = false;
    add_dev(&sys.vms[0], "virtio1"); /* one VM holding both is fine */
    expect(0, "");
}

static void test_too_many_devices(void **s)
{
    (void)s;
    static const char *const names[] = {"rtc",     "fw-cfg",    "gpio",      "virtio0", "virtio1",
                                        "virtio2", "pcie-ecam", "pcie-mmio", "pcie-pio"};
    for (unsigned k = 0; k < EMV_MAX_DEVS_PER_VM + 1; k++)
        add_dev(&sys.vms[0], names[k]);
    sys.vms[0].dma_trusted = true;
    expect(1, "vm 'alpha': devices: more than 8 devices");
}

/* ---- DMA ---- */

#define DMA_WHY                                                                                    \
    "can master DMA past stage 2: it reaches any physical memory, other VMs' and the "             \
    "hypervisor's included (to accept that, mark this VM `dma-trusted;`"

/* Each device that can master DMA (board.h) is refused in a VM that is not dma-trusted. */
static void test_dma_device_untrusted(void **s)
{
    (void)s;
    static const char *const dma[] = {"fw-cfg",    "virtio0",   "virtio3",
                                      "pcie-ecam", "pcie-mmio", "pcie-pio"};
    char want[512];
    for (unsigned k = 0; k < sizeof(dma) / sizeof(dma[0]); k++) {
        sys.vms[1].nr_devs = 0;
        add_dev(&sys.vms[1], dma[k]);
        snprintf(want, sizeof(want), "vm 'beta': devices: '%s' " DMA_WHY, dma[k]);
        expect(1, want);
    }
}

/* One message per DMA device, beside the other checks: every mistake at once. */
static void test_dma_every_device_reported(void **s)
{
    (void)s;
    add_dev(&sys.vms[0], "fw-cfg");
    add_dev(&sys.vms[0], "rtc");
    add_dev(&sys.vms[0], "virtio1");
    add_dev(&sys.vms[1], "uart0");
    expect(3, "vm 'alpha': devices: 'fw-cfg' " DMA_WHY);
    also("vm 'alpha': devices: 'virtio1' " DMA_WHY);
    also("vm 'beta': devices: 'uart0' belongs to the hypervisor");
}

static void test_dma_device_trusted(void **s)
{
    (void)s;
    sys.vms[0].dma_trusted = true;
    add_dev(&sys.vms[0], "fw-cfg");
    add_dev(&sys.vms[0], "pcie-ecam");
    add_dev(&sys.vms[0], "pcie-mmio");
    add_dev(&sys.vms[0], "pcie-pio");
    add_dev(&sys.vms[0], "rtc");
    sys.vms[1].dma_trusted = true;
    add_dev(&sys.vms[1], "virtio2");
    assert_int_equal(check(), 0);
}

/* rtc and gpio cannot DMA: no trust needed. */
static void test_dma_not_needed(void **s)
{
    (void)s;
    add_dev(&sys.vms[0], "rtc");
    add_dev(&sys.vms[1], "gpio");
    assert_int_equal(check(), 0);
}

/* Trust is granted only where a device needs it. */
static void test_dma_trusted_without_dma_device(void **s)
{
    (void)s;
    sys.vms[0].dma_trusted = true;
    sys.vms[1].dma_trusted = true;
    add_dev(&sys.vms[1], "rtc");
    expect(2, "vm 'alpha': dma-trusted: none of this VM's devices can master DMA, so there is "
              "nothing to trust (remove `dma-trusted;`)");
    also("vm 'beta': dma-trusted: none of this VM's devices can master DMA");
}

/* An unknown device may be the DMA device meant: only the name is reported. */
static void test_dma_trusted_unknown_device(void **s)
{
    (void)s;
    sys.vms[0].dma_trusted = true;
    add_dev(&sys.vms[0], "fw-cgf");
    expect(1, "vm 'alpha': devices: the board has no device 'fw-cgf'");
}

/* ---- vCPUs ---- */

static void test_vcpu_pinned_off_board(void **s)
{
    (void)s;
    sys.vms[1].vcpus[0].cpu = PLAT_MAX_CPUS;
    expect(1, "vm 'beta': vcpu@0/cpu: pinned to cpu 4, but the board has 4 CPUs (0..3)");
}

static void test_no_vcpus(void **s)
{
    (void)s;
    sys.vms[0].nr_vcpus = 0;
    expect(1, "vm 'alpha': vcpu@0: missing: a VM needs at least one vCPU");
}

static void test_too_many_vcpus(void **s)
{
    (void)s;
    sys.vms[0].nr_vcpus = EMV_MAX_VCPUS_PER_VM + 1;
    for (unsigned k = 1; k <= EMV_MAX_VCPUS_PER_VM; k++)
        sys.vms[0].vcpus[k] = (struct cfg_vcpu){.cpu = 0, .weight = 256};
    expect(1, "vm 'alpha': vcpu: more than 4 vCPUs");
}

static void test_period_without_budget(void **s)
{
    (void)s;
    sys.vms[0].vcpus[0].has_period = true;
    sys.vms[0].vcpus[0].period_us = 10000;
    sys.vms[1].vcpus[0].has_budget = true;
    sys.vms[1].vcpus[0].budget_us = 1000;
    expect(2, "vm 'alpha': vcpu@0/budget-us: missing: a real-time server needs both period-us "
              "and budget-us");
    also("vm 'beta': vcpu@0/period-us: missing");
}

static void test_budget_above_period_or_zero(void **s)
{
    (void)s;
    rt_server(&sys.vms[0], 0, 1000, 2000);
    rt_server(&sys.vms[1], 0, 1000, 0);
    expect(2, "vm 'alpha': vcpu@0/budget-us: need 0 < budget-us (2000) <= period-us (1000)");
    also("vm 'beta': vcpu@0/budget-us: need 0 < budget-us (0) <= period-us (1000)");
    rt_server(&sys.vms[1], 0, 0, 0);
    expect(2, "vm 'beta': vcpu@0/budget-us: need 0 < budget-us (0) <= period-us (0)");
}

static void test_weight_range(void **s)
{
    (void)s;
    sys.vms[0].vcpus[0].weight = 0;
    sys.vms[1].vcpus[0].weight = 65536;
    expect(2, "vm 'alpha': vcpu@0/weight: 0 is outside 1..65535");
    also("vm 'beta': vcpu@0/weight: 65536 is outside 1..65535");
}

/* ---- per physical CPU ---- */

static void test_cpu_overloaded_edf(void **s)
{
    (void)s;
    sys.vms[1].vcpus[0].cpu = 0;
    rt_server(&sys.vms[0], 0, 10000, 6000);
    rt_server(&sys.vms[1], 0, 10000, 5000);
    expect(1, "vm '-': cpu 0: the real-time servers pinned here are not schedulable together by "
              "edf (utilisation 110.0%): 'alpha' vcpu@0 6000/10000us + 'beta' vcpu@0 5000/10000us");
    sys.vms[1].vcpus[0].budget_us = 4000; /* exactly 100 %: fits under EDF */
    expect(0, "");
    sys.vms[1].vcpus[0].period_us = 9999; /* a hair over: exact arithmetic must see it */
    expect(1, "cpu 0: the real-time servers pinned here are not schedulable together by edf");
}

/* Utilisation 29/30 fits EDF but not RM: the CPU's policy decides. */
static void test_cpu_overloaded_rm(void **s)
{
    (void)s;
    sys.vms[1].vcpus[0].cpu = 0;
    rt_server(&sys.vms[0], 0, 10000, 5000);
    rt_server(&sys.vms[1], 0, 15000, 7000);
    expect(0, "");
    sys.nr_cpu_policy = 1;
    sys.cpu_policy[0] = EMV_CPU_POLICY_RM;
    expect(1, "vm '-': cpu 0: the real-time servers pinned here are not schedulable together by "
              "rm");
}

static void test_cpu_rr_with_servers(void **s)
{
    (void)s;
    rt_server(&sys.vms[1], 0, 10000, 1000);
    sys.nr_cpu_policy = 2;
    sys.cpu_policy[1] = EMV_CPU_POLICY_RR;
    expect(1, "vm '-': cpu 1: cpu-policy \"rr\" has no budgets, but real-time servers are pinned "
              "here: 'beta' vcpu@0 1000/10000us");
    sys.cpu_policy[1] = EMV_CPU_POLICY_CREDIT; /* the baseline ignores budgets on purpose */
    rt_server(&sys.vms[1], 0, 10000, 10000);
    sys.vms[0].vcpus[0].cpu = 1;
    rt_server(&sys.vms[0], 0, 10000, 10000);
    expect(0, "");
}

static void test_cpu_policy_entries(void **s)
{
    (void)s;
    sys.nr_cpu_policy = PLAT_MAX_CPUS + 1;
    expect(1, "vm '-': cpu-policy: 5 entries, but the board has 4 CPUs");
}

/* ---- declared task sets ---- */

static void test_tasks_do_not_fit(void **s)
{
    (void)s;
    rt_server(&sys.vms[0], 0, 10000, 2000);
    add_task(&sys.vms[0], 20000, 2000);
    add_task(&sys.vms[0], 40000, 4000);
    expect(1, "vm 'alpha': tasks: not schedulable by edf inside budget 2000us every 10000us "
              "(smallest budget that works: ");
    /* The hint is right: with it the set passes, one microsecond less it fails. */
    unsigned long long need = 0;
    assert_int_equal(sscanf(strstr(msgs, "works: ") + 7, "%llu", &need), 1);
    sys.vms[0].vcpus[0].budget_us = need;
    expect(0, "");
    sys.vms[0].vcpus[0].budget_us = need - 1;
    expect(1, "vm 'alpha': tasks: not schedulable by edf");
}

static void test_tasks_rm(void **s)
{
    (void)s;
    rt_server(&sys.vms[1], 0, 10000, 3000);
    sys.vms[1].task_policy = 1;
    add_task(&sys.vms[1], 20000, 3000);
    add_task(&sys.vms[1], 30000, 4000);
    expect(1, "vm 'beta': tasks: not schedulable by rm inside budget 3000us every 10000us");
}

static void test_tasks_need_more_than_the_period(void **s)
{
    (void)s;
    rt_server(&sys.vms[0], 0, 10000, 5000);
    add_task(&sys.vms[0], 1000, 600); /* utilisation 110 %: no budget helps */
    add_task(&sys.vms[0], 1000, 500);
    expect(1, "vm 'alpha': tasks: not schedulable by edf inside budget 5000us every 10000us, not "
              "even with the whole period");
}

static void test_tasks_without_server(void **s)
{
    (void)s;
    add_task(&sys.vms[1], 1000, 100);
    expect(1, "vm 'beta': tasks: declared, but vcpu@0 is not a real-time server");
}

static void test_task_fields(void **s)
{
    (void)s;
    rt_server(&sys.vms[0], 0, 10000, 5000);
    add_task(&sys.vms[0], 1000, 2000);
    add_task(&sys.vms[0], 0, 0);
    expect(2, "vm 'alpha': tasks/t0: need 0 < wcet-us (2000) <= period-us (1000)");
    also("vm 'alpha': tasks/t1: need 0 < wcet-us (0) <= period-us (0)");
}

static void test_too_many_tasks(void **s)
{
    (void)s;
    rt_server(&sys.vms[0], 0, 10000, 5000);
    for (unsigned t = 0; t < EMV_MAX_TASKS_PER_VM + 1; t++)
        add_task(&sys.vms[0], 100000, 100);
    expect(1, "vm 'alpha': tasks: more than 16 tasks");
}

/* ---- system-wide ---- */

static void test_names(void **s)
{
    (void)s;
    strcpy(sys.vms[1].name, "alpha");
    add_vm("Bad", 0x4a000000, 0);
    add_vm("a-very-long-name", 0x4b000000, 0); /* 16 characters */
    add_vm("", 0x4c000000, 0);
    expect(4, "vm 'alpha': name: two VMs with this name");
    also("vm 'Bad': name: VM names are 1..15 characters of [a-z0-9_-]");
    also("vm 'a-very-long-name': name:");
    also("vm '': name:");
}

static void test_vm_count(void **s)
{
    (void)s;
    sys.nr_vms = 0;
    expect(1, "vm '-': vms: no VMs");
    for (unsigned i = 0; i < EMV_MAX_VMS + 1; i++) {
        char n[8];
        snprintf(n, sizeof(n), "vm%u", i);
        add_vm(n, 0x48000000 + i * 0x1000000ULL, i % PLAT_MAX_CPUS);
    }
    expect(1, "vm '-': vms: more than 8 VMs");
}

static void test_platform(void **s)
{
    (void)s;
    strcpy(sys.platform, "rpi4");
    expect(1, "vm '-': platform: 'rpi4' is not this board ('qemu-virt')");
    sys.platform[0] = '\0';
    expect(1, "vm '-': platform: missing");
}

static void test_slice(void **s)
{
    (void)s;
    sys.slice_us = 99;
    expect(1, "vm '-': slice-us: 99 is outside 100..1000000");
    sys.slice_us = 1000001;
    expect(1, "slice-us: 1000001 is outside");
}

static void test_two_controls(void **s)
{
    (void)s;
    sys.vms[0].control = sys.vms[1].control = true;
    expect(1, "vm '-': control: 2 VMs are marked control; at most one may be");
}

/* One run reports every mistake, not just the first. */
static void test_all_errors_reported(void **s)
{
    (void)s;
    sys.vms[1].ram_pa = 0x48800000;
    sys.vms[0].image[0] = '\0';
    add_dev(&sys.vms[1], "uart0");
    sys.vms[1].vcpus[0].cpu = 7;
    strcpy(sys.platform, "zcu102");
    expect(5, "vm 'beta': memory: [0x48800000, 0x49800000) overlaps vm 'alpha'");
    also("vm 'alpha': image: missing");
    also("vm 'beta': devices: 'uart0' belongs to the hypervisor");
    also("vm 'beta': vcpu@0/cpu: pinned to cpu 7");
    also("vm '-': platform: 'zcu102'");
}

static void test_sys_name(void **s)
{
    (void)s;
    assert_true(cfg_valid_sys_name("test-rt"));
    assert_true(cfg_valid_sys_name("Bench_2.v1"));
    assert_false(cfg_valid_sys_name(""));
    assert_false(cfg_valid_sys_name("a\"b"));
    assert_false(cfg_valid_sys_name("0123456789012345678901234567890123"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(test_valid),
        T(test_valid_full),
        T(test_memory_overlap),
        T(test_memory_outside_board),
        T(test_memory_hypervisor),
        T(test_memory_base_misaligned),
        T(test_memory_size_misaligned),
        T(test_memory_zero_size),
        T(test_memory_missing),
        T(test_memory_wraps),
        T(test_ipa_misaligned),
        T(test_ipa_overlaps_vgic_distributor),
        T(test_ipa_overlaps_vgic_redistributors),
        T(test_ipa_beyond_stage2),
        T(test_ipa_overlaps_own_device),
        T(test_no_image),
        T(test_image_unreadable),
        T(test_image_too_big),
        T(test_image_empty),
        T(test_entry_outside_image),
        T(test_device_twice),
        T(test_device_unknown),
        T(test_device_of_hypervisor),
        T(test_device_listed_twice),
        T(test_device_shares_page),
        T(test_too_many_devices),
        T(test_dma_device_untrusted),
        T(test_dma_every_device_reported),
        T(test_dma_device_trusted),
        T(test_dma_not_needed),
        T(test_dma_trusted_without_dma_device),
        T(test_dma_trusted_unknown_device),
        T(test_vcpu_pinned_off_board),
        T(test_no_vcpus),
        T(test_too_many_vcpus),
        T(test_period_without_budget),
        T(test_budget_above_period_or_zero),
        T(test_weight_range),
        T(test_cpu_overloaded_edf),
        T(test_cpu_overloaded_rm),
        T(test_cpu_rr_with_servers),
        T(test_cpu_policy_entries),
        T(test_tasks_do_not_fit),
        T(test_tasks_rm),
        T(test_tasks_need_more_than_the_period),
        T(test_tasks_without_server),
        T(test_task_fields),
        T(test_too_many_tasks),
        T(test_names),
        T(test_vm_count),
        T(test_platform),
        T(test_slice),
        T(test_two_controls),
        T(test_all_errors_reported),
        T(test_sys_name),
    };
    return cmocka_run_group_tests_name("emvcfg checks", tests, NULL, NULL);
}
