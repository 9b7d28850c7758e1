/* SPDX-License-Identifier: MIT */
/*
 * vectors.S - the EL2 exception vector table (Arm ARM D1.10.2). An exception from a guest
 * saves its registers in the current vCPU's register file (its trap frame) and calls C with a
 * pointer to it; the return loads the frame of the vCPU current by then, so a vCPU switch
 * copies no registers.
 */
#include "asm_defs.h"
#include "board.h"
#include "emv/hypercall.h"

/*
 * A guest's registers go straight into its vCPU (struct vcpu.regs, the trap frame of the vCPU
 * running here): x0, x1 are parked on this CPU's stack while x0 finds the frame. On exit,
 * frame_return loads the frame of whichever vCPU is current then, so a vCPU switch is only a
 * change of pcpu.current. sp is the top of this CPU's stack at every entry from a guest.
 */
.macro guest_entry handler
    stp     x0, x1, [sp, #-16]!
    guest_entry_rest \handler
.endm

/* With x0, x1 parked at [sp]: save the rest, call \handler(frame), return to the guest. */
.macro guest_entry_rest handler
    guest_save
    bl      \handler
    b       frame_return
.endm

/* With x0, x1 parked at [sp]: the guest's registers into its frame, x0 = the frame. */
.macro guest_save
    mrs     x0, tpidr_el2               /* this CPU's struct pcpu */
    ldr     x0, [x0, #PCPU_CURRENT]
    add     x0, x0, #VCPU_REGS
    stp     x2, x3, [x0, #16 * 1]
    stp     x4, x5, [x0, #16 * 2]
    stp     x6, x7, [x0, #16 * 3]
    stp     x8, x9, [x0, #16 * 4]
    stp     x10, x11, [x0, #16 * 5]
    stp     x12, x13, [x0, #16 * 6]
    stp     x14, x15, [x0, #16 * 7]
    stp     x16, x17, [x0, #16 * 8]
    stp     x18, x19, [x0, #16 * 9]
    stp     x20, x21, [x0, #16 * 10]
    stp     x22, x23, [x0, #16 * 11]
    stp     x24, x25, [x0, #16 * 12]
    stp     x26, x27, [x0, #16 * 13]
    stp     x28, x29, [x0, #16 * 14]
    ldp     x2, x3, [sp], #16
    stp     x2, x3, [x0, #16 * 0]
    mrs     x2, elr_el2
    mrs     x3, spsr_el2
    stp     x30, x2, [x0, #16 * 15]
    str     x3, [x0, #FRAME_SPSR]
.endm

/* A fault inside the hypervisor: the frame on the stack, for the report; never returns. */
.macro vector_fault kind
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #16 * 0]
    stp     x2, x3, [sp, #16 * 1]
    stp     x28, x29, [sp, #16 * 14]
    mrs     x0, elr_el2
    stp     x30, x0, [sp, #16 * 15]
    mov     x0, sp
    mov     x1, #\kind
    bl      hyp_fault
    b       .
.endm

/*
 * One table: \sync and \irq handle a lower EL's synchronous exceptions and interrupts. Two
 * copies: el2_vectors, and el2_vectors_traced, which a CPU takes instead
 * (arch_use_traced_vectors) when the config traces, so that the untraced trap paths test no
 * flag (every hypercall passes there).
 */
.macro el2_table name, sync, irq
    .balign 0x800
    .global \name
\name:
    /* Current EL with SP0: never used. */
    vector_fault 0
    vector_fault 1
    vector_fault 2
    vector_fault 3
    /* Current EL with SPx: a fault inside the hypervisor. */
    vector_fault 4
    vector_fault 5
    vector_fault 6
    vector_fault 7
    /* Lower EL, AArch64: the guests. A read of PMCCNTR_EL0 (MRS with any Rt) is served by
     * pmccntr_read without the C path; everything else saves the frame as usual. */
    .balign 0x80
    stp     x0, x1, [sp, #-16]!
    mrs     x0, esr_el2
    tbnz    x0, #27, \name\()_sync    /* EC bit 1 set (HVC is 0x16): not a trapped MRS (0x18) */
    and     x0, x0, #ESR_RT_CLEAR
    movz    x1, #(ESR_MRS_PMCCNTR & 0xffff)
    movk    x1, #(ESR_MRS_PMCCNTR >> 16), lsl #16
    cmp     x0, x1
    b.eq    pmccntr_read
    b       \name\()_sync
    .balign 0x80
    guest_entry \irq
    .balign 0x80
    guest_entry \irq
    .balign 0x80
    guest_entry trap_guest_serror
    /* Lower EL, AArch32: not supported (HCR_EL2.RW = 1). */
    vector_fault 12
    vector_fault 13
    vector_fault 14
    vector_fault 15
\name\()_sync:
    \sync\()_entry
.endm

.macro trap_guest_sync_traced_entry
    guest_entry_rest trap_guest_sync_traced
.endm

/*
 * Not tracing: an IPC call or reply_recv (HVC #0, x0 = EMV_HC_IPC_CALL or _REPLY_RECV) tries
 * the fast path first (docs/abi.md, IPC): trap_ipc_call or trap_ipc_reply_recv decodes and,
 * when it can, hands the message over and names the vCPU to switch to; sched_ipc_switch
 * switches and returns to it. Everything else, and a call the fast path does not take, goes to
 * trap_guest_sync. x19, saved in the frame, keeps the frame across the C calls (which preserve
 * it).
 */
.if EMV_HC_IPC_REPLY_RECV != EMV_HC_IPC_CALL + 1
.error "the IPC fast path's test takes the two calls as one range, reply_recv the second"
.endif
.macro trap_guest_sync_entry
    guest_save
ipc_fast_test: /* a symbol of its own, for bench/ipc_profile.py */
    ldr     x2, [x0]                    /* the guest's x0: the call number first, so that */
    sub     x2, x2, #EMV_HC_IPC_CALL    /* every other trap pays four instructions */
    cmp     x2, #(EMV_HC_IPC_REPLY_RECV - EMV_HC_IPC_CALL)
    b.hi    1f
    mrs     x3, esr_el2
    movz    x4, #(ESR_HVC0 >> 16), lsl #16
    cmp     x3, x4
    b.ne    1f
    mov     x19, x0
    cbnz    x2, 3f
    bl      trap_ipc_call
    b       4f
3:  bl      trap_ipc_reply_recv
4:  cbz     x0, 2f
    bl      sched_ipc_switch
    b       frame_return
2:  mov     x0, x19
1:  bl      trap_guest_sync
    b       frame_return
.endm

    .section .text.vectors, "ax"
    el2_table el2_vectors, trap_guest_sync, trap_guest_irq
    el2_table el2_vectors_traced, trap_guest_sync_traced, trap_guest_irq_traced

    .text
/*
 * A guest's MRS Xt, PMCCNTR_EL0 (trapped by MDCR_EL2.TPM, Arm ARM D13.2.79): Xt = the
 * vCPU's virtual cycle counter, (hardware count & vpmu.mask) + vpmu.base (sysreg_emul.h),
 * then return past the MRS. Only x0-x3 are touched, saved in the frame's first slots.
 */
pmccntr_read:
    stp     x2, x3, [sp, #-16]!         /* below x0, x1: [sp] x2 x3 x0 x1 */
    mrs     x2, tpidr_el2               /* this CPU's struct pcpu */
    ldr     x2, [x2, #PCPU_CURRENT]
    add     x2, x2, #VCPU_VPMU
    ldp     x2, x3, [x2]                /* base, mask */
    mrs     x1, pmccntr_el0
    and     x1, x1, x3
    add     x1, x1, x2
    mrs     x2, elr_el2
    add     x2, x2, #4
    msr     elr_el2, x2
    mrs     x0, esr_el2
    ubfx    x0, x0, #5, #5              /* Rt */
    adr     x2, 1f
    add     x2, x2, x0, lsl #3
    br      x2
1:  /* Two instructions per Rt: x0-x3 go to their stack slots, x4-x30 directly, 31 is XZR. */
    .irp    n, 0, 1, 2, 3
    str     x1, [sp, #8 * ((\n + 2) % 4)]
    b       2f
    .endr
    .irp    n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
    mov     x\n, x1
    b       2f
    .endr
    b       2f
    nop
2:  ldp     x2, x3, [sp], #16
    ldp     x0, x1, [sp], #16
    eret

    .global frame_return
/* Return to the vCPU current on this CPU now (possibly another than the one that trapped):
 * load its frame (struct vcpu.regs) and return to it. sp is back at the top of the stack. */
frame_return:
    mrs     x0, tpidr_el2
    ldr     x0, [x0, #PCPU_CURRENT]
    add     x0, x0, #VCPU_REGS
    ldp     x30, x1, [x0, #16 * 15]
    ldr     x2, [x0, #FRAME_SPSR]
    msr     elr_el2, x1
    msr     spsr_el2, x2
    ldp     x2, x3, [x0, #16 * 1]
    ldp     x4, x5, [x0, #16 * 2]
    ldp     x6, x7, [x0, #16 * 3]
    ldp     x8, x9, [x0, #16 * 4]
    ldp     x10, x11, [x0, #16 * 5]
    ldp     x12, x13, [x0, #16 * 6]
    ldp     x14, x15, [x0, #16 * 7]
    ldp     x16, x17, [x0, #16 * 8]
    ldp     x18, x19, [x0, #16 * 9]
    ldp     x20, x21, [x0, #16 * 10]
    ldp     x22, x23, [x0, #16 * 11]
    ldp     x24, x25, [x0, #16 * 12]
    ldp     x26, x27, [x0, #16 * 13]
    ldp     x28, x29, [x0, #16 * 14]
    ldp     x0, x1, [x0, #16 * 0]
    eret

/*
 * sched_enter(stack_top): the boot path's way into the scheduler. The boot call chain is
 * dropped (sp at the top of this CPU's stack, where every guest entry finds it); the first
 * decision makes a vCPU current, and frame_return enters it.
 */
    .global sched_enter
sched_enter:
    mov     sp, x0
    bl      sched_start
    b       frame_return

/* early_puts(x0 = string): raw PL011 output, usable before anything is set up. */
    .global early_puts
early_puts:
    ldr     x1, =PLAT_UART_BASE
1:  ldrb    w2, [x0], #1
    cbz     w2, 3f
2:  ldr     w3, [x1, #0x18]
    tbnz    w3, #5, 2b              /* FR.TXFF */
    str     w2, [x1]
    b       1b
3:  ret

/* fpsimd_save(buf) / fpsimd_restore(buf): q0-q31, FPSR, FPCR; 528 bytes. */
    .arch_extension fp
    .arch_extension simd
    .global fpsimd_save
fpsimd_save:
    stp     q0, q1, [x0, #32 * 0]
    stp     q2, q3, [x0, #32 * 1]
    stp     q4, q5, [x0, #32 * 2]
    stp     q6, q7, [x0, #32 * 3]
    stp     q8, q9, [x0, #32 * 4]
    stp     q10, q11, [x0, #32 * 5]
    stp     q12, q13, [x0, #32 * 6]
    stp     q14, q15, [x0, #32 * 7]
    stp     q16, q17, [x0, #32 * 8]
    stp     q18, q19, [x0, #32 * 9]
    stp     q20, q21, [x0, #32 * 10]
    stp     q22, q23, [x0, #32 * 11]
    stp     q24, q25, [x0, #32 * 12]
    stp     q26, q27, [x0, #32 * 13]
    stp     q28, q29, [x0, #32 * 14]
    stp     q30, q31, [x0, #32 * 15]
    mrs     x1, fpsr
    mrs     x2, fpcr
    add     x0, x0, #512
    stp     x1, x2, [x0]
    ret

    .global fpsimd_restore
fpsimd_restore:
    ldp     q0, q1, [x0, #32 * 0]
    ldp     q2, q3, [x0, #32 * 1]
    ldp     q4, q5, [x0, #32 * 2]
    ldp     q6, q7, [x0, #32 * 3]
    ldp     q8, q9, [x0, #32 * 4]
    ldp     q10, q11, [x0, #32 * 5]
    ldp     q12, q13, [x0, #32 * 6]
    ldp     q14, q15, [x0, #32 * 7]
    ldp     q16, q17, [x0, #32 * 8]
    ldp     q18, q19, [x0, #32 * 9]
    ldp     q20, q21, [x0, #32 * 10]
    ldp     q22, q23, [x0, #32 * 11]
    ldp     q24, q25, [x0, #32 * 12]
    ldp     q26, q27, [x0, #32 * 13]
    ldp     q28, q29, [x0, #32 * 14]
    ldp     q30, q31, [x0, #32 * 15]
    add     x0, x0, #512
    ldp     x1, x2, [x0]
    msr     fpsr, x1
    msr     fpcr, x2
    ret
