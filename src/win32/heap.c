/*
 * heap.c - HeapCreate/HeapAlloc and friends over malloc. Each block starts with a header
 * (32 bytes, so the caller's memory keeps malloc's 16-byte alignment) naming its heap and
 * the size asked for; a private heap links its blocks so that HeapDestroy frees them all.
 * The process heap keeps no list (it is never destroyed) and so takes no lock.
 */
#include <stdbool.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/lockorder.h"
#include "win32/heap.h"

#define HEAP_MAGIC  0x48656170u /* "Heap" */
#define FREED_MAGIC 0u

struct block {
    struct heap *heap;
    SIZE_T size;
    struct block *prev, *next; /* private heaps only */
};

struct heap {
    uint32_t magic;
    bool tracked; /* a private heap: blocks linked, used counted */
    SIZE_T max;   /* 0: growable */
    SIZE_T used;
    pthread_mutex_t lock;
    struct block list; /* sentinel */
};

static struct heap process_heap = {HEAP_MAGIC, false, 0, 0, PTHREAD_MUTEX_INITIALIZER, {0}};

static struct block *block_of(LPCVOID p)
{
    return (struct block *)p - 1;
}

static struct heap *heap_of(HANDLE h)
{
    struct heap *heap = (struct heap *)h;

    return heap && heap->magic == HEAP_MAGIC ? heap : NULL;
}

bool wsaio_heap_owns(HANDLE heap, LPCVOID p)
{
    return p && block_of(p)->heap == heap_of(heap);
}

WSAIO_EXPORT HANDLE WINAPI GetProcessHeap(void)
{
    return &process_heap;
}

WSAIO_EXPORT HANDLE WINAPI HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize)
{
    struct heap *heap;

    (void)flOptions;
    if (dwMaximumSize && dwInitialSize > dwMaximumSize) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    heap = calloc(1, sizeof(*heap));
    if (!heap) {
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    heap->magic = HEAP_MAGIC;
    heap->tracked = true;
    heap->max = dwMaximumSize;
    pthread_mutex_init(&heap->lock, NULL);
    heap->list.prev = heap->list.next = &heap->list;
    return heap;
}

static void link_block(struct heap *heap, struct block *b)
{
    b->next = heap->list.next;
    b->prev = &heap->list;
    b->next->prev = b;
    heap->list.next = b;
    heap->used += b->size;
}

static void unlink_block(struct heap *heap, struct block *b)
{
    b->prev->next = b->next;
    b->next->prev = b->prev;
    heap->used -= b->size;
}

WSAIO_EXPORT BOOL WINAPI HeapDestroy(HANDLE hHeap)
{
    struct heap *heap = heap_of(hHeap);

    if (!heap || !heap->tracked) {
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    while (heap->list.next != &heap->list) {
        struct block *b = heap->list.next;

        unlink_block(heap, b);
        b->heap = NULL;
        free(b);
    }
    heap->magic = FREED_MAGIC;
    pthread_mutex_destroy(&heap->lock);
    free(heap);
    return TRUE;
}

/* Room for size more bytes in a fixed-size heap (caller holds the lock). */
static bool fits(const struct heap *heap, SIZE_T old, SIZE_T size)
{
    return !heap->max || (size <= old || size - old <= heap->max - heap->used);
}

WSAIO_EXPORT LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)
{
    struct heap *heap = heap_of(hHeap);
    struct block *b;

    if (!heap || dwBytes > SIZE_MAX / 2)
        return NULL;
    b = (dwFlags & HEAP_ZERO_MEMORY) ? calloc(1, sizeof(*b) + dwBytes)
                                     : malloc(sizeof(*b) + dwBytes);
    if (!b)
        return NULL;
    b->heap = heap;
    b->size = dwBytes;
    if (heap->tracked) {
        wsaio_lock(&heap->lock, WSAIO_RANK_LEAF);
        if (!fits(heap, 0, dwBytes)) {
            wsaio_unlock(&heap->lock, WSAIO_RANK_LEAF);
            free(b);
            return NULL;
        }
        link_block(heap, b);
        wsaio_unlock(&heap->lock, WSAIO_RANK_LEAF);
    }
    return b + 1;
}

/* The block p names in heap, or NULL (last error set) when it is not one of heap's. */
static struct block *own_block(struct heap *heap, LPCVOID p)
{
    if (!heap || !p || block_of(p)->heap != heap) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return block_of(p);
}

WSAIO_EXPORT BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem)
{
    struct heap *heap = heap_of(hHeap);
    struct block *b;

    (void)dwFlags;
    if (!lpMem)
        return TRUE;
    if (!(b = own_block(heap, lpMem)))
        return FALSE;
    if (heap->tracked) {
        wsaio_lock(&heap->lock, WSAIO_RANK_LEAF);
        unlink_block(heap, b);
        wsaio_unlock(&heap->lock, WSAIO_RANK_LEAF);
    }
    b->heap = NULL; /* a second free is refused instead of corrupting malloc */
    free(b);
    return TRUE;
}

WSAIO_EXPORT LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes)
{
    struct heap *heap = heap_of(hHeap);
    struct block *b = own_block(heap, lpMem), *nb;
    SIZE_T old;

    if (!b || dwBytes > SIZE_MAX / 2)
        return NULL;
    old = b->size;
    if (dwFlags & HEAP_REALLOC_IN_PLACE_ONLY) {
        if (dwBytes > malloc_usable_size(b) - sizeof(*b))
            return NULL;
        nb = b;
    } else {
        nb = NULL;
    }
    if (heap->tracked) {
        wsaio_lock(&heap->lock, WSAIO_RANK_LEAF);
        if (!fits(heap, old, dwBytes)) {
            wsaio_unlock(&heap->lock, WSAIO_RANK_LEAF);
            return NULL;
        }
        unlink_block(heap, b);
    }
    if (!nb)
        nb = realloc(b, sizeof(*b) + dwBytes);
    if (!nb) {
        if (heap->tracked) {
            link_block(heap, b);
            wsaio_unlock(&heap->lock, WSAIO_RANK_LEAF);
        }
        return NULL;
    }
    nb->size = dwBytes;
    if (heap->tracked) {
        link_block(heap, nb);
        wsaio_unlock(&heap->lock, WSAIO_RANK_LEAF);
    }
    if ((dwFlags & HEAP_ZERO_MEMORY) && dwBytes > old)
        memset((char *)(nb + 1) + old, 0, dwBytes - old);
    return nb + 1;
}

WSAIO_EXPORT SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem)
{
    struct block *b = own_block(heap_of(hHeap), lpMem);

    (void)dwFlags;
    return b ? b->size : (SIZE_T)-1;
}

WSAIO_EXPORT BOOL WINAPI HeapValidate(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem)
{
    (void)dwFlags;
    if (!heap_of(hHeap))
        return FALSE;
    return !lpMem || (block_of(lpMem)->heap == heap_of(hHeap));
}
