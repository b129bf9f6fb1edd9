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
 * This file is one kind of waiter of the loop (core/loop.c, wsaio_loop_wait): the loop
 * owns the sleep, the reaping and the routines; this file decides when a wait on objects
 * is satisfied.
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

enum { NONE = WSAIO_WAIT_NONE, RETRY = WSAIO_WAIT_RETRY };

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

/* A wait on objects, as a waiter of the loop. */
struct obj_waiter {
    struct wsaio_waiter base;
    bool wait_all;
    uint32_t w[MAX_OBJECTS];    /* the words as the last check read them */
    uint32_t seq0[MAX_OBJECTS]; /* the set sequences when the wait began */
};

static int obj_check(struct wsaio_waiter *self)
{
    struct obj_waiter *o = (struct obj_waiter *)self;
    struct wsaio_waitable *const *objs = self->objs;
    unsigned n = self->n;
    int r, abandoned = -1; /* index of a mutex whose owner exited holding it */

    for (unsigned i = 0; i < n; i++)
        o->w[i] = atomic_load(&objs[i]->word);
    r = o->wait_all ? satisfy_all(objs, o->w, n, &abandoned)
                    : satisfy_any(objs, o->w, o->seq0, n, &abandoned);
    if (r < 0)
        return r; /* NONE or RETRY */
    return abandoned >= 0 ? (int)WAIT_ABANDONED_0 + abandoned : (int)WAIT_OBJECT_0 + r;
}

DWORD wsaio_wait(struct wsaio_waitable *const *objs, unsigned n, bool wait_all, DWORD timeout,
                 bool alertable)
{
    return wsaio_wait_from(objs, n, NULL, wait_all, timeout, alertable);
}

DWORD wsaio_wait_from(struct wsaio_waitable *const *objs, unsigned n, const uint32_t *seq_start,
                      bool wait_all, DWORD timeout, bool alertable)
{
    struct obj_waiter o;
    int r;

    o.base.check = obj_check;
    o.base.objs = objs;
    o.base.seen = o.w;
    o.base.n = n;
    o.wait_all = wait_all;
    /* The set sequences read first define when the wait began: a set after this point
     * releases it even if the object is reset before this thread looks again. Read after
     * registering, a set and reset in between would be missed by both sides. */
    for (unsigned i = 0; i < n; i++)
        o.seq0[i] = seq_start ? seq_start[i] : WSAIO_SEQ(atomic_load(&objs[i]->word));
    r = wsaio_loop_wait(&o.base, timeout, alertable);
    if (r == WSAIO_WAIT_APC)
        return WAIT_IO_COMPLETION;
    if (r == WSAIO_WAIT_TIMEOUT)
        return WAIT_TIMEOUT;
    return (DWORD)r;
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
