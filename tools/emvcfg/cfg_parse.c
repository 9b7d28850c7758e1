/* SPDX-License-Identifier: MIT */
/*
 * cfg_parse.c - read a compiled system description with libfdt into struct cfg_sys.
 *
 * The parser only reports what cannot be represented in the struct: unknown nodes and
 * properties (a typo must not be silently ignored), wrong sizes, values of the wrong kind.
 * Everything about meaning (ranges, overlaps, limits, schedulability) is cfg_check's job.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <libfdt.h>

#include "board.h"
#include "cfg.h"

#define COMPATIBLE "emvisor,system-v1"

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

/* One parse: where errors go, which VM we are in, which node (for field paths). */
struct ctx {
    const void *fdt;
    const char *root;
    struct cfg_diag *d;
    const char *vm;   /* NULL outside /vms */
    const char *path; /* node path inside the VM (or "hypervisor"), NULL for the VM node */
};

/* The field a message names: "prop" or "node/prop". */
static const char *field(const struct ctx *c, const char *prop, char *buf, size_t size)
{
    if (!c->path)
        return prop;
    snprintf(buf, size, "%s/%s", c->path, prop);
    return buf;
}

static void perr(const struct ctx *c, const char *prop, const char *msg, const char *arg)
{
    char f[128];
    cfg_error(c->d, c->vm, field(c, prop, f, sizeof(f)), msg, arg);
}

static bool in_list(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(name, *list))
            return true;
    return false;
}

/* Every property of @node must be one of @known; the message lists them (typos). */
static void check_props(const struct ctx *c, int node, const char *const *known)
{
    char names[256] = "";
    for (const char *const *k = known; *k; k++)
        snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
                 k == known ? "" : ", ", *k);
    int prop;
    fdt_for_each_property_offset(prop, c->fdt, node)
    {
        const char *name;
        fdt_getprop_by_offset(c->fdt, prop, &name, NULL);
        if (!in_list(name, known))
            perr(c, name, "unknown property (known here: %s)", names);
    }
}

/* A property of 1 cell (u32) or 2 cells (u64); @cells = 0 accepts either. */
static bool get_uint(const struct ctx *c, int node, const char *prop, int cells, uint64_t *out)
{
    int len;
    const fdt32_t *p = fdt_getprop(c->fdt, node, prop, &len);
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
    char msg[96];
    snprintf(msg, sizeof(msg), "expected %s, got %d bytes",
             cells == 1   ? "one cell <n>"
             : cells == 2 ? "two cells <hi lo> (a 64-bit value)"
                          : "one or two cells",
             len);
    perr(c, prop, "%s", msg);
    return false;
}

/* A list of NUL-terminated strings ("a", "b"); NULL when absent or malformed (reported). */
static const char *get_strings(const struct ctx *c, int node, const char *prop, int *len)
{
    const char *p = fdt_getprop(c->fdt, node, prop, len);
    if (!p)
        return NULL;
    if (*len < 2 || p[*len - 1] != '\0' || p[0] == '\0') {
        perr(c, prop, "expected %s", "a string or a list of strings (\"a\", \"b\")");
        return NULL;
    }
    return p;
}

static bool get_string(const struct ctx *c, int node, const char *prop, char *buf, size_t size)
{
    int len;
    const char *p = get_strings(c, node, prop, &len);
    if (!p)
        return false;
    if ((size_t)len > size || strlen(p) + 1 != (size_t)len) {
        char msg[64];
        snprintf(msg, sizeof(msg), "expected one string of at most %zu characters", size - 1);
        perr(c, prop, "%s", msg);
        return false;
    }
    memcpy(buf, p, (size_t)len);
    return true;
}

/* A flag is an empty property: `control;`. `control = <0>;` would read as "set", so refuse it. */
static bool get_flag(const struct ctx *c, int node, const char *prop)
{
    int len;
    if (!fdt_getprop(c->fdt, node, prop, &len))
        return false;
    if (len != 0)
        perr(c, prop, "is a flag: write `%s;` to set it, leave it out to clear it", prop);
    return len == 0;
}

/* "rr" and "credit" (the baselines) are CPU policies only, not task-set policies. */
static uint32_t parse_policy(const struct ctx *c, const char *s, bool cpu, const char *prop)
{
    if (!strcmp(s, "edf"))
        return EMV_CPU_POLICY_EDF;
    if (!strcmp(s, "rm"))
        return EMV_CPU_POLICY_RM;
    if (cpu && !strcmp(s, "rr"))
        return EMV_CPU_POLICY_RR;
    if (cpu && !strcmp(s, "credit"))
        return EMV_CPU_POLICY_CREDIT;
    char msg[96];
    snprintf(msg, sizeof(msg), "'%s' is not a policy (edf, rm%s)", s, cpu ? ", rr, credit" : "");
    perr(c, prop, "%s", msg);
    return 0;
}

static void parse_hypervisor(struct ctx *c, int node, struct cfg_sys *s)
{
    static const char *const known[] = {
        "slice-us",          "run-for-ms",     "cpu-policy",  "trace",
        "console-test-fifo", "stats-every-ms", "trace-exits", NULL};
    c->path = "hypervisor";
    check_props(c, node, known);
    get_uint(c, node, "slice-us", 1, &s->slice_us);
    get_uint(c, node, "run-for-ms", 1, &s->run_for_ms);
    s->trace = get_flag(c, node, "trace");
    s->trace_exits = get_flag(c, node, "trace-exits");
    if (s->trace_exits && !s->trace)
        perr(c, "trace-exits", "%s", "traces guest exits into the trace: needs `trace;` too");
    if (get_uint(c, node, "stats-every-ms", 1, &s->stats_every_ms) &&
        (s->stats_every_ms < 10 || s->stats_every_ms > 3600000))
        perr(c, "stats-every-ms", "%s", "must be 10..3600000 ms");
    if (get_uint(c, node, "console-test-fifo", 1, &s->console_test_fifo) &&
        (s->console_test_fifo == 0 || s->console_test_fifo > 4096))
        perr(c, "console-test-fifo", "%s", "must be 1..4096 bytes (leave it out on real systems)");
    int len;
    const char *p = get_strings(c, node, "cpu-policy", &len);
    for (int off = 0; p && off < len; off += (int)strlen(p + off) + 1, s->nr_cpu_policy++)
        if (s->nr_cpu_policy < CFG_MAX_CPUS)
            s->cpu_policy[s->nr_cpu_policy] = parse_policy(c, p + off, true, "cpu-policy");
    int sub;
    fdt_for_each_subnode(sub, c->fdt, node)
        perr(c, fdt_get_name(c->fdt, sub, NULL), "unknown node (%s)", "hypervisor has none");
    c->path = NULL;
}

/* vcpu@N, in order from 0; @seen counts every vcpu node, also those past the limit. */
static void parse_vcpu(struct ctx *c, int node, struct cfg_vm *vm, unsigned *seen)
{
    static const char *const known[] = {"cpu", "period-us", "budget-us", "weight", NULL};
    const char *name = fdt_get_name(c->fdt, node, NULL);
    unsigned idx;
    char extra;
    if (sscanf(name, "vcpu@%u%c", &idx, &extra) != 1 || idx != *seen) {
        char msg[64];
        snprintf(msg, sizeof(msg), "expected vcpu@%u here (vcpu@0, vcpu@1, ... in order)", *seen);
        perr(c, name, "%s", msg);
    }
    (*seen)++;
    if (vm->nr_vcpus > EMV_MAX_VCPUS_PER_VM)
        return; /* counted; cfg_check reports the limit */
    struct cfg_vcpu *v = &vm->vcpus[vm->nr_vcpus++];
    v->weight = 256;
    c->path = name;
    check_props(c, node, known);
    uint64_t val;
    if (get_uint(c, node, "cpu", 1, &val))
        v->cpu = (uint32_t)val;
    else if (!fdt_getprop(c->fdt, node, "cpu", NULL))
        perr(c, "cpu", "missing (%s)", "the physical CPU this vCPU is pinned to");
    v->has_period = get_uint(c, node, "period-us", 1, &v->period_us);
    v->has_budget = get_uint(c, node, "budget-us", 1, &v->budget_us);
    if (get_uint(c, node, "weight", 1, &val))
        v->weight = (uint32_t)val;
    c->path = NULL;
}

static void parse_task(struct ctx *c, int node, struct cfg_vm *vm)
{
    static const char *const known[] = {"period-us",  "wcet-us",       "exec-us", "overrun-every",
                                        "overrun-us", "request-at-ms", NULL};
    char path[64];
    const char *tname = fdt_get_name(c->fdt, node, NULL);
    if (vm->nr_tasks > EMV_MAX_TASKS_PER_VM)
        return; /* counted; cfg_check reports the limit */
    unsigned t = vm->nr_tasks++;
    snprintf(vm->task_names[t], sizeof(vm->task_names[t]), "%s", tname);
    snprintf(path, sizeof(path), "tasks/%s", tname);
    c->path = path;
    check_props(c, node, known);
    if (!get_uint(c, node, "period-us", 1, &vm->tasks[t].period_us) &&
        !fdt_getprop(c->fdt, node, "period-us", NULL))
        perr(c, "period-us", "missing%s", "");
    if (!get_uint(c, node, "wcet-us", 1, &vm->tasks[t].wcet_us) &&
        !fdt_getprop(c->fdt, node, "wcet-us", NULL))
        perr(c, "wcet-us", "missing%s", "");
    struct cfg_task_run *r = &vm->task_run[t];
    r->has_exec = get_uint(c, node, "exec-us", 1, &r->exec_us);
    r->has_overrun_every = get_uint(c, node, "overrun-every", 1, &r->overrun_every);
    r->has_overrun_us = get_uint(c, node, "overrun-us", 1, &r->overrun_us);
    r->requested = get_uint(c, node, "request-at-ms", 1, &r->request_at_ms);
    if (fdt_first_subnode(c->fdt, node) >= 0)
        perr(c, fdt_get_name(c->fdt, fdt_first_subnode(c->fdt, node), NULL), "unknown node (%s)",
             "a task has none");
    c->path = NULL;
}

static void parse_tasks(struct ctx *c, int node, struct cfg_vm *vm)
{
    static const char *const known[] = {"policy", "run-for-ms", "request-period-us", NULL};
    char policy[16] = "edf";
    c->path = "tasks";
    check_props(c, node, known);
    get_string(c, node, "policy", policy, sizeof(policy));
    vm->has_run_for_ms = get_uint(c, node, "run-for-ms", 1, &vm->run_for_ms);
    vm->has_request_period = get_uint(c, node, "request-period-us", 1, &vm->request_period_us);
    vm->task_policy = parse_policy(c, policy, false, "policy");
    c->path = NULL;
    vm->has_tasks = true;
    int t;
    fdt_for_each_subnode(t, c->fdt, node) parse_task(c, t, vm);
}

/* /vms/<name>/settings: properties for the guest, kept as they are (cfg_check_settings). */
static void parse_settings(struct ctx *c, int node, struct cfg_vm *vm)
{
    vm->has_settings = true;
    int prop;
    fdt_for_each_property_offset(prop, c->fdt, node)
    {
        const char *name;
        int len;
        const void *val = fdt_getprop_by_offset(c->fdt, prop, &name, &len);
        if (vm->nr_settings++ > CFG_MAX_SETTINGS)
            continue; /* counted; cfg_check reports the limit */
        struct cfg_setting *st = &vm->settings[vm->nr_settings - 1];
        snprintf(st->name, sizeof(st->name), "%s", name);
        st->len = len >= 0 && len <= CFG_SETTING_MAX ? len : -1;
        if (st->len > 0)
            memcpy(st->val, val, (size_t)len);
    }
    c->path = "settings";
    int sub;
    fdt_for_each_subnode(sub, c->fdt, node)
        perr(c, fdt_get_name(c->fdt, sub, NULL), "unknown node (%s)", "settings has none");
    c->path = NULL;
}

/* Size of a readable regular file, -1 otherwise. */
static int64_t file_size(const char *path)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int r = fstat(fileno(f), &st);
    fclose(f);
    return r == 0 && S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1;
}

/* A file named by @prop: its name as written, the file to read (joined to --root), its size. */
static bool parse_file(struct ctx *c, int node, const char *prop, char *name, char *file_out,
                       int64_t *size)
{
    if (!get_string(c, node, prop, name, CFG_PATH_MAX))
        return false;
    bool rel = name[0] != '/' && c->root && strcmp(c->root, ".");
    char file[CFG_PATH_MAX];
    int n = snprintf(file, sizeof(file), "%s%s%s", rel ? c->root : "", rel ? "/" : "", name);
    memcpy(file_out, file, sizeof(file));
    *size = n < (int)sizeof(file) ? file_size(file) : -1;
    return true;
}

/* `image`, or `kernel` (a Linux Image, cfg_linux.c) with `initrd` and `bootargs`. */
static void parse_image(struct ctx *c, int node, struct cfg_vm *vm)
{
    bool image = parse_file(c, node, "image", vm->image, vm->image_file, &vm->image_size);
    if (fdt_getprop(c->fdt, node, "kernel", NULL) && image) {
        perr(c, "kernel", "%s", "give either `image` or `kernel`, not both");
        return;
    }
    vm->linux_kernel = parse_file(c, node, "kernel", vm->image, vm->image_file, &vm->image_size);
    if (vm->linux_kernel && vm->image_size >= 0)
        cfg_linux_read_header(vm->image_file, vm);
    parse_file(c, node, "initrd", vm->initrd, vm->initrd_file, &vm->initrd_size);
    vm->has_bootargs = get_string(c, node, "bootargs", vm->bootargs, sizeof(vm->bootargs));
}

static void parse_memory(struct ctx *c, int node, struct cfg_vm *vm)
{
    int len;
    const fdt32_t *mem = fdt_getprop(c->fdt, node, "memory", &len);
    if (mem && len == 16) {
        vm->has_memory = true;
        vm->ram_pa = ((uint64_t)fdt32_to_cpu(mem[0]) << 32) | fdt32_to_cpu(mem[1]);
        vm->ram_size = ((uint64_t)fdt32_to_cpu(mem[2]) << 32) | fdt32_to_cpu(mem[3]);
    } else if (mem) {
        char msg[96];
        snprintf(msg, sizeof(msg),
                 "expected <base-hi base-lo size-hi size-lo> (4 cells), got %d bytes", len);
        perr(c, "memory", "%s", msg);
    }
}

static void parse_devices(struct ctx *c, int node, struct cfg_vm *vm)
{
    int len;
    const char *devs = get_strings(c, node, "devices", &len);
    for (int off = 0; devs && off < len; off += (int)strlen(devs + off) + 1) {
        if (vm->nr_devs > EMV_MAX_DEVS_PER_VM)
            break; /* cfg_check reports the limit */
        snprintf(vm->devs[vm->nr_devs++], sizeof(vm->devs[0]), "%s", devs + off);
    }
}

static void parse_vm(struct ctx *c, int node, struct cfg_vm *vm)
{
    static const char *const known[] = {
        "image",       "memory",        "ipa",    "entry",  "bootarg",  "control", "devices",
        "dma-trusted", "fault-handler", "kernel", "initrd", "bootargs", NULL};
    cfg_vm_init(vm);
    snprintf(vm->name, sizeof(vm->name), "%s", fdt_get_name(c->fdt, node, NULL));
    c->vm = vm->name;
    c->path = NULL;
    check_props(c, node, known);
    parse_image(c, node, vm);
    parse_memory(c, node, vm);
    get_uint(c, node, "ipa", 2, &vm->ram_ipa);
    vm->has_entry = get_uint(c, node, "entry", 2, &vm->entry);
    vm->has_bootarg = get_uint(c, node, "bootarg", 0, &vm->bootarg);
    vm->control = get_flag(c, node, "control");
    vm->dma_trusted = get_flag(c, node, "dma-trusted");
    get_string(c, node, "fault-handler", vm->fault_handler, sizeof(vm->fault_handler));
    parse_devices(c, node, vm);
    unsigned vcpus_seen = 0;
    int sub;
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        const char *sname = fdt_get_name(c->fdt, sub, NULL);
        if (!strncmp(sname, "vcpu@", 5))
            parse_vcpu(c, sub, vm, &vcpus_seen);
        else if (!strcmp(sname, "tasks"))
            parse_tasks(c, sub, vm);
        else if (!strcmp(sname, "settings"))
            parse_settings(c, sub, vm);
        else
            perr(c, sname, "unknown node (%s)", "expected vcpu@N, tasks or settings");
    }
    c->vm = NULL;
}

static void parse_vms(struct ctx *c, int node, struct cfg_sys *s)
{
    if (fdt_first_property_offset(c->fdt, node) >= 0)
        perr(c, "vms", "has properties; %s", "it holds only one node per VM");
    int vmn;
    fdt_for_each_subnode(vmn, c->fdt, node)
    {
        if (s->nr_vms > EMV_MAX_VMS)
            break; /* cfg_check reports the limit */
        parse_vm(c, vmn, &s->vms[s->nr_vms++]);
    }
}

/* A string list into @out (at most @cap entries of @width bytes); returns how many were given. */
static unsigned get_list(const struct ctx *c, int node, const char *prop, char *out, unsigned cap,
                         size_t width)
{
    int len;
    unsigned n = 0;
    const char *p = get_strings(c, node, prop, &len);
    for (int off = 0; p && off < len; off += (int)strlen(p + off) + 1, n++)
        if (n < cap)
            snprintf(out + n * width, width, "%s", p + off);
    return n;
}

/* A region or channel has properties only; @what says which, for the message. */
static void no_subnodes(const struct ctx *c, int node, const char *what)
{
    int sub;
    fdt_for_each_subnode(sub, c->fdt, node)
        perr(c, fdt_get_name(c->fdt, sub, NULL), "unknown node (%s has none)", what);
}

static void parse_region(struct ctx *c, int node, struct cfg_shmem *r)
{
    static const char *const known[] = {"address", "size", "vms", "rights", NULL};
    char path[96];
    memset(r, 0, sizeof(*r));
    snprintf(r->name, sizeof(r->name), "%s", fdt_get_name(c->fdt, node, NULL));
    snprintf(path, sizeof(path), "shared-memory/%s", r->name);
    c->path = path;
    check_props(c, node, known);
    r->has_address = get_uint(c, node, "address", 2, &r->pa);
    r->has_size = get_uint(c, node, "size", 2, &r->size);
    r->nr_vms = get_list(c, node, "vms", r->vms[0], EMV_MAX_VMS + 1, sizeof(r->vms[0]));
    r->nr_rights = get_list(c, node, "rights", r->rights[0], EMV_MAX_VMS + 1, sizeof(r->rights[0]));
    no_subnodes(c, node, "a region");
    c->path = NULL;
}

/* A channel (@kind "channels") or a link ("links"): two VMs in `ends`. */
static void parse_channel(struct ctx *c, int node, struct cfg_chan *ch, const char *kind)
{
    static const char *const known[] = {"ends", NULL};
    char path[96];
    memset(ch, 0, sizeof(*ch));
    snprintf(ch->name, sizeof(ch->name), "%s", fdt_get_name(c->fdt, node, NULL));
    snprintf(path, sizeof(path), "%s/%s", kind, ch->name);
    c->path = path;
    check_props(c, node, known);
    ch->nr_ends = get_list(c, node, "ends", ch->ends[0], 3, sizeof(ch->ends[0]));
    no_subnodes(c, node, strcmp(kind, "links") ? "a channel" : "a link");
    c->path = NULL;
}

/* /links holds one node per link: two VMs that may bind event channels at run time. */
static void parse_links(struct ctx *c, int node, struct cfg_sys *s)
{
    if (fdt_first_property_offset(c->fdt, node) >= 0)
        perr(c, "links", "%s", "has properties; it holds only one node per link");
    int sub;
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        if (s->nr_links <= CFG_MAX_LINKS)
            parse_channel(c, sub, &s->links[s->nr_links], "links");
        s->nr_links++; /* cfg_check reports the limit */
    }
}

static void parse_endpoint(struct ctx *c, int node, struct cfg_ep *ep)
{
    static const char *const known[] = {"server", "clients", "passive", NULL};
    char path[96];
    memset(ep, 0, sizeof(*ep));
    snprintf(ep->name, sizeof(ep->name), "%s", fdt_get_name(c->fdt, node, NULL));
    snprintf(path, sizeof(path), "endpoints/%s", ep->name);
    c->path = path;
    check_props(c, node, known);
    get_string(c, node, "server", ep->server, sizeof(ep->server));
    ep->nr_clients =
        get_list(c, node, "clients", ep->clients[0], EMV_MAX_VMS + 1, sizeof(ep->clients[0]));
    ep->passive = fdt_getprop(c->fdt, node, "passive", NULL) != NULL;
    no_subnodes(c, node, "an endpoint");
    c->path = NULL;
}

static void parse_endpoints(struct ctx *c, int node, struct cfg_sys *s)
{
    if (fdt_first_property_offset(c->fdt, node) >= 0)
        perr(c, "endpoints", "%s", "has properties; it holds only one node per endpoint");
    int sub;
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        if (s->nr_eps <= EMV_MAX_EPS)
            parse_endpoint(c, sub, &s->eps[s->nr_eps]);
        s->nr_eps++; /* cfg_check reports the limit */
    }
}

/* /shared-memory and /channels hold one node per region or channel, nothing else. */
static void parse_objects(struct ctx *c, int node, struct cfg_sys *s, bool regions)
{
    const char *name = regions ? "shared-memory" : "channels";
    if (fdt_first_property_offset(c->fdt, node) >= 0)
        perr(c, name, "has properties; %s",
             regions ? "it holds only one node per region" : "it holds only one node per channel");
    int sub;
    fdt_for_each_subnode(sub, c->fdt, node)
    {
        if (regions && s->nr_shmem <= EMV_MAX_SHMEM)
            parse_region(c, sub, &s->shmem[s->nr_shmem]);
        else if (!regions && s->nr_chans <= CFG_MAX_CHANS)
            parse_channel(c, sub, &s->chans[s->nr_chans], "channels");
        *(regions ? &s->nr_shmem : &s->nr_chans) += 1; /* cfg_check reports the limit */
    }
}

static void parse_root(struct ctx *c, struct cfg_sys *s)
{
    static const char *const known[] = {"compatible", "platform", "#address-cells", "#size-cells",
                                        NULL};
    check_props(c, 0, known);
    if (!fdt_getprop(c->fdt, 0, "compatible", NULL))
        perr(c, "compatible", "missing (must be \"%s\")", COMPATIBLE);
    else if (fdt_node_check_compatible(c->fdt, 0, COMPATIBLE))
        perr(c, "compatible", "must be \"%s\"", COMPATIBLE);
    get_string(c, 0, "platform", s->platform, sizeof(s->platform));
    int node;
    fdt_for_each_subnode(node, c->fdt, 0)
    {
        const char *name = fdt_get_name(c->fdt, node, NULL);
        if (!strcmp(name, "hypervisor"))
            parse_hypervisor(c, node, s);
        else if (!strcmp(name, "vms"))
            parse_vms(c, node, s);
        else if (!strcmp(name, "shared-memory") || !strcmp(name, "channels"))
            parse_objects(c, node, s, !strcmp(name, "shared-memory"));
        else if (!strcmp(name, "endpoints"))
            parse_endpoints(c, node, s);
        else if (!strcmp(name, "links"))
            parse_links(c, node, s);
        else
            perr(c, name, "unknown node (%s)",
                 "expected hypervisor, vms, shared-memory, channels, endpoints or links");
    }
}

int cfg_parse(const void *fdt, size_t len, const char *root, struct cfg_sys *s, struct cfg_diag *d)
{
    unsigned before = d->errors;
    cfg_sys_init(s);
    /* fdt_check_full walks the whole structure block, so later reads stay inside @len. */
    int r = len < sizeof(struct fdt_header) ? -FDT_ERR_TRUNCATED : fdt_check_full(fdt, len);
    if (r) {
        cfg_error(d, NULL, "file", "not a valid device tree blob (%s)", fdt_strerror(r));
        return -1;
    }
    struct ctx c = {fdt, root, d, NULL, NULL};
    parse_root(&c, s);
    return (int)(d->errors - before);
}
