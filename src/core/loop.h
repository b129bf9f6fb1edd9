/*
 * loop.h - who reaps completions (DESIGN.md "Progress").
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
#ifndef WSAIO_CORE_LOOP_H
#define WSAIO_CORE_LOOP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <winsock2.h>

struct wsaio_backend;

/* Publishes backend b and starts the progress thread: 0, or -ENOMEM when no thread could
 * be made (the engine tries again at its next call). */
int wsaio_loop_init(const struct wsaio_backend *b);

/* An operation entered / left the kernel. */
void wsaio_loop_started(void);
void wsaio_loop_finished(void);

/* A thread enters / leaves a wsaio wait (the leaving one gives the token back). */
void wsaio_loop_enter_wait(void);
void wsaio_loop_leave_wait(void);

/* Gives the token back before the caller's wait ends, if it holds it: before a waiting
 * thread runs the program's routines (a routine may run for long, and other threads'
 * completions must not wait for it), or sleeps where no completion would wake it. */
void wsaio_loop_release(void);

/*
 * Called by a waiting thread instead of going to sleep. If operations are in flight and
 * the thread holds or can take the token, it announces that it sleeps in the backend,
 * calls watch(ctx, true), which registers the thread as a ring waiter of everything it
 * waits for and re-checks its wait conditions (a signal that came before the registration
 * must not be slept through; true: something changed, do not sleep), sleeps in the backend
 * until a completion, a kick or the deadline, and calls watch(ctx, false) to unregister.
 * Returns false when it did not become the reaper: the caller sleeps on its futex words,
 * including wsaio_loop_token_word().
 */
bool wsaio_loop_reap(const struct timespec *deadline, bool (*watch)(void *ctx, bool arm),
                     void *ctx);

/* Wakes the reaper if it sleeps in the backend. Called by whoever changed something a
 * reaper registered for (a set or pulse of a waitable with ring_waiters, an APC queued to
 * a thread with in_ring), after the change and with sequentially consistent loads. */
void wsaio_loop_kick(void);

/* The futex word bumped when the token is given back; with its value as seen. */
_Atomic uint32_t *wsaio_loop_token_word(void);

/* True while operations are in the kernel. */
bool wsaio_loop_busy(void);

/* True while the calling thread has asked the progress thread to make way for it (its
 * waits must then watch the token word, whatever wsaio_loop_busy() says meanwhile). */
bool wsaio_loop_wanting(void);

/* Fork child (fork.c): no operation in flight, no token holder, no progress thread. */
void wsaio_loop_fork_child(void);

/*
 * Delivers op's one completion indication with status (api.md 1.4, 2): the source address
 * of a WSARecvFrom, InternalHigh = op->done, Internal = status (release), then the event is
 * set or the routine queued to the issuing thread; op goes back to its pool (a routine's
 * after it ran). Nothing of the program's is touched afterwards.
 */
struct wsaio_op;
void wsaio_loop_deliver(struct wsaio_op *op, NTSTATUS status);

#endif /* WSAIO_CORE_LOOP_H */
