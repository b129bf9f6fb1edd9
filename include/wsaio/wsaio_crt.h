/*
 * wsaio_crt.h - the Microsoft C runtime functions that Windows programs call and glibc
 * lacks: the "secure" forms (strcpy_s, sprintf_s, localtime_s, fopen_s, ...), _snprintf
 * with Microsoft's truncation, and the underscore names (_stricmp, _strdup, _itoa, ...).
 * <windows.h> includes it: on Windows these come with the C headers a program includes.
 *
 * Errors: where Microsoft's runtime calls the invalid-parameter handler (whose default ends
 * the program), these return what Microsoft documents for a handler that returns: EINVAL
 * (NULL pointer, zero size) or ERANGE (destination too small) with errno set and the
 * destination emptied (dest[0] = '\0') where Microsoft empties it. No handler is called.
 */
#ifndef WSAIO_WSAIO_CRT_H
#define WSAIO_WSAIO_CRT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "windef.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int errno_t;
typedef size_t rsize_t;

/* strncpy_s/strncat_s count: copy as much as fits, return STRUNCATE if cut. */
#define _TRUNCATE ((size_t)-1)
#ifndef STRUNCATE
#define STRUNCATE 80
#endif

/* ---- Bounded strings and memory ------------------------------------------------------ */

/** strcpy_s - copies src; ERANGE (dest emptied) when it does not fit in size. */
WSAIO_EXPORT errno_t strcpy_s(char *dest, rsize_t size, const char *src);
/** strcat_s - appends src; EINVAL if dest is not terminated within size, ERANGE if too small. */
WSAIO_EXPORT errno_t strcat_s(char *dest, rsize_t size, const char *src);
/**
 * strncpy_s - copies at most count characters of src and terminates. count _TRUNCATE: as
 * much as fits, STRUNCATE when cut; otherwise ERANGE (dest emptied) when it does not fit.
 */
WSAIO_EXPORT errno_t strncpy_s(char *dest, rsize_t size, const char *src, rsize_t count);
/** strncat_s - appends at most count characters of src; _TRUNCATE as strncpy_s. */
WSAIO_EXPORT errno_t strncat_s(char *dest, rsize_t size, const char *src, rsize_t count);
/** memcpy_s - copies count bytes; ERANGE (dest zeroed) when size < count. */
WSAIO_EXPORT errno_t memcpy_s(void *dest, rsize_t size, const void *src, rsize_t count);
/** memmove_s - as memcpy_s for overlapping buffers (dest left as is on error). */
WSAIO_EXPORT errno_t memmove_s(void *dest, rsize_t size, const void *src, rsize_t count);
/** strtok_s - Microsoft's three-argument strtok_s (POSIX strtok_r). */
WSAIO_EXPORT char *strtok_s(char *str, const char *delim, char **context);

/** _stricmp/_strnicmp - case-insensitive comparison (ASCII letters). */
WSAIO_EXPORT int _stricmp(const char *a, const char *b);
WSAIO_EXPORT int _strnicmp(const char *a, const char *b, size_t n);
/** _strdup - a malloc'ed copy (NULL for NULL or out of memory). */
WSAIO_EXPORT char *_strdup(const char *s);
/** _strlwr/_strupr - convert in place; return s. */
WSAIO_EXPORT char *_strlwr(char *s);
WSAIO_EXPORT char *_strupr(char *s);
#define _strcmpi _stricmp

/* ---- Formatting ------------------------------------------------------------------------ */

/**
 * _snprintf/_vsnprintf - Microsoft's semantics: when the output has count characters or
 * more, count characters are written WITHOUT a terminator and the result is -1 (exactly
 * count characters: no terminator, result count). buffer NULL with count 0: the length.
 */
WSAIO_EXPORT int _snprintf(char *buffer, size_t count, const char *format, ...)
    __attribute__((__format__(__printf__, 3, 4)));
WSAIO_EXPORT int _vsnprintf(char *buffer, size_t count, const char *format, va_list ap)
    __attribute__((__format__(__printf__, 3, 0)));
/** sprintf_s/vsprintf_s - the length written; -1 with dest emptied (ERANGE) if too small. */
WSAIO_EXPORT int sprintf_s(char *buffer, size_t size, const char *format, ...)
    __attribute__((__format__(__printf__, 3, 4)));
WSAIO_EXPORT int vsprintf_s(char *buffer, size_t size, const char *format, va_list ap)
    __attribute__((__format__(__printf__, 3, 0)));
/** _scprintf/_vscprintf - the length the output would have. */
WSAIO_EXPORT int _scprintf(const char *format, ...) __attribute__((__format__(__printf__, 1, 2)));
WSAIO_EXPORT int _vscprintf(const char *format, va_list ap)
    __attribute__((__format__(__printf__, 1, 0)));
#define printf_s  printf
#define fprintf_s fprintf

/**
 * _itoa/_ltoa/_ultoa/_i64toa/_ui64toa - value in radix 2..36 into buf; negative only in
 * radix 10 (other radixes show the two's complement of the 32- or 64-bit value, as on
 * Windows, where long is 32-bit). An invalid radix gives "". Return buf.
 */
WSAIO_EXPORT char *_itoa(int value, char *buf, int radix);
WSAIO_EXPORT char *_ltoa(LONG value, char *buf, int radix);
WSAIO_EXPORT char *_ultoa(ULONG value, char *buf, int radix);
WSAIO_EXPORT char *_i64toa(LONGLONG value, char *buf, int radix);
WSAIO_EXPORT char *_ui64toa(ULONGLONG value, char *buf, int radix);
/** _itoa_s - _itoa into buf of size; EINVAL (bad radix, NULL) or ERANGE (buf emptied). */
WSAIO_EXPORT errno_t _itoa_s(int value, char *buf, size_t size, int radix);

/* ---- Time and files ------------------------------------------------------------------- */

/**
 * localtime_s/gmtime_s - Microsoft's argument order (result first). EINVAL for a NULL
 * pointer or a negative time (the fields of *tm are then set to -1).
 */
WSAIO_EXPORT errno_t localtime_s(struct tm *tm, const time_t *t);
WSAIO_EXPORT errno_t gmtime_s(struct tm *tm, const time_t *t);
/** fopen_s - *pf gets the stream, or NULL and the errno value is returned. */
WSAIO_EXPORT errno_t fopen_s(FILE **pf, const char *name, const char *mode);

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_WSAIO_CRT_H */
