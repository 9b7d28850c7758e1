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
/** Channels in one system: every end is an object, so more cannot fit the VMs' tables. */
#define CFG_MAX_CHANS (EMV_MAX_VMS * EMV_MAX_OBJS / 2)
/** Links in one system: one per pair of VMs at most. */
#define CFG_MAX_LINKS (EMV_MAX_VMS * (EMV_MAX_VMS - 1) / 2)

struct cfg_vcpu {
    uint32_t cpu; /**< physical CPU */
    bool has_period, has_budget;
    uint64_t period_us, budget_us;
    uint32_t weight; /**< best-effort weight, default 256 */
};

/** What a task does in the guest beyond the analysis's model (docs/config.md, tasks). */
struct cfg_task_run {
    bool has_exec, has_overrun_every, has_overrun_us, requested;
    uint64_t exec_us;       /**< each job's execution time; default cfg_task_exec_us */
    uint64_t overrun_every; /**< every overrun_every-th job executes overrun_us instead */
    uint64_t overrun_us;
    uint64_t request_at_ms; /**< requested: asked of the control VM at run time, not at boot */
};

/** A guest setting (/vms/<name>/settings/<prop>): copied as is into the boot information. */
#define CFG_MAX_SETTINGS 16
#define CFG_SETTING_MAX 64 /**< bytes of one value */
struct cfg_setting {
    char name[32];
    int len; /**< bytes of value: 0 a flag, 4 or 8 a number, else a string; -1 bad */
    uint8_t val[CFG_SETTING_MAX];
};

struct cfg_vm {
    char name[64];
    char image[CFG_PATH_MAX];      /**< as written in the config; empty when missing */
    char image_file[CFG_PATH_MAX]; /**< the file to read: image joined to --root */
    int64_t image_size;            /**< bytes; -1: file missing or unreadable */
    bool has_memory;
    uint64_t ram_pa, ram_size, ram_ipa, entry, bootarg;
    bool has_entry, control;
    bool dma_trusted;       /**< may hold devices that master DMA (board.h), past stage 2 */
    char fault_handler[64]; /**< the endpoint its faults are sent to; "" none */
    unsigned nr_devs;
    char devs[EMV_MAX_DEVS_PER_VM + 1][EMV_NAME_MAX * 2];
    unsigned nr_vcpus;
    struct cfg_vcpu vcpus[EMV_MAX_VCPUS_PER_VM + 1];
    bool has_tasks;
    uint32_t task_policy; /**< 0 edf, 1 rm (enum rt_policy) */
    unsigned nr_tasks;
    struct emv_task_cfg tasks[EMV_MAX_TASKS_PER_VM + 1];
    char task_names[EMV_MAX_TASKS_PER_VM + 1][32]; /**< node names, for messages */
    struct cfg_task_run task_run[EMV_MAX_TASKS_PER_VM + 1];
    bool has_run_for_ms, has_request_period;
    uint64_t run_for_ms;        /**< tasks/run-for-ms: how long the guest runs its tasks */
    uint64_t request_period_us; /**< tasks/request-period-us: asks to become a server */
    bool has_bootarg;
    bool has_settings;
    unsigned nr_settings; /**< given; only the first CFG_MAX_SETTINGS + 1 are kept */
    struct cfg_setting settings[CFG_MAX_SETTINGS + 1];
    /* A Linux VM (config `kernel`, cfg_linux.c): `image` holds the kernel Image. */
    bool linux_kernel;
    bool kernel_header_ok;                                 /**< the arm64 Image magic is there */
    uint64_t text_offset, kernel_image_size, kernel_flags; /**< from the Image header */
    char initrd[CFG_PATH_MAX], initrd_file[CFG_PATH_MAX];
    int64_t initrd_size; /**< bytes; -1: missing or unreadable (when `initrd` is given) */
    bool has_bootargs;
    char bootargs[1024];
};

/** A shared-memory region (/shared-memory/<name>); `vms` and `rights` pair up by position. */
struct cfg_shmem {
    char name[64];
    bool has_address, has_size;
    uint64_t pa, size;
    unsigned nr_vms, nr_rights; /**< entries given; only the first EMV_MAX_VMS + 1 are kept */
    char vms[EMV_MAX_VMS + 1][64];
    char rights[EMV_MAX_VMS + 1][16]; /**< "rw" or "ro" when valid */
};

/** An event channel (/channels/<name>) between the two VMs of `ends`; also a link
 *  (/links/<name>): two VMs that may bind event channels with each other at run time. */
struct cfg_chan {
    char name[64];
    unsigned nr_ends; /**< entries given (0: missing); only the first three are kept */
    char ends[3][64];
};

/** An IPC endpoint (/endpoints/<name>): `server` receives, `clients` call. */
struct cfg_ep {
    char name[64];
    char server[64]; /**< "" when missing */
    unsigned nr_clients;
    char clients[EMV_MAX_VMS + 1][64];
    bool passive;
};

struct cfg_sys {
    char platform[32];
    uint64_t slice_us, run_for_ms;
    uint64_t console_test_fifo; /**< 0: off; tests only (see docs/config.md) */
    uint64_t stats_every_ms;    /**< 0: off; else CPU 0 prints the CPUs' counters this often */
    bool trace;
    bool trace_exits;       /**< trace every guest exit too (needs trace) */
    unsigned nr_cpu_policy; /**< entries given, may exceed CFG_MAX_CPUS (only those are kept) */
    unsigned nr_cpus;       /**< CPUs the system is built for (emvcfg --cpus); 0: the board's */
    uint32_t cpu_policy[CFG_MAX_CPUS];
    unsigned nr_vms;
    struct cfg_vm vms[EMV_MAX_VMS + 1];
    unsigned nr_shmem;
    struct cfg_shmem shmem[EMV_MAX_SHMEM + 1];
    unsigned nr_chans;
    struct cfg_chan chans[CFG_MAX_CHANS + 1];
    unsigned nr_eps;
    struct cfg_ep eps[EMV_MAX_EPS + 1];
    unsigned nr_links;
    struct cfg_chan links[CFG_MAX_LINKS + 1];
};

/** One entry of a VM's object table as the tool computes it (emv_obj_cfg + what docs need). */
struct cfg_obj {
    const char *name;
    uint32_t type;   /**< EMV_OBJ_* */
    uint32_t rights; /**< EMV_RIGHT_*; 0 when the config's right is invalid */
    uint32_t shmem;  /**< SHMEM: index into cfg_sys.shmem */
    uint64_t ipa, size;
    uint32_t peer_vm, peer_obj; /**< EVTCHN; ENDPOINT: peer_vm is the server; VM: peer_vm */
    uint32_t endpoint, badge;   /**< ENDPOINT */
    uint32_t irq;               /**< DEVICE (ipa, size: its MMIO, IPA == PA) */
};

/** A device of the board, as board.h's PLAT_DEVICES describes it (one table for the tool). */
enum cfg_owner { HYP, GUEST };
enum cfg_dma { NO_DMA, DMA };
struct cfg_board_dev {
    const char *name;
    uint64_t base, size;
    uint32_t irq;
    enum cfg_owner owner;
    enum cfg_dma dma;
};
extern const struct cfg_board_dev cfg_board_devs[];
extern const size_t cfg_nr_board_devs;
/** The board device named @name, NULL if the board has none. */
const struct cfg_board_dev *cfg_board_dev(const char *name);

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

/* [a, a+as) and [b, b+bs) overlap; sizes are non-zero and do not wrap (checked first). */
static inline bool cfg_overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
    return a < b + bs && b < a + as;
}

/** Index of the VM named @name in @s, -1 if none. */
int cfg_vm_index(const struct cfg_sys *s, const char *name);

/** What a VM object's name is: this, then the VM's name ("vm-alpha"). */
#define CFG_VM_OBJ_PREFIX "vm-"

/**
 * VM @v's object table in ABI order: the regions naming it (config order), then its channel
 * ends (config order), then its endpoints (config order), then its devices (config order),
 * then the control role if it has it, then a VM object for each VM it controls or is linked
 * with (config order of those VMs). Tolerant of a broken config (unknown
 * names are skipped), so the checker can size things before every error is fixed. Stores at most
 * @max entries in @objs and returns how many there are (more than @max: the VM is over its limit).
 */
unsigned cfg_objects(const struct cfg_sys *s, unsigned v, struct cfg_obj *objs, unsigned max);

/** Does a link join VMs @a and @b (names; either order)? */
bool cfg_linked(const struct cfg_sys *s, const char *a, const char *b);

/** Is @vm the server of a passive endpoint (its vCPU runs only on its callers' time)? */
bool cfg_vm_passive(const struct cfg_sys *s, const char *vm);

/** The index of @vm's fault-handler endpoint in its table @objs (@n entries), -1 if none. */
int cfg_fault_ep(const struct cfg_vm *vm, const struct cfg_obj *objs, unsigned n);

/** A task's execution time in the guest: exec-us, or 4/5 of its WCET when not given. */
uint64_t cfg_task_exec_us(const struct cfg_vm *vm, unsigned t);

/** Does @vm run the real-time guest (build/guests/rtguest.bin), which runs its tasks? */
bool cfg_vm_runs_rtguest(const struct cfg_vm *vm);

/** The checks on what a VM's tasks do at run time and on the guests that run them. */
void cfg_check_task_run(const struct cfg_sys *s, unsigned v, struct cfg_diag *d);

/** The checks on a VM's settings: names, values, and what its guest reads (settings.h). */
void cfg_check_settings(const struct cfg_vm *vm, struct cfg_diag *d);

/** Room for any VM's boot information (at most EMV_MAX_OBJS objects). */
#define CFG_BOOTINFO_MAX 16384
/** Bytes of /chosen/rng-seed in a Linux VM's device tree (filled by the hypervisor). */
#define CFG_RNG_SEED_BYTES 64

/**
 * Write VM @v's boot information (docs/abi.md) into @buf of @size bytes with libfdt's
 * sequential-write API. Returns its size in bytes, or -1 when @size is too small.
 */
int cfg_bootinfo(const struct cfg_sys *s, unsigned v, void *buf, size_t size);
/** The offset of the /chosen/rng-seed value in a Linux VM's built device tree (0: none). */
uint32_t cfg_linux_rng_seed_off(const void *blob);

/** The shared-memory regions and event channels: every check of docs/config.md on them. */
void cfg_check_objects(const struct cfg_sys *s, struct cfg_diag *d);

/**
 * Physical [@pa, @pa + @size) inside the board's RAM and clear of the hypervisor's memory,
 * each problem reported under @vm / @field. False when it is outside RAM.
 */
bool cfg_check_phys(struct cfg_diag *d, const char *vm, const char *field, uint64_t pa,
                    uint64_t size);

/** Report every board device sharing a 4 KiB page with [@pa, @pa + @size). */
void cfg_check_clear_of_devices(struct cfg_diag *d, const char *vm, const char *field, uint64_t pa,
                                uint64_t size);

/** Is @n usable as a VM, region or channel name (1..15 characters of [a-z0-9_-])? */
bool cfg_valid_obj_name(const char *n);

/** Is @name usable as emv_sys_cfg.name (1..31 characters of [A-Za-z0-9_.-])? */
bool cfg_valid_sys_name(const char *name);

/** Where a Linux VM's parts go in its RAM (IPAs; 0 initrd: none). */
struct cfg_linux_layout {
    uint64_t kernel, kernel_end; /**< the Image and the memory its header says it needs */
    uint64_t initrd, initrd_end;
    uint64_t dtb_room; /**< from here to the end of RAM: the device tree (boot information) */
};
/** Read the arm64 Image header of @file into @vm (-1: unreadable or too short). */
int cfg_linux_read_header(const char *file, struct cfg_vm *vm);
void cfg_linux_layout(const struct cfg_vm *vm, struct cfg_linux_layout *l);
/** The checks of a VM's `kernel`, `initrd` and `bootargs` (and that others do not use them). */
void cfg_check_linux(const struct cfg_vm *vm, bool ram_ok, struct cfg_diag *d);
/** The Linux device tree's properties of the root node (written before any node). */
int cfg_linux_root_props(void *fdt, const struct cfg_vm *vm);
/** The Linux device tree's nodes, written inside the root node of @fdt (sequential write). */
int cfg_linux_nodes(void *fdt, const struct cfg_vm *vm);

#endif
