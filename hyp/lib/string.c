/* SPDX-License-Identifier: MIT */
/*
 * string.c - the few libc routines the compiler may call in freestanding code (GCC emits
 * memcpy/memset for struct copies). Byte-wise on purpose: they run before the MMU is on,
 * when all memory is Device memory and unaligned accesses fault.
 */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    /* Both ends 8-aligned: the bulk in aligned words (pairs when 16-aligned: ldp/stp), only
     * the tail byte by byte, so a length that is not a multiple of 8 (an initramfs) does not
     * make a whole copy byte-wise. */
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        size_t words = n / 8, i = 0;
        if ((((uintptr_t)d | (uintptr_t)s) & 15) == 0)
            for (; i + 2 <= words; i += 2) {
                uint64_t a = ((const uint64_t *)s)[i], b = ((const uint64_t *)s)[i + 1];
                ((uint64_t *)d)[i] = a;
                ((uint64_t *)d)[i + 1] = b;
            }
        for (; i < words; i++)
            ((uint64_t *)d)[i] = ((const uint64_t *)s)[i];
        d += words * 8;
        s += words * 8;
        n -= words * 8;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;
    if (((uintptr_t)d & 7) == 0) { /* the bulk in aligned words, the tail byte by byte */
        uint64_t v = (uint8_t)c;
        v |= v << 8;
        v |= v << 16;
        v |= v << 32;
        size_t words = n / 8;
        for (size_t i = 0; i < words; i++)
            ((uint64_t *)d)[i] = v;
        d += words * 8;
        n -= words * 8;
    }
    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n && *a && *a == *b; n--)
        a++, b++;
    return n ? (unsigned char)*a - (unsigned char)*b : 0;
}
