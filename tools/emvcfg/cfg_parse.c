/* SPDX-License-Identifier: MIT */
/*
 * cfg_parse.c - read a compiled system description with libfdt. Unknown nodes and
 * properties are errors (a typo must not be silently ignored), as are wrong sizes.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <libfdt.h>

#include "board.h"
#include "cfg.h"

void cfg_sys_init(struct cfg_sys *s)
{
    memset(s, 0, sizeof(*s));
    s->slice_us = 10000;
}

void cfg_vm_init(struct cfg_vm *vm)
{
    memset(vm, 0, sizeof(*vm));
    vm->ram_ipa = PLAT_GUEST_RAM_IPA;
    vm->image_size = -1;
}

static bool in_list(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(name, *list))
            return true;
    return false;
}

/* Every property of @node must be one of @known. */
static void check_props(const void *fdt, int node, const char *const *known, const char *vm,
                        const char *where, struct cfg_diag *d)
{
    int prop;
    fdt_for_each_property_offset(prop, fdt, node)
    {
        const char *name;
        fdt_getprop_by_offset(fdt, prop, &name, NULL);
        if (!in_list(name, known))
            cfg_error(d, vm, name, "unknown property in %s", where);
    }
}

/* A property of 1 cell (u32) or 2 cells (u64); @cells = 0 accepts either. */
static bool get_uint(const void *fdt, int node, const char *prop, int cells, uint64_t *out,
                     const char *vm, struct cfg_diag *d)
{
    int len;
    const fdt32_t *p = fdt_getprop(fdt, node, prop, &len);
    if (!p)
        return false;
    if (len == 4 && cells != 2) {
        *out = fdt32_to_cpu(p[0]);
        return true;
    }
    if (len == 8 && cells != 1) {
        *out = ((uint64_t)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1]);
        return true;
    }
    cfg_error(d, vm, prop, "expected %s, got %d bytes",
              cells == 1   ? "one 32-bit cell"
              : cells == 2 ? "two cells (a 64-bit value)"
                           : "one or two cells",
              len);
    return false;
}

static bool get_string(const void *fdt, int node, const char *prop, char *buf, size_t size,
                       const char *vm, struct cfg_diag *d)
{
    int len;
    const char *p = fdt_getprop(fdt, node, prop, &len);
    if (!p)
        return false;
    if (len < 1 || p[len - 1] != '\0' || (size_t)len > size) {
        cfg_error(d, vm, prop, "expected a string of at most %zu characters", size - 1);
        return false;
    }
    memcpy(buf, p, (size_t)len);
    return true;
}

/* "rr" (the round-robin baseline) is a CPU policy only, not a task-set policy. */
static uint32_t parse_policy(const char *s, bool allow_rr, const char *vm, const char *field,
                             struct cfg_diag *d)
{
    if (!strcmp(s, "edf"))
        return EMV_CPU_POLICY_EDF;
    if (!strcmp(s, "rm"))
        return EMV_CPU_POLICY_RM;
    if (allow_rr && !strcmp(s, "rr"))
        return EMV_CPU_POLICY_RR;
    if (allow_rr && !strcmp(s, "credit"))
        return EMV_CPU_POLICY_CREDIT;
    cfg_error(d, vm, field, "'%s' is not a policy (edf, rm%s)", s,
              allow_rr ? ", rr or credit" : "");
    return 0;
}

static void parse_hypervisor(const void *fdt, int node, struct cfg_sys *s, struct cfg_diag *d)
{
    static const char *const known[] = {"slice-us", "run-for-ms", "cpu-policy", "trace", NULL};
    check_props(fdt, node, known, NULL, "/hypervisor", d);
    get_uint(fdt, node, "slice-us", 1, &s->slice_us, NULL, d);
    get_uint(fdt, node, "run-for-ms", 1, &s->run_for_ms, NULL, d);
    s->trace = fdt_getprop(fdt, node, "trace", NULL) != NULL;
    int len;
    const char *p = fdt_getprop(fdt, node, "cpu-policy", &len);
    for (int off = 0; p && off < len && s->nr_cpu_policy < CFG_MAX_CPUS;
         off += (int)strlen(p + off) + 1)
        s->cpu_policy[s->nr_cpu_policy++] = parse_policy(p + off, true, NULL, "cpu-policy", d);
}

static void parse_vcpu(const void *fdt, int node, struct cfg_vm *vm, struct cfg_diag *d)
{
    static const char *const known[] = {"cpu", "period-us", "budget-us", "weight", NULL};
    const char *name = fdt_get_name(fdt, node, NULL);
    unsigned idx;
    char extra;
    if (sscanf(name, "vcpu@%u%c", &idx, &extra) != 1 || idx != vm->nr_vcpus) {
        cfg_error(d, vm->name, name, "vcpu nodes must be vcpu@0, vcpu@1, ... in order");
        return;
    }
    if (vm->nr_vcpus > EMV_MAX_VCPUS_PER_VM) {
        return; /* counted; cfg_check reports the limit */
    }
    struct cfg_vcpu *v = &vm->vcpus[vm->nr_vcpus++];
    v->weight = 256;
    check_props(fdt, node, known, vm->name, name, d);
    uint64_t val;
    if (get_uint(fdt, node, "cpu", 1, &val, vm->name, d))
        v->cpu = (uint32_t)val;
    else
        cfg_error(d, vm->name, "cpu", "%s has no cpu property (the physical CPU to pin it to)",
                  name);
    v->has_period = get_uint(fdt, node, "period-us", 1, &v->period_us, vm->name, d);
    v->has_budget = get_uint(fdt, node, "budget-us", 1, &v->budget_us, vm->name, d);
    if (get_uint(fdt, node, "weight", 1, &val, vm->name, d))
        v->weight = (uint32_t)val;
}

static void parse_tasks(const void *fdt, int node, struct cfg_vm *vm, struct cfg_diag *d)
{
    static const char *const known[] = {"policy", NULL};
    static const char *const task_known[] = {"period-us", "wcet-us", NULL};
    char policy[8] = "edf";
    check_props(fdt, node, known, vm->name, "tasks", d);
    get_string(fdt, node, "policy", policy, sizeof(policy), vm->name, d);
    vm->has_tasks = true;
    vm->task_policy = parse_policy(policy, false, vm->name, "tasks/policy", d);
    int t;
    fdt_for_each_subnode(t, fdt, node)
    {
        const char *tname = fdt_get_name(fdt, t, NULL);
        if (vm->nr_tasks > EMV_MAX_TASKS_PER_VM)
            break;
        struct emv_task_cfg *task = &vm->tasks[vm->nr_tasks++];
        check_props(fdt, t, task_known, vm->name, tname, d);
        if (!get_uint(fdt, t, "period-us", 1, &task->period_us, vm->name, d) ||
            !get_uint(fdt, t, "wcet-us", 1, &task->wcet_us, vm->name, d))
            cfg_error(d, vm->name, "tasks", "task %s needs period-us and wcet-us", tname);
    }
}

static int64_t file_size(const char *path)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fclose(f);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1;
}

static void parse_vm(const void *fdt, int node, struct cfg_vm *vm, struct cfg_diag *d)
{
    static const char *const known[] = {"image",   "memory",  "ipa",     "entry",
                                        "bootarg", "control", "devices", NULL};
    cfg_vm_init(vm);
    snprintf(vm->name, sizeof(vm->name), "%s", fdt_get_name(fdt, node, NULL));
    check_props(fdt, node, known, vm->name, "a vm node", d);
    if (get_string(fdt, node, "image", vm->image, sizeof(vm->image), vm->name, d))
        vm->image_size = file_size(vm->image);
    int len;
    const fdt32_t *mem = fdt_getprop(fdt, node, "memory", &len);
    if (mem && len == 16) {
        vm->has_memory = true;
        vm->ram_pa = ((uint64_t)fdt32_to_cpu(mem[0]) << 32) | fdt32_to_cpu(mem[1]);
        vm->ram_size = ((uint64_t)fdt32_to_cpu(mem[2]) << 32) | fdt32_to_cpu(mem[3]);
    } else if (mem) {
        cfg_error(d, vm->name, "memory",
                  "expected <base-hi base-lo size-hi size-lo> (4 cells), "
                  "got %d bytes",
                  len);
    }
    get_uint(fdt, node, "ipa", 2, &vm->ram_ipa, vm->name, d);
    vm->has_entry = get_uint(fdt, node, "entry", 2, &vm->entry, vm->name, d);
    get_uint(fdt, node, "bootarg", 0, &vm->bootarg, vm->name, d);
    vm->control = fdt_getprop(fdt, node, "control", NULL) != NULL;
    const char *devs = fdt_getprop(fdt, node, "devices", &len);
    for (int off = 0; devs && off < len; off += (int)strlen(devs + off) + 1) {
        if (vm->nr_devs > EMV_MAX_DEVS_PER_VM)
            break;
        snprintf(vm->devs[vm->nr_devs++], sizeof(vm->devs[0]), "%s", devs + off);
    }
    int sub;
    fdt_for_each_subnode(sub, fdt, node)
    {
        const char *sname = fdt_get_name(fdt, sub, NULL);
        if (!strncmp(sname, "vcpu@", 5))
            parse_vcpu(fdt, sub, vm, d);
        else if (!strcmp(sname, "tasks"))
            parse_tasks(fdt, sub, vm, d);
        else
            cfg_error(d, vm->name, sname, "unknown node (expected vcpu@N or tasks)");
    }
}

unsigned cfg_parse(const void *fdt, struct cfg_sys *s, struct cfg_diag *d)
{
    static const char *const root_known[] = {"compatible", "platform", "#address-cells",
                                             "#size-cells", NULL};
    unsigned before = d->errors;
    cfg_sys_init(s);
    if (fdt_check_header(fdt)) {
        cfg_error(d, NULL, "file", "not a valid device tree blob");
        return d->errors - before;
    }
    check_props(fdt, 0, root_known, NULL, "/", d);
    int len;
    const char *compat = fdt_getprop(fdt, 0, "compatible", &len);
    if (!compat || strcmp(compat, "emvisor,system-v1"))
        cfg_error(d, NULL, "compatible", "must be \"emvisor,system-v1\"");
    get_string(fdt, 0, "platform", s->platform, sizeof(s->platform), NULL, d);
    int node;
    fdt_for_each_subnode(node, fdt, 0)
    {
        const char *name = fdt_get_name(fdt, node, NULL);
        if (!strcmp(name, "hypervisor")) {
            parse_hypervisor(fdt, node, s, d);
        } else if (!strcmp(name, "vms")) {
            int vmn;
            fdt_for_each_subnode(vmn, fdt, node)
            {
                if (s->nr_vms > EMV_MAX_VMS)
                    break;
                parse_vm(fdt, vmn, &s->vms[s->nr_vms++], d);
            }
        } else {
            cfg_error(d, NULL, name, "unknown node (expected hypervisor or vms)");
        }
    }
    return d->errors - before;
}
