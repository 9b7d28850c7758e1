/* SPDX-License-Identifier: MIT */
/*
 * test_cfg.c - the config checks (tools/emvcfg/cfg_check.c): each mistake is refused with a
 * message naming the VM and the field, every mistake is reported, and valid configs pass.
 * Configs are built in memory; no file. libfdt only reads back the boot information.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

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

/* A region of 4 KiB pages mapped by @vms with @rights ("be,fe" / "rw,ro"); NULL: missing. */
static struct cfg_shmem *add_region(const char *name, uint64_t pa, uint64_t size, const char *vms,
                                    const char *rights)
{
    struct cfg_shmem *r = &sys.shmem[sys.nr_shmem++];
    memset(r, 0, sizeof(*r));
    snprintf(r->name, sizeof(r->name), "%s", name);
    r->has_address = r->has_size = true;
    r->pa = pa;
    r->size = size;
    char buf[128];
    snprintf(buf, sizeof(buf), "%s", vms ? vms : "");
    for (char *t = strtok(buf, ","); vms && t; t = strtok(NULL, ","))
        snprintf(r->vms[r->nr_vms++], sizeof(r->vms[0]), "%s", t);
    snprintf(buf, sizeof(buf), "%s", rights ? rights : "");
    for (char *t = strtok(buf, ","); rights && t; t = strtok(NULL, ","))
        snprintf(r->rights[r->nr_rights++], sizeof(r->rights[0]), "%s", t);
    return r;
}

/* A channel with the ends @a and @b (NULL: fewer ends). */
static struct cfg_chan *add_chan(const char *name, const char *a, const char *b)
{
    struct cfg_chan *c = &sys.chans[sys.nr_chans++];
    memset(c, 0, sizeof(*c));
    snprintf(c->name, sizeof(c->name), "%s", name);
    if (a)
        snprintf(c->ends[c->nr_ends++], sizeof(c->ends[0]), "%s", a);
    if (b)
        snprintf(c->ends[c->nr_ends++], sizeof(c->ends[0]), "%s", b);
    return c;
}

#define SHM 0x4f000000ULL /* free: above alpha's and beta's RAM */

/* alpha's admission ring to beta, the control VM: channel admit-alpha, region admbuf-alpha. */
static void add_admit_pair(void)
{
    add_region("admbuf-alpha", SHM, 0x1000, "beta,alpha", "rw,rw");
    add_chan("admit-alpha", "beta", "alpha");
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

/* The grant window is the hypervisor's to fill at run time. */
static void test_ipa_overlaps_grant_window(void **s)
{
    (void)s;
    sys.vms[0].ram_ipa = EMV_GRANT_IPA_BASE - 0x1000000; /* ends where the window starts */
    expect(0, "");
    sys.vms[0].ram_ipa = EMV_GRANT_IPA_BASE - 0x800000;
    expect(1, "vm 'alpha': ipa: RAM [0x3fff800000, 0x4000800000) overlaps its grant window "
              "[0x4000000000, 0x4000040000)");
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

/* emvcfg --cpus (make's SMP): a CPU on the board but not in the system built is refused too. */
static void test_vcpu_pinned_beyond_build(void **s)
{
    (void)s;
    sys.nr_cpus = 2;
    sys.vms[1].vcpus[0].cpu = 1;
    assert_int_equal(check(), 0);
    sys.vms[1].vcpus[0].cpu = 2;
    expect(1, "vm 'beta': vcpu@0/cpu: pinned to cpu 2, but the system is built for 2 CPUs (0..1; "
              "make SMP=n, emvcfg --cpus n)");
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

/* ---- what the tasks do at run time (cfg_tasks.c) ---- */

static void rtguest(struct cfg_vm *vm)
{
    snprintf(vm->image, sizeof(vm->image), "build/guests/rtguest.bin");
}

static void test_rtguest_needs_tasks(void **s)
{
    (void)s;
    rtguest(&sys.vms[0]);
    expect(1, "vm 'alpha': tasks: missing: the real-time guest (rtguest.bin) runs the tasks its "
              "config declares");
    add_task(&sys.vms[0], 10000, 1000);
    rt_server(&sys.vms[0], 0, 2000, 900);
    expect(0, "");
    sys.vms[0].has_bootarg = true; /* an old config: settings in bootarg bit-fields */
    expect(1, "vm 'alpha': bootarg: the real-time guest (rtguest.bin) takes no bootarg");
}

static void test_rtguest_too_many_tasks(void **s)
{
    (void)s;
    rtguest(&sys.vms[0]);
    rt_server(&sys.vms[0], 0, 10000, 5000);
    for (unsigned t = 0; t < 9; t++)
        add_task(&sys.vms[0], 100000, 100);
    expect(1, "vm 'alpha': tasks: 9 tasks (those requested at run time included), but the "
              "real-time guest holds at most 8");
    sys.vms[0].nr_tasks = 8;
    expect(0, "");
    snprintf(sys.vms[0].image, sizeof(sys.vms[0].image), "build/guests/other.bin");
    sys.vms[0].nr_tasks = 9; /* another guest may hold more */
    expect(0, "");
}

static void test_empty_tasks(void **s)
{
    (void)s;
    rt_server(&sys.vms[0], 0, 10000, 5000);
    sys.vms[0].has_tasks = true;
    expect(1, "vm 'alpha': tasks: declared without a task");
}

static void test_task_run_fields(void **s)
{
    (void)s;
    struct cfg_vm *vm = &sys.vms[0];
    rt_server(vm, 0, 2000, 1500);
    sys.vms[1].control = true;
    add_admit_pair();
    add_task(vm, 10000, 1000);
    add_task(vm, 20000, 2000);
    add_task(vm, 40000, 4000);
    vm->task_run[0] = (struct cfg_task_run){.has_exec = true, .exec_us = 1001};
    vm->task_run[1] = (struct cfg_task_run){.has_overrun_every = true, .overrun_every = 10};
    vm->task_run[2] = (struct cfg_task_run){.requested = true, .request_at_ms = 3000};
    vm->has_run_for_ms = true;
    vm->run_for_ms = 3000;
    snprintf(vm->task_names[1], sizeof(vm->task_names[1]), "Over");
    expect(4, "vm 'alpha': tasks/t0: need 0 < exec-us (1001) <= wcet-us (1000)");
    also("vm 'alpha': tasks/Over: task names are 1..15 characters of [a-z0-9_-]");
    also("vm 'alpha': tasks/Over: overrun-every and overrun-us go together");
    also("vm 'alpha': tasks/t2: request-at-ms (3000) is not inside the run (run-for-ms 3000)");
    vm->task_run[0].exec_us = 1000;
    vm->task_run[1] = (struct cfg_task_run){.has_overrun_every = true, .has_overrun_us = true};
    vm->task_run[2].request_at_ms = 1500;
    snprintf(vm->task_names[1], sizeof(vm->task_names[1]), "over");
    expect(1, "vm 'alpha': tasks/over: overrun-every and overrun-us must not be 0");
    vm->task_run[1].overrun_every = 10;
    vm->task_run[1].overrun_us = 6000; /* more than the WCET: an overrun, on purpose */
    expect(0, "");
    vm->task_run[0].requested = vm->task_run[1].requested = true;
    expect(1, "vm 'alpha': tasks: every task has request-at-ms: at least one must start at boot");
}

/* Tasks asked for at run time are not part of the set checked at boot. */
static void test_requested_tasks_not_analysed(void **s)
{
    (void)s;
    struct cfg_vm *vm = &sys.vms[0];
    rt_server(vm, 0, 2000, 900);
    add_task(vm, 10000, 1000);
    add_task(vm, 10000, 9000); /* 'huge': does not fit, to be refused at run time */
    vm->task_run[1].requested = true;
    expect(1, "vm 'alpha': tasks: asks the control VM at run time (request-at-ms), but no VM is "
              "marked control");
    sys.vms[1].control = true;
    expect(1, "vm 'alpha': tasks: asks the control VM at run time (request-at-ms), but has no "
              "admission ring: give it a channel admit-alpha with the control VM and a region "
              "admbuf-alpha");
    add_admit_pair();
    expect(0, "");
    vm->task_run[1].requested = false;
    expect(1, "vm 'alpha': tasks: not schedulable by edf inside budget 900us every 2000us");
}

static void test_request_period(void **s)
{
    (void)s;
    struct cfg_vm *vm = &sys.vms[0];
    sys.vms[1].control = true;
    add_admit_pair();
    add_task(vm, 10000, 6000); /* U = 1.1: the control VM will refuse; the build does not */
    add_task(vm, 20000, 10000);
    vm->has_request_period = true;
    vm->request_period_us = 2000;
    expect(0, "");
    rt_server(vm, 0, 2000, 900);
    expect(1, "vm 'alpha': tasks/request-period-us: vcpu@0 is a real-time server already");
    vm->vcpus[0].has_period = vm->vcpus[0].has_budget = false;
    vm->request_period_us = 5;
    expect(1, "vm 'alpha': tasks/request-period-us: 5 is outside 10..10000000");
    vm->request_period_us = 2000;
    sys.vms[1].control = false;
    expect(1, "vm 'alpha': tasks: asks the control VM at run time (request-period-us), but no VM "
              "is marked control");
    vm->tasks[0].wcet_us = 0; /* still a well-formed task set */
    expect(2, "vm 'alpha': tasks/t0: need 0 < wcet-us (0) <= period-us (10000)");
}

/* ---- guest settings (cfg_settings.c) ---- */

static void add_setting(struct cfg_vm *vm, const char *name, int len)
{
    vm->has_settings = true;
    struct cfg_setting *st = &vm->settings[vm->nr_settings++];
    snprintf(st->name, sizeof(st->name), "%s", name);
    st->len = len;
    memset(st->val, 0, sizeof(st->val));
}

static void test_settings(void **s)
{
    (void)s;
    struct cfg_vm *vm = &sys.vms[0];
    add_setting(vm, "anything", 4); /* a guest emvcfg does not know: taken as given */
    add_setting(vm, "Bad_name", 4);
    add_setting(vm, "huge", -1);
    expect(2, "vm 'alpha': settings/Bad_name: setting names are 1..31 characters of [a-z0-9-]");
    also("vm 'alpha': settings/huge: longer than 64 bytes");
    vm->nr_settings = 0;
    snprintf(vm->image, sizeof(vm->image), "build/guests/demo.bin");
    add_setting(vm, "tick-ms", 4);
    add_setting(vm, "busy", 0);
    add_setting(vm, "tick-sm", 4); /* a typo */
    expect(1, "vm 'alpha': settings/tick-sm: demo.bin reads no such setting (tick-ms, "
              "print-every, busy)");
    vm->nr_settings = 2;
    expect(0, "");
    vm->has_bootarg = true; /* an old config: settings in bootarg bit-fields */
    expect(1, "vm 'alpha': bootarg: demo.bin takes no bootarg: it reads its settings node");
    vm->has_bootarg = false;
    snprintf(vm->image, sizeof(vm->image), "build/guests/hello.bin");
    expect(2, "vm 'alpha': settings/tick-ms: hello.bin reads no such setting (it reads none)");
    vm->nr_settings = CFG_MAX_SETTINGS + 1;
    expect(1, "vm 'alpha': settings: more than 16 settings");
}

/* ---- shared memory and channels ---- */

static void test_objects_valid(void **s)
{
    (void)s;
    add_region("ring", SHM, 0x1000, "alpha,beta", "rw,ro");
    add_chan("ping", "alpha", "beta");
    assert_int_equal(check(), 0);
}

static void test_region_missing(void **s)
{
    (void)s;
    struct cfg_shmem *r = add_region("ring", SHM, 0x1000, NULL, NULL);
    r->has_address = r->has_size = false;
    expect(4, "vm '-': shared-memory/ring/address: missing");
    also("vm '-': shared-memory/ring/size: missing");
    also("vm '-': shared-memory/ring/vms: missing");
    also("vm '-': shared-memory/ring/rights: missing");
}

static void test_region_shape(void **s)
{
    (void)s;
    add_region("ring", SHM + 0x800, 0x1800, "alpha", "rw");
    expect(2, "vm '-': shared-memory/ring/address: 0x4f000800 is not 4 KiB aligned");
    also("vm '-': shared-memory/ring/size: 0x1800 is not a multiple of 4 KiB");
    sys.shmem[0] = (struct cfg_shmem){0};
    sys.nr_shmem = 0;
    add_region("ring", SHM, 0, "alpha", "rw");
    expect(1, "vm '-': shared-memory/ring/size: is zero");
}

static void test_region_wraps(void **s)
{
    (void)s;
    add_region("ring", 0xfffffffffffff000ULL, 0x2000, "alpha", "rw");
    expect(1, "vm '-': shared-memory/ring/size: address + size wraps around 64 bits");
}

static void test_region_placement(void **s)
{
    (void)s;
    add_region("out", PLAT_RAM_BASE + PLAT_RAM_SIZE, 0x1000, "alpha", "rw");
    add_region("hyp", PLAT_HYP_BASE + 0x100000, 0x1000, "alpha", "rw");
    add_region("vm", 0x48fff000, 0x2000, "alpha", "rw");
    expect(4, "vm '-': shared-memory/out/address: [0x80000000, 0x80001000) is outside the "
              "board's RAM [0x40000000, 0x80000000)");
    also("vm '-': shared-memory/hyp/address: [0x40100000, 0x40101000) overlaps the "
         "hypervisor's memory [0x40000000, 0x44000000)");
    also("vm '-': shared-memory/vm/address: [0x48fff000, 0x49001000) overlaps vm 'alpha' "
         "memory [0x48000000, 0x49000000)");
    also("vm '-': shared-memory/vm/address: [0x48fff000, 0x49001000) overlaps vm 'beta' memory");
}

static void test_region_overlaps_region(void **s)
{
    (void)s;
    add_region("a", SHM, 0x2000, "alpha", "rw");
    add_region("b", SHM + 0x1000, 0x1000, "beta", "rw");
    expect(1, "vm '-': shared-memory/b/address: [0x4f001000, 0x4f002000) overlaps "
              "shared-memory region 'a' [0x4f000000, 0x4f002000)");
}

static void test_region_overlaps_device(void **s)
{
    (void)s;
    add_region("ring", 0x09010000, 0x1000, "alpha", "rw");
    expect(2, "vm '-': shared-memory/ring/address: [0x9010000, 0x9011000) overlaps device 'rtc' "
              "at 0x9010000");
    also("shared-memory/ring/address: [0x9010000, 0x9011000) is outside the board's RAM");
}

static void test_region_vms(void **s)
{
    (void)s;
    add_region("ring", SHM, 0x1000, "alpha,gamma,alpha", "rw,ro,ro");
    expect(2, "vm '-': shared-memory/ring/vms: no VM 'gamma'");
    also("vm '-': shared-memory/ring/vms: vm 'alpha' named twice");
}

static void test_region_rights(void **s)
{
    (void)s;
    add_region("ring", SHM, 0x1000, "alpha,beta", "rw");
    expect(1, "vm '-': shared-memory/ring/rights: 1 entries for 2 VMs in vms");
    add_region("log", SHM + 0x1000, 0x1000, "alpha,beta", "rw,wo");
    expect(2, "vm '-': shared-memory/log/rights: 'wo' is not a right (\"rw\" or \"ro\")");
}

static void test_region_names(void **s)
{
    (void)s;
    add_region("ring", SHM, 0x1000, "alpha", "rw");
    add_region("ring", SHM + 0x1000, 0x1000, "beta", "rw");
    add_region("Ring", SHM + 0x2000, 0x1000, "beta", "rw");
    expect(2, "vm '-': shared-memory/ring/name: two shared-memory regions with this name");
    also("vm '-': shared-memory/Ring/name: region names are 1..15 characters of [a-z0-9_-]");
}

static void test_region_count(void **s)
{
    (void)s;
    for (unsigned i = 0; i < EMV_MAX_SHMEM; i++) {
        char n[8];
        snprintf(n, sizeof(n), "r%u", i);
        add_region(n, SHM + i * 0x1000ULL, 0x1000, "alpha", "rw");
    }
    assert_int_equal(check(), 0);
    add_region("extra", SHM + 0x100000, 0x1000, "alpha", "rw");
    expect(1, "vm '-': shared-memory: more than 16 regions");
}

static void test_chan_missing(void **s)
{
    (void)s;
    add_chan("ping", NULL, NULL);
    expect(1, "vm '-': channels/ping/ends: missing (the two VMs it connects)");
}

static void test_chan_ends(void **s)
{
    (void)s;
    add_chan("one", "alpha", NULL);
    add_chan("loop", "beta", "beta");
    add_chan("far", "alpha", "gamma");
    struct cfg_chan *c = add_chan("three", "alpha", "beta");
    snprintf(c->ends[c->nr_ends++], sizeof(c->ends[0]), "alpha");
    expect(4, "vm '-': channels/one/ends: needs exactly two VMs, got 1");
    also("vm '-': channels/loop/ends: both ends are vm 'beta' (a channel connects two different "
         "VMs)");
    also("vm '-': channels/far/ends: no VM 'gamma'");
    also("vm '-': channels/three/ends: needs exactly two VMs, got 3");
}

static void test_chan_names(void **s)
{
    (void)s;
    add_chan("ping", "alpha", "beta");
    add_chan("ping", "beta", "alpha");
    add_chan("a-very-long-name", "beta", "alpha");
    expect(2, "vm '-': channels/ping/name: two channels with this name");
    also("vm '-': channels/a-very-long-name/name: channel names are 1..15 characters");
}

/* A region and a channel may share a name only if no VM has both. */
static void test_region_and_chan_same_name(void **s)
{
    (void)s;
    add_region("x", SHM, 0x1000, "alpha", "rw");
    add_chan("x", "beta", "gamma");
    add_vm("gamma", 0x4a000000, 0);
    assert_int_equal(check(), 0);
    sys.chans[0] = *add_chan("x", "alpha", "beta");
    sys.nr_chans = 1;
    expect(1, "vm 'alpha': objects: 'x' names two objects of this VM (a region, channel or "
              "endpoint; names identify its objects in the boot information)");
}

static void test_objects_limit(void **s)
{
    (void)s;
    for (unsigned i = 0; i < EMV_MAX_OBJS; i++) {
        char n[8];
        snprintf(n, sizeof(n), "c%u", i);
        add_chan(n, "alpha", "beta");
    }
    assert_int_equal(check(), 0);
    add_region("one-more", SHM, 0x1000, "beta", "ro");
    expect(1, "vm 'beta': objects: 33 objects (regions, channel ends, endpoints, devices, control "
              "role, VMs), at most 32");
}

static void test_shmem_ipa_over_ram(void **s)
{
    (void)s;
    sys.vms[0].ram_ipa = EMV_SHMEM_IPA_BASE - 0x1000000; /* ends where the regions start */
    add_region("ring", SHM, 0x1000, "alpha", "rw");
    assert_int_equal(check(), 0);
    sys.vms[0].ram_ipa = EMV_SHMEM_IPA_BASE - 0x400000;
    expect(1, "vm 'alpha': ipa: RAM [0x7ffc00000, 0x800c00000) overlaps where its shared memory "
              "appears [0x800000000, 0x800001000)");
}

/* The image at the start of RAM, the boot information in the last page(s): they must not meet. */
static void test_bootinfo_fit(void **s)
{
    (void)s;
    sys.vms[0].ram_size = 0x3000;
    sys.vms[0].image_size = 0x2000;
    assert_int_equal(check(), 0);
    sys.vms[0].image_size = 0x2001;
    expect(1, "vm 'alpha': image: 'img.bin' (8193 bytes) and the boot information (");
    also("bytes, at RAM offset 0x2000) do not both fit in the VM's memory (12288 bytes)");
    sys.vms[0].image_size = 0x3001; /* too big alone: reported once, by the image check */
    expect(1, "vm 'alpha': image: 'img.bin' (12289 bytes) is larger than the VM's memory");
}

/* ---- object tables and boot information ---- */

static void test_object_tables(void **s)
{
    (void)s;
    add_vm("gamma", 0x4a000000, 0);
    add_chan("c0", "beta", "gamma");
    add_region("r0", SHM, 0x3000, "beta,alpha", "ro,rw");
    add_chan("c1", "alpha", "beta");
    add_region("r1", SHM + 0x3000, 0x1000, "beta", "rw");
    assert_int_equal(check(), 0);
    struct cfg_obj o[EMV_MAX_OBJS];
    /* beta: r0 (ro), r1 (rw, on the page after r0), then c0 to gamma, c1 to alpha */
    assert_int_equal(cfg_objects(&sys, 1, o, EMV_MAX_OBJS), 4);
    assert_string_equal(o[0].name, "r0");
    assert_int_equal(o[0].type, EMV_OBJ_SHMEM);
    assert_int_equal(o[0].rights, EMV_RIGHT_READ);
    assert_int_equal(o[0].ipa, EMV_SHMEM_IPA_BASE);
    assert_string_equal(o[1].name, "r1");
    assert_int_equal(o[1].rights, EMV_RIGHT_READ | EMV_RIGHT_WRITE);
    assert_int_equal(o[1].shmem, 1);
    assert_int_equal(o[1].ipa, EMV_SHMEM_IPA_BASE + 0x3000);
    assert_string_equal(o[2].name, "c0");
    assert_int_equal(o[2].type, EMV_OBJ_EVTCHN);
    assert_int_equal(o[2].rights, EMV_RIGHT_NOTIFY);
    assert_int_equal(o[2].peer_vm, 2);
    assert_int_equal(o[2].peer_obj, 0); /* gamma: c0 is its only object */
    assert_int_equal(o[3].peer_vm, 0);
    assert_int_equal(o[3].peer_obj, 1); /* alpha: r0, then c1 */
    /* alpha: r0 (rw), c1 to beta's object 3 */
    assert_int_equal(cfg_objects(&sys, 0, o, EMV_MAX_OBJS), 2);
    assert_int_equal(o[0].rights, EMV_RIGHT_READ | EMV_RIGHT_WRITE);
    assert_int_equal(o[0].ipa, EMV_SHMEM_IPA_BASE);
    assert_int_equal(o[1].peer_vm, 1);
    assert_int_equal(o[1].peer_obj, 3);
}

static uint32_t prop_u32(const void *fdt, const char *path, const char *prop)
{
    int len, node = fdt_path_offset(fdt, path);
    const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);
    if (!p || len != 4)
        fail_msg("%s/%s: missing or not one cell", path, prop);
    return fdt32_to_cpu(*p);
}

static const char *prop_str(const void *fdt, const char *path, const char *prop)
{
    const char *p = fdt_getprop(fdt, fdt_path_offset(fdt, path), prop, NULL);
    if (!p)
        fail_msg("%s/%s: missing", path, prop);
    return p;
}

/* reg = <hi lo hi lo> of @path. */
static void prop_reg(const void *fdt, const char *path, uint64_t *addr, uint64_t *size)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, fdt_path_offset(fdt, path), "reg", &len);
    assert_non_null(p);
    assert_int_equal(len, 16);
    *addr = ((uint64_t)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1]);
    *size = ((uint64_t)fdt32_to_cpu(p[2]) << 32) | fdt32_to_cpu(p[3]);
}

static void test_bootinfo(void **s)
{
    (void)s;
    static uint8_t blob[CFG_BOOTINFO_MAX];
    sys.vms[1].ram_ipa = 0x80000000;
    add_region("ring", SHM, 0x2000, "alpha,beta", "rw,ro");
    add_chan("ping", "alpha", "beta");
    int n = cfg_bootinfo(&sys, 1, blob, sizeof(blob));
    assert_true(n > 0 && n < 1024);
    assert_int_equal(fdt_check_full(blob, (size_t)n), 0);
    assert_int_equal(prop_u32(blob, "/", "#address-cells"), 2);
    assert_int_equal(prop_u32(blob, "/", "#size-cells"), 2);
    assert_string_equal(prop_str(blob, "/", "compatible"), "emvisor,vm");
    uint64_t a, sz;
    assert_string_equal(prop_str(blob, "/memory@80000000", "device_type"), "memory");
    prop_reg(blob, "/memory@80000000", &a, &sz);
    assert_int_equal(a, 0x80000000);
    assert_int_equal(sz, 0x1000000);
    assert_string_equal(prop_str(blob, "/emvisor", "compatible"), "emvisor,bootinfo-v1");
    assert_int_equal(prop_u32(blob, "/emvisor", "vm-id"), 2);
    assert_string_equal(prop_str(blob, "/emvisor", "vm-name"), "beta");
    assert_int_equal(prop_u32(blob, "/emvisor/objects/ring", "index"), 0);
    assert_int_equal(prop_u32(blob, "/emvisor/objects/ring", "type"), EMV_OBJ_SHMEM);
    assert_int_equal(prop_u32(blob, "/emvisor/objects/ring", "rights"), EMV_RIGHT_READ);
    prop_reg(blob, "/emvisor/objects/ring", &a, &sz);
    assert_int_equal(a, EMV_SHMEM_IPA_BASE);
    assert_int_equal(sz, 0x2000);
    assert_int_equal(prop_u32(blob, "/emvisor/objects/ping", "index"), 1);
    assert_int_equal(prop_u32(blob, "/emvisor/objects/ping", "type"), EMV_OBJ_EVTCHN);
    assert_int_equal(prop_u32(blob, "/emvisor/objects/ping", "rights"), EMV_RIGHT_NOTIFY);
    assert_string_equal(prop_str(blob, "/emvisor/objects/ping", "peer"), "alpha");
    assert_int_equal(cfg_bootinfo(&sys, 1, blob, 64), -1);    /* too small a buffer */
    assert_true(fdt_path_offset(blob, "/emvisor/tasks") < 0); /* no tasks declared: no node */
}

/* A Linux VM's device tree reserves /chosen/rng-seed for the hypervisor to fill at each start;
 * the generated config points at its value (cfg_linux_rng_seed_off). Other VMs have none. */
static void test_bootinfo_rng_seed(void **s)
{
    (void)s;
    static uint8_t blob[CFG_BOOTINFO_MAX];
    int n = cfg_bootinfo(&sys, 1, blob, sizeof(blob));
    assert_true(n > 0);
    assert_int_equal(cfg_linux_rng_seed_off(blob), 0);
    sys.vms[1].linux_kernel = true;
    sys.vms[1].nr_vcpus = 1;
    snprintf(sys.vms[1].bootargs, sizeof(sys.vms[1].bootargs), "console=ttyAMA0");
    n = cfg_bootinfo(&sys, 1, blob, sizeof(blob));
    assert_true(n > 0);
    assert_int_equal(fdt_check_full(blob, (size_t)n), 0);
    int len = 0;
    const uint8_t *p = fdt_getprop(blob, fdt_path_offset(blob, "/chosen"), "rng-seed", &len);
    assert_non_null(p);
    assert_int_equal(len, CFG_RNG_SEED_BYTES);
    uint32_t off = cfg_linux_rng_seed_off(blob);
    assert_int_equal(off, (uint32_t)(p - blob));
    assert_true(off + CFG_RNG_SEED_BYTES <= (uint32_t)n);
    for (int i = 0; i < len; i++)
        assert_int_equal(p[i], 0); /* a placeholder: the hypervisor writes the seed */
}

/* A VM's tasks and their run-time settings go into its boot information (docs/abi.md). */
static void test_bootinfo_tasks(void **s)
{
    (void)s;
    static uint8_t blob[CFG_BOOTINFO_MAX];
    struct cfg_vm *vm = &sys.vms[0];
    vm->task_policy = 1;
    vm->has_run_for_ms = true;
    vm->run_for_ms = 2500;
    add_task(vm, 10000, 1000);
    add_task(vm, 20000, 2000);
    add_task(vm, 5000, 500);
    vm->task_run[0] = (struct cfg_task_run){.has_exec = true, .exec_us = 250};
    vm->task_run[1] = (struct cfg_task_run){
        .has_overrun_every = true, .overrun_every = 10, .has_overrun_us = true, .overrun_us = 6000};
    vm->task_run[2] = (struct cfg_task_run){.requested = true, .request_at_ms = 1000};
    int n = cfg_bootinfo(&sys, 0, blob, sizeof(blob));
    assert_true(n > 0);
    assert_string_equal(prop_str(blob, "/emvisor/tasks", "policy"), "rm");
    assert_int_equal(prop_u32(blob, "/emvisor/tasks", "run-for-ms"), 2500);
    assert_true(
        !fdt_getprop(blob, fdt_path_offset(blob, "/emvisor/tasks"), "request-period-us", NULL));
    assert_int_equal(prop_u32(blob, "/emvisor/tasks/t0", "period-us"), 10000);
    assert_int_equal(prop_u32(blob, "/emvisor/tasks/t0", "wcet-us"), 1000);
    assert_int_equal(prop_u32(blob, "/emvisor/tasks/t0", "exec-us"), 250);
    assert_int_equal(prop_u32(blob, "/emvisor/tasks/t1", "exec-us"), 1600); /* 4/5 of the WCET */
    assert_int_equal(prop_u32(blob, "/emvisor/tasks/t1", "overrun-every"), 10);
    assert_int_equal(prop_u32(blob, "/emvisor/tasks/t1", "overrun-us"), 6000);
    assert_int_equal(prop_u32(blob, "/emvisor/tasks/t2", "request-at-ms"), 1000);
    assert_int_equal(prop_u32(blob, "/emvisor/tasks/t2", "exec-us"), 400);
    int t0 = fdt_path_offset(blob, "/emvisor/tasks/t0");
    assert_true(!fdt_getprop(blob, t0, "request-at-ms", NULL) &&
                !fdt_getprop(blob, t0, "overrun-every", NULL));
    vm->has_request_period = true;
    vm->request_period_us = 2000;
    assert_true(cfg_bootinfo(&sys, 0, blob, sizeof(blob)) > 0);
    assert_int_equal(prop_u32(blob, "/emvisor/tasks", "request-period-us"), 2000);
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
        T(test_ipa_overlaps_grant_window),
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
        T(test_vcpu_pinned_beyond_build),
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
        T(test_rtguest_needs_tasks),
        T(test_rtguest_too_many_tasks),
        T(test_empty_tasks),
        T(test_task_run_fields),
        T(test_requested_tasks_not_analysed),
        T(test_request_period),
        T(test_settings),
        T(test_objects_valid),
        T(test_region_missing),
        T(test_region_shape),
        T(test_region_wraps),
        T(test_region_placement),
        T(test_region_overlaps_region),
        T(test_region_overlaps_device),
        T(test_region_vms),
        T(test_region_rights),
        T(test_region_names),
        T(test_region_count),
        T(test_chan_missing),
        T(test_chan_ends),
        T(test_chan_names),
        T(test_region_and_chan_same_name),
        T(test_objects_limit),
        T(test_shmem_ipa_over_ram),
        T(test_bootinfo_fit),
        T(test_object_tables),
        T(test_bootinfo),
        T(test_bootinfo_rng_seed),
        T(test_bootinfo_tasks),
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
