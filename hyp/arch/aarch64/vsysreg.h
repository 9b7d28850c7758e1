/* SPDX-License-Identifier: MIT */
/** vsysreg.h - trapped debug, PMU and set/way accesses of guests (vsysreg.c). */
#ifndef EMV_VSYSREG_H
#define EMV_VSYSREG_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

void vsysreg_cpu_init(unsigned cpu);
void vsysreg_vcpu_init(struct vcpu *v);
void vsysreg_vcpu_load(const struct vcpu *v);
bool vsysreg_trap(struct vcpu *v, uint64_t *frame, uint32_t iss);

#endif
