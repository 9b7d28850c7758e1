/* SPDX-License-Identifier: MIT */
/*
 * vm.c - VMs from the generated configuration: stage-2 tables, guest images, vCPUs, the
 * emulated GIC regions; stopping a VM that misbehaves; the end-of-run report.
 */
#include <stdarg.h>

#include "core/dma.h"
#include "core/vmseed.h"
#include "core/vpsci.h"
#include "drivers.h"
#include "fmt.h"
#include "hyp.h"
#include "string.h"
#include "trace.h"

struct vm vms[EMV_MAX_VMS];
unsigned nr_vms;

struct vm *vm_by_id(vmid_t id)
{
    return id >= 1 && id <= nr_vms ? &vms[id - 1] : 0;
}
static struct vcpu vcpu_pool[HYP_MAX_VCPUS];
static unsigned nr_vcpu_pool;

/* Stage-2 table pages: a fixed pool, sized for EMV_MAX_VMS VMs with a few devices each. */
#define PT_POOL_PAGES 256
static uint8_t pt_pool[PT_POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned pt_used;
static void *pt_free_list; /* pages given back: each holds the next one's address */
static unsigned pt_in_use; /* handed out and not given back */

unsigned vm_pt_pages_used(void)
{
    return pt_in_use;
}

static void *pt_alloc_page(void *ctx)
{
    (void)ctx;
    if (pt_free_list) {
        void *pg = pt_free_list;
        pt_free_list = *(void **)pg;
        memset(pg, 0, PAGE_SIZE);
        pt_in_use++;
        return pg;
    }
    if (pt_used == PT_POOL_PAGES)
        return 0;
    pt_in_use++;
    return pt_pool[pt_used++]; /* .bss: already zero */
}

static void pt_free_page(void *ctx, void *va)
{
    (void)ctx;
    *(void **)va = pt_free_list;
    pt_free_list = va;
    pt_in_use--;
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

static const struct pt_alloc hyp_pt_alloc = {.alloc_page = pt_alloc_page,
                                             .free_page = pt_free_page,
                                             .to_phys = pt_to_phys,
                                             .to_virt = pt_to_virt};

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

/* Every interrupt line of the board's devices is one the vGIC models. */
#define X(n, b, s, i, o, m) _Static_assert((i) < VGIC_NR_IRQS, "vgic.h: " n "'s SPI");
PLAT_DEVICES(X)
#undef X

/* The VM each device interrupt line (SPI) of the board is given to, from the config. */
static struct vm *spi_owner[VGIC_NR_IRQS];

#define GICD_IROUTER_SPI0 0x6100 /* GICD_IROUTER<32> */

/* The vCPU a device interrupt goes to: the one its owner's GICD_IROUTER names; 0 if the line
 * is nobody's or its owner is stopped. */
struct vcpu *vm_device_irq_target(irq_t irq)
{
    struct vm *vm = irq < VGIC_NR_IRQS ? spi_owner[irq] : 0;
    if (!vm || __atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) != VM_RUNNING)
        return 0;
    return vm->vcpus[vgic_spi_target(&vm->vgicd, irq, vm->nr_vcpus)];
}

/* The VM's device lines become its virtual SPIs with the same INTIDs, delivered with the
 * hardware bit; each physical line is routed to the CPU of the vCPU the VM routes it to. */
static void claim_device_irqs(struct vm *vm, const struct emv_vm_cfg *c)
{
    for (unsigned i = 0; i < c->nr_devs; i++) {
        irq_t irq = c->devs[i].irq;
        if (!irq)
            continue;
        spi_owner[irq] = vm;
        vgic_spi_set_hw(&vm->vgicd, irq);
        gic_enable_spi(irq, vm->vcpus[0]->pcpu);
    }
}

/* A stopped VM's devices interrupt nobody: their lines are disabled and deactivated. */
static void release_device_irqs(struct vm *vm)
{
    for (irq_t irq = 32; irq < VGIC_NR_IRQS; irq++)
        if (spi_owner[irq] == vm)
            gic_disable_spi(irq);
}

/* A write to GICD_IROUTER<n> of one of the VM's device lines moves the physical line to the
 * CPU of the vCPU it now names, so the interrupt is taken where that vCPU runs. */
static void follow_routing(struct vm *vm, const struct mmio_access *a)
{
    if (!a->write || a->off < GICD_IROUTER_SPI0 || a->off >= GICD_IROUTER_SPI0 + 8 * VGIC_NR_SPIS)
        return;
    irq_t irq = (irq_t)(32 + (a->off - GICD_IROUTER_SPI0) / 8);
    if (spi_owner[irq] == vm)
        gic_route_spi(irq, vm->vcpus[vgic_spi_target(&vm->vgicd, irq, vm->nr_vcpus)]->pcpu);
}

static int vgicd_mmio(struct vcpu *v, void *ctx, struct mmio_access *a)
{
    (void)ctx;
    spin_lock(&v->vm->vgic_lock);
    int r = vgicd_emulate(&v->vm->vgicd, a);
    follow_routing(v->vm, a);
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

/* A shared region the config gives the VM: at the object's IPA, read-only unless the VM may
 * write it, never executable. */
static int map_shmem(struct vm *vm, const struct emv_obj_cfg *o)
{
    if (o->type != EMV_OBJ_SHMEM)
        return 0;
    if (o->shmem >= emv_config.nr_shmem)
        return S2_EINVAL;
    const struct emv_shmem_cfg *r = &emv_config.shmem[o->shmem];
    return s2pt_map(&vm->s2, o->ipa, r->pa, r->size,
                    (o->rights & EMV_RIGHT_WRITE) ? S2_SHARED_RW : S2_SHARED_RO);
}

static int map_vm(struct vm *vm, const struct emv_vm_cfg *c)
{
    int r = s2pt_init(&vm->s2, &hyp_pt_alloc);
    if (!r)
        r = s2pt_map(&vm->s2, c->ram_ipa, c->ram_pa, c->ram_size, S2_NORMAL_RWX);
    for (unsigned i = 0; !r && i < c->nr_devs; i++)
        r = s2pt_map(&vm->s2, c->devs[i].base, c->devs[i].base,
                     ALIGN_UP(c->devs[i].size, PAGE_SIZE), S2_DEVICE_RW);
    for (unsigned i = 0; !r && i < c->nr_objs; i++)
        r = map_shmem(vm, &c->objs[i]);
    if (!r)
        r = vm_grant_window(vm); /* its tables now: grant maps never allocate */
    if (r)
        s2pt_destroy(&vm->s2); /* no CPU ever used these tables: give them back */
    return r;
}

/* What the VM's memory holds at its start: the image, a Linux VM's initramfs where its device
 * tree says (emvcfg), the boot information (a device tree) at the end; zeros elsewhere. emvcfg
 * checked they fit and do not overlap. *@bootinfo: the boot information's IPA for x0 (0: none). */
static unsigned load_segs(const struct emv_vm_cfg *c, struct vmload_seg s[3], ipa_t *bootinfo)
{
    uint64_t bi_off = c->ram_size - ALIGN_UP(c->bootinfo_size, PAGE_SIZE);
    unsigned n = 0;
    s[n++] = (struct vmload_seg){c->image_offset, c->image_size, c->image};
    if (c->initrd_size)
        s[n++] = (struct vmload_seg){c->initrd_ipa - c->ram_ipa, c->initrd_size, c->initrd};
    if (c->bootinfo_size)
        s[n++] = (struct vmload_seg){bi_off, c->bootinfo_size, c->bootinfo};
    *bootinfo = c->bootinfo_size ? c->ram_ipa + bi_off : 0;
    return n;
}

/* At boot, before anything runs: the whole memory in one go. Returns the boot information's
 * IPA for x0 (0: none). A restart loads the same in pieces (vm_restart_step). */
static ipa_t load_image(const struct vm *vm, const struct emv_vm_cfg *c)
{
    struct vmload_seg segs[3];
    ipa_t bootinfo;
    unsigned n = load_segs(c, segs, &bootinfo);
    vmload_range((uint8_t *)c->ram_pa, segs, n, 0, c->ram_size);
    if (bootinfo) /* a Linux VM's rng-seed: fresh at every start */
        vmseed_fill(vm, (uint8_t *)c->ram_pa + (bootinfo - c->ram_ipa));
    cache_clean_range(c->ram_pa, c->ram_size);
    return bootinfo;
}

/* @vm cannot start: it stays stopped with the reason (its id stays taken). Returns -1. */
static int __attribute__((format(printf, 2, 3))) vm_not_started(struct vm *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emv_vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
    va_end(ap);
    vm->state = VM_STOPPED;
    vm->stop_claimed = true;
    hyp_log("vm '%s' (id %u) not started: %s", vm->name, vm->id, vm->stop_reason);
    return -1;
}

/* Everything creating the vCPUs needs, checked before anything is taken, so that a VM that
 * cannot start takes nothing. */
static int check_vcpus(struct vm *vm, const struct emv_vm_cfg *c)
{
    for (unsigned i = 0; i < c->nr_vcpus; i++) {
        unsigned cpu = c->vcpus[i].pcpu;
        if (cpu >= PLAT_MAX_CPUS || !pcpus[cpu].online)
            return vm_not_started(vm, "vcpu %u: cpu %u is not online (QEMU -smp too small?)", i,
                                  cpu);
    }
    if (c->nr_vcpus > HYP_MAX_VCPUS - nr_vcpu_pool || c->nr_vcpus > EMV_MAX_VCPUS_PER_VM)
        return vm_not_started(vm, "%u vcpu(s): only %u of the hypervisor's %u left", c->nr_vcpus,
                              HYP_MAX_VCPUS - nr_vcpu_pool, HYP_MAX_VCPUS);
    return 0;
}

static void create_vcpus(struct vm *vm, const struct emv_vm_cfg *c, ipa_t bootinfo)
{
    for (unsigned i = 0; i < c->nr_vcpus; i++) {
        struct vcpu *v = &vcpu_pool[nr_vcpu_pool++];
        v->vm = vm;
        v->id = i;
        v->pcpu = c->vcpus[i].pcpu;
        v->state = VCPU_RUNNABLE;
        v->se.weight = c->vcpus[i].weight;
        v->se.period_ns = c->vcpus[i].period_us * 1000;
        v->se.budget_ns = c->vcpus[i].budget_us * 1000;
        vgic_cpu_init(&v->vgic);
        vcpu_arch_init(v, c->entry_ipa, bootinfo, c->bootarg);
        if (i && (c->flags & EMV_VM_F_LINUX)) { /* off until the guest's PSCI CPU_ON */
            v->power = VPSCI_OFF;
            v->state = VCPU_BLOCKED;
        }
        vm->vcpus[vm->nr_vcpus++] = v;
    }
}

/*
 * A device that masters DMA reaches all physical memory past stage 2. emvcfg refuses one in a
 * VM not marked dma-trusted; this is the second line, for tables made some other way, before
 * anything is mapped or loaded. Every trusted VM is announced: it is part of the TCB.
 */
static int check_dma(struct vm *vm, const struct emv_vm_cfg *c)
{
    char list[EMV_MAX_DEVS_PER_VM * (EMV_NAME_MAX + 2)];
    unsigned n = dma_masters(c, list, sizeof(list));
    bool trusted = c->flags & EMV_VM_F_DMA_TRUSTED;
    if (n && !trusted)
        return vm_not_started(vm,
                              "devices: %s can master DMA past stage 2, but the VM is not trusted "
                              "for DMA (dma-trusted)",
                              list);
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
    if (check_dma(vm, c) || check_vcpus(vm, c))
        return -1;
    int r = map_vm(vm, c);
    if (r)
        return vm_not_started(vm, "stage-2 mapping failed (%d): tables given back", r);
    create_vcpus(vm, c, load_image(vm, c));
    claim_device_irqs(vm, c);
    vm_mmio_register(vm, PLAT_VGICD_BASE, PLAT_GICD_SIZE, vgicd_mmio, vm);
    vm_mmio_register(vm, PLAT_VGICR_BASE, vm->nr_vcpus * PLAT_GICR_STRIDE, vgicr_mmio, vm);
    if (c->flags & EMV_VM_F_LINUX)
        vpl011_attach(vm);
    vm_grants_up(vm);
    evtchn_vm_up(vm);
    for (unsigned i = 0; i < vm->nr_vcpus; i++)
        sched_add_vcpu(vm->vcpus[i]);
    hyp_log("vm '%s' (id %u): ram %#lx..%#lx at ipa %#lx, %u vcpu(s), image %lu bytes", vm->name,
            id, c->ram_pa, c->ram_pa + c->ram_size - 1, c->ram_ipa, vm->nr_vcpus, c->image_size);
    return 0;
}

/*
 * VM ids are the config's order (1, 2, ...): a VM that does not start keeps its id, stopped
 * with the reason, so no other VM's id shifts (peers and the control VM name VMs by id).
 */
/* VMs of the config that could not start: the run fails (the RESULT line says so). */
static unsigned nr_not_started;

int vm_create_all(const struct emv_sys_cfg *cfg)
{
    int started = 0;
    for (unsigned i = 0; i < cfg->nr_shmem; i++) { /* shared regions start zeroed */
        memset((void *)cfg->shmem[i].pa, 0, cfg->shmem[i].size);
        cache_clean_range(cfg->shmem[i].pa, cfg->shmem[i].size);
    }
    nr_vms = cfg->nr_vms < EMV_MAX_VMS ? cfg->nr_vms : EMV_MAX_VMS;
    vm_grants_init(nr_vms);
    evtchn_init(nr_vms);
    for (unsigned i = 0; i < nr_vms; i++)
        started += vm_create(&vms[i], &cfg->vms[i], i + 1) == 0;
    nr_not_started = nr_vms - (unsigned)started;
    return started;
}

/*
 * Stop @vm for the reason given. Two CPUs may stop one VM at once (both of its vCPUs fault):
 * exactly one claims the stop and writes the reason and the log line; the other only makes
 * sure its own vCPU does not run on. The VM's state goes first: its vCPUs' CPUs re-derive
 * STOPPED from it at every decision, whatever they write to their vCPU's state meanwhile
 * (sched.c: vcpu_stopped).
 */
void vm_stop(struct vm *vm, const char *fmt, ...)
{
    va_list ap;
    __atomic_store_n(&vm->state, VM_STOPPED, __ATOMIC_SEQ_CST);
    sched_resched_self(); /* a caller running one of @vm's vCPUs leaves it now */
    if (__atomic_exchange_n(&vm->stop_claimed, true, __ATOMIC_SEQ_CST))
        return;
    va_start(ap, fmt);
    emv_vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
    va_end(ap);
    release_device_irqs(vm);
    ipc_vm_stopped(vm);
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        vm->vcpus[i]->state = VCPU_STOPPED;
        __atomic_store_n(&pcpus[vm->vcpus[i]->pcpu].stops_pending, true, __ATOMIC_RELEASE);
        sched_kick(vm->vcpus[i]);
    }
    /* Its grants end (gone from the peers' stage 2 and TLBs) and what it mapped of others'
     * goes: it holds nothing of another VM's memory, nor another VM of its own. */
    vm_grants_down(vm);
    evtchn_vm_down(vm); /* its run-time channels closed: peers see them unbound */
    hyp_log("vm '%s' stopped: %s", vm->name, vm->stop_reason);
}

/*
 * Restarting a VM (docs/architecture.md, "Restarting a VM"; the phases in vmreset.h). Here:
 * the request, which marks every vCPU for parking and kicks their CPUs; the reset of the VM's
 * state, by the CPU that parks the last vCPU; the memory load, piece by piece on vCPU 0's time.
 */
void vm_restart(struct vm *vm, const char *fmt, ...)
{
    for (unsigned i = 0; i < vm->nr_vcpus; i++)
        if (vm->vcpus[i]->ipc.passive) {
            vm_stop(vm, "restart refused: a passive IPC server runs on its callers' time, and "
                        "a restart cannot take that time back mid-call");
            return;
        }
    if (!vmreset_begin(&vm->reset, vm->nr_vcpus))
        return; /* one is in progress: this call joins it */
    va_list ap;
    va_start(ap, fmt);
    emv_vsnprintf(vm->restart_why, sizeof(vm->restart_why), fmt, ap);
    va_end(ap);
    vm->reset.t0_ns = timer_now_ns();
    vm->reset.pieces = vm->reset.piece_max_ns = 0;
    hyp_log("vm '%s' restarting: %s", vm->name, vm->restart_why);
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        struct vcpu *v = vm->vcpus[i];
        __atomic_store_n(&v->park_pending, true, __ATOMIC_RELEASE);
        __atomic_store_n(&pcpus[v->pcpu].parks_pending, true, __ATOMIC_RELEASE);
        sched_kick(v);
    }
}

/*
 * Every vCPU of @vm is powered off and off its CPU (or about to leave it in the decision that
 * parked it: its registers are not touched here). What the VM shares with others ends as on a
 * stop: its grants (gone from the peers' stage 2), its run-time event channels, the calls it
 * served or waited in (-EMV_EPIPE). Its device interrupts are disabled and deactivated, so
 * one it had taken and not completed does not stay active in the GIC forever, and enabled
 * again only at the entry, when nothing can clear what they raise; its vGIC is as at boot. Then
 * vCPU 0 starts, as PSCI CPU_ON starts a vCPU, but loads the VM's memory before it enters the
 * guest.
 */
void vm_restart_parked(struct vm *vm)
{
    const struct emv_vm_cfg *c = vm->cfg;
    struct vcpu *v0 = vm->vcpus[0];
    if (__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) != VM_RUNNING)
        return; /* stopped meanwhile: it stays stopped */
    ns_t t0 = timer_now_ns();
    vm_grants_down(vm);
    vm_grants_up(vm);
    ipc_vm_stopped(vm);
    evtchn_vm_down(vm);
    evtchn_vm_up(vm);
    release_device_irqs(vm); /* until the entry (vm_restart_step) */
    spin_lock(&vm->vgic_lock);
    vgic_dist_init(&vm->vgicd);
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        vgic_cpu_init(&vm->vcpus[i]->vgic);
        vm->vcpus[i]->ipc = (struct vcpu_ipc){.passive = vm->vcpus[i]->ipc.passive};
    }
    spin_unlock(&vm->vgic_lock);
    vm->reset.reset_ns = timer_now_ns() - t0;
    vmreset_loading(&vm->reset);
    v0->loading = true;
    v0->on_entry = c->entry_ipa;
    v0->on_context = 0;
    __atomic_store_n(&v0->power, VPSCI_PENDING, __ATOMIC_RELEASE);
    sched_kick(v0);
}

/* On vCPU 0's time, current here (sched.c: trap_exit): load one piece of the VM's memory and
 * return true; once all is loaded, set vCPU 0 up at the entry point and return false. */
bool vm_restart_step(struct vcpu *v)
{
    struct vm *vm = v->vm;
    const struct emv_vm_cfg *c = vm->cfg;
    struct vmload_seg segs[3];
    ipa_t bootinfo;
    unsigned n = load_segs(c, segs, &bootinfo);
    uint64_t off, len;
    if (vmreset_next_piece(&vm->reset, c->ram_size, &off, &len)) {
        ns_t t0 = timer_now_ns();
        vmload_range((uint8_t *)c->ram_pa, segs, n, off, len);
        cache_clean_range(c->ram_pa + off, len);
        ns_t d = timer_now_ns() - t0;
        vm->reset.pieces++;
        if (d > vm->reset.piece_max_ns)
            vm->reset.piece_max_ns = d;
        return true;
    }
    if (c->flags & EMV_VM_F_LINUX) { /* what was typed meanwhile is gone with the old run */
        spin_lock(&vm->uart_lock);
        vpl011_init(&vm->uart);
        spin_unlock(&vm->uart_lock);
    }
    spin_lock(&vm->vgic_lock);
    vgic_cpu_init(&v->vgic);
    claim_device_irqs(vm, c); /* only now: an interrupt forwarded before would be lost */
    spin_unlock(&vm->vgic_lock);
    if (bootinfo) { /* a fresh rng-seed for the new run */
        uint64_t bi_off = bootinfo - c->ram_ipa;
        vmseed_fill(vm, (uint8_t *)c->ram_pa + bi_off);
        cache_clean_range(c->ram_pa + bi_off, c->bootinfo_size);
    }
    vcpu_arch_init(v, c->entry_ipa, bootinfo, c->bootarg);
    v->loading = false;
    vm->restarts++;
    ns_t took = timer_now_ns() - vm->reset.t0_ns;
    vmreset_end(&vm->reset);
    sched_reload_current();
    hyp_log("vm '%s' restarted by %s (restart %u): %lu us after the request; its state reset in "
            "%lu us, its memory loaded in %lu pieces of %u KiB, the longest %lu us",
            vm->name, vm->restart_why, vm->restarts, took / 1000, vm->reset.reset_ns / 1000,
            vm->reset.pieces, VMRESET_PIECE / 1024, vm->reset.piece_max_ns / 1000);
    return false;
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
    hyp_log("---- report at %lu ms: %s ----", now / 1000000, why);
    for (unsigned i = 0; i < nr_vms; i++) {
        struct vm *vm = &vms[i];
        for (unsigned j = 0; j < vm->nr_vcpus; j++) {
            struct vcpu *v = vm->vcpus[j];
            ns_t run = v->stats.runtime_ns;
            /* the slice it is in now: only a scheduling context has one (a passive server that
             * runs in a caller's time is RUNNING, with the ran_since of its own first run) */
            if (v == pcpus[v->pcpu].ctx && now > v->ran_since)
                run += now - v->ran_since;
            hyp_log("vm %s vcpu %u: cpu=%u ran-on=0x%x timer-irqs=%lu hypercalls=%lu "
                    "setway-ops=%lu switches=%lu runtime-us=%lu runtime-ms=%lu ipc-fast=%lu "
                    "ipc-queued=%lu",
                    vm->name, j, v->pcpu, v->stats.ran_on, v->stats.timer_irqs,
                    v->stats.hypercalls + v->stats.ipc_fast, v->stats.setway_ops,
                    v->stats.switches_in, run / 1000, run / 1000000, v->stats.ipc_fast,
                    v->stats.ipc_queued);
            char ex[EXIT_KINDS * 32];
            size_t o = 0;
            for (unsigned k = 0; k < EXIT_KINDS; k++)
                o += (size_t)emv_snprintf(ex + o, sizeof(ex) - o, " %s=%lu", exit_kind_names[k],
                                          v->exits[k]);
            if (emv_config.trace_exits) /* counted only while tracing them (sched_trace_exit) */
                hyp_log("vm %s vcpu %u: exits%s", vm->name, j, ex);
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
                "kicks=%lu kicks-server=%lu el2-insns=%lu idle-ns=%lu",
                c, cpu_policy_name(p), p->stats.decisions,
                p->stats.decision_cycles / p->stats.decisions, p->stats.decision_cycles_max,
                p->stats.enforcements,
                p->stats.enforcements ? p->stats.enforce_late_ns / p->stats.enforcements : 0,
                p->stats.enforce_late_max_ns, p->idle_entries, p->stats.kicks,
                p->stats.kicks_server, sched_el2_insns(p), p->stats.idle_ns);
    }
    vm_grants_report();
    evtchn_report();
    console_report();
    trace_dump();
    if (nr_not_started)
        hyp_log("RESULT: %u vms, %u running, %u stopped; FAILED: %u vm(s) did not start", nr_vms,
                running, nr_vms - running, nr_not_started);
    else
        hyp_log("RESULT: %u vms, %u running, %u stopped", nr_vms, running, nr_vms - running);
    arch_power_off();
}
