/*
 * stdio_s.c - Microsoft's formatting functions (_snprintf's truncation without terminator,
 * sprintf_s, _scprintf), fopen_s, localtime_s and gmtime_s.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <windows.h>

#include "crt/va_forward.h"

WSAIO_EXPORT int _vsnprintf(char *buffer, size_t count, const char *format, va_list ap)
{
    char small[256];
    char *full = small;
    va_list again;
    int n;

    if (format == NULL) {
        errno = EINVAL;
        return -1;
    }
    va_copy(again, ap);
    n = vsnprintf(small, sizeof small, format, ap);
    if (n >= 0 && (size_t)n >= sizeof small) {
        /* The whole text is needed: its first `count` characters are kept unterminated. */
        full = malloc((size_t)n + 1);
        if (full == NULL) {
            va_end(again);
            errno = ENOMEM;
            return -1;
        }
        vsnprintf(full, (size_t)n + 1, format, again);
    }
    va_end(again);
    if (n >= 0 && buffer != NULL)
        memcpy(buffer, full, (size_t)n < count ? (size_t)n + 1 : count);
    if (full != small)
        free(full);
    if (n < 0 || (buffer == NULL && count == 0))
        return n; /* the length asked for, or the encoding error */
    if (buffer == NULL) {
        errno = EINVAL;
        return -1;
    }
    return (size_t)n <= count ? n : -1;
}

WSAIO_EXPORT int _snprintf(char *buffer, size_t count, const char *format, ...)
{
    WSAIO_VA_FORWARD(int, format, _vsnprintf(buffer, count, format, ap));
}

WSAIO_EXPORT int vsprintf_s(char *buffer, size_t size, const char *format, va_list ap)
{
    int n;

    if (buffer == NULL || size == 0 || format == NULL) {
        if (buffer != NULL && size != 0)
            buffer[0] = '\0';
        errno = EINVAL;
        return -1;
    }
    n = vsnprintf(buffer, size, format, ap);
    if (n < 0 || (size_t)n >= size) {
        buffer[0] = '\0';
        errno = n < 0 ? EINVAL : ERANGE;
        return -1;
    }
    return n;
}

WSAIO_EXPORT int sprintf_s(char *buffer, size_t size, const char *format, ...)
{
    WSAIO_VA_FORWARD(int, format, vsprintf_s(buffer, size, format, ap));
}

WSAIO_EXPORT int _vscprintf(const char *format, va_list ap)
{
    if (format == NULL) {
        errno = EINVAL;
        return -1;
    }
    return vsnprintf(NULL, 0, format, ap);
}

WSAIO_EXPORT int _scprintf(const char *format, ...)
{
    WSAIO_VA_FORWARD(int, format, _vscprintf(format, ap));
}

WSAIO_EXPORT errno_t fopen_s(FILE **pf, const char *name, const char *mode)
{
    if (pf == NULL)
        return errno = EINVAL;
    *pf = NULL;
    if (name == NULL || mode == NULL)
        return errno = EINVAL;
    *pf = fopen(name, mode);
    return *pf == NULL ? errno : 0;
}

/* The checks of localtime_s/gmtime_s, then the conversion. */
static errno_t time_s(struct tm *tm, const time_t *t,
                      struct tm *(*conv)(const time_t *, struct tm *))
{
    if (tm == NULL)
        return errno = EINVAL;
    if (t == NULL || *t < 0 || conv(t, tm) == NULL) {
        /* Every field -1, as Microsoft's runtime leaves them. */
        memset(tm, 0, sizeof *tm);
        tm->tm_sec = tm->tm_min = tm->tm_hour = tm->tm_mday = tm->tm_mon = tm->tm_year = -1;
        tm->tm_wday = tm->tm_yday = tm->tm_isdst = -1;
        return errno = EINVAL;
    }
    return 0;
}

WSAIO_EXPORT errno_t localtime_s(struct tm *tm, const time_t *t)
{
    return time_s(tm, t, localtime_r);
}

WSAIO_EXPORT errno_t gmtime_s(struct tm *tm, const time_t *t)
{
    return time_s(tm, t, gmtime_r);
}
