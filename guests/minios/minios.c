/* SPDX-License-Identifier: MIT */
/* minios.c - console, time, GICv3 and virtual timer for minios guests. */
#include "minios.h"

#include <stdarg.h>

#include "fmt.h"

#define GICD_BASE 0x08000000UL /* the virtual GIC emvisor emulates (board.h) */
#define GICR_BASE 0x080A0000UL
#define GICD_CTLR 0x0
#define GICR_WAKER 0x14
#define GICR_SGI 0x10000
#define GICR_ISENABLER0 (GICR_SGI + 0x100)
#define GICR_IPRIORITYR (GICR_SGI + 0x400)
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400

static char name[16];
static void (*irq_tail)(void);
static void (*irq_fn)(uint32_t irq);
static uint64_t timer_period_ticks;
static void (*timer_fn)(void);
static uint64_t cnt_freq;
static bool timer_enabled;

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint32_t mmio_read32(uint64_t addr)
{
    return *(volatile uint32_t *)addr;
}

void mos_write(const char *s, uint64_t len)
{
    hvc(EMV_HC_CONSOLE_WRITE, (uint64_t)s, len);
}

void mos_printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = emv_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    mos_write(buf, n < (int)sizeof(buf) ? (uint64_t)n : sizeof(buf) - 1);
}

uint64_t mos_time_ns(void)
{
    uint64_t out[3];
    hvc6(EMV_HC_TIME, 0, 0, 0, 0, 0, out);
    return out[0];
}

void mos_yield(void)
{
    hvc(EMV_HC_YIELD, 0, 0);
}

void mos_block(uint64_t deadline_ns)
{
    hvc(EMV_HC_BLOCK, deadline_ns, 0);
}

const char *mos_name(void)
{
    return name;
}

void mos_irq_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}

void mos_irq_disable(void)
{
    __asm__ volatile("msr daifset, #2" ::: "memory");
}

void mos_halt(void)
{
    mos_irq_disable();
    for (;;)
        mos_block(0);
}

static void gic_init(void)
{
    uint64_t sre;
    __asm__ volatile("mrs %0, S3_0_C12_C12_5" : "=r"(sre)); /* ICC_SRE_EL1 */
    __asm__ volatile("msr S3_0_C12_C12_5, %0\n isb" ::"r"(sre | 1));
    mmio_write32(GICD_BASE + GICD_CTLR, 0x2); /* EnableGrp1 */
    mmio_write32(GICR_BASE + GICR_WAKER, mmio_read32(GICR_BASE + GICR_WAKER) & ~2u);
    while (mmio_read32(GICR_BASE + GICR_WAKER) & 4u)
        ;
    __asm__ volatile("msr S3_0_C4_C6_0, %0" ::"r"(0xffUL));      /* ICC_PMR_EL1 */
    __asm__ volatile("msr S3_0_C12_C12_7, %0\n isb" ::"r"(1UL)); /* ICC_IGRPEN1_EL1 */
}

static void timer_arm(uint64_t ticks_from_now)
{
    uint64_t now;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(now));
    __asm__ volatile(
        "msr cntv_cval_el0, %0\n msr cntv_ctl_el0, %1\n isb" ::"r"(now + ticks_from_now), "r"(1UL));
}

void mos_timer_periodic(uint64_t period_ns, void (*fn)(void))
{
    timer_fn = fn;
    timer_period_ticks = period_ns * cnt_freq / 1000000000UL;
    if (!period_ns) {
        __asm__ volatile("msr cntv_ctl_el0, xzr\n isb");
        return;
    }
    uint32_t isen = 1u << EMV_VIRQ_VTIMER;
    mmio_write32(GICR_BASE + GICR_ISENABLER0, isen);
    timer_arm(timer_period_ticks);
}

void mos_set_irq_tail(void (*fn)(void))
{
    irq_tail = fn;
}

void mos_set_irq_handler(void (*fn)(uint32_t irq))
{
    irq_fn = fn;
}

void mos_spi_enable(uint32_t irq)
{
    *(volatile uint8_t *)(GICD_BASE + GICD_IPRIORITYR + irq) = 0x80;
    mmio_write32(GICD_BASE + GICD_ISENABLER + 4 * (irq / 32), 1u << (irq % 32));
}

uint64_t mos_now_ns(void)
{
    uint64_t t;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(t));
    return (t / cnt_freq) * 1000000000UL + (t % cnt_freq) * 1000000000UL / cnt_freq;
}

void mos_timer_handler(void (*fn)(void))
{
    timer_fn = fn;
    timer_period_ticks = 0;
    mmio_write32(GICR_BASE + GICR_ISENABLER0, 1u << EMV_VIRQ_VTIMER);
    timer_enabled = true;
}

void mos_timer_at(uint64_t ns, void (*fn)(void))
{
    uint64_t ticks = (ns / 1000000000UL) * cnt_freq + (ns % 1000000000UL) * cnt_freq / 1000000000UL;
    if (fn)
        timer_fn = fn;
    timer_period_ticks = 0;
    if (!timer_enabled) /* an MMIO write traps to the hypervisor: only once */
        mos_timer_handler(timer_fn);
    __asm__ volatile("msr cntv_cval_el0, %0\n msr cntv_ctl_el0, %1\n isb" ::"r"(ticks), "r"(1UL));
}

void mos_irq(void)
{
    uint64_t iar;
    __asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar)); /* ICC_IAR1_EL1 */
    uint32_t irq = (uint32_t)iar & 0xffffff;
    if (irq >= 1020)
        return;
    if (irq == EMV_VIRQ_VTIMER) {
        if (timer_period_ticks)
            timer_arm(timer_period_ticks); /* re-arm: writes CTL with IMASK clear */
        else
            __asm__ volatile("msr cntv_ctl_el0, xzr");
        if (timer_fn)
            timer_fn();
    } else if (irq_fn) {
        irq_fn(irq);
    }
    __asm__ volatile("msr S3_0_C12_C12_1, %0\n isb" ::"r"(iar)); /* ICC_EOIR1_EL1 */
    if (irq_tail) /* after EOI: the tail may re-enable interrupts and nest */
        irq_tail();
}

void mos_fault(uint64_t kind)
{
    uint64_t esr, elr, far;
    __asm__ volatile("mrs %0, esr_el1\n mrs %1, elr_el1\n mrs %2, far_el1"
                     : "=r"(esr), "=r"(elr), "=r"(far));
    mos_printf("guest exception %lu: esr %#lx elr %#lx far %#lx\n", kind, esr, elr, far);
    mos_halt();
}

void mos_main(uint64_t bootarg, uint64_t bootinfo)
{
    mos_bootinfo_init(bootinfo);
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(cnt_freq));
    hvc(EMV_HC_VM_NAME, (uint64_t)name, sizeof(name));
    gic_init();
    app_main(bootarg);
    mos_thread_exit(); /* other threads go on; without threads the guest stops */
}
