/* SPDX-License-Identifier: MIT */
/*
 * taskset.c - read the task set of the boot information (taskset.h). Unknown properties are
 * skipped (a later emvcfg may add some); everything minios relies on is checked.
 */
#include "taskset.h"

#include "string.h"

enum { D_ROOT = 1, D_EMVISOR, D_TASKS, D_TASK };

struct read {
    struct mos_taskset *ts;
    bool in_emvisor, in_tasks, seen_tasks, has_policy;
    bool has[4]; /* the current task's period-us, wcet-us, exec-us; overrun-us */
    const char *err;
};

static const char *task_prop(struct read *r, struct mos_taskdef *t, const struct fdt_tok *k)
{
    uint32_t v;
    static const char *const names[] = {"period-us", "wcet-us", "exec-us", "overrun-us"};
    uint32_t *dst[] = {&t->period_us, &t->wcet_us, &t->exec_us, &t->overrun_us};
    for (unsigned i = 0; i < 4; i++)
        if (!strcmp(k->name, names[i])) {
            if (!fdt_u32(k, &v))
                return "a task's value is not one cell";
            *dst[i] = v;
            r->has[i] = true;
            return 0;
        }
    if (!strcmp(k->name, "overrun-every")) {
        if (!fdt_u32(k, &t->overrun_every))
            return "a task's value is not one cell";
    } else if (!strcmp(k->name, "request-at-ms")) {
        if (!fdt_u32(k, &t->request_at_ms))
            return "a task's value is not one cell";
        t->requested = true;
    }
    return 0;
}

static const char *tasks_prop(struct read *r, const struct fdt_tok *k)
{
    struct mos_taskset *ts = r->ts;
    if (!strcmp(k->name, "policy")) {
        const char *p = fdt_str(k);
        if (!p || (strcmp(p, "edf") && strcmp(p, "rm")))
            return "policy is neither \"edf\" nor \"rm\"";
        ts->policy = strcmp(p, "rm") ? MOS_EDF : MOS_RM;
        r->has_policy = true;
    } else if (!strcmp(k->name, "run-for-ms")) {
        if (!fdt_u32(k, &ts->run_for_ms))
            return "run-for-ms is not one cell";
    } else if (!strcmp(k->name, "request-period-us")) {
        if (!fdt_u32(k, &ts->request_period_us) || !ts->request_period_us)
            return "request-period-us is not one non-zero cell";
    }
    return 0;
}

/* The task just read is whole and runnable. */
static const char *task_done(struct read *r, const struct mos_taskdef *t)
{
    if (!r->has[0] || !r->has[1] || !r->has[2])
        return "a task lacks period-us, wcet-us or exec-us";
    if (!t->period_us || !t->wcet_us || t->wcet_us > t->period_us)
        return "a task does not have 0 < wcet-us <= period-us";
    if (!t->exec_us || t->exec_us > t->wcet_us)
        return "a task does not have 0 < exec-us <= wcet-us";
    if (!t->overrun_every != !r->has[3] || (r->has[3] && !t->overrun_us))
        return "a task has only one of overrun-every and overrun-us, or a zero one";
    return 0;
}

static const char *on_begin(struct read *r, const struct fdt_tok *k)
{
    struct mos_taskset *ts = r->ts;
    if (k->depth == D_EMVISOR)
        r->in_emvisor = !strcmp(k->name, "emvisor");
    else if (k->depth == D_TASKS && r->in_emvisor && !strcmp(k->name, "tasks"))
        r->in_tasks = r->seen_tasks = true;
    else if (k->depth == D_TASK && r->in_tasks) {
        ts->bad = k->name;
        if (ts->n >= MOS_MAX_TASKS)
            return "more tasks than minios holds (MOS_MAX_TASKS)";
        size_t len = strlen(k->name);
        if (!len || len >= MOS_TASK_NAME)
            return "a task name is empty or longer than 15 characters";
        struct mos_taskdef *t = &ts->task[ts->n];
        memset(t, 0, sizeof(*t));
        memcpy(t->name, k->name, len + 1);
        memset(r->has, 0, sizeof(r->has));
    }
    return 0;
}

static const char *on_end(struct read *r, const struct fdt_tok *k)
{
    if (k->depth == D_TASK && r->in_tasks) {
        const char *e = task_done(r, &r->ts->task[r->ts->n]);
        if (e)
            return e;
        r->ts->n++;
        r->ts->bad = 0;
    } else if (k->depth == D_TASKS) {
        r->in_tasks = false;
    } else if (k->depth == D_EMVISOR) {
        r->in_emvisor = false;
    }
    return 0;
}

const char *mos_taskset_read(const struct fdt_blob *f, struct mos_taskset *ts)
{
    struct read r = {.ts = ts};
    struct fdt_iter it;
    struct fdt_tok k;
    const char *e = 0;
    *ts = (struct mos_taskset){0};
    fdt_iter_init(&it, f);
    while (!e && fdt_next(&it, &k) != FDT_TOK_DONE) {
        if (k.kind == FDT_TOK_BEGIN)
            e = on_begin(&r, &k);
        else if (k.kind == FDT_TOK_END)
            e = on_end(&r, &k);
        else if (r.in_tasks && k.depth == D_TASK)
            e = task_prop(&r, &ts->task[ts->n], &k);
        else if (r.in_tasks && k.depth == D_TASKS)
            e = tasks_prop(&r, &k);
    }
    if (!e && it.depth)
        e = "the boot information is damaged (it ends inside a node)";
    if (!e && !r.seen_tasks)
        e = "the boot information has no tasks (/emvisor/tasks)";
    if (!e && !r.has_policy)
        e = "tasks have no policy";
    if (!e) {
        unsigned at_boot = 0;
        for (unsigned i = 0; i < ts->n; i++)
            at_boot += !ts->task[i].requested;
        if (!at_boot)
            e = "no task starts at boot (all are requested at run time)";
    }
    if (e)
        ts->n = 0;
    else
        ts->bad = 0;
    return e;
}
