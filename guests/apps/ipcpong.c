/* SPDX-License-Identifier: MIT */
/*
 * ipcpong.c - synchronous IPC between VMs. bootarg 0: a server answering every call on its
 * endpoints (the objects of type EMV_OBJ_ENDPOINT it may receive on) with each word w ->
 * 3w + 1; with K in bits 32-63 (and 0 below), it faults on purpose while serving call K, so
 * that its VM stops in the middle of a call. A server that may also call an endpoint forwards
 * each call there and answers with 3r + 1 of the reply r (a chain of servers); the first
 * forward that fails is printed (`ipcpong: forward of call N failed (E)`). bootarg N > 0
 * (bits 0-31): a client making N calls on its (only) endpoint and checking every answer
 * (bits 32-39: the number of servers in the chain behind it, default 1); prints
 * `ipcpong: N calls, E wrong, F failed, C cycles each` at the end.
 *
 * Bit 63 set (either role, N in bits 0-31 as above): lean loops for the round-trip
 * benchmark. The message lives in registers only (x2..x5 out, x1..x4 back): no arrays, no
 * forwarding, no progress lines. The client sends w = i, i + 1, i + 2, i + 3 in call i and
 * checks every word of the answer (3w + 1), so the figure measures the hypervisor and little
 * else.
 */
#include "minios.h"

/* The first endpoint this VM has @right on (RECV: to serve, CALL: to call); false, and said so,
 * if there is none. */
static bool endpoint(uint32_t right, struct mos_obj *ep)
{
    if (!mos_obj_first(EMV_OBJ_ENDPOINT, right, ep))
        return true;
    mos_printf("ipcpong: no endpoint to %s\n", right == EMV_RIGHT_RECV ? "serve" : "call");
    return false;
}

/* A client's closing line: the figure the tests and the benchmark read. */
static void report(uint64_t n, uint64_t wrong, uint64_t failed, uint64_t t0)
{
    uint64_t cycles = mos_cycles() - t0;
    mos_printf("ipcpong: %lu calls, %lu wrong, %lu failed, %lu cycles each\n", n, wrong, failed,
               cycles / n);
}

static void serve(uint64_t crash_at)
{
    struct mos_obj ep;
    if (!endpoint(EMV_RIGHT_RECV, &ep))
        return;
    struct mos_obj next;
    bool forward = !mos_obj_first(EMV_OBJ_ENDPOINT, EMV_RIGHT_CALL, &next);
    mos_printf("ipcpong: serving %s (object %u)%s%s\n", ep.name, ep.index,
               forward ? ", forwarding to " : "", forward ? next.name : "");
    uint64_t reply[4] = {0}, msg[4], badge, calls = 0, forward_failed = 0;
    for (;;) {
        int64_t r = mos_ipc_reply_recv(ep.index, reply, &badge, msg);
        if (r < 0) {
            mos_printf("ipcpong: reply_recv failed (%ld)\n", r);
            return;
        }
        int64_t fr = forward ? mos_ipc_call(next.index, msg, msg) : 0;
        if (fr < 0) {
            if (!forward_failed++)
                mos_printf("ipcpong: forward of call %lu failed (%ld)\n", calls + 1, fr);
            msg[0] = msg[1] = msg[2] = msg[3] = 0; /* the client sees a wrong answer */
        }
        for (unsigned i = 0; i < 4; i++)
            reply[i] = 3 * msg[i] + 1;
        if (++calls == crash_at)
            *(volatile uint64_t *)0x1000 = 0; /* outside its RAM: the hypervisor stops it */
        if (calls % 5000 == 0)
            mos_printf("ipcpong: %lu calls served (last from badge %lu)\n", calls, badge);
    }
}

/* The lean server: reply_recv with the reply in x2..x5, the next call's message back in them. */
static void serve_lean(void)
{
    struct mos_obj ep;
    if (!endpoint(EMV_RIGHT_RECV, &ep))
        return;
    mos_printf("ipcpong: serving %s (object %u), lean\n", ep.name, ep.index);
    register uint64_t x0 __asm__("x0"), x1 __asm__("x1"),
        x2 __asm__("x2") = 0, x3 __asm__("x3") = 0, x4 __asm__("x4") = 0, x5 __asm__("x5") = 0;
    for (;;) {
        x0 = EMV_HC_IPC_REPLY_RECV;
        x1 = ep.index;
        __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5));
        if (x0) {
            mos_printf("ipcpong: reply_recv failed (%ld)\n", (int64_t)x0);
            return;
        }
        x2 = 3 * x2 + 1, x3 = 3 * x3 + 1, x4 = 3 * x4 + 1, x5 = 3 * x5 + 1;
    }
}

/* The lean client: n calls with the message in registers, every answer checked. */
static void client_lean(uint64_t n)
{
    struct mos_obj ep;
    if (!endpoint(EMV_RIGHT_CALL, &ep))
        return;
    mos_printf("ipcpong: %lu calls to %s on %s, lean\n", n, ep.peer, ep.name);
    uint64_t wrong = 0, failed = 0, t0 = mos_cycles();
    for (uint64_t i = 1; i <= n; i++) {
        register uint64_t x0 __asm__("x0") = EMV_HC_IPC_CALL, x1 __asm__("x1") = ep.index,
                             x2 __asm__("x2") = i, x3 __asm__("x3") = i + 1,
                             x4 __asm__("x4") = i + 2, x5 __asm__("x5") = i + 3;
        __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5));
        uint64_t e = 3 * i + 1;
        failed += x0 != 0;
        wrong += (x1 != e) | (x2 != e + 3) | (x3 != e + 6) | (x4 != e + 9);
    }
    report(n, wrong, failed, t0);
}

static uint64_t expect(uint64_t w, unsigned hops)
{
    for (unsigned h = 0; h < hops; h++)
        w = 3 * w + 1;
    return w;
}

static void client(uint64_t n, unsigned hops)
{
    struct mos_obj ep;
    if (!endpoint(EMV_RIGHT_CALL, &ep))
        return;
    mos_printf("ipcpong: %lu calls to %s on %s\n", n, ep.peer, ep.name);
    /* Hostile first: an index it does not have, and serving an endpoint it may only call. */
    uint64_t m[4] = {1, 2, 3, 4}, out[4], badge;
    int64_t no_obj = mos_ipc_call(ep.index + 7, m, out);
    int64_t no_right = mos_ipc_reply_recv(ep.index, m, &badge, out);
    mos_printf("ipcpong: bad calls: unknown index %ld, serve without the right %ld\n", no_obj,
               no_right);
    uint64_t wrong = 0, failed = 0, t0 = mos_cycles();
    for (uint64_t i = 1; i <= n; i++) {
        uint64_t msg[4] = {i, i * 7, ~i, i << 32}, reply[4];
        int64_t r = mos_ipc_call(ep.index, msg, reply);
        if (r < 0) {
            if (!failed++)
                mos_printf("ipcpong: call %lu failed (%ld)\n", i, r);
            continue;
        }
        for (unsigned k = 0; k < 4; k++)
            wrong += reply[k] != expect(msg[k], hops);
    }
    report(n, wrong, failed, t0);
}

void app_main(uint64_t bootarg)
{
    uint64_t n = bootarg & 0xffffffffu;
    if (bootarg >> 63 && n)
        client_lean(n);
    else if (bootarg >> 63)
        serve_lean();
    else if (n)
        client(n, (bootarg >> 32) & 0xff ? (bootarg >> 32) & 0xff : 1);
    else
        serve(bootarg >> 32);
    for (;;)
        mos_block(0);
}
