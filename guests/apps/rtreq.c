/* SPDX-License-Identifier: MIT */
/*
 * rtreq.c - a guest that asks the control VM to admit task sets, for the admission tests.
 * bootarg: number of tasks of 40 ms period and 4 ms WCET in the first request (default 1);
 * the second request adds a 20 ms / 5 ms task, which needs more than the CPU has left in
 * the test configs. Also tries to set a budget directly, which must be refused, and sends a
 * malformed request.
 */
#include "emv/admit.h"
#include "minios.h"

static volatile unsigned got_irq;

static int64_t ask(struct emv_admit_req *req, struct emv_admit_resp *resp)
{
    int64_t r;
    while ((r = hvc6(EMV_HC_MSG_SEND, 0, (uint64_t)req, sizeof(*req), 0, 0, 0)) == -EMV_EAGAIN)
        mos_yield();
    if (r < 0)
        return r;
    for (;;) {
        uint64_t out[3];
        int64_t n = hvc6(EMV_HC_MSG_RECV, (uint64_t)resp, sizeof(*resp), 0, 0, 0, out);
        if (n == (int64_t)sizeof(*resp) && resp->seq == req->seq)
            return 0;
        mos_block(0); /* until the answer's interrupt */
    }
}

static void request(struct emv_admit_req *req, const char *what)
{
    struct emv_admit_resp resp;
    int64_t r = ask(req, &resp);
    if (r < 0) {
        mos_printf("rtreq: %s: send failed %ld\n", what, r);
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
