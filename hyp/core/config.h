/* SPDX-License-Identifier: MIT */
/**
 * config.h - the system description the hypervisor boots from.
 *
 * Generated at build time by the host config compiler (tools/emvcfg) from one file under
 * configs/, after every check has passed; the hypervisor never parses text. Plain data only,
 * so that the host tool and the hypervisor share this header.
 */
#ifndef EMV_CONFIG_H
#define EMV_CONFIG_H

#include <stdint.h>

#include "emv/hypercall.h"
#include "emv/objects.h"

#define EMV_NAME_MAX 16 /**< VM name, including the terminating NUL */
#define EMV_MAX_VMS 8
#define EMV_MAX_VCPUS_PER_VM 4
#define EMV_MAX_DEVS_PER_VM 8
#define EMV_MAX_TASKS_PER_VM 16
#define EMV_MAX_SHMEM 16 /**< shared-memory regions in one system */
#define EMV_MAX_EPS 16   /**< IPC endpoints in one system */

/** Per physical CPU scheduling (emv_sys_cfg.cpu_policy): the ABI's EMV_CPU_* values. */
#define EMV_CPU_POLICY_EDF EMV_CPU_EDF
#define EMV_CPU_POLICY_RM EMV_CPU_RM
#define EMV_CPU_POLICY_RR EMV_CPU_RR
#define EMV_CPU_POLICY_CREDIT EMV_CPU_CREDIT

/** VM flags. */
#define EMV_VM_F_CONTROL (1u << 0) /**< may use privileged hypercalls (budgets, system off) */
/**
 * May hold devices that master DMA (board.h PLAT_DEVICES). Stage 2 does not confine DMA, so such
 * a VM can write any physical memory; the hypervisor refuses to start a VM whose devices can
 * master DMA unless this flag says the config's author accepted that.
 */
#define EMV_VM_F_DMA_TRUSTED (1u << 1)
/**
 * Boots an arm64 Linux kernel Image (config `kernel`): entered with x0 = its device tree (the
 * boot information), vCPUs other than the first start powered off until PSCI CPU_ON, and the
 * VM has an emulated PL011 console at the board UART's address.
 */
#define EMV_VM_F_LINUX (1u << 2)

/** Scheduling class of a vCPU. */
#define EMV_SCHED_BE 0 /**< best effort (round robin / credit) */
#define EMV_SCHED_RT 1 /**< periodic server Gamma(period, budget) */
/** Passive: never scheduled on its own; runs only on a caller's time (IPC endpoint server) */
#define EMV_SCHED_PASSIVE 2

struct emv_vcpu_cfg {
    uint32_t pcpu;      /**< physical CPU this vCPU is pinned to */
    uint32_t sched;     /**< EMV_SCHED_* */
    uint64_t period_us; /**< periodic server period (EMV_SCHED_RT) */
    uint64_t budget_us; /**< periodic server budget (EMV_SCHED_RT) */
    uint32_t weight;    /**< best-effort weight (default 256) */
};

/** A board device passed through to a VM: identity-mapped MMIO. */
struct emv_dev_cfg {
    char name[EMV_NAME_MAX];
    uint64_t base;
    uint64_t size;
    uint32_t irq; /**< SPI INTID, 0 if none */
};

/** A declared periodic task of the guest, for the build-time schedulability check. */
struct emv_task_cfg {
    uint64_t period_us;
    uint64_t wcet_us;
};

/** A shared-memory region: physical memory outside every VM's RAM, mapped into the VMs the
 *  config names (their objects say where and with which rights). */
struct emv_shmem_cfg {
    char name[EMV_NAME_MAX];
    uint64_t pa;   /**< physical base, 4 KiB aligned */
    uint64_t size; /**< bytes, a multiple of 4 KiB */
};

/** One entry of a VM's object table (include/emv/objects.h). */
struct emv_obj_cfg {
    char name[EMV_NAME_MAX]; /**< the region's or channel's name in the config */
    uint32_t type;           /**< EMV_OBJ_* */
    uint32_t rights;         /**< EMV_RIGHT_* */
    uint32_t shmem;          /**< SHMEM: index into emv_sys_cfg.shmem */
    uint64_t ipa;            /**< SHMEM: where this VM sees the region */
    uint32_t peer_vm;        /**< EVTCHN: the other end's VM, index into emv_sys_cfg.vms */
    uint32_t peer_obj;       /**< EVTCHN: the other end's index in that VM's table */
    uint32_t endpoint;       /**< ENDPOINT: index into emv_sys_cfg.eps */
    uint32_t badge;          /**< ENDPOINT, a client's: what its server sees as the caller */
    uint32_t irq;            /**< DEVICE: its SPI INTID (0: none); `ipa`/`size`: its MMIO */
};

/** A synchronous IPC endpoint: the server VM (its vCPU 0) receives the clients' calls. */
struct emv_ep_cfg {
    char name[EMV_NAME_MAX];
    uint32_t server_vm; /**< index into emv_sys_cfg.vms */
    uint32_t passive;   /**< the server runs on its callers' time (EMV_SCHED_PASSIVE) */
};

struct emv_vm_cfg {
    char name[EMV_NAME_MAX];
    uint32_t flags;       /**< EMV_VM_F_* */
    uint64_t ram_ipa;     /**< guest-physical base of RAM */
    uint64_t ram_pa;      /**< physical base of RAM */
    uint64_t ram_size;    /**< bytes, multiple of 4 KiB */
    uint64_t entry_ipa;   /**< first instruction (default: ram_ipa) */
    uint64_t bootarg;     /**< passed to the guest in x1 (x0 = 0) */
    const uint8_t *image; /**< image bytes, linked into the hypervisor */
    uint64_t image_size;
    uint32_t nr_vcpus;
    struct emv_vcpu_cfg vcpus[EMV_MAX_VCPUS_PER_VM];
    uint32_t nr_devs;
    struct emv_dev_cfg devs[EMV_MAX_DEVS_PER_VM];
    uint32_t task_policy; /**< 0 = EDF, 1 = RM (rt.h enum rt_policy) */
    uint32_t nr_tasks;
    struct emv_task_cfg tasks[EMV_MAX_TASKS_PER_VM];
    uint32_t nr_objs;
    struct emv_obj_cfg objs[EMV_MAX_OBJS];
    /** Boot information: a device tree (the VM's id, name, memory and objects), copied to the
     *  end of the VM's RAM at start; its IPA is in x0 at entry. */
    const uint8_t *bootinfo;
    uint64_t bootinfo_size;
    /** A Linux VM's /chosen/rng-seed in the boot information: the value's offset and length
     *  (0: none). The hypervisor fills it with fresh bytes at each start (core/vmseed.c). */
    uint32_t rng_seed_off;
    uint32_t rng_seed_len;
    /** 1 + the index of the endpoint object its stage-2 faults are sent to as IPC calls
     *  (config `fault-handler`); 0: a fault stops the VM. */
    uint32_t fault_ep;
    /** EMV_VM_F_LINUX: the Image goes at ram_ipa + image_offset (its header's text_offset);
     *  the initramfs (if any) at initrd_ipa. */
    uint64_t image_offset;
    const uint8_t *initrd;
    uint64_t initrd_size;
    uint64_t initrd_ipa;
};

struct emv_sys_cfg {
    char name[32];              /**< the config's name (file stem) */
    uint64_t slice_us;          /**< round-robin time slice */
    uint64_t run_for_ms;        /**< 0: run forever; else report and power off after this long */
    uint32_t trace;             /**< record scheduling events, dump them in the report */
    uint32_t trace_exits;       /**< with trace: every guest exit too (el2_vectors_traced) */
    uint32_t console_test_fifo; /**< tests: console bytes per drain (a tiny UART FIFO); 0 off */
    uint64_t stats_every_ms;    /**< 0: off; else CPU 0 logs every CPU's counters this often */
    uint32_t cpu_policy[8];     /**< per physical CPU: EMV_CPU_POLICY_* */
    uint32_t nr_vms;
    const struct emv_vm_cfg *vms;
    uint32_t nr_shmem;
    const struct emv_shmem_cfg *shmem;
    uint32_t nr_eps;
    const struct emv_ep_cfg *eps;
};

/** The generated description (build/<config>/config.c). */
extern const struct emv_sys_cfg emv_config;

#endif
