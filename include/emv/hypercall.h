/* SPDX-License-Identifier: MIT */
/**
 * hypercall.h - the guest-visible hypercall ABI of emvisor (docs/abi.md).
 *
 * A guest issues `HVC #0` at EL1 with the call number in x0 and arguments in x1..x5.
 * On return x0 holds a status (0 or a positive count on success, a negative EMV_E* on error)
 * and x1..x3 any results. Other registers are preserved. Pointers are guest-physical
 * addresses (IPAs) inside the caller's own RAM.
 */
#ifndef EMV_HYPERCALL_H
#define EMV_HYPERCALL_H

#define EMV_ABI_VERSION 0x00010000 /**< major.minor in the two halves */

#define EMV_HC_VERSION 0x00       /**< () -> x0 = EMV_ABI_VERSION */
#define EMV_HC_CONSOLE_WRITE 0x01 /**< (ipa buf, len <= EMV_CONSOLE_MAX) -> x0 = len */
#define EMV_HC_YIELD 0x02         /**< () -> 0; gives up the rest of the time slice */
#define EMV_HC_SELF 0x03          /**< () -> x1 = vm id, x2 = vcpu id, x3 = number of vcpus */
#define EMV_HC_TIME 0x04          /**< () -> x1 = ns since boot, x2 = counter Hz */
#define EMV_HC_BLOCK 0x05         /**< (deadline ns | 0) -> 0; sleeps until an IRQ or deadline */
#define EMV_HC_VM_NAME 0x06       /**< (ipa buf, len) -> x0 = name length; copies NUL-ended */
#define EMV_HC_SYSTEM_OFF 0x07    /**< () -> control VM only: report and power off */
#define EMV_HC_COUNT 0x08

#define EMV_CONSOLE_MAX 4096 /**< longest single console write */

/** Virtual interrupts a guest sees (GICv3 INTIDs). */
#define EMV_VIRQ_VTIMER 27

#endif
