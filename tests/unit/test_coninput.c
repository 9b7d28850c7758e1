/* SPDX-License-Identifier: MIT */
/* test_coninput.c - the console input's switch sequence (hyp/core/coninput.c): Ctrl-E three
 * times in a row switches and reaches no guest; fewer reach the guest before the next key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/coninput.h"

static void test_plain_keys_pass(void **s)
{
    (void)s;
    struct coninput in = {0};
    char out[CONINPUT_PRESSES];
    bool sw;
    assert_int_equal(coninput_feed(&in, 'a', out, &sw), 1);
    assert_int_equal(out[0], 'a');
    assert_false(sw);
}

static void test_three_switch(void **s)
{
    (void)s;
    struct coninput in = {0};
    char out[CONINPUT_PRESSES];
    bool sw;
    assert_int_equal(coninput_feed(&in, CONINPUT_SWITCH, out, &sw), 0);
    assert_false(sw);
    assert_int_equal(coninput_feed(&in, CONINPUT_SWITCH, out, &sw), 0);
    assert_false(sw);
    assert_int_equal(coninput_feed(&in, CONINPUT_SWITCH, out, &sw), 0);
    assert_true(sw);
    assert_int_equal(coninput_feed(&in, 'x', out, &sw), 1); /* nothing held back after it */
    assert_int_equal(out[0], 'x');
}

static void test_held_back_keys_come_out(void **s)
{
    (void)s;
    struct coninput in = {0};
    char out[CONINPUT_PRESSES];
    bool sw;
    coninput_feed(&in, CONINPUT_SWITCH, out, &sw);
    coninput_feed(&in, CONINPUT_SWITCH, out, &sw);
    assert_int_equal(coninput_feed(&in, 'q', out, &sw), 3);
    assert_false(sw);
    assert_memory_equal(out, "\x05\x05q", 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_keys_pass),
        cmocka_unit_test(test_three_switch),
        cmocka_unit_test(test_held_back_keys_come_out),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests_name("coninput", tests, NULL, NULL);
}
