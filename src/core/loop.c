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
static _Atomic int token;                           /* TOKEN_FREE, _HELD or _LENT (below) */
static _Atomic uint32_t token_seq;     /* futex word: bumped when the token is given back */
static _Atomic int ring_sleeping;      /* the holder is blocked inside the backend */
static _Atomic int user_waiters;       /* threads inside a wsaio wait */
static _Atomic int wanting;            /* of those, threads that found the token taken */
static _Atomic uint32_t wait_activity; /* bumped whenever a thread enters a wait */
static _Atomic uint32_t idle_word;     /* futex word the idle progress thread sleeps on */
static _Atomic int progress_idle;      /* the progress thread sleeps with no timeout */
static _Atomic int progress_on_token;  /* it sleeps on token_seq while a thread reaps */
static _Atomic int progress_untimed;   /* ... with no timeout: a lend must wake it */
static _Atomic uint32_t lends;         /* bumped at every lend_token() */

/* The token: free; held by a thread that reaps; or lent: its last holder left its wait
 * with nobody else waiting and gave it back without waking anybody (lend_token()). A lent
 * token is free to take; the progress thread takes it when operations are in flight and
 * no thread entered a wait for a whole look (progress_on_held()). */
enum { TOKEN_FREE, TOKEN_HELD, TOKEN_LENT };

/* The wait depth at which this thread took the token (0: it does not hold it). Initial-exec
 * TLS: read on every wait, they must not cost a __tls_get_addr call each (18 per round trip). */
static __thread int token_depth __attribute__((tls_model("initial-exec")));
static __thread int wait_depth __attribute__((tls_model("initial-exec")));
static __thread bool is_wanting __attribute__((tls_model("initial-exec"))); /* counted in wanting */

bool wsaio_loop_busy(void)
{
    return atomic_load_explicit(&inflight, memory_order_relaxed) > 0;
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
    int seen = atomic_load_explicit(&token, memory_order_relaxed);

    return seen != TOKEN_HELD && atomic_compare_exchange_strong(&token, &seen, TOKEN_HELD);
}

/* The token was made free: lets waiting threads (other than the caller, if it is still
 * counted in user_waiters: self = 1) and the progress thread compete for it. */
static void announce_token(int self)
{
    atomic_fetch_add(&token_seq, 1);
    if (atomic_load(&user_waiters) > self || atomic_load(&progress_on_token)) {
        wsaio_futex_wake(&token_seq, INT_MAX);
        wsaio_waitable_bcast_kick(); /* waiters of the fallback mechanism sleep there */
    }
}

/* Gives the token back (see announce_token). */
static void give_token(int self)
{
    atomic_store(&token, TOKEN_FREE);
    announce_token(self);
}

/*
 * Gives the token back without waking anybody, when the caller leaves its wait: a thread that waits
 * again soon (a loop around a wait, a ping-pong) takes it back with no system call, and the
 * progress thread, which would otherwise be woken at every such exit, notices at its next look.
 * Announced as give_token() does when a thread waits or the progress thread sleeps without a
 * timeout: the token is stored before either is read, and each of them registers
 * before it reads the token, so one of the two sides sees the other.
 */
static void lend_token(void)
{
    int lent = TOKEN_LENT;

    atomic_store(&token, TOKEN_LENT);
    atomic_fetch_add_explicit(&lends, 1, memory_order_relaxed);
    if ((atomic_load(&user_waiters) > 0 || atomic_load(&progress_untimed)) &&
        atomic_compare_exchange_strong(&token, &lent, TOKEN_FREE))
        announce_token(0);
}

static void enter_wait(void)
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

static void leave_wait(void)
{
    stop_wanting();
    atomic_fetch_sub(&user_waiters, 1);
    if (token_depth == wait_depth) {
        token_depth = 0;
        lend_token();
    }
    wait_depth--;
}

/* Gives the token back before the caller's wait ends, if it holds it: before a waiting
 * thread runs the program's routines (a routine may run for long, and other threads'
 * completions must not wait for it), or sleeps where no completion would wake it. */
static void release_token(void)
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
            release_token();
            wsaio_apc_run_all(ts);
            result = WSAIO_WAIT_APC;
            break;
        }
        if (timeout == 0 || (dl && deadline_passed(dl))) {
            result = WSAIO_WAIT_TIMEOUT;
            break;
        }
        /* A timeout or a wake both lead back to the checks above. With operations in
         * flight this thread may sleep in the backend instead, reaping them. */
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

/* The progress thread, holding the token: reaps until nothing is in flight or a waiting
 * thread wants the token, then gives it back. */
static void progress_reap(void)
{
    while (wsaio_loop_busy() && !users_want_token())
        reap_as_holder(NULL, progress_watch, NULL);
    give_token(0);
}

/* The longest look of the progress thread at a lent token (progress_main). */
#define HOLD_MAX_MS 64

/*
 * The progress thread, while the token is held or lent: sleeps until it is given back,
 * or for *hold_ms while it is lent or may be (the holder's wait can end in a lend, which
 * wakes nobody); then takes a lent token if no thread entered a wait meanwhile, and
 * reaps. The look doubles up to HOLD_MAX_MS while threads keep waiting, so a program that
 * keeps waiting (a ping-pong, a loop around a timed wait) costs at most one wake-up per
 * HOLD_MAX_MS; after a look of HOLD_MAX_MS without a lend (one long wait) it sleeps with
 * no timeout, and a lend announces itself (lend_token()).
 */
static void progress_on_held(DWORD *hold_ms, bool *calm)
{
    uint32_t seq = atomic_load(&token_seq), lends_seen = atomic_load(&lends);
    uint32_t activity = atomic_load_explicit(&wait_activity, memory_order_relaxed);
    struct timespec d;

    atomic_store(&progress_on_token, 1);
    if (*hold_ms >= HOLD_MAX_MS && *calm && atomic_load(&token) == TOKEN_HELD) {
        atomic_store(&progress_untimed, 1); /* before the token's value (lend_token) */
        if (atomic_load(&token) == TOKEN_HELD)
            wsaio_futex_wait(&token_seq, seq, NULL);
        atomic_store(&progress_untimed, 0);
    } else if (atomic_load(&token)) {
        deadline_after(*hold_ms, &d);
        wsaio_futex_wait(&token_seq, seq, &d);
    }
    atomic_store(&progress_on_token, 0);
    *calm = atomic_load(&lends) == lends_seen;
    if (atomic_load(&token) != TOKEN_LENT ||
        atomic_load_explicit(&wait_activity, memory_order_relaxed) != activity ||
        users_want_token() || !wsaio_loop_busy() || !take_token()) {
        if (*hold_ms < HOLD_MAX_MS)
            *hold_ms *= 2;
        return;
    }
    *hold_ms = 2;
    progress_reap();
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
    DWORD hold_ms = 2;
    bool calm = false;

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
         * backend or gives the token back), so that a server whose connections are idle
         * makes no wake-ups at all; a lent one is looked at now and then. progress_on_token
         * before the token's value; give_token() stores the token before it reads the flag. */
        if (atomic_load(&token) == TOKEN_HELD ||
            (atomic_load(&token) == TOKEN_LENT && wsaio_loop_busy())) {
            progress_on_held(&hold_ms, &calm);
            continue;
        }
        /* Look again in 2 ms. While threads keep entering and leaving wsaio waits, one of
         * them reaps; take over only when none did for a whole tick. */
        seen_activity = atomic_load_explicit(&wait_activity, memory_order_relaxed);
        clock_nanosleep(CLOCK_MONOTONIC, 0, &tick, NULL);
        if (atomic_load_explicit(&wait_activity, memory_order_relaxed) != seen_activity ||
            users_want_token() || !wsaio_loop_busy() || !take_token())
            continue;
        hold_ms = 2;
        progress_reap();
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
    atomic_store(&token, TOKEN_FREE);
    atomic_store(&ring_sleeping, 0);
    atomic_store(&user_waiters, wait_depth);
    atomic_store(&wanting, is_wanting ? 1 : 0);
    atomic_store(&progress_idle, 0);
    atomic_store(&progress_on_token, 0);
    atomic_store(&progress_untimed, 0);
    token_depth = 0;
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
        /* A socket without a port (the common case) costs one load, not a call. */
        if (!atomic_load_explicit(&op->sk->port, memory_order_relaxed) ||
            !wsaio_port_complete(op, armed)) /* else the port frees op */
            wsaio_op_free(op);
        if (event)
            wsaio_event_signal(event);
    }
}
