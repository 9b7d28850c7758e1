/* SPDX-License-Identifier: MIT */
/*
 * test_cfg_parse.c - the config parser (tools/emvcfg/cfg_parse.c) on device trees built in
 * memory with libfdt's sequential-write API: values land in the right fields, and typos,
 * wrong sizes and malformed values are reported with the VM and the field path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdt.h>

#include "board.h"
#include "cfg.h"

static char fdt[16384];
static char msgs[8192];
static struct cfg_sys sys;
static char img_dir[64], img_path[128]; /* a 100-byte image in a temporary directory */

static void collect(void *ctx, const char *vm, const char *field, const char *msg)
{
    (void)ctx;
    size_t n = strlen(msgs);
    snprintf(msgs + n, sizeof(msgs) - n, "vm '%s': %s: %s\n", vm ? vm : "-", field, msg);
}

/* ---- building a tree: each helper asserts that libfdt accepted the step ---- */

static void ok(int r)
{
    assert_int_equal(r, 0);
}

static void node(const char *name)
{
    ok(fdt_begin_node(fdt, name));
}

static void end(void)
{
    ok(fdt_end_node(fdt));
}

static void str(const char *name, const char *val)
{
    ok(fdt_property_string(fdt, name, val));
}

static void u32p(const char *name, uint32_t val)
{
    ok(fdt_property_u32(fdt, name, val));
}

static void u64p(const char *name, uint64_t val)
{
    ok(fdt_property_u64(fdt, name, val));
}

static void raw(const char *name, const void *val, int len)
{
    ok(fdt_property(fdt, name, val, len));
}

static void memory(uint64_t pa, uint64_t size)
{
    fdt32_t c[4] = {cpu_to_fdt32(pa >> 32), cpu_to_fdt32((uint32_t)pa), cpu_to_fdt32(size >> 32),
                    cpu_to_fdt32((uint32_t)size)};
    raw("memory", c, sizeof(c));
}

/* The root with its identity, up to the open /vms node. */
static void begin(void)
{
    ok(fdt_create(fdt, sizeof(fdt)));
    ok(fdt_finish_reservemap(fdt));
    node("");
    str("compatible", "emvisor,system-v1");
    str("platform", PLAT_NAME);
}

/* A VM node with image and memory, left open for more properties. */
static void vm_begin(const char *name, uint64_t pa)
{
    node(name);
    str("image", img_path);
    memory(pa, 0x1000000);
}

/* vcpu@0 pinned to @cpu (DT: a node's properties come before its subnodes). */
static void vcpu0(uint32_t cpu)
{
    node("vcpu@0");
    u32p("cpu", cpu);
    end();
}

/* Close /vms and the root, parse. Returns cfg_parse's result. */
static int parse(void)
{
    end(); /* vms */
    end(); /* root */
    ok(fdt_finish(fdt));
    struct cfg_diag d = {collect, NULL, 0};
    msgs[0] = '\0';
    return cfg_parse(fdt, sizeof(fdt), NULL, &sys, &d);
}

static void expect(int n, const char *want)
{
    int got = parse();
    if (got != n || !strstr(msgs, want))
        fail_msg("expected %d error(s) with \"%s\", got %d:\n%s", n, want, got, msgs);
}

/* One valid VM 'a': @props adds properties, @nodes subnodes after vcpu@0 (either may be NULL). */
static void one_vm(void (*props)(void), void (*nodes)(void))
{
    begin();
    node("vms");
    vm_begin("a", 0x48000000);
    if (props)
        props();
    vcpu0(0);
    if (nodes)
        nodes();
    end();
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(img_dir, sizeof(img_dir), "/tmp/test_cfg_parse.XXXXXX");
    if (!mkdtemp(img_dir))
        return -1;
    snprintf(img_path, sizeof(img_path), "%s/guest.bin", img_dir);
    FILE *f = fopen(img_path, "wb");
    if (!f)
        return -1;
    for (int i = 0; i < 100; i++)
        fputc(i, f);
    return fclose(f);
}

static int group_teardown(void **state)
{
    (void)state;
    unlink(img_path);
    return rmdir(img_dir);
}

/* ---- values ---- */

static void full_vm_props(void)
{
    u64p("ipa", 0x80000000);
    u64p("entry", 0x80000010);
    u64p("bootarg", 0x123456789ULL);
    raw("control", NULL, 0);
    raw("devices", "rtc\0gpio", 9);
}

static void full_vm_nodes(void)
{
    node("vcpu@0");
    u32p("cpu", 0);
    u32p("period-us", 10000);
    u32p("budget-us", 3000);
    end();
    node("vcpu@1");
    u32p("cpu", 2);
    u32p("weight", 512);
    end();
    node("tasks");
    str("policy", "rm");
    node("ctl");
    u32p("period-us", 20000);
    u32p("wcet-us", 1000);
    end();
    end();
}

static void test_values(void **s)
{
    (void)s;
    begin();
    node("hypervisor");
    u32p("slice-us", 5000);
    u32p("run-for-ms", 3000);
    raw("cpu-policy", "edf\0rm\0rr\0credit", 17);
    raw("trace", NULL, 0);
    raw("trace-exits", NULL, 0);
    u32p("console-test-fifo", 16);
    u32p("stats-every-ms", 2500);
    end();
    node("vms");
    vm_begin("a", 0x48000000);
    full_vm_props();
    full_vm_nodes();
    end();
    vm_begin("b", 0x49000000);
    vcpu0(1);
    end();
    assert_int_equal(parse(), 0);
    assert_int_equal(sys.slice_us, 5000);
    assert_int_equal(sys.run_for_ms, 3000);
    assert_true(sys.trace);
    assert_true(sys.trace_exits);
    assert_int_equal(sys.console_test_fifo, 16);
    assert_int_equal(sys.stats_every_ms, 2500);
    assert_int_equal(sys.nr_cpu_policy, 4);
    assert_int_equal(sys.cpu_policy[1], EMV_CPU_POLICY_RM);
    assert_int_equal(sys.cpu_policy[3], EMV_CPU_POLICY_CREDIT);
    assert_string_equal(sys.platform, PLAT_NAME);
    assert_int_equal(sys.nr_vms, 2);
    const struct cfg_vm *a = &sys.vms[0], *b = &sys.vms[1];
    assert_string_equal(a->name, "a");
    assert_int_equal(a->image_size, 100);
    assert_int_equal(a->ram_pa, 0x48000000);
    assert_int_equal(a->ram_size, 0x1000000);
    assert_int_equal(a->ram_ipa, 0x80000000);
    assert_true(a->has_entry);
    assert_int_equal(a->entry, 0x80000010);
    assert_int_equal(a->bootarg, 0x123456789ULL);
    assert_true(a->control);
    assert_int_equal(a->nr_devs, 2);
    assert_string_equal(a->devs[1], "gpio");
    assert_int_equal(a->nr_vcpus, 2);
    assert_true(a->vcpus[0].has_period && a->vcpus[0].has_budget);
    assert_int_equal(a->vcpus[0].period_us, 10000);
    assert_int_equal(a->vcpus[0].budget_us, 3000);
    assert_int_equal(a->vcpus[0].weight, 256);
    assert_int_equal(a->vcpus[1].cpu, 2);
    assert_false(a->vcpus[1].has_period || a->vcpus[1].has_budget);
    assert_int_equal(a->vcpus[1].weight, 512);
    assert_true(a->has_tasks);
    assert_int_equal(a->task_policy, 1);
    assert_int_equal(a->nr_tasks, 1);
    assert_string_equal(a->task_names[0], "ctl");
    assert_int_equal(a->tasks[0].wcet_us, 1000);
    /* Defaults. */
    assert_int_equal(b->ram_ipa, PLAT_GUEST_RAM_IPA);
    assert_false(b->has_entry || b->control || b->has_tasks);
    assert_int_equal(b->vcpus[0].weight, 256);
    assert_false(b->vcpus[0].has_period);
    /* And the whole system passes the checks. */
    struct cfg_diag d = {collect, NULL, 0};
    msgs[0] = '\0';
    if (cfg_check(&sys, &d))
        fail_msg("%s", msgs);
}

static void test_defaults(void **s)
{
    (void)s;
    one_vm(NULL, NULL);
    assert_int_equal(parse(), 0);
    assert_int_equal(sys.slice_us, 10000);
    assert_int_equal(sys.run_for_ms, 0);
    assert_int_equal(sys.nr_cpu_policy, 0);
    assert_int_equal(sys.console_test_fifo, 0);
    assert_int_equal(sys.stats_every_ms, 0);
}

static void hyp_u32(const char *prop, uint32_t n)
{
    begin();
    node("hypervisor");
    u32p(prop, n);
    end();
    node("vms");
    vm_begin("a", 0x48000000);
    vcpu0(0);
    end();
}

static void test_console_test_fifo_range(void **s)
{
    (void)s;
    hyp_u32("console-test-fifo", 0);
    expect(1, "hypervisor/console-test-fifo: must be 1..4096 bytes");
    hyp_u32("console-test-fifo", 4097);
    expect(1, "hypervisor/console-test-fifo: must be 1..4096 bytes");
    hyp_u32("console-test-fifo", 4096);
    assert_int_equal(parse(), 0);
}

static void test_stats_every_ms_range(void **s)
{
    (void)s;
    hyp_u32("stats-every-ms", 9);
    expect(1, "hypervisor/stats-every-ms: must be 10..3600000 ms");
    hyp_u32("stats-every-ms", 3600001);
    expect(1, "hypervisor/stats-every-ms: must be 10..3600000 ms");
    hyp_u32("stats-every-ms", 10);
    assert_int_equal(parse(), 0);
}

static void test_trace_exits_needs_trace(void **s)
{
    (void)s;
    begin();
    node("hypervisor");
    raw("trace-exits", NULL, 0);
    end();
    node("vms");
    vm_begin("a", 0x48000000);
    vcpu0(0);
    end();
    expect(1, "hypervisor/trace-exits: traces guest exits into the trace: needs `trace;` too");
}

/* ---- typos ---- */

static void test_unknown_vm_property(void **s)
{
    (void)s;
    begin();
    node("vms");
    node("a");
    str("image", img_path);
    raw("memroy", "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
    end();
    expect(1, "vm 'a': memroy: unknown property (known here: image, memory, ipa, entry, bootarg, "
              "control, devices, dma-trusted, fault-handler, kernel, initrd, bootargs)");
}

static void typo_vcpu(void)
{
    node("vcpu@1");
    u32p("cpu", 0);
    u32p("budget", 100);
    end();
}

static void test_unknown_vcpu_property(void **s)
{
    (void)s;
    one_vm(NULL, typo_vcpu);
    expect(1, "vm 'a': vcpu@1/budget: unknown property (known here: cpu, period-us, budget-us, "
              "weight)");
}

static void typo_node(void)
{
    node("vcpus");
    end();
}

static void test_unknown_nodes(void **s)
{
    (void)s;
    begin();
    node("hypervisor");
    u32p("slice_us", 100);
    node("sched");
    end();
    end();
    node("vm");
    end();
    node("vms");
    vm_begin("a", 0x48000000);
    vcpu0(0);
    typo_node();
    end();
    expect(4, "vm '-': hypervisor/slice_us: unknown property");
    assert_non_null(strstr(msgs, "vm '-': hypervisor/sched: unknown node"));
    assert_non_null(strstr(msgs, "vm '-': vm: unknown node (expected hypervisor, vms, "
                                 "shared-memory, channels, endpoints or links)"));
    assert_non_null(
        strstr(msgs, "vm 'a': vcpus: unknown node (expected vcpu@N, tasks or settings)"));
}

static void task_typo(void)
{
    node("tasks");
    str("polcy", "rm");
    node("t0");
    u32p("period-us", 1000);
    u32p("wcet", 10);
    end();
    end();
}

static void test_unknown_task_property(void **s)
{
    (void)s;
    one_vm(NULL, task_typo);
    expect(3, "vm 'a': tasks/polcy: unknown property");
    assert_non_null(strstr(msgs, "vm 'a': tasks/t0/wcet: unknown property"));
    assert_non_null(strstr(msgs, "vm 'a': tasks/t0/wcet-us: missing"));
}

/* ---- sizes and kinds ---- */

static void bad_sizes(void)
{
    u32p("ipa", 0x40000000);    /* needs two cells */
    u64p("bootarg", 1);         /* either is fine */
    str("entry", "0x40000000"); /* a string, not cells */
}

static void bad_vcpu_size(void)
{
    node("vcpu@1");
    u64p("cpu", 1); /* needs one cell */
    end();
}

static void test_wrong_sizes(void **s)
{
    (void)s;
    one_vm(bad_sizes, bad_vcpu_size);
    expect(3, "vm 'a': ipa: expected two cells <hi lo> (a 64-bit value), got 4 bytes");
    assert_non_null(strstr(msgs, "vm 'a': entry: expected two cells <hi lo>"));
    assert_non_null(strstr(msgs, "vm 'a': vcpu@1/cpu: expected one cell <n>, got 8 bytes"));
}

static void test_memory_three_cells(void **s)
{
    (void)s;
    begin();
    node("vms");
    node("a");
    str("image", img_path);
    fdt32_t c[3] = {0, cpu_to_fdt32(0x48000000), cpu_to_fdt32(0x1000000)};
    raw("memory", c, sizeof(c));
    end();
    expect(1, "vm 'a': memory: expected <base-hi base-lo size-hi size-lo> (4 cells), got 12 bytes");
    assert_false(sys.vms[0].has_memory);
}

static void flag_value(void)
{
    u32p("control", 0);
}

static void test_flag_with_value(void **s)
{
    (void)s;
    one_vm(flag_value, NULL);
    expect(1, "vm 'a': control: is a flag: write `control;` to set it");
    assert_false(sys.vms[0].control);
}

static void dma_trusted(void)
{
    raw("dma-trusted", NULL, 0);
}

static void dma_trusted_value(void)
{
    u32p("dma-trusted", 1);
}

static void dma_trusted_typo(void)
{
    raw("dma-trusetd", NULL, 0);
}

/* dma-trusted is a flag like control: `dma-trusted = <0>` would read as set, a typo as unset. */
static void test_dma_trusted(void **s)
{
    (void)s;
    one_vm(NULL, NULL);
    assert_int_equal(parse(), 0);
    assert_false(sys.vms[0].dma_trusted);
    one_vm(dma_trusted, NULL);
    assert_int_equal(parse(), 0);
    assert_true(sys.vms[0].dma_trusted);
    one_vm(dma_trusted_value, NULL);
    expect(1, "vm 'a': dma-trusted: is a flag: write `dma-trusted;` to set it");
    assert_false(sys.vms[0].dma_trusted);
    one_vm(dma_trusted_typo, NULL);
    expect(1, "vm 'a': dma-trusetd: unknown property (known here: image, memory, ipa, entry, "
              "bootarg, control, devices, dma-trusted, fault-handler, kernel, initrd, "
              "bootargs)");
    assert_false(sys.vms[0].dma_trusted);
}

static void devices_cells(void)
{
    u32p("devices", 1);
}

static void test_devices_not_strings(void **s)
{
    (void)s;
    one_vm(devices_cells, NULL);
    expect(1, "vm 'a': devices: expected a string or a list of strings");
}

static void odd_bootarg(void)
{
    raw("bootarg", "x", 1);
}

static void test_odd_bootarg(void **s)
{
    (void)s;
    one_vm(odd_bootarg, NULL);
    expect(1, "vm 'a': bootarg: expected one or two cells, got 1 bytes");
}

/* ---- policies ---- */

static void tasks_rr(void)
{
    node("tasks");
    str("policy", "rr");
    end();
}

static void test_bad_policies(void **s)
{
    (void)s;
    begin();
    node("hypervisor");
    raw("cpu-policy", "edf\0fifo", 9);
    end();
    node("vms");
    vm_begin("a", 0x48000000);
    vcpu0(0);
    tasks_rr();
    end();
    expect(2, "vm '-': hypervisor/cpu-policy: 'fifo' is not a policy (edf, rm, rr, credit)");
    assert_non_null(strstr(msgs, "vm 'a': tasks/policy: 'rr' is not a policy (edf, rm)"));
}

/* ---- vCPU nodes ---- */

static void test_vcpu_order(void **s)
{
    (void)s;
    begin();
    node("vms");
    node("a");
    str("image", img_path);
    memory(0x48000000, 0x1000000);
    node("vcpu@1");
    u32p("cpu", 0);
    end();
    node("vcpu@x");
    end();
    end();
    expect(3, "vm 'a': vcpu@1: expected vcpu@0 here (vcpu@0, vcpu@1, ... in order)");
    assert_non_null(strstr(msgs, "vm 'a': vcpu@x: expected vcpu@1 here"));
    assert_non_null(strstr(msgs, "vm 'a': vcpu@x/cpu: missing"));
}

static void five_vcpus(void)
{
    for (int k = 1; k < 5; k++) {
        char n[16];
        snprintf(n, sizeof(n), "vcpu@%d", k);
        node(n);
        u32p("cpu", 0);
        end();
    }
}

/* The parser keeps one vCPU over the limit so that the checker can name the limit. */
static void test_vcpus_over_limit(void **s)
{
    (void)s;
    one_vm(NULL, five_vcpus);
    assert_int_equal(parse(), 0);
    assert_int_equal(sys.vms[0].nr_vcpus, EMV_MAX_VCPUS_PER_VM + 1);
    struct cfg_diag d = {collect, NULL, 0};
    assert_int_equal(cfg_check(&sys, &d), 1);
    assert_non_null(strstr(msgs, "vm 'a': vcpu: more than 4 vCPUs"));
}

/* ---- shared memory and channels ---- */

/* VMs a and b, then /shared-memory with @regions, then /channels left open for parse(). */
static void objects(void (*regions)(void))
{
    begin();
    node("vms");
    vm_begin("a", 0x48000000);
    vcpu0(0);
    end();
    vm_begin("b", 0x49000000);
    vcpu0(1);
    end();
    end();
    node("shared-memory");
    if (regions)
        regions();
    end();
    node("channels");
}

static void ring_region(void)
{
    node("ring");
    u64p("address", 0x4f000000);
    u64p("size", 0x2000);
    raw("vms", "a\0b", 4);
    raw("rights", "rw\0ro", 6);
    end();
}

static void test_objects_values(void **s)
{
    (void)s;
    objects(ring_region);
    node("ping");
    raw("ends", "b\0a", 4);
    end();
    assert_int_equal(parse(), 0);
    assert_int_equal(sys.nr_shmem, 1);
    assert_string_equal(sys.shmem[0].name, "ring");
    assert_true(sys.shmem[0].has_address && sys.shmem[0].has_size);
    assert_int_equal(sys.shmem[0].pa, 0x4f000000);
    assert_int_equal(sys.shmem[0].size, 0x2000);
    assert_int_equal(sys.shmem[0].nr_vms, 2);
    assert_string_equal(sys.shmem[0].vms[1], "b");
    assert_int_equal(sys.shmem[0].nr_rights, 2);
    assert_string_equal(sys.shmem[0].rights[1], "ro");
    assert_int_equal(sys.nr_chans, 1);
    assert_string_equal(sys.chans[0].name, "ping");
    assert_int_equal(sys.chans[0].nr_ends, 2);
    assert_string_equal(sys.chans[0].ends[0], "b");
    struct cfg_diag d = {collect, NULL, 0};
    assert_int_equal(cfg_check(&sys, &d), 0);
}

static void typo_region(void)
{
    raw("count", "\0\0\0\1", 4);
    node("ring");
    u64p("adress", 0x4f000000);
    u32p("size", 0x1000);
    node("sub");
    end();
    end();
}

static void test_objects_typos(void **s)
{
    (void)s;
    objects(typo_region);
    raw("x", NULL, 0);
    node("ping");
    raw("end", "a\0b", 4);
    raw("ends", "a\0b", 4);
    end();
    expect(6, "vm '-': shared-memory/ring/adress: unknown property (known here: address, size, "
              "vms, rights)");
    assert_non_null(strstr(msgs, "vm '-': shared-memory: has properties; it holds only one node "
                                 "per region"));
    assert_non_null(strstr(msgs, "vm '-': shared-memory/ring/size: expected two cells"));
    assert_non_null(strstr(msgs, "vm '-': shared-memory/ring/sub: unknown node (a region has "
                                 "none)"));
    assert_non_null(strstr(msgs, "vm '-': channels: has properties; it holds only one node per "
                                 "channel"));
    assert_non_null(strstr(msgs, "vm '-': channels/ping/end: unknown property (known here: "
                                 "ends)"));
    assert_false(sys.shmem[0].has_address); /* the checker reports it missing */
    assert_int_equal(sys.chans[0].nr_ends, 2);
}

static void many_regions(void)
{
    for (unsigned i = 0; i < EMV_MAX_SHMEM + 3; i++) {
        char n[8];
        snprintf(n, sizeof(n), "r%u", i);
        node(n);
        end();
    }
}

/* Over the limits, the parser keeps one entry more and counts them all, for the checker. */
static void test_objects_over_limit(void **s)
{
    (void)s;
    objects(many_regions);
    node("ping");
    raw("ends", "a\0b\0a\0b", 8);
    end();
    assert_int_equal(parse(), 0);
    assert_int_equal(sys.nr_shmem, EMV_MAX_SHMEM + 3);
    assert_string_equal(sys.shmem[EMV_MAX_SHMEM].name, "r16");
    assert_int_equal(sys.chans[0].nr_ends, 4);
    assert_string_equal(sys.chans[0].ends[2], "a");
}

/* ---- the file itself ---- */

static void test_not_a_blob(void **s)
{
    (void)s;
    struct cfg_diag d = {collect, NULL, 0};
    msgs[0] = '\0';
    assert_int_equal(cfg_parse("garbage!", 8, NULL, &sys, &d), -1);
    assert_non_null(strstr(msgs, "vm '-': file: not a valid device tree blob"));
    one_vm(NULL, NULL);
    assert_int_equal(parse(), 0);
    msgs[0] = '\0';
    assert_int_equal(cfg_parse(fdt, fdt_totalsize(fdt) - 8, NULL, &sys, &d), -1); /* truncated */
}

static void test_identity(void **s)
{
    (void)s;
    ok(fdt_create(fdt, sizeof(fdt)));
    ok(fdt_finish_reservemap(fdt));
    node("");
    str("compatible", "xen,dom0less");
    node("vms");
    expect(1, "vm '-': compatible: must be \"emvisor,system-v1\"");
    assert_string_equal(sys.platform, ""); /* cfg_check says "platform: missing" */
}

/* Relative image paths are joined to the root; a missing file reads as size -1. */
static void test_image_root(void **s)
{
    (void)s;
    begin();
    node("vms");
    node("a");
    str("image", "guest.bin");
    end();
    node("b");
    str("image", "missing.bin");
    end();
    end();
    end();
    ok(fdt_finish(fdt));
    struct cfg_diag d = {collect, NULL, 0};
    assert_int_equal(cfg_parse(fdt, sizeof(fdt), img_dir, &sys, &d), 0);
    assert_int_equal(sys.vms[0].image_size, 100);
    assert_string_equal(sys.vms[0].image, "guest.bin");
    assert_string_equal(sys.vms[0].image_file, img_path);
    assert_int_equal(sys.vms[1].image_size, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_console_test_fifo_range),
        cmocka_unit_test(test_stats_every_ms_range),
        cmocka_unit_test(test_trace_exits_needs_trace),
        cmocka_unit_test(test_unknown_vm_property),
        cmocka_unit_test(test_unknown_vcpu_property),
        cmocka_unit_test(test_unknown_nodes),
        cmocka_unit_test(test_unknown_task_property),
        cmocka_unit_test(test_wrong_sizes),
        cmocka_unit_test(test_memory_three_cells),
        cmocka_unit_test(test_flag_with_value),
        cmocka_unit_test(test_dma_trusted),
        cmocka_unit_test(test_devices_not_strings),
        cmocka_unit_test(test_odd_bootarg),
        cmocka_unit_test(test_bad_policies),
        cmocka_unit_test(test_vcpu_order),
        cmocka_unit_test(test_vcpus_over_limit),
        cmocka_unit_test(test_objects_values),
        cmocka_unit_test(test_objects_typos),
        cmocka_unit_test(test_objects_over_limit),
        cmocka_unit_test(test_not_a_blob),
        cmocka_unit_test(test_identity),
        cmocka_unit_test(test_image_root),
    };
    return cmocka_run_group_tests_name("emvcfg parser", tests, group_setup, group_teardown);
}
