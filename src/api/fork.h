/*
 * fork.h - what a child made by fork() inherits of wsaio (docs/deviations.md "fork").
 *
 * Windows has no fork. Here the child gets a copy of wsaio's memory, but not its threads,
 * and shares the parent's ring or epoll set (the same open file description): used from
 * both sides, each would take the other's completions. So the child starts afresh: its
 * copies of wsaio's own descriptors are closed, every lazy setup counts as not done (the
 * child's next call makes its own backend, progress thread, watcher, listener), the
 * operations that were pending at fork are forgotten (they are the parent's and never
 * complete in the child), and the locks another parent thread may have held at fork are
 * made anew. Inherited sockets stay usable.
 */
#ifndef WSAIO_API_FORK_H
#define WSAIO_API_FORK_H

/* Installs the child handler with pthread_atfork, once. Done when the library loads (a
 * constructor in fork.c); WSAStartup calls it too, which also makes a static link take
 * fork.c in. */
void wsaio_fork_watch(void);

#endif /* WSAIO_API_FORK_H */
