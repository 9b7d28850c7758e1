/* SPDX-License-Identifier: MIT */
/*
 * parse.c - task and component files for rtsa (see parse.h for the format).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define MAX_FIELDS 4
#define FIELD_MAX 128

/* One line split into blank-separated fields, comment removed. */
struct line {
    char buf[FIELD_MAX * MAX_FIELDS];
    char *f[MAX_FIELDS + 1];
    int nf;
};

struct ctx {
    const char *fname;
    unsigned lineno;
    char *err;
    size_t errlen;
};

/* Append one problem to x->err, a line each (every problem of a file is reported). */
static int fail(struct ctx *x, const char *fmt, ...)
{
    va_list ap;
    size_t used = strlen(x->err);
    char *at = x->err + used;
    size_t room = x->errlen - used;
    int k;

    if (used && room > 1)
        *at++ = '\n', *at = '\0', room--;
    if (x->lineno)
        k = snprintf(at, room, "%s:%u: ", x->fname, x->lineno);
    else
        k = snprintf(at, room, "%s: ", x->fname);
    if (k < 0 || (size_t)k >= room)
        return -1;
    va_start(ap, fmt);
    vsnprintf(at + k, room - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

bool rtsa_parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;

    if (!*s)
        return false;
    for (; *s; s++) {
        unsigned d = (unsigned)(*s - '0');

        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool rtsa_parse_policy(const char *s, enum rt_policy *out)
{
    if (!strcmp(s, "edf"))
        *out = RT_EDF;
    else if (!strcmp(s, "rm"))
        *out = RT_RM;
    else
        return false;
    return true;
}

/* A field that must be a positive integer, with a message that says what is wrong. */
static int positive(struct ctx *x, const char *what, const char *s, uint64_t *out)
{
    if (!rtsa_parse_u64(s, out)) {
        if (*s && strspn(s, "0123456789") == strlen(s))
            return fail(x, "%s %s does not fit in 64 bits", what, s);
        return fail(x, "%s '%s' is not a positive integer", what, s);
    }
    if (*out == 0)
        return fail(x, "%s must be positive, got 0", what);
    return 0;
}

/* Split @src (one line, without the newline) into fields; false if too long / too many. */
static int split(struct ctx *x, const char *src, size_t len, struct line *l)
{
    size_t k = 0;

    l->nf = 0;
    for (size_t i = 0; i < len && src[i] != '#'; i++) {
        if (src[i] == ' ' || src[i] == '\t' || src[i] == '\r') {
            if (k && l->buf[k - 1] != '\0')
                l->buf[k++] = '\0';
            continue;
        }
        if (k + 2 >= sizeof(l->buf))
            return fail(x, "line too long");
        if (k == 0 || l->buf[k - 1] == '\0') {
            if (l->nf == MAX_FIELDS)
                return fail(x, "too many fields (expected '<period> <wcet> [name]')");
            l->f[l->nf++] = &l->buf[k];
        }
        l->buf[k++] = src[i];
    }
    l->buf[k] = '\0';
    l->f[l->nf] = NULL;
    return 0;
}

static int name_field(struct ctx *x, const char *s, char *dst)
{
    if (strlen(s) >= RTSA_NAME_MAX)
        return fail(x, "name '%s' longer than %d characters", s, RTSA_NAME_MAX - 1);
    strcpy(dst, s);
    return 0;
}

static int add_task(struct ctx *x, struct rtsa_component *c, const struct line *l)
{
    struct rt_task t;

    if (positive(x, "period", l->f[0], &t.period))
        return -1;
    if (l->nf < 2)
        return fail(x, "missing wcet after period %s", l->f[0]);
    if (positive(x, "wcet", l->f[1], &t.wcet))
        return -1;
    if (t.wcet > t.period)
        return fail(x, "wcet %s exceeds period %s", l->f[1], l->f[0]);
    if (l->nf > 3)
        return fail(x, "too many fields (expected '<period> <wcet> [name]')");
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        struct rt_task *nt = realloc(c->tasks, cap * sizeof(*nt));
        struct rtsa_task *ni = nt ? realloc(c->info, cap * sizeof(*ni)) : NULL;

        if (nt)
            c->tasks = nt;
        if (!ni)
            return fail(x, "out of memory");
        c->info = ni;
        c->cap = cap;
    }
    c->info[c->n].line = x->lineno;
    c->info[c->n].name[0] = '\0';
    if (l->nf == 3 && name_field(x, l->f[2], c->info[c->n].name))
        return -1;
    c->tasks[c->n++] = t;
    return 0;
}

/* Header lines: "policy", "period", "budget", "name", each once, with one argument. */
static int header(struct ctx *x, struct rtsa_component *c, const struct line *l)
{
    const char *k = l->f[0];
    bool *seen = !strcmp(k, "policy")   ? &c->has_policy
                 : !strcmp(k, "period") ? &c->has_period
                 : !strcmp(k, "budget") ? &c->has_budget
                                        : NULL;

    if (l->nf != 2)
        return fail(x, "'%s' takes exactly one value", k);
    if (seen && *seen)
        return fail(x, "'%s' given twice", k);
    if (!strcmp(k, "name"))
        return name_field(x, l->f[1], c->name);
    *seen = true;
    if (!strcmp(k, "policy")) {
        if (!rtsa_parse_policy(l->f[1], &c->policy))
            return fail(x, "unknown policy '%s' (expected edf or rm)", l->f[1]);
        return 0;
    }
    if (!strcmp(k, "period")) {
        c->period_line = x->lineno;
        return positive(x, "period", l->f[1], &c->period);
    }
    c->budget_line = x->lineno;
    if (!rtsa_parse_u64(l->f[1], &c->budget))
        return fail(x, "budget '%s' is not a non-negative integer", l->f[1]);
    return 0;
}

static bool is_header(const char *s)
{
    return !strcmp(s, "policy") || !strcmp(s, "period") || !strcmp(s, "budget") ||
           !strcmp(s, "name");
}

int rtsa_parse(const char *text, const char *fname, struct rtsa_component *c, char *err,
               size_t errlen)
{
    struct ctx x = {fname, 0, err, errlen};

    int errors = 0;

    memset(c, 0, sizeof(*c));
    err[0] = '\0';
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        struct line l;
        int rc;

        x.lineno++;
        rc = split(&x, text, len, &l);
        if (!rc && l.nf)
            rc = is_header(l.f[0]) ? header(&x, c, &l) : add_task(&x, c, &l);
        errors += rc != 0; /* and go on: every problem of the file is reported */
        text += len + (nl != NULL);
    }
    if (c->has_budget && c->has_period && c->budget > c->period) {
        x.lineno = c->budget_line;
        errors++;
        fail(&x, "budget %llu exceeds period %llu", (unsigned long long)c->budget,
             (unsigned long long)c->period);
    }
    if (!errors && !c->n) {
        x.lineno = 0;
        return fail(&x, "no tasks (one line per task: <period> <wcet> [name])");
    }
    return errors ? -1 : 0;
}

static char *slurp(FILE *f, size_t *len)
{
    size_t cap = 4096, n = 0, k;
    char *buf = malloc(cap + 1);

    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *nb = realloc(buf, 2 * cap + 1);

            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

int rtsa_parse_file(const char *path, struct rtsa_component *c, char *err, size_t errlen)
{
    bool std = !strcmp(path, "-");
    FILE *f = std ? stdin : fopen(path, "r");
    size_t len;
    char *text;
    int rc;

    memset(c, 0, sizeof(*c));
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    text = slurp(f, &len);
    if (!text || ferror(f)) {
        snprintf(err, errlen, "%s: %s", path, text ? "read error" : "out of memory");
        rc = -1;
    } else if (strlen(text) != len) {
        snprintf(err, errlen, "%s: contains a NUL byte (not a text file?)", path);
        rc = -1;
    } else {
        rc = rtsa_parse(text, std ? "<stdin>" : path, c, err, errlen);
    }
    free(text);
    if (!std)
        fclose(f);
    return rc;
}

void rtsa_component_free(struct rtsa_component *c)
{
    free(c->tasks);
    free(c->info);
    memset(c, 0, sizeof(*c));
}
