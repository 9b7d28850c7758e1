/* SPDX-License-Identifier: MIT */
/*
 * el1regs.S - the EL1 system registers of a vCPU switch (struct el1_sysregs, vcpu_arch.h),
 * saved and loaded two at a time: every VM switch and both halves of an IPC round trip pass
 * here. The offsets are the struct's, checked in vcpu_arch.c.
 */
#include "asm_defs.h"

.macro save2 a, b, off
    mrs     x1, \a
    mrs     x2, \b
    stp     x1, x2, [x0, #\off]
.endm

.macro load2 a, b, off
    ldp     x1, x2, [x0, #\off]
    msr     \a, x1
    msr     \b, x2
.endm

/* The guest's EL1 state into [x0]; its virtual timer is then stopped, so that it cannot fire
 * while another vCPU owns the CPU. VMPIDR_EL2 is the vCPU's constant: not saved. */
.macro el1_save_body
    save2   sctlr_el1, ttbr0_el1, 0
    save2   ttbr1_el1, tcr_el1, 16
    save2   mair_el1, amair_el1, 32
    save2   vbar_el1, contextidr_el1, 48
    save2   tpidr_el0, tpidrro_el0, 64
    save2   tpidr_el1, sp_el0, 80
    save2   sp_el1, elr_el1, 96
    save2   spsr_el1, esr_el1, 112
    save2   far_el1, afsr0_el1, 128
    save2   afsr1_el1, par_el1, 144
    save2   cpacr_el1, csselr_el1, 160
    save2   cntkctl_el1, cntv_ctl_el0, 176
    mrs     x1, cntv_cval_el0
    str     x1, [x0, #EL1_CNTV_CVAL]
    msr     cntv_ctl_el0, xzr
.endm

/* [x0] into the EL1 registers (and VMPIDR_EL2); the timer's control last, so an expired timer
 * fires only once the rest is in place. */
.macro el1_load_body
    load2   sctlr_el1, ttbr0_el1, 0
    load2   ttbr1_el1, tcr_el1, 16
    load2   mair_el1, amair_el1, 32
    load2   vbar_el1, contextidr_el1, 48
    load2   tpidr_el0, tpidrro_el0, 64
    load2   tpidr_el1, sp_el0, 80
    load2   sp_el1, elr_el1, 96
    load2   spsr_el1, esr_el1, 112
    load2   far_el1, afsr0_el1, 128
    load2   afsr1_el1, par_el1, 144
    load2   cpacr_el1, csselr_el1, 160
    ldp     x1, x2, [x0, #176]          /* cntkctl, cntv_ctl */
    ldp     x3, x4, [x0, #EL1_CNTV_CVAL] /* cntv_cval, vmpidr */
    msr     cntkctl_el1, x1
    msr     vmpidr_el2, x4
    msr     cntv_cval_el0, x3
    msr     cntv_ctl_el0, x2
.endm

    .text
/* el1_save(s): the EL1 state into @s. */
    .global el1_save
el1_save:
    el1_save_body
    ret

/* el1_load(s): @s into the EL1 registers. The caller ends with an ISB. */
    .global el1_load
el1_load:
    el1_load_body
    ret

/* el1_switch(from, to): el1_save(from), el1_load(to) and the ISB that ends a switch; the last
 * step of vcpu_arch_switch (a tail call: the switch then needs no stack frame). */
    .global el1_switch
el1_switch:
    mov     x5, x1                      /* the bodies use x1-x4 */
    el1_save_body
    mov     x0, x5
    el1_load_body
    isb
    ret
