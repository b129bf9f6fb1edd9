/*
 * winnt.h - the NT base types (in wsaio they live in windef.h, one place for every width
 * decision), the text type TCHAR and the small macros Windows programs take from here.
 */
#ifndef WSAIO_WINNT_H
#define WSAIO_WINNT_H

#include "windef.h"

#include <stddef.h>

/* Silences "unused parameter/variable" as on Windows. */
#define UNREFERENCED_PARAMETER(P)          ((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P)      ((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))

/* The offset of a member, and the record that holds a member at address (completion-port
 * servers find their per-I/O context from the OVERLAPPED a packet carries). */
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define CONTAINING_RECORD(address, type, field)                                                    \
    ((type *)((PCHAR)(address) - (ULONG_PTR)offsetof(type, field)))

/*
 * TCHAR text: char unless UNICODE is defined (then WCHAR, 16-bit as on Windows, and TEXT
 * makes a u"" literal, which only C accepts as a WCHAR array; see docs/porting.md on wide
 * characters).
 */
#ifdef UNICODE
typedef WCHAR TCHAR, *PTCHAR;
typedef LPWSTR LPTSTR, PTSTR;
typedef LPCWSTR LPCTSTR, PCTSTR;
#define WSAIO_TEXT_(s) u##s
#else
typedef char TCHAR, *PTCHAR;
typedef LPSTR LPTSTR, PTSTR;
typedef LPCSTR LPCTSTR, PCTSTR;
#define WSAIO_TEXT_(s) s
#endif
#define TEXT(s)   WSAIO_TEXT_(s)
#define __TEXT(s) WSAIO_TEXT_(s)

#endif /* WSAIO_WINNT_H */
