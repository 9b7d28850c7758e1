/* SPDX-License-Identifier: MIT */
/** vsysreg.h - trapped debug, PMU and set/way accesses of guests (vsysreg.c). */
#ifndef EMV_VSYSREG_H
#define EMV_VSYSREG_H

#include <stdbool.h>
#include <stdint.h>

#include "hyp.h"
#include "sysreg.h"
#include "sysreg_emul.h"

void vsysreg_cpu_init(unsigned cpu);
void vsysreg_vcpu_init(struct vcpu *v);

/* The per-vCPU state that lives in the hardware while the vCPU runs (vcpu_arch_restore). */
static inline void vsysreg_vcpu_load(const struct vcpu *v)
{
    write_sysreg(pmuserenr_el0, v->arch.pmu.userenr);
    write_sysreg(mdscr_el1, v->arch.dbg.mdscr & MDSCR_LIVE);
}
bool vsysreg_trap(struct vcpu *v, uint64_t *frame, uint32_t iss);

#endif
