/*
 * heapapi.h - heaps: the process heap and private heaps (HeapCreate), with the HEAP_*
 * flags programs pass. Blocks are 16-byte aligned. HeapSize reports the size asked for.
 * A private heap's blocks are all freed by HeapDestroy. HeapAlloc and HeapReAlloc do not
 * set the last error when they fail (as documented for Windows).
 */
#ifndef WSAIO_HEAPAPI_H
#define WSAIO_HEAPAPI_H

#include "windef.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HEAP_NO_SERIALIZE          0x00000001
#define HEAP_GROWABLE              0x00000002
#define HEAP_GENERATE_EXCEPTIONS   0x00000004
#define HEAP_ZERO_MEMORY           0x00000008
#define HEAP_REALLOC_IN_PLACE_ONLY 0x00000010
#define HEAP_CREATE_ENABLE_EXECUTE 0x00040000

/** GetProcessHeap - the process heap (never NULL; HeapDestroy refuses it). */
WSAIO_EXPORT HANDLE WINAPI GetProcessHeap(void);
/**
 * HeapCreate - a private heap. dwMaximumSize 0: growable; otherwise the blocks it holds at
 * once may not total more than that. dwInitialSize is a hint.
 */
WSAIO_EXPORT HANDLE WINAPI HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize);
/** HeapDestroy - frees a private heap with every block in it. */
WSAIO_EXPORT BOOL WINAPI HeapDestroy(HANDLE hHeap);
/** HeapAlloc - dwBytes from the heap, zeroed with HEAP_ZERO_MEMORY; NULL when out of memory. */
WSAIO_EXPORT LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes);
/**
 * HeapReAlloc - resizes a block (moving it unless HEAP_REALLOC_IN_PLACE_ONLY); the part
 * added is zeroed with HEAP_ZERO_MEMORY. NULL on failure, the old block untouched.
 */
WSAIO_EXPORT LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes);
/**
 * HeapFree - frees a block (NULL: nothing, TRUE). FALSE with ERROR_INVALID_PARAMETER for a
 * block of another heap.
 */
WSAIO_EXPORT BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem);
/** HeapSize - the size the block was allocated with; (SIZE_T)-1 on error. */
WSAIO_EXPORT SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem);
/** HeapValidate - TRUE if lpMem (or, NULL, the heap) is valid. */
WSAIO_EXPORT BOOL WINAPI HeapValidate(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem);

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_HEAPAPI_H */
