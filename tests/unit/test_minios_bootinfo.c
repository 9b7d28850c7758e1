/* SPDX-License-Identifier: MIT */
/*
 * test_minios_bootinfo.c - minios's reading of the boot information: the checked device-tree
 * reader (hyp/lib/fdtread.c) and the task set (guests/minios/taskset.c), the very files
 * the guest links. Blobs come from emvcfg's own writer (tools/emvcfg/cfg_bootinfo.c), so
 * writer and reader are tested against each other, and from libfdt for the malformed ones.
 * Built with AddressSanitizer: every damaged or truncated blob must be refused or read
 * without one byte read outside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libfdt.h>

#include "cfg.h"
#include "guestcfg.h"
#include "taskset.h"

static uint8_t blob[CFG_BOOTINFO_MAX];
static struct cfg_sys sys;

static struct cfg_vm *one_vm(void)
{
    cfg_sys_init(&sys);
    sys.nr_vms = 1;
    struct cfg_vm *vm = &sys.vms[0];
    cfg_vm_init(vm);
    snprintf(vm->name, sizeof(vm->name), "rt");
    vm->ram_size = 0x1000000;
    return vm;
}

static void add_task(struct cfg_vm *vm, const char *name, uint64_t period, uint64_t wcet)
{
    vm->has_tasks = true;
    snprintf(vm->task_names[vm->nr_tasks], sizeof(vm->task_names[0]), "%s", name);
    vm->tasks[vm->nr_tasks++] = (struct emv_task_cfg){period, wcet};
}

/* emvcfg's boot information of the VM, read by minios. */
static const char *read_emvcfg(struct mos_taskset *ts)
{
    int n = cfg_bootinfo(&sys, 0, blob, sizeof(blob));
    assert_true(n > 0);
    struct fdt_blob f;
    assert_int_equal(fdt_blob_init(&f, blob, (uint64_t)n), 0);
    return mos_taskset_read(&f, ts);
}

static void test_round_trip(void **s)
{
    (void)s;
    struct cfg_vm *vm = one_vm();
    vm->task_policy = 1;
    vm->has_run_for_ms = true;
    vm->run_for_ms = 5000;
    add_task(vm, "t5", 5000, 500);
    add_task(vm, "over20", 20000, 2000);
    add_task(vm, "extra", 20000, 4000);
    vm->task_run[0] = (struct cfg_task_run){.has_exec = true, .exec_us = 123};
    vm->task_run[1] = (struct cfg_task_run){
        .has_overrun_every = true, .overrun_every = 10, .has_overrun_us = true, .overrun_us = 6000};
    vm->task_run[2] = (struct cfg_task_run){.requested = true, .request_at_ms = 1000};
    struct mos_taskset ts;
    assert_null(read_emvcfg(&ts));
    assert_int_equal(ts.policy, MOS_RM);
    assert_int_equal(ts.run_for_ms, 5000);
    assert_int_equal(ts.request_period_us, 0);
    assert_int_equal(ts.n, 3);
    const struct mos_taskdef *t = ts.task;
    assert_string_equal(t[0].name, "t5");
    assert_int_equal(t[0].period_us, 5000);
    assert_int_equal(t[0].wcet_us, 500);
    assert_int_equal(t[0].exec_us, 123);
    assert_int_equal(t[0].overrun_every, 0);
    assert_false(t[0].requested);
    assert_string_equal(t[1].name, "over20");
    assert_int_equal(t[1].exec_us, 1600); /* emvcfg's default: 4/5 of the WCET */
    assert_int_equal(t[1].overrun_every, 10);
    assert_int_equal(t[1].overrun_us, 6000);
    assert_string_equal(t[2].name, "extra");
    assert_true(t[2].requested);
    assert_int_equal(t[2].request_at_ms, 1000);
    assert_int_equal(t[2].wcet_us, 4000);

    vm->task_policy = 0;
    vm->has_run_for_ms = false;
    vm->has_request_period = true;
    vm->request_period_us = 2000;
    assert_null(read_emvcfg(&ts));
    assert_int_equal(ts.policy, MOS_EDF);
    assert_int_equal(ts.run_for_ms, 0); /* not given: forever */
    assert_int_equal(ts.request_period_us, 2000);
}

static void test_no_tasks(void **s)
{
    (void)s;
    one_vm();
    struct mos_taskset ts;
    const char *e = read_emvcfg(&ts);
    assert_non_null(e);
    assert_non_null(strstr(e, "no tasks"));
    assert_int_equal(ts.n, 0);
    struct fdt_blob none;
    assert_int_equal(fdt_blob_init(&none, NULL, 0), -1); /* a VM without boot information */
    assert_non_null(mos_taskset_read(&none, &ts));
}

static void test_too_many(void **s)
{
    (void)s;
    struct cfg_vm *vm = one_vm();
    char name[8];
    for (unsigned i = 0; i <= MOS_MAX_TASKS; i++) {
        snprintf(name, sizeof(name), "t%u", i);
        add_task(vm, name, 100000, 100);
    }
    struct mos_taskset ts;
    const char *e = read_emvcfg(&ts);
    assert_non_null(e);
    assert_non_null(strstr(e, "more tasks than minios holds"));
    assert_string_equal(ts.bad, "t8");
    vm->nr_tasks = MOS_MAX_TASKS;
    assert_null(read_emvcfg(&ts));
    assert_int_equal(ts.n, MOS_MAX_TASKS);
}

/* Settings go from the config to the guest as they are: flags, one and two cells. */
static void test_settings(void **s)
{
    (void)s;
    struct cfg_vm *vm = one_vm();
    vm->has_settings = true;
    vm->settings[0] = (struct cfg_setting){"tick-ms", 4, {0, 0, 0, 20}};
    vm->settings[1] = (struct cfg_setting){"busy", 0, {0}};
    vm->settings[2] = (struct cfg_setting){"big", 8, {0, 0, 0, 1, 0, 0, 0, 2}};
    vm->settings[3] = (struct cfg_setting){"name", 3, {'a', 'b', 0}};
    vm->nr_settings = 4;
    int n = cfg_bootinfo(&sys, 0, blob, sizeof(blob));
    assert_true(n > 0);
    struct fdt_blob f;
    assert_int_equal(fdt_blob_init(&f, blob, (uint64_t)n), 0);
    uint64_t v = 0;
    assert_int_equal(mos_settings_get(&f, "tick-ms", &v), 1);
    assert_int_equal(v, 20);
    assert_int_equal(mos_settings_get(&f, "busy", &v), 1);
    assert_int_equal(v, 1);
    assert_int_equal(mos_settings_get(&f, "big", &v), 1);
    assert_int_equal(v, 0x100000002ULL);
    assert_int_equal(mos_settings_get(&f, "name", &v), -1); /* not a number */
    assert_int_equal(mos_settings_get(&f, "print-every", &v), 0);
    static const char *const all[] = {"tick-ms", "busy", "big", "name", NULL};
    static const char *const some[] = {"tick-ms", "busy", NULL};
    assert_null(mos_settings_unknown(&f, all));
    assert_string_equal(mos_settings_unknown(&f, some), "big");
    assert_int_equal(mos_settings_get(&f, "vm-id", &v), 0); /* only /emvisor/settings counts */
    vm->has_settings = false;
    n = cfg_bootinfo(&sys, 0, blob, sizeof(blob));
    assert_int_equal(fdt_blob_init(&f, blob, (uint64_t)n), 0);
    assert_null(mos_settings_unknown(&f, some));
    assert_int_equal(mos_settings_get(&f, "tick-ms", &v), 0);
}

/* ---- hand-made blobs: /emvisor/tasks with one task of the given properties ---- */

struct prop {
    const char *name;
    int len; /* 4: one cell @v; 8: two cells; -1: the string @str */
    uint32_t v;
    const char *str;
};

static size_t make(const char *policy, const char *task, const struct prop *props, size_t n)
{
    assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
    fdt_finish_reservemap(blob);
    fdt_begin_node(blob, "");
    fdt_begin_node(blob, "emvisor");
    fdt_begin_node(blob, "tasks");
    if (policy)
        fdt_property_string(blob, "policy", policy);
    fdt_begin_node(blob, task);
    for (size_t i = 0; i < n; i++) {
        if (props[i].len == 4)
            fdt_property_u32(blob, props[i].name, props[i].v);
        else if (props[i].len == 8)
            fdt_property_u64(blob, props[i].name, props[i].v);
        else
            fdt_property_string(blob, props[i].name, props[i].str);
    }
    fdt_end_node(blob);
    fdt_end_node(blob);
    fdt_end_node(blob);
    fdt_end_node(blob);
    assert_int_equal(fdt_finish(blob), 0);
    return fdt_totalsize(blob);
}

static const char *read_made(size_t size, struct mos_taskset *ts)
{
    struct fdt_blob f;
    assert_int_equal(fdt_blob_init(&f, blob, size), 0);
    return mos_taskset_read(&f, ts);
}

/* The task @props is refused with a message containing @want. */
static void refused(const char *policy, const char *task, const struct prop *props, size_t n,
                    const char *want)
{
    struct mos_taskset ts;
    const char *e = read_made(make(policy, task, props, n), &ts);
    if (!e || !strstr(e, want))
        fail_msg("task %s: expected \"%s\", got \"%s\"", task, want, e ? e : "(accepted)");
    assert_int_equal(ts.n, 0);
}

#define P(name, v)                                                                                 \
    {                                                                                              \
        name, 4, v, NULL                                                                           \
    }

static void test_bad_values(void **s)
{
    (void)s;
    struct mos_taskset ts;
    const struct prop good[] = {P("period-us", 10000), P("wcet-us", 1000), P("exec-us", 800)};
    assert_null(read_made(make("edf", "t", good, 3), &ts));
    assert_int_equal(ts.n, 1);

    const struct prop no_exec[] = {P("period-us", 10000), P("wcet-us", 1000)};
    refused("edf", "t", no_exec, 2, "lacks period-us, wcet-us or exec-us");
    const struct prop zero_period[] = {P("period-us", 0), P("wcet-us", 0), P("exec-us", 1)};
    refused("edf", "t", zero_period, 3, "0 < wcet-us <= period-us");
    const struct prop wcet_big[] = {P("period-us", 1000), P("wcet-us", 2000), P("exec-us", 100)};
    refused("edf", "t", wcet_big, 3, "0 < wcet-us <= period-us");
    const struct prop exec_big[] = {P("period-us", 1000), P("wcet-us", 500), P("exec-us", 501)};
    refused("edf", "t", exec_big, 3, "0 < exec-us <= wcet-us");
    const struct prop half_overrun[] = {P("period-us", 1000), P("wcet-us", 500), P("exec-us", 400),
                                        P("overrun-every", 10)};
    refused("edf", "t", half_overrun, 4, "only one of overrun-every and overrun-us");
    const struct prop two_cells[] = {
        {"period-us", 8, 10000, NULL}, P("wcet-us", 500), P("exec-us", 400)};
    refused("edf", "t", two_cells, 3, "not one cell");
    refused("fifo", "t", good, 3, "policy is neither");
    refused(NULL, "t", good, 3, "no policy");
    refused("edf", "a-very-long-name", good, 3, "longer than 15 characters");
    const struct prop requested[] = {P("period-us", 10000), P("wcet-us", 1000), P("exec-us", 800),
                                     P("request-at-ms", 5)};
    refused("edf", "t", requested, 4, "no task starts at boot");
    const struct prop string_period[] = {
        {"period-us", -1, 0, "10000"}, P("wcet-us", 1000), P("exec-us", 800)};
    refused("edf", "t", string_period, 3, "not one cell");
}

/* Every truncation is refused by the header check; every damaged byte is read safely. */
static void test_damaged(void **s)
{
    (void)s;
    struct cfg_vm *vm = one_vm();
    add_task(vm, "t10", 10000, 1000);
    add_task(vm, "t20", 20000, 3000);
    vm->has_run_for_ms = true;
    vm->run_for_ms = 2000;
    int n = cfg_bootinfo(&sys, 0, blob, sizeof(blob));
    assert_true(n > 0);
    struct fdt_blob f;
    struct mos_taskset ts;
    for (int len = 0; len < n; len++) {
        uint8_t *copy = malloc((size_t)len + 1); /* exact size: ASan sees any overread */
        memcpy(copy, blob, (size_t)len);
        assert_int_equal(fdt_blob_init(&f, copy, (uint64_t)len), -1);
        assert_non_null(mos_taskset_read(&f, &ts));
        free(copy);
    }
    static const uint8_t pokes[] = {0x00, 0x01, 0x02, 0x03, 0x09, 0x7f, 0xff};
    unsigned accepted = 0, refused_ = 0;
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof(pokes); k++) {
            uint8_t *copy = malloc((size_t)n);
            memcpy(copy, blob, (size_t)n);
            copy[i] = pokes[k];
            if (fdt_blob_init(&f, copy, (uint64_t)n) == 0 && !mos_taskset_read(&f, &ts)) {
                accepted++;
                assert_true(ts.n >= 1 && ts.n <= MOS_MAX_TASKS);
                for (unsigned t = 0; t < ts.n; t++) /* whatever was read is runnable */
                    assert_true(ts.task[t].wcet_us && ts.task[t].wcet_us <= ts.task[t].period_us &&
                                ts.task[t].exec_us && ts.task[t].exec_us <= ts.task[t].wcet_us);
            } else {
                refused_++;
            }
            free(copy);
        }
    assert_true(accepted > 0 && refused_ > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_no_tasks),
        cmocka_unit_test(test_too_many),   cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_damaged),    cmocka_unit_test(test_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
