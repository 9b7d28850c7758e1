/* SPDX-License-Identifier: MIT */
/*
 * cfg_objs.c - a VM's object table, computed from the config's shared-memory regions and
 * channels. One function used by the checker (limits, boot-information size) and by the
 * generator (the tables and the boot information), so both always agree on the order.
 */
#include <stdio.h>
#include <string.h>

#include "cfg.h"

#define PAGE 0x1000ULL

int cfg_vm_index(const struct cfg_sys *s, const char *name)
{
    for (unsigned i = 0; i < s->nr_vms && i < EMV_MAX_VMS; i++)
        if (!strcmp(s->vms[i].name, name))
            return (int)i;
    return -1;
}

static unsigned kept_regions(const struct cfg_sys *s)
{
    return s->nr_shmem < EMV_MAX_SHMEM + 1 ? s->nr_shmem : EMV_MAX_SHMEM + 1;
}

static unsigned kept_chans(const struct cfg_sys *s)
{
    return s->nr_chans < CFG_MAX_CHANS + 1 ? s->nr_chans : CFG_MAX_CHANS + 1;
}

/* Where @vm first appears in @r's vms, -1 if it does not (a repeat is an error reported). */
static int region_pos(const struct cfg_shmem *r, const char *vm)
{
    for (unsigned k = 0; k < r->nr_vms && k < EMV_MAX_VMS + 1; k++)
        if (!strcmp(r->vms[k], vm))
            return (int)k;
    return -1;
}

/* The other end of @c seen from @vm: its name, or NULL when @vm is not an end of @c. */
static const char *chan_peer(const struct cfg_chan *c, const char *vm)
{
    if (c->nr_ends < 2)
        return NULL;
    if (!strcmp(c->ends[0], vm))
        return c->ends[1];
    if (!strcmp(c->ends[1], vm))
        return c->ends[0];
    return NULL;
}

static uint32_t right_bits(const char *r)
{
    if (!strcmp(r, "rw"))
        return EMV_RIGHT_READ | EMV_RIGHT_WRITE;
    return strcmp(r, "ro") ? 0 : EMV_RIGHT_READ;
}

/* How many regions name @vm: its channel ends come after them. */
static unsigned nr_regions_of(const struct cfg_sys *s, const char *vm)
{
    unsigned n = 0;
    for (unsigned r = 0; r < kept_regions(s); r++)
        n += region_pos(&s->shmem[r], vm) >= 0;
    return n;
}

/* The index of channel @c's end in @vm's table (@vm is an end of @c). */
static uint32_t chan_obj_index(const struct cfg_sys *s, unsigned c, const char *vm)
{
    unsigned n = nr_regions_of(s, vm);
    for (unsigned k = 0; k < c; k++)
        n += chan_peer(&s->chans[k], vm) != NULL;
    return n;
}

static unsigned add_regions(const struct cfg_sys *s, const char *vm, struct cfg_obj *objs,
                            unsigned max)
{
    unsigned n = 0;
    uint64_t ipa = EMV_SHMEM_IPA_BASE;
    for (unsigned r = 0; r < kept_regions(s); r++) {
        const struct cfg_shmem *sh = &s->shmem[r];
        int k = region_pos(sh, vm);
        if (k < 0)
            continue;
        if (n < max)
            objs[n] = (struct cfg_obj){
                .name = sh->name,
                .type = EMV_OBJ_SHMEM,
                .rights = (unsigned)k < sh->nr_rights ? right_bits(sh->rights[k]) : 0,
                .shmem = r,
                .ipa = ipa,
                .size = sh->size,
            };
        n++;
        ipa += (sh->size + PAGE - 1) & ~(PAGE - 1); /* the next region at the next page */
    }
    return n;
}

static unsigned kept_eps(const struct cfg_sys *s)
{
    return s->nr_eps < EMV_MAX_EPS + 1 ? s->nr_eps : EMV_MAX_EPS + 1;
}

/* @vm's place in @ep: 0 the server, k > 0 the k-th client (its badge), -1 neither. */
static int ep_role(const struct cfg_ep *ep, const char *vm)
{
    if (!strcmp(ep->server, vm))
        return 0;
    for (unsigned k = 0; k < ep->nr_clients && k < EMV_MAX_VMS + 1; k++)
        if (!strcmp(ep->clients[k], vm))
            return (int)k + 1;
    return -1;
}

static unsigned add_endpoints(const struct cfg_sys *s, const char *vm, struct cfg_obj *objs,
                              unsigned n, unsigned max)
{
    for (unsigned e = 0; e < kept_eps(s); e++) {
        int role = ep_role(&s->eps[e], vm);
        if (role < 0)
            continue;
        int srv = cfg_vm_index(s, s->eps[e].server);
        if (n < max)
            objs[n] = (struct cfg_obj){
                .name = s->eps[e].name,
                .type = EMV_OBJ_ENDPOINT,
                .rights = role ? EMV_RIGHT_CALL : EMV_RIGHT_RECV,
                .peer_vm = srv < 0 ? 0 : (uint32_t)srv,
                .endpoint = e,
                .badge = (uint32_t)role,
            };
        n++;
    }
    return n;
}

/* The VM's devices (as the board describes them; unknown names are skipped: reported
 * elsewhere), then the control role. */
static unsigned add_devices(const struct cfg_vm *vm, struct cfg_obj *objs, unsigned n, unsigned max)
{
    for (unsigned k = 0; k < vm->nr_devs && k < EMV_MAX_DEVS_PER_VM; k++) {
        const struct cfg_board_dev *bd = cfg_board_dev(vm->devs[k]);
        if (!bd)
            continue;
        if (n < max)
            objs[n] = (struct cfg_obj){.name = bd->name,
                                       .type = EMV_OBJ_DEVICE,
                                       .ipa = bd->base,
                                       .size = bd->size,
                                       .irq = bd->irq};
        n++;
    }
    if (vm->control) {
        if (n < max)
            objs[n] = (struct cfg_obj){.name = "control", .type = EMV_OBJ_CONTROL};
        n++;
    }
    return n;
}

/* "vm-<name>" for each VM of the system last given to cfg_objects (names are the config's,
 * so the same for every call on one system; the tool handles one system at a time). */
static char vm_obj_names[EMV_MAX_VMS][80];

bool cfg_linked(const struct cfg_sys *s, const char *a, const char *b)
{
    unsigned n = s->nr_links < CFG_MAX_LINKS + 1 ? s->nr_links : CFG_MAX_LINKS + 1;
    for (unsigned l = 0; l < n; l++) {
        const char *p = chan_peer(&s->links[l], a);
        if (p && !strcmp(p, b))
            return true;
    }
    return false;
}

/* What VM @v may do to VM @w through its VM object (0: it has none for @w): the control VM
 * controls every VM, itself included (the admission analysis needs its own server too); a
 * link lets the two VMs bind event channels with each other. */
static uint32_t vm_obj_rights(const struct cfg_sys *s, unsigned v, unsigned w)
{
    uint32_t r = s->vms[v].control ? EMV_RIGHT_CONTROL : 0;
    if (v != w && cfg_linked(s, s->vms[v].name, s->vms[w].name))
        r |= EMV_RIGHT_BIND;
    return r;
}

/* One object per VM that @v may act on, in config order, named vm-<name>. */
static unsigned add_vm_objects(const struct cfg_sys *s, unsigned v, struct cfg_obj *objs,
                               unsigned n, unsigned max)
{
    for (unsigned w = 0; w < s->nr_vms && w < EMV_MAX_VMS; w++) {
        uint32_t rights = vm_obj_rights(s, v, w);
        if (!rights)
            continue;
        snprintf(vm_obj_names[w], sizeof(vm_obj_names[w]), "%s%s", CFG_VM_OBJ_PREFIX,
                 s->vms[w].name);
        if (n < max)
            objs[n] = (struct cfg_obj){
                .name = vm_obj_names[w], .type = EMV_OBJ_VM, .rights = rights, .peer_vm = w};
        n++;
    }
    return n;
}

unsigned cfg_objects(const struct cfg_sys *s, unsigned v, struct cfg_obj *objs, unsigned max)
{
    const char *vm = s->vms[v].name;
    unsigned n = add_regions(s, vm, objs, max);
    for (unsigned c = 0; c < kept_chans(s); c++) {
        const char *peer = chan_peer(&s->chans[c], vm);
        if (!peer)
            continue;
        int p = cfg_vm_index(s, peer);
        if (n < max)
            objs[n] = (struct cfg_obj){
                .name = s->chans[c].name,
                .type = EMV_OBJ_EVTCHN,
                .rights = EMV_RIGHT_NOTIFY,
                .peer_vm = p < 0 ? 0 : (uint32_t)p,
                .peer_obj = p < 0 ? 0 : chan_obj_index(s, c, peer),
            };
        n++;
    }
    n = add_endpoints(s, vm, objs, n, max);
    n = add_devices(&s->vms[v], objs, n, max);
    return add_vm_objects(s, v, objs, n, max);
}

bool cfg_vm_passive(const struct cfg_sys *s, const char *vm)
{
    for (unsigned e = 0; e < kept_eps(s); e++)
        if (s->eps[e].passive && !strcmp(s->eps[e].server, vm))
            return true;
    return false;
}

int cfg_fault_ep(const struct cfg_vm *vm, const struct cfg_obj *objs, unsigned n)
{
    for (unsigned k = 0; vm->fault_handler[0] && k < n; k++)
        if (objs[k].type == EMV_OBJ_ENDPOINT && (objs[k].rights & EMV_RIGHT_CALL) &&
            !strcmp(objs[k].name, vm->fault_handler))
            return (int)k;
    return -1;
}
