/* SPDX-License-Identifier: MIT */
/**
 * taskset.h - the periodic tasks and run settings the config gives a guest, as the boot
 * information carries them (/emvisor/tasks, docs/abi.md "Boot information"). Pure: no
 * hardware; host unit-tested (tests/unit/test_minios_bootinfo.c). The blob is read once and
 * every value checked here, so a guest uses only a task set that minios can run.
 */
#ifndef MINIOS_TASKSET_H
#define MINIOS_TASKSET_H

#include <stdbool.h>
#include <stdint.h>

#include "fdtread.h"
#include "rtsched.h"

#define MOS_TASK_NAME 16 /**< bytes, with the NUL: the config allows 15 characters */

struct mos_taskdef {
    char name[MOS_TASK_NAME];
    uint32_t period_us, wcet_us; /**< the analysis's model: implicit deadline = period */
    uint32_t exec_us;            /**< what each job really executes */
    uint32_t overrun_every;      /**< every overrun_every-th job executes overrun_us; 0: never */
    uint32_t overrun_us;
    bool requested;         /**< not started at boot: asked of the control VM at run time */
    uint32_t request_at_ms; /**< when, after the tasks started */
};

struct mos_taskset {
    enum mos_policy policy;
    uint32_t run_for_ms;        /**< run this long, then report; 0: forever */
    uint32_t request_period_us; /**< start best effort and ask for a server of this period; 0 */
    unsigned n;                 /**< tasks, those at boot and those requested, config order */
    struct mos_taskdef task[MOS_MAX_TASKS];
    const char *bad; /**< after an error: the task node at fault, if one is */
};

/**
 * Read /emvisor/tasks of @f into @ts. Returns 0, or a message saying what is wrong (no tasks
 * node, a missing or bad value, more tasks than MOS_MAX_TASKS); then @ts->bad names the task.
 */
const char *mos_taskset_read(const struct fdt_blob *f, struct mos_taskset *ts);

#endif
