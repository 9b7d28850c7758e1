/* SPDX-License-Identifier: MIT */
/* vpsci_decode.c - a guest's PSCI call, decoded and checked (vpsci.h). Pure logic. */
#include "core/vpsci.h"

/* The function without the SMC64 bit, and its arguments cut to 32 bits for an SMC32 call. */
static uint64_t arg(const uint64_t x[4], unsigned i)
{
    return (x[0] & PSCI_SMC64) ? x[i] : (uint32_t)x[i];
}

/* The vCPU an MPIDR names (Aff0; Aff1..3 zero), or -1. */
static int vcpu_of(uint64_t mpidr, unsigned nr_vcpus)
{
    if (mpidr & 0xff00ffff00ull)
        return -1;
    return (mpidr & 0xff) < nr_vcpus ? (int)(mpidr & 0xff) : -1;
}

static bool supported(uint64_t fn)
{
    switch (fn) {
    case PSCI_VERSION:
    case PSCI_CPU_OFF:
    case PSCI_CPU_ON:
    case PSCI_CPU_ON | PSCI_SMC64:
    case PSCI_AFFINITY_INFO:
    case PSCI_AFFINITY_INFO | PSCI_SMC64:
    case PSCI_MIGRATE_INFO_TYPE:
    case PSCI_SYSTEM_OFF:
    case PSCI_SYSTEM_RESET:
    case PSCI_FEATURES:
        return true;
    default:
        return false;
    }
}

void vpsci_decode(const uint64_t x[4], unsigned nr_vcpus, uint64_t ram_ipa, uint64_t ram_size,
                  struct vpsci_call *out)
{
    *out = (struct vpsci_call){.act = VPSCI_RETURN, .ret = PSCI_NOT_SUPPORTED};
    if (x[0] >> 32 || !supported(x[0]))
        return;
    int t;
    switch ((uint32_t)x[0] & ~PSCI_SMC64) {
    case PSCI_VERSION:
        out->ret = PSCI_VERSION_1_0;
        return;
    case PSCI_FEATURES:
        out->ret = supported((uint32_t)x[1]) ? PSCI_SUCCESS : PSCI_NOT_SUPPORTED;
        return;
    case PSCI_MIGRATE_INFO_TYPE:
        out->ret = PSCI_TOS_NOT_PRESENT;
        return;
    case PSCI_CPU_OFF:
        out->act = VPSCI_DO_CPU_OFF;
        return;
    case PSCI_SYSTEM_OFF:
        out->act = VPSCI_DO_SYSTEM_OFF;
        return;
    case PSCI_SYSTEM_RESET:
        out->act = VPSCI_DO_SYSTEM_RESET;
        return;
    case PSCI_CPU_ON: {
        uint64_t entry = arg(x, 2);
        out->ret = PSCI_INVALID_PARAMETERS;
        if ((t = vcpu_of(arg(x, 1), nr_vcpus)) < 0)
            return;
        out->ret = PSCI_INVALID_ADDRESS;
        if (entry < ram_ipa || entry - ram_ipa >= ram_size || (entry & 3))
            return;
        *out = (struct vpsci_call){
            .act = VPSCI_DO_CPU_ON, .target = (unsigned)t, .entry = entry, .context = arg(x, 3)};
        return;
    }
    case PSCI_AFFINITY_INFO:
        out->ret = PSCI_INVALID_PARAMETERS;
        if ((t = vcpu_of(arg(x, 1), nr_vcpus)) < 0 || arg(x, 2) != 0)
            return; /* only affinity level 0: vCPUs have no clusters */
        out->act = VPSCI_DO_AFF_INFO;
        out->target = (unsigned)t;
        return;
    default:
        return;
    }
}
