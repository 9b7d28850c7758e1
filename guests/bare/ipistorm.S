/* SPDX-License-Identifier: MIT */
/*
 * ipistorm.S - a hostile two-vCPU guest: vCPU 0 (on a best-effort CPU) writes ICC_SGI1R_EL1
 * for vCPU 1 in bursts of 128 back-to-back writes, 200 us apart, forever. (Under QEMU's
 * -icount the CPUs take turns, so a CPU that never rests would halve the other CPU's speed
 * and a test would measure the emulator, not the hypervisor.) vCPU 1, on a CPU shared with
 * real-time servers, takes the SGIs by polling ICC_IAR1_EL1: for 1024 of them spinning
 * (it is runnable, so a raise finds it running or waiting for the CPU), for the next 1024
 * after a WFI each (it is blocked, so a raise wakes it), and so on. Every write traps and is
 * emulated; the hypervisor must not let the storm cost the servers on vCPU 1's CPU more than
 * the analysis charged. vCPU 0 prints "storm" every 2^18 writes and vCPU 1 "took" every 256
 * interrupts taken, so a test can see that both sides stayed busy.
 */
#include "emv/hypercall.h"
#define BURST 128          /* SGIs per burst: a power of two dividing 2^18 */
#define PAUSE_NS 200000    /* between bursts */
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

    mov     x19, #0x0002            /* target list {1} */
    movk    x19, #0x0300, lsl #16   /* INTID 3 */
    mov     x20, #0
1:  mov     x21, #BURST
2:  msr     ICC_SGI1R_EL1, x19
    subs    x21, x21, #1
    b.ne    2b
    add     x20, x20, #BURST
    tst     x20, #0x3ffff
    b.ne    3f
    mov     x0, #EMV_HC_CONSOLE_WRITE
    adr     x1, storm
    mov     x2, #6
    hvc     #0
3:  mov     x0, #EMV_HC_TIME        /* x1 = now (ns) */
    hvc     #0
    ldr     x2, =PAUSE_NS
    add     x1, x1, x2
    mov     x0, #EMV_HC_BLOCK       /* until now + PAUSE_NS */
    hvc     #0
    b       1b

receiver:
    msr     daifset, #2             /* taken by polling, not by a vector */
    mov     x0, #0xff
    msr     ICC_PMR_EL1, x0
    mov     x0, #1
    msr     ICC_IGRPEN1_EL1, x0
    isb
    mov     x20, #0
2:  tbz     x20, #10, 4f        /* every other 1024 interrupts: wait in WFI (blocked) */
    wfi
4:  mrs     x19, ICC_IAR1_EL1
    cmp     x19, #1020
    b.hs    2b                      /* spurious */
    msr     ICC_EOIR1_EL1, x19
    add     x20, x20, #1
    tst     x20, #0xff
    b.ne    2b
    mov     x0, #EMV_HC_CONSOLE_WRITE
    adr     x1, took
    mov     x2, #5
    hvc     #0
    b       2b

storm:
    .ascii  "storm\n"
took:
    .ascii  "took\n"
    .balign 8
    .ltorg
