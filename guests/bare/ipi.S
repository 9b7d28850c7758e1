/* SPDX-License-Identifier: MIT */
/*
 * ipi.S - a two-vCPU guest sending inter-processor interrupts through its GICv3 CPU
 * interface, as an SMP kernel does (ICC_SGI1R_EL1 traps to the hypervisor, which emulates it).
 * vCPU 1 (on CPU 1) masks IRQs, enables Group 1 and polls ICC_IAR1_EL1 after each WFI,
 * printing "sgi N" for each SGI it takes. vCPU 0 waits, then sends SGI 5 by target list,
 * SGI 6 to all but itself (IRM), SGI 7 to a vCPU the VM does not have, and a last SGI 9 to
 * vCPU 1 again; then prints "sent".
 */
#include "emv/hypercall.h"
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1 S3_0_C12_C11_5

    .text
    .global _start
_start:
    mrs     x9, mpidr_el1
    and     x9, x9, #0xff
    cbnz    x9, receiver

    mov     x10, #2000              /* vCPU 0: let vCPU 1 set up first */
1:  mov     x0, #EMV_HC_YIELD
    hvc     #0
    subs    x10, x10, #1
    b.ne    1b
    mov     x0, #0x0002             /* target list {1} */
    movk    x0, #0x0500, lsl #16    /* INTID 5 */
    msr     ICC_SGI1R_EL1, x0
    movz    x0, #0x0600, lsl #16    /* INTID 6 ... */
    movk    x0, #0x0100, lsl #32    /* ... IRM: every vCPU but this one */
    msr     ICC_SGI1R_EL1, x0
    mov     x0, #0x0020             /* target list {5}: no such vCPU */
    movk    x0, #0x0700, lsl #16
    msr     ICC_SGI1R_EL1, x0
    mov     x10, #2000
2:  mov     x0, #EMV_HC_YIELD       /* let vCPU 1 print, so the order is fixed */
    hvc     #0
    subs    x10, x10, #1
    b.ne    2b
    mov     x0, #0x0002
    movk    x0, #0x0900, lsl #16    /* INTID 9 */
    msr     ICC_SGI1R_EL1, x0
    mov     x0, #EMV_HC_CONSOLE_WRITE
    adr     x1, sent
    mov     x2, #5
    hvc     #0
3:  mov     x0, #EMV_HC_BLOCK
    mov     x1, #0
    hvc     #0
    b       3b

receiver:
    msr     daifset, #2             /* taken by polling, not by a vector */
    mov     x0, #0xff
    msr     ICC_PMR_EL1, x0
    mov     x0, #1
    msr     ICC_IGRPEN1_EL1, x0
    isb
4:  wfi
    mrs     x19, ICC_IAR1_EL1
    cmp     x19, #1020
    b.hs    4b                      /* spurious */
    msr     ICC_EOIR1_EL1, x19
    and     x20, x19, #0xf
    mov     x0, #EMV_HC_CONSOLE_WRITE
    adr     x1, names
    add     x1, x1, x20, lsl #3
    mov     x2, #6
    hvc     #0
    b       4b

sent:
    .ascii  "sent\n"
    .balign 8
names:                              /* 8 bytes each: "sgi N\n" */
    .ascii  "sgi 0\n\0\0", "sgi 1\n\0\0", "sgi 2\n\0\0", "sgi 3\n\0\0"
    .ascii  "sgi 4\n\0\0", "sgi 5\n\0\0", "sgi 6\n\0\0", "sgi 7\n\0\0"
    .ascii  "sgi 8\n\0\0", "sgi 9\n\0\0", "sgi a\n\0\0", "sgi b\n\0\0"
    .ascii  "sgi c\n\0\0", "sgi d\n\0\0", "sgi e\n\0\0", "sgi f\n\0\0"
