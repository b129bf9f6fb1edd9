/*
 * pool.c - record pools and their trim (pool.h).
 */
#include "base/pool.h"

#include "base/lockorder.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_ASAN 1
#endif
#endif
#ifdef POOL_ASAN
#include <sanitizer/asan_interface.h>
#else
#define ASAN_POISON_MEMORY_REGION(addr, size)   ((void)(addr), (void)(size))
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#endif

/* A pooled record is poisoned for AddressSanitizer but for its link word, so that a use
 * after wsaio_pool_put() is reported as it would be after free(). */
static void poison(struct wsaio_pool *p, void *rec)
{
    ASAN_POISON_MEMORY_REGION((char *)rec + sizeof(void *), p->size - sizeof(void *));
}

static pthread_mutex_t pools_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wsaio_pool *pools; /* every pool that ever handed out a record */

void *wsaio_pool_get(struct wsaio_pool *p)
{
    void *rec;

    wsaio_lock(&p->lock, WSAIO_RANK_POOL);
    rec = p->free;
    if (rec) {
        p->free = *(void **)rec;
        p->count--;
        ASAN_UNPOISON_MEMORY_REGION(rec, p->size);
    }
    p->in_use++; /* taken back below if calloc fails */
    wsaio_unlock(&p->lock, WSAIO_RANK_POOL);
    if (rec)
        return rec;
    if (!__atomic_load_n(&p->listed, __ATOMIC_ACQUIRE)) {
        wsaio_lock(&pools_lock, WSAIO_RANK_POOLS);
        if (!p->listed) {
            p->next = pools;
            pools = p;
            __atomic_store_n(&p->listed, true, __ATOMIC_RELEASE);
        }
        wsaio_unlock(&pools_lock, WSAIO_RANK_POOLS);
    }
    rec = calloc(1, p->size);
    if (!rec) {
        wsaio_lock(&p->lock, WSAIO_RANK_POOL);
        p->in_use--;
        wsaio_unlock(&p->lock, WSAIO_RANK_POOL);
    }
    return rec;
}

/* Bytes of records freed since the last malloc_trim. */
static _Atomic size_t freed_since_trim;

static void release_and_free(struct wsaio_pool *p, void *rec)
{
    ASAN_UNPOISON_MEMORY_REGION(rec, p->size);
    if (p->release)
        p->release(rec);
    free(rec);
    atomic_fetch_add_explicit(&freed_since_trim, p->size, memory_order_relaxed);
}

/* Keeps count <= max(WSAIO_POOL_KEEP, in_use): the limit falls by one at each put, so a
 * put that finds the list full frees its record and one more. */
void wsaio_pool_put(struct wsaio_pool *p, void *rec)
{
    void *extra = NULL;
    size_t limit;

    wsaio_lock(&p->lock, WSAIO_RANK_POOL);
    p->in_use--;
    limit = p->in_use > WSAIO_POOL_KEEP ? p->in_use : WSAIO_POOL_KEEP;
    if (p->count < limit) {
        *(void **)rec = p->free;
        p->free = rec;
        p->count++;
        poison(p, rec);
        rec = NULL;
    } else if (p->count > limit) {
        extra = p->free;
        p->free = *(void **)extra;
        p->count--;
    }
    wsaio_unlock(&p->lock, WSAIO_RANK_POOL);
    if (rec) /* the end of a peak: more free than in use */
        release_and_free(p, rec);
    if (extra)
        release_and_free(p, extra);
}

/* Takes the records beyond keep off p's free list (freed by the caller, unlocked). */
static void *take_excess(struct wsaio_pool *p, size_t keep)
{
    void *excess = NULL, **link;

    wsaio_lock(&p->lock, WSAIO_RANK_POOL);
    if (p->count > keep) {
        link = &p->free;
        for (size_t i = 0; i < keep; i++)
            link = (void **)*link;
        excess = *link;
        *link = NULL;
        p->count = keep;
    }
    wsaio_unlock(&p->lock, WSAIO_RANK_POOL);
    return excess;
}

void wsaio_pool_fork_prepare(void)
{
    /* pools_lock before a pool's lock, as wsaio_pool_trim_all() takes them. */
    pthread_mutex_lock(&pools_lock);
    for (struct wsaio_pool *p = pools; p; p = p->next)
        pthread_mutex_lock(&p->lock);
}

void wsaio_pool_fork_parent(void)
{
    for (struct wsaio_pool *p = pools; p; p = p->next)
        pthread_mutex_unlock(&p->lock);
    pthread_mutex_unlock(&pools_lock);
}

void wsaio_pool_fork_child(void)
{
    /* Held by this thread since wsaio_pool_fork_prepare(), so no free list is half
     * updated. Made anew rather than unlocked: the owner thread id changed. A pool never
     * listed has never handed out a record: nothing in it to be half updated. */
    pthread_mutex_init(&pools_lock, NULL);
    for (struct wsaio_pool *p = pools; p; p = p->next)
        pthread_mutex_init(&p->lock, NULL);
}

void wsaio_pool_trim_all(size_t keep, bool force)
{
    wsaio_lock(&pools_lock, WSAIO_RANK_POOLS);
    for (struct wsaio_pool *p = pools; p; p = p->next) {
        void *rec = take_excess(p, keep);

        while (rec) {
            void *next = *(void **)rec;

            release_and_free(p, rec);
            rec = next;
        }
    }
    wsaio_unlock(&pools_lock, WSAIO_RANK_POOLS);
    /* free() returns memory only from the top of the heap; the records of a peak sit
     * below other allocations (socket records, the program's), so ask for the pages. A
     * few records' worth is not worth the walk. */
    if (atomic_exchange_explicit(&freed_since_trim, 0, memory_order_relaxed) >= 64 * 1024 || force)
        malloc_trim(0);
}
