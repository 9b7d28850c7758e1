/* SPDX-License-Identifier: MIT */
/**
 * cfg.h - the config compiler's model of a system, between parsing (cfg_parse.c, libfdt),
 * checking (cfg_check.c, pure) and generation (cfg_gen.c).
 *
 * The arrays hold one element more than the hypervisor's limits: the parser stores up to
 * limit + 1 entries, so the checker (not the parser) sees that a limit was exceeded and says so.
 */
#ifndef EMVCFG_CFG_H
#define EMVCFG_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"

/** Entries of emv_sys_cfg.cpu_policy. */
#define CFG_MAX_CPUS (sizeof(((struct emv_sys_cfg *)0)->cpu_policy) / sizeof(uint32_t))
#define CFG_PATH_MAX 512

struct cfg_vcpu {
    uint32_t cpu; /**< physical CPU */
    bool has_period, has_budget;
    uint64_t period_us, budget_us;
    uint32_t weight; /**< best-effort weight, default 256 */
};

struct cfg_vm {
    char name[64];
    char image[CFG_PATH_MAX];      /**< as written in the config; empty when missing */
    char image_file[CFG_PATH_MAX]; /**< the file to read: image joined to --root */
    int64_t image_size;            /**< bytes; -1: file missing or unreadable */
    bool has_memory;
    uint64_t ram_pa, ram_size, ram_ipa, entry, bootarg;
    bool has_entry, control;
    bool dma_trusted; /**< may hold devices that master DMA (board.h), past stage 2 */
    unsigned nr_devs;
    char devs[EMV_MAX_DEVS_PER_VM + 1][EMV_NAME_MAX * 2];
    unsigned nr_vcpus;
    struct cfg_vcpu vcpus[EMV_MAX_VCPUS_PER_VM + 1];
    bool has_tasks;
    uint32_t task_policy; /**< 0 edf, 1 rm (enum rt_policy) */
    unsigned nr_tasks;
    struct emv_task_cfg tasks[EMV_MAX_TASKS_PER_VM + 1];
    char task_names[EMV_MAX_TASKS_PER_VM + 1][32]; /**< node names, for messages */
};

struct cfg_sys {
    char platform[32];
    uint64_t slice_us, run_for_ms;
    uint64_t console_test_fifo; /**< 0: off; tests only (see docs/config.md) */
    bool trace;
    unsigned nr_cpu_policy; /**< entries given, may exceed CFG_MAX_CPUS (only those are kept) */
    uint32_t cpu_policy[CFG_MAX_CPUS];
    unsigned nr_vms;
    struct cfg_vm vms[EMV_MAX_VMS + 1];
};

/** Where diagnostics go: @vm is NULL for system-wide problems; @field names what is wrong. */
struct cfg_diag {
    void (*report)(void *ctx, const char *vm, const char *field, const char *msg);
    void *ctx;
    unsigned errors;
};

/** Count one error and hand the formatted message to @d->report. */
void cfg_error(struct cfg_diag *d, const char *vm, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** Defaults for the fields a config may omit. */
void cfg_sys_init(struct cfg_sys *s);
/** Defaults of one VM (ipa, no image yet). */
void cfg_vm_init(struct cfg_vm *vm);

/**
 * Parse the DTB @fdt of @len bytes into @s; image paths are relative to @root (NULL: the
 * current directory) and their sizes are read here. Returns the number of errors reported
 * (the struct is filled as far as possible, so cfg_check can still find the rest), or -1 when
 * @fdt is not a device tree blob at all (reported; then there is nothing to check).
 */
int cfg_parse(const void *fdt, size_t len, const char *root, struct cfg_sys *s, struct cfg_diag *d);

/** Every check; pure (no I/O, no libfdt). Returns the number of errors reported. */
unsigned cfg_check(const struct cfg_sys *s, struct cfg_diag *d);

/**
 * Write the hypervisor's config tables (@out_c) and the guest-image blob (@out_s) for a
 * checked @s, naming the system @name. Returns 0, or -1 with errno set and nothing left behind.
 */
int cfg_generate(const struct cfg_sys *s, const char *name, const char *out_c, const char *out_s);

/** Is @name usable as emv_sys_cfg.name (1..31 characters of [A-Za-z0-9_.-])? */
bool cfg_valid_sys_name(const char *name);

#endif
