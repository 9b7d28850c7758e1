/* SPDX-License-Identifier: MIT */
/* coninput.c - the console input's switch sequence (coninput.h). Pure logic. */
#include "core/coninput.h"

unsigned coninput_feed(struct coninput *s, char c, char out[CONINPUT_PRESSES], bool *sw)
{
    *sw = false;
    if (c == CONINPUT_SWITCH) {
        if (++s->presses == CONINPUT_PRESSES) {
            s->presses = 0;
            *sw = true;
        }
        return 0;
    }
    unsigned n = 0;
    for (; s->presses; s->presses--)
        out[n++] = CONINPUT_SWITCH;
    out[n++] = c;
    return n;
}
