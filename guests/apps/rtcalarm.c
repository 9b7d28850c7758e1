/* SPDX-License-Identifier: MIT */
/*
 * rtcalarm.c - a device interrupt reaching the VM that owns the device: the guest programs
 * the PL031 real-time clock (given to it with `devices = "rtc"`; its address and interrupt
 * come from the boot information, as the config says) to raise its alarm one
 * second ahead, takes the interrupt (SPI 34) in its handler, clears it at the device and
 * re-arms, three times. The second and third alarms can only arrive if the hypervisor let the
 * guest's end of interrupt deactivate the physical line (list register hardware bit).
 */
#include "minios.h"

#define RTCDR 0x00   /* data: seconds */
#define RTCMR 0x04   /* match */
#define RTCCR 0x0c   /* control: bit 0 starts the counter */
#define RTCIMSC 0x10 /* interrupt mask: 1 = enabled */
#define RTCMIS 0x18  /* masked interrupt status */
#define RTCICR 0x1c  /* interrupt clear */
#define ALARMS 3

static volatile unsigned alarms, stray;
static uint64_t rtc_base; /* where the config put it, from the boot information */
static uint32_t rtc_irq;

static inline uint32_t rtc_rd(uint64_t off)
{
    return *(volatile uint32_t *)(rtc_base + off);
}

static inline void rtc_wr(uint64_t off, uint32_t v)
{
    *(volatile uint32_t *)(rtc_base + off) = v;
}

static void on_irq(uint32_t irq)
{
    if (irq != rtc_irq || !(rtc_rd(RTCMIS) & 1)) {
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
    struct mos_obj rtc;
    if (mos_obj_find("rtc", &rtc) || rtc.type != EMV_OBJ_DEVICE || !rtc.irq) {
        mos_printf("rtc: no RTC with an interrupt in the boot information\n");
        return;
    }
    rtc_base = rtc.ipa, rtc_irq = rtc.irq;
    mos_printf("rtc: the PL031 at %#lx, SPI %u\n", rtc_base, rtc_irq);
    mos_set_irq_handler(on_irq);
    mos_spi_enable(rtc_irq);
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
