/*
 * backend.h - the whole contract between the core and a kernel interface (DESIGN.md
 * layer 5). One file per backend; a backend includes nothing from src/core/.
 *
 * What a backend sees: a kernel request (struct wsaio_kreq): a descriptor, which system
 * call, its msghdr and flags. Never an operation record or a socket.
 *
 * Who calls what:
 * - start() and cancel() are called by any thread, with the lock of the request's socket
 *   held by the core. The core starts at most one request per direction (receive / send)
 *   and descriptor at a time, and starts nothing on a descriptor after its close began.
 * - ready(), sleep() and reap() are called by the reaper-token holder only (core/loop.c);
 *   queued() by any thread.
 * - Every request start() accepted is reported exactly once, through the one upcall,
 *   wsaio_backend_done(), from inside reap() and from nowhere else, without any lock of
 *   the backend held that start() or cancel() take. The upcall takes the socket's lock and
 *   may call start() again (a short send continues, a receive that found nothing waits
 *   again): start() and cancel() can be re-entered from inside reap().
 * - A backend calls nothing else in the core. When it needs the reaper (a cancel to
 *   report), it wakes it itself (the epoll backend kicks its own eventfd).
 *
 * Results: bytes or -errno of the call; for WSAIO_KCALL_POLLIN the revents mask; for
 * WSAIO_KCALL_ACCEPT the accepted descriptor, which the core then owns;
 * -ECANCELED for a request cancel() took; WSAIO_KREQ_READY from a backend that only waits
 * for readiness (epoll): the call may be made now, and the core makes it (EAGAIN: it calls
 * start() again).
 */
#ifndef WSAIO_BACKEND_BACKEND_H
#define WSAIO_BACKEND_BACKEND_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The system call a kernel request makes. */
enum wsaio_kcall {
    WSAIO_KCALL_NONE,
    WSAIO_KCALL_RECVMSG,
    WSAIO_KCALL_SENDMSG,
    WSAIO_KCALL_POLLIN,
    /* ConnectEx and DisconnectEx: waits only, in the send direction; the core then makes
     * the call itself. CONNECT waits until a connect in progress has finished (writable
     * or failed), DISCONNECT until the peer's end of stream (POLLRDHUP). io_uring reports
     * the revents mask of its poll, epoll WSAIO_KREQ_READY. */
    WSAIO_KCALL_CONNECT,
    WSAIO_KCALL_DISCONNECT,
    /* accept4(fd, msg.msg_name, &msg.msg_namelen, 0) on a listener: the result is the new
     * descriptor; a readiness backend waits for POLLIN (the core accepts). */
    WSAIO_KCALL_ACCEPT,
    /* TransmitFile: waits only, in the send direction, until the socket can take data
     * (POLLOUT); the core then sends (sendmsg, sendfile) itself. io_uring reports the
     * revents mask of its poll, epoll WSAIO_KREQ_READY. */
    WSAIO_KCALL_WRITABLE,
};

/* The result that says "ready: make the call now" (see above). */
#define WSAIO_KREQ_READY INT_MIN

/* start()'s answer for a request the kernel finished before start() returned (a receive
 * that found data at once): it is reported through reap() as any other. Only a hint for
 * the engine's would-block guess (engine.c); a backend that cannot tell returns 0. */
#define WSAIO_KREQ_EARLY 1

/* One request, owned by the core; stable from start() until it is reported. */
struct wsaio_kreq {
    struct msghdr msg; /* RECVMSG, SENDMSG; msg_namelen already set for a receive */
    /* A slot per descriptor for the backend's registration (NULL while it has none), the
     * same for every request of that descriptor; only start()/cancel()/reap() touch it. */
    void **reg;
    int fd;
    int flags;    /* MSG_* of the call (the backend adds MSG_NOSIGNAL to a send) */
    uint8_t call; /* enum wsaio_kcall; POLLIN waits for POLLIN */
};

/* The upcall (implemented by the core): r, started earlier, finished with res. more: the
 * kernel made a receive and data was still queued after it (io_uring's
 * IORING_CQE_F_SOCK_NONEMPTY); false when the backend cannot tell. */
void wsaio_backend_done(struct wsaio_kreq *r, int res, bool more);

struct wsaio_backend {
    const char *name;
    /* Sets the backend up; 0 or -errno (the reason is kept for wsaio_backend_info()). */
    int (*init)(void);
    /* Hands r to the kernel. 0, WSAIO_KREQ_EARLY, or -errno (nothing started, nothing will
     * be reported). */
    int (*start)(struct wsaio_kreq *r);
    /* Asks the kernel to cancel r; it is still reported, through reap() (-ECANCELED, or
     * its result when it finished first). */
    void (*cancel)(struct wsaio_kreq *r);
    /* True when completions are ready to be reaped. */
    bool (*ready)(void);
    /* True when completions are known to be ready without a system call (may miss some
     * that ready() would find). Any thread may call it. */
    bool (*queued)(void);
    /* Sleeps until a completion is ready, kick() is called, or the deadline (NULL: none)
     * passes. */
    void (*sleep)(const struct timespec *deadline);
    /* Reports the ready completions, without sleeping. Returns how many it reported. */
    int (*reap)(void);
    /* Wakes a thread blocked in sleep(). */
    void (*kick)(void);
    /* start() answers WSAIO_KREQ_EARLY where it applies (the engine guesses only then). */
    bool tells_early;
};

/* The time left until deadline (absolute CLOCK_MONOTONIC); zero once it has passed. */
static inline struct timespec wsaio_backend_time_left(const struct timespec *deadline)
{
    struct timespec now, rel;

    clock_gettime(CLOCK_MONOTONIC, &now);
    rel.tv_sec = deadline->tv_sec - now.tv_sec;
    rel.tv_nsec = deadline->tv_nsec - now.tv_nsec;
    if (rel.tv_nsec < 0) {
        rel.tv_sec--;
        rel.tv_nsec += 1000000000L;
    }
    if (rel.tv_sec < 0)
        rel.tv_sec = rel.tv_nsec = 0;
    return rel;
}

/* kick() of a backend that sleeps on an eventfd among what it waits for. */
static inline void wsaio_backend_kick_eventfd(int fd)
{
    uint64_t one = 1;

    if (write(fd, &one, sizeof(one)) < 0) { /* counter full: already kicked */
    }
}

/* The table of a backend whose functions are named <p>_init, <p>_start, ... <p>_kick. */
#define WSAIO_BACKEND_DEFINE(var, label, p, early)                                                 \
    const struct wsaio_backend var = {                                                             \
        .name = label,                                                                             \
        .init = p##_init,                                                                          \
        .start = p##_start,                                                                        \
        .cancel = p##_cancel,                                                                      \
        .ready = p##_ready,                                                                        \
        .queued = p##_queued,                                                                      \
        .sleep = p##_sleep,                                                                        \
        .reap = p##_reap,                                                                          \
        .kick = p##_kick,                                                                          \
        .tells_early = early,                                                                      \
    }

/* An epoll instance (close-on-exec) with a non-blocking eventfd registered for EPOLLIN
 * under data.ptr = tag: 0, or -errno with nothing left open (*epfd = *evfd = -1). Made by
 * the epoll backend (its kick) and by WSAEventSelect's watcher (its wake-up). */
int wsaio_epoll_with_eventfd(int *epfd, int *evfd, void *tag);

extern const struct wsaio_backend wsaio_backend_uring;
extern const struct wsaio_backend wsaio_backend_epoll; /* where io_uring is refused */

/* Why io_uring could not be set up ("" if it could, or was not tried yet). */
const char *wsaio_uring_refusal(void);

/* Fork child (api/fork.c), after the descriptors were closed: forget the parent's
 * ring / epoll set so that the next setup makes the child's own. */
void wsaio_uring_fork_child(void);
void wsaio_epoll_fork_child(void);

#endif /* WSAIO_BACKEND_BACKEND_H */
