/*
 * strsafe.c - StringCch* / StringCb* (narrow): bounded copy, append, format and length with
 * Windows' HRESULTs and truncation (a cut result is still terminated). For char strings a
 * size in bytes is a size in characters, so the Cb forms are the Cch forms.
 */
#include <stdio.h>
#include <strsafe.h>

#include "crt/va_forward.h"

/* A destination size Windows accepts: 1..STRSAFE_MAX_CCH, and a buffer to write. */
static int dest_ok(const char *dest, size_t cch)
{
    return dest != NULL && cch != 0 && cch <= STRSAFE_MAX_CCH;
}

/* Copies at most max characters of src to dest[0..cch), terminated; cch >= 1. */
static HRESULT copy_n(char *dest, size_t cch, const char *src, size_t max)
{
    size_t i = 0;

    while (i < max && src[i] != '\0') {
        if (i == cch - 1) {
            dest[i] = '\0';
            return STRSAFE_E_INSUFFICIENT_BUFFER;
        }
        dest[i] = src[i];
        i++;
    }
    dest[i] = '\0';
    return S_OK;
}

/* The length of s, which must be terminated within max characters. */
static HRESULT length(const char *s, size_t max, size_t *len)
{
    size_t n = 0;

    while (n < max && s[n] != '\0')
        n++;
    if (n == max)
        return STRSAFE_E_INVALID_PARAMETER;
    *len = n;
    return S_OK;
}

static HRESULT copy(char *dest, size_t cch, const char *src, size_t max)
{
    if (!dest_ok(dest, cch))
        return STRSAFE_E_INVALID_PARAMETER;
    if (src == NULL || max > STRSAFE_MAX_CCH) {
        dest[0] = '\0';
        return STRSAFE_E_INVALID_PARAMETER;
    }
    return copy_n(dest, cch, src, max);
}

static HRESULT cat(char *dest, size_t cch, const char *src, size_t max)
{
    size_t used;

    if (!dest_ok(dest, cch) || src == NULL || max > STRSAFE_MAX_CCH ||
        length(dest, cch, &used) != S_OK)
        return STRSAFE_E_INVALID_PARAMETER;
    return copy_n(dest + used, cch - used, src, max);
}

WSAIO_EXPORT HRESULT StringCchCopyA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc)
{
    return copy(pszDest, cchDest, pszSrc, STRSAFE_MAX_CCH);
}

WSAIO_EXPORT HRESULT StringCchCopyNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc,
                                     size_t cchToCopy)
{
    return copy(pszDest, cchDest, pszSrc, cchToCopy);
}

WSAIO_EXPORT HRESULT StringCchCatA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc)
{
    return cat(pszDest, cchDest, pszSrc, STRSAFE_MAX_CCH);
}

WSAIO_EXPORT HRESULT StringCchCatNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc,
                                    size_t cchToAppend)
{
    return cat(pszDest, cchDest, pszSrc, cchToAppend);
}

WSAIO_EXPORT HRESULT StringCchVPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest,
                                       STRSAFE_LPCSTR pszFormat, va_list argList)
{
    int n;

    if (!dest_ok(pszDest, cchDest))
        return STRSAFE_E_INVALID_PARAMETER;
    if (pszFormat == NULL) {
        pszDest[0] = '\0';
        return STRSAFE_E_INVALID_PARAMETER;
    }
    /* vsnprintf terminates a cut result itself; a negative result is an encoding error. */
    n = vsnprintf(pszDest, cchDest, pszFormat, argList);
    if (n < 0 || (size_t)n >= cchDest) {
        if (n < 0)
            pszDest[0] = '\0';
        return STRSAFE_E_INSUFFICIENT_BUFFER;
    }
    return S_OK;
}

WSAIO_EXPORT HRESULT StringCchPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest,
                                      STRSAFE_LPCSTR pszFormat, ...)
{
    WSAIO_VA_FORWARD(HRESULT, pszFormat, StringCchVPrintfA(pszDest, cchDest, pszFormat, ap));
}

WSAIO_EXPORT HRESULT StringCchLengthA(STRSAFE_LPCSTR psz, size_t cchMax, size_t *pcchLength)
{
    size_t n = 0;
    HRESULT hr = STRSAFE_E_INVALID_PARAMETER;

    if (psz != NULL && cchMax <= STRSAFE_MAX_CCH)
        hr = length(psz, cchMax, &n);
    if (pcchLength != NULL)
        *pcchLength = hr == S_OK ? n : 0;
    return hr;
}

WSAIO_EXPORT HRESULT StringCbCopyA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc)
{
    return StringCchCopyA(pszDest, cbDest, pszSrc);
}

WSAIO_EXPORT HRESULT StringCbCopyNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc,
                                    size_t cbToCopy)
{
    return StringCchCopyNA(pszDest, cbDest, pszSrc, cbToCopy);
}

WSAIO_EXPORT HRESULT StringCbCatA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc)
{
    return StringCchCatA(pszDest, cbDest, pszSrc);
}

WSAIO_EXPORT HRESULT StringCbCatNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc,
                                   size_t cbToAppend)
{
    return StringCchCatNA(pszDest, cbDest, pszSrc, cbToAppend);
}

WSAIO_EXPORT HRESULT StringCbVPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest,
                                      STRSAFE_LPCSTR pszFormat, va_list argList)
{
    return StringCchVPrintfA(pszDest, cbDest, pszFormat, argList);
}

WSAIO_EXPORT HRESULT StringCbPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat,
                                     ...)
{
    WSAIO_VA_FORWARD(HRESULT, pszFormat, StringCchVPrintfA(pszDest, cbDest, pszFormat, ap));
}

WSAIO_EXPORT HRESULT StringCbLengthA(STRSAFE_LPCSTR psz, size_t cbMax, size_t *pcbLength)
{
    return StringCchLengthA(psz, cbMax, pcbLength);
}
