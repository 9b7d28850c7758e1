/* SPDX-License-Identifier: MIT */
/*
 * cfg_gen.c - write a checked description as C tables (struct emv_sys_cfg, hyp/core/config.h),
 * each VM's boot information as a dtb (bootinfo-<i>.dtb next to the assembly file) and an
 * assembly file that links the guest images and the boot information in with .incbin.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "cfg.h"

#define ULL(x) ((unsigned long long)(x))

/* Where each Linux VM's /chosen/rng-seed value sits in its boot information (0: none). */
static uint32_t rng_seed_off[EMV_MAX_VMS];

static void gen_vcpus(FILE *f, const struct cfg_sys *s, const struct cfg_vm *vm)
{
    bool passive = cfg_vm_passive(s, vm->name);
    fprintf(f, "        .nr_vcpus = %u,\n        .vcpus = {\n", vm->nr_vcpus);
    for (unsigned k = 0; k < vm->nr_vcpus; k++) {
        const struct cfg_vcpu *v = &vm->vcpus[k];
        const char *sched = passive         ? "EMV_SCHED_PASSIVE"
                            : v->has_period ? "EMV_SCHED_RT"
                                            : "EMV_SCHED_BE";
        fprintf(f,
                "            {.pcpu = %u, .sched = %s, .period_us = %llu, .budget_us = %llu, "
                ".weight = %u},\n",
                v->cpu, sched, ULL(v->period_us), ULL(v->budget_us), v->weight);
    }
    fprintf(f, "        },\n");
}

static void gen_devs_of(FILE *f, const struct cfg_vm *vm)
{
    fprintf(f, "        .nr_devs = %u,\n", vm->nr_devs);
    if (!vm->nr_devs)
        return; /* no empty initialiser lists: C11 has none */
    fprintf(f, "        .devs = {\n");
    for (unsigned k = 0; k < vm->nr_devs; k++) {
        const struct cfg_board_dev *bd = cfg_board_dev(vm->devs[k]); /* checked: exists */
        fprintf(f,
                "            {.name = \"%s\", .base = 0x%llxULL, .size = 0x%llxULL, .irq = %u},\n",
                bd->name, ULL(bd->base), ULL(bd->size), bd->irq);
    }
    fprintf(f, "        },\n");
}

/* The tasks started at boot (those the analysis checked); requested ones are the control
 * VM's to admit at run time. */
static void gen_tasks(FILE *f, const struct cfg_vm *vm)
{
    unsigned n = 0;
    for (unsigned t = 0; t < vm->nr_tasks; t++)
        n += !vm->task_run[t].requested;
    fprintf(f, "        .task_policy = %u,\n        .nr_tasks = %u,\n", vm->task_policy, n);
    if (!n)
        return;
    fprintf(f, "        .tasks = {\n");
    for (unsigned t = 0; t < vm->nr_tasks; t++)
        if (!vm->task_run[t].requested)
            fprintf(f, "            {.period_us = %llu, .wcet_us = %llu}, /* %s */\n",
                    ULL(vm->tasks[t].period_us), ULL(vm->tasks[t].wcet_us), vm->task_names[t]);
    fprintf(f, "        },\n");
}

static const char *vm_flags(const struct cfg_vm *vm)
{
    if (vm->linux_kernel)
        return vm->dma_trusted ? "EMV_VM_F_LINUX | EMV_VM_F_DMA_TRUSTED" : "EMV_VM_F_LINUX";
    if (vm->control && vm->dma_trusted)
        return "EMV_VM_F_CONTROL | EMV_VM_F_DMA_TRUSTED";
    if (vm->control)
        return "EMV_VM_F_CONTROL";
    return vm->dma_trusted ? "EMV_VM_F_DMA_TRUSTED" : "0";
}

static const char *vm_rights(uint32_t r)
{
    if ((r & EMV_RIGHT_CONTROL) && (r & EMV_RIGHT_BIND))
        return "EMV_RIGHT_CONTROL | EMV_RIGHT_BIND";
    return r & EMV_RIGHT_CONTROL ? "EMV_RIGHT_CONTROL" : "EMV_RIGHT_BIND";
}

static void gen_obj(FILE *f, const struct cfg_obj *o)
{
    if (o->type == EMV_OBJ_SHMEM)
        fprintf(f,
                "            {.name = \"%s\", .type = EMV_OBJ_SHMEM, .rights = %s, .shmem = %u, "
                ".ipa = 0x%llxULL},\n",
                o->name,
                o->rights & EMV_RIGHT_WRITE ? "EMV_RIGHT_READ | EMV_RIGHT_WRITE" : "EMV_RIGHT_READ",
                o->shmem, ULL(o->ipa));
    else if (o->type == EMV_OBJ_EVTCHN)
        fprintf(f,
                "            {.name = \"%s\", .type = EMV_OBJ_EVTCHN, .rights = EMV_RIGHT_NOTIFY, "
                ".peer_vm = %u, .peer_obj = %u},\n",
                o->name, o->peer_vm, o->peer_obj);
    else if (o->type == EMV_OBJ_DEVICE)
        fprintf(f,
                "            {.name = \"%s\", .type = EMV_OBJ_DEVICE, .ipa = 0x%llxULL, .irq = "
                "%u},\n",
                o->name, ULL(o->ipa), o->irq);
    else if (o->type == EMV_OBJ_VM)
        fprintf(f,
                "            {.name = \"%s\", .type = EMV_OBJ_VM, .rights = %s, .peer_vm = %u},\n",
                o->name, vm_rights(o->rights), o->peer_vm);
    else if (o->type == EMV_OBJ_CONTROL)
        fprintf(f, "            {.name = \"%s\", .type = EMV_OBJ_CONTROL},\n", o->name);
    else
        fprintf(f,
                "            {.name = \"%s\", .type = EMV_OBJ_ENDPOINT, .rights = %s, "
                ".peer_vm = %u, .endpoint = %u, .badge = %u},\n",
                o->name, o->rights & EMV_RIGHT_CALL ? "EMV_RIGHT_CALL" : "EMV_RIGHT_RECV",
                o->peer_vm, o->endpoint, o->badge);
}

static void gen_objs(FILE *f, const struct cfg_sys *s, unsigned i)
{
    struct cfg_obj objs[EMV_MAX_OBJS];
    unsigned n = cfg_objects(s, i, objs, EMV_MAX_OBJS); /* checked: n <= EMV_MAX_OBJS */
    int fault = cfg_fault_ep(&s->vms[i], objs, n);
    if (fault >= 0)
        fprintf(f, "        .fault_ep = %d,\n", fault + 1);
    fprintf(f, "        .nr_objs = %u,\n", n);
    if (!n)
        return;
    fprintf(f, "        .objs = {\n");
    for (unsigned k = 0; k < n; k++)
        gen_obj(f, &objs[k]);
    fprintf(f, "        },\n");
}

static void gen_vm(FILE *f, const struct cfg_sys *s, unsigned i, const uint64_t *bootinfo_size)
{
    const struct cfg_vm *vm = &s->vms[i];
    fprintf(f, "    {\n        .name = \"%s\",\n        .flags = %s,\n", vm->name, vm_flags(vm));
    fprintf(f, "        .ram_ipa = 0x%llxULL, .ram_pa = 0x%llxULL, .ram_size = 0x%llxULL,\n",
            ULL(vm->ram_ipa), ULL(vm->ram_pa), ULL(vm->ram_size));
    struct cfg_linux_layout l = {.kernel = vm->has_entry ? vm->entry : vm->ram_ipa};
    if (vm->linux_kernel)
        cfg_linux_layout(vm, &l);
    fprintf(f, "        .entry_ipa = 0x%llxULL, .bootarg = 0x%llxULL,\n", ULL(l.kernel),
            ULL(vm->bootarg));
    if (vm->linux_kernel)
        fprintf(f, "        .image_offset = 0x%llxULL,\n", ULL(vm->text_offset));
    if (vm->linux_kernel && vm->initrd[0])
        fprintf(f,
                "        .initrd = emv_initrd_%u, .initrd_size = %llu, .initrd_ipa = 0x%llxULL,\n",
                i, ULL(vm->initrd_size), ULL(l.initrd));
    fprintf(f, "        .image = emv_image_%u, .image_size = %llu,\n", i, ULL(vm->image_size));
    gen_vcpus(f, s, vm);
    gen_devs_of(f, vm);
    gen_tasks(f, vm);
    gen_objs(f, s, i);
    fprintf(f, "        .bootinfo = emv_bootinfo_%u, .bootinfo_size = %llu,\n", i,
            ULL(bootinfo_size[i]));
    if (rng_seed_off[i])
        fprintf(f, "        .rng_seed_off = %u, .rng_seed_len = %u,\n", rng_seed_off[i],
                CFG_RNG_SEED_BYTES);
    fprintf(f, "    },\n");
}

static void gen_shmem(FILE *f, const struct cfg_sys *s)
{
    if (!s->nr_shmem)
        return;
    fprintf(f, "static const struct emv_shmem_cfg shmem[%u] = {\n", s->nr_shmem);
    for (unsigned r = 0; r < s->nr_shmem; r++)
        fprintf(f, "    {.name = \"%s\", .pa = 0x%llxULL, .size = 0x%llxULL},\n", s->shmem[r].name,
                ULL(s->shmem[r].pa), ULL(s->shmem[r].size));
    fprintf(f, "};\n\n");
}

static void gen_eps(FILE *f, const struct cfg_sys *s)
{
    if (!s->nr_eps)
        return;
    fprintf(f, "static const struct emv_ep_cfg eps[%u] = {\n", s->nr_eps);
    for (unsigned e = 0; e < s->nr_eps; e++)
        fprintf(f, "    {.name = \"%s\", .server_vm = %d, .passive = %d},\n", s->eps[e].name,
                cfg_vm_index(s, s->eps[e].server), s->eps[e].passive);
    fprintf(f, "};\n\n");
}

static void gen_c(FILE *f, const struct cfg_sys *s, const char *name, const uint64_t *bootinfo_size)
{
    fprintf(f,
            "/* Generated by emvcfg from the '%s' system description. Do not edit. */\n"
            "#include \"core/config.h\"\n\n",
            name);
    for (unsigned i = 0; i < s->nr_vms; i++) {
        fprintf(f,
                "extern const uint8_t emv_image_%u[]; /* vm '%s' */\n"
                "extern const uint8_t emv_bootinfo_%u[];\n",
                i, s->vms[i].name, i);
        if (s->vms[i].linux_kernel && s->vms[i].initrd[0])
            fprintf(f, "extern const uint8_t emv_initrd_%u[];\n", i);
    }
    fprintf(f, "\n");
    gen_shmem(f, s);
    gen_eps(f, s);
    fprintf(f, "static const struct emv_vm_cfg vms[%u] = {\n", s->nr_vms);
    for (unsigned i = 0; i < s->nr_vms; i++)
        gen_vm(f, s, i, bootinfo_size);
    fprintf(
        f,
        "};\n\nconst struct emv_sys_cfg emv_config = {\n    .name = \"%s\",\n"
        "    .slice_us = %llu,\n    .run_for_ms = %llu,\n    .trace = %d,\n    .trace_exits = %d,\n"
        "    .console_test_fifo = %llu,\n    .stats_every_ms = %llu,\n    .cpu_policy = {",
        name, ULL(s->slice_us), ULL(s->run_for_ms), s->trace, s->trace_exits,
        ULL(s->console_test_fifo), ULL(s->stats_every_ms));
    for (unsigned c = 0; c < s->nr_cpu_policy && c < CFG_MAX_CPUS; c++)
        fprintf(f, "%s%u", c ? ", " : "", s->cpu_policy[c]);
    fprintf(f,
            "},\n    .nr_vms = %u,\n    .vms = vms,\n    .nr_shmem = %u,\n    .shmem = %s,\n"
            "    .nr_eps = %u,\n    .eps = %s,\n};\n",
            s->nr_vms, s->nr_shmem, s->nr_shmem ? "shmem" : "0", s->nr_eps,
            s->nr_eps ? "eps" : "0");
}

/* The assembler string syntax has escapes; a path that needs them is refused, not mangled. */
static int abs_path(const char *vm, const char *what, const char *file, char *abs)
{
    if (!realpath(file, abs))
        return -1;
    if (strpbrk(abs, "\"\\\n")) {
        fprintf(stderr,
                "emvcfg: vm '%s': %s: path '%s' contains a quote, backslash or "
                "newline, which .incbin cannot take\n",
                vm, what, abs);
        errno = EINVAL;
        return -1;
    }
    return 0;
}

/* Page-aligned so the hypervisor may map or copy a blob page by page. */
static void incbin(FILE *f, const char *sym, unsigned i, const char *abs)
{
    fprintf(f,
            "    .balign 4096\n    .global %s_%u\n    .type %s_%u, %%object\n%s_%u:\n"
            "    .incbin \"%s\"\n    .size %s_%u, . - %s_%u\n",
            sym, i, sym, i, sym, i, abs, sym, i, sym, i);
}

/* @sym_@i is the same file as an earlier VM's (@paths[j] == @abs): an alias of that one,
 * so VMs booting one kernel (or image, or initramfs) carry it once in the hypervisor. */
static bool alias_of_earlier(FILE *f, const char *sym, unsigned i, const char *abs,
                             char (*paths)[PATH_MAX])
{
    for (unsigned j = 0; j < i; j++)
        if (paths[j][0] && !strcmp(paths[j], abs)) {
            fprintf(f, "    .global %s_%u\n    .set %s_%u, %s_%u\n", sym, i, sym, i, sym, j);
            return true;
        }
    return false;
}

static int gen_s(FILE *f, const struct cfg_sys *s, char (*bootinfo_file)[PATH_MAX])
{
    static char images[EMV_MAX_VMS + 1][PATH_MAX], initrds[EMV_MAX_VMS + 1][PATH_MAX];
    fprintf(f, "/* Generated by emvcfg: the guest images and boot information, linked into the "
               "hypervisor. */\n"
               "    .section .rodata.guest_images, \"a\"\n");
    for (unsigned i = 0; i < s->nr_vms; i++) {
        const struct cfg_vm *vm = &s->vms[i];
        char abs[PATH_MAX];
        images[i][0] = initrds[i][0] = 0;
        if (abs_path(vm->name, "image", vm->image_file[0] ? vm->image_file : vm->image, abs))
            return -1;
        fprintf(f, "\n    /* vm '%s' */\n", vm->name);
        if (!alias_of_earlier(f, "emv_image", i, abs, images))
            incbin(f, "emv_image", i, abs);
        snprintf(images[i], PATH_MAX, "%s", abs);
        if (abs_path(vm->name, "boot information", bootinfo_file[i], abs))
            return -1;
        incbin(f, "emv_bootinfo", i, abs);
        if (!vm->linux_kernel || !vm->initrd[0])
            continue;
        if (abs_path(vm->name, "initrd", vm->initrd_file, abs))
            return -1;
        if (!alias_of_earlier(f, "emv_initrd", i, abs, initrds))
            incbin(f, "emv_initrd", i, abs);
        snprintf(initrds[i], PATH_MAX, "%s", abs);
    }
    return 0;
}

static int finish(FILE *f, int r)
{
    if (ferror(f) && !r) {
        r = -1;
        errno = EIO;
    }
    if (fclose(f) && !r)
        r = -1;
    return r;
}

/* bootinfo-<i>.dtb in the directory of @out_s. */
static void bootinfo_name(const char *out_s, unsigned i, char *buf, size_t size)
{
    const char *slash = strrchr(out_s, '/');
    int dir = slash ? (int)(slash - out_s) : 1;
    snprintf(buf, size, "%.*s/bootinfo-%u.dtb", dir, slash ? out_s : ".", i);
}

/* Every VM's boot information, built in memory, written next to @out_s. */
static int write_bootinfo(const struct cfg_sys *s, const char *out_s, char (*file)[PATH_MAX],
                          uint64_t *size)
{
    static uint8_t blob[CFG_BOOTINFO_MAX];
    for (unsigned i = 0; i < s->nr_vms; i++) {
        bootinfo_name(out_s, i, file[i], PATH_MAX);
        int n = cfg_bootinfo(s, i, blob, sizeof(blob)); /* checked: fits */
        FILE *f = n < 0 ? NULL : fopen(file[i], "wb");
        if (n < 0)
            errno = ENOSPC;
        if (!f)
            return -1;
        size[i] = (uint64_t)n;
        rng_seed_off[i] = s->vms[i].linux_kernel ? cfg_linux_rng_seed_off(blob) : 0;
        if (finish(f, fwrite(blob, 1, (size_t)n, f) == (size_t)n ? 0 : -1))
            return -1;
    }
    return 0;
}

static int write_outputs(const struct cfg_sys *s, const char *name, const char *out_c,
                         const char *out_s, char (*bootinfo_file)[PATH_MAX])
{
    uint64_t bootinfo_size[EMV_MAX_VMS];
    if (write_bootinfo(s, out_s, bootinfo_file, bootinfo_size))
        return -1;
    FILE *fc = fopen(out_c, "w");
    if (!fc)
        return -1;
    gen_c(fc, s, name, bootinfo_size);
    if (finish(fc, 0))
        return -1;
    FILE *fs = fopen(out_s, "w");
    if (!fs)
        return -1;
    return finish(fs, gen_s(fs, s, bootinfo_file));
}

int cfg_generate(const struct cfg_sys *s, const char *name, const char *out_c, const char *out_s)
{
    static char bootinfo_file[EMV_MAX_VMS][PATH_MAX];
    memset(bootinfo_file, 0, sizeof(bootinfo_file));
    int r = write_outputs(s, name, out_c, out_s, bootinfo_file);
    if (r) { /* half-written outputs would look valid to make next time */
        int e = errno;
        unlink(out_c);
        unlink(out_s);
        for (unsigned i = 0; i < EMV_MAX_VMS; i++)
            if (bootinfo_file[i][0])
                unlink(bootinfo_file[i]);
        errno = e;
    }
    return r;
}
