/*
 * resources.h - what wsaio creates for itself on first use (the backend, the progress
 * thread, the WSAEventSelect watcher, the rtnetlink listener, the thread-state key), and
 * the registry of the descriptors among them.
 *
 * A setup that fails for want of a descriptor, memory or a thread is tried again by the
 * next call that needs it: a shortage is never remembered. Any other failure (io_uring
 * refused by EPERM, ENOSYS, a seccomp filter, the sysctl) is final.
 *
 * wsaio's own descriptors must never be taken for the program's sockets (socket.c adopts
 * any socket descriptor it is handed). Setups run under one lock, which adoption also
 * takes around its look at the descriptor: so a descriptor is registered before any
 * adoption can see it open.
 */
#ifndef WSAIO_BASE_RESOURCES_H
#define WSAIO_BASE_RESOURCES_H

#include <stdatomic.h>
#include <stdbool.h>

/* One lazily created resource: zero-initialised. */
struct wsaio_lazy {
    _Atomic int state;  /* 0: not (yet) set up; 1: up; < 0: -errno, refused for good */
    bool survives_fork; /* set up again in a fork child unless true (see fork.h) */
    bool listed;        /* on the list of setups a fork child forgets (resources lock) */
};

/* True for the errno values of a shortage that may pass (EMFILE, ENFILE, ENOMEM, ENOBUFS,
 * EAGAIN). */
bool wsaio_errno_transient(int err);

/* Runs setup() (0 or -errno) unless it succeeded already or failed for good, under the
 * resources lock. Returns 0 when the resource is up, else the failure's -errno. */
int wsaio_lazy_setup(struct wsaio_lazy *l, int (*setup)(void));

/* The Winsock error for a failed setup: WSAEMFILE or WSAENOBUFS for a shortage, else
 * permanent (the caller's error for "not available"). */
int wsaio_setup_error(int rc, int permanent);

/* Registers fd as wsaio's own: called from inside a setup (the lock is held). */
void wsaio_resources_own_fd(int fd);

/* Adoption (socket.c): the lock around "is it ours, is it a socket, install", and the
 * question itself (lock held). */
void wsaio_resources_lock(void);
void wsaio_resources_unlock(void);
bool wsaio_resources_is_own_fd(int fd);

/* Fork child (fork.c): the lock made anew, wsaio's descriptors closed and forgotten,
 * and every lazy setup not marked survives_fork back to "not set up". */
void wsaio_resources_fork_child(void);

#endif /* WSAIO_BASE_RESOURCES_H */
