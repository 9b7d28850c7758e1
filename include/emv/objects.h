/* SPDX-License-Identifier: MIT */
/**
 * objects.h - what a VM may use besides its own RAM: the objects its config gives it.
 *
 * Every VM has an object table, generated from the config by the host tool: entry i is the
 * VM's object i. Hypercalls name objects by that index into the caller's own table, never by
 * a VM id or an address the guest chose; each entry carries the rights the config granted.
 * A guest learns its table from the boot information (a device tree whose address it gets in
 * x0 at entry: node /emvisor/objects, one subnode per object, see docs/abi.md).
 */
#ifndef EMV_OBJECTS_H
#define EMV_OBJECTS_H

/** Object types (the `type` of a boot-information object node, as a number). */
#define EMV_OBJ_NONE 0
#define EMV_OBJ_SHMEM 1    /**< a shared-memory region, mapped at boot at the object's `reg` */
#define EMV_OBJ_EVTCHN 2   /**< one end of an event channel to another VM */
#define EMV_OBJ_ENDPOINT 3 /**< a synchronous IPC endpoint: a server receives, clients call */
#define EMV_OBJ_DEVICE 4   /**< a board device given to the VM: its MMIO (reg) and its SPI (irq) */
#define EMV_OBJ_CONTROL 5  /**< the control role: EMV_HC_SYSTEM_OFF, the inbox of VM id 0 */
/** A VM of the system (`peer`): what the scheduling calls act on (EMV_RIGHT_CONTROL) and what
 *  run-time event channels are bound with (EMV_RIGHT_BIND). The control VM has one for every
 *  VM, itself included; a VM the config links to another has one naming it. */
#define EMV_OBJ_VM 6

/** Rights (bit set). */
#define EMV_RIGHT_READ (1u << 0)    /**< SHMEM: may read */
#define EMV_RIGHT_WRITE (1u << 1)   /**< SHMEM: may write */
#define EMV_RIGHT_NOTIFY (1u << 2)  /**< EVTCHN: may notify the other end */
#define EMV_RIGHT_CALL (1u << 3)    /**< ENDPOINT: may call (a client) */
#define EMV_RIGHT_RECV (1u << 4)    /**< ENDPOINT: receives calls and replies (the server) */
#define EMV_RIGHT_CONTROL (1u << 5) /**< VM: EMV_HC_SCHED_GET / SET / STATS on its vCPUs */
#define EMV_RIGHT_BIND (1u << 6)    /**< VM: may bind event channels with it at run time */

/** The most objects one VM can have; event-channel ports are object indices below it. */
#define EMV_MAX_OBJS 32

/** Where shared regions appear in a guest's address space: from this IPA up, one after the
 * other in object order, each at a 4 KiB boundary (the exact IPA is in the boot information). */
#define EMV_SHMEM_IPA_BASE 0x800000000ULL

/** Run-time grants (docs/abi.md, Grants): pages of one VM's RAM another VM maps by reference.
 * Where a VM sees what it mapped: its grant window, EMV_GRANT_WINDOW_PAGES 4 KiB pages from
 * this IPA (the config tool keeps RAM and shared regions out of it). */
#define EMV_GRANT_IPA_BASE 0x4000000000ULL
#define EMV_GRANT_WINDOW_PAGES 64 /**< pages one VM may have mapped from grants at once */
#define EMV_GRANT_MAX 16          /**< grants one VM may have outstanding (references 0..15) */
#define EMV_GRANT_MAX_PAGES 16    /**< pages in one grant */
#define EMV_GRANT_RO (1u << 0)    /**< flag: the peer may only read */

#endif
