/* SPDX-License-Identifier: MIT */
/*
 * emvcfg - check a system description and compile it for the hypervisor.
 *   emvcfg check [--source NAME] [--root DIR] [--cpus N] CONFIG.dtb
 *   emvcfg gen --out-c FILE.c --out-s FILE.S [--root DIR] [--cpus N] [--name NAME]
 *              [--source NAME] CONFIG.dtb
 * Exit: 0 ok, 1 the config has errors (all of them are printed), 2 usage or I/O error.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "board.h"
#include "cfg.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define BOARD_CPUS STR(PLAT_MAX_CPUS)

struct opts {
    bool gen;
    const char *out_c, *out_s, *root, *name, *source, *dtb, *cpus;
    unsigned nr_cpus;
};

static const char usage_text[] =
    "usage: emvcfg check [--source NAME] [--root DIR] [--cpus N] CONFIG.dtb\n"
    "       emvcfg gen --out-c FILE.c --out-s FILE.S [--root DIR] [--cpus N] [--name NAME]\n"
    "                  [--source NAME] CONFIG.dtb\n"
    "       emvcfg --help\n"
    "\n"
    "Checks a system description (a .dts compiled with `dtc -I dts -O dtb`) against the\n"
    "board (" PLAT_NAME ") and reports every mistake as `SOURCE: vm 'NAME': FIELD: message`.\n"
    "check prints `SOURCE: ok (N VMs)`; gen also writes the hypervisor's config tables\n"
    "(FILE.c, struct emv_sys_cfg), each VM's boot information (bootinfo-N.dtb in the\n"
    "directory of FILE.S) and the guest images with the boot information (FILE.S, .incbin).\n"
    "\n"
    "  --source NAME  the .dts to name in messages (default: the dtb path)\n"
    "  --root DIR     where relative image paths start (default: the current directory if\n"
    "                 every image of the config is there, else the nearest directory that\n"
    "                 holds them all, searching upward from --source, then from the dtb,\n"
    "                 then from this program: a repository's build/host/emvcfg finds it)\n"
    "  --cpus N       the CPUs the system is built for (QEMU -smp; make passes SMP):\n"
    "                 a vCPU pinned to cpu N or above is an error (default: " BOARD_CPUS ",\n"
    "                 the board's CPUs)\n"
    "  --name NAME    emv_config.name (default: the stem of --source or the dtb)\n"
    "\n"
    "Exit status: 0 ok, 1 the config has errors, 2 usage or I/O error.\n"
    "Format and checks: docs/config.md.\n";

static int usage(const char *why)
{
    fprintf(stderr, "emvcfg: %s\n%s", why, usage_text);
    return 2;
}

static void print_diag(void *ctx, const char *vm, const char *field, const char *msg)
{
    const char *source = ctx;
    if (vm)
        fprintf(stderr, "%s: vm '%s': %s: %s\n", source, vm, field, msg);
    else
        fprintf(stderr, "%s: %s: %s\n", source, field, msg);
}

static void *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, r;
    char *buf = malloc(cap);
    while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

/* "configs/demo.dts" -> "demo" (the directory and the last extension go). */
static void stem(const char *path, char *buf, size_t size)
{
    const char *b = strrchr(path, '/');
    snprintf(buf, size, "%s", b ? b + 1 : path);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
}

/* Returns 0, or the exit status of a usage error. */
static int parse_args(int argc, char **argv, struct opts *o)
{
    o->gen = !strcmp(argv[1], "gen");
    if (!o->gen && strcmp(argv[1], "check"))
        return usage("the command is check or gen");
    for (int i = 2; i < argc; i++) {
        const char **opt = !strcmp(argv[i], "--out-c")    ? &o->out_c
                           : !strcmp(argv[i], "--out-s")  ? &o->out_s
                           : !strcmp(argv[i], "--root")   ? &o->root
                           : !strcmp(argv[i], "--name")   ? &o->name
                           : !strcmp(argv[i], "--source") ? &o->source
                           : !strcmp(argv[i], "--cpus")   ? &o->cpus
                                                          : NULL;
        if (opt && i + 1 < argc)
            *opt = argv[++i];
        else if (opt)
            return usage("an option is missing its value");
        else if (argv[i][0] == '-')
            return usage("unknown option");
        else if (o->dtb)
            return usage("more than one CONFIG.dtb");
        else
            o->dtb = argv[i];
    }
    if (!o->dtb)
        return usage("missing CONFIG.dtb");
    if (o->gen && (!o->out_c || !o->out_s))
        return usage("gen needs --out-c and --out-s");
    if (!o->gen && (o->out_c || o->out_s || o->name))
        return usage("--out-c, --out-s and --name are for gen");
    if (!o->source)
        o->source = o->dtb;
    if (o->cpus) {
        char *end;
        unsigned long n = strtoul(o->cpus, &end, 10);
        if (!*o->cpus || *end || n < 1 || n > PLAT_MAX_CPUS)
            return usage("--cpus needs a number of CPUs from 1 to the board's " BOARD_CPUS);
        o->nr_cpus = (unsigned)n;
    }
    return 0;
}

/* Every relative image path of the config is a file under @dir. */
static bool images_under(const void *fdt, const char *dir)
{
    int vms = fdt_path_offset(fdt, "/vms"), node;
    if (vms < 0)
        return true; /* no VMs: no image to look for */
    for (node = fdt_first_subnode(fdt, vms); node >= 0; node = fdt_next_subnode(fdt, node)) {
        const char *img = fdt_getprop(fdt, node, "image", NULL);
        char file[PATH_MAX];
        if (img && img[0] != '/' &&
            (snprintf(file, sizeof(file), "%s/%s", dir, img) >= (int)sizeof(file) ||
             access(file, R_OK)))
            return false;
    }
    return true;
}

/* @path's directory and each one above it (made absolute), the first that holds every image:
 * copied to @root. */
static bool root_above(const void *fdt, const char *path, char *root, size_t size)
{
    char dir[PATH_MAX];
    if (!realpath(path, dir))
        return false;
    for (char *slash; (slash = strrchr(dir, '/'));) {
        *(slash == dir ? slash + 1 : slash) = '\0'; /* the directory above */
        if (images_under(fdt, dir)) {
            snprintf(root, size, "%s", dir);
            return true;
        }
        if (slash == dir)
            break;
    }
    return false;
}

/* Without --root: where the config's relative image paths start (see the usage text). A
 * config names images relative to the repository (build/guests/...), so from outside it the
 * directory above configs/ (or above build/host/emvcfg) is the one that has them. */
static const char *find_root(const void *fdt, const struct opts *o, char *buf, size_t size)
{
    if (images_under(fdt, "."))
        return NULL;
    if (root_above(fdt, o->source, buf, size) || root_above(fdt, o->dtb, buf, size) ||
        root_above(fdt, "/proc/self/exe", buf, size))
        return buf;
    return NULL; /* not found anywhere: report them against the current directory */
}

static int generate(const struct cfg_sys *sys, const struct opts *o)
{
    char name[64];
    stem(o->source, name, sizeof(name));
    if (o->name)
        snprintf(name, sizeof(name), "%s", o->name);
    if (!cfg_valid_sys_name(name)) {
        fprintf(stderr,
                "emvcfg: system name '%s': need 1..31 characters of [A-Za-z0-9_.-] "
                "(use --name)\n",
                name);
        return 2;
    }
    if (cfg_generate(sys, name, o->out_c, o->out_s)) {
        fprintf(stderr, "emvcfg: cannot write %s / %s: %s\n", o->out_c, o->out_s, strerror(errno));
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (argc < 2)
        return usage("missing command");
    struct opts o = {0};
    int r = parse_args(argc, argv, &o);
    if (r)
        return r;
    size_t len = 0;
    void *fdt = read_whole(o.dtb, &len);
    if (!fdt) {
        fprintf(stderr, "emvcfg: %s: %s\n", o.dtb, strerror(errno));
        return 2;
    }
    static struct cfg_sys sys; /* large: keep it off the stack */
    struct cfg_diag diag = {print_diag, (void *)o.source, 0};
    static char root[PATH_MAX];
    bool searched = false;
    if (!o.root && fdt_check_header(fdt) == 0 && fdt_totalsize(fdt) <= len) {
        o.root = find_root(fdt, &o, root, sizeof(root));
        searched = !o.root && !images_under(fdt, ".");
    }
    int parsed = cfg_parse(fdt, len, o.root, &sys, &diag);
    free(fdt);
    sys.nr_cpus = o.nr_cpus;
    if (parsed >= 0)
        cfg_check(&sys, &diag);
    if (diag.errors) {
        if (searched)
            fprintf(stderr, "emvcfg: note: relative image paths were looked for in the current "
                            "directory and upward from the config and from emvcfg; not built yet "
                            "(make guests)? --root DIR says where they are\n");
        fprintf(stderr, "%s: %u error%s%s\n", o.source, diag.errors, diag.errors == 1 ? "" : "s",
                o.gen ? "; nothing generated" : "");
        return 1;
    }
    if (o.gen)
        return generate(&sys, &o);
    printf("%s: ok (%u VM%s)\n", o.source, sys.nr_vms, sys.nr_vms == 1 ? "" : "s");
    return 0;
}
