/*
 * lockorder.h - the one order in which wsaio's locks nest, checked in debug builds.
 *
 * A thread may take a lock only while every lock it holds ranks before it (a smaller
 * rank): the list below, outermost first. Builds without NDEBUG (the test stages) keep
 * the ranks each thread holds in a thread-local mask and abort with both ranks named on
 * the first violation, so a new nesting that could deadlock fails the suite the first time
 * it runs, not once in a million runs. With NDEBUG (Release, the benchmarks) the wrappers
 * are plain pthread calls.
 *
 * Lock-free paths (refslot lookups, futex words, APC pushes) take no lock and are not
 * listed. The fork prepare handlers take several locks of one rank at once (every pool's):
 * they run with all other threads stopped at the fork and use pthread calls directly.
 */
#ifndef WSAIO_BASE_LOCKORDER_H
#define WSAIO_BASE_LOCKORDER_H

#include <pthread.h>
#include <stdint.h>

enum wsaio_lock_rank {
    WSAIO_RANK_STARTUP = 1,  /* api/startup.c: WSAStartup / WSACleanup */
    WSAIO_RANK_SOCKET_TABLE, /* core/socket.c: registration, adoption, closing a descriptor */
    WSAIO_RANK_DEFERRED,     /* api/accept_connect.c: connections WSAAccept deferred */
    WSAIO_RANK_SOCKET,       /* a socket's sk->lock: its queues, flags, WSAEventSelect record */
    WSAIO_RANK_NE_RELEASE,   /* core/netevents.c: the watcher's registrations */
    WSAIO_RANK_NETCHANGE,    /* core/netchange.c: the address-change requests */
    WSAIO_RANK_PORT,         /* core/port.c: a completion port's packets */
    WSAIO_RANK_BACKEND,      /* backend/: io_uring's submission lock, epoll's registrations */
    WSAIO_RANK_RESOURCES,    /* base/resources.c: lazy setups, own descriptors (recursive) */
    WSAIO_RANK_POOLS,        /* base/pool.c: the list of pools */
    WSAIO_RANK_POOL,         /* base/pool.c: one pool's free list */
    WSAIO_RANK_HANDLES,      /* base/handle.c: the handle table's free list */
    WSAIO_RANK_LEAF,         /* kernel32 leaves: TLS slots, a heap, console handlers */
};

#ifdef NDEBUG
static inline void wsaio_lock(pthread_mutex_t *m, enum wsaio_lock_rank rank)
{
    (void)rank;
    pthread_mutex_lock(m);
}

static inline void wsaio_unlock(pthread_mutex_t *m, enum wsaio_lock_rank rank)
{
    (void)rank;
    pthread_mutex_unlock(m);
}
#else
/* The ranks the calling thread holds: bit r for rank r; the recursive lock's depth. */
extern __thread uint32_t wsaio_ranks_held __attribute__((tls_model("initial-exec")));
extern __thread uint8_t wsaio_resources_depth __attribute__((tls_model("initial-exec")));

/* Prints the violation and aborts. */
void wsaio_lockorder_violation(enum wsaio_lock_rank taking, uint32_t held);

static inline void wsaio_lock(pthread_mutex_t *m, enum wsaio_lock_rank rank)
{
    uint32_t at_or_after = ~((1u << rank) - 1);

    if (rank == WSAIO_RANK_RESOURCES && wsaio_resources_depth++) /* taken again: recursive */
        at_or_after = ~((1u << (rank + 1)) - 1);
    if (wsaio_ranks_held & at_or_after)
        wsaio_lockorder_violation(rank, wsaio_ranks_held);
    pthread_mutex_lock(m);
    wsaio_ranks_held |= 1u << rank;
}

static inline void wsaio_unlock(pthread_mutex_t *m, enum wsaio_lock_rank rank)
{
    if (rank != WSAIO_RANK_RESOURCES || --wsaio_resources_depth == 0)
        wsaio_ranks_held &= ~(1u << rank);
    pthread_mutex_unlock(m);
}
#endif

#endif /* WSAIO_BASE_LOCKORDER_H */
