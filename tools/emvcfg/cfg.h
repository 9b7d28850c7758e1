/* SPDX-License-Identifier: MIT */
/**
 * cfg.h - the config compiler's model of a system, between parsing (cfg_parse.c, libfdt),
 * checking (cfg_check.c, pure) and generation (cfg_gen.c).
 */
#ifndef EMVCFG_CFG_H
#define EMVCFG_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"

#define CFG_MAX_CPUS 8

struct cfg_vcpu {
    uint32_t cpu;
    bool has_period, has_budget;
    uint64_t period_us, budget_us;
    uint32_t weight;
};

struct cfg_vm {
    char name[64];
    char image[512];    /**< path; empty when the property is missing */
    int64_t image_size; /**< -1: file missing or unreadable */
    bool has_memory;
    uint64_t ram_pa, ram_size, ram_ipa, entry, bootarg;
    bool has_entry, control;
    unsigned nr_devs;
    char devs[EMV_MAX_DEVS_PER_VM + 1][EMV_NAME_MAX * 2];
    unsigned nr_vcpus;
    struct cfg_vcpu vcpus[EMV_MAX_VCPUS_PER_VM + 1];
    bool has_tasks;
    uint32_t task_policy; /**< 0 edf, 1 rm */
    unsigned nr_tasks;
    struct emv_task_cfg tasks[EMV_MAX_TASKS_PER_VM + 1];
};

struct cfg_sys {
    char platform[32];
    uint64_t slice_us, run_for_ms;
    bool trace;
    unsigned nr_cpu_policy;
    uint32_t cpu_policy[CFG_MAX_CPUS];
    unsigned nr_vms;
    struct cfg_vm vms[EMV_MAX_VMS + 1];
};

/** Where diagnostics go: @vm may be NULL for system-wide problems. */
struct cfg_diag {
    void (*report)(void *ctx, const char *vm, const char *field, const char *msg);
    void *ctx;
    unsigned errors;
};

void cfg_error(struct cfg_diag *d, const char *vm, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** Defaults for fields a config may omit. */
void cfg_sys_init(struct cfg_sys *s);
void cfg_vm_init(struct cfg_vm *vm);

/** Parse a DTB into @s. Returns the number of errors reported. */
unsigned cfg_parse(const void *fdt, struct cfg_sys *s, struct cfg_diag *d);

/** Every check; pure (no I/O). Returns the number of errors reported. */
unsigned cfg_check(const struct cfg_sys *s, struct cfg_diag *d);

/** Write the hypervisor's config.c and images.S. Returns 0 or -1 (errno set). */
int cfg_generate(const struct cfg_sys *s, const char *name, const char *out_c, const char *out_s,
                 const char *root);

#endif
