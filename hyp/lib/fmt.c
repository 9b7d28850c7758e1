/* SPDX-License-Identifier: MIT */
/* fmt.c - a small vsnprintf: enough for logs, no floating point. */
#include "fmt.h"

#include <stdint.h>

struct out {
    char *buf;
    size_t size;
    size_t len; /* characters the full output would have */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, int left, char pad)
{
    int fill = width > (int)n ? width - (int)n : 0;
    if (!left)
        while (fill-- > 0)
            put(o, pad);
    for (size_t i = 0; i < n; i++)
        put(o, s[i]);
    if (left)
        while (fill-- > 0)
            put(o, ' ');
}

static size_t utoa(uint64_t v, unsigned base, int upper, char *tmp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[24];
    size_t n = 0;
    do {
        rev[n++] = digits[v % base];
        v /= base;
    } while (v);
    for (size_t i = 0; i < n; i++)
        tmp[i] = rev[n - 1 - i];
    return n;
}

static uint64_t arg_unsigned(va_list *ap, int lng)
{
    if (lng >= 2)
        return va_arg(*ap, unsigned long long);
    if (lng == 1)
        return va_arg(*ap, unsigned long);
    return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int lng)
{
    if (lng >= 2)
        return va_arg(*ap, long long);
    if (lng == 1)
        return va_arg(*ap, long);
    return va_arg(*ap, int);
}

static void conv_number(struct out *o, char conv, va_list *ap, int lng, int width, int left,
                        char pad, int alt)
{
    char tmp[26];
    size_t n = 0;
    if (alt && (conv == 'x' || conv == 'X')) {
        tmp[n++] = '0';
        tmp[n++] = 'x';
    }
    if (conv == 'd' || conv == 'i') {
        int64_t v = arg_signed(ap, lng);
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        if (v < 0)
            tmp[n++] = '-';
        n += utoa(mag, 10, 0, tmp + n);
    } else if (conv == 'p') {
        tmp[n++] = '0';
        tmp[n++] = 'x';
        n += utoa((uintptr_t)va_arg(*ap, void *), 16, 0, tmp + n);
    } else {
        unsigned base = conv == 'u' ? 10 : 16;
        n += utoa(arg_unsigned(ap, lng), base, conv == 'X', tmp + n);
    }
    put_padded(o, tmp, n, width, left, pad);
}

int emv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
    struct out o = {buf, size, 0};
    va_list ap;
    va_copy(ap, ap_in);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        int left = 0, width = 0, lng = 0, alt = 0;
        char pad = ' ';
        for (; *fmt == '-' || *fmt == '0' || *fmt == '#'; fmt++) {
            if (*fmt == '#')
                alt = 1;
            else if (*fmt == '-')
                left = 1;
            else
                pad = '0';
        }
        for (; *fmt >= '0' && *fmt <= '9'; fmt++)
            width = width * 10 + (*fmt - '0');
        for (; *fmt == 'l' || *fmt == 'z'; fmt++)
            lng += *fmt == 'z' ? 2 : 1;
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            size_t n = 0;
            if (!s)
                s = "(null)";
            while (s[n])
                n++;
            put_padded(&o, s, n, width, left, ' ');
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(&o, &c, 1, width, left, ' ');
            break;
        }
        case 'd':
        case 'i':
        case 'u':
        case 'x':
        case 'X':
        case 'p':
            conv_number(&o, *fmt, &ap, lng, width, left, pad, alt);
            break;
        case '\0':
            fmt--;
            break;
        default:
            put(&o, *fmt);
        }
    }
    va_end(ap);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int emv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = emv_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
