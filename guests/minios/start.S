/* SPDX-License-Identifier: MIT */
/*
 * start.S - minios entry at EL1, MMU off. The image is linked at 0 as a static PIE and may
 * be loaded at any guest-physical address: first apply its R_AARCH64_RELATIVE relocations.
 * x0 = the boot information's IPA (a device tree, 0 if none), x1 = the VM's bootarg.
 */
#define R_AARCH64_RELATIVE 1027

    .section .text.start, "ax"
    .global _start
_start:
    adr     x19, _start             /* load base (link base is 0) */
    mov     x20, x1
    mov     x21, x0                 /* the boot information's IPA (0: none) */
    adrp    x2, __rela_start
    add     x2, x2, :lo12:__rela_start
    adrp    x3, __rela_end
    add     x3, x3, :lo12:__rela_end
1:  cmp     x2, x3
    b.hs    2f
    ldp     x4, x5, [x2], #16       /* r_offset, r_info */
    ldr     x6, [x2], #8            /* r_addend */
    and     x5, x5, #0xffffffff
    cmp     x5, #R_AARCH64_RELATIVE
    b.ne    1b
    add     x6, x6, x19
    str     x6, [x19, x4]
    b       1b
2:  adrp    x2, __bss_start
    add     x2, x2, :lo12:__bss_start
    adrp    x3, __bss_end
    add     x3, x3, :lo12:__bss_end
3:  cmp     x2, x3
    b.hs    4f
    str     xzr, [x2], #8
    b       3b
4:  adrp    x2, __stack_top
    add     x2, x2, :lo12:__stack_top
    mov     sp, x2
    adrp    x2, mos_vectors
    add     x2, x2, :lo12:mos_vectors
    msr     vbar_el1, x2
    mov     x2, #(3 << 20)          /* CPACR_EL1.FPEN: FP/SIMD allowed at EL1/EL0 */
    msr     cpacr_el1, x2
    isb
    mov     x0, x20
    mov     x1, x21
    bl      mos_main
5:  wfi
    b       5b

/* EL1 vectors: IRQs go to mos_irq(); anything else is a guest bug: mos_fault(kind). */
.macro save_caller
    stp     x29, x30, [sp, #-16]!
    stp     x17, x18, [sp, #-16]!
    stp     x15, x16, [sp, #-16]!
    stp     x13, x14, [sp, #-16]!
    stp     x11, x12, [sp, #-16]!
    stp     x9, x10, [sp, #-16]!
    stp     x7, x8, [sp, #-16]!
    stp     x5, x6, [sp, #-16]!
    stp     x3, x4, [sp, #-16]!
    stp     x1, x2, [sp, #-16]!
    mrs     x1, elr_el1
    stp     x1, x0, [sp, #-16]!
    mrs     x1, spsr_el1
    stp     x1, xzr, [sp, #-16]!
.endm

.macro vec_irq
    .balign 0x80
    save_caller
    bl      mos_irq
    b       mos_restore
.endm

.macro vec_fault kind
    .balign 0x80
    save_caller
    mov     x0, #\kind
    bl      mos_fault
    b       mos_restore
.endm

    .balign 0x800
    .global mos_vectors
mos_vectors:
    vec_fault 0
    vec_fault 1
    vec_fault 2
    vec_fault 3
    vec_fault 4
    vec_irq
    vec_fault 6
    vec_fault 7
    vec_fault 8
    vec_irq
    vec_fault 10
    vec_fault 11
    vec_fault 12
    vec_fault 13
    vec_fault 14
    vec_fault 15

mos_restore:
    ldp     x1, xzr, [sp], #16
    msr     spsr_el1, x1
    ldp     x1, x0, [sp], #16
    msr     elr_el1, x1
    ldp     x1, x2, [sp], #16
    ldp     x3, x4, [sp], #16
    ldp     x5, x6, [sp], #16
    ldp     x7, x8, [sp], #16
    ldp     x9, x10, [sp], #16
    ldp     x11, x12, [sp], #16
    ldp     x13, x14, [sp], #16
    ldp     x15, x16, [sp], #16
    ldp     x17, x18, [sp], #16
    ldp     x29, x30, [sp], #16
    eret

/* void mos_ctx_switch(uint64_t *save_sp, uint64_t new_sp): a thread switch. Only the
 * registers a call preserves need saving (AAPCS64 x19-x30); the caller masked IRQs. */
    .global mos_ctx_switch
mos_ctx_switch:
    stp     x19, x20, [sp, #-96]!
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    mov     x2, sp
    str     x2, [x0]
    mov     sp, x1
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     x19, x20, [sp], #96
    ret

/* A new thread's first switch "returns" here with its entry and argument in x19, x20. */
    .global mos_thread_trampoline
mos_thread_trampoline:
    mov     x0, x19
    mov     x1, x20
    mov     x29, xzr
    bl      mos_thread_boot
6:  b       6b

/* void mos_call_on_stack(void (*fn)(void), void *stack_top) */
    .global mos_call_on_stack
mos_call_on_stack:
    stp     x29, x30, [sp, #-16]!
    mov     x29, sp
    mov     x2, sp
    mov     sp, x1
    stp     x2, xzr, [sp, #-16]!
    blr     x0
    ldp     x2, xzr, [sp], #16
    mov     sp, x2
    ldp     x29, x30, [sp], #16
    ret
