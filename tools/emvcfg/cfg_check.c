/* SPDX-License-Identifier: MIT */
/*
 * cfg_check.c - every check a system description must pass before anything boots. Pure:
 * works on struct cfg_sys only and reports through struct cfg_diag, so unit tests build
 * configs in memory. Board facts come from board.h, the real-time tests from rt/.
 *
 * Each check reports what it finds and carries on, so one run lists every mistake; a check
 * that depends on a field already found broken stays quiet instead of repeating the error.
 * Shared memory and channels are checked in cfg_check_obj.c with the helpers exported here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "cfg.h"
#include "rt.h"

#define PAGE 0x1000ULL
#define IPA_LIMIT (1ULL << 39) /* VTCR_EL2.T0SZ = 25: the guest-physical space is 39 bits */
#define ULL(x) ((unsigned long long)(x))

#define X(n, b, s, i, o, m) {n, b, s, i, o, m},
const struct cfg_board_dev cfg_board_devs[] = {PLAT_DEVICES(X)};
#undef X
const size_t cfg_nr_board_devs = sizeof(cfg_board_devs) / sizeof(cfg_board_devs[0]);

void cfg_error(struct cfg_diag *d, const char *vm, const char *field, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    d->errors++;
    if (d->report)
        d->report(d->ctx, vm, field, msg);
}

const struct cfg_board_dev *cfg_board_dev(const char *name)
{
    for (size_t i = 0; i < cfg_nr_board_devs; i++)
        if (!strcmp(cfg_board_devs[i].name, name))
            return &cfg_board_devs[i];
    return NULL;
}

/* Stage 2 maps whole pages, so a device really occupies the pages it touches. */
static bool pages_overlap(const struct cfg_board_dev *a, const struct cfg_board_dev *b)
{
    uint64_t a0 = a->base & ~(PAGE - 1), a1 = (a->base + a->size + PAGE - 1) & ~(PAGE - 1);
    uint64_t b0 = b->base & ~(PAGE - 1), b1 = (b->base + b->size + PAGE - 1) & ~(PAGE - 1);
    return a0 < b1 && b0 < a1;
}

bool cfg_valid_obj_name(const char *n)
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

bool cfg_valid_sys_name(const char *n)
{
    size_t len = strlen(n);
    if (len == 0 || len >= sizeof(((struct emv_sys_cfg *)0)->name))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= 'A' && n[i] <= 'Z') ||
              (n[i] >= '0' && n[i] <= '9') || strchr("_.-", n[i])))
            return false;
    return true;
}

static void check_system(const struct cfg_sys *s, struct cfg_diag *d)
{
    if (!s->platform[0])
        cfg_error(d, NULL, "platform", "missing (this tool checks for \"%s\")", PLAT_NAME);
    else if (strcmp(s->platform, PLAT_NAME))
        cfg_error(d, NULL, "platform", "'%s' is not this board ('%s')", s->platform, PLAT_NAME);
    if (s->slice_us < 100 || s->slice_us > 1000000)
        cfg_error(d, NULL, "slice-us", "%llu is outside 100..1000000", ULL(s->slice_us));
    if (s->nr_vms == 0)
        cfg_error(d, NULL, "vms", "no VMs (add a node under /vms)");
    if (s->nr_vms > EMV_MAX_VMS)
        cfg_error(d, NULL, "vms", "more than %d VMs", EMV_MAX_VMS);
    if (s->nr_cpu_policy > PLAT_MAX_CPUS)
        cfg_error(d, NULL, "cpu-policy", "%u entries, but the board has %d CPUs", s->nr_cpu_policy,
                  PLAT_MAX_CPUS);
}

static void check_names(const struct cfg_sys *s, unsigned i, struct cfg_diag *d)
{
    const char *n = s->vms[i].name;
    if (!cfg_valid_obj_name(n))
        cfg_error(d, n, "name", "VM names are 1..%d characters of [a-z0-9_-]", EMV_NAME_MAX - 1);
    for (unsigned j = 0; j < i; j++)
        if (!strcmp(s->vms[j].name, n))
            cfg_error(d, n, "name", "two VMs with this name");
}

/* Size and alignment; false when the range is unusable for the checks that follow. */
static bool check_ram_shape(const struct cfg_vm *vm, struct cfg_diag *d)
{
    const char *n = vm->name;
    bool ok = true;
    if (!vm->has_memory) {
        cfg_error(d, n, "memory", "missing (<base size> of the VM's RAM, 64 bits each)");
        return false;
    }
    if (vm->ram_size == 0) {
        cfg_error(d, n, "memory", "size is zero");
        ok = false;
    }
    if (vm->ram_pa % PAGE) {
        cfg_error(d, n, "memory", "base %#llx is not 4 KiB aligned", ULL(vm->ram_pa));
        ok = false;
    }
    if (vm->ram_size % PAGE) {
        cfg_error(d, n, "memory", "size %#llx is not a multiple of 4 KiB", ULL(vm->ram_size));
        ok = false;
    }
    if (vm->ram_ipa % PAGE) {
        cfg_error(d, n, "ipa", "%#llx is not 4 KiB aligned", ULL(vm->ram_ipa));
        ok = false;
    }
    if (ok &&
        (vm->ram_pa + vm->ram_size < vm->ram_pa || vm->ram_ipa + vm->ram_size < vm->ram_ipa)) {
        cfg_error(d, n, "memory", "base + size wraps around 64 bits");
        ok = false;
    }
    return ok;
}

bool cfg_check_phys(struct cfg_diag *d, const char *vm, const char *field, uint64_t pa,
                    uint64_t size)
{
    uint64_t end = pa + size;
    if (pa < PLAT_RAM_BASE || end > PLAT_RAM_BASE + PLAT_RAM_SIZE) {
        cfg_error(d, vm, field, "[%#llx, %#llx) is outside the board's RAM [%#lx, %#lx)", ULL(pa),
                  ULL(end), PLAT_RAM_BASE, PLAT_RAM_BASE + PLAT_RAM_SIZE);
        return false;
    }
    if (cfg_overlaps(pa, size, PLAT_HYP_BASE, PLAT_HYP_SIZE))
        cfg_error(d, vm, field, "[%#llx, %#llx) overlaps the hypervisor's memory [%#lx, %#lx)",
                  ULL(pa), ULL(end), PLAT_HYP_BASE, PLAT_HYP_BASE + PLAT_HYP_SIZE);
    return true;
}

void cfg_check_clear_of_devices(struct cfg_diag *d, const char *vm, const char *field, uint64_t pa,
                                uint64_t size)
{
    struct cfg_board_dev range = {"", pa, size, 0, GUEST, NO_DMA};
    for (size_t h = 0; h < cfg_nr_board_devs; h++)
        if (pages_overlap(&cfg_board_devs[h], &range))
            cfg_error(d, vm, field, "[%#llx, %#llx) overlaps device '%s' at %#llx", ULL(pa),
                      ULL(pa + size), cfg_board_devs[h].name, ULL(cfg_board_devs[h].base));
}

/* Physical placement: inside RAM, clear of the hypervisor and of every other VM. */
static void check_ram_placement(const struct cfg_sys *s, unsigned i, struct cfg_diag *d)
{
    const struct cfg_vm *vm = &s->vms[i];
    uint64_t end = vm->ram_pa + vm->ram_size;
    if (!cfg_check_phys(d, vm->name, "memory", vm->ram_pa, vm->ram_size))
        return;
    for (unsigned j = 0; j < i; j++) {
        const struct cfg_vm *o = &s->vms[j];
        if (o->has_memory && o->ram_pa + o->ram_size > o->ram_pa &&
            cfg_overlaps(vm->ram_pa, vm->ram_size, o->ram_pa, o->ram_size))
            cfg_error(d, vm->name, "memory",
                      "[%#llx, %#llx) overlaps vm '%s' memory [%#llx, %#llx)", ULL(vm->ram_pa),
                      ULL(end), o->name, ULL(o->ram_pa), ULL(o->ram_pa + o->ram_size));
    }
}

/* Guest-physical placement: inside the stage-2 space, clear of the emulated GIC. */
static void check_ram_ipa(const struct cfg_vm *vm, struct cfg_diag *d)
{
    uint64_t ipa_end = vm->ram_ipa + vm->ram_size;
    unsigned nv = vm->nr_vcpus ? vm->nr_vcpus : 1;
    if (nv > EMV_MAX_VCPUS_PER_VM)
        nv = EMV_MAX_VCPUS_PER_VM;
    if (ipa_end > IPA_LIMIT)
        cfg_error(d, vm->name, "ipa",
                  "RAM [%#llx, %#llx) does not fit the 39-bit guest-physical "
                  "space",
                  ULL(vm->ram_ipa), ULL(ipa_end));
    if (cfg_overlaps(vm->ram_ipa, vm->ram_size, PLAT_VGICD_BASE, PLAT_GICD_SIZE))
        cfg_error(d, vm->name, "ipa",
                  "RAM [%#llx, %#llx) overlaps the virtual GIC distributor [%#lx, %#lx)",
                  ULL(vm->ram_ipa), ULL(ipa_end), PLAT_VGICD_BASE,
                  PLAT_VGICD_BASE + PLAT_GICD_SIZE);
    else if (cfg_overlaps(vm->ram_ipa, vm->ram_size, PLAT_VGICR_BASE, nv * PLAT_GICR_STRIDE))
        cfg_error(d, vm->name, "ipa",
                  "RAM [%#llx, %#llx) overlaps the virtual GIC redistributors [%#lx, %#lx)",
                  ULL(vm->ram_ipa), ULL(ipa_end), PLAT_VGICR_BASE,
                  PLAT_VGICR_BASE + nv * PLAT_GICR_STRIDE);
}

/* True when the RAM range is well-formed, so checks that use it can rely on it. */
static bool check_memory(const struct cfg_sys *s, unsigned i, struct cfg_diag *d)
{
    if (!check_ram_shape(&s->vms[i], d))
        return false;
    check_ram_ipa(&s->vms[i], d);
    check_ram_placement(s, i, d);
    return true;
}

static void check_image(const struct cfg_vm *vm, bool ram_ok, struct cfg_diag *d)
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
    uint64_t size = (uint64_t)vm->image_size;
    if (size == 0)
        cfg_error(d, n, "image", "'%s' is empty", vm->image);
    if (ram_ok && size > vm->ram_size)
        cfg_error(d, n, "image", "'%s' (%llu bytes) is larger than the VM's memory (%llu bytes)",
                  vm->image, ULL(size), ULL(vm->ram_size));
    if (vm->has_entry && size &&
        (vm->entry < vm->ram_ipa || vm->entry - vm->ram_ipa >= size || vm->entry % 4))
        cfg_error(d, n, "entry",
                  "%#llx is not a 4-byte aligned address inside the image [%#llx, "
                  "%#llx)",
                  ULL(vm->entry), ULL(vm->ram_ipa), ULL(vm->ram_ipa + size));
}

/* Does another VM (before @i) already hold @bd, or a device sharing one of its pages? */
static void check_device_sharing(const struct cfg_sys *s, unsigned i,
                                 const struct cfg_board_dev *bd, struct cfg_diag *d)
{
    const char *n = s->vms[i].name;
    for (unsigned j = 0; j < i; j++)
        for (unsigned k = 0; k < s->vms[j].nr_devs && k < EMV_MAX_DEVS_PER_VM; k++) {
            const struct cfg_board_dev *o = cfg_board_dev(s->vms[j].devs[k]);
            if (o == bd)
                cfg_error(d, n, "devices", "'%s' is already given to vm '%s'", bd->name,
                          s->vms[j].name);
            else if (o && pages_overlap(o, bd))
                cfg_error(d, n, "devices",
                          "'%s' shares a 4 KiB page with '%s' of vm '%s' (stage 2 "
                          "maps whole pages, so each VM could reach the other's device)",
                          bd->name, o->name, s->vms[j].name);
        }
    for (size_t h = 0; h < cfg_nr_board_devs; h++)
        if (cfg_board_devs[h].owner == HYP && pages_overlap(&cfg_board_devs[h], bd))
            cfg_error(d, n, "devices", "'%s' shares a 4 KiB page with the hypervisor's '%s'",
                      bd->name, cfg_board_devs[h].name);
}

static void check_device(const struct cfg_sys *s, unsigned i, unsigned k, bool ram_ok,
                         struct cfg_diag *d)
{
    const struct cfg_vm *vm = &s->vms[i];
    const struct cfg_board_dev *bd = cfg_board_dev(vm->devs[k]);
    if (!bd) {
        cfg_error(d, vm->name, "devices", "the board has no device '%s' (see docs/config.md)",
                  vm->devs[k]);
        return;
    }
    for (unsigned k2 = 0; k2 < k; k2++)
        if (!strcmp(vm->devs[k2], vm->devs[k])) {
            cfg_error(d, vm->name, "devices", "'%s' listed twice", bd->name);
            return;
        }
    if (bd->owner == HYP) {
        cfg_error(d, vm->name, "devices", "'%s' belongs to the hypervisor", bd->name);
        return;
    }
    if (bd->dma == DMA && !vm->dma_trusted)
        cfg_error(d, vm->name, "devices",
                  "'%s' can master DMA past stage 2: it reaches any physical memory, other "
                  "VMs' and the hypervisor's included (to accept that, mark this VM "
                  "`dma-trusted;`: it becomes as trusted as the hypervisor, see docs/config.md)",
                  bd->name);
    if (ram_ok && cfg_overlaps(vm->ram_ipa, vm->ram_size, bd->base, bd->size))
        cfg_error(d, vm->name, "ipa",
                  "RAM [%#llx, %#llx) overlaps device '%s' at %#llx (devices are mapped at "
                  "IPA == PA)",
                  ULL(vm->ram_ipa), ULL(vm->ram_ipa + vm->ram_size), bd->name, ULL(bd->base));
    check_device_sharing(s, i, bd, d);
}

/*
 * Trust is granted only where a device needs it: a stale `dma-trusted` would let a DMA device
 * added later pass unnoticed, and the hypervisor would announce a trust nothing uses. Quiet
 * while a device name is unknown (already reported: it may be the DMA device meant).
 */
static void check_dma_trust(const struct cfg_vm *vm, struct cfg_diag *d)
{
    if (!vm->dma_trusted)
        return;
    for (unsigned k = 0; k < vm->nr_devs && k < EMV_MAX_DEVS_PER_VM; k++) {
        const struct cfg_board_dev *bd = cfg_board_dev(vm->devs[k]);
        if (!bd || bd->dma == DMA)
            return;
    }
    cfg_error(d, vm->name, "dma-trusted",
              "none of this VM's devices can master DMA, so there is nothing to trust (remove "
              "`dma-trusted;`)");
}

static void check_devices(const struct cfg_sys *s, unsigned i, bool ram_ok, struct cfg_diag *d)
{
    const struct cfg_vm *vm = &s->vms[i];
    if (vm->nr_devs > EMV_MAX_DEVS_PER_VM)
        cfg_error(d, vm->name, "devices", "more than %d devices", EMV_MAX_DEVS_PER_VM);
    for (unsigned k = 0; k < vm->nr_devs && k < EMV_MAX_DEVS_PER_VM; k++)
        check_device(s, i, k, ram_ok, d);
    check_dma_trust(vm, d);
}

static bool server_valid(const struct cfg_vcpu *v)
{
    return v->has_period && v->has_budget && v->period_us && v->budget_us &&
           v->budget_us <= v->period_us;
}

static void check_vcpu(const struct cfg_vm *vm, unsigned k, unsigned cpus, struct cfg_diag *d)
{
    const struct cfg_vcpu *v = &vm->vcpus[k];
    char f[48];
    if (v->cpu >= PLAT_MAX_CPUS) {
        snprintf(f, sizeof(f), "vcpu@%u/cpu", k);
        cfg_error(d, vm->name, f, "pinned to cpu %u, but the board has %d CPUs (0..%d)", v->cpu,
                  PLAT_MAX_CPUS, PLAT_MAX_CPUS - 1);
    } else if (cpus && v->cpu >= cpus) {
        snprintf(f, sizeof(f), "vcpu@%u/cpu", k);
        cfg_error(d, vm->name, f,
                  "pinned to cpu %u, but the system is built for %u CPU%s (0..%u; make SMP=n, "
                  "emvcfg --cpus n)",
                  v->cpu, cpus, cpus == 1 ? "" : "s", cpus - 1);
    }
    if (v->has_period != v->has_budget) {
        snprintf(f, sizeof(f), "vcpu@%u/%s", k, v->has_period ? "budget-us" : "period-us");
        cfg_error(d, vm->name, f, "missing: a real-time server needs both period-us and budget-us");
    } else if (v->has_period && !server_valid(v)) {
        snprintf(f, sizeof(f), "vcpu@%u/budget-us", k);
        cfg_error(d, vm->name, f, "need 0 < budget-us (%llu) <= period-us (%llu)",
                  ULL(v->budget_us), ULL(v->period_us));
    }
    if (v->weight == 0 || v->weight > 65535) {
        snprintf(f, sizeof(f), "vcpu@%u/weight", k);
        cfg_error(d, vm->name, f, "%u is outside 1..65535", v->weight);
    }
}

static void check_vcpus(const struct cfg_vm *vm, unsigned cpus, struct cfg_diag *d)
{
    if (vm->nr_vcpus == 0)
        cfg_error(d, vm->name, "vcpu@0", "missing: a VM needs at least one vCPU");
    if (vm->nr_vcpus > EMV_MAX_VCPUS_PER_VM)
        cfg_error(d, vm->name, "vcpu", "more than %d vCPUs", EMV_MAX_VCPUS_PER_VM);
    for (unsigned k = 0; k < vm->nr_vcpus && k < EMV_MAX_VCPUS_PER_VM; k++)
        check_vcpu(vm, k, cpus, d);
}

/* Every task well-formed; false (after reporting) when one is not. */
static bool tasks_valid(const struct cfg_vm *vm, struct cfg_diag *d)
{
    bool ok = true;
    for (unsigned t = 0; t < vm->nr_tasks; t++) {
        const struct emv_task_cfg *tk = &vm->tasks[t];
        if (tk->period_us && tk->wcet_us && tk->wcet_us <= tk->period_us)
            continue;
        char f[64];
        snprintf(f, sizeof(f), "tasks/%s", vm->task_names[t][0] ? vm->task_names[t] : "?");
        cfg_error(d, vm->name, f, "need 0 < wcet-us (%llu) <= period-us (%llu)", ULL(tk->wcet_us),
                  ULL(tk->period_us));
        ok = false;
    }
    return ok;
}

/* Explain a task set that does not fit: the smallest budget for the same period. */
static void report_unschedulable(const struct cfg_vm *vm, enum rt_policy pol,
                                 const struct rt_task *tasks, unsigned n, struct cfg_diag *d)
{
    const struct cfg_vcpu *v = &vm->vcpus[0];
    const char *pname = pol == RT_RM ? "rm" : "edf";
    rt_time_t need = 0;
    int res = rt_interface(pol, v->period_us, tasks, n, &need);
    if (res == RT_SCHEDULABLE)
        cfg_error(d, vm->name, "tasks",
                  "not schedulable by %s inside budget %lluus every %lluus (smallest budget that "
                  "works: %lluus)",
                  pname, ULL(v->budget_us), ULL(v->period_us), ULL(need));
    else if (res == RT_UNSCHEDULABLE)
        cfg_error(d, vm->name, "tasks",
                  "not schedulable by %s inside budget %lluus every %lluus, not even with the "
                  "whole period (use a shorter period-us)",
                  pname, ULL(v->budget_us), ULL(v->period_us));
    else
        cfg_error(d, vm->name, "tasks",
                  "not schedulable by %s inside budget %lluus every %lluus (no budget hint: %s)",
                  pname, ULL(v->budget_us), ULL(v->period_us), rt_strerror(res));
}

static void check_tasks(const struct cfg_vm *vm, struct cfg_diag *d)
{
    if (!vm->has_tasks)
        return;
    if (vm->nr_tasks > EMV_MAX_TASKS_PER_VM) {
        cfg_error(d, vm->name, "tasks", "more than %d tasks", EMV_MAX_TASKS_PER_VM);
        return;
    }
    if (!vm->nr_tasks) {
        cfg_error(d, vm->name, "tasks",
                  "declared without a task (give at least one, or leave "
                  "tasks out)");
        return;
    }
    if (vm->has_request_period) {
        tasks_valid(vm, d); /* no server yet: the control VM decides at run time */
        return;
    }
    if (vm->nr_vcpus == 0 || !vm->vcpus[0].has_period || !vm->vcpus[0].has_budget) {
        cfg_error(d, vm->name, "tasks",
                  "declared, but vcpu@0 is not a real-time server (give it period-us and "
                  "budget-us, or request-period-us to ask for one at run time)");
        return;
    }
    if (!server_valid(&vm->vcpus[0]) || !tasks_valid(vm, d))
        return; /* the broken field is reported already */
    struct rt_task tasks[EMV_MAX_TASKS_PER_VM];
    unsigned n = 0;
    for (unsigned t = 0; t < vm->nr_tasks; t++) /* those requested at run time: not yet */
        if (!vm->task_run[t].requested)
            tasks[n++] = (struct rt_task){vm->tasks[t].period_us, vm->tasks[t].wcet_us};
    if (!n)
        return; /* reported by cfg_check_task_run */
    struct rt_resource r = {vm->vcpus[0].period_us, vm->vcpus[0].budget_us};
    enum rt_policy pol = vm->task_policy == RT_RM ? RT_RM : RT_EDF;
    int res = rt_check(pol, &r, tasks, n);
    if (res == RT_UNSCHEDULABLE)
        report_unschedulable(vm, pol, tasks, n, d);
    else if (res < 0)
        cfg_error(d, vm->name, "tasks", "the analysis failed: %s", rt_strerror(res));
}

/* The real-time servers pinned to @cpu, as "vm/vcpu@k budget/period" for messages. */
static size_t cpu_servers(const struct cfg_sys *s, unsigned cpu, struct rt_resource *ifaces,
                          char *list, size_t list_size, double *util)
{
    size_t n = 0, used = 0;
    *util = 0;
    list[0] = '\0';
    for (unsigned i = 0; i < s->nr_vms && i < EMV_MAX_VMS; i++)
        for (unsigned k = 0; k < s->vms[i].nr_vcpus && k < EMV_MAX_VCPUS_PER_VM; k++) {
            const struct cfg_vcpu *v = &s->vms[i].vcpus[k];
            if (v->cpu != cpu || !server_valid(v))
                continue;
            ifaces[n++] = (struct rt_resource){v->period_us, v->budget_us};
            *util += (double)v->budget_us / (double)v->period_us; /* display only */
            if (used < list_size)
                used += (size_t)snprintf(list + used, list_size - used,
                                         "%s'%s' vcpu@%u %llu/%lluus", n > 1 ? " + " : "",
                                         s->vms[i].name, k, ULL(v->budget_us), ULL(v->period_us));
        }
    return n;
}

/* Per physical CPU, the real-time servers pinned there must fit together (rt_root_check). */
static void check_cpu_load(const struct cfg_sys *s, unsigned cpu, struct cfg_diag *d)
{
    struct rt_resource ifaces[EMV_MAX_VMS * EMV_MAX_VCPUS_PER_VM];
    char list[768], field[16];
    double util;
    size_t n = cpu_servers(s, cpu, ifaces, list, sizeof(list), &util);
    uint32_t pol =
        cpu < s->nr_cpu_policy && cpu < CFG_MAX_CPUS ? s->cpu_policy[cpu] : EMV_CPU_POLICY_EDF;
    snprintf(field, sizeof(field), "cpu %u", cpu);
    if (!n || pol == EMV_CPU_POLICY_CREDIT)
        return; /* the credit baseline runs every vCPU best effort: budgets are ignored */
    if (pol == EMV_CPU_POLICY_RR) {
        cfg_error(d, NULL, field,
                  "cpu-policy \"rr\" has no budgets, but real-time servers are pinned here: %s",
                  list);
        return;
    }
    const char *pname = pol == EMV_CPU_POLICY_RM ? "rm" : "edf";
    int res = rt_root_check(pol == EMV_CPU_POLICY_RM ? RT_RM : RT_EDF, ifaces, n);
    if (res == RT_UNSCHEDULABLE)
        cfg_error(d, NULL, field,
                  "the real-time servers pinned here are not schedulable together by %s "
                  "(utilisation %.1f%%): %s",
                  pname, util * 100.0, list);
    else if (res < 0)
        cfg_error(d, NULL, field, "the %s test of the servers pinned here failed: %s (%s)", pname,
                  rt_strerror(res), list);
}

unsigned cfg_check(const struct cfg_sys *s, struct cfg_diag *d)
{
    unsigned before = d->errors, controls = 0;
    check_system(s, d);
    for (unsigned i = 0; i < s->nr_vms && i < EMV_MAX_VMS; i++) {
        const struct cfg_vm *vm = &s->vms[i];
        check_names(s, i, d);
        bool ram_ok = check_memory(s, i, d);
        check_image(vm, ram_ok, d);
        cfg_check_linux(vm, ram_ok, d);
        check_devices(s, i, ram_ok, d);
        check_vcpus(vm, s->nr_cpus, d);
        check_tasks(vm, d);
        cfg_check_task_run(s, i, d);
        cfg_check_settings(vm, d);
        controls += vm->control;
    }
    if (controls > 1)
        cfg_error(d, NULL, "control", "%u VMs are marked control; at most one may be", controls);
    cfg_check_objects(s, d);
    for (unsigned cpu = 0; cpu < PLAT_MAX_CPUS; cpu++)
        check_cpu_load(s, cpu, d);
    return d->errors - before;
}
