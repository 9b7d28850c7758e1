/* SPDX-License-Identifier: MIT */
/*
 * stopboth.S - a two-vCPU guest whose vCPUs fault at the same instant on two CPUs, so that
 * two CPUs stop the same VM at once. vCPU 1 spins on a flag in the VM's RAM; vCPU 0 yields
 * for a while (vCPU 1 is spinning by then), sets the flag and at once stores to IPA 0x1008;
 * vCPU 1 sees the flag and stores to IPA 0x1000. Both addresses are outside the VM's RAM.
 * (The short delay after the flag makes the two faults meet in the hypervisor more often.)
 * Exactly one stop must be logged, with one whole reason.
 */
#include "emv/hypercall.h"

    .text
    .global _start
_start:
    mrs     x9, mpidr_el1
    and     x9, x9, #0xff
    adr     x12, flag
    cbnz    x9, vcpu1

    mov     x10, #0x2000
1:  mov     x0, #EMV_HC_YIELD
    hvc     #0
    subs    x10, x10, #1
    b.ne    1b
    mov     x11, #0x1008
    mov     x13, #1
    str     x13, [x12]
    mov     x14, #8                 /* a few instructions: vCPU 1 is on its way */
5:  subs    x14, x14, #1
    b.ne    5b
    str     xzr, [x11]
2:  b       2b                      /* never reached: the VM is stopped */

vcpu1:
    mov     x11, #0x1000
3:  ldr     x13, [x12]
    cbz     x13, 3b
    str     xzr, [x11]
4:  b       4b

    .balign 8
flag:
    .quad   0
