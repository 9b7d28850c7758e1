/* SPDX-License-Identifier: MIT */
/*
 * pmcrt.S - MRS Xt, PMCCNTR_EL0 for every Rt (x0-x30 and XZR). The hypervisor serves these
 * reads in its exception vector with a jump table on Rt (vectors.S); each read must land in
 * Xt only. Before each read x0-x30 hold 0x1000 + n; after it, every register other than Xt
 * (and one scratch register for the comparisons) must still hold its value; the values read
 * into x0-x30 must rise by at least 100 from one test to the next (each takes about 150
 * instructions), as counter readings do. Prints "pmcrt: 32 ok" or "pmcrt: FAIL rt N".
 */
#include "emv/hypercall.h"

.macro fill
    .irp    m, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
    mov     x\m, #(0x1000 + \m)
    .endr
.endm

/* Every register but x\n and the scratch x\s holds its pattern; else branch to 8f. */
.macro check n, s
    .irp    m, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
    .if     (\m != \n) && (\m != \s)
    mov     x\s, #(0x1000 + \m)
    cmp     x\m, x\s
    b.ne    8f
    .endif
    .endr
.endm

.macro test n, s
    fill
    .if     \n == 31
    mrs     xzr, pmccntr_el0
    .else
    mrs     x\n, pmccntr_el0
    mov     x\s, #(0x1000 + \n)
    cmp     x\n, x\s
    b.eq    8f
    .endif
    check   \n, \s
    .if     \n != 31
    adr     x\s, vals
    str     x\n, [x\s, #8 * \n]
    .endif
    b       9f
8:  mov     x19, #\n
    b       fail
9:
.endm

    .text
    .global _start
_start:
    .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29
    test    \n, 30
    .endr
    test    30, 29
    test    31, 30
    /* vals[] must be counter readings: each about one test (~150 instructions) after the
     * previous one, not, say, addresses a few bytes apart. */
    adr     x1, vals
    mov     x19, #1
2:  ldp     x2, x3, [x1], #8
    sub     x3, x3, x2
    cmp     x3, #100
    b.lo    fail
    cmp     x3, #(1 << 23)
    b.hi    fail
    add     x19, x19, #1
    cmp     x19, #31
    b.lo    2b
    adr     x1, msg_ok
    mov     x2, #(msg_fail - msg_ok)
    b       print

fail:
    adr     x1, msg_fail
    mov     x3, #10
    udiv    x4, x19, x3
    msub    x5, x4, x3, x19
    add     x4, x4, #'0'
    add     x5, x5, #'0'
    strb    w4, [x1, #15]
    strb    w5, [x1, #16]
    mov     x2, #(msg_end - msg_fail)
print:
    mov     x0, #EMV_HC_CONSOLE_WRITE
    hvc     #0
1:  mov     x0, #EMV_HC_BLOCK
    mov     x1, #0
    hvc     #0
    b       1b

msg_ok:
    .ascii  "pmcrt: 32 ok\n"
msg_fail:
    .ascii  "pmcrt: FAIL rt ??\n"
msg_end:
    .balign 8
vals:
    .fill   31, 8, 0
