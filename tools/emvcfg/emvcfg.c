/* SPDX-License-Identifier: MIT */
/*
 * emvcfg - check a system description and compile it for the hypervisor.
 *   emvcfg check [--source NAME] CONFIG.dtb
 *   emvcfg gen --out-c FILE.c --out-s FILE.S [--root DIR] [--name NAME] [--source NAME] CONFIG.dtb
 * Exit: 0 ok, 1 the config has errors (all of them are printed), 2 usage or I/O error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"

static const char *source = NULL;

static void print_diag(void *ctx, const char *vm, const char *field, const char *msg)
{
    (void)ctx;
    if (vm)
        fprintf(stderr, "%s: vm '%s': %s: %s\n", source, vm, field, msg);
    else
        fprintf(stderr, "%s: %s: %s\n", source, field, msg);
}

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "emvcfg: %s\n", why);
    fprintf(stderr, "usage: emvcfg check [--source NAME] CONFIG.dtb\n"
                    "       emvcfg gen --out-c FILE.c --out-s FILE.S [--root DIR] [--name NAME]\n"
                    "                  [--source NAME] CONFIG.dtb\n"
                    "Checks a system description (compiled with dtc) against the board and, for\n"
                    "gen, writes the hypervisor's config tables and guest-image blob.\n");
    return 2;
}

static void *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t r; buf && (r = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += r;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

static const char *stem(const char *path)
{
    static char buf[64];
    const char *b = strrchr(path, '/');
    snprintf(buf, sizeof(buf), "%s", b ? b + 1 : path);
    char *dot = strchr(buf, '.');
    if (dot)
        *dot = '\0';
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return usage(NULL);
    bool gen = !strcmp(argv[1], "gen");
    if (!gen && strcmp(argv[1], "check"))
        return usage("the command is check or gen");
    const char *out_c = NULL, *out_s = NULL, *root = ".", *name = NULL, *dtb = NULL;
    for (int i = 2; i < argc; i++) {
        const char **opt = !strcmp(argv[i], "--out-c")    ? &out_c
                           : !strcmp(argv[i], "--out-s")  ? &out_s
                           : !strcmp(argv[i], "--root")   ? &root
                           : !strcmp(argv[i], "--name")   ? &name
                           : !strcmp(argv[i], "--source") ? &source
                                                          : NULL;
        if (opt && i + 1 < argc)
            *opt = argv[++i];
        else if (argv[i][0] == '-' || dtb)
            return usage("unknown option or extra argument");
        else
            dtb = argv[i];
    }
    if (!dtb || (gen && (!out_c || !out_s)))
        return usage("missing argument");
    if (!source)
        source = dtb;
    size_t len;
    void *fdt = read_file(dtb, &len);
    if (!fdt) {
        fprintf(stderr, "emvcfg: %s: %s\n", dtb, strerror(errno));
        return 2;
    }
    if (strcmp(root, ".") && chdir(root)) { /* image paths are relative to the root */
        fprintf(stderr, "emvcfg: %s: %s\n", root, strerror(errno));
        return 2;
    }
    static struct cfg_sys sys;
    struct cfg_diag diag = {print_diag, NULL, 0};
    cfg_parse(fdt, &sys, &diag);
    cfg_check(&sys, &diag);
    free(fdt);
    if (diag.errors) {
        fprintf(stderr, "%s: %u error%s; nothing generated\n", source, diag.errors,
                diag.errors == 1 ? "" : "s");
        return 1;
    }
    if (!gen) {
        printf("%s: ok (%u VM%s)\n", source, sys.nr_vms, sys.nr_vms == 1 ? "" : "s");
        return 0;
    }
    if (cfg_generate(&sys, name ? name : stem(source), out_c, out_s, ".")) {
        fprintf(stderr, "emvcfg: cannot write output: %s\n", strerror(errno));
        return 2;
    }
    return 0;
}
