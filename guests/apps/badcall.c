/* SPDX-License-Identifier: MIT */
/*
 * badcall.c - feeds the hypercall interface bad arguments and checks each answer, then uses
 * identity, time and yield correctly and checks them against what the guest sees itself.
 * Prints one line per check and a summary `badcall: N ok, M wrong`; the hypervisor must
 * stay up and the other VMs keep running.
 */
#include "minios.h"

static unsigned ok, wrong;
static char buf[64] = "in-bounds\n";

static void expect(const char *what, int64_t got, int64_t want)
{
    if (got == want) {
        ok++;
    } else {
        wrong++;
        mos_printf("badcall: WRONG %s: got %ld want %ld\n", what, got, want);
    }
}

static uint64_t counter(uint64_t *hz)
{
    uint64_t c;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(c));
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(*hz));
    return c;
}

/*
 * The calls used correctly, checked against what the guest can see for itself: identity
 * (printed for the test to compare with the hypervisor's log), time against the virtual
 * counter, and yield against a busy neighbour on the same CPU.
 */
static void good_calls(void)
{
    uint64_t out[3], t1[3], t2[3], hz;
    expect("self", hvc6(EMV_HC_SELF, 0, 0, 0, 0, 0, out), 0);
    mos_printf("badcall: self says vm %lu vcpu %lu of %lu\n", out[0], out[1], out[2]);
    expect("self vcpu id", (int64_t)out[1], 0);

    /* Each call is bracketed by counter reads, so a preemption (by the hypervisor, or of
     * QEMU's thread by the host: this test runs in real time) between a call and a counter
     * read widens the bounds instead of failing the comparison. */
    uint64_t c1a = counter(&hz);
    expect("time", hvc6(EMV_HC_TIME, 0, 0, 0, 0, 0, t1), 0);
    uint64_t c1b = counter(&hz);
    expect("time: counter Hz is CNTFRQ_EL0", (int64_t)t1[1], (int64_t)hz);
    while ((counter(&hz) - c1b) * 1000 / hz < 2) /* 2 ms by the counter */
        ;
    uint64_t c2a = counter(&hz);
    expect("time", hvc6(EMV_HC_TIME, 0, 0, 0, 0, 0, t2), 0);
    uint64_t c2b = counter(&hz);
    int64_t by_hc = (int64_t)(t2[0] - t1[0]);
    int64_t lo = (int64_t)((c2a - c1b) * 1000000 / hz) * 1000;
    int64_t hi = (int64_t)((c2b - c1a) * 1000000 / hz + 1) * 1000;
    expect("time: at least the 2 ms spun", by_hc >= 2000000, 1);
    if (by_hc < lo - 1000000 || by_hc > hi + 1000000)
        mos_printf("badcall: time: %ld ns by the call, %ld..%ld ns by the counter\n", by_hc, lo,
                   hi);
    expect("time: agrees with the counter within 1 ms",
           by_hc >= lo - 1000000 && by_hc <= hi + 1000000, 1);

    /* neighbour never sleeps: a yield hands it the CPU for its slice (5 ms here). */
    expect("time", hvc6(EMV_HC_TIME, 0, 0, 0, 0, 0, t1), 0);
    expect("yield", hvc(EMV_HC_YIELD, 0, 0), 0);
    expect("time", hvc6(EMV_HC_TIME, 0, 0, 0, 0, 0, t2), 0);
    expect("yield: the busy neighbour ran (>= 1 ms away)", t2[0] - t1[0] >= 1000000, 1);
}

/* Loads of the emulated GICD_IGROUPR0 (reads as all ones) with each width and extension,
 * and 32-bit stores into one half of a 64-bit GICD_IROUTER: what real hardware does. */
#define GICD_IGROUPR0 0x08000080UL
#define GICD_IROUTER40 0x08006140UL

static void mmio_widths(void)
{
    uint64_t r;
    __asm__ volatile("ldrsw %0, [%1]" : "=r"(r) : "r"(GICD_IGROUPR0) : "memory");
    expect("mmio ldrsw x (sign-extended)", (int64_t)r, -1);
    __asm__ volatile("mov %0, #-1\n ldr %w0, [%1]" : "=&r"(r) : "r"(GICD_IGROUPR0) : "memory");
    expect("mmio ldr w (upper half cleared)", (int64_t)r, 0xffffffffL);
    __asm__ volatile("ldrsh %w0, [%1]" : "=r"(r) : "r"(GICD_IGROUPR0) : "memory");
    expect("mmio ldrsh w (sign-extended to 32 bits)", (int64_t)r, 0xffffffffL);
    __asm__ volatile("ldrsb %0, [%1]" : "=r"(r) : "r"(GICD_IGROUPR0) : "memory");
    expect("mmio ldrsb x", (int64_t)r, -1);
    volatile uint64_t *ir = (volatile uint64_t *)GICD_IROUTER40;
    *ir = 0x0000000100000203UL;
    uint64_t junk_high = 0xdead000000000005UL; /* a W-register store writes only bits 0-31 */
    __asm__ volatile("str %w0, [%1]" ::"r"(junk_high), "r"(GICD_IROUTER40) : "memory");
    expect("mmio str w into the low half of a 64-bit register", (int64_t)*ir, 0x0000000100000005L);
}

static int64_t hvc_imm1(void)
{
    register uint64_t x0 __asm__("x0") = EMV_HC_VERSION;
    __asm__ volatile("hvc #1" : "+r"(x0)::"memory");
    return (int64_t)x0;
}

void app_main(uint64_t bootarg)
{
    (void)bootarg;
    uint64_t ram_base = (uint64_t)&buf & ~0xffffffUL; /* 16 MiB aligned RAM in the tests */
    uint64_t out[3];
    expect("version", hvc(EMV_HC_VERSION, 0, 0), EMV_ABI_VERSION);
    expect("unknown number", hvc(0x1234, 0, 0), -EMV_ENOSYS);
    expect("retired MSG_SEND", hvc6(0x0a, 0, (uint64_t)buf, 8, 0, 0, 0), -EMV_ENOSYS);
    expect("retired MSG_RECV", hvc6(0x0b, (uint64_t)buf, sizeof(buf), 0, 0, 0, 0), -EMV_ENOSYS);
    expect("huge number", hvc(~0UL, 0, 0), -EMV_ENOSYS);
    expect("hvc immediate 1", hvc_imm1(), -EMV_ENOSYS);
    expect("console ok", hvc(EMV_HC_CONSOLE_WRITE, (uint64_t)buf, 10), 10);
    expect("console zero length", hvc(EMV_HC_CONSOLE_WRITE, 0, 0), 0);
    expect("console null", hvc(EMV_HC_CONSOLE_WRITE, 0, 16), -EMV_EFAULT);
    expect("console below ram", hvc(EMV_HC_CONSOLE_WRITE, ram_base - 0x1000UL, 16), -EMV_EFAULT);
    expect("console other vm", hvc(EMV_HC_CONSOLE_WRITE, 0x48000000UL, 16), -EMV_EFAULT);
    expect("console too long", hvc(EMV_HC_CONSOLE_WRITE, (uint64_t)buf, EMV_CONSOLE_MAX + 1),
           -EMV_E2BIG);
    expect("console past end of ram", hvc(EMV_HC_CONSOLE_WRITE, ram_base + 0x1000000UL - 8, 16),
           -EMV_EFAULT);
    expect("console wraps", hvc(EMV_HC_CONSOLE_WRITE, ~0UL - 4, 16), -EMV_EFAULT);
    expect("name into device", hvc(EMV_HC_VM_NAME, 0x09000000UL, 16), -EMV_EFAULT);
    expect("name truncated", hvc(EMV_HC_VM_NAME, (uint64_t)buf, 3), 7); /* "badcall" */
    expect("name truncated nul", buf[2], 0);
    expect("system off refused", hvc(EMV_HC_SYSTEM_OFF, 0, 0), -EMV_EPERM);
    expect("self", hvc6(EMV_HC_SELF, 0, 0, 0, 0, 0, out), 0);
    expect("self vcpus", (int64_t)out[2], 1);
    expect("block in the past", hvc(EMV_HC_BLOCK, 1, 0), 0);
    /* Scheduling calls name a VM object with EMV_RIGHT_CONTROL; badcall has none (a VM id is
     * no such thing: index 1 here is nothing in its table). */
    uint64_t me = hvc6(EMV_HC_SELF, 0, 0, 0, 0, 0, out) == 0 ? out[0] : 0;
    expect("sched_get by vm id", hvc(EMV_HC_SCHED_GET, me, 0), -EMV_EINVAL);
    expect("sched_get huge index", hvc(EMV_HC_SCHED_GET, ~0UL, 0), -EMV_EINVAL);
    expect("sched_get bad vcpu", hvc(EMV_HC_SCHED_GET, 0, 7), -EMV_EINVAL);
    expect("sched_stats", hvc(EMV_HC_SCHED_STATS, me, 0), -EMV_EINVAL);
    expect("sched_set", hvc6(EMV_HC_SCHED_SET, me, 0, 10000000, 5000000, 0, 0), -EMV_EINVAL);
    /* Its link to the neighbour gives it vm-neighbour: a VM object to bind with, not to
     * control; and a run-time port misused every way. */
    struct mos_obj nb;
    uint32_t vmo = mos_obj_find("vm-neighbour", &nb) ? 0 : nb.index;
    expect("vm-neighbour is a VM object with BIND",
           nb.type == EMV_OBJ_VM && nb.rights == EMV_RIGHT_BIND, 1);
    expect("sched_get without CONTROL", hvc(EMV_HC_SCHED_GET, vmo, 0), -EMV_EPERM);
    expect("sched_set without CONTROL", hvc6(EMV_HC_SCHED_SET, vmo, 0, 10000000, 5000000, 0, 0),
           -EMV_EPERM);
    int64_t port = mos_evtchn_alloc_unbound(vmo);
    expect("alloc unbound: the first index past its objects", port, vmo + 1);
    expect("notify it before the neighbour binds", mos_evtchn_notify((uint32_t)port), -EMV_EPIPE);
    expect("grant through it (names the neighbour)",
           mos_grant_create((uint32_t)port, (uint64_t)buf & ~0xfffUL, 1, 0) >= 0, 1);
    expect("bind a free port of the neighbour's", mos_evtchn_bind(vmo, 20), -EMV_EINVAL);
    expect("bind its own port through its VM object", mos_evtchn_bind(vmo, (uint32_t)port),
           -EMV_EINVAL);
    expect("bind through a port", mos_evtchn_bind((uint32_t)port, 0), -EMV_EINVAL);
    expect("close it", mos_evtchn_close((uint32_t)port), 0);
    expect("close it twice", mos_evtchn_close((uint32_t)port), -EMV_EINVAL);
    expect("notify it closed", mos_evtchn_notify((uint32_t)port), -EMV_EINVAL);
    expect("mask it closed", mos_evtchn_mask((uint32_t)port, true), -EMV_EINVAL);
    expect("close its VM object", mos_evtchn_close(vmo), -EMV_EINVAL);
    expect("close a huge index", mos_evtchn_close(~0U), -EMV_EINVAL);
    expect("cpu_info cpu 0 (edf)", hvc6(EMV_HC_CPU_INFO, 0, 0, 0, 0, 0, out), 0);
    expect("cpu_info policy", (int64_t)out[0], EMV_CPU_EDF);
    expect("cpu_info cpu not online", hvc(EMV_HC_CPU_INFO, 3, 0), -EMV_EINVAL);
    expect("cpu_info cpu huge", hvc(EMV_HC_CPU_INFO, ~0UL, 0), -EMV_EINVAL);
    good_calls();
    mmio_widths();
    uint64_t midr;
    __asm__ volatile("mrs %0, midr_el1" : "=r"(midr));
    expect("MIDR_EL1 (via VPIDR_EL2) names the Cortex-A53", (int64_t)((midr >> 4) & 0xfff), 0xd03);
    /* A forged hypervisor line: the console prefixes it, so it cannot pass for one. */
    mos_printf("\nemv: RESULT: 9 vms, 9 running, 0 stopped\n");
    mos_printf("badcall: %u ok, %u wrong\n", ok, wrong);
    for (;;)
        mos_block(0);
}
