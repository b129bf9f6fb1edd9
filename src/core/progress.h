/*
 * progress.h - who reaps completions (DESIGN.md "Progress").
 *
 * On Windows the kernel completes I/O without any thread of the program; here someone
 * must reap the backend. One "reaper token" is held by at most one thread at a time; the
 * holder alone sleeps in the backend (io_uring_enter), so the kernel wakes it directly
 * when a completion arrives. A thread waiting inside wsaio (WSAWaitForMultipleEvents,
 * SleepEx, WSAGetOverlappedResult...) takes the token when operations are in flight and
 * nobody holds it: the common path has no extra thread hop. Others sleep on their futex
 * words as usual and are woken by the reaper's deliveries; they also watch the token word,
 * so one of them takes over when the reaper leaves its wait.
 *
 * A progress thread covers the time when no thread waits inside wsaio (a program that
 * polls HasOverlappedIoCompleted, or waits with its own means): every 2 ms while
 * operations are in flight it checks whether anybody reaped since its last look, and if
 * nobody did, it takes the token and sleeps in the backend itself, until a thread enters a
 * wsaio wait and kicks it out.
 *
 * A thread sleeping in the backend does not see futex changes, so whoever signals an
 * object or queues a routine while the reaper sleeps kicks the backend (one eventfd write,
 * only in that case).
 */
#ifndef WSAIO_CORE_PROGRESS_H
#define WSAIO_CORE_PROGRESS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct wsaio_backend;

/* Publishes backend b and starts the progress thread: 0, or -ENOMEM when no thread could
 * be made (the engine tries again at its next call). */
int wsaio_progress_init(const struct wsaio_backend *b);

/* An operation entered / left the kernel. */
void wsaio_progress_started(void);
void wsaio_progress_finished(void);

/* A thread enters / leaves a wsaio wait (the leaving one gives the token back). */
void wsaio_progress_enter_wait(void);
void wsaio_progress_leave_wait(void);

/* Gives the token back before the caller's wait ends, if it holds it: before a waiting
 * thread runs the program's routines (a routine may run for long, and other threads'
 * completions must not wait for it), or sleeps where no completion would wake it. */
void wsaio_progress_release(void);

/*
 * Called by a waiting thread instead of going to sleep. If operations are in flight and
 * the thread holds or can take the token, it announces that it sleeps in the backend,
 * calls watch(ctx, true), which registers the thread as a ring waiter of everything it
 * waits for and re-checks its wait conditions (a signal that came before the registration
 * must not be slept through; true: something changed, do not sleep), sleeps in the backend
 * until a completion, a kick or the deadline, and calls watch(ctx, false) to unregister.
 * Returns false when it did not become the reaper: the caller sleeps on its futex words,
 * including wsaio_progress_token_word().
 */
bool wsaio_progress_reap(const struct timespec *deadline, bool (*watch)(void *ctx, bool arm),
                         void *ctx);

/* Wakes the reaper if it sleeps in the backend. Called by whoever changed something a
 * reaper registered for (a set or pulse of a waitable with ring_waiters, an APC queued to
 * a thread with in_ring), after the change and with sequentially consistent loads. */
void wsaio_progress_kick(void);

/* The futex word bumped when the token is given back; with its value as seen. */
_Atomic uint32_t *wsaio_progress_token_word(void);

/* True while operations are in the kernel. */
bool wsaio_progress_busy(void);

/* True while the calling thread has asked the progress thread to make way for it (its
 * waits must then watch the token word, whatever wsaio_progress_busy() says meanwhile). */
bool wsaio_progress_wanting(void);

/* Fork child (fork.c): no operation in flight, no token holder, no progress thread. */
void wsaio_progress_fork_child(void);

#endif /* WSAIO_CORE_PROGRESS_H */
