/*
 * windef.h - Windows base types with Windows widths, for programs compiled on Linux
 * against wsaio.
 *
 * Windows is LLP64 and Linux is LP64: `long` is 64-bit here, so no 32-bit Windows type is
 * declared with `long` (DWORD, ULONG, LONG and u_long are 32-bit, as on Windows). Pointer
 * sized types follow the pointer. WINAPI, WSAAPI and CALLBACK expand to nothing: every
 * entry point uses the platform's C calling convention.
 */
#ifndef WSAIO_WINDEF_H
#define WSAIO_WINDEF_H

#include <stddef.h>
#include <stdint.h>

#include "msvc_keywords.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#error "wsaio's windef.h is for Linux; on Windows use the system headers"
#endif

/* Symbol visibility: the library is built with -fvisibility=hidden. */
#if defined(WSAIO_BUILDING) && defined(__GNUC__)
#define WSAIO_EXPORT __attribute__((visibility("default")))
#else
#define WSAIO_EXPORT
#endif

#define WINAPI
#define WSAAPI
#define CALLBACK
#define APIENTRY
#define NTAPI
#define WINBASEAPI
#define FAR
#define NEAR
#define IN
#define OUT
#define OPTIONAL
#define CONST const
#define VOID  void

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

typedef int32_t BOOL, *PBOOL, *LPBOOL;
typedef uint8_t BYTE, *PBYTE, *LPBYTE;
typedef uint8_t UCHAR, *PUCHAR;
typedef uint8_t BOOLEAN, *PBOOLEAN;
typedef char CHAR, *PCHAR, *LPSTR, *PSTR;
typedef const char *LPCSTR, *PCSTR;
typedef int16_t SHORT, *PSHORT;
typedef uint16_t WORD, *PWORD, *LPWORD;
typedef uint16_t USHORT, *PUSHORT;
typedef uint16_t WCHAR, *PWCHAR, *LPWSTR, *PWSTR;
typedef const uint16_t *LPCWSTR, *PCWSTR;
typedef uint32_t DWORD, *PDWORD, *LPDWORD;
typedef uint32_t ULONG, *PULONG;
typedef uint32_t UINT, *PUINT;
typedef int32_t LONG, *PLONG, *LPLONG;
typedef int32_t INT, *PINT, *LPINT;
typedef int64_t LONGLONG, *PLONGLONG;
typedef uint64_t ULONGLONG, *PULONGLONG;
typedef uint64_t DWORD64, *PDWORD64;
typedef uint64_t ULONG64, *PULONG64;
typedef int64_t LONG64, *PLONG64;
typedef uintptr_t ULONG_PTR, *PULONG_PTR;
typedef uintptr_t UINT_PTR, *PUINT_PTR;
typedef uintptr_t DWORD_PTR, *PDWORD_PTR;
typedef uintptr_t SIZE_T, *PSIZE_T;
typedef intptr_t LONG_PTR, *PLONG_PTR;
typedef intptr_t INT_PTR, *PINT_PTR;
typedef intptr_t SSIZE_T;
typedef void *PVOID, *LPVOID;
typedef const void *LPCVOID;
typedef void *HANDLE, **PHANDLE, **LPHANDLE;
typedef HANDLE HMODULE, HINSTANCE;
typedef int32_t NTSTATUS;
typedef LONG HRESULT;
typedef ULONG_PTR WPARAM;
typedef LONG_PTR LPARAM;

typedef union _LARGE_INTEGER {
    struct {
        DWORD LowPart;
        LONG HighPart;
    };
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        DWORD LowPart;
        DWORD HighPart;
    };
    struct {
        DWORD LowPart;
        DWORD HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _GUID {
    DWORD Data1;
    WORD Data2;
    WORD Data3;
    BYTE Data4[8];
} GUID, *LPGUID;
typedef const GUID *LPCGUID;
#define REFGUID const GUID *

typedef struct _SECURITY_ATTRIBUTES {
    DWORD nLength;
    LPVOID lpSecurityDescriptor;
    BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

/* OVERLAPPED: Internal holds the NTSTATUS, InternalHigh the byte count (api.md 1.4). */
typedef struct _OVERLAPPED {
    ULONG_PTR Internal;
    ULONG_PTR InternalHigh;
    union {
        struct {
            DWORD Offset;
            DWORD OffsetHigh;
        };
        PVOID Pointer;
    };
    HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;

typedef struct _OVERLAPPED_ENTRY {
    ULONG_PTR lpCompletionKey;
    LPOVERLAPPED lpOverlapped;
    ULONG_PTR Internal;
    DWORD dwNumberOfBytesTransferred;
} OVERLAPPED_ENTRY, *LPOVERLAPPED_ENTRY;

#define MAKEWORD(a, b)                                                                             \
    ((WORD)(((BYTE)((DWORD_PTR)(a)&0xff)) | ((WORD)((BYTE)((DWORD_PTR)(b)&0xff))) << 8))
#define MAKELONG(a, b)                                                                             \
    ((LONG)(((WORD)((DWORD_PTR)(a)&0xffff)) | ((DWORD)((WORD)((DWORD_PTR)(b)&0xffff))) << 16))
#define LOWORD(l) ((WORD)((DWORD_PTR)(l)&0xffff))
#define HIWORD(l) ((WORD)((DWORD_PTR)(l) >> 16))
#define LOBYTE(w) ((BYTE)((DWORD_PTR)(w)&0xff))
#define HIBYTE(w) ((BYTE)((DWORD_PTR)(w) >> 8))

#define MAX_PATH 260

/* As on Windows, unless the program defines NOMINMAX (C++ code using std::min does). */
#ifndef NOMINMAX
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#endif

#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_WINDEF_H */
