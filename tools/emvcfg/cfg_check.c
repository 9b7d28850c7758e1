/* SPDX-License-Identifier: MIT */
/*
 * cfg_check.c - every check a system description must pass before anything boots. Pure:
 * works on struct cfg_sys only, reports through struct cfg_diag, so unit tests build configs
 * in memory. Board facts come from board.h, the real-time test from rt/.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "cfg.h"
#include "rt.h"

#define PAGE 4096UL

enum owner { HYP, GUEST };
struct board_dev {
    const char *name;
    uint64_t base, size;
    uint32_t irq;
    enum owner owner;
};
#define X(n, b, s, i, o) {n, b, s, i, o},
static const struct board_dev board_devs[] = {PLAT_DEVICES(X)};
#undef X
#define NR_BOARD_DEVS (sizeof(board_devs) / sizeof(board_devs[0]))

void cfg_error(struct cfg_diag *d, const char *vm, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    d->errors++;
    if (d->report)
        d->report(d->ctx, vm, field, msg);
}

static const struct board_dev *board_dev(const char *name)
{
    for (size_t i = 0; i < NR_BOARD_DEVS; i++)
        if (!strcmp(board_devs[i].name, name))
            return &board_devs[i];
    return NULL;
}

/* [a, a+as) and [b, b+bs) overlap; sizes are non-zero and do not wrap (checked first). */
static bool overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

static bool valid_name(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || len >= EMV_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') || n[i] == '-' ||
              n[i] == '_'))
            return false;
    return true;
}

static void check_system(const struct cfg_sys *s, struct cfg_diag *d)
{
    if (strcmp(s->platform, PLAT_NAME))
        cfg_error(d, NULL, "platform", "'%s' is not this board ('%s')", s->platform, PLAT_NAME);
    if (s->slice_us < 100 || s->slice_us > 1000000)
        cfg_error(d, NULL, "slice-us", "%llu is outside 100..1000000",
                  (unsigned long long)s->slice_us);
    if (s->nr_vms == 0)
        cfg_error(d, NULL, "vms", "no VMs");
    if (s->nr_vms > EMV_MAX_VMS)
        cfg_error(d, NULL, "vms", "more than %d VMs", EMV_MAX_VMS);
    if (s->nr_cpu_policy > PLAT_MAX_CPUS)
        cfg_error(d, NULL, "cpu-policy", "%u entries but the board has %d CPUs", s->nr_cpu_policy,
                  PLAT_MAX_CPUS);
}

static void check_memory(const struct cfg_sys *s, unsigned i, struct cfg_diag *d)
{
    const struct cfg_vm *vm = &s->vms[i];
    const char *n = vm->name;
    if (!vm->has_memory) {
        cfg_error(d, n, "memory", "missing (<base size> of the VM's RAM)");
        return;
    }
    if (vm->ram_size == 0 || vm->ram_pa % PAGE || vm->ram_size % PAGE || vm->ram_ipa % PAGE) {
        cfg_error(d, n, "memory",
                  "base %#llx, size %#llx and ipa must be non-zero multiples of "
                  "4 KiB",
                  (unsigned long long)vm->ram_pa, (unsigned long long)vm->ram_size);
        return;
    }
    uint64_t end = vm->ram_pa + vm->ram_size;
    if (end < vm->ram_pa || vm->ram_pa < PLAT_RAM_BASE || end > PLAT_RAM_BASE + PLAT_RAM_SIZE) {
        cfg_error(d, n, "memory", "[%#llx, %#llx) is outside the board's RAM [%#lx, %#lx)",
                  (unsigned long long)vm->ram_pa, (unsigned long long)end, PLAT_RAM_BASE,
                  PLAT_RAM_BASE + PLAT_RAM_SIZE);
        return;
    }
    if (overlaps(vm->ram_pa, vm->ram_size, PLAT_HYP_BASE, PLAT_HYP_SIZE))
        cfg_error(d, n, "memory", "[%#llx, %#llx) overlaps the hypervisor's memory [%#lx, %#lx)",
                  (unsigned long long)vm->ram_pa, (unsigned long long)end, PLAT_HYP_BASE,
                  PLAT_HYP_BASE + PLAT_HYP_SIZE);
    for (unsigned j = 0; j < i; j++) {
        const struct cfg_vm *o = &s->vms[j];
        if (o->has_memory && o->ram_size &&
            overlaps(vm->ram_pa, vm->ram_size, o->ram_pa, o->ram_size))
            cfg_error(d, n, "memory", "[%#llx, %#llx) overlaps vm '%s' memory [%#llx, %#llx)",
                      (unsigned long long)vm->ram_pa, (unsigned long long)end, o->name,
                      (unsigned long long)o->ram_pa, (unsigned long long)(o->ram_pa + o->ram_size));
    }
    uint64_t ipa_end = vm->ram_ipa + vm->ram_size;
    if (ipa_end < vm->ram_ipa || ipa_end > (1UL << 39))
        cfg_error(d, n, "ipa", "RAM at %#llx does not fit the 39-bit guest-physical space",
                  (unsigned long long)vm->ram_ipa);
    if (overlaps(vm->ram_ipa, vm->ram_size, PLAT_VGICD_BASE,
                 PLAT_VGICR_BASE + EMV_MAX_VCPUS_PER_VM * PLAT_GICR_STRIDE - PLAT_VGICD_BASE))
        cfg_error(d, n, "ipa", "RAM at %#llx overlaps the virtual GIC at %#lx",
                  (unsigned long long)vm->ram_ipa, PLAT_VGICD_BASE);
}

static void check_image(const struct cfg_vm *vm, struct cfg_diag *d)
{
    const char *n = vm->name;
    if (!vm->image[0]) {
        cfg_error(d, n, "image", "missing (the guest image to load)");
        return;
    }
    if (vm->image_size < 0) {
        cfg_error(d, n, "image", "cannot read '%s'", vm->image);
        return;
    }
    if (vm->image_size == 0)
        cfg_error(d, n, "image", "'%s' is empty", vm->image);
    if (vm->has_memory && (uint64_t)vm->image_size > vm->ram_size)
        cfg_error(d, n, "image", "'%s' (%lld bytes) is larger than the VM's memory (%llu bytes)",
                  vm->image, (long long)vm->image_size, (unsigned long long)vm->ram_size);
    if (vm->has_entry && (vm->entry < vm->ram_ipa ||
                          vm->entry >= vm->ram_ipa + (uint64_t)vm->image_size || vm->entry % 4))
        cfg_error(d, n, "entry",
                  "%#llx is not a 4-byte aligned address inside the image "
                  "[%#llx, %#llx)",
                  (unsigned long long)vm->entry, (unsigned long long)vm->ram_ipa,
                  (unsigned long long)(vm->ram_ipa + vm->image_size));
}

static void check_devices(const struct cfg_sys *s, unsigned i, struct cfg_diag *d)
{
    const struct cfg_vm *vm = &s->vms[i];
    if (vm->nr_devs > EMV_MAX_DEVS_PER_VM)
        cfg_error(d, vm->name, "devices", "more than %d devices", EMV_MAX_DEVS_PER_VM);
    for (unsigned k = 0; k < vm->nr_devs && k < EMV_MAX_DEVS_PER_VM; k++) {
        const struct board_dev *bd = board_dev(vm->devs[k]);
        if (!bd) {
            cfg_error(d, vm->name, "devices", "the board has no device '%s'", vm->devs[k]);
            continue;
        }
        if (bd->owner == HYP)
            cfg_error(d, vm->name, "devices", "'%s' belongs to the hypervisor", bd->name);
        if (vm->has_memory && overlaps(vm->ram_ipa, vm->ram_size, bd->base, bd->size))
            cfg_error(d, vm->name, "devices", "'%s' at %#llx overlaps the VM's RAM ipa range",
                      bd->name, (unsigned long long)bd->base);
        for (unsigned k2 = 0; k2 < k; k2++)
            if (!strcmp(vm->devs[k2], vm->devs[k]))
                cfg_error(d, vm->name, "devices", "'%s' listed twice", bd->name);
        for (unsigned j = 0; j < i; j++)
            for (unsigned k2 = 0; k2 < s->vms[j].nr_devs; k2++)
                if (!strcmp(s->vms[j].devs[k2], vm->devs[k]))
                    cfg_error(d, vm->name, "devices", "'%s' is already given to vm '%s'", bd->name,
                              s->vms[j].name);
    }
}

static void check_vcpus(const struct cfg_vm *vm, struct cfg_diag *d)
{
    if (vm->nr_vcpus == 0)
        cfg_error(d, vm->name, "vcpu", "no vcpu@0 node");
    if (vm->nr_vcpus > EMV_MAX_VCPUS_PER_VM)
        cfg_error(d, vm->name, "vcpu", "more than %d vCPUs", EMV_MAX_VCPUS_PER_VM);
    for (unsigned k = 0; k < vm->nr_vcpus && k < EMV_MAX_VCPUS_PER_VM; k++) {
        const struct cfg_vcpu *v = &vm->vcpus[k];
        if (v->cpu >= PLAT_MAX_CPUS)
            cfg_error(d, vm->name, "cpu", "vcpu@%u is pinned to cpu %u; the board has %d", k,
                      v->cpu, PLAT_MAX_CPUS);
        if (v->has_period != v->has_budget)
            cfg_error(d, vm->name, v->has_period ? "budget-us" : "period-us",
                      "vcpu@%u: a real-time server needs both period-us and budget-us", k);
        else if (v->has_period &&
                 (v->period_us == 0 || v->budget_us == 0 || v->budget_us > v->period_us))
            cfg_error(d, vm->name, "budget-us", "vcpu@%u: need 0 < budget (%llu) <= period (%llu)",
                      k, (unsigned long long)v->budget_us, (unsigned long long)v->period_us);
        if (v->weight == 0 || v->weight > 65535)
            cfg_error(d, vm->name, "weight", "vcpu@%u: %u is outside 1..65535", k, v->weight);
    }
}

static void check_tasks(const struct cfg_vm *vm, struct cfg_diag *d)
{
    if (!vm->has_tasks)
        return;
    if (vm->nr_tasks > EMV_MAX_TASKS_PER_VM) {
        cfg_error(d, vm->name, "tasks", "more than %d tasks", EMV_MAX_TASKS_PER_VM);
        return;
    }
    if (vm->nr_vcpus == 0 || !vm->vcpus[0].has_period) {
        cfg_error(d, vm->name, "tasks",
                  "declared, but vcpu@0 is not a real-time server "
                  "(period-us, budget-us)");
        return;
    }
    struct rt_task tasks[EMV_MAX_TASKS_PER_VM];
    for (unsigned t = 0; t < vm->nr_tasks; t++) {
        tasks[t] = (struct rt_task){vm->tasks[t].period_us, vm->tasks[t].wcet_us};
        if (!tasks[t].period || !tasks[t].wcet || tasks[t].wcet > tasks[t].period) {
            cfg_error(d, vm->name, "tasks", "task %u: need 0 < wcet (%llu) <= period (%llu)", t,
                      (unsigned long long)tasks[t].wcet, (unsigned long long)tasks[t].period);
            return;
        }
    }
    const struct cfg_vcpu *v = &vm->vcpus[0];
    struct rt_resource r = {v->period_us, v->budget_us};
    enum rt_policy pol = vm->task_policy ? RT_RM : RT_EDF;
    const char *pname = vm->task_policy ? "rm" : "edf";
    int res = rt_check(pol, &r, tasks, vm->nr_tasks);
    if (res == RT_SCHEDULABLE)
        return;
    if (res < 0) {
        cfg_error(d, vm->name, "tasks", "the analysis failed (%s)",
                  res == RT_EOVERFLOW ? "a hyperperiod overflows 64 bits" : "invalid input");
        return;
    }
    rt_time_t need = 0;
    if (rt_interface(pol, v->period_us, tasks, vm->nr_tasks, &need) == RT_SCHEDULABLE)
        cfg_error(d, vm->name, "tasks",
                  "not schedulable by %s inside budget %lluus every %lluus "
                  "(smallest budget that works: %lluus)",
                  pname, (unsigned long long)v->budget_us, (unsigned long long)v->period_us,
                  (unsigned long long)need);
    else
        cfg_error(d, vm->name, "tasks", "not schedulable by %s even with the whole period %lluus",
                  pname, (unsigned long long)v->period_us);
}

/* Per physical CPU, the real-time servers pinned there must fit together. */
static void check_cpu_load(const struct cfg_sys *s, struct cfg_diag *d)
{
    for (unsigned cpu = 0; cpu < PLAT_MAX_CPUS; cpu++) {
        struct rt_resource ifaces[EMV_MAX_VMS * EMV_MAX_VCPUS_PER_VM];
        size_t n = 0;
        for (unsigned i = 0; i < s->nr_vms && i < EMV_MAX_VMS; i++)
            for (unsigned k = 0; k < s->vms[i].nr_vcpus && k < EMV_MAX_VCPUS_PER_VM; k++) {
                const struct cfg_vcpu *v = &s->vms[i].vcpus[k];
                if (v->cpu == cpu && v->has_period && v->has_budget && v->period_us &&
                    v->budget_us <= v->period_us)
                    ifaces[n++] = (struct rt_resource){v->period_us, v->budget_us};
            }
        if (!n)
            continue;
        uint32_t pol = cpu < s->nr_cpu_policy ? s->cpu_policy[cpu] : EMV_CPU_POLICY_EDF;
        if (pol == EMV_CPU_POLICY_CREDIT)
            continue; /* the baseline runs every vCPU best effort: budgets are ignored */
        if (pol == EMV_CPU_POLICY_RR) {
            char field[32];
            snprintf(field, sizeof(field), "cpu %u", cpu);
            cfg_error(d, NULL, field,
                      "%zu real-time server(s) pinned to a cpu-policy \"rr\" CPU, "
                      "which has no budgets",
                      n);
            continue;
        }
        int res = rt_root_check(pol ? RT_RM : RT_EDF, ifaces, n);
        if (res != RT_SCHEDULABLE) {
            char field[32];
            snprintf(field, sizeof(field), "cpu %u", cpu);
            cfg_error(d, NULL, field,
                      "the real-time servers pinned here (%zu) are not "
                      "schedulable together by %s",
                      n, pol ? "rm" : "edf");
        }
    }
}

unsigned cfg_check(const struct cfg_sys *s, struct cfg_diag *d)
{
    unsigned before = d->errors, controls = 0;
    check_system(s, d);
    for (unsigned i = 0; i < s->nr_vms && i < EMV_MAX_VMS; i++) {
        const struct cfg_vm *vm = &s->vms[i];
        if (!valid_name(vm->name))
            cfg_error(d, vm->name, "name", "VM names are 1..%d characters of [a-z0-9_-]",
                      EMV_NAME_MAX - 1);
        for (unsigned j = 0; j < i; j++)
            if (!strcmp(s->vms[j].name, vm->name))
                cfg_error(d, vm->name, "name", "two VMs with this name");
        check_memory(s, i, d);
        check_image(vm, d);
        check_devices(s, i, d);
        check_vcpus(vm, d);
        check_tasks(vm, d);
        controls += vm->control;
    }
    if (controls > 1)
        cfg_error(d, NULL, "control", "%u VMs are marked control; at most one may be", controls);
    check_cpu_load(s, d);
    return d->errors - before;
}
