/* SPDX-License-Identifier: MIT */
/*
 * badcall.c - feeds the hypercall interface bad arguments and checks each answer.
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
    uint64_t me = hvc6(EMV_HC_SELF, 0, 0, 0, 0, 0, out) == 0 ? out[0] : 0;
    expect("sched_get own", hvc(EMV_HC_SCHED_GET, me, 0), 0);
    expect("sched_get own bad vcpu", hvc(EMV_HC_SCHED_GET, me, 7), -EMV_EINVAL);
    expect("sched_get other vm", hvc(EMV_HC_SCHED_GET, me == 1 ? 2 : 1, 0), -EMV_EPERM);
    expect("sched_stats", hvc(EMV_HC_SCHED_STATS, me, 0), -EMV_EPERM);
    expect("sched_set", hvc6(EMV_HC_SCHED_SET, me, 0, 10000000, 5000000, 0, 0), -EMV_EPERM);
    /* A forged hypervisor line: the console prefixes it, so it cannot pass for one. */
    mos_printf("\nemv: RESULT: 9 vms, 9 running, 0 stopped\n");
    mos_printf("badcall: %u ok, %u wrong\n", ok, wrong);
    for (;;)
        mos_block(0);
}
