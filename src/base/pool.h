/*
 * pool.h - free lists of fixed-size records (operation records, the epoll backend's
 * per-socket state), so that the hot path takes a record without allocating once the
 * pool is warm; and the trim that gives a peak's records back to the system.
 *
 * A pool holds at most WSAIO_POOL_KEEP free records, or as many as are in use (a burst
 * like the last allocates nothing); when a peak ends, the records beyond that are freed
 * as they are put back.
 * When wsaio has been idle (the progress thread saw no operation for a while) each pool
 * keeps WSAIO_POOL_KEEP records and frees the rest; WSACleanup frees them all. Either way
 * the C library is then asked to return the free pages (malloc_trim), so that the
 * resident set comes back down.
 */
#ifndef WSAIO_BASE_POOL_H
#define WSAIO_BASE_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#define WSAIO_POOL_KEEP 256 /* records an idle pool keeps for the next burst */

struct wsaio_pool {
    size_t size;             /* bytes per record (at least a pointer) */
    void (*release)(void *); /* frees what a pooled record owns before it is freed, or NULL */
    pthread_mutex_t lock;    /* guards the fields below */
    void *free;              /* records linked through their first word */
    size_t count;            /* records on the free list */
    size_t in_use;           /* records handed out and not put back */
    bool listed;             /* on the list of pools wsaio_pool_trim_all() trims */
    struct wsaio_pool *next; /* that list */
};

#define WSAIO_POOL_INIT(record_size, release_fn)                                                   \
    {                                                                                              \
        .size = (record_size), .release = (release_fn), .lock = PTHREAD_MUTEX_INITIALIZER          \
    }

/* A record: from the free list as it was put back, else a new one from calloc. NULL when
 * out of memory. */
void *wsaio_pool_get(struct wsaio_pool *p);

/* Puts a record back on the free list. */
void wsaio_pool_put(struct wsaio_pool *p, void *rec);

/* Frees every pool's records beyond keep, then has the C library return free pages to
 * the system if 64 KB or more of records were freed since it last did (always, with
 * force). */
void wsaio_pool_trim_all(size_t keep, bool force);

/* Fork (fork.c): every pool's lock is taken before fork, so that no free list is copied
 * half updated, and released in the parent / made anew in the child after it. */
void wsaio_pool_fork_prepare(void);
void wsaio_pool_fork_parent(void);
void wsaio_pool_fork_child(void);

#endif /* WSAIO_BASE_POOL_H */
