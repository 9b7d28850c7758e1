/* SPDX-License-Identifier: MIT */
/*
 * cfg_tasks.c - what a VM's declared tasks do at run time: the execution times, overruns,
 * requests to the control VM and run time that the boot information hands the guest
 * (cfg_bootinfo.c), and the cross-check that a VM running the real-time guest has a task set
 * that guest can hold. Pure: no I/O, no libfdt (cfg_check.c runs it with every other check).
 * The analysis itself is check_tasks in cfg_check.c.
 */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "emv/admit.h"
#include "rtsched.h" /* MOS_MAX_TASKS: what minios, and so rtguest, can hold */

#define ULL(x) ((unsigned long long)(x))
#define RTGUEST "rtguest.bin"

uint64_t cfg_task_exec_us(const struct cfg_vm *vm, unsigned t)
{
    const struct cfg_task_run *r = &vm->task_run[t];
    return r->has_exec ? r->exec_us : vm->tasks[t].wcet_us - vm->tasks[t].wcet_us / 5;
}

bool cfg_vm_runs_rtguest(const struct cfg_vm *vm)
{
    const char *base = strrchr(vm->image, '/');
    return !strcmp(base ? base + 1 : vm->image, RTGUEST);
}

static bool has_control_vm(const struct cfg_sys *s)
{
    for (unsigned i = 0; i < s->nr_vms && i < EMV_MAX_VMS; i++)
        if (s->vms[i].control)
            return true;
    return false;
}

/* Does @vm have its admission ring: a channel admit-<vm> with the control VM at one end and
 * @vm at the other, and a region admbuf-<vm> (docs/config.md, admission clients)? */
static bool has_admit_pair(const struct cfg_sys *s, const struct cfg_vm *vm)
{
    char ch[80], buf[80];
    snprintf(ch, sizeof(ch), "admit-%s", vm->name);
    snprintf(buf, sizeof(buf), "admbuf-%s", vm->name);
    bool chan = false, region = false;
    for (unsigned i = 0; i < s->nr_chans && i <= CFG_MAX_CHANS; i++)
        chan |= !strcmp(s->chans[i].name, ch);
    for (unsigned i = 0; i < s->nr_shmem && i <= EMV_MAX_SHMEM; i++)
        region |= !strcmp(s->shmem[i].name, buf);
    return chan && region;
}

static void check_one(const struct cfg_vm *vm, unsigned t, struct cfg_diag *d)
{
    const struct cfg_task_run *r = &vm->task_run[t];
    const struct emv_task_cfg *tk = &vm->tasks[t];
    char f[64];
    const char *n = vm->task_names[t];
    snprintf(f, sizeof(f), "tasks/%s", n);
    if (!cfg_valid_obj_name(n))
        cfg_error(d, vm->name, f,
                  "task names are 1..15 characters of [a-z0-9_-] (the guest "
                  "names its tasks by them)");
    if (r->has_exec && (!r->exec_us || (tk->wcet_us && r->exec_us > tk->wcet_us)))
        cfg_error(d, vm->name, f,
                  "need 0 < exec-us (%llu) <= wcet-us (%llu): a job running longer than its WCET "
                  "breaks the analysis (to overrun on purpose: overrun-every, overrun-us)",
                  ULL(r->exec_us), ULL(tk->wcet_us));
    if (r->has_overrun_every != r->has_overrun_us)
        cfg_error(d, vm->name, f,
                  "overrun-every and overrun-us go together (every n-th job runs "
                  "overrun-us instead of exec-us)");
    else if (r->has_overrun_every && (!r->overrun_every || !r->overrun_us))
        cfg_error(d, vm->name, f, "overrun-every and overrun-us must not be 0");
    if (r->requested && vm->has_run_for_ms && r->request_at_ms >= vm->run_for_ms)
        cfg_error(d, vm->name, f,
                  "request-at-ms (%llu) is not inside the run (run-for-ms %llu): it would never "
                  "be asked for",
                  ULL(r->request_at_ms), ULL(vm->run_for_ms));
}

void cfg_check_task_run(const struct cfg_sys *s, unsigned v, struct cfg_diag *d)
{
    const struct cfg_vm *vm = &s->vms[v];
    if (cfg_vm_runs_rtguest(vm) && vm->has_bootarg)
        cfg_error(d, vm->name, "bootarg",
                  "the real-time guest (%s) takes no bootarg: it runs what its tasks node says "
                  "(policy, run-for-ms, request-period-us, the tasks; docs/config.md)",
                  RTGUEST);
    if (cfg_vm_runs_rtguest(vm) && !vm->has_tasks) {
        cfg_error(d, vm->name, "tasks",
                  "missing: the real-time guest (%s) runs the tasks its config declares, and "
                  "this VM declares none",
                  RTGUEST);
        return;
    }
    if (!vm->has_tasks || vm->nr_tasks > EMV_MAX_TASKS_PER_VM)
        return; /* the limit is reported by check_tasks */
    if (cfg_vm_runs_rtguest(vm) && vm->nr_tasks > MOS_MAX_TASKS)
        cfg_error(d, vm->name, "tasks",
                  "%u tasks (those requested at run time included), but the real-time guest "
                  "holds at most %d",
                  vm->nr_tasks, MOS_MAX_TASKS);
    unsigned at_boot = 0, requested = 0;
    for (unsigned t = 0; t < vm->nr_tasks; t++) {
        check_one(vm, t, d);
        at_boot += !vm->task_run[t].requested;
        requested += vm->task_run[t].requested;
    }
    if (vm->nr_tasks && !at_boot)
        cfg_error(d, vm->name, "tasks",
                  "every task has request-at-ms: at least one must start "
                  "at boot");
    if (vm->has_request_period) {
        if (vm->request_period_us < EMV_ADMIT_MIN_PERIOD_US ||
            vm->request_period_us > EMV_ADMIT_MAX_PERIOD_US)
            cfg_error(d, vm->name, "tasks/request-period-us", "%llu is outside %llu..%llu",
                      ULL(vm->request_period_us), ULL(EMV_ADMIT_MIN_PERIOD_US),
                      ULL(EMV_ADMIT_MAX_PERIOD_US));
        if (vm->nr_vcpus && (vm->vcpus[0].has_period || vm->vcpus[0].has_budget))
            cfg_error(d, vm->name, "tasks/request-period-us",
                      "vcpu@0 is a real-time server already; request-period-us asks the control "
                      "VM for one at run time (keep one of the two)");
    }
    if ((vm->has_request_period || requested) && !has_control_vm(s))
        cfg_error(d, vm->name, "tasks",
                  "asks the control VM at run time (%s), but no VM is marked control",
                  vm->has_request_period ? "request-period-us" : "request-at-ms");
    else if ((vm->has_request_period || requested) && !has_admit_pair(s, vm))
        cfg_error(d, vm->name, "tasks",
                  "asks the control VM at run time (%s), but has no admission ring: give it a "
                  "channel admit-%s with the control VM and a region admbuf-%s (docs/config.md)",
                  vm->has_request_period ? "request-period-us" : "request-at-ms", vm->name,
                  vm->name);
}
