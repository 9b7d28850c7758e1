/* SPDX-License-Identifier: MIT */
/* hyp.ld.S - hypervisor image layout; preprocessed with board.h. */
#include "board.h"
#include "asm_defs.h"

ENTRY(_start)
SECTIONS
{
    . = PLAT_HYP_LOAD;
    __hyp_start = .;
    .text : {
        *(.text.boot)
        *(.text.vectors)
        *(.text*)
    }
    .rodata : ALIGN(4096) {
        *(.rodata*)
    }
    .data : ALIGN(16) {
        *(.data*)
    }
    .bss (NOLOAD) : ALIGN(16) {
        __bss_start = .;
        *(.bss*)
        *(COMMON)
        . = ALIGN(16);
        hyp_stacks = .;
        . += HYP_STACK_SIZE * PLAT_MAX_CPUS;
        . = ALIGN(8);
        __bss_end = .;
    }
    __hyp_end = .;
    ASSERT(__hyp_end <= PLAT_HYP_BASE + PLAT_HYP_SIZE, "hypervisor image overflows its region")
    /DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
