/* SPDX-License-Identifier: MIT */
/*
 * rtreq.c - a guest that asks the control VM to admit task sets, for the admission tests.
 * bootarg: number of tasks of 40 ms period and 4 ms WCET in the first request (default 1);
 * the second request adds a 20 ms / 5 ms task, which needs more than the CPU has left in
 * the test configs. Also tries to set a budget directly, which must be refused, and sends a
 * malformed request. It asks over its own ring to the control VM (config: channel admit-X,
 * region admbuf-X).
 */
#include "emv/admit.h"
#include "minios.h"

static void request(struct emv_admit_req *req, const char *what)
{
    struct emv_admit_resp resp;
    if (mos_admit_ask(req, &resp, 0)) { /* over its ring admbuf-X, channel admit-X */
        mos_printf("rtreq: %s: no answer\n", what);
        return;
    }
    mos_printf("rtreq: %s: %s: %s\n", what, resp.result == EMV_ADMITTED ? "ADMITTED" : "REFUSED",
               resp.reason);
}

void app_main(uint64_t bootarg)
{
    unsigned n = bootarg ? (unsigned)bootarg : 1;
    static struct emv_admit_req req = {.magic = EMV_ADMIT_MAGIC, .op = EMV_ADMIT_SET_TASKS};
    mos_irq_enable();
    mos_block(mos_time_ns() + 50000000UL); /* let the control VM start */
    req.seq = 1;
    req.nr_tasks = n;
    for (unsigned i = 0; i < n; i++)
        req.tasks[i] = (struct emv_admit_task){40000, 4000};
    request(&req, "fits");
    req.seq = 2;
    req.tasks[req.nr_tasks++] = (struct emv_admit_task){20000, 5000};
    request(&req, "too big");
    /* It holds no VM object with EMV_RIGHT_CONTROL: no index of its table installs anything. */
    unsigned taken = 0;
    for (uint64_t i = 0; i <= EMV_MAX_OBJS; i++)
        taken += hvc6(EMV_HC_SCHED_SET, i, 0, 10000000, 10000000, 0, 0) >= 0;
    mos_printf("rtreq: direct SCHED_SET: %s\n",
               taken ? "WRONG: accepted" : "refused for every index");
    req.seq = 3;
    req.magic = 0;
    request(&req, "malformed");
    for (;;)
        mos_block(0);
}
