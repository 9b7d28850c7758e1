/* SPDX-License-Identifier: MIT */
/**
 * hypercall.h - the guest-visible hypercall ABI of emvisor (docs/abi.md).
 *
 * A guest issues `HVC #0` at EL1 with the call number in x0 and arguments in x1..x5.
 * On return x0 holds a status (0 or a positive count on success, a negative EMV_E* on error)
 * and x1..x3 any results. Other registers are preserved. Pointers are guest-physical
 * addresses (IPAs) inside the caller's own RAM.
 */
#ifndef EMV_HYPERCALL_H
#define EMV_HYPERCALL_H

#define EMV_ABI_VERSION 0x00010000 /**< major.minor in the two halves */

#define EMV_HC_VERSION 0x00       /**< () -> x0 = EMV_ABI_VERSION */
#define EMV_HC_CONSOLE_WRITE 0x01 /**< (ipa buf, len <= EMV_CONSOLE_MAX) -> x0 = len */
#define EMV_HC_YIELD 0x02         /**< () -> 0; gives up the rest of the time slice */
#define EMV_HC_SELF 0x03          /**< () -> x1 = vm id, x2 = vcpu id, x3 = number of vcpus */
#define EMV_HC_TIME 0x04          /**< () -> x1 = ns since boot, x2 = counter Hz */
#define EMV_HC_BLOCK 0x05         /**< (deadline ns | 0) -> 0; sleeps until an IRQ or deadline */
#define EMV_HC_VM_NAME 0x06       /**< (ipa buf, len) -> x0 = name length; copies NUL-ended */
#define EMV_HC_SYSTEM_OFF 0x07    /**< () -> control VM only: report and power off */
/** (VM object with EMV_RIGHT_CONTROL, vcpu) -> x1 period ns, x2 budget ns (0, 0: best
 * effort), x3 physical CPU. */
#define EMV_HC_SCHED_GET 0x08
/** (VM object with EMV_RIGHT_CONTROL, vcpu, period ns, budget ns) -> 0: install a
 * periodic-server interface; it takes effect at the vCPU's next scheduling decision. */
#define EMV_HC_SCHED_SET 0x09
/* 0x0a, 0x0b: retired (they were MSG_SEND and MSG_RECV, a shared inbox per VM that any VM
 * could fill); they return -EMV_ENOSYS as any unknown number does, and are not reused. VMs
 * talk through the objects their config gives them: rings, event channels, IPC. */
/** (VM object with EMV_RIGHT_CONTROL, vcpu) -> x1 the largest hypervisor overhead one period
 * of the vCPU's server has suffered so far (ns, measured), x2 periods, x3 budget exhaustions. */
#define EMV_HC_SCHED_STATS 0x0c
/** (physical cpu) -> x1 how that CPU schedules (EMV_CPU_*); -EMV_EINVAL if it is not online. */
#define EMV_HC_CPU_INFO 0x0d
/** (port: a config channel end with EMV_RIGHT_NOTIFY, or a bound run-time port) -> 0: marks
 * the other end's port pending and, unless it is masked, raises EMV_VIRQ_EVENT in the other
 * VM. Notifications of a port that is still pending coalesce into one. -EMV_EPIPE for a
 * run-time port that is unbound (never bound, or its other end closed or stopped). */
#define EMV_HC_EVTCHN_NOTIFY 0x0e
/** () -> x1 = the caller's pending ports (bit i: object i), cleared as they are returned. */
#define EMV_HC_EVTCHN_POLL 0x0f
/** (object index of an event-channel end, 1 = mask | 0 = unmask) -> 0. A masked port still
 * becomes pending but raises nothing; unmasking a pending port raises EMV_VIRQ_EVENT. */
#define EMV_HC_EVTCHN_MASK 0x10
/** (event-channel end naming the peer, ipa of the first page in the caller's RAM, pages
 * 1..EMV_GRANT_MAX_PAGES, flags EMV_GRANT_RO | 0) -> x0 = grant reference (0..EMV_GRANT_MAX-1):
 * lets that peer map the pages (docs/abi.md, Grants). */
#define EMV_HC_GRANT_CREATE 0x11
/** (grant reference) -> 0 once the peer's mapping of it (if any) is gone from its stage 2 and
 * TLBs; the reference is free again. */
#define EMV_HC_GRANT_REVOKE 0x12
/** (event-channel end naming the granter, its grant reference) -> x1 = where the pages now
 * appear in the caller's grant window, x2 = pages, x3 = EMV_GRANT_RO if read-only. */
#define EMV_HC_GRANT_MAP 0x13
/** (ipa GRANT_MAP returned) -> 0, or 1 if the granter had revoked it already (the pages were
 * gone; now the window space is free too). */
#define EMV_HC_GRANT_UNMAP 0x14
/** (client endpoint index, x2..x5 message) -> x0 0, x1..x4 the server's reply; waits until
 * the server replies; -EMV_EPIPE if the server stopped. */
#define EMV_HC_IPC_CALL 0x18
/** (server endpoint index, x2..x5 reply to the caller being served) -> x0 0, x1 the next
 * caller's badge, x2..x5 its message; waits for a call if none is queued. */
#define EMV_HC_IPC_REPLY_RECV 0x19
/** (VM object with EMV_RIGHT_BIND) -> x1 = a new local port, unbound, reserved for that VM
 * to bind (Xen's alloc_unbound): a free index of the caller's object table. -EMV_ENOMEM if
 * none is free, -EMV_EPIPE if that VM has stopped. */
#define EMV_HC_EVTCHN_ALLOC_UNBOUND 0x1a
/** (VM object with EMV_RIGHT_BIND, that VM's port) -> x1 = a new local port, now bound to it
 * (Xen's bind_interdomain); only a port that VM allocated unbound for the caller: -EMV_EINVAL
 * (no such port), -EMV_EPERM (reserved for another VM), -EMV_EEXIST (bound already). */
#define EMV_HC_EVTCHN_BIND 0x1b
/** (run-time port) -> 0: the port is free again; the other end, if bound, is unbound (its
 * notify fails with -EMV_EPIPE) and may be bound again. -EMV_EPERM for a config channel. */
#define EMV_HC_EVTCHN_CLOSE 0x1c
#define EMV_HC_COUNT 0x1d

/** A fault handler's answer (first reply word) to a fault sent to it as an IPC call whose
 * message is {ESR_EL2, faulting IPA, PC, 0} with the faulting VM's badge (docs/abi.md). */
#define EMV_FAULT_STOP 0    /**< stop the VM (as without a handler) */
#define EMV_FAULT_RESTART 1 /**< restart it: memory reloaded, its vCPU from the entry point */
#define EMV_FAULT_RESUME 2  /**< skip the faulting instruction and go on */

/** EMV_HC_CPU_INFO x1: the CPU's `cpu-policy` (docs/config.md). */
#define EMV_CPU_EDF 0    /**< periodic servers by EDF, best effort in the background */
#define EMV_CPU_RM 1     /**< periodic servers by rate monotonic */
#define EMV_CPU_RR 2     /**< round-robin, no servers */
#define EMV_CPU_CREDIT 3 /**< servers ignored: every vCPU best effort by credit */

#define EMV_CONSOLE_MAX 4096 /**< longest single console write */

/** Virtual interrupts a guest sees (GICv3 INTIDs). */
#define EMV_VIRQ_VTIMER 27
#define EMV_VIRQ_EVENT 15 /**< an SGI to vCPU 0: some event-channel port became pending */

#endif
