/*
 * strings.c - the underscore string functions of Microsoft's runtime: _stricmp,
 * _strnicmp, _strdup, _strlwr, _strupr and the integer-to-text conversions _itoa & co.
 * Case rules are the "C" locale's (ASCII letters), as Microsoft's in that locale.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <windows.h>

WSAIO_EXPORT int _stricmp(const char *a, const char *b)
{
    return strcasecmp(a, b);
}

WSAIO_EXPORT int _strnicmp(const char *a, const char *b, size_t n)
{
    return strncasecmp(a, b, n);
}

WSAIO_EXPORT char *_strdup(const char *s)
{
    return s == NULL ? NULL : strdup(s);
}

WSAIO_EXPORT char *_strlwr(char *s)
{
    for (char *p = s; p != NULL && *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    return s;
}

WSAIO_EXPORT char *_strupr(char *s)
{
    for (char *p = s; p != NULL && *p != '\0'; p++)
        *p = (char)toupper((unsigned char)*p);
    return s;
}

/* Writes magnitude in radix (2..36, checked by the caller), with a '-' if negative. */
static char *format(ULONGLONG magnitude, int negative, char *buf, int radix)
{
    char tmp[66];
    size_t n = 0, i = 0;

    do {
        tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[magnitude % (unsigned)radix];
        magnitude /= (unsigned)radix;
    } while (magnitude != 0);
    if (negative)
        buf[i++] = '-';
    while (n > 0)
        buf[i++] = tmp[--n];
    buf[i] = '\0';
    return buf;
}

/* value is signed only in radix 10; elsewhere its two's complement in `bits` bits. */
static char *convert(LONGLONG value, int is_signed, int bits, char *buf, int radix)
{
    ULONGLONG u = (ULONGLONG)value;

    if (buf == NULL)
        return NULL;
    if (radix < 2 || radix > 36) {
        buf[0] = '\0';
        errno = EINVAL;
        return buf;
    }
    if (bits == 32)
        u &= 0xFFFFFFFFull;
    if (is_signed && radix == 10 && value < 0)
        return format(0 - (ULONGLONG)value, 1, buf, radix);
    return format(u, 0, buf, radix);
}

WSAIO_EXPORT char *_itoa(int value, char *buf, int radix)
{
    return convert(value, 1, 32, buf, radix);
}

WSAIO_EXPORT char *_ltoa(LONG value, char *buf, int radix)
{
    return convert(value, 1, 32, buf, radix);
}

WSAIO_EXPORT char *_ultoa(ULONG value, char *buf, int radix)
{
    return convert(value, 0, 32, buf, radix);
}

WSAIO_EXPORT char *_i64toa(LONGLONG value, char *buf, int radix)
{
    return convert(value, 1, 64, buf, radix);
}

WSAIO_EXPORT char *_ui64toa(ULONGLONG value, char *buf, int radix)
{
    return convert((LONGLONG)value, 0, 64, buf, radix);
}

WSAIO_EXPORT errno_t _itoa_s(int value, char *buf, size_t size, int radix)
{
    char tmp[34];

    if (buf == NULL || size == 0)
        return errno = EINVAL;
    if (radix < 2 || radix > 36) {
        buf[0] = '\0';
        return errno = EINVAL;
    }
    _itoa(value, tmp, radix);
    return strcpy_s(buf, size, tmp);
}
