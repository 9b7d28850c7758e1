/* SPDX-License-Identifier: MIT */
/*
 * thread.c - minios threads: each has its own stack and a fixed priority; the highest
 * ready one runs, equals take turns when one yields or sleeps. Periodic real-time jobs
 * (rtrun.c) outrank every thread: they run from the interrupt tail on a stack of their own,
 * and a thread switch waits until the outermost job completes. When nothing is ready the
 * idle thread blocks the vCPU in the hypervisor (EMV_HC_BLOCK) until the next release or
 * wake-up, so the server's unused budget goes to other VMs.
 *
 * The virtual timer is the kernel's once threads or tasks are used (kern_rearm); switches
 * happen with interrupts masked, from a voluntary call or from the interrupt tail (the
 * interrupted thread's full register frame stays on its stack until it runs again).
 * FP/SIMD registers are not switched: minios is built with -mgeneral-regs-only.
 */
#include "kern.h"
#include "minios.h"

#define THREAD_STACK 8192
#define IDLE_STACK 2048
#define RT_STACK 16384
#define CANARY 0x6b63617473736f6dUL /* "mosstack" */
#define SLICE_NS 10000000UL         /* round robin among ready threads of equal priority */

static struct mos_thread th[MOS_MAX_THREADS];
static uint64_t stacks[MOS_MAX_THREADS - 2][THREAD_STACK / 8] __attribute__((aligned(16)));
static uint64_t idle_stack[IDLE_STACK / 8] __attribute__((aligned(16)));
static uint64_t rt_stack[RT_STACK / 8] __attribute__((aligned(16)));
static int cur; /* the running thread: 0 is app_main's (boot stack), the last one idles */
#define IDLE (MOS_MAX_THREADS - 1)
static bool inited;
static uint64_t turns; /* counts ended turns: tq_pick's round-robin order */
static uint64_t armed = UINT64_MAX;
extern uint64_t __stack_bottom[]; /* minios.ld: the boot stack's lowest word */

static void check_stack(const struct mos_thread *t)
{
    if (t->stack_lo && *t->stack_lo != CANARY) {
        mos_printf("minios: thread '%s' overflowed its stack\n", t->name);
        mos_halt();
    }
}

/* The running thread's turn is over (it yields, sleeps, or used its slice): to the back. */
static void end_turn(void)
{
    th[cur].turn = ++turns;
    th[cur].slice_end = 0;
}

/* Switch to the thread the queue picks, if it is another one. Interrupts masked. */
static void reschedule(bool yielding)
{
    int next = tq_pick(th, MOS_MAX_THREADS, cur, yielding);
    if (next < 0 || next == cur)
        return;
    int prev = cur;
    check_stack(&th[prev]);
    cur = next;
    th[next].runs++;
    if (!th[next].slice_end) /* a new turn; a preempted thread resumes its own */
        th[next].slice_end = mos_now_ns() + SLICE_NS;
    kern_rearm();
    mos_ctx_switch(&th[prev].sp, th[next].sp);
}

void kern_rearm(void)
{
    uint64_t next = rtk_next_release(), wake = tq_next_wake(th, MOS_MAX_THREADS);
    if (wake < next)
        next = wake;
    int other = tq_pick(th, MOS_MAX_THREADS, cur, true);
    struct mos_thread *c = &th[cur];
    if (other >= 0 && other != cur && c->state == MOS_T_READY && th[other].prio == c->prio) {
        if (!c->slice_end) /* an equal thread waits: end this turn on time */
            c->slice_end = mos_now_ns() + SLICE_NS;
        if (c->slice_end < next)
            next = c->slice_end;
    }
    if (next != UINT64_MAX && next != armed) {
        armed = next;
        mos_timer_at(next, 0); /* 0: keep kern_timer */
    }
}

static void kern_timer(void)
{
    uint64_t now = mos_now_ns();
    armed = UINT64_MAX; /* it fired */
    rtk_release(now);
    tq_wake_due(th, MOS_MAX_THREADS, now);
    kern_rearm();
}

/* After every interrupt's EOI, interrupts masked: jobs first, then maybe another thread. */
static void kern_tail(void)
{
    bool in_job = rtk_busy();
    kern_run_jobs();
    if (in_job) /* no thread switch inside a job: it would leave the job stack */
        return;
    bool expired = th[cur].slice_end && mos_now_ns() >= th[cur].slice_end;
    if (expired)
        end_turn();
    reschedule(expired);
}

static void idle_loop(void *unused)
{
    (void)unused;
    for (;;) {
        mos_irq_disable();
        uint64_t next = rtk_next_release(), wake = tq_next_wake(th, MOS_MAX_THREADS);
        if (tq_pick(th, MOS_MAX_THREADS, cur, true) == cur) /* nothing else ready */
            mos_block(wake < next ? wake : next == UINT64_MAX ? 0 : next);
        mos_irq_enable(); /* the pending interrupt is taken here; its tail switches */
        mos_irq_disable();
        end_turn();
        reschedule(true);
        mos_irq_enable();
    }
}

/* Slot @i becomes a ready thread that will start in mos_thread_boot(fn, arg). */
static int spawn(int i, const char *name, void (*fn)(void *), void *arg, int prio, uint64_t *lo,
                 uint64_t *top)
{
    *lo = CANARY;
    top -= 12; /* mos_ctx_switch's frame: x19..x30 */
    for (int k = 0; k < 12; k++)
        top[k] = 0;
    top[0] = (uint64_t)fn;                     /* x19 */
    top[1] = (uint64_t)arg;                    /* x20 */
    top[11] = (uint64_t)mos_thread_trampoline; /* x30 */
    th[i] = (struct mos_thread){.state = MOS_T_READY,
                                .prio = prio,
                                .turn = ++turns,
                                .name = name,
                                .sp = (uint64_t)top,
                                .fn = fn,
                                .arg = arg,
                                .stack_lo = lo};
    return i;
}

void kern_run_jobs(void)
{
    if (rtk_busy()) {
        rtk_dispatch(); /* already on the job stack: nest */
        return;
    }
    mos_call_on_stack(rtk_dispatch, rt_stack + RT_STACK / 8);
    if (rt_stack[0] != CANARY) {
        mos_printf("minios: the real-time job stack overflowed\n");
        mos_halt();
    }
}

void kern_init(void)
{
    if (inited)
        return;
    inited = true;
    th[0] = (struct mos_thread){.state = MOS_T_READY,
                                .prio = MOS_PRIO_DEFAULT,
                                .name = "main",
                                .stack_lo = __stack_bottom,
                                .runs = 1};
    *__stack_bottom = CANARY;
    rt_stack[0] = CANARY;
    spawn(IDLE, "idle", idle_loop, 0, -1, &idle_stack[0], &idle_stack[IDLE_STACK / 8]);
    mos_set_irq_tail(kern_tail);
    mos_timer_handler(kern_timer); /* the kernel's timer from now on, armed by kern_rearm */
}

void mos_thread_boot(void (*fn)(void *), void *arg)
{
    mos_irq_enable(); /* switched to with interrupts masked */
    fn(arg);
    mos_thread_exit();
}

int mos_thread_create(const char *name, void (*fn)(void *), void *arg, int prio)
{
    if (!fn || prio < 0 || prio > MOS_PRIO_MAX)
        return -1;
    kern_init();
    mos_irq_disable();
    int i = 1;
    while (i < IDLE && th[i].state != MOS_T_FREE)
        i++;
    int id = i < IDLE ? spawn(i, name, fn, arg, prio, &stacks[i - 1][0],
                              &stacks[i - 1][THREAD_STACK / 8])
                      : -1;
    if (id >= 0) {
        kern_rearm(); /* an equal thread now waits: time slices */
        if (!rtk_busy())
            reschedule(false); /* a more urgent thread starts at once (after a job ends) */
    }
    mos_irq_enable();
    return id;
}

/* Inside a real-time job there is no thread switch (it would leave the job stack): a job
 * runs to completion, so yield returns at once and sleeping is refused. */
static bool in_job(const char *what)
{
    static bool told;
    if (!rtk_busy())
        return false;
    if (what && !told) {
        told = true;
        mos_printf("minios: %s inside a real-time job: refused (jobs run to completion)\n", what);
    }
    return true;
}

void mos_thread_yield(void)
{
    kern_init();
    if (in_job(0))
        return;
    mos_irq_disable();
    end_turn();
    reschedule(true);
    mos_irq_enable();
}

void mos_thread_sleep_until(uint64_t ns)
{
    kern_init();
    if (in_job("mos_thread_sleep_until"))
        return;
    mos_irq_disable();
    if (ns > mos_now_ns()) {
        th[cur].state = MOS_T_SLEEPING;
        th[cur].wake_ns = ns;
        end_turn();
        kern_rearm();
        reschedule(true);
    }
    mos_irq_enable();
}

void mos_thread_exit(void)
{
    if (!inited) /* no threads: returning from app_main stops the guest */
        mos_halt();
    if (in_job("mos_thread_exit")) /* cannot return, cannot switch: a bug in this guest */
        mos_halt();
    mos_irq_disable();
    th[cur].state = MOS_T_FREE; /* its stack is not reused before the switch below */
    reschedule(true);
    for (;;)
        ;
}

int mos_thread_self(void)
{
    return cur;
}

uint64_t mos_thread_runs(int id)
{
    return id >= 0 && id < MOS_MAX_THREADS ? th[id].runs : 0;
}

bool mos_thread_alive(int id)
{
    return id >= 0 && id < MOS_MAX_THREADS && th[id].state != MOS_T_FREE;
}
