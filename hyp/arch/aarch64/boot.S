/* SPDX-License-Identifier: MIT */
/*
 * boot.S - first instructions at EL2. QEMU enters _start on CPU 0 with x0 = DTB (or 0);
 * secondaries enter secondary_entry via PSCI CPU_ON with x0 = their CPU index.
 */
#include "asm_defs.h"

    .section .text.boot, "ax"
    .global _start
_start:
    mov     x19, x0                 /* DTB address */
    mrs     x1, CurrentEL
    cmp     x1, #(2 << 2)
    b.ne    not_at_el2
    mov     x20, #0                 /* CPU index */
    bl      setup_cpu_early
    /* Clear .bss: byte-by-byte-safe since bss is 8-aligned by the linker script. */
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:  bl      mmu_build_tables
    bl      mmu_enable
    mov     x0, x19
    bl      hyp_main
    b       halt

    .global secondary_entry
secondary_entry:
    mov     x20, x0
    bl      setup_cpu_early
    bl      mmu_enable
    mov     x0, x20
    bl      hyp_main_secondary
    b       halt

/* Per-CPU stack (index in x20), vectors, TPIDR_EL2 = CPU index until the pcpu exists. */
setup_cpu_early:
    ldr     x1, =hyp_stacks
    add     x2, x20, #1
    mov     x3, #HYP_STACK_SIZE
    madd    x1, x2, x3, x1
    mov     sp, x1
    ldr     x1, =el2_vectors
    msr     vbar_el2, x1
    msr     tpidr_el2, x20
    isb
    ret

/* Not entered at EL2: say so on the raw UART, then stop. */
not_at_el2:
    adr     x0, msg_not_el2
    bl      early_puts
halt:
    wfi
    b       halt

msg_not_el2:
    .asciz  "emv: PANIC: not entered at EL2 (need -M virt,virtualization=on)\n"
    .balign 4
