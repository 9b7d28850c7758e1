/* SPDX-License-Identifier: MIT */
/** fmt.h - freestanding formatted output, shared by the hypervisor and minios. */
#ifndef EMV_FMT_H
#define EMV_FMT_H

#include <stdarg.h>
#include <stddef.h>

/** Supports %d %i %u %x %X %p %s %c %% with l/ll/z modifiers, width and the 0, - and # flags. */
int emv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int emv_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
