/*
 * strsafe.h - Microsoft's bounded string functions (narrow forms) for Linux.
 *
 * Every function takes the size of the destination (Cch: in characters, Cb: in bytes; for
 * char they are the same) and always leaves it null-terminated when that size is valid.
 * Results are HRESULTs as on Windows:
 *   S_OK                          the whole result fitted;
 *   STRSAFE_E_INSUFFICIENT_BUFFER the result was cut to fit (still null-terminated);
 *   STRSAFE_E_INVALID_PARAMETER   a size of 0 or above STRSAFE_MAX_CCH, a NULL pointer, or
 *                                 (Cat, Length) a string that is not terminated within
 *                                 the given size.
 * The generic names (StringCchCopy, ...) are the A forms; with UNICODE defined they are not
 * provided (the W forms need 16-bit WCHAR strings, see docs/porting.md).
 */
#ifndef WSAIO_STRSAFE_H
#define WSAIO_STRSAFE_H

#include <stdarg.h>
#include <stddef.h>

#include "windef.h"
#include "winerror.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef S_OK
#define S_OK ((HRESULT)0)
#endif
#define STRSAFE_MAX_CCH               2147483647
#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007AL)
#define STRSAFE_E_INVALID_PARAMETER   ((HRESULT)0x80070057L)
#define STRSAFE_E_END_OF_FILE         ((HRESULT)0x80070026L)

typedef char *STRSAFE_LPSTR;
typedef const char *STRSAFE_LPCSTR;

/** StringCchCopyA - copies pszSrc into pszDest (cchDest characters, terminator included). */
WSAIO_EXPORT HRESULT StringCchCopyA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc);
/** StringCchCopyNA - as StringCchCopyA, copying at most cchToCopy characters of pszSrc. */
WSAIO_EXPORT HRESULT StringCchCopyNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc,
                                     size_t cchToCopy);
/** StringCchCatA - appends pszSrc to the string in pszDest. */
WSAIO_EXPORT HRESULT StringCchCatA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc);
/** StringCchCatNA - as StringCchCatA, appending at most cchToAppend characters. */
WSAIO_EXPORT HRESULT StringCchCatNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc,
                                    size_t cchToAppend);
/** StringCchPrintfA - formats into pszDest (printf formats). */
WSAIO_EXPORT HRESULT StringCchPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest,
                                      STRSAFE_LPCSTR pszFormat, ...)
    __attribute__((__format__(__printf__, 3, 4)));
/** StringCchVPrintfA - StringCchPrintfA with a va_list. */
WSAIO_EXPORT HRESULT StringCchVPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest,
                                       STRSAFE_LPCSTR pszFormat, va_list argList)
    __attribute__((__format__(__printf__, 3, 0)));
/**
 * StringCchLengthA - the length of psz, which must be terminated within cchMax characters;
 * *pcchLength (if not NULL) gets the length, or 0 on failure.
 */
WSAIO_EXPORT HRESULT StringCchLengthA(STRSAFE_LPCSTR psz, size_t cchMax, size_t *pcchLength);

/* The Cb forms: sizes in bytes (the same numbers for char strings). */
/** StringCbCopyA - StringCchCopyA with the size in bytes. */
WSAIO_EXPORT HRESULT StringCbCopyA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc);
/** StringCbCopyNA - StringCchCopyNA with sizes in bytes. */
WSAIO_EXPORT HRESULT StringCbCopyNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc,
                                    size_t cbToCopy);
/** StringCbCatA - StringCchCatA with the size in bytes. */
WSAIO_EXPORT HRESULT StringCbCatA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc);
/** StringCbCatNA - StringCchCatNA with sizes in bytes. */
WSAIO_EXPORT HRESULT StringCbCatNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc,
                                   size_t cbToAppend);
/** StringCbPrintfA - StringCchPrintfA with the size in bytes. */
WSAIO_EXPORT HRESULT StringCbPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat,
                                     ...) __attribute__((__format__(__printf__, 3, 4)));
/** StringCbVPrintfA - StringCchVPrintfA with the size in bytes. */
WSAIO_EXPORT HRESULT StringCbVPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest,
                                      STRSAFE_LPCSTR pszFormat, va_list argList)
    __attribute__((__format__(__printf__, 3, 0)));
/** StringCbLengthA - StringCchLengthA with sizes in bytes. */
WSAIO_EXPORT HRESULT StringCbLengthA(STRSAFE_LPCSTR psz, size_t cbMax, size_t *pcbLength);

#ifndef UNICODE
#define StringCchCopy    StringCchCopyA
#define StringCchCopyN   StringCchCopyNA
#define StringCchCat     StringCchCatA
#define StringCchCatN    StringCchCatNA
#define StringCchPrintf  StringCchPrintfA
#define StringCchVPrintf StringCchVPrintfA
#define StringCchLength  StringCchLengthA
#define StringCbCopy     StringCbCopyA
#define StringCbCopyN    StringCbCopyNA
#define StringCbCat      StringCbCatA
#define StringCbCatN     StringCbCatNA
#define StringCbPrintf   StringCbPrintfA
#define StringCbVPrintf  StringCbVPrintfA
#define StringCbLength   StringCbLengthA
#endif

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_STRSAFE_H */
