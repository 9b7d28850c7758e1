/* SPDX-License-Identifier: MIT */
/*
 * rt_bench.c - how long rt_interface takes for a realistic component, as a markdown section
 * for docs/benchmarks.md (`make bench-rt`).
 *
 * Workload: 100 periodic tasks, periods uniform in [1, 1000] ms expressed in ns (so the
 * hyperperiod never fits in 64 bits and the lsbf bound does the work), seeded, utilisation
 * about 0.5. Wall time: clock_gettime(CLOCK_MONOTONIC) around each call to rt_interface_ex, median
 * of many calls. Instructions: the same call once under `valgrind --tool=callgrind
 * --toggle-collect=rt_interface`, when valgrind is installed.
 *
 *   rt_bench                      print the markdown section
 *   rt_bench --once edf|rm PERIOD one interface computation (what callgrind measures)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rt.h"
#include "rt_sim.h"

#define NTASKS 100
#define SEED 0x2024u
#define REPS 201
#define MS 1000000ull

static struct rt_task tasks[NTASKS];
static double util; /* of tasks[] */
/* 0.5-2 ms: below every task period; 5 and 10 ms: budgets within a hair of U P, where the
   search leaves a few budgets undecided (rt_interface_ex). */
static const rt_time_t periods[] = {MS / 2, 1 * MS, 2 * MS, 5 * MS, 10 * MS};

/* Periods uniform in [1, 1000] ms; wcets share a utilisation of 0.5 by random weights. */
static double make_tasks(void)
{
    uint64_t rng = SEED, w[NTASKS], wsum = 0;
    double u = 0;

    for (int i = 0; i < NTASKS; i++) {
        tasks[i].period = MS + rt_sim_rand(&rng) % (999 * MS + 1);
        w[i] = 1 + rt_sim_rand(&rng) % 1000;
        wsum += w[i];
    }
    for (int i = 0; i < NTASKS; i++) {
        tasks[i].wcet = (rt_time_t)(0.5 * (double)tasks[i].period * (double)w[i] / (double)wsum);
        if (tasks[i].wcet == 0)
            tasks[i].wcet = 1;
        u += (double)tasks[i].wcet / (double)tasks[i].period;
    }
    util = u;
    return u;
}

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

struct timing {
    int rc;
    struct rt_iface_result res;
    double median_us, min_us;
};

static struct timing time_interface(enum rt_policy pol, rt_time_t period)
{
    static double t[REPS];
    struct timing r;

    r.rc = rt_interface_ex(pol, period, tasks, NTASKS, &r.res); /* warm-up */
    for (int i = 0; i < REPS; i++) {
        double t0 = now_ns();
        struct rt_iface_result b;

        rt_interface_ex(pol, period, tasks, NTASKS, &b);
        t[i] = now_ns() - t0;
    }
    qsort(t, REPS, sizeof(t[0]), cmp_double);
    r.median_us = t[REPS / 2] / 1e3;
    r.min_us = t[0] / 1e3;
    return r;
}

/* Instructions executed inside rt_interface, by callgrind on `--once`; 0 if unavailable. */
static unsigned long long callgrind_ir(enum rt_policy pol, rt_time_t period)
{
    char out[] = "/tmp/rt_bench_cg_XXXXXX", cmd[512], line[256];
    unsigned long long ir = 0;
    int fd = mkstemp(out);
    FILE *f;

    if (fd < 0)
        return 0;
    close(fd);
    snprintf(cmd, sizeof(cmd),
             "valgrind --tool=callgrind --toggle-collect=rt_interface_ex "
             "--callgrind-out-file=%s /proc/%d/exe --once %s %llu >/dev/null 2>&1",
             out, (int)getpid(), pol == RT_EDF ? "edf" : "rm", (unsigned long long)period);
    if (system(cmd) == 0 && (f = fopen(out, "r"))) {
        while (fgets(line, sizeof(line), f)) {
            if (!strncmp(line, "totals:", 7) || !strncmp(line, "summary:", 8))
                ir = strtoull(strchr(line, ':') + 1, NULL, 10);
        }
        fclose(f);
    }
    unlink(out);
    return ir;
}

static void cpu_model(char *buf, size_t len)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];

    snprintf(buf, len, "unknown");
    while (f && fgets(line, sizeof(line), f)) {
        char *c = strchr(line, ':');

        if (!strncmp(line, "model name", 10) && c) {
            snprintf(buf, len, "%s", c + 2);
            buf[strcspn(buf, "\n")] = '\0';
            break;
        }
    }
    if (f)
        fclose(f);
}

static void print_pessimism(void)
{
    static const uint64_t seeds[] = {0x5eed0001, 0x5eed0002}; /* as in test_rt_sim */

    printf("\nAnalysis against simulation (tests/unit/test_rt_sim.c, 3000 random small task "
           "sets per policy, same seeds):\n\n"
           "| policy | analysis unschedulable | no miss, worst-case supply at the critical "
           "instant | no miss in 4 random legal supplies |\n|---|---|---|---|\n");
    for (int p = 0; p < 2; p++) {
        struct rt_sim_stats st;

        rt_sim_experiment(seeds[p], 3000, (enum rt_policy)p, &st);
        printf("| %s | %u | %u (%.1f%%) | %u (%.1f%%) |\n", p ? "RM" : "EDF", st.unsched,
               st.pess_worst, 100.0 * st.pess_worst / st.unsched, st.pess_random,
               100.0 * st.pess_random / st.unsched);
    }
    printf("\nThe analysis is exact against the worst-case supply pattern (supply in [0, t) is "
           "sbf(t) there), so the first column of pessimism is 0 by construction; the second "
           "shows what the worst-case guarantee costs against typical supply.\n");
}

static void print_row(enum rt_policy pol, rt_time_t period)
{
    struct timing t = time_interface(pol, period);
    unsigned long long ir = callgrind_ir(pol, period);
    char irs[32] = "n/a", budget[32], bw[16] = "-", slack[32] = "-", und[24] = "-";

    if (ir)
        snprintf(irs, sizeof(irs), "%llu", ir);
    snprintf(budget, sizeof(budget), "%s", rt_strerror(t.rc));
    if (t.rc == RT_SCHEDULABLE) {
        snprintf(budget, sizeof(budget), "%.6f ms", (double)t.res.budget / 1e6);
        snprintf(bw, sizeof(bw), "%.4f", (double)t.res.budget / (double)period);
        snprintf(und, sizeof(und), "%llu", (unsigned long long)t.res.undecided);
        if (pol == RT_EDF)
            snprintf(slack, sizeof(slack), "%.3f", (double)t.res.budget - util * (double)period);
    }
    printf("| %s | %.1f ms | %s | %s | %s | %s | %.1f us | %.1f us | %s |\n",
           pol == RT_RM ? "RM" : "EDF", (double)period / 1e6, budget, bw, slack, und, t.median_us,
           t.min_us, irs);
}

static int once(int argc, char **argv)
{
    struct rt_iface_result b;

    if (argc != 4)
        return 2;
    make_tasks();
    return rt_interface_ex(strcmp(argv[2], "rm") ? RT_EDF : RT_RM, strtoull(argv[3], NULL, 10),
                           tasks, NTASKS, &b) < 0;
}

int main(int argc, char **argv)
{
    char cpu[128];
    double u;

    if (argc > 1 && !strcmp(argv[1], "--once"))
        return once(argc, argv);
    u = make_tasks();
    printf("## rt-analysis: component interface computation\n\n"
           "`rt_interface` for %d periodic tasks, periods uniform in [1, 1000] ms in ns "
           "(seed 0x%x, hyperperiod far beyond 64 bits), utilisation %.3f.\n\n"
           "| policy | period | budget | bandwidth | Q - UP | undecided | median | min | "
           "instructions |\n"
           "|---|---|---|---|---|---|---|---|---|\n",
           NTASKS, SEED, u);
    for (size_t k = 0; k < sizeof(periods) / sizeof(periods[0]); k++) {
        print_row(RT_EDF, periods[k]);
        print_row(RT_RM, periods[k]);
    }
    cpu_model(cpu, sizeof(cpu));
    printf("\nEDF cost follows the lsbf bound 2(P-Q)Q / (Q - UP): the closer the budget is to "
           "U P, the longer the backward scan (column Q - UP, in ns). RM cost follows the "
           "response-time iterations and hardly depends on P. Column undecided: budgets below the "
           "answer "
           "that no probe of the search could decide within RT_IFACE_PROBE_LIMIT (2^22 task "
           "evaluations); the answer is then the smallest budget proven to pass, safe but up to "
           "that many ns above the minimum (0: exact minimum).\n");
    printf("\nMeasured by `make bench-rt` (build/host/rt_bench, gcc -O2): wall time with "
           "clock_gettime(CLOCK_MONOTONIC) around each call to rt_interface_ex, median and minimum "
           "of %d calls "
           "after one warm-up; instructions executed inside rt_interface_ex for one call, by "
           "`valgrind --tool=callgrind --toggle-collect=rt_interface_ex build/host/rt_bench "
           "--once POLICY PERIOD` (n/a without valgrind). Machine: nproc = %ld, CPU: %s.\n",
           REPS, sysconf(_SC_NPROCESSORS_ONLN), cpu);
    print_pessimism();
    return 0;
}
