/*
 * utf16.h - UTF-8 <-> UTF-16 conversion for the W forms of kernel32 functions.
 */
#ifndef WSAIO_WIN32_UTF16_H
#define WSAIO_WIN32_UTF16_H

#include <windows.h>

/* A malloc'd UTF-8 copy of the first n units of s (n < 0: up to its NUL); NULL for a
 * NULL s or no memory. Unpaired surrogates become U+FFFD. */
char *wsaio_utf16_to_utf8(LPCWSTR s, int n);

/* A malloc'd UTF-16 copy of s; invalid bytes become U+FFFD. NULL for no memory. */
LPWSTR wsaio_utf8_to_utf16(const char *s);

#endif /* WSAIO_WIN32_UTF16_H */
