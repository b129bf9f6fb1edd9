/*
 * heap.h - the heap blocks behind HeapAlloc, LocalAlloc and GlobalAlloc (heap.c).
 */
#ifndef WSAIO_WIN32_HEAP_H
#define WSAIO_WIN32_HEAP_H

#include <heapapi.h>
#include <stdbool.h>

/* True if p is a live block of the process heap (LocalFree's handle check). */
bool wsaio_heap_owns(HANDLE heap, LPCVOID p);

#endif /* WSAIO_WIN32_HEAP_H */
