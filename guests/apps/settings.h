/* SPDX-License-Identifier: MIT */
/**
 * settings.h - the settings each guest of guests/apps reads from its boot information
 * (/emvisor/settings, from the config's `settings` node: docs/config.md), by image name. One
 * list for both sides: emvcfg refuses a setting the guest does not read (a typo must not pass
 * silently) and the guest checks its boot information against the same list.
 */
#ifndef APPS_SETTINGS_H
#define APPS_SETTINGS_H

#define APP_MAX_SETTINGS 8

struct app_settings {
    const char *image;                       /**< the image's file name */
    const char *names[APP_MAX_SETTINGS + 1]; /**< NULL-terminated */
    int no_bootarg; /**< its settings replaced bootarg: emvcfg refuses one */
};

/* guests/apps/demo.c: tick-ms (timer period, default 100), print-every (ticks between lines,
 * default 10), busy (a flag: never sleeps, so the hypervisor must preempt it). */
#define DEMO_SETTINGS                                                                              \
    {                                                                                              \
        "tick-ms", "print-every", "busy", 0                                                        \
    }

/* Every guest of guests/apps that reads settings, and those that read none (then any setting
 * is refused). A guest not listed here is not checked by emvcfg. (rtguest.bin's bootarg is
 * refused by emvcfg's task checks: its settings are in its tasks node.) */
#define APP_SETTINGS_TABLE                                                                         \
    {                                                                                              \
        {"demo.bin", DEMO_SETTINGS, 1}, {"rtguest.bin", {0}, 0}, {"hello.bin", {0}, 0},            \
    }

#endif
