/* SPDX-License-Identifier: MIT */
/**
 * coninput.h - the host console's keystrokes, for one VM at a time: the switch key pressed
 * three times in a row (Ctrl-E, as Xen's Ctrl-A; QEMU's mon:stdio keeps Ctrl-A for itself)
 * moves the input to the next VM with an emulated UART, and after the last one to nobody.
 * Pure logic, tested on the host; vpl011.c delivers the bytes.
 */
#ifndef EMV_CONINPUT_H
#define EMV_CONINPUT_H

#include <stdbool.h>

#define CONINPUT_SWITCH 0x05 /* Ctrl-E */
#define CONINPUT_PRESSES 3

struct coninput {
    unsigned presses; /**< switch keys in a row so far, held back */
};

/**
 * Feed one byte from the console. Returns how many bytes go to the VM with the input, in @out
 * (switch keys held back come out when another key follows them, so a lone Ctrl-E still reaches
 * the guest); *@sw is set when this byte completed the switch sequence (nothing is delivered).
 */
unsigned coninput_feed(struct coninput *s, char c, char out[CONINPUT_PRESSES], bool *sw);

#endif
