/* SPDX-License-Identifier: MIT */
/*
 * main.c - boot: console, GIC, secondary CPUs, VMs from the generated config, then every CPU
 * enters its scheduler. CPU 0 builds everything; secondaries wait for `go`.
 */
#include "arch_cpu.h"
#include "drivers.h"
#include "core/vmseed.h"
#include "hyp.h"

static volatile bool go;

static void pcpu_setup(unsigned cpu)
{
    struct pcpu *p = &pcpus[cpu];
    p->id = cpu;
    arch_cpu_local_set(p);
    arch_cpu_init(cpu);
    gic_init_cpu(cpu);
    sched_init_cpu(p);
    __atomic_store_n(&p->online, true, __ATOMIC_RELEASE);
}

static void start_secondaries(void)
{
    for (unsigned cpu = 1; cpu < PLAT_MAX_CPUS; cpu++) {
        int r = arch_cpu_on(cpu);
        if (r != 0)
            continue; /* not present: QEMU's -smp decides how many there are */
        for (unsigned spin = 0; !__atomic_load_n(&pcpus[cpu].online, __ATOMIC_ACQUIRE); spin++)
            if (spin > 100000000u)
                hyp_panic("cpu %u did not come up", cpu);
    }
}

void hyp_main(uint64_t dtb)
{
    /* QEMU hands a device tree's address only to a raw-binary kernel; for the ELF x0 = 0 and
     * its tree sits at the RAM base. The board is board.h and the system the config: the tree
     * is read for one thing, the board's entropy (vmseed.c). */
    hyp_log("emvisor starting on %s at EL2, config '%s'", PLAT_NAME, emv_config.name);
    vmseed_init(dtb);
    gic_init_dist();
    console_init(emv_config.console_test_fifo);
    pcpu_setup(0);
    start_secondaries();
    unsigned online = 0;
    for (unsigned c = 0; c < PLAT_MAX_CPUS; c++)
        online += pcpus[c].online;
    hyp_log("%u cpu(s) online, timer %lu Hz, slice %lu us", online, timer_freq(),
            emv_config.slice_us);
    unsigned n = vm_create_all(&emv_config);
    hyp_log("%u of %u vm(s) started; stage-2 tables: %u pages in use", n, emv_config.nr_vms,
            vm_pt_pages_used());
    ipc_init();
    vpl011_input_init();
    sched_release_all();
    /* From here the guests run: the time the hypervisor's own start took (ns = instructions
     * under -icount; bench/linux_bench.py takes it off a VM's boot time). */
    hyp_log("guests start at %lu ns", timer_now_ns());
    __atomic_store_n(&go, true, __ATOMIC_RELEASE);
    arch_send_event();
    sched_go();
}

void hyp_main_secondary(unsigned cpu)
{
    pcpu_setup(cpu);
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        arch_wait_event();
    sched_go();
}
