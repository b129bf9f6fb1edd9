/*
 * loop.c - the reaper token and the progress thread (see loop.h).
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
#include <signal.h>
#include <string.h>

#include "backend/backend.h"
#include "base/pool.h"
#include "core/op.h"
#include "core/port.h"
#include "sync/event.h"
#include "base/futex.h"
#include "core/wait.h"

static const struct wsaio_backend *_Atomic backend; /* published once, before any use */
static _Atomic int inflight;                        /* operations in the kernel */
static _Atomic int token;                           /* 1 while a thread holds the reaper token */
static _Atomic uint32_t token_seq;     /* futex word: bumped when the token is given back */
static _Atomic int ring_sleeping;      /* the holder is blocked inside the backend */
static _Atomic int user_waiters;       /* threads inside a wsaio wait */
static _Atomic int wanting;            /* of those, threads that found the token taken */
static _Atomic uint32_t wait_activity; /* bumped whenever a thread enters a wait */
static _Atomic uint32_t idle_word;     /* futex word the idle progress thread sleeps on */
static _Atomic int progress_idle;      /* the progress thread sleeps with no timeout */
static _Atomic int progress_on_token;  /* it sleeps on token_seq while a thread reaps */

/* The wait depth at which this thread took the token (0: it does not hold it). */
static __thread int token_depth;
static __thread int wait_depth;
static __thread bool is_wanting; /* counted in wanting */

bool wsaio_loop_busy(void)
{
    return atomic_load_explicit(&inflight, memory_order_relaxed) > 0;
}

bool wsaio_loop_wanting(void)
{
    return is_wanting;
}

_Atomic uint32_t *wsaio_loop_token_word(void)
{
    return &token_seq;
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
    int expect = 0;

    return atomic_load_explicit(&token, memory_order_relaxed) == 0 &&
           atomic_compare_exchange_strong(&token, &expect, 1);
}

/* Gives the token back and lets waiting threads (other than the caller, if it is still
 * counted in user_waiters: self = 1) and the progress thread compete for it. */
static void give_token(int self)
{
    atomic_store(&token, 0);
    atomic_fetch_add(&token_seq, 1);
    if (atomic_load(&user_waiters) > self || atomic_load(&progress_on_token)) {
        wsaio_futex_wake(&token_seq, INT_MAX);
        wsaio_wait_bcast_kick(); /* waiters of the fallback mechanism sleep there */
    }
}

void wsaio_loop_enter_wait(void)
{
    wait_depth++;
    atomic_fetch_add_explicit(&wait_activity, 1, memory_order_relaxed);
    atomic_fetch_add(&user_waiters, 1);
}

static void stop_wanting(void)
{
    if (is_wanting) {
        is_wanting = false;
        atomic_fetch_sub(&wanting, 1);
    }
}

void wsaio_loop_leave_wait(void)
{
    stop_wanting();
    atomic_fetch_sub(&user_waiters, 1);
    if (token_depth == wait_depth) {
        token_depth = 0;
        give_token(0);
    }
    wait_depth--;
}

void wsaio_loop_release(void)
{
    if (token_depth) {
        token_depth = 0;
        give_token(1);
    }
}

/*
 * As the token holder: sleeps in the backend unless completions are ready or something
 * the caller waits for changed, then delivers what is ready. ring_sleeping is set only
 * around the sleep itself, so the deliveries (events set, routines queued) kick nobody.
 */
static bool reap_as_holder(const struct timespec *deadline, bool (*watch)(void *, bool), void *ctx)
{
    const struct wsaio_backend *b = atomic_load_explicit(&backend, memory_order_acquire);

    if (!b->ready()) {
        atomic_store(&ring_sleeping, 1);
        if (!watch(ctx, true))
            b->sleep(deadline);
        watch(ctx, false);
        atomic_store(&ring_sleeping, 0);
    }
    b->reap();
    return true;
}

bool wsaio_loop_reap(const struct timespec *deadline, bool (*watch)(void *, bool), void *ctx)
{
    if (!atomic_load_explicit(&backend, memory_order_acquire))
        return false;
    if (!wsaio_loop_busy()) {
        /* The caller sleeps on its futex words now, where nothing wakes it when operations
         * start again: it must not keep the token, or nobody reaps them until its wait ends
         * (a Sleep(6000) that took the token stalled every other thread's I/O). */
        wsaio_loop_release();
        return false;
    }
    if (!token_depth) {
        if (!take_token()) {
            /* Somebody else reaps. If it is the progress thread, it makes way for a thread
             * that waits here (the kernel then wakes this one directly): say so, once. */
            if (!is_wanting) {
                is_wanting = true;
                atomic_fetch_add(&wanting, 1);
                wsaio_loop_kick();
            }
            return false; /* sleep on the futex words, watching the token */
        }
        token_depth = wait_depth;
        stop_wanting();
    }
    return reap_as_holder(deadline, watch, ctx);
}

static bool users_want_token(void)
{
    return atomic_load(&wanting) > 0;
}

/* The progress thread's watch: it has no objects, it only makes way for waiting threads. */
static bool progress_watch(void *ctx, bool arm)
{
    (void)ctx;
    return arm && users_want_token();
}

/*
 * The progress thread: reaps when operations are in flight and no thread has entered a
 * wsaio wait for a whole tick (a thread inside a long wait that does not reap, a Sleep
 * that began before the operations, does not count). It makes way as soon as a waiting
 * thread wants the token.
 */
static void *progress_main(void *arg)
{
    uint32_t seen_activity = 0;
    struct timespec tick = {0, 2000000};
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
        }
        /* While a program thread holds the token it reaps (a holder either sleeps in the
         * backend or gives the token back): sleep until it is given back, so that a server
         * whose connections are idle makes no wake-ups at all. progress_on_token before
         * the token's value; give_token() stores the token before it reads the flag. */
        if (atomic_load(&token)) {
            uint32_t seq = atomic_load(&token_seq);

            atomic_store(&progress_on_token, 1);
            if (atomic_load(&token))
                wsaio_futex_wait(&token_seq, seq, NULL);
            atomic_store(&progress_on_token, 0);
            continue;
        }
        /* Look again in 2 ms. While threads keep entering and leaving wsaio waits, one of
         * them reaps; take over only when none did for a whole tick. */
        seen_activity = atomic_load_explicit(&wait_activity, memory_order_relaxed);
        clock_nanosleep(CLOCK_MONOTONIC, 0, &tick, NULL);
        if (atomic_load_explicit(&wait_activity, memory_order_relaxed) != seen_activity ||
            users_want_token() || !wsaio_loop_busy() || !take_token())
            continue;
        while (wsaio_loop_busy() && !users_want_token())
            reap_as_holder(NULL, progress_watch, NULL);
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
    token_depth = 0;
}

int wsaio_loop_init(const struct wsaio_backend *b)
{
    pthread_attr_t attr;
    pthread_t t;
    sigset_t all, old;
    int rc;

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

static void routine_run(struct wsaio_apc *apc)
{
    struct wsaio_op *op = (struct wsaio_op *)apc;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = op->routine;
    DWORD err = wsaio_status_to_wsa(op->status), bytes = op->done;
    LPWSAOVERLAPPED ov = op->ov;

    wsaio_op_free(op);
    routine(err, bytes, ov, 0); /* output flags are always 0 for TCP and UDP (api.md 4.5) */
}

static void routine_drop(struct wsaio_apc *apc)
{
    wsaio_op_free((struct wsaio_op *)apc);
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
    if (op->from && (status == STATUS_SUCCESS || status == STATUS_BUFFER_OVERFLOW) &&
        op->msg.msg_namelen && (socklen_t)*op->fromlen >= op->msg.msg_namelen) {
        memcpy(op->from, &op->addr, op->msg.msg_namelen);
        *op->fromlen = (int)op->msg.msg_namelen;
    }
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
        if (!wsaio_port_complete(op, armed)) /* else the port frees op */
            wsaio_op_free(op);
        if (event)
            wsaio_event_signal(event);
    }
}
