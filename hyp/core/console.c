/* SPDX-License-Identifier: MIT */
/*
 * console.c - the one console, shared by the hypervisor and every guest. Hypervisor lines
 * start with "emv: ", guest lines with "[vm-name] ". A guest cannot forge a hypervisor line:
 * its output is cut into lines, each one prefixed, and control characters are replaced.
 *
 * Nobody waits for the UART. A guest's buffer is copied, then cut into lines under the VM's
 * own lock; each line goes whole into an output ring (conring.c) under the global lock,
 * held for one line; whoever holds it then moves bytes to the UART only while its FIFO
 * takes them, and the UART's transmit interrupt (on CONSOLE_CPU) moves the rest. So a slow
 * UART costs a CPU no more than a copy of its own line, and one CPU's printing never stalls
 * another's scheduling. Each VM may hold only its share of the ring (conring.h): a full
 * share drops that VM's whole lines and says so ("emv: console: N bytes dropped (vm)");
 * the report counts them per VM. At power-off and on panic the console turns synchronous:
 * everything queued goes out.
 */
#include <stdarg.h>

#include "arch_cpu.h"
#include "board.h"
#include "conring.h"
#include "drivers.h"
#include "fmt.h"
#include "hyp.h"
#include "spinlock.h"
#include "string.h"

#define CON_RING_SIZE 16384
#define CON_FIFO_BYTES 32 /* the PL011's transmit FIFO: the most one interrupt moves */

/*
 * The bound on the transmit interrupt's work on CONSOLE_CPU. Each interrupt moves at most
 * one FIFO's worth (CON_FIFO_BYTES, or console-test-fifo if smaller). A window opens when
 * CON_IRQS_PER_WINDOW interrupts have been counted (the clock is read only then) or when a
 * throttle ends; the interrupt that spends a window's budget before CON_IRQ_WINDOW_NS have
 * passed masks the UART's transmit interrupt until the window ends, and CONSOLE_CPU's first
 * scheduling decision after that unmasks it (console_poll(), whose deadline arms that
 * CPU's timer). So the console takes at most CON_IRQS_PER_WINDOW interrupt entries (each
 * with at most one FIFO of MMIO writes) per window, 2 * CON_IRQS_PER_WINDOW in any span of
 * CON_IRQ_WINDOW_NS, however often the UART raises its interrupt (QEMU's PL011 raises it
 * again at once). A real UART needs far fewer: at 115200 baud a 32-byte FIFO empties about
 * 0.4 times per millisecond, so the throttle only ever stops a misbehaving source.
 */
#define CON_IRQ_WINDOW_NS 1000000UL
#define CON_IRQS_PER_WINDOW 64

static spinlock_t con_lock;
static char ring_buf[CON_RING_SIZE];
static uint8_t ring_who[CON_RING_SIZE];
/* owners[0] is the hypervisor, owners[id] VM id; console_init() gives the VMs their shares.
 * Until then only the hypervisor writes, and may use the whole ring. */
static struct conring_owner owners[EMV_MAX_VMS + 1] = {
    {.name = "hypervisor", .limit = CON_RING_SIZE}};
static struct conring ring = {
    .buf = ring_buf, .who = ring_who, .mask = CON_RING_SIZE - 1, .owners = owners, .nr_owners = 1};
static uint32_t drain_max = UINT32_MAX;   /* bytes per writer's drain (console-test-fifo) */
static uint32_t irq_max = CON_FIFO_BYTES; /* bytes per transmit interrupt */
static bool tx_irq_on, sync_mode;
static ns_t window_start;
ns_t console_throttled_until; /* 0 while the transmit interrupt is not throttled */
static unsigned window_irqs;
static uint64_t tx_irqs, throttles;
/* Each CPU's copy of the guest buffer being written: hypercalls run with interrupts masked,
 * so one CPU handles one console write at a time. */
static char stage[PLAT_MAX_CPUS][EMV_CONSOLE_MAX];

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

static void tx_irq_set(bool on)
{
    if (on != tx_irq_on) {
        uart_tx_irq(on);
        tx_irq_on = on;
    }
}

/* With con_lock held: up to @max bytes the FIFO takes now; the transmit interrupt while
 * more waits (unless the interrupt is throttled: console_poll() turns it back on). */
static void drain_locked(uint32_t max)
{
    if (sync_mode) {
        conring_drain(&ring, uart_tx_wait, 0, UINT32_MAX);
        return;
    }
    conring_drain(&ring, uart_tx, 0, max);
    tx_irq_set(conring_used(&ring) != 0 && !console_throttled_until);
}

static void put_locked(unsigned owner, const struct conring_piece *p, unsigned n)
{
    conring_put(&ring, owner, p, n);
    drain_locked(drain_max);
}

void console_init(uint32_t test_fifo)
{
    if (test_fifo)
        drain_max = test_fifo;
    if (drain_max < irq_max)
        irq_max = drain_max;
    unsigned n = emv_config.nr_vms < EMV_MAX_VMS ? emv_config.nr_vms : EMV_MAX_VMS;
    spin_lock(&con_lock);
    conring_share(&ring, n + 1);
    spin_unlock(&con_lock);
    gic_enable_spi(PLAT_UART_IRQ, CONSOLE_CPU);
}

/* With con_lock held: count this interrupt; true once CON_IRQS_PER_WINDOW came within one
 * window. The clock is read only then (each read costs, and most interrupts need none): a
 * window that is over already starts a new one, at that moment. */
static bool irq_budget_spent(void)
{
    if (++window_irqs < CON_IRQS_PER_WINDOW)
        return false;
    ns_t now = timer_now_ns();
    window_irqs = 0;
    if (now - window_start < CON_IRQ_WINDOW_NS)
        return true;
    window_start = now;
    return false;
}

/* The UART's interrupt: received bytes go to the VM that has the input (vpl011.c); the
 * transmit FIFO has room again: moves one FIFO's worth. */
void console_irq(void)
{
    for (int c, n = 0; n < CON_FIFO_BYTES && (c = uart_getc()) >= 0; n++)
        vpl011_input((char)c);
    spin_lock(&con_lock);
    tx_irqs++;
    uart_tx_irq_ack();
    drain_locked(irq_max);
    if (irq_budget_spent() && !sync_mode) {
        __atomic_store_n(&console_throttled_until, window_start + CON_IRQ_WINDOW_NS,
                         __ATOMIC_RELAXED);
        throttles++;
        tx_irq_set(false);
    }
    spin_unlock(&con_lock);
}

/* On CONSOLE_CPU at each scheduling decision: unmask a throttled transmit interrupt once its
 * window is over. Returns when it must be called again (NS_NEVER: not throttled). */
ns_t console_poll(ns_t now)
{
    ns_t until = __atomic_load_n(&console_throttled_until, __ATOMIC_RELAXED);
    if (likely(!until))
        return NS_NEVER;
    if (now < until)
        return until;
    spin_lock(&con_lock);
    __atomic_store_n(&console_throttled_until, 0, __ATOMIC_RELAXED);
    window_start = now; /* a new window: the budget is whole again */
    window_irqs = 0;
    if (!sync_mode)
        tx_irq_set(conring_used(&ring) != 0);
    spin_unlock(&con_lock);
    return NS_NEVER;
}

/* From now on every write goes out before it returns (power-off report, panic). */
void console_sync(void)
{
    spin_lock(&con_lock);
    sync_mode = true;
    tx_irq_set(false);
    drain_locked(UINT32_MAX);
    spin_unlock(&con_lock);
}

void console_report(void)
{
    uint64_t dropped[EMV_MAX_VMS + 1];
    spin_lock(&con_lock);
    uint64_t irqs = tx_irqs, thr = throttles, total = ring.dropped_total;
    for (unsigned i = 0; i <= EMV_MAX_VMS; i++)
        dropped[i] = owners[i].dropped_total;
    spin_unlock(&con_lock);
    hyp_log("console: tx-irqs=%lu dropped-bytes=%lu throttled=%lu", irqs, total, thr);
    for (unsigned i = 0; i < nr_vms; i++)
        hyp_log("console: vm %s dropped-bytes=%lu", vms[i].name, dropped[vms[i].id]);
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
    put_locked(0, p, 2);
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
        arch_wait_irq();
}

/* With vm->con_lock held: the line goes into the ring under con_lock, held for one line. */
static void flush_line(struct vm *vm)
{
    const struct conring_piece p[] = {
        {"[", 1}, {vm->name, strlen(vm->name)}, {"] ", 2}, {vm->con_line, vm->con_len}, {"\n", 1}};
    spin_lock(&con_lock);
    owners[vm->id].name = vm->name; /* for its drop notice */
    put_locked(vm->id, p, 5);
    spin_unlock(&con_lock);
    vm->con_len = 0;
}

/* With vm->con_lock held (vCPUs of one VM on several CPUs share the line buffer): cut into
 * lines, each prefixed, control characters replaced, so no guest can forge a line. */
static void format(struct vm *vm, const char *buf, uint64_t len)
{
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
}

void vm_console_putc(struct vm *vm, char c)
{
    if (!spin_trylock(&vm->con_lock))
        spin_lock(&vm->con_lock);
    format(vm, &c, 1);
    spin_unlock(&vm->con_lock);
}

/* The guest's buffer is copied first, then formatted under the VM's own lock: the global
 * lock is held only while each finished line goes into the ring. */
int vm_console_write(struct vm *vm, ipa_t buf, uint64_t len)
{
    char *copy = stage[this_pcpu()->id];
    if (len > EMV_CONSOLE_MAX)
        len = EMV_CONSOLE_MAX;
    int r = copy_from_guest(vm, copy, buf, len);
    if (r)
        return r;
    /* The VM's lock is its own: nearly always free, so it is taken without spin_lock()'s
     * WFE, which QEMU's TCG treats as a yield to the other CPUs (one per lock, in tests). */
    if (!spin_trylock(&vm->con_lock))
        spin_lock(&vm->con_lock);
    format(vm, copy, len);
    spin_unlock(&vm->con_lock);
    return 0;
}
