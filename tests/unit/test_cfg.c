/* SPDX-License-Identifier: MIT */
/* test_cfg.c - config checks: each mistake is refused with a message naming VM and field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "board.h"
#include "cfg.h"

static char msgs[4096];

static void collect(void *ctx, const char *vm, const char *field, const char *msg)
{
    (void)ctx;
    size_t n = strlen(msgs);
    snprintf(msgs + n, sizeof(msgs) - n, "vm '%s': %s: %s\n", vm ? vm : "-", field, msg);
}

static struct cfg_sys sys;

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
    return cfg_check(&sys, &d);
}

/* Exactly @n errors, and the messages contain @want. */
static void expect(unsigned n, const char *want)
{
    unsigned got = check();
    if (got != n || !strstr(msgs, want))
        fail_msg("expected %u error(s) with \"%s\", got %u:\n%s", n, want, got, msgs);
}

static void test_valid(void **s)
{
    (void)s;
    assert_int_equal(check(), 0);
}

static void test_memory_overlap(void **s)
{
    (void)s;
    sys.vms[1].ram_pa = 0x48800000;
    expect(1, "vm 'beta': memory: [0x48800000, 0x49800000) overlaps vm 'alpha' memory");
}

static void test_memory_outside_board(void **s)
{
    (void)s;
    sys.vms[1].ram_pa = PLAT_RAM_BASE + PLAT_RAM_SIZE - 0x800000;
    expect(1, "vm 'beta': memory: [0x7f800000, 0x80800000) is outside the board's RAM");
    sys.vms[1].ram_pa = 0x10000000;
    msgs[0] = 0;
    expect(1, "vm 'beta': memory: ");
}

static void test_memory_hypervisor(void **s)
{
    (void)s;
    sys.vms[0].ram_pa = PLAT_HYP_BASE + 0x1000000;
    expect(1, "vm 'alpha': memory: [0x41000000, 0x42000000) overlaps the hypervisor's memory");
}

static void test_memory_alignment_and_missing(void **s)
{
    (void)s;
    sys.vms[0].ram_size = 0x1000800;
    sys.vms[1].has_memory = false;
    expect(2, "vm 'alpha': memory: base 0x48000000, size 0x1000800 and ipa must be");
    assert_non_null(strstr(msgs, "vm 'beta': memory: missing"));
}

static void test_ipa_overlaps_vgic(void **s)
{
    (void)s;
    sys.vms[0].ram_ipa = 0x08000000;
    expect(1, "vm 'alpha': ipa: RAM at 0x8000000 overlaps the virtual GIC");
}

static void test_no_image(void **s)
{
    (void)s;
    sys.vms[1].image[0] = '\0';
    expect(1, "vm 'beta': image: missing");
}

static void test_image_unreadable_or_too_big(void **s)
{
    (void)s;
    sys.vms[0].image_size = -1;
    sys.vms[1].image_size = 0x2000000;
    expect(2, "vm 'alpha': image: cannot read 'img.bin'");
    assert_non_null(strstr(msgs, "vm 'beta': image: 'img.bin' (33554432 bytes) is larger"));
}

static void test_entry_outside_image(void **s)
{
    (void)s;
    sys.vms[0].has_entry = true;
    sys.vms[0].entry = sys.vms[0].ram_ipa + 0x4000;
    expect(1, "vm 'alpha': entry: 0x40004000 is not a 4-byte aligned address inside the image");
}

static void test_device_twice(void **s)
{
    (void)s;
    strcpy(sys.vms[0].devs[sys.vms[0].nr_devs++], "rtc");
    strcpy(sys.vms[1].devs[sys.vms[1].nr_devs++], "rtc");
    expect(1, "vm 'beta': devices: 'rtc' is already given to vm 'alpha'");
}

static void test_device_unknown_or_hypervisor(void **s)
{
    (void)s;
    strcpy(sys.vms[0].devs[sys.vms[0].nr_devs++], "uart0");
    strcpy(sys.vms[1].devs[sys.vms[1].nr_devs++], "flux-capacitor");
    expect(2, "vm 'alpha': devices: 'uart0' belongs to the hypervisor");
    assert_non_null(strstr(msgs, "vm 'beta': devices: the board has no device 'flux-capacitor'"));
}

static void test_vcpu_pinning(void **s)
{
    (void)s;
    sys.vms[1].vcpus[0].cpu = PLAT_MAX_CPUS;
    sys.vms[0].nr_vcpus = 0;
    expect(2, "vm 'beta': cpu: vcpu@0 is pinned to cpu 4; the board has 4");
    assert_non_null(strstr(msgs, "vm 'alpha': vcpu: no vcpu@0 node"));
}

static void test_names(void **s)
{
    (void)s;
    strcpy(sys.vms[1].name, "alpha");
    add_vm("Bad Name", 0x4a000000, 0);
    expect(2, "vm 'alpha': name: two VMs with this name");
    assert_non_null(strstr(msgs, "vm 'Bad Name': name: VM names are"));
}

static void test_budget_fields(void **s)
{
    (void)s;
    sys.vms[0].vcpus[0].has_period = true;
    sys.vms[0].vcpus[0].period_us = 10000;
    sys.vms[1].vcpus[0] = (struct cfg_vcpu){.cpu = 1,
                                            .weight = 256,
                                            .has_period = true,
                                            .has_budget = true,
                                            .period_us = 1000,
                                            .budget_us = 2000};
    expect(2, "vm 'alpha': budget-us: vcpu@0: a real-time server needs both");
    assert_non_null(strstr(msgs, "vm 'beta': budget-us: vcpu@0: need 0 < budget (2000)"));
}

static void rt_server(struct cfg_vm *vm, uint64_t period, uint64_t budget)
{
    vm->vcpus[0].has_period = vm->vcpus[0].has_budget = true;
    vm->vcpus[0].period_us = period;
    vm->vcpus[0].budget_us = budget;
}

static void test_cpu_overloaded(void **s)
{
    (void)s;
    sys.vms[1].vcpus[0].cpu = 0;
    rt_server(&sys.vms[0], 10000, 6000);
    rt_server(&sys.vms[1], 10000, 5000);
    expect(1, "cpu 0: the real-time servers pinned here (2) are not schedulable together by edf");
    sys.vms[1].vcpus[0].budget_us = 4000; /* exactly 100 %: fits under EDF */
    msgs[0] = 0;
    assert_int_equal(check(), 0);
}

static void test_tasks_do_not_fit(void **s)
{
    (void)s;
    rt_server(&sys.vms[0], 10000, 2000);
    sys.vms[0].has_tasks = true;
    sys.vms[0].nr_tasks = 2;
    sys.vms[0].tasks[0] = (struct emv_task_cfg){20000, 2000};
    sys.vms[0].tasks[1] = (struct emv_task_cfg){40000, 4000};
    expect(1, "vm 'alpha': tasks: not schedulable by edf inside budget 2000us every 10000us "
              "(smallest budget that works: ");
    /* With the suggested budget it passes. */
    unsigned long long need = 0;
    sscanf(strstr(msgs, "works: ") + 7, "%llu", &need);
    sys.vms[0].vcpus[0].budget_us = need;
    msgs[0] = 0;
    assert_int_equal(check(), 0);
    sys.vms[0].vcpus[0].budget_us = need - 1;
    assert_int_equal(check(), 1);
}

static void test_tasks_without_server(void **s)
{
    (void)s;
    sys.vms[1].has_tasks = true;
    sys.vms[1].nr_tasks = 1;
    sys.vms[1].tasks[0] = (struct emv_task_cfg){1000, 100};
    expect(1, "vm 'beta': tasks: declared, but vcpu@0 is not a real-time server");
}

static void test_platform_and_two_controls(void **s)
{
    (void)s;
    strcpy(sys.platform, "rpi4");
    sys.vms[0].control = sys.vms[1].control = true;
    expect(2, "vm '-': platform: 'rpi4' is not this board");
    assert_non_null(strstr(msgs, "control: 2 VMs are marked control"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(test_valid),
        T(test_memory_overlap),
        T(test_memory_outside_board),
        T(test_memory_hypervisor),
        T(test_memory_alignment_and_missing),
        T(test_ipa_overlaps_vgic),
        T(test_no_image),
        T(test_image_unreadable_or_too_big),
        T(test_entry_outside_image),
        T(test_device_twice),
        T(test_device_unknown_or_hypervisor),
        T(test_vcpu_pinning),
        T(test_names),
        T(test_budget_fields),
        T(test_cpu_overloaded),
        T(test_tasks_do_not_fit),
        T(test_tasks_without_server),
        T(test_platform_and_two_controls),
    };
    return cmocka_run_group_tests_name("emvcfg checks", tests, NULL, NULL);
}
