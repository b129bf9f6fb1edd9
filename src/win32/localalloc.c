/*
 * localalloc.c - LocalAlloc and GlobalAlloc: blocks of the process heap. The two families
 * are one on 32- and 64-bit Windows too; moveable memory is fixed here (handle ==
 * address), which every use through Lock/Unlock cannot tell apart.
 */
#include "base/error.h"
#include "win32/heap.h"

#define KNOWN_FLAGS (LMEM_MOVEABLE | LMEM_ZEROINIT | 0x0F00 /* discard/no-compact hints */)

WSAIO_EXPORT HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes)
{
    LPVOID p;

    if (uFlags & ~(UINT)KNOWN_FLAGS) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    p = HeapAlloc(GetProcessHeap(), (uFlags & LMEM_ZEROINIT) ? HEAP_ZERO_MEMORY : 0, uBytes);
    if (!p)
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

/* hMem is a live block of the process heap; else ERROR_INVALID_HANDLE. */
static bool valid(HLOCAL hMem)
{
    if (wsaio_heap_owns(GetProcessHeap(), hMem))
        return true;
    wsaio_set_error(ERROR_INVALID_HANDLE);
    return false;
}

WSAIO_EXPORT HLOCAL WINAPI LocalReAlloc(HLOCAL hMem, SIZE_T uBytes, UINT uFlags)
{
    LPVOID p;

    if (!valid(hMem))
        return NULL;
    p = HeapReAlloc(GetProcessHeap(), (uFlags & LMEM_ZEROINIT) ? HEAP_ZERO_MEMORY : 0, hMem,
                    uBytes);
    if (!p)
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

WSAIO_EXPORT HLOCAL WINAPI LocalFree(HLOCAL hMem)
{
    if (!hMem)
        return NULL;
    if (!valid(hMem))
        return hMem;
    HeapFree(GetProcessHeap(), 0, hMem);
    return NULL;
}

WSAIO_EXPORT SIZE_T WINAPI LocalSize(HLOCAL hMem)
{
    return valid(hMem) ? HeapSize(GetProcessHeap(), 0, hMem) : 0;
}

WSAIO_EXPORT LPVOID WINAPI LocalLock(HLOCAL hMem)
{
    return valid(hMem) ? hMem : NULL;
}

WSAIO_EXPORT BOOL WINAPI LocalUnlock(HLOCAL hMem)
{
    if (valid(hMem))
        wsaio_set_error(ERROR_NOT_LOCKED);
    return FALSE;
}

WSAIO_EXPORT HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes)
{
    return LocalAlloc(uFlags, dwBytes);
}

WSAIO_EXPORT HGLOBAL WINAPI GlobalReAlloc(HGLOBAL hMem, SIZE_T dwBytes, UINT uFlags)
{
    return LocalReAlloc(hMem, dwBytes, uFlags);
}

WSAIO_EXPORT HGLOBAL WINAPI GlobalFree(HGLOBAL hMem)
{
    return LocalFree(hMem);
}

WSAIO_EXPORT SIZE_T WINAPI GlobalSize(HGLOBAL hMem)
{
    return LocalSize(hMem);
}

WSAIO_EXPORT LPVOID WINAPI GlobalLock(HGLOBAL hMem)
{
    return LocalLock(hMem);
}

WSAIO_EXPORT BOOL WINAPI GlobalUnlock(HGLOBAL hMem)
{
    return LocalUnlock(hMem);
}
