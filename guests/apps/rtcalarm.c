/* SPDX-License-Identifier: MIT */
/*
 * rtcalarm.c - a device interrupt reaching the VM that owns the device: the guest programs
 * the PL031 real-time clock (given to it with `devices = "rtc"`) to raise its alarm one
 * second ahead, takes the interrupt (SPI 34) in its handler, clears it at the device and
 * re-arms, three times. The second and third alarms can only arrive if the hypervisor let the
 * guest's end of interrupt deactivate the physical line (list register hardware bit).
 */
#include "minios.h"

#define RTC_BASE 0x09010000UL /* PL031, identity-mapped (IPA == PA) */
#define RTC_IRQ 34
#define RTCDR 0x00   /* data: seconds */
#define RTCMR 0x04   /* match */
#define RTCCR 0x0c   /* control: bit 0 starts the counter */
#define RTCIMSC 0x10 /* interrupt mask: 1 = enabled */
#define RTCMIS 0x18  /* masked interrupt status */
#define RTCICR 0x1c  /* interrupt clear */
#define ALARMS 3

static volatile unsigned alarms, stray;

static inline uint32_t rtc_rd(uint64_t off)
{
    return *(volatile uint32_t *)(RTC_BASE + off);
}

static inline void rtc_wr(uint64_t off, uint32_t v)
{
    *(volatile uint32_t *)(RTC_BASE + off) = v;
}

static void on_irq(uint32_t irq)
{
    if (irq != RTC_IRQ || !(rtc_rd(RTCMIS) & 1)) {
        stray++;
        return;
    }
    rtc_wr(RTCICR, 1); /* the line goes low: then the EOI may deactivate it */
    alarms++;
    mos_printf("rtc: alarm %u at %u s (%lu ms)\n", alarms, rtc_rd(RTCDR), mos_time_ns() / 1000000);
    if (alarms < ALARMS)
        rtc_wr(RTCMR, rtc_rd(RTCDR) + 1);
    else
        rtc_wr(RTCIMSC, 0);
}

void app_main(uint64_t bootarg)
{
    (void)bootarg;
    mos_set_irq_handler(on_irq);
    mos_spi_enable(RTC_IRQ);
    rtc_wr(RTCCR, 1);
    rtc_wr(RTCICR, 1);
    rtc_wr(RTCMR, rtc_rd(RTCDR) + 1);
    rtc_wr(RTCIMSC, 1);
    mos_printf("rtc: armed at %u s\n", rtc_rd(RTCDR));
    mos_irq_enable();
    uint64_t give_up = mos_time_ns() + (ALARMS + 2) * 1000000000UL;
    while (alarms < ALARMS && mos_time_ns() < give_up)
        mos_block(give_up);
    mos_printf("rtc: %u alarm(s), %u stray interrupt(s)\n", alarms, stray);
    for (;;)
        mos_block(0);
}
