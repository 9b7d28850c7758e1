/* SPDX-License-Identifier: MIT */
/*
 * threads.c - exercises minios threads; every line it prints is measured, the system test
 * (tests/system/run.py, scenario threads) judges them.
 *   1. round robin: two threads of equal priority yield to each other; the order is logged.
 *   2. sleep and preemption: a high-priority thread sleeps on a 10 ms grid while two
 *      low-priority threads spin without ever yielding; its wake-up lateness is measured.
 *   3. create and exit at run time: threads end, their slots are reused; a full table
 *      refuses a new thread with -1.
 *   4. a periodic real-time task beside a spinning background thread: no misses, and the
 *      background thread still progresses.
 */
#include "minios.h"

#define ROUNDS 20

static char order[2 * ROUNDS + 1];
static unsigned pos;

static void rr_worker(void *arg)
{
    for (int i = 0; i < ROUNDS; i++) {
        order[pos++] = (char)(uintptr_t)arg;
        mos_thread_yield();
    }
}

static volatile bool stop_spin;
static volatile uint64_t spin_loops[2];

static void spinner(void *arg)
{
    unsigned k = (unsigned)(uintptr_t)arg;
    while (!stop_spin)
        spin_loops[k]++;
}

static uint64_t worst_late_ns, wakeups;

static void sleeper(void *arg)
{
    uint64_t period = 10000000, next = mos_now_ns() + period;
    for (unsigned i = 0; i < (unsigned)(uintptr_t)arg; i++, next += period) {
        mos_thread_sleep_until(next);
        uint64_t late = mos_now_ns() - next;
        if (late > worst_late_ns)
            worst_late_ns = late;
        wakeups++;
    }
}

static void nothing(void *arg)
{
    (void)arg;
}

static void wait_gone(int id)
{
    while (mos_thread_alive(id))
        mos_thread_sleep_until(mos_now_ns() + 1000000);
}

static volatile int from_job = -2;
static volatile uint64_t job_sleep_ns;

/* The first job also tries what a job must not do: yield, sleep, start a thread. */
static void rt_job(void *arg)
{
    if (from_job == -2) {
        mos_thread_yield();
        uint64_t t0 = mos_now_ns();
        mos_thread_sleep_until(t0 + 2000000);
        job_sleep_ns = mos_now_ns() - t0;
        from_job = mos_thread_create("from-job", nothing, 0, 1);
    }
    mos_spin_ns((uint64_t)(uintptr_t)arg);
}

void app_main(uint64_t bootarg)
{
    (void)bootarg;
    mos_rt_init(MOS_EDF);
    mos_irq_enable();

    /* 1: main (priority 10) starts two priority-5 workers and sleeps until they are done */
    int a = mos_thread_create("rr-a", rr_worker, (void *)'a', 5);
    int b = mos_thread_create("rr-b", rr_worker, (void *)'b', 5);
    wait_gone(a);
    wait_gone(b);
    bool alternate = pos == 2 * ROUNDS;
    for (unsigned i = 1; i < pos; i++)
        alternate = alternate && order[i] != order[i - 1];
    order[pos < 12 ? pos : 12] = 0;
    mos_printf("threads: round robin %s: %s... (%u turns)\n", alternate ? "alternates" : "BROKEN",
               order, pos);

    /* 2: a priority-20 sleeper preempts two priority-5 spinners that never yield */
    int s = mos_thread_create("sleeper", sleeper, (void *)50, 20);
    int s0 = mos_thread_create("spin-0", spinner, (void *)0, 5);
    int s1 = mos_thread_create("spin-1", spinner, (void *)1, 5);
    wait_gone(s);
    stop_spin = true;
    wait_gone(s0);
    wait_gone(s1);
    mos_printf("threads: sleeper woke %lu times on a 10 ms grid, worst lateness %lu us, "
               "while spinners ran %lu and %lu loops\n",
               wakeups, worst_late_ns / 1000, spin_loops[0], spin_loops[1]);

    /* 3: slots come back; a full table says -1 */
    int ids[MOS_MAX_THREADS], n = 0, id;
    while ((id = mos_thread_create("filler", nothing, 0, 1)) >= 0)
        ids[n++] = id;
    mos_printf("threads: table full after %d more threads: create returned %d\n", n, id);
    for (int i = 0; i < n; i++)
        wait_gone(ids[i]);
    id = mos_thread_create("again", nothing, 0, 1);
    mos_printf("threads: after they exited a new thread got slot %d\n", id);
    wait_gone(id);

    /* 4: an EDF task (5 ms every 20 ms, 2.5 ms of work) beside a background spinner */
    stop_spin = false;
    spin_loops[0] = 0;
    int bg = mos_thread_create("background", spinner, (void *)0, 1);
    int t = mos_task_create("rt20", 20000000, 5000000, rt_job, (void *)2500000);
    mos_thread_sleep_until(mos_now_ns() + 1000000000);
    mos_task_remove(t);
    stop_spin = true;
    wait_gone(bg);
    mos_printf("threads: background spinner ran %lu loops beside the task\n", spin_loops[0]);
    mos_printf("threads: inside a job: sleep returned after %lu us, create gave %d, "
               "which ran %lu time(s)\n",
               job_sleep_ns / 1000, from_job, from_job >= 0 ? mos_thread_runs(from_job) : 0);
    mos_rt_report();
    mos_printf("threads: done\n");
}
