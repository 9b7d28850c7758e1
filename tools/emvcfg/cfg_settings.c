/* SPDX-License-Identifier: MIT */
/*
 * cfg_settings.c - a VM's guest settings (/vms/<name>/settings): well-formed, and for the
 * guests of guests/apps only those the guest reads (guests/apps/settings.h, the one list the
 * guests check too). Pure: no I/O, no libfdt. cfg_bootinfo.c copies them into the boot
 * information as they are.
 */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "settings.h"

static const struct app_settings apps[] = APP_SETTINGS_TABLE;

/* What the guest of @vm's image reads, NULL when emvcfg does not know that guest. */
static const struct app_settings *app_of(const struct cfg_vm *vm)
{
    const char *base = strrchr(vm->image, '/');
    base = base ? base + 1 : vm->image;
    for (size_t i = 0; i < sizeof(apps) / sizeof(apps[0]); i++)
        if (!strcmp(apps[i].image, base))
            return &apps[i];
    return NULL;
}

static bool reads(const struct app_settings *a, const char *name)
{
    for (unsigned k = 0; a->names[k]; k++)
        if (!strcmp(a->names[k], name))
            return true;
    return false;
}

/* 1..31 characters of [a-z0-9-], starting with a letter: a device-tree property name. */
static bool valid_name(const char *n)
{
    size_t len = strlen(n);
    if (!len || len > 31 || n[0] < 'a' || n[0] > 'z')
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') || n[i] == '-'))
            return false;
    return true;
}

void cfg_check_settings(const struct cfg_vm *vm, struct cfg_diag *d)
{
    const struct app_settings *app = app_of(vm);
    if (app && app->no_bootarg && vm->has_bootarg)
        cfg_error(d, vm->name, "bootarg",
                  "%s takes no bootarg: it reads its settings node (docs/config.md, settings)",
                  app->image);
    if (!vm->has_settings)
        return;
    if (vm->nr_settings > CFG_MAX_SETTINGS) {
        cfg_error(d, vm->name, "settings", "more than %d settings", CFG_MAX_SETTINGS);
        return;
    }
    const struct app_settings *a = app;
    char f[64], list[256] = "";
    for (unsigned k = 0; a && a->names[k]; k++)
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", k ? ", " : "",
                 a->names[k]);
    for (unsigned i = 0; i < vm->nr_settings; i++) {
        const struct cfg_setting *st = &vm->settings[i];
        snprintf(f, sizeof(f), "settings/%s", st->name);
        if (!valid_name(st->name))
            cfg_error(d, vm->name, f,
                      "setting names are 1..31 characters of [a-z0-9-], from a "
                      "letter");
        else if (st->len < 0)
            cfg_error(d, vm->name, f, "longer than %d bytes", CFG_SETTING_MAX);
        else if (a && !reads(a, st->name))
            cfg_error(d, vm->name, f, "%s reads no such setting (%s)", a->image,
                      list[0] ? list : "it reads none");
    }
}
