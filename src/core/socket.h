/*
 * socket.h - the socket table: SOCKET (the Linux descriptor number) -> per-socket record.
 *
 * Sockets made through wsaio (WSASocket, socket, accept) are registered at creation; any
 * other socket descriptor the program hands us is adopted on first use, with the
 * overlapped attribute, as socket() would give it.
 *
 * Two lifetimes meet here. The slot of a descriptor number is a refslot (refslot.h): every
 * API call holds a slot reference for its duration, and the descriptor is closed when
 * closesocket has run and the last such call has returned, so the kernel cannot hand the
 * number to a new socket while an old call still uses it. The record itself is counted
 * separately: the slot holds one reference and every pending overlapped operation holds
 * one, so an operation that completes after closesocket still finds its queues, while the
 * number is already free for the next socket.
 */
#ifndef WSAIO_CORE_SOCKET_H
#define WSAIO_CORE_SOCKET_H

#include <pthread.h>
#include <stdbool.h>

#include "base/error.h"
#include "base/lockorder.h"
#include "core/netevents.h"
#include "sync/waitable.h"

struct wsaio_op;

/* Operations of one direction, oldest first; only the head may be in the kernel. */
struct wsaio_opq {
    struct wsaio_op *head, *tail;
    unsigned count;
};

struct wsaio_socket {
    int fd;
    int af, type, protocol;
    _Atomic bool overlapped; /* the overlapped attribute (api.md 1.1) */
    bool abortive;           /* closing resets the connection (WSACleanup) */
    bool inherited;          /* from the parent, in a fork child: its file is shared */
    _Atomic bool adopted;    /* found in use rather than made by wsaio (see install()) */
    _Atomic uint32_t refs;

    pthread_mutex_t lock; /* guards everything below */
    struct wsaio_opq rq;  /* pending receives */
    struct wsaio_opq sq;  /* pending sends */
    /* Second stages waiting aside, each in the kernel (engine.c): AcceptEx's receives */
    struct wsaio_opq aside;
    bool closed;              /* closesocket ran: nothing new starts */
    bool shut_rd, shut_wr;    /* local shutdown() directions */
    _Atomic bool known_bound; /* a datagram socket seen bound (saves a getsockname) */
    _Atomic int broken;       /* errno that ended the stream connection, or 0 (reset.h) */
    bool exclusive_addr;      /* SO_EXCLUSIVEADDRUSE set (api/addr_reuse.c) */
    int so_error; /* an error read from SO_ERROR for FD_CONNECT (netevents.c), WSA code */
    struct wsaio_netevents ne; /* WSAEventSelect's record and selection */
    void *backend_data;        /* the backend's per-socket state (epoll.c), or NULL */
    /* A ConnectEx was cancelled while connecting: its attempt was dissolved, and no
     * connect may start again (api.md 4.25). Set under lock, read without. */
    _Atomic bool connect_cancelled;
    /* AcceptEx (core/accept_op.h): the listener whose pending AcceptEx will make this socket
     * its connection (a record reference held), and that operation's OVERLAPPED; NULL when
     * none. Swapped atomically: the one that takes it drops the reference. */
    _Atomic(struct wsaio_socket *) accepting;
    void *accepting_ov;
    /* GetTickCount64() at which an AcceptEx connected it, plus 1; 0: not known. Set under
     * the listener's lock (the accept socket's cannot be taken there): netevents.c reads
     * it for SO_CONNECT_TIME. */
    _Atomic uint64_t connected_at;

    /* Pulsed at every completion on this socket: WSAGetOverlappedResult(fWait) waits on
     * it when the operation has no event (api.md 4.9). */
    struct wsaio_waitable io_done;

    /* Completion port (api.md 4.17): set once, under lock, port_key before port; never
     * changed. A handle, not a reference: a closed port's packets are discarded. */
    _Atomic(HANDLE) port;
    ULONG_PTR port_key;
    _Atomic uint8_t port_modes; /* SetFileCompletionNotificationModes flags */

    /* Per direction (enum wsaio_op_dir: receive, send; under lock): when (engine.c's
     * coarse milliseconds, never 0) the last plain receive (engine.c hint_applies) in that
     * direction would have blocked, 0 when it would not. While recent, the next operation
     * skips its immediate try (engine.c). */
    uint32_t blocked_at[2];
    /* Per direction: when a skipped try turned out wrong (the kernel found data at once,
     * backend.h WSAIO_KREQ_EARLY), 0 never. While recent, the hint is not followed. */
    uint32_t wrong_at[2];
    /* The library's loans of O_NONBLOCK to one system call: odd while one runs (nonblock.h). */
    _Atomic uint32_t nb_loans;
};

/* sk->lock, in its place in the lock order (base/lockorder.h). */
static inline void wsaio_socket_lock(struct wsaio_socket *sk)
{
    wsaio_lock(&sk->lock, WSAIO_RANK_SOCKET);
}

static inline void wsaio_socket_unlock(struct wsaio_socket *sk)
{
    wsaio_unlock(&sk->lock, WSAIO_RANK_SOCKET);
}

/* Registers fd, just created by wsaio, as a socket. Returns 0 or -errno. */
int wsaio_socket_add(int fd, int af, int type, int protocol, bool overlapped);

/* The live socket s names, with a slot reference; NULL when s is not a socket. */
struct wsaio_socket *wsaio_socket_ref(SOCKET s);

/* Ends the call's use of sk (the slot reference from wsaio_socket_ref). */
void wsaio_socket_put(struct wsaio_socket *sk);

/* A record reference, for an operation that outlives the call (the caller holds a slot
 * reference or a record reference already). */
void wsaio_socket_hold(struct wsaio_socket *sk);
void wsaio_socket_release(struct wsaio_socket *sk);

/* True for a stream socket that never had a connection (never connected, or its connect
 * failed): Linux answers a send on it with EPIPE, as after a reset, and a receive after a
 * failed connect with end of stream; Windows says WSAENOTCONN. */
bool wsaio_socket_never_connected(struct wsaio_socket *sk);

/* True once closesocket has run on sk's slot (a call in progress should give up). */
bool wsaio_socket_is_closed(struct wsaio_socket *sk);

/* closesocket's first step: marks sk's slot closed, so that no new call finds it. 0, or
 * -EBADF when another thread closed it first (the caller's slot reference is then
 * consumed). The rest of the sequence is core/close.c's. */
int wsaio_socket_mark_closed(struct wsaio_socket *sk);

/* True while calls other than the closing one still hold sk's slot (blocked in accept,
 * recv, select...). */
bool wsaio_socket_others_inside(struct wsaio_socket *sk);

/* The next live socket at or after *cursor (start with 0), with a slot reference, and
 * *cursor moved past it; NULL at the end of the table. */
struct wsaio_socket *wsaio_socket_next(int *cursor);

/* Fork child (fork.c): every socket's lock made anew, its pending operations (the
 * parent's) forgotten, its backend and watcher state dropped, and the references of the
 * parent's other threads (gone here) given up. */
void wsaio_socket_fork_child(void);

#endif /* WSAIO_CORE_SOCKET_H */
