/*
 * w_heap.c - conformance section W (kernel32): heaps and LocalAlloc/GlobalAlloc.
 *
 * What Windows does (Microsoft's HeapAlloc, HeapReAlloc, HeapSize, HeapCreate, LocalAlloc,
 * LocalFree pages): HEAP_ZERO_MEMORY zeroes, HeapSize is the requested size, a resize keeps
 * the contents, HEAP_REALLOC_IN_PLACE_ONLY fails rather than move, a heap created with a
 * maximum size cannot grow past it, LocalFree returns NULL on success. Covers item W.342.
 */
#include "harness.h"

static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = (const unsigned char *)p;

    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

TEST(w342_process_heap_alloc_size_realloc_free)
{
    HANDLE heap = GetProcessHeap();
    char *p, *q;

    CHECK(heap != NULL);
    p = (char *)HeapAlloc(heap, HEAP_ZERO_MEMORY, 100);
    CHECK(p != NULL);
    CHECK(all_zero(p, 100));
    CHECK(((ULONG_PTR)p & 15) == 0 || sizeof(void *) == 4);
    CHECK_EQ(HeapSize(heap, 0, p), (SIZE_T)100);
    memset(p, 'x', 100);
    q = (char *)HeapReAlloc(heap, HEAP_ZERO_MEMORY, p, 5000);
    CHECK(q != NULL);
    CHECK_EQ(HeapSize(heap, 0, q), (SIZE_T)5000);
    CHECK(q[0] == 'x' && q[99] == 'x');
    CHECK(all_zero(q + 100, 4900));
    /* Growing a block a hundredfold in place: refused, and the block stays as it was. */
    CHECK(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, q, 64 * 1024 * 1024) == NULL);
    CHECK_EQ(HeapSize(heap, 0, q), (SIZE_T)5000);
    CHECK(q[99] == 'x');
    CHECK(HeapFree(heap, 0, q));
    CHECK(HeapFree(heap, 0, NULL));
}

TEST(w342_private_heap_with_a_maximum)
{
    HANDLE heap = HeapCreate(0, 0, 64 * 1024);
    void *p;

    CHECK(heap != NULL);
    p = HeapAlloc(heap, 0, 1000);
    CHECK(p != NULL);
    CHECK(HeapAlloc(heap, 0, 256 * 1024) == NULL); /* beyond the heap's maximum */
    CHECK(HeapFree(heap, 0, p));
    CHECK(HeapAlloc(heap, 0, 2000) != NULL);
    CHECK(HeapDestroy(heap)); /* frees the block still in it */
}

TEST(w342_growable_private_heap_destroyed_with_blocks)
{
    HANDLE heap = HeapCreate(0, 0, 0);
    int i;

    CHECK(heap != NULL);
    for (i = 0; i < 100; i++)
        CHECK(HeapAlloc(heap, 0, 1000 + (SIZE_T)i) != NULL);
    CHECK(HeapAlloc(heap, 0, 1024 * 1024) != NULL);
    CHECK(HeapDestroy(heap));
}

TEST(w342_local_and_global_alloc)
{
    char *p = (char *)LocalAlloc(LPTR, 64);
    char *g = (char *)GlobalAlloc(GPTR, 32);
    HLOCAL h;

    CHECK(p != NULL && g != NULL);
    CHECK(all_zero(p, 64) && all_zero(g, 32));
    CHECK_EQ(LocalSize(p), (SIZE_T)64);
    CHECK_EQ(GlobalSize(g), (SIZE_T)32);
    p[0] = 'a';
    h = LocalReAlloc(p, 128, LMEM_MOVEABLE | LMEM_ZEROINIT);
    CHECK(h != NULL);
    p = (char *)h;
    CHECK(p[0] == 'a' && all_zero(p + 64, 64));
    CHECK(LocalFree(p) == NULL);
    CHECK(GlobalFree(g) == NULL);
    CHECK(LocalFree(NULL) == NULL);
    h = LocalAlloc(LHND, 16); /* moveable: lock for the address */
    CHECK(h != NULL);
    p = (char *)LocalLock(h);
    CHECK(p != NULL && all_zero(p, 16));
    LocalUnlock(h);
    CHECK(LocalFree(h) == NULL);
}
