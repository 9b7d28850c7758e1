/* SPDX-License-Identifier: MIT */
/*
 * control.c - the control VM: holds the system's periodic-server interfaces, answers
 * admission requests from guests with the rt/ analysis, and installs what it admits with
 * the privileged EMV_HC_SCHED_SET. Every admitted budget carries a per-period overhead:
 * twice the largest hypervisor overhead any server on that CPU has suffered in one period
 * so far (measured by the hypervisor, EMV_HC_SCHED_STATS: interrupt entries while it ran
 * and the switch that brought it in), and never less than the bootarg in microseconds
 * (default 10, for a CPU with no history yet).
 */
#include "admit.h"
#include "minios.h"

static struct admit_state st;
static uint64_t overhead_floor_us;
static volatile unsigned msgs_pending;

static void load_servers(void)
{
    for (uint32_t vm = 1; vm <= 8; vm++) {
        for (uint32_t vcpu = 0; vcpu < 4; vcpu++) {
            uint64_t out[3];
            if (hvc6(EMV_HC_SCHED_GET, vm, vcpu, 0, 0, 0, out) < 0)
                break;
            if (st.n == ADMIT_MAX_SERVERS)
                return;
            st.srv[st.n++] =
                (struct admit_server){vm, vcpu, (uint32_t)out[2], out[0] / 1000, out[1] / 1000};
            if (out[0])
                mos_printf("control: vm %u vcpu %u on cpu %lu: budget %lu us every %lu us\n", vm,
                           vcpu, out[2], out[1] / 1000, out[0] / 1000);
        }
    }
}

/* The overhead to charge a request from (vm, vcpu): from what its CPU's servers measured. */
static void update_overhead(uint32_t vm, uint32_t vcpu)
{
    uint32_t cpu = UINT32_MAX;
    for (unsigned i = 0; i < st.n; i++)
        if (st.srv[i].vm == vm && st.srv[i].vcpu == vcpu)
            cpu = st.srv[i].cpu;
    uint64_t worst_ns = 0;
    for (unsigned i = 0; i < st.n; i++) {
        uint64_t out[3];
        if (st.srv[i].cpu != cpu || !st.srv[i].period_us ||
            hvc6(EMV_HC_SCHED_STATS, st.srv[i].vm, st.srv[i].vcpu, 0, 0, 0, out) < 0)
            continue;
        if (out[0] > worst_ns)
            worst_ns = out[0];
    }
    uint64_t us = (2 * worst_ns + 999) / 1000;
    st.overhead_us = us > overhead_floor_us ? us : overhead_floor_us;
    if (cpu != UINT32_MAX)
        mos_printf("control: cpu %u: measured overhead up to %lu ns per period, charging %lu us\n",
                   cpu, worst_ns, st.overhead_us);
}

static void serve(void)
{
    static struct emv_admit_req req;
    struct emv_admit_resp resp;
    for (;;) {
        uint64_t out[3];
        int64_t n = hvc6(EMV_HC_MSG_RECV, (uint64_t)&req, sizeof(req), 0, 0, 0, out);
        if (n < 0)
            return;
        uint32_t from = (uint32_t)out[0];
        if ((uint64_t)n != sizeof(req))
            req.magic = 0; /* answered as malformed */
        else
            update_overhead(from, req.vcpu);
        uint64_t t0 = mos_cycles();
        admit_request(&st, from, &req, &resp);
        resp.analysis_cycles = mos_cycles() - t0;
        int64_t set = 0;
        if (resp.result == EMV_ADMITTED)
            set = hvc6(EMV_HC_SCHED_SET, from, req.vcpu, resp.period_us * 1000,
                       resp.budget_us * 1000, 0, 0);
        mos_printf("control: vm %u asks for %u task(s): %s: %s (analysis %lu cycles)%s\n", from,
                   req.nr_tasks, resp.result == EMV_ADMITTED ? "admitted" : "refused", resp.reason,
                   resp.analysis_cycles, set < 0 ? " [install failed]" : "");
        while (hvc6(EMV_HC_MSG_SEND, from, (uint64_t)&resp, sizeof(resp), 0, 0, 0) == -EMV_EAGAIN)
            mos_yield(); /* the guest's inbox is full: wait, never drop an answer */
    }
}

void app_main(uint64_t bootarg)
{
    overhead_floor_us = bootarg ? bootarg : 10;
    st.overhead_us = overhead_floor_us;
    load_servers();
    for (uint32_t cpu = 0; cpu < ADMIT_MAX_CPUS; cpu++) {
        uint64_t out[3];
        static const char *const names[] = {"edf", "rm", "rr", "credit"};
        if (hvc6(EMV_HC_CPU_INFO, cpu, 0, 0, 0, 0, out) != 0)
            continue;
        st.cpu_policy[cpu] = (uint32_t)out[0];
        mos_printf("control: cpu %u orders servers by %s\n", cpu, out[0] < 4 ? names[out[0]] : "?");
    }
    mos_printf("control: %u vcpu(s) known, overhead per period: 2 x measured, at least %lu us\n",
               st.n, overhead_floor_us);
    /* Messages raise EMV_VIRQ_MSG (an SGI, enabled from reset): sleeping until any
     * interrupt and then draining the inbox is all the control VM needs. */
    mos_irq_enable();
    for (;;) {
        serve();
        mos_block(0);
    }
}
