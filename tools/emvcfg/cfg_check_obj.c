/* SPDX-License-Identifier: MIT */
/*
 * cfg_check_obj.c - the checks on shared-memory regions and event channels, and on what they
 * add to each VM: its object table and its boot information. Like cfg_check.c, every problem
 * is reported (region or channel, then field) and checking carries on.
 */
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "cfg.h"

#define PAGE 0x1000ULL
#define ULL(x) ((unsigned long long)(x))

/* "shared-memory/<name>/<prop>" or "channels/<name>/<prop>". */
static const char *fld(char *buf, size_t size, const char *kind, const char *name, const char *prop)
{
    snprintf(buf, size, "%s/%s/%s", kind, name, prop);
    return buf;
}

static unsigned min_u(unsigned a, unsigned b)
{
    return a < b ? a : b;
}

/* Present, aligned, non-zero, not wrapping: the region can be placed. */
static bool check_region_shape(const struct cfg_shmem *r, struct cfg_diag *d)
{
    char f[128];
    bool ok = r->has_address && r->has_size;
    if (!r->has_address)
        cfg_error(d, NULL, fld(f, sizeof(f), "shared-memory", r->name, "address"),
                  "missing (the region's physical base, <hi lo>)");
    if (!r->has_size)
        cfg_error(d, NULL, fld(f, sizeof(f), "shared-memory", r->name, "size"),
                  "missing (bytes, <hi lo>, a multiple of 4 KiB)");
    if (r->has_address && r->pa % PAGE) {
        cfg_error(d, NULL, fld(f, sizeof(f), "shared-memory", r->name, "address"),
                  "%#llx is not 4 KiB aligned", ULL(r->pa));
        ok = false;
    }
    fld(f, sizeof(f), "shared-memory", r->name, "size");
    if (r->has_size && r->size == 0)
        cfg_error(d, NULL, f, "is zero");
    else if (r->has_size && r->size % PAGE)
        cfg_error(d, NULL, f, "%#llx is not a multiple of 4 KiB", ULL(r->size));
    if (r->has_size && (r->size == 0 || r->size % PAGE))
        ok = false;
    if (ok && r->pa + r->size < r->pa) {
        cfg_error(d, NULL, fld(f, sizeof(f), "shared-memory", r->name, "size"),
                  "address + size wraps around 64 bits");
        ok = false;
    }
    return ok;
}

/* Clear of the board's devices and the hypervisor, inside RAM, clear of VMs and regions. */
static void check_region_place(const struct cfg_sys *s, unsigned i, struct cfg_diag *d)
{
    const struct cfg_shmem *r = &s->shmem[i];
    char f[128];
    fld(f, sizeof(f), "shared-memory", r->name, "address");
    cfg_check_clear_of_devices(d, NULL, f, r->pa, r->size);
    if (!cfg_check_phys(d, NULL, f, r->pa, r->size))
        return;
    for (unsigned v = 0; v < min_u(s->nr_vms, EMV_MAX_VMS); v++) {
        const struct cfg_vm *vm = &s->vms[v];
        if (vm->has_memory && vm->ram_pa + vm->ram_size > vm->ram_pa &&
            cfg_overlaps(r->pa, r->size, vm->ram_pa, vm->ram_size))
            cfg_error(d, NULL, f, "[%#llx, %#llx) overlaps vm '%s' memory [%#llx, %#llx)",
                      ULL(r->pa), ULL(r->pa + r->size), vm->name, ULL(vm->ram_pa),
                      ULL(vm->ram_pa + vm->ram_size));
    }
    for (unsigned j = 0; j < i; j++) {
        const struct cfg_shmem *o = &s->shmem[j];
        if (o->has_address && o->has_size && o->size && o->pa + o->size > o->pa &&
            cfg_overlaps(r->pa, r->size, o->pa, o->size))
            cfg_error(d, NULL, f,
                      "[%#llx, %#llx) overlaps shared-memory region '%s' [%#llx, %#llx)",
                      ULL(r->pa), ULL(r->pa + r->size), o->name, ULL(o->pa), ULL(o->pa + o->size));
    }
}

/* Each VM known and named once; one right per VM, "rw" or "ro". */
static void check_region_vms(const struct cfg_sys *s, const struct cfg_shmem *r, struct cfg_diag *d)
{
    char f[128];
    fld(f, sizeof(f), "shared-memory", r->name, "vms");
    if (!r->nr_vms)
        cfg_error(d, NULL, f, "missing (the VMs that map the region)");
    for (unsigned k = 0; k < min_u(r->nr_vms, EMV_MAX_VMS + 1); k++) {
        if (cfg_vm_index(s, r->vms[k]) < 0)
            cfg_error(d, NULL, f, "no VM '%s'", r->vms[k]);
        for (unsigned k2 = 0; k2 < k; k2++)
            if (!strcmp(r->vms[k2], r->vms[k]))
                cfg_error(d, NULL, f, "vm '%s' named twice", r->vms[k]);
    }
    fld(f, sizeof(f), "shared-memory", r->name, "rights");
    if (!r->nr_rights)
        cfg_error(d, NULL, f, "missing (\"rw\" or \"ro\" for each VM in vms, in the same order)");
    else if (r->nr_vms && r->nr_rights != r->nr_vms)
        cfg_error(d, NULL, f,
                  "%u entries for %u VMs in vms (one \"rw\" or \"ro\" per VM, in "
                  "the same order)",
                  r->nr_rights, r->nr_vms);
    for (unsigned k = 0; k < min_u(r->nr_rights, EMV_MAX_VMS + 1); k++)
        if (strcmp(r->rights[k], "rw") && strcmp(r->rights[k], "ro"))
            cfg_error(d, NULL, f, "'%s' is not a right (\"rw\" or \"ro\")", r->rights[k]);
}

/* The name is an object's name in the boot information: valid and unique among regions. */
static void check_region_name(const struct cfg_sys *s, unsigned i, struct cfg_diag *d)
{
    const char *n = s->shmem[i].name;
    char f[128];
    fld(f, sizeof(f), "shared-memory", n, "name");
    if (!cfg_valid_obj_name(n))
        cfg_error(d, NULL, f, "region names are 1..%d characters of [a-z0-9_-]", EMV_NAME_MAX - 1);
    for (unsigned j = 0; j < i; j++)
        if (!strcmp(s->shmem[j].name, n))
            cfg_error(d, NULL, f, "two shared-memory regions with this name");
}

static void check_regions(const struct cfg_sys *s, struct cfg_diag *d)
{
    if (s->nr_shmem > EMV_MAX_SHMEM)
        cfg_error(d, NULL, "shared-memory", "more than %d regions", EMV_MAX_SHMEM);
    for (unsigned i = 0; i < min_u(s->nr_shmem, EMV_MAX_SHMEM); i++) {
        check_region_name(s, i, d);
        if (check_region_shape(&s->shmem[i], d))
            check_region_place(s, i, d);
        check_region_vms(s, &s->shmem[i], d);
    }
}

static void check_chan(const struct cfg_sys *s, unsigned i, struct cfg_diag *d)
{
    const struct cfg_chan *c = &s->chans[i];
    char f[128];
    fld(f, sizeof(f), "channels", c->name, "name");
    if (!cfg_valid_obj_name(c->name))
        cfg_error(d, NULL, f, "channel names are 1..%d characters of [a-z0-9_-]", EMV_NAME_MAX - 1);
    for (unsigned j = 0; j < i; j++)
        if (!strcmp(s->chans[j].name, c->name))
            cfg_error(d, NULL, f, "two channels with this name");
    fld(f, sizeof(f), "channels", c->name, "ends");
    if (!c->nr_ends) {
        cfg_error(d, NULL, f, "missing (the two VMs it connects)");
        return;
    }
    if (c->nr_ends != 2)
        cfg_error(d, NULL, f, "needs exactly two VMs, got %u", c->nr_ends);
    for (unsigned k = 0; k < min_u(c->nr_ends, 2); k++)
        if (cfg_vm_index(s, c->ends[k]) < 0)
            cfg_error(d, NULL, f, "no VM '%s'", c->ends[k]);
    if (c->nr_ends == 2 && !strcmp(c->ends[0], c->ends[1]))
        cfg_error(d, NULL, f, "both ends are vm '%s' (a channel connects two different VMs)",
                  c->ends[0]);
}

static void check_chans(const struct cfg_sys *s, struct cfg_diag *d)
{
    if (s->nr_chans > CFG_MAX_CHANS)
        cfg_error(d, NULL, "channels", "more than %d channels", CFG_MAX_CHANS);
    for (unsigned i = 0; i < min_u(s->nr_chans, CFG_MAX_CHANS); i++)
        check_chan(s, i, d);
}

/* A link: a valid name, unique among links; two known, different VMs, not linked twice. */
static void check_link(const struct cfg_sys *s, unsigned i, struct cfg_diag *d)
{
    const struct cfg_chan *l = &s->links[i];
    char f[128];
    fld(f, sizeof(f), "links", l->name, "name");
    if (!cfg_valid_obj_name(l->name))
        cfg_error(d, NULL, f, "link names are 1..%d characters of [a-z0-9_-]", EMV_NAME_MAX - 1);
    for (unsigned j = 0; j < i; j++)
        if (!strcmp(s->links[j].name, l->name))
            cfg_error(d, NULL, f, "two links with this name");
    fld(f, sizeof(f), "links", l->name, "ends");
    if (!l->nr_ends) {
        cfg_error(d, NULL, f, "missing (the two VMs that may bind channels with each other)");
        return;
    }
    if (l->nr_ends != 2)
        cfg_error(d, NULL, f, "needs exactly two VMs, got %u", l->nr_ends);
    for (unsigned k = 0; k < min_u(l->nr_ends, 2); k++)
        if (cfg_vm_index(s, l->ends[k]) < 0)
            cfg_error(d, NULL, f, "no VM '%s'", l->ends[k]);
    if (l->nr_ends != 2)
        return;
    if (!strcmp(l->ends[0], l->ends[1])) {
        cfg_error(d, NULL, f, "both ends are vm '%s' (a link joins two different VMs)", l->ends[0]);
        return;
    }
    for (unsigned j = 0; j < i; j++) {
        const struct cfg_chan *o = &s->links[j];
        if (o->nr_ends == 2 &&
            ((!strcmp(o->ends[0], l->ends[0]) && !strcmp(o->ends[1], l->ends[1])) ||
             (!strcmp(o->ends[0], l->ends[1]) && !strcmp(o->ends[1], l->ends[0])))) {
            cfg_error(d, NULL, f, "vm '%s' and vm '%s' are linked already (link '%s')", l->ends[0],
                      l->ends[1], o->name);
            break;
        }
    }
}

static void check_links(const struct cfg_sys *s, struct cfg_diag *d)
{
    if (s->nr_links > CFG_MAX_LINKS)
        cfg_error(d, NULL, "links", "more than %d links (one per pair of VMs)", CFG_MAX_LINKS);
    for (unsigned i = 0; i < min_u(s->nr_links, CFG_MAX_LINKS); i++)
        check_link(s, i, d);
}

static void check_ep_vms(const struct cfg_sys *s, const struct cfg_ep *ep, struct cfg_diag *d)
{
    char f[128];
    fld(f, sizeof(f), "endpoints", ep->name, "server");
    if (!ep->server[0])
        cfg_error(d, NULL, f, "missing (the VM that receives the calls)");
    else if (cfg_vm_index(s, ep->server) < 0)
        cfg_error(d, NULL, f, "no VM '%s'", ep->server);
    fld(f, sizeof(f), "endpoints", ep->name, "clients");
    if (!ep->nr_clients)
        cfg_error(d, NULL, f, "missing (the VMs that may call)");
    for (unsigned k = 0; k < min_u(ep->nr_clients, EMV_MAX_VMS + 1); k++) {
        if (cfg_vm_index(s, ep->clients[k]) < 0)
            cfg_error(d, NULL, f, "no VM '%s'", ep->clients[k]);
        else if (!strcmp(ep->clients[k], ep->server))
            cfg_error(d, NULL, f, "'%s' is the server (a VM does not call itself)", ep->clients[k]);
        for (unsigned j = 0; j < k; j++)
            if (!strcmp(ep->clients[j], ep->clients[k]))
                cfg_error(d, NULL, f, "'%s' named twice", ep->clients[k]);
    }
}

/* A passive server has no time of its own: it runs on the CPU of, and in the time of, the
 * client that calls it. So it has one vCPU, no budget, and every client's vCPUs are on its
 * CPU; and every endpoint it serves is passive. */
static void check_ep_passive(const struct cfg_sys *s, const struct cfg_ep *ep, struct cfg_diag *d)
{
    int sv = cfg_vm_index(s, ep->server);
    if (sv < 0)
        return;
    const struct cfg_vm *srv = &s->vms[sv];
    char f[128];
    fld(f, sizeof(f), "endpoints", ep->name, "passive");
    if (!ep->passive) {
        if (cfg_vm_passive(s, ep->server))
            cfg_error(d, NULL, f,
                      "missing: vm '%s' serves a passive endpoint, so all of its "
                      "endpoints are passive",
                      ep->server);
        return;
    }
    if (srv->nr_vcpus != 1)
        cfg_error(d, NULL, f, "the server vm '%s' has %u vCPUs; a passive server has one",
                  srv->name, srv->nr_vcpus);
    if (srv->nr_vcpus && (srv->vcpus[0].has_period || srv->vcpus[0].has_budget))
        cfg_error(d, NULL, f,
                  "the server vm '%s' has a period/budget; a passive server runs on "
                  "its callers' time",
                  srv->name);
    for (unsigned k = 0; k < min_u(ep->nr_clients, EMV_MAX_VMS); k++) {
        int c = cfg_vm_index(s, ep->clients[k]);
        for (unsigned i = 0; c >= 0 && srv->nr_vcpus && i < s->vms[c].nr_vcpus; i++)
            if (s->vms[c].vcpus[i].cpu != srv->vcpus[0].cpu)
                cfg_error(d, NULL, f,
                          "client vm '%s' vcpu %u is on cpu %u, the server on cpu "
                          "%u: a passive server runs on its callers' CPU",
                          s->vms[c].name, i, s->vms[c].vcpus[i].cpu, srv->vcpus[0].cpu);
    }
}

static void check_eps(const struct cfg_sys *s, struct cfg_diag *d)
{
    if (s->nr_eps > EMV_MAX_EPS)
        cfg_error(d, NULL, "endpoints", "more than %d endpoints", EMV_MAX_EPS);
    for (unsigned i = 0; i < min_u(s->nr_eps, EMV_MAX_EPS); i++) {
        const struct cfg_ep *ep = &s->eps[i];
        char f[128];
        fld(f, sizeof(f), "endpoints", ep->name, "name");
        if (!cfg_valid_obj_name(ep->name))
            cfg_error(d, NULL, f, "endpoint names are 1..%d characters of [a-z0-9_-]",
                      EMV_NAME_MAX - 1);
        for (unsigned j = 0; j < i; j++)
            if (!strcmp(s->eps[j].name, ep->name))
                cfg_error(d, NULL, f, "two endpoints with this name");
        check_ep_vms(s, ep, d);
        check_ep_passive(s, ep, d);
    }
}

/* A region and a channel of the same name in one table: the guest could not tell them apart. */
static void check_obj_names(const struct cfg_vm *vm, const struct cfg_obj *objs, unsigned n,
                            struct cfg_diag *d)
{
    for (unsigned a = 0; a < n; a++)
        for (unsigned b = a + 1; b < n; b++)
            if (objs[a].type != objs[b].type && !strcmp(objs[a].name, objs[b].name))
                cfg_error(d, vm->name, "objects",
                          "'%s' names two objects of this VM (a region, channel or endpoint; "
                          "names identify its objects in the boot information)",
                          objs[a].name);
}

/* A VM object is named vm-<name>: that must still fit an object name. */
static void check_vm_obj_names(const struct cfg_vm *vm, const struct cfg_obj *objs, unsigned n,
                               struct cfg_diag *d)
{
    for (unsigned k = 0; k < n; k++)
        if (objs[k].type == EMV_OBJ_VM && strlen(objs[k].name) > EMV_NAME_MAX - 1)
            cfg_error(d, vm->name, "objects",
                      "its object for vm '%s' would be named '%s', longer than %d characters "
                      "(a VM another VM controls or is linked with has a name of at most %d)",
                      objs[k].name + strlen(CFG_VM_OBJ_PREFIX), objs[k].name, EMV_NAME_MAX - 1,
                      EMV_NAME_MAX - 1 - (int)strlen(CFG_VM_OBJ_PREFIX));
}

/* Where the regions appear in the guest must not hide its RAM. */
static void check_shmem_ipa(const struct cfg_vm *vm, const struct cfg_obj *objs, unsigned n,
                            struct cfg_diag *d)
{
    uint64_t end = EMV_SHMEM_IPA_BASE;
    for (unsigned k = 0; k < n; k++)
        if (objs[k].type == EMV_OBJ_SHMEM)
            end = objs[k].ipa + objs[k].size;
    if (end > EMV_SHMEM_IPA_BASE && vm->ram_size && vm->ram_ipa + vm->ram_size > vm->ram_ipa &&
        cfg_overlaps(vm->ram_ipa, vm->ram_size, EMV_SHMEM_IPA_BASE, end - EMV_SHMEM_IPA_BASE))
        cfg_error(d, vm->name, "ipa",
                  "RAM [%#llx, %#llx) overlaps where its shared memory appears [%#llx, %#llx)",
                  ULL(vm->ram_ipa), ULL(vm->ram_ipa + vm->ram_size), ULL(EMV_SHMEM_IPA_BASE),
                  ULL(end));
}

/* The grant window (EMV_GRANT_IPA_BASE, docs/abi.md "Grants") is where the hypervisor maps
 * what the VM maps at run time: neither its RAM nor its shared regions may be there. */
static void check_grant_window(const struct cfg_vm *vm, const struct cfg_obj *objs, unsigned n,
                               struct cfg_diag *d)
{
    uint64_t size = (uint64_t)EMV_GRANT_WINDOW_PAGES * PAGE;
    if (vm->ram_size && vm->ram_ipa + vm->ram_size > vm->ram_ipa &&
        cfg_overlaps(vm->ram_ipa, vm->ram_size, EMV_GRANT_IPA_BASE, size))
        cfg_error(d, vm->name, "ipa", "RAM [%#llx, %#llx) overlaps its grant window [%#llx, %#llx)",
                  ULL(vm->ram_ipa), ULL(vm->ram_ipa + vm->ram_size), ULL(EMV_GRANT_IPA_BASE),
                  ULL(EMV_GRANT_IPA_BASE + size));
    for (unsigned k = 0; k < n; k++)
        if (objs[k].type == EMV_OBJ_SHMEM && objs[k].ipa + objs[k].size > EMV_GRANT_IPA_BASE)
            cfg_error(d, vm->name, "objects",
                      "shared region '%s' would reach its grant window at %#llx", objs[k].name,
                      ULL(EMV_GRANT_IPA_BASE));
}

/* The image at the start of RAM, the boot information in the last 4 KiB block(s) that hold it. */
static void check_bootinfo_fit(const struct cfg_sys *s, unsigned v, struct cfg_diag *d)
{
    const struct cfg_vm *vm = &s->vms[v];
    static uint8_t blob[CFG_BOOTINFO_MAX];
    if (!vm->has_memory || !vm->ram_size || vm->ram_size % PAGE || vm->image_size <= 0 ||
        (uint64_t)vm->image_size > vm->ram_size)
        return; /* memory or image reported already */
    int size = cfg_bootinfo(s, v, blob, sizeof(blob));
    if (size < 0) {
        cfg_error(d, vm->name, "objects", "the boot information needs more than %d bytes",
                  CFG_BOOTINFO_MAX);
        return;
    }
    uint64_t at = (uint64_t)size > vm->ram_size ? 0 : (vm->ram_size - (uint64_t)size) & ~(PAGE - 1);
    if ((uint64_t)size > vm->ram_size || (uint64_t)vm->image_size > at)
        cfg_error(d, vm->name, "image",
                  "'%s' (%llu bytes) and the boot information (%d bytes, at RAM offset 0x%llx) do "
                  "not both fit in the VM's memory (%llu bytes)",
                  vm->image, ULL(vm->image_size), size, ULL(at), ULL(vm->ram_size));
}

/* Its faults go to an endpoint it calls; a restart resets its one vCPU. */
static void check_fault_handler(const struct cfg_vm *vm, const struct cfg_obj *objs, unsigned n,
                                struct cfg_diag *d)
{
    if (!vm->fault_handler[0])
        return;
    if (cfg_fault_ep(vm, objs, n) < 0)
        cfg_error(d, vm->name, "fault-handler",
                  "'%s' is not an endpoint this VM is a client of (its faults are sent there as "
                  "calls)",
                  vm->fault_handler);
    if (vm->nr_vcpus != 1)
        cfg_error(d, vm->name, "fault-handler",
                  "a VM with a fault handler has one vCPU (it is restarted whole)");
}

static void check_vm_objects(const struct cfg_sys *s, unsigned v, struct cfg_diag *d)
{
    struct cfg_obj objs[EMV_MAX_OBJS];
    unsigned n = cfg_objects(s, v, objs, EMV_MAX_OBJS);
    if (n > EMV_MAX_OBJS)
        cfg_error(d, s->vms[v].name, "objects",
                  "%u objects (regions, channel ends, endpoints, devices, control role, VMs), "
                  "at most %d",
                  n, EMV_MAX_OBJS);
    n = min_u(n, EMV_MAX_OBJS);
    check_obj_names(&s->vms[v], objs, n, d);
    check_vm_obj_names(&s->vms[v], objs, n, d);
    check_shmem_ipa(&s->vms[v], objs, n, d);
    check_fault_handler(&s->vms[v], objs, n, d);
    check_grant_window(&s->vms[v], objs, n, d);
    check_bootinfo_fit(s, v, d);
}

void cfg_check_objects(const struct cfg_sys *s, struct cfg_diag *d)
{
    check_regions(s, d);
    check_chans(s, d);
    check_eps(s, d);
    check_links(s, d);
    for (unsigned v = 0; v < min_u(s->nr_vms, EMV_MAX_VMS); v++)
        check_vm_objects(s, v, d);
}
