/* SPDX-License-Identifier: MIT */
/* timer.c - generic timer (Arm ARM D11): CNTPCT for time, CNTHP for the scheduler tick. */
#include "drivers.h"
#include "sysreg.h"
#include "ticks.h"

uint64_t timer_now_ticks(void)
{
    isb(); /* CNTPCT reads may be speculated early without it (D11.2.2) */
    return read_sysreg(cntpct_el0);
}

uint64_t timer_freq(void)
{
    return read_sysreg(cntfrq_el0);
}

ns_t timer_ticks_to_ns(uint64_t ticks)
{
    return ticks_to_ns(ticks, timer_freq());
}

uint64_t timer_ns_to_ticks(ns_t ns)
{
    return ns_to_ticks(ns, timer_freq());
}

ns_t timer_now_ns(void)
{
    return timer_ticks_to_ns(timer_now_ticks());
}

void timer_hyp_arm(ns_t deadline)
{
    write_sysreg(cnthp_cval_el2, timer_ns_to_ticks(deadline));
    write_sysreg(cnthp_ctl_el2, 1); /* ENABLE, not masked */
    isb();
}

void timer_hyp_disarm(void)
{
    write_sysreg(cnthp_ctl_el2, 0);
    isb();
}
