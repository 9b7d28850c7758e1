/* SPDX-License-Identifier: MIT */
/*
 * console.c - the one console, shared by the hypervisor and every guest. Hypervisor lines
 * start with "emv: ", guest lines with "[vm-name] ". A guest cannot forge a hypervisor line:
 * its output is cut into lines, each one prefixed, and control characters are replaced.
 *
 * Nobody waits for the UART. Lines go whole into an output ring (conring.c) under a short
 * lock; whoever holds the lock then moves bytes to the UART only while its FIFO takes them,
 * and the UART's transmit interrupt (on CPU 0) moves the rest. So a slow UART costs a CPU
 * no more than a copy of its own line, and one CPU's printing never stalls another's
 * scheduling. A full ring drops whole lines and says so ("emv: console: N bytes dropped").
 * At power-off and on panic the console turns synchronous: everything queued goes out.
 */
#include <stdarg.h>

#include "board.h"
#include "conring.h"
#include "drivers.h"
#include "fmt.h"
#include "hyp.h"
#include "spinlock.h"
#include "string.h"

#define CON_RING_SIZE 16384

static spinlock_t con_lock;
static char ring_buf[CON_RING_SIZE];
static struct conring ring = {.buf = ring_buf, .mask = CON_RING_SIZE - 1};
static uint32_t drain_max = UINT32_MAX; /* bytes per drain (console-test-fifo) */
static bool tx_irq_on, sync_mode;
static uint64_t tx_irqs;

/* For gdb and the monitor: the last panic message stays here. */
char emv_panic_reason[160];

static bool uart_tx(void *ctx, char c)
{
    (void)ctx;
    return uart_try_putc(c);
}

static bool uart_tx_wait(void *ctx, char c)
{
    (void)ctx;
    uart_putc(c);
    return true;
}

/* With con_lock held: what the FIFO takes now; the transmit interrupt while more waits. */
static void drain_locked(void)
{
    if (sync_mode) {
        conring_drain(&ring, uart_tx_wait, 0, UINT32_MAX);
        return;
    }
    conring_drain(&ring, uart_tx, 0, drain_max);
    bool more = conring_used(&ring) != 0;
    if (more != tx_irq_on) {
        uart_tx_irq(more);
        tx_irq_on = more;
    }
}

static void put_locked(const struct conring_piece *p, unsigned n)
{
    conring_put(&ring, p, n);
    drain_locked();
}

void console_init(uint32_t test_fifo)
{
    if (test_fifo)
        drain_max = test_fifo;
    gic_enable_spi(PLAT_UART_IRQ, 0);
}

/* The UART's transmit interrupt: its FIFO has room again. */
void console_irq(void)
{
    spin_lock(&con_lock);
    tx_irqs++;
    uart_tx_irq_ack();
    drain_locked();
    spin_unlock(&con_lock);
}

/* From now on every write goes out before it returns (power-off report, panic). */
void console_sync(void)
{
    spin_lock(&con_lock);
    sync_mode = true;
    uart_tx_irq(false);
    tx_irq_on = false;
    drain_locked();
    spin_unlock(&con_lock);
}

void console_stats(uint64_t *irqs, uint64_t *dropped)
{
    spin_lock(&con_lock);
    *irqs = tx_irqs;
    *dropped = ring.dropped_total;
    spin_unlock(&con_lock);
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
    const struct conring_piece p[] = {{"emv: ", 5}, {line, len}};
    spin_lock(&con_lock);
    put_locked(p, 2);
    spin_unlock(&con_lock);
}

static void raw_puts(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            uart_putc('\r');
        uart_putc(*s);
    }
}

void hyp_panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emv_vsnprintf(emv_panic_reason, sizeof(emv_panic_reason), fmt, ap);
    va_end(ap);
    /* No lock: the panic must get out even if another CPU died holding it. What is queued
     * goes first (a writer caught halfway may leave a torn line), then the message. */
    sync_mode = true;
    conring_drain(&ring, uart_tx_wait, 0, UINT32_MAX);
    raw_puts("emv: PANIC: ");
    raw_puts(emv_panic_reason);
    raw_puts("\n");
    for (;;)
        __asm__ volatile("wfi");
}

/* Called with con_lock held: vCPUs of one VM on several CPUs share the line buffer. */
static void flush_line(struct vm *vm)
{
    const struct conring_piece p[] = {
        {"[", 1}, {vm->name, strlen(vm->name)}, {"] ", 2}, {vm->con_line, vm->con_len}, {"\n", 1}};
    put_locked(p, 5);
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
