/* SPDX-License-Identifier: MIT */
/* asm_defs.h - constants shared by assembly and C. */
#ifndef EMV_ASM_DEFS_H
#define EMV_ASM_DEFS_H

#define HYP_STACK_SIZE 16384
/* Trap frame (struct vcpu.regs): x0..x30, elr_el2, spsr_el2, one pad word (16-byte aligned). */
#define FRAME_SIZE 272
#define FRAME_ELR 248
#define FRAME_SPSR 256
/* For the PMCCNTR_EL0 read fast path in vectors.S; checked by vsysreg.c. */
#define PCPU_CURRENT 8 /* offsetof(struct pcpu, current) */
/* ESR_EL2 of MRS Xt, PMCCNTR_EL0: EC 0x18, IL, Op0 3, Op1 3, CRn 9, CRm 13, Op2 0, read;
 * with Rt (bits 9:5) cleared by ESR_RT_CLEAR. */
#define ESR_MRS_PMCCNTR 0x6230e41b
#define ESR_RT_CLEAR 0xfffffffffffffc1f
/* ESR_EL2 of HVC #0 from AArch64: EC 0x16, IL (the IPC fast path's test in vectors.S). */
#define ESR_HVC0 0x5a000000
/* struct el1_sysregs (vcpu_arch.h): cntv_cval, then vmpidr; el1regs.S. */
#define EL1_CNTV_CVAL 192
#define VCPU_REGS 32  /* offsetof(struct vcpu, regs) */
#define VCPU_VPMU 640 /* offsetof(struct vcpu, arch.pmu), < 4096 (one add) */

#endif
