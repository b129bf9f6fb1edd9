/*
 * pool.c - record pools and their trim (pool.h).
 */
#include "core/pool.h"

#include <malloc.h>
#include <stdlib.h>

static pthread_mutex_t pools_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wsaio_pool *pools; /* every pool that ever handed out a record */

void *wsaio_pool_get(struct wsaio_pool *p)
{
    void *rec;

    pthread_mutex_lock(&p->lock);
    rec = p->free;
    if (rec) {
        p->free = *(void **)rec;
        p->count--;
    }
    pthread_mutex_unlock(&p->lock);
    if (rec)
        return rec;
    if (!__atomic_load_n(&p->listed, __ATOMIC_ACQUIRE)) {
        pthread_mutex_lock(&pools_lock);
        if (!p->listed) {
            p->next = pools;
            pools = p;
            __atomic_store_n(&p->listed, true, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&pools_lock);
    }
    return calloc(1, p->size);
}

void wsaio_pool_put(struct wsaio_pool *p, void *rec)
{
    pthread_mutex_lock(&p->lock);
    *(void **)rec = p->free;
    p->free = rec;
    p->count++;
    pthread_mutex_unlock(&p->lock);
}

/* Takes the records beyond keep off p's free list (freed by the caller, unlocked). */
static void *take_excess(struct wsaio_pool *p, size_t keep)
{
    void *excess = NULL, **link;

    pthread_mutex_lock(&p->lock);
    if (p->count > keep) {
        link = &p->free;
        for (size_t i = 0; i < keep; i++)
            link = (void **)*link;
        excess = *link;
        *link = NULL;
        p->count = keep;
    }
    pthread_mutex_unlock(&p->lock);
    return excess;
}

void wsaio_pool_trim_all(size_t keep, bool force)
{
    bool freed = false;

    pthread_mutex_lock(&pools_lock);
    for (struct wsaio_pool *p = pools; p; p = p->next) {
        void *rec = take_excess(p, keep);

        while (rec) {
            void *next = *(void **)rec;

            if (p->release)
                p->release(rec);
            free(rec);
            rec = next;
            freed = true;
        }
    }
    pthread_mutex_unlock(&pools_lock);
    /* free() returns memory only from the top of the heap; the records of a peak sit
     * below other allocations (socket records, the program's), so ask for the pages. */
    if (freed || force)
        malloc_trim(0);
}
