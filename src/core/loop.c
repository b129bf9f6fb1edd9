/*
 * loop.c - the way a completion comes back (see loop.h): the reaper token, the progress
 * thread, the one wait loop, the sleep in the backend, the reap and the delivery.
 *
 * A completion passes through, in order:
 *   1. b->sleep()                  (backend) the token holder sleeps in io_uring_enter or
 *                                  epoll_wait: a program thread inside wsaio_loop_wait, or
 *                                  the progress thread (progress_main) when nobody waits;
 *   2. b->reap()                   (backend) the same thread, on waking;
 *   3. wsaio_backend_done()        (engine.c) the upcall, same thread: the kind finishes
 *                                  the call, the socket's queue moves on;
 *   4. wsaio_loop_deliver()        (here) same thread: Internal, then the event is set, the
 *                                  routine queued to the issuing thread, or the packet
 *                                  queued to the completion port;
 *   5. the waiter wakes            a thread sleeping on the event's or the port's futex
 *                                  word (or the reaper itself, whose check now finds it
 *                                  set); a routine runs on its issuing thread, in
 *                                  wsaio_loop_wait when that thread waits alertably.
 *
 * Who holds the token (issue 13). Step 5 costs a second context switch whenever the holder
 * is not the thread the completion is for: the kernel wakes the holder, which wakes the
 * waiter. An event server with an idle worker (the UDP one) that took the token first paid
 * it on every operation of its busy worker (1.42 switches per request on one CPU, raw
 * liburing 0.87). So the token follows the completions:
 *   - a holder that leaves its wait leaves the token TOKEN_AWAY and wakes nobody: it is
 *     usually back within microseconds and takes it again, with no hop (any other thread
 *     entering a wait may take it too). Threads that asked for it (wanting) get it at once;
 *   - a holder whose reap delivered completions while another thread asked for the token,
 *     and whose own wait is still unsatisfied, yields: the token goes TOKEN_AWAY for the
 *     thread that asked, and the yielder neither takes it back nor asks for it until its
 *     wait ends (else the two would trade it on every operation);
 *   - the progress thread takes a token left TOKEN_AWAY for a whole look. A look is 2 ms,
 *     doubled up to 64 ms while program threads keep taking the token back themselves (a
 *     ping-pong, a loop around a timed wait: no idle wake-ups, unit.progress_idle), 2 ms
 *     again once the progress thread reaped.
 * The bound: a completion waits unreaped while its waiter sleeps only when its waiter
 * yielded the token in this wait and the thread it yielded to then went off to run the
 * program's code (or, as before, when the waiter went to sleep while nothing was in
 * flight): until a thread enters a wait, at most two looks (2-4 ms after a reap by the
 * progress thread, up to 128 ms after a long stretch of program threads reaping;
 * unit.token_follows measures the first). A waiter that asked for the
 * token is never left so. Not done: a ring per issuing thread
 * (IORING_SETUP_SINGLE_ISSUER | DEFER_TASKRUN). Every continuation, cancel and closesocket
 * would have to be forwarded to the ring's owner, the epoll backend gains nothing, and an
 * event is often waited for by a thread other than the one that issued the operation, so
 * the issuer's ring is not where the waiter sleeps; the token's hand-over above keeps the
 * change in this file and serves both backends.
 *
 * Orderings: a reaper stores ring_sleeping = 1 and then re-reads its wait conditions; a
 * signaller changes its word and then reads ring_sleeping. Both are sequentially
 * consistent, so either the reaper sees the change before sleeping or the signaller sees
 * the flag and kicks.
 */
#include "core/loop.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "base/futex.h"
#include "base/pool.h"
#include "core/op.h"
#include "core/port.h"
#include "sync/event.h"
#include "sync/thread.h"

static const struct wsaio_backend *_Atomic backend; /* published once, before any use */
static _Atomic int inflight;                        /* operations in the kernel */
static _Atomic int token;                           /* TOKEN_FREE, TOKEN_HELD or TOKEN_AWAY */
static _Atomic uint32_t token_seq;     /* futex word: bumped when waiters may take the token */
static _Atomic uint32_t unheld_seq;    /* futex word: bumped whenever the token stops being held */
static _Atomic int ring_sleeping;      /* the holder is blocked inside the backend */
static _Atomic int user_waiters;       /* threads inside a wsaio wait */
static _Atomic int wanting;            /* of those, threads that found the token taken */
static _Atomic uint32_t wait_activity; /* bumped whenever a waiting thread may reap */
static _Atomic uint32_t idle_word;     /* futex word the idle progress thread sleeps on */
static _Atomic int progress_idle;      /* the progress thread sleeps with no timeout */
static _Atomic int progress_on_token;  /* it sleeps on unheld_seq while a thread reaps */
static _Atomic int progress_holds;     /* the progress thread holds the token */

enum {
    TOKEN_FREE, /* anybody may take it */
    TOKEN_HELD, /* its holder is inside a wait (or is the progress thread) and reaps */
    /* Its last holder left its wait, or yielded it: any waiting thread that did not yield in
     * its current wait takes it; the progress thread takes it after a whole tick of this. */
    TOKEN_AWAY,
};

/* The wait depth at which this thread took the token (0: it does not hold it). Initial-exec
 * TLS: read on every wait, they must not cost a __tls_get_addr call each (18 per round trip). */
static __thread int token_depth __attribute__((tls_model("initial-exec")));
static __thread int wait_depth __attribute__((tls_model("initial-exec")));
static __thread bool is_wanting __attribute__((tls_model("initial-exec"))); /* counted in wanting */
/* The wait depth at which this thread yielded the token to a wanting thread (0: none): until
 * that wait ends it takes the token only when it is free, and never asks for it. */
static __thread int yield_depth __attribute__((tls_model("initial-exec")));
static _Atomic int yielders; /* threads inside a wait in which they yielded the token */
/* This thread's last reap delivered completions while another thread asked for the token
 * (see yield_token). */
static __thread bool reaped_for_others __attribute__((tls_model("initial-exec")));

bool wsaio_loop_busy(void)
{
    return atomic_load_explicit(&inflight, memory_order_relaxed) > 0;
}

int wsaio_loop_yielders(void)
{
    return atomic_load(&yielders);
}

void wsaio_loop_started(void)
{
    if (atomic_fetch_add(&inflight, 1) == 0 && atomic_load(&progress_idle)) {
        atomic_fetch_add(&idle_word, 1);
        wsaio_futex_wake(&idle_word, 1);
    }
}

void wsaio_loop_finished(void)
{
    atomic_fetch_sub(&inflight, 1);
}

void wsaio_loop_kick(void)
{
    if (atomic_load(&ring_sleeping))
        atomic_load_explicit(&backend, memory_order_acquire)->kick();
}

static bool take_token(void)
{
    int t = atomic_load_explicit(&token, memory_order_relaxed);

    if (t == TOKEN_HELD || (t == TOKEN_AWAY && yield_depth))
        return false;
    return atomic_compare_exchange_strong(&token, &t, TOKEN_HELD);
}

/* Lets waiting threads (other than the caller, if it is still counted in user_waiters:
 * self = 1) and the progress thread compete for a token that was just made takeable. */
static void wake_token_waiters(int self)
{
    atomic_fetch_add(&token_seq, 1);
    if (atomic_load(&user_waiters) > self) {
        wsaio_futex_wake(&token_seq, INT_MAX);
        wsaio_waitable_bcast_kick(); /* waiters of the fallback mechanism sleep there */
    }
}

/* The token stopped being held (value: TOKEN_FREE or TOKEN_AWAY). The progress thread, if
 * it sleeps for good on a holder inside its wait, looks again. progress_on_token is stored
 * before it reads the token; the token is stored here before the flag is read. */
static void unhold_token(int value)
{
    atomic_store(&token, value);
    atomic_fetch_add(&unheld_seq, 1);
    if (atomic_load(&progress_on_token))
        wsaio_futex_wake(&unheld_seq, 1);
}

/* Gives the token back for anybody to take. */
static void give_token(int self)
{
    unhold_token(TOKEN_FREE);
    wake_token_waiters(self);
}

/* Leaves the token TOKEN_AWAY, for the next thread that waits to take, waking nobody. */
static void put_token_away(void)
{
    unhold_token(TOKEN_AWAY);
}

static void enter_wait(void)
{
    wait_depth++;
    atomic_fetch_add(&user_waiters, 1);
}

static void stop_wanting(void)
{
    if (is_wanting) {
        is_wanting = false;
        atomic_fetch_sub(&wanting, 1);
    }
}

static bool users_want_token(void)
{
    return atomic_load(&wanting) > 0;
}

/*
 * A holder leaving its wait, or going off to run routines, leaves the token TOKEN_AWAY and
 * wakes nobody: it is most likely back in a wait within microseconds, where it takes the
 * token again and sleeps in the backend itself. Threads that asked for the token (wanting)
 * are woken to take it, as before: their completions must not wait for the holder's
 * return. The token is stored before wanting is read, and an asking thread raises wanting
 * before it reads the token again (reap): either it sees the token away, or it is woken.
 * self: the caller is still counted in user_waiters.
 */
static void drop_token(int self)
{
    token_depth = 0;
    put_token_away();
    if (users_want_token())
        wake_token_waiters(self);
}

/* Inlined: a second caller (exit_waits) must not make the wait's own exit pay a call. */
static inline __attribute__((always_inline)) void leave_wait(void)
{
    stop_wanting();
    atomic_fetch_sub(&user_waiters, 1);
    if (token_depth == wait_depth)
        drop_token(0);
    if (yield_depth == wait_depth) {
        yield_depth = 0;
        atomic_fetch_sub_explicit(&yielders, 1, memory_order_relaxed);
    }
    wait_depth--;
}

/* Lets the token go before the caller's wait ends, if it holds it: before a waiting
 * thread runs the program's routines (a routine may run for long, and other threads'
 * completions must not wait for it), or sleeps where no completion would wake it. */
static void release_token(void)
{
    if (token_depth)
        drop_token(1);
}

/*
 * The holder delivered completions while another thread asked for the token, and its own
 * wait is still unsatisfied: the completions were for the thread that asked. The token goes
 * TOKEN_AWAY, which that thread takes at its next wait and this one does not until its own
 * wait ends, so that from then on the kernel wakes the thread the completions are for,
 * instead of this one, which would only wake that thread in turn (two context switches per
 * operation instead of one). Threads still asking are woken to take it.
 */
static void yield_token(void)
{
    if (!yield_depth)
        atomic_fetch_add_explicit(&yielders, 1, memory_order_relaxed);
    yield_depth = wait_depth;
    drop_token(1);
}

/*
 * As the token holder: sleeps in the backend unless completions are ready or something
 * the caller waits for changed, then delivers what is ready. ring_sleeping is set only
 * around the sleep itself, so the deliveries (events set, routines queued) kick nobody.
 * True when it delivered completions while another thread asked for the token: read
 * before the deliveries, which may end that thread's wait (and its asking) at once.
 */
static bool reap_as_holder(const struct timespec *deadline, bool (*watch)(void *, bool), void *ctx)
{
    const struct wsaio_backend *b = atomic_load_explicit(&backend, memory_order_acquire);
    bool wanted;

    if (!b->ready()) {
        atomic_store(&ring_sleeping, 1);
        if (!watch(ctx, true))
            b->sleep(deadline);
        watch(ctx, false);
        atomic_store(&ring_sleeping, 0);
    }
    wanted = users_want_token();
    return b->reap() > 0 && wanted;
}

/*
 * Called by a waiting thread instead of going to sleep. If operations are in flight and
 * the thread holds or can take the token, it sleeps in the backend (reap_as_holder) and
 * reaps. Returns false when it did not become the reaper: the caller sleeps on its futex
 * words, including token_seq.
 */
static bool reap(const struct timespec *deadline, bool (*watch)(void *, bool), void *ctx)
{
    if (!atomic_load_explicit(&backend, memory_order_acquire))
        return false;
    if (!wsaio_loop_busy()) {
        /* The caller sleeps on its futex words now, where nothing wakes it when operations
         * start again: it must not keep the token, or nobody reaps them until its wait ends
         * (a Sleep(6000) that took the token stalled every other thread's I/O). */
        release_token();
        return false;
    }
    if (token_depth && reaped_for_others) {
        reaped_for_others = false;
        yield_token();
        return false;
    }
    if (!token_depth) {
        if (!take_token()) {
            /* Somebody else reaps. If it is the progress thread, it makes way for a thread
             * that waits here (the kernel then wakes this one directly): say so, once. A
             * thread that yielded in this wait does not ask for the token back. */
            if (is_wanting || yield_depth)
                return false; /* sleep on the futex words, watching the token */
            is_wanting = true;
            atomic_fetch_add(&wanting, 1);
            if (atomic_load(&progress_holds))
                wsaio_loop_kick();
            /* The holder may have let it go before it saw this thread asking. */
            if (!take_token())
                return false;
        }
        token_depth = wait_depth;
        stop_wanting();
    }
    /* The caller's check runs next: if it is still unsatisfied, the completions reaped
     * here were for the thread that asked. */
    reaped_for_others = reap_as_holder(deadline, watch, ctx);
    return true;
}

/*
 * Before a wait decides: completions already ready in the backend are delivered first, as
 * Windows would have delivered them when the kernel finished. Else a loop of waits that
 * completions made during the calls satisfy at once (an event server under load: its
 * operations complete in the call, and some event is always set) never reaps, and the
 * operations that went to the kernel wait for the progress thread's look, up to 64 ms (p99
 * of 1 ms at 50 connections against raw liburing's 0.2). Only a token free or left away
 * is taken, and nothing sleeps. io_uring tells with two loads; epoll's ready list takes a
 * system call, made on every READY_EVERY-th wait in a row satisfied at once.
 */
#define READY_EVERY 16

/* The calling thread's waits in a row that did not get to reap (wsaio_loop_wait). */
static __thread unsigned unreaped_waits __attribute__((tls_model("initial-exec")));

static void reap_ready(void)
{
    const struct wsaio_backend *b = atomic_load_explicit(&backend, memory_order_acquire);

    if (!b || !wsaio_loop_busy())
        return;
    if (!b->queued() && ++unreaped_waits < READY_EVERY)
        return;
    unreaped_waits = 0;
    if (!token_depth) {
        if (!take_token())
            return;
        token_depth = wait_depth;
        stop_wanting();
        /* A note of an earlier holding whose wait then ended: reap() would yield the token
         * on it, to nobody (unit.holder_keeps_token). */
        reaped_for_others = false;
    }
    if (b->ready())
        b->reap();
}

/* Between the routines a wait runs and those they queued (a routine's operation that
 * completed at once): what the kernel completed meanwhile is delivered first, so that it
 * is queued among them in the order it completed, and the token is let go again while the
 * routines run (a chain of such routines otherwise ran to its end with the thread's other
 * completions unreaped: the routine echo server's p99 of 11 ms at 300 connections). */
static void reap_between_routines(void)
{
    reap_ready();
    release_token();
}

/* ---- The wait loop ---------------------------------------------------------------- */

static void deadline_after(DWORD ms, struct timespec *d)
{
    clock_gettime(CLOCK_MONOTONIC, d);
    d->tv_sec += ms / 1000;
    d->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (d->tv_nsec >= 1000000000L) {
        d->tv_sec++;
        d->tv_nsec -= 1000000000L;
    }
}

static bool deadline_passed(const struct timespec *d)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > d->tv_sec || (now.tv_sec == d->tv_sec && now.tv_nsec >= d->tv_nsec);
}

static int sleep_futex(struct wsaio_waitable *const *objs, const uint32_t *w, unsigned n,
                       struct wsaio_tstate *ts, uint32_t apc_seen, bool bcast, uint32_t bcast_seen,
                       uint32_t token_seen, const struct timespec *deadline)
{
    struct wsaio_futex_waitv v[MAXIMUM_WAIT_OBJECTS + 2];
    unsigned k = 0;

    if (bcast)
        return wsaio_futex_wait(wsaio_waitable_bcast_word(), bcast_seen, deadline);
    if (wsaio_loop_busy() || is_wanting) {
        /* Operations are in flight: also watch the reaper token, to take it over when
         * its holder leaves its wait. A thread that asked the progress thread to make way
         * watches it even when nothing seems in flight: the holder may be between a short
         * send's completion and its continuation (in flight 1, 0, 1), and the progress
         * thread, which defers to a wanting thread, would then never reap again while this
         * one slept on its event alone (unit.large_buffers hung in 1 run of 20-50). */
        for (unsigned i = 0; i < n; i++)
            wsaio_waitv_entry(&v[k++], &objs[i]->word, w[i]);
        if (ts)
            wsaio_waitv_entry(&v[k++], &ts->apc_seq, apc_seen);
        wsaio_waitv_entry(&v[k++], &token_seq, token_seen);
        return wsaio_futex_waitv(v, k, deadline);
    }
    if (n == 1 && !ts)
        return wsaio_futex_wait(&objs[0]->word, w[0], deadline);
    if (n == 0 && ts)
        return wsaio_futex_wait(&ts->apc_seq, apc_seen, deadline);
    if (n == 0) {
        if (!deadline) {
            for (;;)
                pause();
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, deadline, NULL);
        return -ETIMEDOUT;
    }
    for (unsigned i = 0; i < n; i++)
        wsaio_waitv_entry(&v[k++], &objs[i]->word, w[i]);
    if (ts)
        wsaio_waitv_entry(&v[k++], &ts->apc_seq, apc_seen);
    return wsaio_futex_waitv(v, k, deadline);
}

/*
 * Sleeps on the objects' futex words. The waiter count is raised only for this sleep (a
 * thread that reaps in the backend, or finds its wait satisfied, costs setters nothing):
 * the increment comes before the kernel compares the words with what we saw, and a setter
 * changes a word before it reads the count, so either the setter sees us and wakes us or
 * the kernel sees the new value and does not let us sleep.
 */
static int sleep_on(struct wsaio_waitable *const *objs, const uint32_t *w, unsigned n,
                    struct wsaio_tstate *ts, uint32_t apc_seen, bool bcast, uint32_t bcast_seen,
                    uint32_t token_seen, const struct timespec *deadline)
{
    int rc;

    for (unsigned i = 0; i < n; i++)
        atomic_fetch_add(&objs[i]->waiters, 1);
    if (ts) /* likewise for routines queued to this thread: wake it only if it sleeps here */
        atomic_store(&ts->alertable, 1);
    rc = sleep_futex(objs, w, n, ts, apc_seen, bcast, bcast_seen, token_seen, deadline);
    if (ts)
        atomic_store(&ts->alertable, 0);
    for (unsigned i = 0; i < n; i++)
        atomic_fetch_sub(&objs[i]->waiters, 1);
    return rc;
}

/* What a would-be reaper registers for, and re-checks, before it sleeps in the backend. */
struct seen {
    const struct wsaio_waiter *wt;
    struct wsaio_tstate *ts;
    uint32_t apc_seen;
};

/*
 * Registers the reaper as a ring waiter of its objects (and, alertable, of its APC queue)
 * and re-reads them; or unregisters it. The registration is seq_cst and comes before the
 * re-read, and a setter changes the word before it reads ring_waiters: either this read
 * sees the change, or the setter sees the registration and kicks the backend.
 */
static bool ring_watch(void *p, bool arm)
{
    struct seen *c = p;
    struct wsaio_waitable *const *objs = c->wt->objs;
    unsigned n = c->wt->n;

    for (unsigned i = 0; i < n; i++) {
        if (arm)
            atomic_fetch_add(&objs[i]->ring_waiters, 1);
        else
            atomic_fetch_sub(&objs[i]->ring_waiters, 1);
    }
    if (c->ts)
        atomic_store(&c->ts->in_ring, arm);
    if (!arm)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (atomic_load(&objs[i]->word) != c->wt->seen[i])
            return true;
    return c->ts && atomic_load(&c->ts->apc_seq) != c->apc_seen;
}

int wsaio_loop_wait(struct wsaio_waiter *wt, DWORD timeout, bool alertable)
{
    struct wsaio_tstate *ts = alertable ? wsaio_tstate_self() : NULL;
    struct timespec deadline, *dl = NULL;
    unsigned n = wt->n;
    /* One word without routines needs no futex_waitv: no look at the mechanism. */
    bool bcast = (n > 1 || (n == 1 && ts)) && !wsaio_waitable_use_waitv();
    int result;

    if (timeout != INFINITE && timeout != 0) {
        deadline_after(timeout, &deadline);
        dl = &deadline;
    }
    enter_wait();
    reap_ready();
    if (bcast)
        wsaio_waitable_bcast_join(true);

    for (;;) {
        uint32_t bcast_seen = bcast ? atomic_load(wsaio_waitable_bcast_word()) : 0;
        uint32_t apc_seen = ts ? atomic_load(&ts->apc_seq) : 0;
        uint32_t token_seen = atomic_load(&token_seq);
        struct seen c = {wt, ts, apc_seen};

        result = wt->check(wt);
        if (result == WSAIO_WAIT_RETRY) { /* contended for a moment: let the other finish */
            sched_yield();
            continue;
        }
        if (result >= 0)
            break;
        if (ts && wsaio_apc_pending(ts)) {
            /* Nor does it still ask for the token: the progress thread, which makes way
             * for asking threads, would not reap while the routines run (unit.wanting_routine). */
            release_token();
            stop_wanting();
            wsaio_apc_run_all(ts, reap_between_routines);
            result = WSAIO_WAIT_APC;
            break;
        }
        if (timeout == 0 || (dl && deadline_passed(dl))) {
            result = WSAIO_WAIT_TIMEOUT;
            break;
        }
        /* A timeout or a wake both lead back to the checks above. With operations in
         * flight this thread may sleep in the backend instead, reaping them. Only a wait
         * that gets here counts as one that may reap: a loop of zero-timeout waits, or of
         * waits satisfied at once, never reaps, and must not keep the progress thread off a
         * free token (unit.poll_zero_wait). */
        atomic_fetch_add_explicit(&wait_activity, 1, memory_order_relaxed);
        unreaped_waits = 0;
        if (__builtin_expect(wsaio_port_tstate != WSAIO_PORT_NONE, 0)) {
            /* A thread a port released: blocked, no longer one the port's limit counts */
            wsaio_port_thread_turns(true);
            if (!reap(dl, ring_watch, &c))
                sleep_on(wt->objs, wt->seen, n, ts, apc_seen, bcast, bcast_seen, token_seen, dl);
            wsaio_port_thread_turns(false);
        } else if (!reap(dl, ring_watch, &c)) {
            sleep_on(wt->objs, wt->seen, n, ts, apc_seen, bcast, bcast_seen, token_seen, dl);
        }
    }

    if (bcast)
        wsaio_waitable_bcast_join(false);
    leave_wait();
    return result;
}

/*
 * The calling thread exits (the thread-state exit hook). It is still inside waits only when
 * it called ExitThread (or pthread_exit) from a routine that an alertable wait ran: those
 * waits never return, so they end here. Else the thread stays counted among the waiters
 * (every token hand-over wakes for it), and if it yielded the token in one of them, among
 * the yielders for good: the progress thread's look then stays at 2 ms (unit.exit_in_routine).
 * It runs no routine now, so it holds no token (release_token ran before the routines).
 */
static void exit_waits(void)
{
    wsaio_waitable_bcast_leave_all();
    while (wait_depth)
        leave_wait();
}

__attribute__((constructor)) static void exit_waits_at_load(void)
{
    wsaio_tstate_set_exit_hook(exit_waits);
}

/* The progress thread's watch: it has no objects, it only makes way for waiting threads. */
static bool progress_watch(void *ctx, bool arm)
{
    (void)ctx;
    return arm && users_want_token();
}

/* The progress thread's look at a held or away token: 2 ms, doubled up to LOOK_MAX_MS while
 * program threads keep taking the token back themselves, 2 ms again once it reaped. Only
 * while no thread waits after yielding the token: such a thread has nobody reaping for it
 * while the token is away, and must not wait long. */
#define LOOK_MAX_MS 64

static void look_longer(struct timespec *look)
{
    if (atomic_load_explicit(&yielders, memory_order_relaxed))
        look->tv_nsec = 2000000L;
    else if (look->tv_nsec < LOOK_MAX_MS * 1000000L / 2)
        look->tv_nsec *= 2;
    else
        look->tv_nsec = LOOK_MAX_MS * 1000000L;
}

/*
 * While a thread inside its wait holds the token it reaps. A busy holder leaves its wait and
 * comes back many times a look, and waking this thread at each would cost a context switch
 * per operation: look again later (the look grows while the holder keeps coming back), and
 * sleep for good on unheld_seq (no wake-ups while a server's connections are all idle) only
 * once the holder stayed inside one wait for a whole look of LOOK_MAX_MS; its next leave
 * wakes this thread then.
 */
static void watch_holder(struct timespec *look)
{
    uint32_t seq = atomic_load(&unheld_seq);

    clock_nanosleep(CLOCK_MONOTONIC, 0, look, NULL);
    if (atomic_load(&unheld_seq) != seq ||
        (look->tv_nsec < LOOK_MAX_MS * 1000000L && !atomic_load(&yielders))) {
        look_longer(look);
        return;
    }
    atomic_store(&progress_on_token, 1);
    if (atomic_load(&token) == TOKEN_HELD && atomic_load(&unheld_seq) == seq)
        wsaio_futex_wait(&unheld_seq, seq, NULL);
    atomic_store(&progress_on_token, 0);
}

/*
 * The token is TOKEN_AWAY: its last holder went off to run the program's code, or yielded
 * it to a thread that has not come back for it. Threads that did not ask for it may be
 * waiting for completions nobody reaps meanwhile: take it once it stayed away for a whole
 * look (unheld_seq unchanged and still away: nobody took it in between). Operations are in
 * flight. True when this thread holds it now.
 */
static bool take_away_token(struct timespec *look)
{
    uint32_t seq = atomic_load(&unheld_seq);
    int expect = TOKEN_AWAY;

    clock_nanosleep(CLOCK_MONOTONIC, 0, look, NULL);
    if (wsaio_loop_busy() && atomic_load(&unheld_seq) == seq &&
        atomic_compare_exchange_strong(&token, &expect, TOKEN_HELD))
        return true;
    look_longer(look); /* a program thread took it back itself */
    return false;
}

/*
 * The progress thread: reaps when operations are in flight and no waiting thread got as far
 * as reaping for a whole tick (a thread inside a long wait that does not reap, a Sleep
 * that began before the operations, a zero-timeout wait, do not count). It makes way as soon as a
 * waiting thread wants the token.
 */
static void *progress_main(void *arg)
{
    uint32_t seen_activity = 0;
    struct timespec tick = {0, 2000000}, look = tick;
    int quiet_ticks = 0;

    (void)arg;
    for (;;) {
        /* Go to sleep for good only after 100 ms without operations: while traffic flows
         * an operation entering the kernel then never pays for waking this thread. */
        if (wsaio_loop_busy())
            quiet_ticks = 0;
        else if (++quiet_ticks > 50) {
            uint32_t w = atomic_load(&idle_word);

            /* Idle now: the records of the last burst go back to the system. */
            wsaio_pool_trim_all(WSAIO_POOL_KEEP, false);
            atomic_store(&progress_idle, 1);
            if (!wsaio_loop_busy())
                wsaio_futex_wait(&idle_word, w, NULL);
            atomic_store(&progress_idle, 0);
            quiet_ticks = 0;
            look = tick; /* a new burst: nothing says its waiters will reap themselves */
        }
        switch (atomic_load(&token)) {
        case TOKEN_HELD:
            watch_holder(&look);
            continue;
        case TOKEN_AWAY:
            if (!take_away_token(&look))
                continue;
            break;
        default:
            /* Look again in 2 ms. While threads keep entering and leaving wsaio waits, one
             * of them reaps; take over only when none did for a whole tick. */
            seen_activity = atomic_load_explicit(&wait_activity, memory_order_relaxed);
            clock_nanosleep(CLOCK_MONOTONIC, 0, &tick, NULL);
            if (atomic_load_explicit(&wait_activity, memory_order_relaxed) != seen_activity ||
                users_want_token() || !wsaio_loop_busy() || !take_token())
                continue;
        }
        /* Holding the token: reap until a waiting thread asks for it (it kicks the backend
         * when it sees progress_holds: stored before ring_sleeping, which it reads after). */
        look = tick;
        atomic_store(&progress_holds, 1);
        while (wsaio_loop_busy() && !users_want_token())
            reap_as_holder(NULL, progress_watch, NULL);
        atomic_store(&progress_holds, 0);
        give_token(0);
    }
    return NULL;
}

void wsaio_loop_fork_child(void)
{
    /* The parent's operations, token holder, waiters and progress thread stay in the
     * parent. The forking thread may itself be inside waits (fork from a completion
     * routine run by SleepEx): it gave the token back before running the routine, and its
     * own counts are all that is left. */
    atomic_store(&inflight, 0);
    atomic_store(&token, 0);
    atomic_store(&ring_sleeping, 0);
    atomic_store(&user_waiters, wait_depth);
    atomic_store(&wanting, is_wanting ? 1 : 0);
    atomic_store(&progress_idle, 0);
    atomic_store(&progress_on_token, 0);
    atomic_store(&progress_holds, 0);
    token_depth = 0;
    yield_depth = 0;
    atomic_store(&yielders, 0);
    reaped_for_others = false;
}

int wsaio_loop_init(const struct wsaio_backend *b)
{
    pthread_attr_t attr;
    pthread_t t;
    sigset_t all, old;
    int rc;

    wsaio_waitable_set_ring_kick(wsaio_loop_kick); /* before any reaper registers */
    atomic_store_explicit(&backend, b, memory_order_release);
    /* The progress thread takes no signals meant for the program. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    rc = pthread_create(&t, &attr, progress_main, NULL);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc == 0 ? 0 : -ENOMEM; /* EAGAIN: no thread for now, a shortage */
}

/* ---- Delivery --------------------------------------------------------------------- */

/* The record whose APC link apc is. */
static struct wsaio_op *loop_op_of_apc(struct wsaio_apc *apc)
{
    return (struct wsaio_op *)(void *)((char *)apc - offsetof(struct wsaio_op, apc));
}

static void routine_run(struct wsaio_apc *apc)
{
    struct wsaio_op *op = loop_op_of_apc(apc);
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = op->routine;
    DWORD err = wsaio_status_to_wsa(op->status), bytes = op->done;
    LPWSAOVERLAPPED ov = op->ov;

    wsaio_op_free(op);
    routine(err, bytes, ov, 0); /* output flags are always 0 for TCP and UDP (api.md 4.5) */
}

static void routine_drop(struct wsaio_apc *apc)
{
    wsaio_op_free(loop_op_of_apc(apc));
}

/* WSARecvFrom's source address, when one came and the program's room takes it. Only an
 * extended record has one (core/op.h); the other users of its place (AcceptEx's accept
 * socket) leave msg_namelen 0. */
static void loop_deliver_from(struct wsaio_op *op)
{
    struct wsaio_op_ext *x = wsaio_op_x(op);

    if (x->from && op->msg.msg_namelen && (socklen_t)*x->fromlen >= op->msg.msg_namelen) {
        memcpy(x->from, &x->addr, op->msg.msg_namelen);
        *x->fromlen = (int)op->msg.msg_namelen;
    }
}

/*
 * Delivers op's one completion indication (api.md 1.4, 2): the source address for
 * WSARecvFrom, then InternalHigh, then Internal (release: whoever sees it sees the rest),
 * then the event or the routine. After the Internal store nothing of the program's is
 * touched: the event handle and the routine were copied at issue time.
 */
void wsaio_loop_deliver(struct wsaio_op *op, NTSTATUS status)
{
    LPWSAOVERLAPPED ov = op->ov;
    HANDLE event = op->event;
    /* Never armed (ov->Internal not STATUS_PENDING): done during the call (api.md 2.6). */
    bool armed = __atomic_load_n(&ov->Internal, __ATOMIC_RELAXED) == STATUS_PENDING;

    assert(op->state != WSAIO_OP_DONE); /* each operation is delivered once */
    op->status = status;
    op->state = WSAIO_OP_DONE;
    if (op->large && (status == STATUS_SUCCESS || status == STATUS_BUFFER_OVERFLOW))
        loop_deliver_from(op);
    ov->InternalHigh = op->done;
    __atomic_store_n(&ov->Internal, (ULONG_PTR)(uint32_t)status, __ATOMIC_RELEASE);
    /* WSAGetOverlappedResult(fWait) without an event sleeps on this. */
    wsaio_waitable_pulse(&op->sk->io_done);
    if (op->silent) {
        wsaio_op_free(op);
    } else if (op->routine) {
        op->apc.run = routine_run;
        op->apc.drop = routine_drop; /* the issuing thread is gone: never run */
        wsaio_apc_queue(op->ts, &op->apc);
    } else {
        /* A socket without a port (the common case) costs one load, not a call. */
        if (!atomic_load_explicit(&op->sk->port, memory_order_relaxed) ||
            !wsaio_port_complete(op, armed)) /* else the port frees op */
            wsaio_op_free(op);
        if (event)
            wsaio_event_signal(event);
    }
}
