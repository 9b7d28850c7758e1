/* SPDX-License-Identifier: MIT */
/**
 * rtsched.h - minios's periodic real-time tasks: the lower level of the hierarchical
 * scheduler. Pure logic (no hardware), host unit-tested: releases, EDF/RM priorities,
 * completion and miss accounting. Jobs run to completion on one stack; a higher-priority
 * release preempts by nesting (rtrun.c), which is exact preemptive EDF/RM for such jobs.
 */
#ifndef MINIOS_RTSCHED_H
#define MINIOS_RTSCHED_H

#include <stdbool.h>
#include <stdint.h>

#define MOS_MAX_TASKS 8

enum mos_policy { MOS_EDF = 0, MOS_RM = 1 };

struct mos_task {
    bool used;
    const char *name;
    uint64_t period_ns, wcet_ns;
    void (*job)(void *arg);
    void *arg;
    uint64_t next_release;
    bool ready, running; /**< a released job waiting / executing */
    uint64_t rel, dl;    /**< the current job's release and absolute deadline */
    /* Statistics: a miss is a job finishing after its deadline, or a release skipped
     * because the previous job was still unfinished (counted once per skipped release); a
     * job still running at its next release thus counts two, the skip and its late finish. */
    uint64_t jobs, misses, skipped, worst_resp_ns;
    uint64_t first_miss_dl;
};

struct mos_rt {
    enum mos_policy policy;
    unsigned n; /**< slots in use, including removed ones */
    struct mos_task task[MOS_MAX_TASKS];
};

void rt_init(struct mos_rt *rt, enum mos_policy policy);
/**
 * A new task whose first job is released at @now. Returns its id (the lowest free slot) or
 * -1: table full, period 0, wcet 0, wcet > period, or no job. A removed task's slot is free
 * once its running job, if any, has finished.
 */
int rt_add(struct mos_rt *rt, const char *name, uint64_t period_ns, uint64_t wcet_ns,
           void (*job)(void *), void *arg, uint64_t now);
/**
 * Remove a task: it is never released or picked again and a job of it still waiting is
 * dropped; a job of it that is running finishes and is counted. The slot keeps the
 * statistics (used false) until rt_add reuses it. Returns 0, or -1 if @id is not a task.
 */
int rt_remove(struct mos_rt *rt, int id);
/** Release every job due at or before @now, each with its own release time and deadline. */
void rt_release_due(struct mos_rt *rt, uint64_t now);
/** The earliest future release, or UINT64_MAX. */
uint64_t rt_next_release(const struct mos_rt *rt);
/**
 * The ready job of highest priority that outranks @running (NULL: anything runs), or NULL.
 * Priority is a strict order: EDF earlier absolute deadline, RM shorter period, then the
 * lower id (creation order unless a removed task's slot was reused). So a job with the same
 * deadline or period but a lower id does preempt: RM is fixed-priority with distinct
 * priorities, the model rt/'s RM test analyses (rt_set_hp: shorter period, then index).
 */
struct mos_task *rt_pick(struct mos_rt *rt, const struct mos_task *running);
/** A job of @t finished at @now. */
void rt_complete(struct mos_rt *rt, struct mos_task *t, uint64_t now);

#endif
