/*
 * utf16.c - UTF-8 <-> UTF-16 conversion (see utf16.h).
 */
#include <stdlib.h>

#include "win32/utf16.h"

char *wsaio_utf16_to_utf8(LPCWSTR s, int n)
{
    size_t k = 0;
    char *out;

    if (!s)
        return NULL;
    if (n < 0)
        for (n = 0; s[n]; n++)
            ;
    out = malloc((size_t)n * 3 + 1); /* a unit becomes at most 3 bytes; a pair 4 for 2 units */
    if (!out)
        return NULL;
    for (int i = 0; i < n; i++) {
        uint32_t c = s[i];

        if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] < 0xE000)
            c = 0x10000 + ((c - 0xD800) << 10) + (s[++i] - 0xDC00u);
        else if (c >= 0xD800 && c < 0xE000)
            c = 0xFFFD;
        if (c < 0x80) {
            out[k++] = (char)c;
        } else if (c < 0x800) {
            out[k++] = (char)(0xC0 | (c >> 6));
            out[k++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[k++] = (char)(0xE0 | (c >> 12));
            out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[k++] = (char)(0xF0 | (c >> 18));
            out[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[k++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[k] = '\0';
    return out;
}

/* The sequence at s: its code point and length (1 and U+FFFD for a bad byte). */
static uint32_t decode(const unsigned char *s, int *len)
{
    int need = s[0] >= 0xF0 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC0 ? 1 : 0;
    uint32_t c = need == 3 ? s[0] & 7u : need == 2 ? s[0] & 15u : s[0] & 31u;

    *len = 1;
    if (s[0] < 0x80)
        return s[0];
    if (s[0] < 0xC0 || s[0] > 0xF4)
        return 0xFFFD;
    for (int i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0xFFFD;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    *len = need + 1;
    return c;
}

LPWSTR wsaio_utf8_to_utf16(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0, n = 0;
    LPWSTR out;

    while (p[n])
        n++;
    out = malloc((n + 1) * sizeof(WCHAR)); /* never more units than bytes */
    if (!out)
        return NULL;
    while (*p) {
        int len;
        uint32_t c = decode(p, &len);

        p += len;
        if (c >= 0x10000) {
            out[k++] = (WCHAR)(0xD800 + ((c - 0x10000) >> 10));
            out[k++] = (WCHAR)(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            out[k++] = (WCHAR)c;
        }
    }
    out[k] = 0;
    return out;
}
