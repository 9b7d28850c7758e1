/* SPDX-License-Identifier: MIT */
/*
 * vm.c - VMs from the generated configuration: stage-2 tables, guest images, vCPUs, the
 * emulated GIC regions; stopping a VM that misbehaves; the end-of-run report.
 */
#include <stdarg.h>

#include "core/dma.h"
#include "drivers.h"
#include "fmt.h"
#include "hyp.h"
#include "string.h"
#include "trace.h"

struct vm vms[EMV_MAX_VMS];
unsigned nr_vms;
static struct vcpu vcpu_pool[HYP_MAX_VCPUS];
static unsigned nr_vcpu_pool;

/* Stage-2 table pages: a fixed pool, sized for EMV_MAX_VMS VMs with a few devices each. */
#define PT_POOL_PAGES 256
static uint8_t pt_pool[PT_POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned pt_used;

static void *pt_alloc_page(void *ctx)
{
    (void)ctx;
    if (pt_used == PT_POOL_PAGES)
        return 0;
    return pt_pool[pt_used++]; /* .bss: already zero */
}

/* The hypervisor's EL2 map is the identity, so VA and PA coincide. */
static paddr_t pt_to_phys(void *ctx, void *va)
{
    (void)ctx;
    return (paddr_t)va;
}

static void *pt_to_virt(void *ctx, paddr_t pa)
{
    (void)ctx;
    return (void *)pa;
}

static const struct pt_alloc hyp_pt_alloc = {pt_alloc_page, pt_to_phys, pt_to_virt, 0};

int vm_mmio_register(struct vm *vm, ipa_t base, uint64_t size, mmio_fn fn, void *ctx)
{
    if (vm->nr_mmio == VM_MAX_MMIO)
        return -1;
    vm->mmio[vm->nr_mmio++] = (struct mmio_region){base, size, fn, ctx};
    return 0;
}

const struct mmio_region *vm_mmio_find(const struct vm *vm, ipa_t ipa)
{
    for (unsigned i = 0; i < vm->nr_mmio; i++)
        if (ipa >= vm->mmio[i].base && ipa - vm->mmio[i].base < vm->mmio[i].size)
            return &vm->mmio[i];
    return 0;
}

static int vgicd_mmio(struct vcpu *v, void *ctx, struct mmio_access *a)
{
    (void)ctx;
    spin_lock(&v->vm->vgic_lock);
    int r = vgicd_emulate(&v->vm->vgicd, a);
    spin_unlock(&v->vm->vgic_lock);
    return r;
}

/* One redistributor frame pair per vCPU of the VM, in vCPU order. */
static int vgicr_mmio(struct vcpu *v, void *ctx, struct mmio_access *a)
{
    struct vm *vm = ctx;
    unsigned idx = (unsigned)(a->off / PLAT_GICR_STRIDE);
    struct vcpu *target = vm->vcpus[idx];
    struct vgicr_id id = {idx, idx, idx + 1 == vm->nr_vcpus};
    uint32_t raise = 0;
    a->off %= PLAT_GICR_STRIDE;
    spin_lock(&vm->vgic_lock); /* a vCPU may program another vCPU's redistributor */
    int r = vgicr_emulate(&target->vgic, &id, a, &raise);
    spin_unlock(&vm->vgic_lock);
    for (irq_t irq = 0; raise; irq++, raise >>= 1)
        if (raise & 1)
            virq_raise(target, irq);
    (void)v;
    return r;
}

static int map_vm(struct vm *vm, const struct emv_vm_cfg *c)
{
    int r = s2pt_init(&vm->s2, &hyp_pt_alloc);
    if (!r)
        r = s2pt_map(&vm->s2, c->ram_ipa, c->ram_pa, c->ram_size, S2_NORMAL_RWX);
    for (unsigned i = 0; !r && i < c->nr_devs; i++)
        r = s2pt_map(&vm->s2, c->devs[i].base, c->devs[i].base,
                     ALIGN_UP(c->devs[i].size, PAGE_SIZE), S2_DEVICE_RW);
    return r;
}

static void load_image(const struct emv_vm_cfg *c)
{
    uint8_t *ram = (uint8_t *)c->ram_pa;
    memcpy(ram, c->image, c->image_size);
    memset(ram + c->image_size, 0, c->ram_size - c->image_size);
    cache_clean_range(c->ram_pa, c->ram_size);
}

static int create_vcpus(struct vm *vm, const struct emv_vm_cfg *c)
{
    for (unsigned i = 0; i < c->nr_vcpus; i++) {
        unsigned cpu = c->vcpus[i].pcpu;
        if (cpu >= PLAT_MAX_CPUS || !pcpus[cpu].online) {
            hyp_log("vm '%s': vcpu %u: cpu %u is not online (QEMU -smp too small?); VM not started",
                    vm->name, i, cpu);
            return -1;
        }
        if (nr_vcpu_pool == HYP_MAX_VCPUS)
            return -1;
        struct vcpu *v = &vcpu_pool[nr_vcpu_pool++];
        v->vm = vm;
        v->id = i;
        v->pcpu = cpu;
        v->state = VCPU_RUNNABLE;
        v->se.weight = c->vcpus[i].weight;
        v->se.period_ns = c->vcpus[i].period_us * 1000;
        v->se.budget_ns = c->vcpus[i].budget_us * 1000;
        vgic_cpu_init(&v->vgic);
        vcpu_arch_init(v, c->entry_ipa, c->bootarg);
        vm->vcpus[vm->nr_vcpus++] = v;
    }
    return 0;
}

/*
 * A device that masters DMA reaches all physical memory past stage 2. emvcfg refuses one in a
 * VM not marked dma-trusted; this is the second line, for tables made some other way, before
 * anything is mapped or loaded. Every trusted VM is announced: it is part of the TCB.
 */
static int check_dma(const struct vm *vm, const struct emv_vm_cfg *c)
{
    char list[EMV_MAX_DEVS_PER_VM * (EMV_NAME_MAX + 2)];
    unsigned n = dma_masters(c, list, sizeof(list));
    bool trusted = c->flags & EMV_VM_F_DMA_TRUSTED;
    if (n && !trusted) {
        hyp_log("vm '%s': devices: %s can master DMA past stage 2, but the VM is not trusted for "
                "DMA (dma-trusted); VM not started",
                vm->name, list);
        return -1;
    }
    if (trusted)
        hyp_log("vm '%s' is trusted for DMA (%s): it can read and write any physical memory",
                vm->name, n ? list : "no DMA device");
    return 0;
}

static int vm_create(struct vm *vm, const struct emv_vm_cfg *c, vmid_t id)
{
    vm->id = id;
    vm->cfg = c;
    vm->name = c->name;
    vm->ram = (struct guest_ram){c->ram_ipa, c->ram_pa, c->ram_size};
    vgic_dist_init(&vm->vgicd);
    if (check_dma(vm, c))
        return -1;
    int r = map_vm(vm, c);
    if (r) {
        hyp_log("vm '%s': stage-2 mapping failed (%d); VM not started", vm->name, r);
        return r;
    }
    load_image(c);
    if (create_vcpus(vm, c))
        return -1;
    vm_mmio_register(vm, PLAT_VGICD_BASE, PLAT_GICD_SIZE, vgicd_mmio, vm);
    vm_mmio_register(vm, PLAT_VGICR_BASE, vm->nr_vcpus * PLAT_GICR_STRIDE, vgicr_mmio, vm);
    for (unsigned i = 0; i < vm->nr_vcpus; i++)
        sched_add_vcpu(vm->vcpus[i]);
    hyp_log("vm '%s' (id %u): ram %#lx..%#lx at ipa %#lx, %u vcpu(s), image %lu bytes", vm->name,
            id, c->ram_pa, c->ram_pa + c->ram_size - 1, c->ram_ipa, vm->nr_vcpus, c->image_size);
    return 0;
}

int vm_create_all(const struct emv_sys_cfg *cfg)
{
    int started = 0;
    for (unsigned i = 0; i < cfg->nr_vms && i < EMV_MAX_VMS; i++) {
        struct vm *vm = &vms[nr_vms];
        if (vm_create(vm, &cfg->vms[i], nr_vms + 1) == 0) {
            nr_vms++;
            started++;
        } else {
            *vm = (struct vm){0};
        }
    }
    return started;
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
    va_list ap;
    if (vm->state == VM_STOPPED)
        return;
    va_start(ap, fmt);
    emv_vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
    va_end(ap);
    /* First the VM: its vCPUs' CPUs re-derive STOPPED from it at every decision, whatever
     * they write to their vCPU's state meanwhile (sched.c: vcpu_stopped). */
    __atomic_store_n(&vm->state, VM_STOPPED, __ATOMIC_SEQ_CST);
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        vm->vcpus[i]->state = VCPU_STOPPED;
        __atomic_store_n(&pcpus[vm->vcpus[i]->pcpu].stops_pending, true, __ATOMIC_RELEASE);
        sched_kick(vm->vcpus[i]);
    }
    hyp_log("vm '%s' stopped: %s", vm->name, vm->stop_reason);
}

/* The CPU's policy as the config names it: edf, rm, credit (servers ignored) or round-robin. */
static const char *cpu_policy_name(const struct pcpu *p)
{
    static const char *const modes[] = {"edf", "rm", "credit"};

    if (p->policy != &sched_rt || p->rq.rt_policy >= ARRAY_SIZE(modes))
        return p->policy->name;
    return modes[p->rq.rt_policy];
}

void system_report_and_off(const char *why)
{
    unsigned running = 0;
    ns_t now = timer_now_ns();
    console_sync(); /* the report and the trace must all get out before power-off */
    hyp_log("---- report (%s) at %lu ms ----", why, now / 1000000);
    for (unsigned i = 0; i < nr_vms; i++) {
        struct vm *vm = &vms[i];
        for (unsigned j = 0; j < vm->nr_vcpus; j++) {
            struct vcpu *v = vm->vcpus[j];
            ns_t run = v->stats.runtime_ns;
            if (v->state == VCPU_RUNNING && now > v->ran_since) /* the slice it is in now */
                run += now - v->ran_since;
            hyp_log("vm %s vcpu %u: cpu=%u ran-on=0x%x timer-irqs=%lu hypercalls=%lu "
                    "switches=%lu runtime-us=%lu runtime-ms=%lu",
                    vm->name, j, v->pcpu, v->stats.ran_on, v->stats.timer_irqs, v->stats.hypercalls,
                    v->stats.switches_in, run / 1000, run / 1000000);
            if (v->se.period_ns)
                hyp_log("vm %s vcpu %u: server budget-us=%lu period-us=%lu periods=%lu "
                        "exhausted=%lu overhead-ns-max=%lu",
                        vm->name, j, v->se.budget_ns / 1000, v->se.period_ns / 1000,
                        v->se.replenishments, v->se.exhaustions, sched_overhead_max(v));
        }
        hyp_log("vm %s: state=%s%s%s", vm->name, vm->state == VM_RUNNING ? "running" : "stopped",
                vm->state == VM_RUNNING ? "" : " reason=",
                vm->state == VM_RUNNING ? "" : vm->stop_reason);
        running += vm->state == VM_RUNNING;
    }
    for (unsigned c = 0; c < PLAT_MAX_CPUS; c++) {
        const struct pcpu *p = &pcpus[c];
        if (!p->online || !p->stats.decisions)
            continue;
        hyp_log("cpu %u: policy=%s decisions=%lu decision-cycles-avg=%lu decision-cycles-max=%lu "
                "enforcements=%lu enforce-late-ns-avg=%lu enforce-late-ns-max=%lu idle=%lu "
                "kicks=%lu kicks-server=%lu",
                c, cpu_policy_name(p), p->stats.decisions,
                p->stats.decision_cycles / p->stats.decisions, p->stats.decision_cycles_max,
                p->stats.enforcements,
                p->stats.enforcements ? p->stats.enforce_late_ns / p->stats.enforcements : 0,
                p->stats.enforce_late_max_ns, p->idle_entries, p->stats.kicks,
                p->stats.kicks_server);
    }
    console_report();
    trace_dump();
    hyp_log("RESULT: %u vms, %u running, %u stopped", nr_vms, running, nr_vms - running);
    arch_power_off();
}
