/*
 * backend.h - the small contract between the engine and the kernel interface (DESIGN.md
 * layer 5): start an operation, cancel one, and reap completions. One file per backend.
 *
 * The engine owns ordering: it never starts more than one operation per direction and
 * socket, so a backend never sees two receives (or two sends) of one socket at once.
 * start() and cancel() are called with the socket's lock held.
 * A backend reports every operation it accepted exactly once, through
 * wsaio_engine_kernel_done(), from inside reap().
 */
#ifndef WSAIO_BACKEND_BACKEND_H
#define WSAIO_BACKEND_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

struct wsaio_op;

/* The system call a kernel request makes. */
enum wsaio_kcall { WSAIO_KCALL_NONE, WSAIO_KCALL_RECVMSG, WSAIO_KCALL_SENDMSG, WSAIO_KCALL_POLLIN };

struct wsaio_backend {
    const char *name;
    /* Sets the backend up; 0 or -errno (the reason is kept for wsaio_backend_info()). */
    int (*init)(void);
    /* Hands op (the head of its queue) to the kernel. 0 or -errno (nothing started). */
    int (*start)(struct wsaio_op *op);
    /* Asks the kernel to cancel op; its completion still comes through reap(). */
    void (*cancel)(struct wsaio_op *op);
    /* True when completions are ready to be reaped. */
    bool (*ready)(void);
    /* Sleeps until a completion is ready, kick() is called, or the deadline (NULL: none)
     * passes. */
    void (*sleep)(const struct timespec *deadline);
    /* Delivers the ready completions, without sleeping. Returns how many operations
     * completed. ready(), sleep() and reap() are called by the reaper-token holder only. */
    int (*reap)(void);
    /* Wakes a thread blocked in reap(). */
    void (*kick)(void);
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

extern const struct wsaio_backend wsaio_backend_uring;
extern const struct wsaio_backend wsaio_backend_epoll; /* where io_uring is refused */

/* Why io_uring could not be set up ("" if it could, or was not tried yet). */
const char *wsaio_uring_refusal(void);

/* Fork child (api/fork.c), after the descriptors were closed: forget the parent's
 * ring / epoll set so that the next setup makes the child's own. */
void wsaio_uring_fork_child(void);
void wsaio_epoll_fork_child(void);

#endif /* WSAIO_BACKEND_BACKEND_H */
