/* SPDX-License-Identifier: MIT */
/**
 * vpsci.h - PSCI (Arm DEN 0022) for guests: the firmware interface a Linux VM uses to start and
 * stop its vCPUs and to power itself off or restart, over HVC (or SMC, trapped). The decision
 * is pure logic (vpsci_decode.c, tested on the host); vpsci.c acts on it.
 *
 * Function IDs are SMC Calling Convention fast calls (bit 31 set), so they never collide with
 * the hypervisor's own hypercall numbers (small integers in x0).
 */
#ifndef EMV_VPSCI_H
#define EMV_VPSCI_H

#include <stdbool.h>
#include <stdint.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au
#define PSCI_SMC64 0x40000000u /* the 64-bit variant of a function: this bit set */

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_DENIED (-3)
#define PSCI_ALREADY_ON (-4)
#define PSCI_ON_PENDING (-5)
#define PSCI_INVALID_ADDRESS (-9)

#define PSCI_VERSION_1_0 0x10000
#define PSCI_TOS_NOT_PRESENT 2 /* MIGRATE_INFO_TYPE: no Trusted OS to migrate */

/** AFFINITY_INFO's answers. */
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

/** A vCPU's power state as PSCI sees it. */
enum vpsci_power { VPSCI_ON, VPSCI_OFF, VPSCI_CLAIMED, VPSCI_PENDING };

/** What a call asks for, decoded and checked. */
enum vpsci_act {
    VPSCI_RETURN,      /**< answer x0 = ret, nothing else */
    VPSCI_DO_CPU_ON,   /**< start vCPU `target` at `entry` with x0 = `context` */
    VPSCI_DO_CPU_OFF,  /**< the caller powers itself off (no return) */
    VPSCI_DO_AFF_INFO, /**< answer the power state of vCPU `target` */
    VPSCI_DO_SYSTEM_OFF,
    VPSCI_DO_SYSTEM_RESET,
};

struct vpsci_call {
    enum vpsci_act act;
    int64_t ret;
    unsigned target;
    uint64_t entry, context;
};

/** Is @x0 a call for this interface (an SMCCC fast call) rather than a hypercall? */
static inline bool vpsci_is_call(uint64_t x0)
{
    return (x0 >> 31) == 1;
}

/**
 * Decode the call in @x (x0..x3) of a VM with @nr_vcpus vCPUs and RAM [@ram_ipa, + @ram_size):
 * an MPIDR names a vCPU by Aff0 (its index; the other affinity fields are 0), an entry point
 * must be a 4-byte aligned address in the VM's RAM. Unknown functions answer NOT_SUPPORTED.
 */
void vpsci_decode(const uint64_t x[4], unsigned nr_vcpus, uint64_t ram_ipa, uint64_t ram_size,
                  struct vpsci_call *out);

#endif
