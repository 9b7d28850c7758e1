// SPDX-License-Identifier: MIT
/*
 * lmb.c - lmbench-style micro-benchmarks for a Linux guest, run the same way natively (Linux
 * straight on QEMU) and in an emvisor VM, so the two can be compared as a ratio.
 *
 * Built static for arm64 (aarch64-linux-gnu-gcc -static) and put in the initramfs. The clock
 * is the virtual counter CNTVCT_EL0, which Linux lets user space read. Under QEMU's
 * `-icount shift=0,sleep=off` it advances one tick per 16 instructions executed, so
 * `16 * ticks / iterations` is the instructions one operation costs: every instruction the
 * system ran meanwhile, at EL0, EL1 and, in a VM, EL2, and nothing else (QEMU models no caches).
 * The other CPUs must be idle while a test runs, or their instructions are counted too.
 *
 * Output, one line per test: `lmb <test> <iterations> <instructions per op> <t0> <t1>` (an
 * integer and two decimals, then the counter values the test ran between), then `lmb done`.
 * `lmb --exec-child` is the program fork+exec runs; `lmb --ticks` prints the virtual counter
 * once (`lmb ticks <n>`: /init's first command, for the boot time).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define INSNS_PER_TICK 16

static inline uint64_t ticks(void)
{
    uint64_t t;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t)::"memory");
    return t;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

/* The test ran from counter value t0 to t1; the window goes out too, so that a trace of the
 * same run (the hypervisor's guest exits, in ns = 16 ticks) can be matched to it. */
static void report(const char *name, unsigned long n, uint64_t t0, uint64_t t1)
{
    /* hundredths of an instruction per operation, in integers */
    uint64_t c = (t1 - t0) * INSNS_PER_TICK * 100 / n;
    printf("lmb %s %lu %llu.%02llu %llu %llu\n", name, n, (unsigned long long)(c / 100),
           (unsigned long long)(c % 100), (unsigned long long)t0, (unsigned long long)t1);
    fflush(stdout);
}

static void t_null(unsigned long n)
{
    for (unsigned long i = 0; i < n / 10; i++) /* warm up */
        syscall(SYS_getppid);
    uint64_t t0 = ticks();
    for (unsigned long i = 0; i < n; i++)
        syscall(SYS_getppid);
    report("null-syscall", n, t0, ticks());
}

static void t_rw(unsigned long n)
{
    int fd = open("/dev/null", O_RDWR);
    char c = 0;
    if (fd < 0)
        die("open /dev/null");
    uint64_t t0 = ticks();
    for (unsigned long i = 0; i < n; i++)
        if (read(fd, &c, 1) < 0)
            die("read");
    report("read-devnull", n, t0, ticks());
    t0 = ticks();
    for (unsigned long i = 0; i < n; i++)
        if (write(fd, &c, 1) != 1)
            die("write");
    report("write-devnull", n, t0, ticks());
    close(fd);
}

static void t_open(unsigned long n)
{
    uint64_t t0 = ticks();
    for (unsigned long i = 0; i < n; i++) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd < 0)
            die("open");
        close(fd);
    }
    report("open-close", n, t0, ticks());
}

static void t_fork(unsigned long n, const char *self)
{
    uint64_t t0 = ticks();
    for (unsigned long i = 0; i < n; i++) {
        pid_t p = fork();
        if (p < 0)
            die("fork");
        if (p == 0)
            _exit(0);
        waitpid(p, 0, 0);
    }
    report("fork-exit", n, t0, ticks());
    t0 = ticks();
    for (unsigned long i = 0; i < n; i++) {
        pid_t p = fork();
        if (p < 0)
            die("fork");
        if (p == 0) {
            execl(self, self, "--exec-child", (char *)0);
            _exit(127);
        }
        int st;
        waitpid(p, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "lmb: exec of %s failed\n", self);
            exit(1);
        }
    }
    report("fork-exec", n, t0, ticks());
}

/* A byte back and forth between two processes through two pipes: two context switches. */
static void t_pipe(unsigned long n)
{
    int a[2], b[2];
    char c = 'x';
    if (pipe(a) || pipe(b))
        die("pipe");
    pid_t p = fork();
    if (p < 0)
        die("fork");
    if (p == 0) {
        close(a[1]); /* else its own write end keeps the read below from seeing EOF */
        close(b[0]);
        for (;;) {
            if (read(a[0], &c, 1) != 1)
                _exit(0);
            if (write(b[1], &c, 1) != 1)
                _exit(1);
        }
    }
    close(a[0]);
    close(b[1]);
    for (int i = 0; i < 10; i++) /* warm up */
        if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
            die("pipe warm-up");
    uint64_t t0 = ticks();
    for (unsigned long i = 0; i < n; i++)
        if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
            die("pipe");
    uint64_t t1 = ticks();
    close(a[1]);
    waitpid(p, 0, 0);
    close(b[0]);
    report("pipe-roundtrip", n, t0, t1);
}

/* First touch of fresh anonymous pages: one page fault each (and the page's zeroing). */
static void t_fault(unsigned long pages)
{
    long psz = sysconf(_SC_PAGESIZE);
    char *m = mmap(0, pages * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        die("mmap");
    uint64_t t0 = ticks();
    for (unsigned long i = 0; i < pages; i++)
        m[i * psz] = 1;
    uint64_t t1 = ticks();
    munmap(m, pages * psz);
    report("page-fault", pages, t0, t1);
}

/* CPU-bound work that never leaves EL0: a Fletcher-style checksum over 64 KiB, n times. */
static void t_cpu(unsigned long n)
{
    static uint8_t buf[65536];
    for (unsigned i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 131 + 7);
    uint32_t s1 = 0, s2 = 0;
    uint64_t t0 = ticks();
    for (unsigned long k = 0; k < n; k++)
        for (unsigned i = 0; i < sizeof(buf); i++) {
            s1 = (s1 + buf[i]) % 65521;
            s2 = (s2 + s1) % 65521;
        }
    report("cpu-checksum-64k", n, t0, ticks());
    printf("lmb checksum %08x\n", (unsigned)(s2 << 16 | s1));
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--exec-child"))
        return 0;
    if (argc > 1 && !strcmp(argv[1], "--ticks")) {
        printf("lmb ticks %llu\n", (unsigned long long)ticks());
        return 0;
    }
    unsigned long scale = argc > 1 ? strtoul(argv[1], 0, 0) : 1;
    if (!scale)
        scale = 1;
    t_null(2000 * scale);
    t_rw(2000 * scale);
    t_open(500 * scale);
    t_fork(20 * scale, argv[0]);
    t_pipe(200 * scale);
    t_fault(256 * scale);
    t_cpu(4 * scale);
    printf("lmb done\n");
    return 0;
}
