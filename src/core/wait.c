/*
 * wait.c - the one wait engine behind WSAWaitForMultipleEvents, WaitForSingleObject(Ex),
 * WaitForMultipleObjects(Ex) and SleepEx.
 *
 * A wait registers in each object's waiter count, reads every object's word, decides
 * whether it is satisfied (api.md 4.12: lowest signalled index for wait-any, all at one
 * instant for wait-all, auto-reset objects consumed atomically), runs the thread's queued
 * routines if it is alertable and nothing is signalled (api.md 3.2 rule 4: a signalled
 * object at entry wins over queued routines), and otherwise sleeps on all the words it read
 * with futex_waitv, expecting the values it saw. Any change to any word wakes it or makes
 * the sleep return at once; nothing is locked.
 *
 * Kernels without futex_waitv (before 5.16, or WSAIO_NO_FUTEX_WAITV=1) use one process-wide
 * broadcast word for waits on more than one word: every set bumps it when somebody sleeps
 * on it. Correct, but a set wakes every such waiter, so it is only the fallback.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/handle.h"
#include "core/loop.h"
#include "base/userptr.h"
#include "sync/event.h"
#include "base/futex.h"
#include "sync/thread.h"
#include "core/wait.h"

#define MAX_OBJECTS MAXIMUM_WAIT_OBJECTS

enum { NONE = -1, RETRY = -2 };

static _Atomic uint32_t bcast_word;    /* bumped by every set while bcast_waiters != 0 */
static _Atomic uint32_t bcast_waiters; /* threads sleeping on bcast_word */
static _Atomic int waitv_state;        /* 0 unknown, 1 futex_waitv works, 2 broadcast */

static bool use_waitv(void)
{
    int st = atomic_load_explicit(&waitv_state, memory_order_relaxed);

    if (st == 0) {
        const char *env = getenv("WSAIO_NO_FUTEX_WAITV");

        if (env && *env && strcmp(env, "0") != 0) {
            st = 2;
        } else {
            /* An empty vector is EINVAL where the call exists, ENOSYS where it does not. */
            st = wsaio_futex_waitv(NULL, 0, NULL) == -ENOSYS ? 2 : 1;
        }
        atomic_store_explicit(&waitv_state, st, memory_order_relaxed);
    }
    return st == 1;
}

WSAIO_EXPORT const char *wsaio_wait_mechanism(void)
{
    return use_waitv() ? "futex_waitv" : "futex-broadcast";
}

void wsaio_wait_bcast_kick(void)
{
    if (atomic_load(&bcast_waiters)) {
        atomic_fetch_add(&bcast_word, 1);
        wsaio_futex_wake(&bcast_word, INT_MAX);
    }
}

/* After w's word changed: wakes whoever sleeps on it. seq_cst change before, seq_cst loads
 * here: pairs with the waiter's registration then read (a sleeper on the word, or a reaper
 * in the backend that registered in ring_waiters). Nobody waiting: no system call. */
static void wake_waiters(struct wsaio_waitable *w)
{
    if (atomic_load(&w->waiters))
        wsaio_futex_wake(&w->word, INT_MAX);
    wsaio_wait_bcast_kick();
    if (atomic_load(&w->ring_waiters))
        wsaio_loop_kick();
}

void wsaio_waitable_set(struct wsaio_waitable *w)
{
    uint32_t old = atomic_load_explicit(&w->word, memory_order_relaxed);

    do {
        if (old & WSAIO_SIGNALLED)
            return;
    } while (
        !atomic_compare_exchange_weak(&w->word, &old, (old + WSAIO_SEQ_ONE) | WSAIO_SIGNALLED));
    wake_waiters(w);
}

void wsaio_waitable_wake(struct wsaio_waitable *w)
{
    wake_waiters(w);
}

void wsaio_waitable_pulse(struct wsaio_waitable *w)
{
    atomic_fetch_add(&w->word, WSAIO_SEQ_ONE);
    wake_waiters(w);
}

void wsaio_wait_kick_thread(struct wsaio_tstate *ts)
{
    if (atomic_load(&ts->alertable)) {
        wsaio_futex_wake(&ts->apc_seq, 1);
        wsaio_wait_bcast_kick();
    }
    /* The thread may be the reaper, asleep in the backend in an alertable wait. */
    if (atomic_load(&ts->in_ring))
        wsaio_loop_kick();
}

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

/* Wait-any: the lowest index that is signalled, or that was set since the wait began
 * (a manual-reset object set and reset while we slept still released us). */
static int satisfy_any(struct wsaio_waitable *const *objs, const uint32_t *w, const uint32_t *seq0,
                       unsigned n, int *abandoned)
{
    for (unsigned i = 0; i < n; i++) {
        if (w[i] & WSAIO_RESERVED)
            return RETRY;                    /* a wait-all is taking it: its outcome decides */
        if (wsaio_waitable_owned(objs[i])) { /* a mutex the caller owns: once more */
            wsaio_waitable_took(objs[i]);
            return (int)i;
        }
        if (w[i] & WSAIO_SIGNALLED) {
            uint32_t expect = w[i];

            if (!objs[i]->auto_reset)
                return (int)i;
            if (atomic_compare_exchange_strong(&objs[i]->word, &expect,
                                               wsaio_waitable_taken(objs[i], w[i]))) {
                if (wsaio_waitable_took(objs[i]))
                    *abandoned = (int)i;
                return (int)i;
            }
            return RETRY; /* another waiter took it; look again */
        }
        if (!objs[i]->auto_reset && WSAIO_SEQ(w[i]) != seq0[i])
            return (int)i;
    }
    return NONE;
}

/* Consumes an object reserved by a wait-all (a release or reset may change its word
 * meanwhile, hence the loop); a mutex the caller already owns was not reserved. True for
 * an abandoned mutex. */
static bool take_reserved(struct wsaio_waitable *o)
{
    uint32_t cur = atomic_load(&o->word);

    if (!wsaio_waitable_owned(o)) {
        while (!atomic_compare_exchange_weak(&o->word, &cur,
                                             wsaio_waitable_taken(o, cur) & ~WSAIO_RESERVED))
            ;
    }
    return wsaio_waitable_took(o);
}

static void unreserve(struct wsaio_waitable *const *objs, unsigned upto)
{
    for (unsigned i = 0; i < upto; i++)
        if (objs[i]->auto_reset)
            atomic_fetch_and(&objs[i]->word, ~WSAIO_RESERVED);
}

/*
 * Wait-all: every word read signalled; auto-reset objects are then reserved by compare-
 * and-swap from exactly the value read, and manual ones re-read unchanged. Words only
 * return to an earlier value through a new set, which bumps the sequence, so "unchanged"
 * means "signalled throughout": all were signalled at the instant between the two passes.
 * Then the reserved objects are consumed. If any step fails, the reservations are dropped
 * (a reset that came meanwhile stays) and the caller retries: a wait-all takes all of them
 * or none, and no observer ever sees one taken alone.
 */
static int satisfy_all(struct wsaio_waitable *const *objs, const uint32_t *w, unsigned n,
                       int *abandoned)
{
    unsigned i;

    for (i = 0; i < n; i++) {
        if (w[i] & WSAIO_RESERVED)
            return RETRY;
        if (!(w[i] & WSAIO_SIGNALLED) && !wsaio_waitable_owned(objs[i]))
            return NONE;
    }
    for (i = 0; i < n; i++) {
        uint32_t expect = w[i];

        if (objs[i]->auto_reset && !wsaio_waitable_owned(objs[i]) &&
            !atomic_compare_exchange_strong(&objs[i]->word, &expect, w[i] | WSAIO_RESERVED)) {
            unreserve(objs, i);
            return RETRY;
        }
    }
    for (i = 0; i < n; i++) {
        if (!objs[i]->auto_reset && atomic_load(&objs[i]->word) != w[i]) {
            unreserve(objs, n);
            return RETRY;
        }
    }
    /* An abandoned mutex among them: WAIT_ABANDONED_0 itself, whichever index it has (as
     * Wine answers, and within the range Windows documents for a wait-all). */
    for (i = 0; i < n; i++)
        if (objs[i]->auto_reset && take_reserved(objs[i]))
            *abandoned = 0;
    return 0;
}

static int sleep_futex(struct wsaio_waitable *const *objs, const uint32_t *w, unsigned n,
                       struct wsaio_tstate *ts, uint32_t apc_seen, bool bcast, uint32_t bcast_seen,
                       uint32_t token_seen, const struct timespec *deadline)
{
    struct wsaio_futex_waitv v[MAX_OBJECTS + 2];
    unsigned k = 0;

    if (bcast)
        return wsaio_futex_wait(&bcast_word, bcast_seen, deadline);
    if (wsaio_loop_busy() || wsaio_loop_wanting()) {
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
        wsaio_waitv_entry(&v[k++], wsaio_loop_token_word(), token_seen);
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
    struct wsaio_waitable *const *objs;
    const uint32_t *w;
    unsigned n;
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

    for (unsigned i = 0; i < c->n; i++) {
        if (arm)
            atomic_fetch_add(&c->objs[i]->ring_waiters, 1);
        else
            atomic_fetch_sub(&c->objs[i]->ring_waiters, 1);
    }
    if (c->ts)
        atomic_store(&c->ts->in_ring, arm);
    if (!arm)
        return false;
    for (unsigned i = 0; i < c->n; i++)
        if (atomic_load(&c->objs[i]->word) != c->w[i])
            return true;
    return c->ts && atomic_load(&c->ts->apc_seq) != c->apc_seen;
}

DWORD wsaio_wait(struct wsaio_waitable *const *objs, unsigned n, bool wait_all, DWORD timeout,
                 bool alertable)
{
    return wsaio_wait_from(objs, n, NULL, wait_all, timeout, alertable);
}

DWORD wsaio_wait_from(struct wsaio_waitable *const *objs, unsigned n, const uint32_t *seq_start,
                      bool wait_all, DWORD timeout, bool alertable)
{
    struct wsaio_tstate *ts = alertable ? wsaio_tstate_self() : NULL;
    uint32_t w[MAX_OBJECTS], seq0[MAX_OBJECTS];
    struct timespec deadline, *dl = NULL;
    bool bcast = !use_waitv() && (n > 1 || (n == 1 && ts));
    DWORD result;
    unsigned i;

    if (timeout != INFINITE && timeout != 0) {
        deadline_after(timeout, &deadline);
        dl = &deadline;
    }
    /* The set sequences read first define when the wait began: a set after this point
     * releases it even if the object is reset before this thread looks again. Read after
     * registering, a set and reset in between would be missed by both sides. */
    for (i = 0; i < n; i++)
        seq0[i] = seq_start ? seq_start[i] : WSAIO_SEQ(atomic_load(&objs[i]->word));
    wsaio_loop_enter_wait();
    if (bcast)
        atomic_fetch_add(&bcast_waiters, 1);

    for (;;) {
        uint32_t bcast_seen = bcast ? atomic_load(&bcast_word) : 0;
        uint32_t apc_seen = ts ? atomic_load(&ts->apc_seq) : 0;
        uint32_t token_seen = atomic_load(wsaio_loop_token_word());
        struct seen c = {objs, w, n, ts, apc_seen};
        int r, abandoned = -1; /* index of a mutex whose owner exited holding it */

        for (i = 0; i < n; i++)
            w[i] = atomic_load(&objs[i]->word);
        r = wait_all ? satisfy_all(objs, w, n, &abandoned)
                     : satisfy_any(objs, w, seq0, n, &abandoned);
        if (r == RETRY) { /* contended for a moment: let the other thread finish */
            sched_yield();
            continue;
        }
        if (r >= 0) {
            result =
                abandoned >= 0 ? WAIT_ABANDONED_0 + (DWORD)abandoned : WAIT_OBJECT_0 + (DWORD)r;
            break;
        }
        if (ts && wsaio_apc_pending(ts)) {
            wsaio_loop_release();
            wsaio_apc_run_all(ts);
            result = WAIT_IO_COMPLETION;
            break;
        }
        if (timeout == 0 || (dl && deadline_passed(dl))) {
            result = WAIT_TIMEOUT;
            break;
        }
        /* A timeout or a wake both lead back to the checks above. With operations in
         * flight this thread may sleep in the backend instead, reaping them. */
        if (!wsaio_loop_reap(dl, ring_watch, &c))
            sleep_on(objs, w, n, ts, apc_seen, bcast, bcast_seen, token_seen, dl);
    }

    if (bcast)
        atomic_fetch_sub(&bcast_waiters, 1);
    wsaio_loop_leave_wait();
    return result;
}

/*
 * Validates a handle array and waits on it. type is WSAIO_OBJ_EVENT for the Winsock form
 * and 0 (events or threads) for the kernel32 form; both report through the same codes
 * (WSA_INVALID_HANDLE == ERROR_INVALID_HANDLE, WSA_INVALID_PARAMETER ==
 * ERROR_INVALID_PARAMETER). References are held for the whole wait, so an object closed
 * meanwhile stays alive until the wait returns.
 */
/* The waitable of an object a wait accepts; NULL for other objects. Semaphores and
 * mutexes share the event's layout (header, waitable). */
static struct wsaio_waitable *waitable_of(struct wsaio_object *obj)
{
    switch (obj->type) {
    case WSAIO_OBJ_EVENT:
    case WSAIO_OBJ_SEMAPHORE:
    case WSAIO_OBJ_MUTEX:
        return &((struct wsaio_event *)obj)->w;
    case WSAIO_OBJ_THREAD:
        return &((struct wsaio_thread *)obj)->done;
    default:
        return NULL;
    }
}

static DWORD wait_handles(DWORD count, const HANDLE *handles, BOOL wait_all, DWORD timeout,
                          BOOL alertable, uint32_t type)
{
    struct wsaio_object *held[MAX_OBJECTS];
    struct wsaio_waitable *objs[MAX_OBJECTS];
    DWORD i, j, result;

    if (count == 0 || count > MAX_OBJECTS || wsaio_bad_ptr(handles)) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    for (i = 0; i < count; i++) {
        held[i] = wsaio_handle_ref(handles[i], type);
        if (!held[i] || !waitable_of(held[i])) {
            if (held[i])
                wsaio_object_put(held[i]);
            for (j = 0; j < i; j++)
                wsaio_object_put(held[j]);
            wsaio_set_error(ERROR_INVALID_HANDLE);
            return WAIT_FAILED;
        }
        objs[i] = waitable_of(held[i]);
    }
    result = 0;
    if (wait_all) {
        for (i = 0; i < count && result == 0; i++)
            for (j = i + 1; j < count; j++)
                if (objs[i] == objs[j]) {
                    result = WAIT_FAILED;
                    break;
                }
    }
    if (result == WAIT_FAILED)
        wsaio_set_error(ERROR_INVALID_PARAMETER);
    else
        result = wsaio_wait(objs, count, wait_all, timeout, alertable);
    for (i = 0; i < count; i++)
        wsaio_object_put(held[i]);
    return result;
}

WSAIO_EXPORT DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents,
                                                   BOOL fWaitAll, DWORD dwTimeout, BOOL fAlertable)
{
    return wait_handles(cEvents, lphEvents, fWaitAll, dwTimeout, fAlertable, WSAIO_OBJ_EVENT);
}

WSAIO_EXPORT DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles,
                                                   BOOL bWaitAll, DWORD dwMilliseconds,
                                                   BOOL bAlertable)
{
    return wait_handles(nCount, lpHandles, bWaitAll, dwMilliseconds, bAlertable, 0);
}

WSAIO_EXPORT DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles,
                                                 BOOL bWaitAll, DWORD dwMilliseconds)
{
    return wait_handles(nCount, lpHandles, bWaitAll, dwMilliseconds, FALSE, 0);
}

WSAIO_EXPORT DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds,
                                                BOOL bAlertable)
{
    return wait_handles(1, &hHandle, FALSE, dwMilliseconds, bAlertable, 0);
}

WSAIO_EXPORT DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
{
    return wait_handles(1, &hHandle, FALSE, dwMilliseconds, FALSE, 0);
}

WSAIO_EXPORT DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable)
{
    DWORD r;

    if (dwMilliseconds == 0 && !bAlertable) {
        sched_yield();
        return 0;
    }
    r = wsaio_wait(NULL, 0, false, dwMilliseconds, bAlertable);
    return r == WAIT_IO_COMPLETION ? WAIT_IO_COMPLETION : 0;
}

WSAIO_EXPORT void WINAPI Sleep(DWORD dwMilliseconds)
{
    SleepEx(dwMilliseconds, FALSE);
}
