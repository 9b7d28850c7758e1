/* SPDX-License-Identifier: MIT */
/*
 * ipcslow.S - a slow IPC server for its first endpoint (object 0): each call is answered with
 * 3w + 1 for each word w, as ipcpong's server does, after a spin of as many iterations as the
 * low 22 bits of the first word say (plus one): a caller chooses how long its call takes.
 */
#include "emv/hypercall.h"

    .text
    .global _start
_start:
    mov     x2, #0
    mov     x3, #0
    mov     x4, #0
    mov     x5, #0
1:  mov     x0, #EMV_HC_IPC_REPLY_RECV
    mov     x1, #0
    hvc     #0
    cbnz    x0, 9f
    and     x9, x2, #0x3fffff     /* the spin: the first word's low 22 bits, + 1 */
    add     x9, x9, #1
2:  subs    x9, x9, #1
    b.ne    2b
    add     x2, x2, x2, lsl #1
    add     x2, x2, #1
    add     x3, x3, x3, lsl #1
    add     x3, x3, #1
    add     x4, x4, x4, lsl #1
    add     x4, x4, #1
    add     x5, x5, x5, lsl #1
    add     x5, x5, #1
    b       1b
9:  b       9b
