/* SPDX-License-Identifier: MIT */
/* test_rt_parse.c - the rtsa task/component file parser, driven from strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"

static void test_tasks_and_headers(void **state)
{
    (void)state;
    static const char text[] = "# a component\n"
                               "name   ctl   # trailing comment\n"
                               "policy rm\n"
                               "period 10000\n"
                               "\n"
                               "  50000\t 7000 sensor\n"
                               "75000 9000\r\n"
                               "budget 4000";
    struct rtsa_component c;
    char err[RTSA_ERR_MAX];

    assert_int_equal(rtsa_parse(text, "c.txt", &c, err, sizeof(err)), 0);
    assert_string_equal(c.name, "ctl");
    assert_true(c.has_policy && c.policy == RT_RM);
    assert_true(c.has_period && c.period == 10000);
    assert_true(c.has_budget && c.budget == 4000);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.tasks[0].period, 50000);
    assert_int_equal(c.tasks[0].wcet, 7000);
    assert_string_equal(c.info[0].name, "sensor");
    assert_int_equal(c.info[0].line, 6);
    assert_int_equal(c.tasks[1].period, 75000);
    assert_string_equal(c.info[1].name, "");
    assert_int_equal(c.info[1].line, 7);
    rtsa_component_free(&c);
}

static void test_many_tasks(void **state)
{
    (void)state;
    char text[20000] = "";
    struct rtsa_component c;
    char err[RTSA_ERR_MAX];

    for (int i = 1; i <= 1000; i++)
        sprintf(text + strlen(text), "%d 1\n", i);
    assert_int_equal(rtsa_parse(text, "big", &c, err, sizeof(err)), 0);
    assert_int_equal(c.n, 1000);
    assert_int_equal(c.tasks[999].period, 1000);
    rtsa_component_free(&c);
}

/* Each malformed input: the exact message, naming file and line. */
static void test_errors(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"10 3\n10 12\n", "t.txt:2: wcet 12 exceeds period 10"},
        {"0 1\n", "t.txt:1: period must be positive, got 0"},
        {"10 0\n", "t.txt:1: wcet must be positive, got 0"},
        {"-5 1\n", "t.txt:1: period '-5' is not a positive integer"},
        {"10 1.5\n", "t.txt:1: wcet '1.5' is not a positive integer"},
        {"10 3x\n", "t.txt:1: wcet '3x' is not a positive integer"},
        {"\n\n10\n", "t.txt:3: missing wcet after period 10"},
        {"10 1 a b\n", "t.txt:1: too many fields (expected '<period> <wcet> [name]')"},
        {"99999999999999999999 1\n",
         "t.txt:1: period 99999999999999999999 does not fit in 64 bits"},
        {"policy fifo\n", "t.txt:1: unknown policy 'fifo' (expected edf or rm)"},
        {"period 5\nperiod 6\n", "t.txt:2: 'period' given twice"},
        {"period\n", "t.txt:1: 'period' takes exactly one value"},
        {"period 10\nbudget 11\n", "t.txt:2: budget 11 exceeds period 10"},
        {"budget -1\n", "t.txt:1: budget '-1' is not a non-negative integer"},
    };
    char err[RTSA_ERR_MAX];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct rtsa_component c;

        assert_int_equal(rtsa_parse(cases[i][0], "t.txt", &c, err, sizeof(err)), -1);
        assert_string_equal(err, cases[i][1]);
        rtsa_component_free(&c);
    }
}

static void test_numbers(void **state)
{
    (void)state;
    uint64_t v;
    enum rt_policy p;

    assert_true(rtsa_parse_u64("18446744073709551615", &v) && v == UINT64_MAX);
    assert_false(rtsa_parse_u64("18446744073709551616", &v));
    assert_false(rtsa_parse_u64("", &v));
    assert_false(rtsa_parse_u64("+1", &v));
    assert_false(rtsa_parse_u64("1e3", &v));
    assert_true(rtsa_parse_u64("0", &v) && v == 0);
    assert_true(rtsa_parse_policy("edf", &p) && p == RT_EDF);
    assert_true(rtsa_parse_policy("rm", &p) && p == RT_RM);
    assert_false(rtsa_parse_policy("RM", &p));
}

static void test_missing_file(void **state)
{
    (void)state;
    struct rtsa_component c;
    char err[RTSA_ERR_MAX];

    assert_int_equal(rtsa_parse_file("/nonexistent/tasks.txt", &c, err, sizeof(err)), -1);
    assert_string_equal(err, "/nonexistent/tasks.txt: No such file or directory");
}

/* Every problem of a file is reported, one per line, not only the first. */
static void test_all_errors_reported(void **state)
{
    (void)state;
    struct rtsa_component c;
    char err[RTSA_ERR_MAX];

    assert_int_equal(rtsa_parse("10 1\nbad line\n5\n0 3\n", "t.txt", &c, err, sizeof(err)), -1);
    assert_string_equal(err, "t.txt:2: period 'bad' is not a positive integer\n"
                             "t.txt:3: missing wcet after period 5\n"
                             "t.txt:4: period must be positive, got 0");
}

/* A file without a single task is an error, not a schedulable empty set. */
static void test_no_tasks(void **state)
{
    (void)state;
    struct rtsa_component c;
    char err[RTSA_ERR_MAX];

    assert_int_equal(rtsa_parse("# nothing\npolicy edf\n", "e.txt", &c, err, sizeof(err)), -1);
    assert_string_equal(err, "e.txt: no tasks (one line per task: <period> <wcet> [name])");
    assert_int_equal(rtsa_parse("", "e.txt", &c, err, sizeof(err)), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tasks_and_headers),
        cmocka_unit_test(test_many_tasks),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_no_tasks),
    };

    return cmocka_run_group_tests_name("rt_parse", tests, NULL, NULL);
}
