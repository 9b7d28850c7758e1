/* SPDX-License-Identifier: MIT */
/* asm_defs.h - constants shared by assembly and C. */
#ifndef EMV_ASM_DEFS_H
#define EMV_ASM_DEFS_H

#define HYP_STACK_SIZE 16384
/* Trap frame: x0..x30, elr_el2, spsr_el2, one pad word (16-byte aligned). */
#define FRAME_SIZE 272
#define FRAME_ELR 248
#define FRAME_SPSR 256

#endif
