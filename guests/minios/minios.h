/* SPDX-License-Identifier: MIT */
/**
 * minios.h - a small paravirtual guest OS for emvisor: console and time through hypercalls,
 * the virtual timer and GICv3 as on hardware. Apps provide app_main().
 */
#ifndef MINIOS_H
#define MINIOS_H

#include <stdbool.h>
#include <stdint.h>

#include "emv/errno.h"
#include "emv/hypercall.h"
#include "emv/objects.h"
#include "fdtread.h"

/** Raw hypercall: HVC #0 with x0..x5; returns x0, and x1..x3 in out[0..2] if out != 0. */
static inline int64_t hvc6(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                           uint64_t a5, uint64_t *out)
{
    register uint64_t x0 __asm__("x0") = nr;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    register uint64_t x4 __asm__("x4") = a4;
    register uint64_t x5 __asm__("x5") = a5;
    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     : "r"(x4), "r"(x5)
                     : "memory");
    if (out) {
        out[0] = x1;
        out[1] = x2;
        out[2] = x3;
    }
    return (int64_t)x0;
}

static inline int64_t hvc(uint64_t nr, uint64_t a1, uint64_t a2)
{
    return hvc6(nr, a1, a2, 0, 0, 0, 0);
}

/** The cycle counter (PMCCNTR_EL0); under -icount shift=0 one count per instruction. */
static inline uint64_t mos_cycles(void)
{
    uint64_t v;
    __asm__ volatile("isb\n mrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
}

void mos_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mos_write(const char *s, uint64_t len);
uint64_t mos_time_ns(void);
void mos_yield(void);
/** Sleep until @deadline_ns (0: until any interrupt). */
void mos_block(uint64_t deadline_ns);
/** Call @fn from the timer interrupt every @period_ns (0 stops it). */
void mos_timer_periodic(uint64_t period_ns, void (*fn)(void));
void mos_irq_enable(void);
void mos_irq_disable(void);
const char *mos_name(void);
/** Stop this guest forever (it idles; other VMs go on). */
void mos_halt(void) __attribute__((noreturn));

/** Time from the virtual counter without a hypercall (CNTVOFF is 0: same clock). */
uint64_t mos_now_ns(void);
/** One-shot: call @fn (0: the last one given) from the timer interrupt at @ns (absolute). */
void mos_timer_at(uint64_t ns, void (*fn)(void));
/** Set the timer interrupt's handler without arming the timer. */
void mos_timer_handler(void (*fn)(void));
/** Run @fn at the end of every interrupt, after its EOI (used by rtrun.c to preempt). */
void mos_set_irq_tail(void (*fn)(void));
/** Call @fn(INTID) from the interrupt for every interrupt but the timer's, before its EOI. */
void mos_set_irq_handler(void (*fn)(uint32_t irq));
/** Enable shared peripheral interrupt @irq (INTID >= 32) at the distributor, priority 0x80. */
void mos_spi_enable(uint32_t irq);

/* Boot information and objects (bootinfo.c, docs/abi.md): what the config gave this VM. */
struct mos_obj {
    char name[16];
    uint32_t index;  /**< what hypercalls name it by (an event channel's port) */
    uint32_t type;   /**< EMV_OBJ_* */
    uint32_t rights; /**< EMV_RIGHT_* */
    uint64_t ipa;    /**< EMV_OBJ_SHMEM, EMV_OBJ_DEVICE: where it is mapped */
    uint64_t size;
    char peer[16];    /**< EMV_OBJ_EVTCHN: the VM at the other end */
    uint32_t peer_id; /**< and its VM id */
    uint32_t irq;     /**< EMV_OBJ_DEVICE: its interrupt (INTID), 0 if none */
};
void mos_bootinfo_init(uint64_t ipa);
/** The boot information (an empty blob if the VM has none), for fdtread.h. */
const struct fdt_blob *mos_bootinfo(void);
/**
 * The guest's settings from its config (/emvisor/settings, guestcfg.h). Call
 * mos_settings_check first with every name the guest reads: a setting it does not know, or a
 * value that is not a flag or a number, stops the guest with a message naming it.
 */
void mos_settings_check(const char *const *known);
/** Setting @name, or @dflt when the config does not give it (a flag reads 1). */
uint64_t mos_setting(const char *name, uint64_t dflt);
/** The object named @name (its config name); 0, or -1 if this VM has none such. */
int mos_obj_find(const char *name, struct mos_obj *out);
/** @fn for each object in table order until it returns non-zero; returns that value or 0. */
int mos_obj_each(int (*fn)(const struct mos_obj *o, void *ctx), void *ctx);
/** The region that goes with channel end @ch by name: @ch is <ch_prefix>X and the VM has a
 *  shared region <region_prefix>X (how the demos pair a client's channel with its memory).
 *  0; -1 if @ch is not such a channel end; -2 if there is no such region. */
int mos_obj_region_of(const struct mos_obj *ch, const char *ch_prefix, const char *region_prefix,
                      struct mos_obj *region);
/** The first object of @type with all of @rights, in table order; 0, or -1 if none. */
int mos_obj_first(uint32_t type, uint32_t rights, struct mos_obj *out);

/* Synchronous IPC (docs/abi.md): four words each way, in registers. */
static inline int64_t mos_ipc6(uint64_t nr, uint64_t a1, const uint64_t in[4], uint64_t out[5])
{
    register uint64_t x0 __asm__("x0") = nr;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = in[0];
    register uint64_t x3 __asm__("x3") = in[1];
    register uint64_t x4 __asm__("x4") = in[2];
    register uint64_t x5 __asm__("x5") = in[3];
    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                     :
                     : "memory");
    out[0] = x1, out[1] = x2, out[2] = x3, out[3] = x4, out[4] = x5;
    return (int64_t)x0;
}
/** Call endpoint @ep (a client's object index) with @msg; the server's reply in @reply. */
static inline int64_t mos_ipc_call(uint32_t ep, const uint64_t msg[4], uint64_t reply[4])
{
    uint64_t out[5];
    int64_t r = mos_ipc6(EMV_HC_IPC_CALL, ep, msg, out);
    for (unsigned i = 0; i < 4; i++)
        reply[i] = out[i];
    return r;
}
/** Answer the caller being served with @reply (ignored if none) and wait for the next call:
 *  its badge and message. */
static inline int64_t mos_ipc_reply_recv(uint32_t ep, const uint64_t reply[4], uint64_t *badge,
                                         uint64_t msg[4])
{
    uint64_t out[5];
    int64_t r = mos_ipc6(EMV_HC_IPC_REPLY_RECV, ep, reply, out);
    *badge = out[0];
    for (unsigned i = 0; i < 4; i++)
        msg[i] = out[1 + i];
    return r;
}

/* Event channels: @port is the channel end's object index. */
static inline int64_t mos_evtchn_notify(uint32_t port)
{
    return hvc(EMV_HC_EVTCHN_NOTIFY, port, 0);
}
/** The pending ports (bit i: port i), cleared. */
static inline uint64_t mos_evtchn_poll(void)
{
    uint64_t out[3];
    hvc6(EMV_HC_EVTCHN_POLL, 0, 0, 0, 0, 0, out);
    return out[0];
}
static inline int64_t mos_evtchn_mask(uint32_t port, bool mask)
{
    return hvc(EMV_HC_EVTCHN_MASK, port, mask);
}

/* Run-time event channels (docs/abi.md): @vm_obj is a VM object with EMV_RIGHT_BIND. A new
 * unbound port for that VM to bind: the port (>= 0), or -EMV_E*. */
static inline int64_t mos_evtchn_alloc_unbound(uint32_t vm_obj)
{
    uint64_t out[3];
    int64_t r = hvc6(EMV_HC_EVTCHN_ALLOC_UNBOUND, vm_obj, 0, 0, 0, 0, out);
    return r ? r : (int64_t)out[0];
}
/** Bind that VM's port @rport (allocated unbound for this VM): the new local port, or -EMV_E*. */
static inline int64_t mos_evtchn_bind(uint32_t vm_obj, uint32_t rport)
{
    uint64_t out[3];
    int64_t r = hvc6(EMV_HC_EVTCHN_BIND, vm_obj, rport, 0, 0, 0, out);
    return r ? r : (int64_t)out[0];
}
/** Close run-time port @port (the other end, if bound, becomes unbound). */
static inline int64_t mos_evtchn_close(uint32_t port)
{
    return hvc(EMV_HC_EVTCHN_CLOSE, port, 0);
}

/* Run-time grants (docs/abi.md, Grants). @port: one of this VM's channel ends, naming the peer.
 * Create: @pages pages of this VM's RAM from @ipa (4 KiB aligned) for the peer to map,
 * EMV_GRANT_RO or 0 in @flags; returns the reference (>= 0) or -EMV_E*. */
static inline int64_t mos_grant_create(uint32_t port, uint64_t ipa, uint64_t pages, uint32_t flags)
{
    return hvc6(EMV_HC_GRANT_CREATE, port, ipa, pages, flags, 0, 0);
}
/** End grant @ref; when it returns, the peer can no longer reach the pages. */
static inline int64_t mos_grant_revoke(uint32_t ref)
{
    return hvc(EMV_HC_GRANT_REVOKE, ref, 0);
}
/** Map the peer's grant @ref; 0 and where it is (*@ipa), its size (*@pages) and whether it is
 * read-only (*@ro); any of them may be 0. */
static inline int64_t mos_grant_map(uint32_t port, uint32_t ref, uint64_t *ipa, uint64_t *pages,
                                    bool *ro)
{
    uint64_t out[3];
    int64_t r = hvc6(EMV_HC_GRANT_MAP, port, ref, 0, 0, 0, out);
    if (r == 0 && ipa)
        *ipa = out[0];
    if (r == 0 && pages)
        *pages = out[1];
    if (r == 0 && ro)
        *ro = out[2] & EMV_GRANT_RO;
    return r;
}
/** Unmap what mos_grant_map put at @ipa: 0, or 1 if the granter had revoked it already. */
static inline int64_t mos_grant_unmap(uint64_t ipa)
{
    return hvc(EMV_HC_GRANT_UNMAP, ipa, 0);
}

/* Admission (admitcl.c; include/emv/admit.h, docs/abi.md "Admission protocol"): requests to
 * the control VM on this VM's ring in region admbuf-X, signalled on channel admit-X. */
struct emv_admit_req;
struct emv_admit_resp;
/** Attach to this VM's admission ring (once; later calls say how that went): 0, or -1 if
 *  the config gave it no admit-X channel with a writable admbuf-X region. */
int mos_admit_open(void);
/** Send @req and wait for the answer that echoes its seq (at most 2 s), looking every
 *  millisecond; @wait(until_ns) is what to do meanwhile (e.g. mos_rt_run_until), 0 to sleep.
 *  0 with @resp filled, or -1 (no ring, the ring broke, no answer). */
int mos_admit_ask(const struct emv_admit_req *req, struct emv_admit_resp *resp,
                  void (*wait)(uint64_t until_ns));

/* Threads (thread.c): own stacks, fixed priorities 0..MOS_PRIO_MAX (higher first), round
 * robin among equals when one yields or sleeps. Periodic real-time jobs outrank them all.
 * Once threads or tasks are used, the virtual timer belongs to the kernel: do not mix with
 * mos_timer_periodic/mos_timer_at. app_main runs as thread 0 at MOS_PRIO_DEFAULT. */
#include "threadq.h"
#define MOS_PRIO_DEFAULT 10
#define MOS_PRIO_MAX 255
/** A new thread running fn(arg); returning from fn ends it. Returns its id or -1. Called
 *  from a real-time job, the thread starts once the jobs are done. */
int mos_thread_create(const char *name, void (*fn)(void *), void *arg, int prio);
/** Let another ready thread of the same priority run (inside a job: returns at once). */
void mos_thread_yield(void);
/** Sleep until @ns (absolute, mos_now_ns time); real-time jobs go on meanwhile. Inside a
 *  job it is refused (returns at once, says so once): jobs run to completion. */
void mos_thread_sleep_until(uint64_t ns);
/** End the calling thread (from app_main: the others go on; from a job: halts the guest). */
void mos_thread_exit(void) __attribute__((noreturn));
int mos_thread_self(void);
bool mos_thread_alive(int id);
/** How many times thread @id was switched to. */
uint64_t mos_thread_runs(int id);

/* Periodic real-time tasks (rtrun.c). */
#include "rtsched.h"
#include "taskset.h"
/** The task set and run settings the config gave this VM (taskset.h): 0, or what is wrong. */
const char *mos_tasks(struct mos_taskset *ts);
void mos_rt_init(enum mos_policy policy);
int mos_task_create(const char *name, uint64_t period_ns, uint64_t wcet_ns, void (*job)(void *),
                    void *arg);
int mos_task_remove(int id);
/** Sleep the calling thread until @until_ns (absolute); jobs run meanwhile. */
void mos_rt_run_until(uint64_t until_ns);
/** One line per task: jobs, misses, worst response; returns the total misses. */
uint64_t mos_rt_report(void);
/** Consume about @ns of this vCPU's own CPU time (calibrated loop). */
void mos_spin_ns(uint64_t ns);

/** Provided by the app. */
void app_main(uint64_t bootarg);

/** A pseudo-random number from @state (xorshift64; not for secrets), for tests that play
 *  a hostile peer. @state must not be 0. */
static inline uint64_t mos_xorshift(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

#endif
