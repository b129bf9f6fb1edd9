/*
 * loop.h - who reaps completions, and the one wait loop (design.md "Who reaps").
 *
 * On Windows the kernel completes I/O without any thread of the program; here someone
 * must reap the backend. One "reaper token" is held by at most one thread at a time; the
 * holder alone sleeps in the backend (io_uring_enter), so the kernel wakes it directly
 * when a completion arrives. A thread waiting inside wsaio (WSAWaitForMultipleEvents,
 * SleepEx, WSAGetOverlappedResult...) takes the token when operations are in flight and
 * nobody holds it: the common path has no extra thread hop. Others sleep on their futex
 * words as usual and are woken by the reaper's deliveries; they also watch the token word.
 * The token follows the completions (loop.c): a holder leaving its wait keeps it within
 * reach for its next wait unless another thread asked for it, and a holder whose reaps
 * serve a thread that asked for it yields it to that thread.
 *
 * A progress thread covers the time when no thread waits inside wsaio (a program that
 * polls HasOverlappedIoCompleted, or waits with its own means): every 2 ms while
 * operations are in flight it checks whether anybody reaped since its last look, and if
 * nobody did, it takes the token and sleeps in the backend itself, until a thread enters a
 * wsaio wait and kicks it out.
 *
 * A thread sleeping in the backend does not see futex changes, so whoever signals an
 * object or queues a routine the reaper registered for kicks the backend (only in that
 * case; the kick is registered with sync/waitable.c at setup).
 */
#ifndef WSAIO_CORE_LOOP_H
#define WSAIO_CORE_LOOP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <winsock2.h>

struct wsaio_backend;
struct wsaio_waitable;

/* Publishes backend b and starts the progress thread: 0, or -ENOMEM when no thread could
 * be made (the engine tries again at its next call). */
int wsaio_loop_init(const struct wsaio_backend *b);

/* An operation entered / left the kernel. */
void wsaio_loop_started(void);
void wsaio_loop_finished(void);

/*
 * A waiter: what one kind of wait waits for. The object wait (wait.c: wait-any, wait-all,
 * SleepEx) is one kind; a completion-port wait can be another (check dequeues a packet,
 * objs holds the port's waitable). The loop sleeps on the objects' futex words, or
 * registers in their ring_waiters when it sleeps in the backend instead, and calls check
 * again after every wake.
 */
struct wsaio_waiter {
    /* Reads the objects' words into seen[] and decides: a result >= 0 ends the wait,
     * WSAIO_WAIT_NONE sleeps (expecting the values in seen[]), WSAIO_WAIT_RETRY yields and
     * looks again (another thread is in the middle of taking an object). */
    int (*check)(struct wsaio_waiter *self);
    struct wsaio_waitable *const *objs; /* 0..64 objects slept on */
    uint32_t *seen;                     /* n words, filled by check */
    unsigned n;
};

enum { WSAIO_WAIT_NONE = -1, WSAIO_WAIT_RETRY = -2, WSAIO_WAIT_TIMEOUT = -3, WSAIO_WAIT_APC = -4 };

/*
 * The one wait loop: until wt->check() gives a result (returned), runs the thread's
 * routines if alertable and nothing is satisfied (WSAIO_WAIT_APC), ends at the timeout in
 * ms (INFINITE: none; WSAIO_WAIT_TIMEOUT), or else reaps in the backend as the token
 * holder or sleeps on the futex words (and the token word while operations are in flight).
 */
int wsaio_loop_wait(struct wsaio_waiter *wt, DWORD timeout, bool alertable);

/* Wakes the reaper if it sleeps in the backend. Called by whoever changed something a
 * reaper registered for (a set or pulse of a waitable with ring_waiters, an APC queued to
 * a thread with in_ring: through the ring kick registered with sync/waitable.c at setup),
 * after the change and with sequentially consistent loads. */
void wsaio_loop_kick(void);

/* True while operations are in the kernel. */
bool wsaio_loop_busy(void);

/* How many threads are inside a wait in which they yielded the reaper token (loop.c);
 * read by unit.exit_in_routine. */
int wsaio_loop_yielders(void);

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
