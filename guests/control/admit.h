/* SPDX-License-Identifier: MIT */
/**
 * admit.h - the control VM's admission logic: pure C over a table of the system's periodic
 * servers, using rt/ for the analysis. Host unit-tested (tests/unit/test_admit.c).
 */
#ifndef CTL_ADMIT_H
#define CTL_ADMIT_H

#include <stdint.h>

#include "emv/admit.h"
#include "emv/hypercall.h"

#define ADMIT_MAX_SERVERS 32
#define ADMIT_MAX_CPUS 8

struct admit_server {
    uint32_t vm, vcpu, cpu;
    uint64_t period_us, budget_us; /**< period 0: best effort */
};

struct admit_state {
    unsigned n;
    struct admit_server srv[ADMIT_MAX_SERVERS];
    uint32_t cpu_policy[ADMIT_MAX_CPUS]; /**< EMV_CPU_* (EMV_HC_CPU_INFO): how each CPU schedules */
    uint64_t overhead_us; /**< added to every budget: switches and enforcement per period */
};

/** Decide one request from VM @vm. Fills @resp; on ADMITTED also updates @st (the caller
 * then installs resp->period_us/budget_us with EMV_HC_SCHED_SET). */
void admit_request(struct admit_state *st, uint32_t vm, const struct emv_admit_req *req,
                   struct emv_admit_resp *resp);

#endif
