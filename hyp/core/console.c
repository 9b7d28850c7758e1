/* SPDX-License-Identifier: MIT */
/*
 * console.c - the one console, shared by the hypervisor and every guest. Each line goes out
 * whole under a lock; hypervisor lines start with "emv: ", guest lines with "[vm-name] ".
 * A guest cannot forge a hypervisor line: its output is cut into lines, each one prefixed,
 * and control characters are replaced.
 */
#include <stdarg.h>

#include "drivers.h"
#include "fmt.h"
#include "hyp.h"
#include "spinlock.h"
#include "string.h"

static spinlock_t con_lock;

/* For gdb and the monitor: the last panic message stays here. */
char emv_panic_reason[160];

static void puts_locked(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            uart_putc('\r');
        uart_putc(s[i]);
    }
}

void hyp_log(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = emv_vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    size_t len = n < (int)sizeof(line) - 1 ? (size_t)n : sizeof(line) - 2;
    line[len++] = '\n';
    spin_lock(&con_lock);
    puts_locked("emv: ", 5);
    puts_locked(line, len);
    spin_unlock(&con_lock);
}

void hyp_panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emv_vsnprintf(emv_panic_reason, sizeof(emv_panic_reason), fmt, ap);
    va_end(ap);
    /* No lock: the panic must get out even if another CPU died holding it. */
    puts_locked("emv: PANIC: ", 12);
    puts_locked(emv_panic_reason, strlen(emv_panic_reason));
    puts_locked("\n", 1);
    for (;;)
        __asm__ volatile("wfi");
}

/* Called with con_lock held: vCPUs of one VM on several CPUs share the line buffer. */
static void flush_line(struct vm *vm)
{
    puts_locked("[", 1);
    puts_locked(vm->name, strlen(vm->name));
    puts_locked("] ", 2);
    puts_locked(vm->con_line, vm->con_len);
    puts_locked("\n", 1);
    vm->con_len = 0;
}

void vm_console_write(struct vm *vm, const char *buf, uint64_t len)
{
    spin_lock(&con_lock);
    for (uint64_t i = 0; i < len; i++) {
        char c = buf[i];
        if (c == '\r')
            continue;
        if (c == '\n') {
            flush_line(vm);
            continue;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            c = '.';
        vm->con_line[vm->con_len++] = c;
        if (vm->con_len == sizeof(vm->con_line))
            flush_line(vm);
    }
    spin_unlock(&con_lock);
}
