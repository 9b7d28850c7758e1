/* SPDX-License-Identifier: MIT */
/*
 * traps.c - synchronous exceptions from guests, dispatched by exception class (ESR_EL2.EC,
 * Arm ARM D13.2.37). A guest can make any of these happen: every handler either emulates
 * and returns, or stops that VM with a log line. None of them panics the hypervisor.
 */
#include "core/vpsci.h"
#include "hyp.h"
#include "mmio.h"
#include "sysreg.h"
#include "sysreg_emul.h"
#include "vsysreg.h"

typedef void (*trap_fn)(struct vcpu *v, uint64_t *frame, uint64_t esr);

static void skip_insn(uint64_t *frame, uint64_t esr)
{
    frame[31] += (esr & ESR_IL) ? 4 : 2; /* ELR_EL2 */
}

static void trap_unknown(struct vcpu *v, uint64_t *frame, uint64_t esr)
{
    vm_stop(v->vm, "unhandled exception class %#lx at pc %#lx (esr %#lx)", ESR_EC(esr), frame[31],
            esr);
}

static void trap_wfx(struct vcpu *v, uint64_t *frame, uint64_t esr)
{
    skip_insn(frame, esr);
    if (esr & 1) { /* WFE: a spin-wait hint; let others run */
        sched_yield(v);
        return;
    }
    sched_block(v, vcpu_arch_timer_deadline(v));
}

/* ELR already points past the HVC. SMCCC fast calls (PSCI) share the instruction with the
 * hypercalls: their function IDs have bit 31 set, hypercall numbers are small (vpsci.h). */
static void trap_hvc(struct vcpu *v, uint64_t *frame, uint64_t esr)
{
    if (vpsci_is_call(frame[0]) && !(esr & 0xffff)) {
        vpsci_handle(v, frame);
        return;
    }
    hypercall_handle(v, (uint32_t)(esr & 0xffff));
}

/* A guest's SMC (trapped by HCR_EL2.TSC) never reaches the firmware: PSCI is answered by the
 * hypervisor for that VM (vpsci.c), anything else is NOT_SUPPORTED (-1) as SMCCC says. ELR
 * points at the SMC itself. */
static void trap_smc(struct vcpu *v, uint64_t *frame, uint64_t esr)
{
    skip_insn(frame, esr);
    if (vpsci_is_call(frame[0]))
        vpsci_handle(v, frame);
    else
        frame[0] = (uint64_t)-1;
}

#define ISS_ICC_SGI1R SYSREG_ISS(3, 0, 12, 11, 5)
#define ISS_ICC_ASGI1R SYSREG_ISS(3, 0, 12, 11, 6)

/* ICC_SGI1R_EL1 / ICC_ASGI1R_EL1 writes trap (HCR_EL2.IMO): a guest's inter-processor
 * interrupt, delivered to the VM's own vCPUs only. Debug, PMU and set/way accesses are
 * emulated per vCPU (vsysreg.c). Anything else trapped stops the VM. */
static void trap_sysreg(struct vcpu *v, uint64_t *frame, uint64_t esr)
{
    uint32_t iss = esr & 0x1ffffff;
    unsigned rt = (iss >> 5) & 0x1f;
    uint32_t key = iss & ~((0x1fu << 5) | 1u);
    if (!(iss & 1) && (key == ISS_ICC_SGI1R || key == ISS_ICC_ASGI1R)) {
        uint32_t targets;
        irq_t sgi = vgic_sgi_targets(rt == 31 ? 0 : frame[rt], v->id, v->vm->nr_vcpus, &targets);
        for (unsigned i = 0; i < v->vm->nr_vcpus; i++)
            if ((targets >> i) & 1)
                virq_raise(v->vm->vcpus[i], sgi);
        skip_insn(frame, esr);
        return;
    }
    if (vsysreg_trap(v, frame, iss)) {
        skip_insn(frame, esr);
        return;
    }
    vm_stop(v->vm, "trapped system register access (iss %#x) at pc %#lx", iss, frame[31]);
}

static ipa_t fault_ipa(void)
{
    /* HPFAR_EL2.FIPA holds IPA[47:12] in bits [43:4]; the page offset comes from FAR_EL2. */
    return ((read_sysreg(hpfar_el2) & 0xfffffffff0UL) << 8) | (read_sysreg(far_el2) & 0xfff);
}

/* Decode a data abort into an access (ISS: ISV, SAS, SSE, SRT, SF, WnR) and give it to the VM's
 * emulator for that address; anything else is an isolation violation. */
static void trap_dabt(struct vcpu *v, uint64_t *frame, uint64_t esr)
{
    ipa_t ipa = fault_ipa();
    const struct mmio_region *r = vm_mmio_find(v->vm, ipa);
    bool isv = (esr >> 24) & 1;
    unsigned srt = (esr >> 16) & 0x1f;
    struct mmio_access a = {
        .off = ipa - (r ? r->base : 0),
        .size = 1u << ((esr >> 22) & 3),
        .write = (esr >> 6) & 1,
    };
    if (!r) {
        bool perm = (esr & 0x3c) == 0x0c; /* DFSC 0b0011xx: permission fault (a read-only page) */
        if (ipc_fault(v, esr, ipa, frame[31]))
            return; /* its fault handler decides */
        vm_stop(v->vm,
                "stage-2 fault: %s of %u bytes at ipa %#lx (%s for this VM), "
                "esr %#lx, pc %#lx",
                a.write ? "write" : "read", a.size, ipa, perm ? "read-only" : "not mapped", esr,
                frame[31]);
        return;
    }
    if (!isv) { /* no syndrome (e.g. LDP/STP, writeback): the access cannot be emulated */
        vm_stop(v->vm, "stage-2 fault: %s at ipa %#lx (access not decodable), esr %#lx, pc %#lx",
                a.write ? "write" : "read", ipa, esr, frame[31]);
        return;
    }
    if (a.write)
        a.val = srt == 31 ? 0 : mmio_store_value(frame[srt], a.size);
    r->fn(v, r->ctx, &a);
    if (!a.write && srt != 31)
        frame[srt] = mmio_load_result(a.val, a.size, esr);
    skip_insn(frame, esr);
}

static void trap_iabt(struct vcpu *v, uint64_t *frame, uint64_t esr)
{
    if (ipc_fault(v, esr, fault_ipa(), frame[31]))
        return;
    vm_stop(v->vm, "stage-2 fault: instruction fetch at ipa %#lx, esr %#lx, pc %#lx", fault_ipa(),
            esr, frame[31]);
}

/* FP/SIMD trapped (CPTR_EL2.TFP): this vCPU takes the registers over; the instruction runs
 * again (ELR still points at it). */
static void trap_fp(struct vcpu *v, uint64_t *frame, uint64_t esr)
{
    (void)frame, (void)esr;
    vcpu_arch_fp_take(v);
}

/* Every class has a handler (trap_unknown where none is named), so dispatch tests nothing. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const trap_fn trap_table[EC_COUNT] = {
    [0 ... EC_COUNT - 1] = trap_unknown,
    [EC_WFX] = trap_wfx,
    [EC_FP] = trap_fp,
    [EC_HVC64] = trap_hvc,
    [EC_SMC64] = trap_smc,
    [EC_SYSREG] = trap_sysreg,
    [EC_DABT_LOW] = trap_dabt,
    [EC_IABT_LOW] = trap_iabt,
};
#pragma GCC diagnostic pop

/* The exit each exception class counts as (hyp.h, enum exit_kind); 0 = EXIT_OTHER. */
static const uint8_t exit_of_ec[EC_COUNT] = {
    [EC_WFX] = EXIT_WFX,       [EC_FP] = EXIT_FP,         [EC_HVC64] = EXIT_HVC,
    [EC_SMC64] = EXIT_SMC,     [EC_SYSREG] = EXIT_SYSREG, [EC_DABT_LOW] = EXIT_MMIO,
    [EC_IABT_LOW] = EXIT_IABT,
};

static inline void sync_dispatch(struct pcpu *p, uint64_t *frame, uint64_t esr)
{
    sched_sync_enter(p);
    trap_table[ESR_EC(esr)](p->current, frame, esr);
}

/* While tracing (el2_vectors_traced): the exit counted and traced with the time it took
 * (sched.c). */
void trap_guest_sync_traced(uint64_t *frame)
{
    struct pcpu *p = this_pcpu();
    uint64_t esr = read_sysreg(esr_el2);
    unsigned k = exit_of_ec[ESR_EC(esr)];
    sched_trace_exit(p, p->current, k ? k : EXIT_OTHER);
    sync_dispatch(p, frame, esr);
    trap_exit();
    sched_trace_exit_done(p);
}

_Static_assert(ESR_HVC0 == (((uint64_t)EC_HVC64 << 26) | ESR_IL) && (ESR_HVC0 & 0xffff) == 0,
               "ESR_HVC0 in asm_defs.h, one movz in vectors.S");

/* vectors.S, not tracing, on an IPC call or reply_recv: the fast path (ipc.c) if it takes it,
 * with the vCPU to switch to (sched_ipc_switch); 0: nothing changed, trap_guest_sync takes the
 * call. */
struct vcpu *trap_ipc_call(uint64_t *frame)
{
    struct pcpu *p = this_pcpu();
    sched_sync_enter(p);
    return ipc_fast_call(p->current, frame);
}

struct vcpu *trap_ipc_reply_recv(uint64_t *frame)
{
    struct pcpu *p = this_pcpu();
    sched_sync_enter(p);
    return ipc_fast_reply_recv(p->current, frame);
}

/* Not tracing (el2_vectors): no flag to test on the way of every hypercall. */
void trap_guest_sync(uint64_t *frame)
{
    struct pcpu *p = this_pcpu();
    sync_dispatch(p, frame, read_sysreg(esr_el2));
    trap_exit();
}

void trap_guest_serror(uint64_t *frame)
{
    struct vcpu *v = this_pcpu()->current;
    vm_stop(v->vm, "SError, esr %#lx, pc %#lx", read_sysreg(esr_el2), frame[31]);
    trap_exit();
}

static const char *const fault_kind[16] = {
    [4] = "synchronous exception",
    [5] = "IRQ",
    [6] = "FIQ",
    [7] = "SError",
};

/* An exception taken from EL2 itself is a hypervisor bug: report everything, stop. */
void hyp_fault(uint64_t *frame, unsigned kind)
{
    hyp_panic("%s at EL2 (vector %u): esr %#lx far %#lx elr %#lx lr %#lx",
              fault_kind[kind & 15] ? fault_kind[kind & 15] : "exception", kind,
              read_sysreg(esr_el2), read_sysreg(far_el2), frame[31], frame[30]);
}
