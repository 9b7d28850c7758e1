/* SPDX-License-Identifier: MIT */
/**
 * vmseed.h - the board's entropy, read once at boot, and the seed each Linux VM's device tree
 * gets at each start (/chosen/rng-seed). The derivation is core/seed.c (host-tested).
 */
#ifndef EMV_VMSEED_H
#define EMV_VMSEED_H

#include <stdint.h>

struct vm;

/** Take the board's entropy from the firmware device tree at @fw_dtb (0: the board's default
 *  place), wipe it there, and say on the console where it came from or that there is none. */
void vmseed_init(uint64_t fw_dtb);

/** Fill @vm's /chosen/rng-seed in its boot information at @bootinfo (hypervisor address) with
 *  fresh bytes, or take the property out when the board has no entropy. */
void vmseed_fill(const struct vm *vm, uint8_t *bootinfo);

#endif
