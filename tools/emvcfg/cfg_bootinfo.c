/* SPDX-License-Identifier: MIT */
/*
 * cfg_bootinfo.c - a VM's boot information: the device tree the hypervisor copies to the end
 * of the VM's RAM and passes in x0 (layout: docs/abi.md, "Boot information"). Built in memory
 * with libfdt's sequential-write API, so the checker can measure it and the generator write it.
 */
#include <stdio.h>

#include <libfdt.h>

#include "cfg.h"

/* <hi lo hi lo>: an address and a size, two cells each (#address-cells = #size-cells = 2). */
static int prop_reg(void *fdt, uint64_t addr, uint64_t size)
{
    fdt32_t c[4] = {cpu_to_fdt32(addr >> 32), cpu_to_fdt32((uint32_t)addr),
                    cpu_to_fdt32(size >> 32), cpu_to_fdt32((uint32_t)size)};
    return fdt_property(fdt, "reg", c, sizeof(c));
}

static int memory_node(void *fdt, const struct cfg_vm *vm)
{
    char name[32];
    snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)vm->ram_ipa);
    int r = fdt_begin_node(fdt, name);
    r = r ? r : fdt_property_string(fdt, "device_type", "memory");
    r = r ? r : prop_reg(fdt, vm->ram_ipa, vm->ram_size);
    return r ? r : fdt_end_node(fdt);
}

static int object_node(void *fdt, const struct cfg_sys *s, const struct cfg_obj *o, unsigned idx)
{
    int r = fdt_begin_node(fdt, o->name);
    r = r ? r : fdt_property_u32(fdt, "index", idx);
    r = r ? r : fdt_property_u32(fdt, "type", o->type);
    r = r ? r : fdt_property_u32(fdt, "rights", o->rights);
    if (o->type == EMV_OBJ_SHMEM || o->type == EMV_OBJ_DEVICE)
        r = r ? r : prop_reg(fdt, o->ipa, o->size);
    if (o->type == EMV_OBJ_DEVICE && o->irq)
        r = r ? r : fdt_property_u32(fdt, "irq", o->irq);
    if (o->type == EMV_OBJ_EVTCHN || o->type == EMV_OBJ_VM ||
        (o->type == EMV_OBJ_ENDPOINT && (o->rights & EMV_RIGHT_CALL))) {
        r = r ? r : fdt_property_string(fdt, "peer", s->vms[o->peer_vm].name);
        r = r ? r : fdt_property_u32(fdt, "peer-id", o->peer_vm + 1); /* its VM id */
    }
    if (o->type == EMV_OBJ_ENDPOINT && (o->rights & EMV_RIGHT_CALL))
        r = r ? r : fdt_property_u32(fdt, "badge", o->badge);
    return r ? r : fdt_end_node(fdt);
}

/* /emvisor/tasks: the VM's task set and how its guest runs it (docs/abi.md), one cell each. */
static int tasks_node(void *fdt, const struct cfg_vm *vm)
{
    int r = fdt_begin_node(fdt, "tasks");
    r = r ? r : fdt_property_string(fdt, "policy", vm->task_policy ? "rm" : "edf");
    if (vm->has_run_for_ms)
        r = r ? r : fdt_property_u32(fdt, "run-for-ms", (uint32_t)vm->run_for_ms);
    if (vm->has_request_period)
        r = r ? r : fdt_property_u32(fdt, "request-period-us", (uint32_t)vm->request_period_us);
    for (unsigned t = 0; t < vm->nr_tasks && t < EMV_MAX_TASKS_PER_VM; t++) {
        const struct cfg_task_run *run = &vm->task_run[t];
        r = r ? r : fdt_begin_node(fdt, vm->task_names[t]);
        r = r ? r : fdt_property_u32(fdt, "period-us", (uint32_t)vm->tasks[t].period_us);
        r = r ? r : fdt_property_u32(fdt, "wcet-us", (uint32_t)vm->tasks[t].wcet_us);
        r = r ? r : fdt_property_u32(fdt, "exec-us", (uint32_t)cfg_task_exec_us(vm, t));
        if (run->has_overrun_every && run->has_overrun_us) {
            r = r ? r : fdt_property_u32(fdt, "overrun-every", (uint32_t)run->overrun_every);
            r = r ? r : fdt_property_u32(fdt, "overrun-us", (uint32_t)run->overrun_us);
        }
        if (run->requested)
            r = r ? r : fdt_property_u32(fdt, "request-at-ms", (uint32_t)run->request_at_ms);
        r = r ? r : fdt_end_node(fdt);
    }
    return r ? r : fdt_end_node(fdt);
}

/* /emvisor/settings: the VM's settings node of the config, property by property as given. */
static int settings_node(void *fdt, const struct cfg_vm *vm)
{
    int r = fdt_begin_node(fdt, "settings");
    for (unsigned i = 0; i < vm->nr_settings && i < CFG_MAX_SETTINGS; i++) {
        const struct cfg_setting *st = &vm->settings[i];
        r = r ? r : fdt_property(fdt, st->name, st->val, st->len < 0 ? 0 : st->len);
    }
    return r ? r : fdt_end_node(fdt);
}

static int emvisor_node(void *fdt, const struct cfg_sys *s, unsigned v)
{
    struct cfg_obj objs[EMV_MAX_OBJS];
    unsigned n = cfg_objects(s, v, objs, EMV_MAX_OBJS);
    int r = fdt_begin_node(fdt, "emvisor");
    r = r ? r : fdt_property_string(fdt, "compatible", "emvisor,bootinfo-v1");
    r = r ? r : fdt_property_u32(fdt, "vm-id", v + 1);
    r = r ? r : fdt_property_string(fdt, "vm-name", s->vms[v].name);
    r = r ? r : fdt_begin_node(fdt, "objects");
    for (unsigned i = 0; i < n && i < EMV_MAX_OBJS; i++)
        r = r ? r : object_node(fdt, s, &objs[i], i);
    r = r ? r : fdt_end_node(fdt); /* objects */
    if (s->vms[v].has_tasks)
        r = r ? r : tasks_node(fdt, &s->vms[v]);
    if (s->vms[v].has_settings)
        r = r ? r : settings_node(fdt, &s->vms[v]);
    return r ? r : fdt_end_node(fdt);
}

int cfg_bootinfo(const struct cfg_sys *s, unsigned v, void *buf, size_t size)
{
    int r = fdt_create(buf, (int)size);
    r = r ? r : fdt_finish_reservemap(buf);
    r = r ? r : fdt_begin_node(buf, "");
    r = r ? r : fdt_property_u32(buf, "#address-cells", 2);
    r = r ? r : fdt_property_u32(buf, "#size-cells", 2);
    r = r ? r : fdt_property_string(buf, "compatible", "emvisor,vm");
    if (s->vms[v].linux_kernel) /* a property: before any node */
        r = r ? r : cfg_linux_root_props(buf, &s->vms[v]);
    r = r ? r : memory_node(buf, &s->vms[v]);
    if (s->vms[v].linux_kernel) /* a Linux VM boots from this device tree */
        r = r ? r : cfg_linux_nodes(buf, &s->vms[v]);
    r = r ? r : emvisor_node(buf, s, v);
    r = r ? r : fdt_end_node(buf);
    r = r ? r : fdt_finish(buf);
    return r ? -1 : (int)fdt_totalsize(buf);
}
