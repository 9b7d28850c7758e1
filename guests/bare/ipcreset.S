/* SPDX-License-Identifier: MIT */
/*
 * ipcreset.S - a two-vCPU client VM that restarts itself while its vCPU 0 is in the middle of
 * an IPC call. Its first run (the counter before 100 ms): vCPU 0 calls endpoint object 0 in a
 * loop (checking each answer, 3w + 1); vCPU 1 spins until 100 ms have passed and vCPU 0 has
 * called, then asks for PSCI SYSTEM_RESET -- it runs only while vCPU 0 is preempted, which with
 * a slow server is almost always mid-call. Its second run (after 100 ms; only vCPU 0 starts):
 * vCPU 0 first makes no call, keeps a mark in x1..x5 and checks it for a while (a reply of
 * the call of its first run must never land in its registers), then calls as in its first run
 * until the end. Prints "ipcreset: ..." lines.
 */
#include "emv/hypercall.h"
#define PSCI_SYSTEM_RESET 0x84000009
#define T_RESET 6250000 /* 100 ms at 62.5 MHz */

    .macro  print, label, len
    mov     x0, #EMV_HC_CONSOLE_WRITE
    adr     x1, \label
    mov     x2, #\len
    hvc     #0
    .endm

    .text
    .global _start
_start:
    mrs     x9, mpidr_el1
    and     x9, x9, #0xff
    adr     x12, flag
    cbnz    x9, vcpu1
    mrs     x10, cntvct_el0
    ldr     x11, =T_RESET
    cmp     x10, x11
    b.hs    second

    print   first_s, 16
calls:
    mov     x20, #0x200000        /* the first word: a long call (ipcslow.S), about 4 ms */
1:  mov     x13, #1
    str     x13, [x12]
    mov     x0, #EMV_HC_IPC_CALL
    mov     x1, #0
    mov     x2, x20
    mov     x3, x20
    mov     x4, x20
    mov     x5, x20
    hvc     #0
    add     x21, x20, x20, lsl #1
    add     x21, x21, #1
    cbnz    x0, 8f
    cmp     x1, x21
    b.ne    8f
    add     x20, x20, #1
    b       1b
8:  print   wrong1_s, 23
9:  b       9b

second:
    print   second_s, 17
    ldr     x22, =0x8000          /* checks, each after a yield */
    mov     x1, #0x5a
    mov     x2, #0x5a
    mov     x3, #0x5a
    mov     x4, #0x5a
    mov     x5, #0x5a
3:  mov     x0, #EMV_HC_YIELD
    hvc     #0
    cbnz    x0, 7f                /* yield returns 0 */
    cmp     x1, #0x5a
    b.ne    7f
    cmp     x2, #0x5a
    b.ne    7f
    cmp     x5, #0x5a
    b.ne    7f
    subs    x22, x22, #1
    b.ne    3b
    print   kept_s, 25
    b       calls                 /* then long calls again, to the end of the run */
4:  mov     x0, #EMV_HC_BLOCK
    mov     x1, #0
    hvc     #0
    b       4b
7:  print   clobber_s, 47
    b       4b

vcpu1:
    ldr     x11, =T_RESET
5:  mrs     x10, cntvct_el0
    cmp     x10, x11
    b.lo    5b
    ldr     x13, [x12]
    cbz     x13, 5b
    print   reset_s, 16
    ldr     x0, =PSCI_SYSTEM_RESET
    hvc     #0
6:  b       6b

    .ltorg
first_s:   .ascii "ipcreset: first\n"
second_s:  .ascii "ipcreset: second\n"
wrong1_s:  .ascii "ipcreset: wrong answer\n"
reset_s:   .ascii "ipcreset: reset\n"
kept_s:    .ascii "ipcreset: registers kept\n"
clobber_s: .ascii "ipcreset: registers clobbered by a stale reply\n"
    .balign 8
flag:
    .quad   0
