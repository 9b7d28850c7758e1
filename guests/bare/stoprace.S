/* SPDX-License-Identifier: MIT */
/*
 * stoprace.S - a two-vCPU guest in bare assembly (minios is single-vCPU) for the race
 * between stopping a VM and its other vCPUs. vCPU 1 hammers EMV_HC_BLOCK with a deadline in
 * the past (it returns at once, so vCPU 1 is forever between trap entry and block) and
 * prints "alive" every 1024 calls; vCPU 0 yields for a while, then stores to IPA 0x1000,
 * outside its RAM: the hypervisor stops the whole VM. After the stop line nothing of this
 * VM may run or print again.
 */
#include "emv/hypercall.h"

    .text
    .global _start
_start:
    mrs     x9, mpidr_el1
    and     x9, x9, #0xff
    cbnz    x9, vcpu1

    mov     x10, #0x4000            /* vCPU 0: 16384 yields, then the bad store */
1:  mov     x0, #EMV_HC_YIELD
    hvc     #0
    subs    x10, x10, #1
    b.ne    1b
    mov     x11, #0x1000
    str     xzr, [x11]
2:  b       2b                      /* never reached: the VM is stopped */

vcpu1:
    mov     x12, #0
3:  mov     x0, #EMV_HC_BLOCK
    mov     x1, #1                  /* deadline 1 ns: long past */
    hvc     #0
    add     x12, x12, #1
    tst     x12, #0x3ff
    b.ne    3b
    mov     x0, #EMV_HC_CONSOLE_WRITE
    adr     x1, alive
    mov     x2, #6
    hvc     #0
    b       3b

alive:
    .ascii  "alive\n"
