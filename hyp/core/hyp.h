/* SPDX-License-Identifier: MIT */
/**
 * hyp.h - the hypervisor's core objects: VMs, vCPUs, physical CPUs. No hardware here;
 * the architecture part of each object is its `arch` member (arch/aarch64/vcpu_arch.h),
 * manipulated only through the `*_arch_*` hooks declared at the end.
 */
#ifndef EMV_HYP_H
#define EMV_HYP_H

#include "board.h"
#include "core/config.h"
#include "core/hc_decode.h"
#include "core/sched/policy.h"
#include "core/vgic.h"
#include "core/vmreset.h"
#include "core/vpl011.h"
#include "emv/hypercall.h"
#include "emv/types.h"
#include "arch_cpu.h"
#include "asm_defs.h"
#include "s2pt.h"
#include "spinlock.h"
#include "vcpu_arch.h"

#define HYP_MAX_VCPUS (EMV_MAX_VMS * EMV_MAX_VCPUS_PER_VM)
#define VM_MAX_MMIO 4
#define FRAME_REGS 34 /* x0..x30, elr, spsr, pad: see asm_defs.h */

/** VCPU_IPC: waiting in synchronous IPC (for a reply, or a server for a call); only the IPC
 *  partner wakes it, never an interrupt or a deadline. */
enum vcpu_state { VCPU_RUNNABLE, VCPU_RUNNING, VCPU_BLOCKED, VCPU_STOPPED, VCPU_IPC };

/** A vCPU's part in synchronous IPC (core/ipc.c). */
struct vcpu_ipc {
    uint64_t in[6];          /**< x0..x5 to load at its next return to the guest */
    bool in_ready;           /**< @in holds a message or reply (applied by trap_exit) */
    bool wake;               /**< another CPU ended its VCPU_IPC wait (own CPU acts on it) */
    bool passive;            /**< never scheduled on its own: runs on a caller's time */
    bool fault;              /**< its call is a fault sent to its VM's fault handler */
    uint64_t msg[4];         /**< a queued call's message */
    uint32_t badge;          /**< a queued call's badge */
    struct vcpu *next;       /**< endpoint queue link */
    struct vcpu *donor;      /**< passive server: the caller whose time it runs on */
    struct vcpu *donated_to; /**< caller: the passive server running on its time */
    /** Waits for the busy passive server of this endpoint (ipc.c) without leaving its CPU's
     *  policy: whenever it is chosen to run, its time runs the server (ipc_lend). */
    struct endpoint *waits;
};

struct vcpu;
typedef int (*mmio_fn)(struct vcpu *v, void *ctx, struct mmio_access *a);

struct mmio_region {
    ipa_t base;
    uint64_t size;
    mmio_fn fn;
    void *ctx;
};

/** Why a vCPU left the guest for the hypervisor (an exit), counted per vCPU and traced. */
enum exit_kind {
    EXIT_IRQ,    /**< a physical interrupt (timer, console, device, kick) */
    EXIT_WFX,    /**< WFI (blocks until an interrupt) or WFE */
    EXIT_HVC,    /**< hypercall or PSCI */
    EXIT_SMC,    /**< SMC, trapped */
    EXIT_SYSREG, /**< trapped system register (SGI, set/way, debug, PMU) */
    EXIT_MMIO,   /**< data abort at stage 2: an emulated device (GIC, PL011) or a fault */
    EXIT_IABT,   /**< instruction fetch abort at stage 2 */
    EXIT_FP,     /**< first FP/SIMD use since the vCPU was switched in */
    EXIT_OTHER,
    EXIT_KINDS
};
extern const char *const exit_kind_names[EXIT_KINDS];

/** Per-vCPU counters, printed in the report. */
struct vcpu_stats {
    uint64_t timer_irqs;  /**< virtual timer interrupts injected */
    uint64_t hypercalls;  /**< not counting the fast path's (ipc_fast) */
    uint64_t setway_ops;  /**< trapped DC ISW/CSW/CISW (arch/aarch64/vsysreg.c) */
    uint64_t switches_in; /**< times scheduled in */
    uint64_t ipc_fast;    /**< its IPC calls and replies that took the fast path (ipc.c) */
    uint64_t ipc_queued;  /**< its IPC calls that found the server busy and waited in line */
    uint32_t ran_on;      /**< bit c: was switched in on physical CPU c (checks pinning) */
    ns_t runtime_ns;
    /* Hypervisor time a server lost per period: interrupt entries taken while it ran and
     * the switch that brought it in (measured entry to exit, see sched.c). */
    ns_t ovh_acc_ns, ovh_max_ns;
    uint64_t ovh_repl; /**< se.replenishments when ovh_acc_ns started */
};

/** A scheduling interface installed by the control VM, applied by the vCPU's own CPU. */
struct sched_change {
    spinlock_t lock; /**< the control VM's CPU writes, the vCPU's CPU reads: never torn */
    bool pending;
    ns_t period_ns, budget_ns;
};

struct vcpu {
    struct vm *vm;
    unsigned id;   /**< index inside its VM */
    unsigned pcpu; /**< pinned physical CPU */
    volatile enum vcpu_state state;
    uint64_t regs[FRAME_REGS] __attribute__((aligned(16))); /**< trap frame (vectors.S) */
    ns_t wake_at; /**< BLOCKED: wake at this time (0: only on an interrupt) */
    ns_t ran_since;
    uint64_t tr_repl, tr_exh; /* budget counters already traced */
    bool sched_gone; /**< out of its CPU's policy (own CPU only): stopped, or a passive server that
                        started */
    struct sched_entity se;
    struct sched_change change;
    struct vgic_cpu vgic;
    struct vcpu_stats stats;
    struct vcpu_arch arch;
    struct vcpu_ipc ipc;           /* after arch: asm_defs.h offsets into arch stay put */
    uint32_t power;                /**< enum vpsci_power: PSCI CPU_ON / CPU_OFF (vpsci.c) */
    uint64_t on_entry, on_context; /**< CPU_ON's entry point and x0, while VPSCI_PENDING */
    uint32_t on_ticket;            /**< CPU_ON's run of the VM (vmreset_cpu_on_ticket) */
    bool park_pending; /**< its VM restarts: its own CPU powers it off (sched.c: parks_due) */
    bool loading;      /**< vCPU 0 of a restarting VM: loads the VM's memory on its own time */
    uint64_t exits[EXIT_KINDS]; /**< guest exits by enum exit_kind, while tracing */
};

enum vm_state { VM_RUNNING, VM_STOPPED };

struct vm {
    vmid_t id; /**< 1..; also the stage-2 VMID */
    const struct emv_vm_cfg *cfg;
    const char *name;
    volatile enum vm_state state;
    bool stop_claimed;    /**< vm_stop: the first caller writes the reason, once */
    unsigned restarts;    /**< by its fault handler or PSCI SYSTEM_RESET */
    struct vmreset reset; /**< a restart in progress (vmreset.h) */
    char restart_why[80];
    char stop_reason[160];
    struct s2pt s2;
    struct guest_ram ram;
    struct mmio_region mmio[VM_MAX_MMIO];
    unsigned nr_mmio;
    struct vgic_dist vgicd;
    spinlock_t vgic_lock; /**< serialises register emulation by this VM's vCPUs (any CPU) */
    unsigned nr_vcpus;
    struct vcpu *vcpus[EMV_MAX_VCPUS_PER_VM];
    spinlock_t port_lock;  /**< its event-channel ports (core/evport.h), any CPU */
    spinlock_t grant_lock; /**< its grant table and grant window (core/grant.h), any CPU */
    spinlock_t con_lock;   /**< serialises its vCPUs' console writes (con_line, con_len) */
    char con_line[120];
    unsigned con_len;
    struct vpl011 uart; /**< EMV_VM_F_LINUX: its emulated console (vpl011.c) */
    spinlock_t uart_lock;
};

struct pcpu {
    unsigned id;
    volatile bool online;
    struct vcpu *current;
    struct runq rq;
    const struct sched_policy *policy;
    bool need_resched;
    bool yielded;
    ns_t budget_end;      /**< when the running server's budget runs out (0: not limited by it) */
    bool changes_pending; /**< some vCPU here has a new interface to apply */
    bool stops_pending;   /**< some vCPU here belongs to a VM stopped since (vm_stop) */
    bool parks_pending;   /**< some vCPU here belongs to a VM restarting since (vm_restart) */
    bool kick_sent;       /**< a kick SGI to this CPU is outstanding (at most one) */
    bool kick_resched;    /**< a kick asked this CPU for a scheduling pass */
    struct {
        uint64_t decisions, decision_cycles, decision_cycles_max;
        uint64_t enforcements, enforce_late_ns, enforce_late_max_ns;
        uint64_t kicks;        /**< kick SGIs taken */
        uint64_t kicks_server; /**< of those, taken while a periodic server ran */
        uint64_t el2_insns;    /**< instructions executed at EL2, idling not included */
        ns_t idle_ns;          /**< time spent waiting for an interrupt, no vCPU to run */
    } stats;
    uint32_t el2_last;    /**< arch_el2_insns() when stats.el2_insns was last brought up to date */
    uint64_t entry_ticks; /**< counter when the current trap entered (C side) */
    struct vcpu *entry_vcpu;
    bool entry_irq;
    ns_t out_ns; /**< when entry_vcpu was switched out during this entry (0: it was not) */
    unsigned nr_vcpus;
    struct vcpu *vcpus[HYP_MAX_VCPUS]; /**< every vCPU pinned here */
    uint64_t idle_entries;
    /** The vCPU whose scheduling context (budget, period) this CPU runs: current, or the
     *  caller whose time a passive server (current) runs on. */
    struct vcpu *ctx;
    /* While tracing: the exit being handled (traced on the way back to a guest, with the
     * hypervisor time it took less any idle time in it, stats.idle_ns). */
    struct vcpu *exit_vcpu;
    unsigned exit_kind;
    ns_t exit_at, exit_idle_ns; /**< exit_idle_ns: stats.idle_ns when the exit came */
};

extern struct pcpu pcpus[PLAT_MAX_CPUS];
extern struct vm vms[EMV_MAX_VMS];
extern unsigned nr_vms;

/* core/console.c */
void hyp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_init(uint32_t test_fifo); /**< UART transmit interrupt on; 0 = no test limit */
void console_irq(void);                /**< the UART's transmit interrupt */
void console_sync(void);               /**< flush; from now on writes wait for the UART */
void console_report(void);             /**< the console's report lines */
ns_t console_poll(ns_t now);           /**< CONSOLE_CPU, each decision: next call due by */
extern ns_t console_throttled_until;   /**< console_poll has work only while this is set */
#define CONSOLE_CPU 0                  /**< takes the UART's transmit interrupt */
void hyp_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
int vm_console_write(struct vm *vm, ipa_t buf, uint64_t len);
void vm_console_putc(struct vm *vm, char c);    /**< one character of @vm's console output */
void vpl011_attach(struct vm *vm);              /**< an emulated PL011 for a Linux VM */
void vpl011_input_init(void);                   /**< console input to the first Linux VM */
void vpl011_input(char c);                      /**< a byte from the host console */
void vpsci_handle(struct vcpu *v, uint64_t *x); /**< a PSCI call (vpsci_is_call(x[0])) */
void sched_power_off(struct vcpu *v);           /**< PSCI CPU_OFF of @v, current here */

/** Has anything been raised for @v that is not yet in a list register (vgic_arch_flush)? */
static inline bool virq_raised(const struct vcpu *v)
{
    uint64_t any = 0;
    for (unsigned w = 0; w < VGIC_WORDS; w++)
        any |= __atomic_load_n(&v->vgic.pending[w], __ATOMIC_ACQUIRE);
    return any != 0;
}

/* core/guest_mem.c: guest memory is reached only through these (range checked per copy) */
int copy_from_guest(const struct vm *vm, void *dst, ipa_t src, uint64_t len);
int copy_to_guest(const struct vm *vm, ipa_t dst, const void *src, uint64_t len);

/* core/evtchn.c */
void evtchn_init(unsigned nr);
void evtchn_vm_up(struct vm *vm);
void evtchn_vm_down(struct vm *vm); /**< its run-time ports closed, peers' ends unbound */
int evtchn_notify(struct vm *vm, const struct hc_call *c);                /**< NOTIFY, decoded */
uint64_t evtchn_poll(struct vm *vm);                                      /**< POLL */
int64_t evtchn_call(struct vm *vm, const struct hc_call *c, uint64_t *x); /**< MASK, ALLOC... */
/** The VM the port a decoded call names is joined to (GRANT_*): 0 and *@peer, or -EMV_EINVAL */
int evtchn_peer(struct vm *vm, const struct hc_call *c, unsigned *peer);
void evtchn_report(void);

/* core/vm.c */
/** Start @vm afresh (docs/architecture.md, "Restarting a VM"): any CPU; a restart in
 *  progress absorbs the call. The reason completes "restarted by ...". */
void vm_restart(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vm_restart_parked(struct vm *vm); /**< sched.c: the last vCPU of @vm is parked */
bool vm_restart_step(struct vcpu *v);  /**< sched.c: one piece of @v's VM's memory (v current) */
struct vcpu *vm_device_irq_target(irq_t irq); /**< where a device's interrupt goes, or 0 */
int vm_create_all(const struct emv_sys_cfg *cfg);
void vm_stop(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vm_mmio_register(struct vm *vm, ipa_t base, uint64_t size, mmio_fn fn, void *ctx);
const struct mmio_region *vm_mmio_find(const struct vm *vm, ipa_t ipa);
void system_report_and_off(const char *why) __attribute__((noreturn));

/* core/sched/sched.c */
/** This CPU's struct pcpu (one system register read). */
static inline struct pcpu *this_pcpu(void)
{
    return arch_cpu_local();
}
void sched_init_cpu(struct pcpu *p);
void sched_add_vcpu(struct vcpu *v);
void sched_release_all(void);
void sched_start(void);
/** Leave the boot path for the scheduler on this CPU: runs guests from here on. */
void sched_go(void) __attribute__((noreturn));
void sched_tick(void);
void sched_yield(struct vcpu *v);
void sched_block(struct vcpu *v, ns_t deadline);
void sched_wake(struct vcpu *v);
void sched_kick(struct vcpu *v);
void sched_notify(struct vcpu *v);
void sched_resched_self(void);
void sched_ipc_block(struct vcpu *v);    /**< @v (current here) waits in IPC */
void sched_ipc_wake(struct vcpu *v);     /**< end @v's IPC wait, from any CPU */
void sched_exec_switch(struct vcpu *to); /**< run @to in this CPU's current context (donation) */
void sched_reload_current(void);         /**< the current vCPU's state was reset: load it */

/* core/ipc.c */
void ipc_init(void);
void ipc_call(struct vcpu *v, const struct emv_obj_cfg *ep, const uint64_t *x);
void ipc_reply_recv(struct vcpu *v, const struct emv_obj_cfg *ep, const uint64_t *x);
bool ipc_apply(struct vcpu *v, uint64_t *frame); /**< load a message/reply; false: resched */
/** The IPC fast path for @v's HVC #0 with registers @x (x[0] = EMV_HC_IPC_CALL, or
 *  EMV_HC_IPC_REPLY_RECV): done, the vCPU to switch to (sched_ipc_switch); 0: not taken,
 *  nothing changed. */
struct vcpu *ipc_fast_call(struct vcpu *v, uint64_t *x);
struct vcpu *ipc_fast_reply_recv(struct vcpu *v, uint64_t *x);
/** @w (its CPU's choice) waits for a passive server: it lends its time to the server, which
 *  runs in its stead; returns the server. */
struct vcpu *ipc_lend(struct vcpu *w);
bool ipc_fault(struct vcpu *v, uint64_t esr, uint64_t addr, uint64_t pc);
void ipc_vm_stopped(struct vm *vm);
void ipc_unwind(struct pcpu *p);
int sched_change(struct vcpu *v, ns_t period_ns, ns_t budget_ns);
void trap_exit(void);
/** The IPC fast path's switch to @to (named by ipc_fast_*), then trap_exit only if it has work. */
void sched_ipc_switch(struct vcpu *to);
/** vectors.S: the IPC fast path of the HVC #0 with registers @frame (traps.c), or 0. */
struct vcpu *trap_ipc_call(uint64_t *frame);
struct vcpu *trap_ipc_reply_recv(uint64_t *frame);
void trap_guest_sync(uint64_t *frame);
/** Start of a synchronous trap (hypercall, abort): only a switch can cost a server time. */
static inline void sched_sync_enter(struct pcpu *p)
{
    p->entry_irq = false;
    p->out_ns = 0;
}
ns_t sched_overhead_max(const struct vcpu *v);
/** Instructions @p executed at EL2 so far (up to date for this CPU, else as of its last entry). */
uint64_t sched_el2_insns(const struct pcpu *p);
/** While tracing (the config's `trace;`): a guest exit of @kind (enum exit_kind) by @v on @p
 *  is counted and noted; sched_trace_exit_done, on the way back to a guest, traces it with
 *  the hypervisor time it took. Only the traced trap paths (el2_vectors_traced, taken at boot
 *  when the config traces) call them: every hypercall passes the untraced ones. */
void sched_trace_exit(struct pcpu *p, struct vcpu *v, unsigned kind);
void sched_trace_exit_done(struct pcpu *p);
extern bool trace_on;

/* core/vm_grant.c: run-time grants (core/grant.h) on the VMs' stage-2 tables */
void vm_grants_init(unsigned nr);
int vm_grant_window(struct vm *vm); /**< the window's tables, while the VM is created */
void vm_grants_up(struct vm *vm);
void vm_grants_down(struct vm *vm); /**< from vm_stop, any CPU */
int64_t vm_grant_call(struct vm *vm, const struct hc_call *c, uint64_t *x);
void vm_grants_report(void);
unsigned vm_pt_pages_used(void); /**< core/vm.c: stage-2 table pages in use */

/* core/hypercall.c */
void hypercall_handle(struct vcpu *v, uint32_t imm);

/** core/vm.c: the VM with config id @id (1..), or 0. */
struct vm *vm_by_id(vmid_t id);

/* core/virq.c */
void virq_raise(struct vcpu *v, irq_t irq);
bool virq_pending(struct vcpu *v);

/* Architecture hooks (arch/aarch64). */
void vcpu_arch_init(struct vcpu *v, ipa_t entry, uint64_t x0, uint64_t bootarg);
void vcpu_arch_fp_take(struct vcpu *v); /**< FP/SIMD trapped: @v takes the registers over */
void vcpu_arch_save(struct vcpu *v);
void vcpu_arch_restore(struct vcpu *v);
/** vcpu_arch_save(@from) then vcpu_arch_restore(@to), in one call (the IPC switch). */
void vcpu_arch_switch(struct vcpu *from, struct vcpu *to);
ns_t vcpu_arch_timer_deadline(struct vcpu *v); /**< 0: vtimer not armed */
bool vcpu_arch_timer_fired(struct vcpu *v);
void vgic_arch_flush(struct vcpu *v);
bool vgic_arch_lr_pending(struct vcpu *v);
void arch_cpu_init(unsigned cpu);
void arch_power_off(void) __attribute__((noreturn));
int arch_cpu_on(unsigned cpu);
void cache_clean_range(paddr_t start, uint64_t size);
/** VTTBR_EL2 for @vm: its stage-2 root and VMID = VM id (VTCR_EL2.VS = 0). */
static inline uint64_t arch_vttbr(const struct vm *vm)
{
    return vm->s2.root_pa | ((uint64_t)vm->id << 48);
}
void arch_s2_publish(void); /**< new stage-2 entries are visible to every CPU's walks */
/** @vm's stage-2 entries for [ipa, ipa + pages * 4 KiB) were removed: invalidate them in every
 *  CPU's TLBs; when this returns no CPU can use them. */
void arch_s2_tlb_inval(const struct vm *vm, ipa_t ipa, uint64_t pages);

#endif
