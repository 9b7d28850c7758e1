// SPDX-License-Identifier: MIT
/*
 * vmwork.c - the guest work of the VMs-versus-instructions benchmark (bench/linux_vms_bench.py).
 *
 * `vmwork T0 T1 [workers]`: forks `workers` (default 4) busy processes. Each waits (asleep,
 * then spinning for the last 20 ms) until the virtual counter CNTVCT_EL0 reaches T0 ms, then does
 * units of work until it reaches T1 ms, and reports how many it completed. A unit is one
 * Fletcher-style checksum (two sums modulo 65521) over a 4 KiB buffer: user-mode work only, no
 * system calls, so whatever else the system executes meanwhile (the guest kernel's ticks, the
 * hypervisor, the other VMs) is overhead on it. T0 and T1 are the same absolute times in every VM
 * of a run (the hypervisor gives all VMs the same counter), so all VMs work over one window.
 *
 * Output: `vmwork units=<sum> workers=<n> each=<u0>,<u1>,... window-ms=<T0>-<T1> sum=<hex>`,
 * or `vmwork late ...` (exit status 1) when the window had opened before the workers
 * started: the VM booted too late for the run to mean anything.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_WORKERS 16
#define UNIT_BYTES 4096

static inline uint64_t ticks(void)
{
    uint64_t t;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t)::"memory");
    return t;
}

static inline uint64_t freq(void)
{
    uint64_t f;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
    return f;
}

static uint8_t buf[UNIT_BYTES];

/* One unit of work: the checksum of buf, folded into *s. */
static void unit(uint32_t *s)
{
    uint32_t s1 = *s & 0xffff, s2 = *s >> 16;
    for (unsigned i = 0; i < UNIT_BYTES; i++) {
        s1 = (s1 + buf[i]) % 65521;
        s2 = (s2 + s1) % 65521;
    }
    *s = s2 << 16 | s1;
}

static void worker(int fd, uint64_t t0, uint64_t t1, uint64_t f)
{
    uint32_t sum = 1;
    unsigned long n = 0;
    uint64_t now = ticks(), margin = f / 50; /* sleep until 20 ms before T0, then spin */
    if (t0 - now > margin)
        usleep((useconds_t)((t0 - now - margin) * 1000000 / f));
    while (ticks() < t0)
        ;
    while (ticks() < t1) {
        unit(&sum);
        n++;
    }
    unsigned long msg[2] = {n, sum};
    if (write(fd, msg, sizeof(msg)) != sizeof(msg))
        _exit(1);
    _exit(0);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: vmwork T0-ms T1-ms [workers]\n");
        return 2;
    }
    unsigned long ms0 = strtoul(argv[1], 0, 0), ms1 = strtoul(argv[2], 0, 0);
    int nw = argc > 3 ? atoi(argv[3]) : 4;
    if (ms1 <= ms0 || nw < 1 || nw > MAX_WORKERS) {
        fprintf(stderr, "vmwork: need T0 < T1 and 1..%d workers\n", MAX_WORKERS);
        return 2;
    }
    uint64_t f = freq(), t0 = ms0 * f / 1000, t1 = ms1 * f / 1000, now = ticks();
    if (now >= t0) {
        printf("vmwork late: started at %llu ms, the window opened at %lu ms\n",
               (unsigned long long)(now * 1000 / f), ms0);
        return 1;
    }
    for (unsigned i = 0; i < UNIT_BYTES; i++)
        buf[i] = (uint8_t)(i * 131 + 7);
    int p[2];
    if (pipe(p))
        return 1;
    for (int i = 0; i < nw; i++) {
        pid_t pid = fork();
        if (pid < 0)
            return 1;
        if (pid == 0)
            worker(p[1], t0, t1, f);
    }
    close(p[1]);
    unsigned long total = 0, each[MAX_WORKERS];
    uint32_t x = 0;
    for (int i = 0; i < nw; i++) {
        unsigned long msg[2];
        if (read(p[0], msg, sizeof(msg)) != sizeof(msg)) {
            printf("vmwork failed: a worker did not report\n");
            return 1;
        }
        each[i] = msg[0];
        total += msg[0];
        x ^= (uint32_t)msg[1];
    }
    while (wait(0) > 0)
        ;
    printf("vmwork units=%lu workers=%d each=", total, nw);
    for (int i = 0; i < nw; i++)
        printf("%s%lu", i ? "," : "", each[i]);
    printf(" window-ms=%lu-%lu sum=%08x\n", ms0, ms1, x);
    return 0;
}
