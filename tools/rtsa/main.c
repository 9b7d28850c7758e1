/* SPDX-License-Identifier: MIT */
/*
 * rtsa - real-time schedulability analysis with the periodic resource model.
 *
 *   rtsa sbf --period P --budget Q T...
 *   rtsa check --policy edf|rm --period P --budget Q [--json] [-v] FILE
 *   rtsa interface --policy edf|rm --period P [--json] FILE
 *   rtsa compose --policy edf|rm [--json] FILE...
 *
 * Exit status: 0 schedulable / success, 1 unschedulable, 2 usage or input error,
 * 3 the analysis could not decide (RT_EOVERFLOW, RT_ELIMIT). See docs/rtsa.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "rt.h"

enum { EX_OK = 0, EX_UNSCHED = 1, EX_USAGE = 2, EX_ANALYSIS = 3 };

/* Which options a command accepts. */
enum { O_POLICY = 1, O_PERIOD = 2, O_BUDGET = 4, O_JSON = 8, O_VERBOSE = 16 };

struct opts {
    const char *cmd;
    unsigned given; /* O_* bits seen */
    enum rt_policy policy;
    rt_time_t period, budget;
    const char **pos; /* positional arguments */
    int npos;
};

struct command {
    const char *name;
    unsigned allowed;
    int (*run)(struct opts *o);
};

static const char usage_text[] =
    "usage: rtsa sbf --period P --budget Q T...\n"
    "       rtsa check --policy edf|rm --period P --budget Q [--json] [-v] FILE\n"
    "       rtsa interface --policy edf|rm --period P [--json] FILE\n"
    "       rtsa compose --policy edf|rm [--json] FILE...\n"
    "Times are integers in one unit (e.g. ns). Exit: 0 schedulable, 1 unschedulable,\n"
    "2 usage/input error, 3 analysis undecided (overflow or work limit). See docs/rtsa.md.\n";

/* The parser's problems, one per line, each as "rtsa: file:line: ...". */
static void print_errors(const char *err)
{
    for (const char *p = err; *p;) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(stderr, "rtsa: %.*s\n", n, p);
        p += n + (nl != NULL);
    }
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("rtsa: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    return EX_USAGE;
}

static const char *policy_name(enum rt_policy p)
{
    return p == RT_RM ? "rm" : "edf";
}

/* ---- JSON ---- */

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            printf("\\u%04x", *s);
        else
            putchar(*s);
    }
    putchar('"');
}

static void json_u64(const char *key, rt_time_t v, const char *sep)
{
    printf("\"%s\": %llu%s", key, (unsigned long long)v, sep);
}

/* ---- Options ---- */

static int opt_value(const char *name, const char *v, struct opts *o)
{
    uint64_t x;

    if (!strcmp(name, "--policy")) {
        if (!rtsa_parse_policy(v, &o->policy))
            return usage_error("--policy: unknown policy '%s' (expected edf or rm)", v);
        o->given |= O_POLICY;
        return 0;
    }
    if (!rtsa_parse_u64(v, &x)) {
        fprintf(stderr, "rtsa: %s: '%s' is not a non-negative integer\n", name, v);
        return EX_USAGE;
    }
    if (!strcmp(name, "--period")) {
        if (x == 0)
            return usage_error("--period must be positive%s", "");
        o->period = x;
        o->given |= O_PERIOD;
    } else {
        o->budget = x;
        o->given |= O_BUDGET;
    }
    return 0;
}

/* One "--name", "--name=value" or "--name value" at argv[*i]. */
static int parse_option(int argc, char **argv, int *i, struct opts *o)
{
    const char *a = argv[*i], *eq = strchr(a, '=');
    char name[32];
    size_t len = eq ? (size_t)(eq - a) : strlen(a);

    if (!strcmp(a, "--json") || !strcmp(a, "-v") || !strcmp(a, "--verbose")) {
        o->given |= a[1] == 'v' || a[2] == 'v' ? O_VERBOSE : O_JSON;
        return 0;
    }
    if (len >= sizeof(name))
        return usage_error("unknown option '%s'", a);
    memcpy(name, a, len);
    name[len] = '\0';
    if (strcmp(name, "--policy") && strcmp(name, "--period") && strcmp(name, "--budget"))
        return usage_error("unknown option '%s'", a);
    if (eq)
        return opt_value(name, eq + 1, o);
    if (*i + 1 >= argc)
        return usage_error("option %s needs a value", name);
    return opt_value(name, argv[++*i], o);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    o->pos = calloc((size_t)argc, sizeof(*o->pos));
    if (!o->pos)
        return usage_error("%s", "out of memory");
    for (int i = 2; i < argc; i++) {
        int rc;

        if (argv[i][0] != '-' || !strcmp(argv[i], "-")) {
            o->pos[o->npos++] = argv[i];
            continue;
        }
        rc = parse_option(argc, argv, &i, o);
        if (rc)
            return rc;
    }
    return 0;
}

static int check_allowed(const struct command *c, const struct opts *o)
{
    static const char *const names[] = {"--policy", "--period", "--budget", "--json", "--verbose"};

    for (unsigned b = 0; b < 5; b++) {
        if ((o->given & ~c->allowed) >> b & 1) {
            fprintf(stderr, "rtsa %s: option %s does not apply\n", c->name, names[b]);
            return EX_USAGE;
        }
    }
    return 0;
}

static int need(const struct opts *o, unsigned bit, const char *name)
{
    if (o->given & bit)
        return 0;
    fprintf(stderr, "rtsa %s: missing %s\n", o->cmd, name);
    return EX_USAGE;
}

/* ---- sbf ---- */

static int cmd_sbf(struct opts *o)
{
    struct rt_resource r;
    int rc = need(o, O_PERIOD, "--period");

    if (rc || (rc = need(o, O_BUDGET, "--budget")))
        return rc;
    if (o->budget > o->period)
        return usage_error("--budget exceeds --period%s", "");
    if (o->npos == 0)
        return usage_error("sbf: missing time T%s", "");
    r = (struct rt_resource){o->period, o->budget};
    for (int i = 0; i < o->npos; i++) {
        uint64_t t;

        if (!rtsa_parse_u64(o->pos[i], &t))
            return usage_error("sbf: time '%s' is not a non-negative integer", o->pos[i]);
    }
    for (int i = 0; i < o->npos; i++) {
        uint64_t t;

        rtsa_parse_u64(o->pos[i], &t);
        if (o->given & O_JSON)
            printf("{\"period\": %llu, \"budget\": %llu, \"t\": %llu, \"sbf\": %llu}\n",
                   (unsigned long long)r.period, (unsigned long long)r.budget,
                   (unsigned long long)t, (unsigned long long)rt_sbf(&r, t));
        else
            printf("%llu\n", (unsigned long long)rt_sbf(&r, t));
    }
    return EX_OK;
}

/* ---- check / interface: one task file ---- */

static int load_one(struct opts *o, struct rtsa_component *c)
{
    char err[RTSA_ERR_MAX];

    if (o->npos != 1) {
        fprintf(stderr, "rtsa %s: expected exactly one task file, got %d\n", o->cmd, o->npos);
        return EX_USAGE;
    }
    if (rtsa_parse_file(o->pos[0], c, err, sizeof(err))) {
        print_errors(err);
        return EX_USAGE;
    }
    /* Header lines of the file supply what the command line leaves out. */
    if (!(o->given & O_POLICY) && c->has_policy) {
        o->policy = c->policy;
        o->given |= O_POLICY;
    }
    if (!(o->given & O_PERIOD) && c->has_period) {
        o->period = c->period;
        o->given |= O_PERIOD;
    }
    if (!(o->given & O_BUDGET) && c->has_budget && !strcmp(o->cmd, "check")) {
        o->budget = c->budget;
        o->given |= O_BUDGET;
    }
    return 0;
}

static double utilisation(const struct rtsa_component *c)
{
    double u = 0;

    for (size_t i = 0; i < c->n; i++)
        u += (double)c->tasks[i].wcet / (double)c->tasks[i].period;
    return u;
}

static int analysis_error(const char *file, int rc)
{
    fprintf(stderr, "rtsa: %s: analysis undecided: %s\n", file, rt_strerror(rc));
    return EX_ANALYSIS;
}

static const char *reason_name(enum rt_reason r)
{
    static const char *const names[] = {"ok", "demand", "utilisation", "error"};

    return names[r <= RT_WHY_ERROR ? r : RT_WHY_ERROR];
}

static void explain_text(const struct rtsa_component *c, const struct opts *o,
                         const struct rt_explain *ex)
{
    if (ex->reason == RT_WHY_UTIL) {
        printf("utilisation %.6f %s budget/period %.6f\n", utilisation(c),
               ex->result == RT_UNSCHEDULABLE && o->budget < o->period ? ">=" : ">",
               (double)o->budget / (double)o->period);
        return;
    }
    if (ex->reason != RT_WHY_DEMAND)
        return;
    if (ex->task != RT_NO_TASK)
        printf("task %s (line %u) misses its deadline: ",
               c->info[ex->task].name[0] ? c->info[ex->task].name : "(unnamed)",
               c->info[ex->task].line);
    printf("at t=%llu demand %llu > supply %llu\n", (unsigned long long)ex->t,
           (unsigned long long)ex->demand, (unsigned long long)ex->supply);
}

static void explain_json(const struct rtsa_component *c, const struct opts *o,
                         const struct rt_explain *ex)
{
    printf("{\"policy\": \"%s\", ", policy_name(o->policy));
    json_u64("period", o->period, ", ");
    json_u64("budget", o->budget, ", ");
    printf("\"tasks\": %zu, \"utilisation\": %.6f, \"schedulable\": %s, \"reason\": \"%s\"", c->n,
           utilisation(c), ex->result == RT_SCHEDULABLE ? "true" : "false",
           reason_name(ex->reason));
    if (ex->reason == RT_WHY_DEMAND) {
        printf(", \"witness\": {");
        json_u64("t", ex->t, ", ");
        json_u64("demand", ex->demand, ", ");
        json_u64("supply", ex->supply, "");
        if (ex->task != RT_NO_TASK) {
            printf(", \"task\": {\"index\": %zu, \"line\": %u, \"name\": ", ex->task,
                   c->info[ex->task].line);
            json_str(c->info[ex->task].name);
            putchar('}');
        }
        putchar('}');
    }
    printf("}\n");
}

static int cmd_check(struct opts *o)
{
    struct rtsa_component c;
    struct rt_resource r;
    struct rt_explain ex;
    int rc = load_one(o, &c);

    if (!rc && !(rc = need(o, O_POLICY, "--policy")) && !(rc = need(o, O_PERIOD, "--period")))
        rc = need(o, O_BUDGET, "--budget");
    if (!rc && o->budget > o->period) {
        fprintf(stderr, "rtsa check: budget %llu exceeds period %llu\n",
                (unsigned long long)o->budget, (unsigned long long)o->period);
        rc = EX_USAGE;
    }
    if (rc) {
        rtsa_component_free(&c);
        return rc;
    }
    r = (struct rt_resource){o->period, o->budget};
    rt_check_explain(o->policy, &r, c.tasks, c.n, &ex);
    if (ex.result < 0)
        rc = analysis_error(o->pos[0], ex.result);
    else if (o->given & O_JSON)
        explain_json(&c, o, &ex);
    else
        printf("%s\n", rt_strerror(ex.result));
    if (ex.result >= 0 && (o->given & O_VERBOSE) && !(o->given & O_JSON))
        explain_text(&c, o, &ex);
    rtsa_component_free(&c);
    return rc ? rc : ex.result == RT_SCHEDULABLE ? EX_OK : EX_UNSCHED;
}

/* A budget left with undecided budgets below it is safe but maybe not the minimum: say so. */
static void undecided_note(const char *label, const struct rt_iface_result *res)
{
    if (!res->undecided)
        return;
    fprintf(stderr,
            "rtsa: note: %s%sbudget %llu passes; the %llu budget(s) below it could not be "
            "decided within the work limit, so the minimum is in %llu..%llu\n",
            label ? label : "", label ? ": " : "", (unsigned long long)res->budget,
            (unsigned long long)res->undecided, (unsigned long long)(res->budget - res->undecided),
            (unsigned long long)res->budget);
}

static void interface_out(const struct opts *o, const char *label, int rc,
                          const struct rt_iface_result *res, const char *sep)
{
    if (o->given & O_JSON) {
        printf("{");
        if (label) {
            printf("\"component\": ");
            json_str(label);
            printf(", ");
        }
        printf("\"policy\": \"%s\", ", policy_name(o->policy));
        json_u64("period", o->period, ", ");
        if (rc == RT_SCHEDULABLE)
            printf("\"budget\": %llu, \"bandwidth\": %.6f, \"minimal\": %s, \"undecided\": "
                   "%llu, \"schedulable\": true}%s",
                   (unsigned long long)res->budget, (double)res->budget / (double)o->period,
                   res->undecided ? "false" : "true", (unsigned long long)res->undecided, sep);
        else
            printf("\"budget\": null, \"schedulable\": false}%s", sep);
        return;
    }
    if (label)
        printf("%s: policy %s period %llu ", label, policy_name(o->policy),
               (unsigned long long)o->period);
    if (rc == RT_SCHEDULABLE)
        printf("budget %llu\n", (unsigned long long)res->budget);
    else
        printf("unschedulable\n");
    if (rc == RT_SCHEDULABLE)
        undecided_note(label, res);
}

static int cmd_interface(struct opts *o)
{
    struct rtsa_component c;
    struct rt_iface_result res = {0, 0};
    int rc = load_one(o, &c);

    if (!rc && !(rc = need(o, O_POLICY, "--policy")))
        rc = need(o, O_PERIOD, "--period");
    if (rc) {
        rtsa_component_free(&c);
        return rc;
    }
    rc = rt_interface_ex(o->policy, o->period, c.tasks, c.n, &res);
    rtsa_component_free(&c);
    if (rc < 0)
        return analysis_error(o->pos[0], rc);
    interface_out(o, NULL, rc, &res, "\n");
    return rc == RT_SCHEDULABLE ? EX_OK : EX_UNSCHED;
}

/* ---- compose ---- */

struct comp_result {
    char name[RTSA_NAME_MAX]; /* the component's "name" line, if any */
    const char *file;
    struct opts local; /* the component's policy and period */
    struct rt_iface_result iface;
    int rc;
};

/* Parse one component file and compute its interface. */
static int compose_one(const char *file, struct rtsa_component *c, struct comp_result *cr)
{
    char err[RTSA_ERR_MAX];

    if (rtsa_parse_file(file, c, err, sizeof(err))) {
        print_errors(err);
        return EX_USAGE;
    }
    if (!c->has_policy || !c->has_period) {
        fprintf(stderr, "rtsa: %s: missing '%s' line (a component needs policy and period)\n", file,
                c->has_policy ? "period" : "policy");
        return EX_USAGE;
    }
    strcpy(cr->name, c->name);
    cr->local.policy = c->policy;
    cr->local.period = c->period;
    cr->local.given = 0;
    cr->rc = rt_interface_ex(c->policy, c->period, c->tasks, c->n, &cr->iface);
    if (cr->rc < 0)
        return analysis_error(file, cr->rc);
    return 0;
}

static void compose_print(const struct opts *o, const struct comp_result *cr, int n, int root)
{
    double total = 0;

    if (o->given & O_JSON)
        printf("{\"policy\": \"%s\", \"components\": [", policy_name(o->policy));
    for (int i = 0; i < n; i++) {
        struct opts l = cr[i].local;

        l.given = o->given & O_JSON;
        if (cr[i].rc == RT_SCHEDULABLE)
            total += (double)cr[i].iface.budget / (double)l.period;
        interface_out(&l, cr[i].name[0] ? cr[i].name : cr[i].file, cr[i].rc, &cr[i].iface,
                      i + 1 < n ? ", " : "");
    }
    if (o->given & O_JSON) {
        printf("], \"bandwidth\": %.6f, \"schedulable\": %s}\n", total,
               root == RT_SCHEDULABLE ? "true" : "false");
        return;
    }
    printf("total bandwidth %.6f\n%s\n", total, rt_strerror(root));
}

static int compose_run(struct opts *o, struct comp_result *cr, struct rt_resource *ifaces)
{
    int root = RT_SCHEDULABLE;

    for (int i = 0; i < o->npos; i++) {
        struct rtsa_component c;
        int rc = compose_one(o->pos[i], &c, &cr[i]);

        cr[i].file = o->pos[i];
        rtsa_component_free(&c);
        if (rc)
            return rc;
        if (cr[i].rc != RT_SCHEDULABLE)
            root = RT_UNSCHEDULABLE; /* no interface exists for it */
        ifaces[i] = (struct rt_resource){cr[i].local.period, cr[i].iface.budget};
    }
    if (root == RT_SCHEDULABLE)
        root = rt_root_check(o->policy, ifaces, (size_t)o->npos);
    if (root < 0)
        return analysis_error("root", root);
    compose_print(o, cr, o->npos, root);
    return root == RT_SCHEDULABLE ? EX_OK : EX_UNSCHED;
}

static int cmd_compose(struct opts *o)
{
    struct comp_result *cr;
    struct rt_resource *ifaces;
    int rc = need(o, O_POLICY, "--policy");

    if (rc)
        return rc;
    if (o->npos == 0)
        return usage_error("compose: expected at least one component file%s", "");
    cr = calloc((size_t)o->npos, sizeof(*cr));
    ifaces = calloc((size_t)o->npos, sizeof(*ifaces));
    rc = cr && ifaces ? compose_run(o, cr, ifaces) : usage_error("%s", "out of memory");
    free(cr);
    free(ifaces);
    return rc;
}

static const struct command commands[] = {
    {"sbf", O_PERIOD | O_BUDGET | O_JSON, cmd_sbf},
    {"check", O_POLICY | O_PERIOD | O_BUDGET | O_JSON | O_VERBOSE, cmd_check},
    {"interface", O_POLICY | O_PERIOD | O_JSON, cmd_interface},
    {"compose", O_POLICY | O_JSON, cmd_compose},
};

int main(int argc, char **argv)
{
    struct opts o = {0};
    int rc;

    if (argc < 2) {
        fputs(usage_text, stderr);
        return EX_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        fputs(usage_text, stdout);
        return EX_OK;
    }
    o.cmd = argv[1];
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name))
            continue;
        rc = parse_args(argc, argv, &o);
        if (!rc)
            rc = check_allowed(&commands[i], &o);
        if (!rc)
            rc = commands[i].run(&o);
        free(o.pos);
        return rc;
    }
    fprintf(stderr, "rtsa: unknown command '%s'\n%s", argv[1], usage_text);
    return EX_USAGE;
}
