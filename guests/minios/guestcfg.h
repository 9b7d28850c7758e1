/* SPDX-License-Identifier: MIT */
/**
 * guestcfg.h - a guest's settings as the boot information carries them (/emvisor/settings,
 * from the config's `settings` node: docs/config.md, docs/abi.md). Pure: no hardware; host
 * unit-tested (tests/unit/test_minios_bootinfo.c).
 */
#ifndef MINIOS_GUESTCFG_H
#define MINIOS_GUESTCFG_H

#include <stdint.h>

#include "fdtread.h"

/**
 * Setting @name into *@val: a flag (empty) reads 1, a number of one or two cells its value.
 * Returns 1, 0 if the VM has no such setting, -1 if it is not a flag or a number.
 */
int mos_settings_get(const struct fdt_blob *f, const char *name, uint64_t *val);

/** The first setting whose name is not in @known (NULL-terminated), or NULL. */
const char *mos_settings_unknown(const struct fdt_blob *f, const char *const *known);

#endif
