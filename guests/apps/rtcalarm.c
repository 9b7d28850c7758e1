/* SPDX-License-Identifier: MIT */
/*
 * rtcalarm.c - a device interrupt reaching the VM that owns the device: the guest programs
 * the PL031 real-time clock (given to it with `devices = "rtc"`; its address and interrupt
 * come from the boot information, as the config says) to raise its alarm one
 * second ahead, takes the interrupt (SPI 34) in its handler, clears it at the device and
 * re-arms, three times. The second and third alarms can only arrive if the hypervisor let the
 * guest's end of interrupt deactivate the physical line (list register hardware bit).
 *
 * bootarg 1 (configs/test-rtcreset.dts): the first run loads the RTC's counter with
 * RESET_MARK and, in the handler of its first alarm, before its end of interrupt, asks PSCI
 * SYSTEM_RESET. The restarted run (memory cleared, but the RTC counts on from RESET_MARK, so
 * it knows) then takes its three alarms: only if the restart deactivated the interrupt that was
 * active across it.
 */
#include "minios.h"

#define RTCDR 0x00   /* data: seconds */
#define RTCMR 0x04   /* match */
#define RTCCR 0x0c   /* control: bit 0 starts the counter */
#define RTCIMSC 0x10 /* interrupt mask: 1 = enabled */
#define RTCMIS 0x18  /* masked interrupt status */
#define RTCICR 0x1c  /* interrupt clear */
#define RTCLR 0x08   /* load: the counter starts again from it */
#define ALARMS 3
#define RESET_MARK 1000u /* far below any date: the counter was loaded by the first run */
#define PSCI_SYSTEM_RESET 0x84000009u

static volatile unsigned alarms, stray;
static bool reset_in_handler;
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
    if (reset_in_handler) { /* still active: no end of interrupt before the restart */
        mos_printf("rtc: alarm taken, restarting the VM before its end of interrupt\n");
        hvc(PSCI_SYSTEM_RESET, 0, 0);
        mos_printf("rtc: SYSTEM_RESET returned\n");
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
    if (bootarg == 1 && rtc_rd(RTCDR) >= RESET_MARK + 100) { /* the first run */
        rtc_wr(RTCLR, RESET_MARK);
        reset_in_handler = true;
    } else if (bootarg == 1) {
        mos_printf("rtc: restarted (counter at %u s, loaded by the first run)\n", rtc_rd(RTCDR));
    }
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
