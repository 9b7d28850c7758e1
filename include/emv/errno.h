/* SPDX-License-Identifier: MIT */
/** errno.h - hypercall error codes, returned negated in x0. */
#ifndef EMV_ERRNO_H
#define EMV_ERRNO_H

#define EMV_OK 0
#define EMV_ENOSYS 1 /**< unknown hypercall number or HVC immediate */
#define EMV_EINVAL 2 /**< an argument is out of range */
#define EMV_EFAULT 3 /**< a buffer is not entirely inside the caller's RAM */
#define EMV_EPERM 4  /**< the caller may not do this */
#define EMV_E2BIG 5  /**< a length exceeds the documented maximum */
#define EMV_ENOMEM 6 /**< out of a fixed-size resource */
#define EMV_EEXIST 7 /**< already present */
#define EMV_EAGAIN 8 /**< not now: a queue is full or empty */
#define EMV_EPIPE 9  /**< the other side is gone (an IPC server or caller that stopped) */

#endif
