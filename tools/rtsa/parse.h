/* SPDX-License-Identifier: MIT */
/**
 * parse.h - reading rtsa task and component files.
 *
 * One item per line, '#' starts a comment, fields separated by blanks:
 *   policy edf|rm        component scheduling policy   (header line, optional)
 *   period <n>           component/resource period     (header line, optional)
 *   budget <n>           resource budget, for `check`  (header line, optional)
 *   name <word>          component name                (header line, optional)
 *   <period> <wcet> [name]   one periodic task, positive integers, wcet <= period
 * Errors are reported as "FILE:LINE: problem".
 */
#ifndef RTSA_PARSE_H
#define RTSA_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rt.h"

#define RTSA_NAME_MAX 64
#define RTSA_ERR_MAX 256

/** A task as read from a file. */
struct rtsa_task {
    char name[RTSA_NAME_MAX]; /**< from the file, or "" */
    unsigned line;            /**< where it was defined */
};

/** A parsed file: optional header values and the task set. */
struct rtsa_component {
    char name[RTSA_NAME_MAX];
    bool has_policy, has_period, has_budget;
    enum rt_policy policy;
    rt_time_t period, budget;
    unsigned period_line, budget_line; /**< for messages about them */
    struct rt_task *tasks;             /**< n tasks, malloc'd, in file order */
    struct rtsa_task *info;            /**< names and lines, parallel to tasks */
    size_t n, cap;
};

/** Strict decimal: digits only, no sign, fits in 64 bits. */
bool rtsa_parse_u64(const char *s, uint64_t *out);

/** "edf" or "rm" (case-sensitive). */
bool rtsa_parse_policy(const char *s, enum rt_policy *out);

/**
 * Parse the NUL-terminated @text of file @fname into *c (zeroed first). Returns 0, or -1 with
 * "FNAME:LINE: problem" (or "FNAME: problem" when no line is to blame) in @err.
 */
int rtsa_parse(const char *text, const char *fname, struct rtsa_component *c, char *err,
               size_t errlen);

/** Read @path ("-" is stdin) and rtsa_parse it; I/O errors are reported like parse errors. */
int rtsa_parse_file(const char *path, struct rtsa_component *c, char *err, size_t errlen);

/** Release what rtsa_parse allocated; *c is zeroed. */
void rtsa_component_free(struct rtsa_component *c);

#endif
