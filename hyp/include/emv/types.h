/* SPDX-License-Identifier: MIT */
/** types.h - distinct names for distinct address spaces and ids: a physical address, a
 *  guest-physical address (IPA), an interrupt and a VM id are different types, so passing one
 *  where another is meant is a compile error. */
#ifndef EMV_TYPES_H
#define EMV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t; /**< host physical address */
typedef uint64_t ipa_t;   /**< guest physical (intermediate physical) address */
typedef uint64_t vaddr_t; /**< hypervisor virtual address */
typedef uint32_t irq_t;   /**< GIC INTID */
typedef uint32_t vmid_t;
typedef uint64_t ns_t; /**< nanoseconds since boot */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((uint64_t)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define PAGE_SIZE 4096UL

#endif
