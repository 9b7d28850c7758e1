/* SPDX-License-Identifier: MIT */
/*
 * vsysreg.c - guests' debug registers, PMU registers, set/way cache operations and the GIC's
 * Group 0 registers, all trapped (MDCR_EL2.TDA/TDOSA/TDRA/TPM/TPMCR, HCR_EL2.TSW,
 * ICH_HCR_EL2.TALL0; Arm ARM D13.2.79, D13.2.48; Arm IHI 0069 12.5.6) and
 * emulated here so that no VM sees or changes another's state or the hypervisor's cycle
 * counter. The per-vCPU views are sysreg_emul.c; the guest's PMCCNTR_EL0 reads are served
 * earlier, in vectors.S, from the same struct vpmu.
 */
#include <stddef.h>

#include "hyp.h"
#include "sysreg.h"
#include "sysreg_emul.h"
#include "vsysreg.h"

_Static_assert(offsetof(struct pcpu, current) == PCPU_CURRENT, "PCPU_CURRENT in asm_defs.h");
_Static_assert(offsetof(struct vcpu, arch.pmu) == VCPU_VPMU, "VCPU_VPMU in asm_defs.h");
_Static_assert(offsetof(struct vcpu, regs) == VCPU_REGS, "VCPU_REGS in asm_defs.h");
_Static_assert(sizeof(((struct vcpu *)0)->regs) == FRAME_SIZE, "FRAME_SIZE in asm_defs.h");
_Static_assert(offsetof(struct vpmu, mask) == 8, "vectors.S loads base, mask with one ldp");

/* This CPU's caches as set/way operations address them, read once at boot (CCSIDR_EL1 needs
 * CSSELR_EL1, which is the guest's while it runs). */
static uint64_t cpu_clidr[PLAT_MAX_CPUS];
static struct cache_geom cpu_geom[PLAT_MAX_CPUS][7];

void vsysreg_cpu_init(unsigned cpu)
{
    bool ccidx = (read_sysreg(S3_0_C0_C7_2) >> 20) & 0xf; /* ID_AA64MMFR2_EL1.CCIDX */
    cpu_clidr[cpu] = read_sysreg(clidr_el1);
    for (unsigned l = 0; l < 7; l++) {
        write_sysreg(csselr_el1, l << 1); /* level l + 1, data or unified */
        isb();
        cpu_geom[cpu][l] = cache_geom_decode(read_sysreg(ccsidr_el1), ccidx);
    }
    write_sysreg(csselr_el1, 0);
    /* The OS lock is each guest's own (struct vdebug); the hardware one stays clear so that
     * a guest's software step (MDSCR_EL1.SS, MDSCR_LIVE) works as on its own PE. */
    write_sysreg(oslar_el1, 0);
    write_sysreg(mdscr_el1, 0);
}

void vsysreg_vcpu_init(struct vcpu *v)
{
    vpmu_reset(&v->arch.pmu);
    vdebug_reset(&v->arch.dbg, read_sysreg(id_aa64dfr0_el1));
}

/*
 * DC ISW/CSW/CISW: performed here, on the guest's own CPU (every vCPU is pinned, so this
 * CPU's caches are the ones its set/way loop is meant for; see docs/abi.md). ISW becomes
 * clean-and-invalidate: a bare invalidate would discard other VMs' and the hypervisor's
 * dirty lines. One line per trap, charged to the guest's own time.
 */
static bool setway(struct vcpu *v, const struct sysreg_acc *a, uint64_t xt)
{
    if (a->key != ISS_DC_ISW && a->key != ISS_DC_CSW && a->key != ISS_DC_CISW)
        return false;
    v->stats.setway_ops++;
    int64_t op = setway_operand(cpu_clidr[v->pcpu], cpu_geom[v->pcpu], xt);
    if (op < 0) /* no such cache, set or way: CONSTRAINED UNPREDICTABLE, we do nothing */
        return true;
    if (a->key == ISS_DC_CSW)
        __asm__ volatile("dc csw, %0" ::"r"(op) : "memory");
    else
        __asm__ volatile("dc cisw, %0" ::"r"(op) : "memory");
    return true;
}

/* Emulate a trapped debug, PMU, set/way or Group 0 access; false if it is none of these. */
bool vsysreg_trap(struct vcpu *v, uint64_t *frame, uint32_t iss)
{
    struct sysreg_acc a = sysreg_decode(iss);
    uint64_t val = a.read || a.rt == 31 ? 0 : frame[a.rt];
    switch (ISS_OP0(a.key)) {
    case 1:
        return setway(v, &a, val);
    case 2:
        vdebug_access(&v->arch.dbg, &a, &val);
        break;
    case 3:
        if (vgic_group0_access(&a, &val))
            break;
        if (!vpmu_access(&v->arch.pmu, &a, &val, read_sysreg(pmccntr_el0), read_sysreg(pmcr_el0)))
            return false;
        break;
    default:
        return false;
    }
    if (a.read && a.rt != 31)
        frame[a.rt] = val;
    else if (!a.read)
        vsysreg_vcpu_load(v); /* PMUSERENR_EL0 or MDSCR_EL1 may have changed */
    return true;
}
