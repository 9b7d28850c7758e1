/* SPDX-License-Identifier: MIT */
/** sysreg.h - system register access and the EL2 control bits emvisor uses. */
#ifndef EMV_SYSREG_H
#define EMV_SYSREG_H

#include <stdint.h>

#define read_sysreg(r)                                                                             \
    ({                                                                                             \
        uint64_t __v;                                                                              \
        __asm__ volatile("mrs %0, " #r : "=r"(__v));                                               \
        __v;                                                                                       \
    })
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")

/* HCR_EL2 (Arm ARM D13.2.48). */
#define HCR_VM (1UL << 0)
#define HCR_SWIO (1UL << 1)
#define HCR_FMO (1UL << 3)
#define HCR_IMO (1UL << 4)
#define HCR_AMO (1UL << 5)
#define HCR_FB (1UL << 9)
#define HCR_BSU_IS (1UL << 10)
#define HCR_TWI (1UL << 13)
#define HCR_TWE (1UL << 14)
#define HCR_TSC (1UL << 19)
#define HCR_TSW (1UL << 22) /* set/way cache maintenance traps (vsysreg.c) */
#define HCR_RW (1UL << 31)
#define HCR_GUEST_FLAGS                                                                            \
    (HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI | HCR_TWE |   \
     HCR_TSC | HCR_TSW | HCR_RW)

/* MDCR_EL2 (Arm ARM D13.2.79): EL1/EL0 accesses to PMCR_EL0 (TPMCR), all PMU registers (TPM),
 * the debug registers (TDA), the OS lock and power-down registers (TDOSA) and MDRAR_EL1
 * (TDRA) trap to EL2. */
#define MDCR_TPMCR (1UL << 5)
#define MDCR_TPM (1UL << 6)
#define MDCR_TDA (1UL << 9)
#define MDCR_TDOSA (1UL << 10)
#define MDCR_TDRA (1UL << 11)
#define MDCR_GUEST_TRAPS (MDCR_TPMCR | MDCR_TPM | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA)

/* ESR_EL2 exception classes (D13.2.37). */
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_IL (1UL << 25)
#define EC_WFX 0x01
#define EC_FP 0x07
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_COUNT 64

/* SPSR for a vCPU's first entry: EL1h, all of DAIF masked. */
#define SPSR_EL1H_MASKED 0x3c5UL

/* SCTLR_EL1 reset-ish value: RES1 bits, MMU and caches off. */
#define SCTLR_EL1_RESET 0x30d00800UL

#endif
