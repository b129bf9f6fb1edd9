/*
 * port_release.c - which waiting thread a completion port releases, and how many at once
 * (spec/conformance.md section Z, items 385-387; api.md 4.17, 4.18).
 *
 * Threads are made to block in GetQueuedCompletionStatus one after the other: each is
 * started only once the port counts the previous ones as waiting (wsaio_port_waiting), so
 * the order is certain. A released thread that must keep running (not come back, not
 * sleep in a wsaio wait) spins on a flag with sched_yield; a thread blocked in a wsaio wait
 * does not count against the port's limit.
 */
#include <sched.h>
#include <stdatomic.h>

#include "unit.h"

#include "core/port.h"

#define THREADS 3

struct waiter {
    HANDLE port;
    int index;
    ULONG_PTR key;          /* the key of the packet it got */
    _Atomic int got;        /* 1 once GetQueuedCompletionStatus returned */
    _Atomic int *hold;      /* while *hold: keep running after the packet (spin) */
    HANDLE park;            /* non-NULL: wait on it after the packet (a wsaio wait) */
    _Atomic long *back_key; /* non-NULL: come back, take one packet at once, store its key */
};

static _Atomic int released_order[THREADS];
static _Atomic int slots;    /* places taken in released_order */
static _Atomic int released; /* threads whose release is fully recorded */

static DWORD WINAPI wait_packet(LPVOID arg)
{
    struct waiter *w = arg;
    LPOVERLAPPED ov;
    DWORD n;

    CHECK(GetQueuedCompletionStatus(w->port, &n, &w->key, &ov, 10000));
    released_order[atomic_fetch_add(&slots, 1)] = w->index;
    w->got = 1;
    released++; /* last: the main thread reads the rest after it */
    while (w->hold && *w->hold)
        sched_yield(); /* running: still counts for the port */
    if (w->park)
        CHECK_EQ(WaitForSingleObject(w->park, 10000), WAIT_OBJECT_0);
    if (w->back_key) {
        ULONG_PTR key = 0;

        CHECK(GetQueuedCompletionStatus(w->port, &n, &key, &ov, 0));
        *w->back_key = (long)key;
    }
    return 0;
}

struct count_arg {
    HANDLE port;
    unsigned n;
};

static BOOL port_has_waiting(void *arg)
{
    struct count_arg *c = arg;

    return wsaio_port_waiting(c->port) == c->n;
}

static BOOL released_reaches(void *arg)
{
    return released >= *(int *)arg;
}

/* Starts w on its own thread and waits until the port has `waiting` threads blocked. */
static HANDLE start_waiter(struct waiter *w, unsigned waiting)
{
    struct count_arg c = {w->port, waiting};
    HANDLE t = CreateThread(NULL, 0, wait_packet, w, 0, NULL);

    CHECK(t != NULL);
    CHECK(harness_wait_until(port_has_waiting, &c, 5000));
    return t;
}

static void post_and_wait(HANDLE port, ULONG_PTR key, int released_then)
{
    CHECK(PostQueuedCompletionStatus(port, 0, key, NULL));
    CHECK(harness_wait_until(released_reaches, &released_then, 5000));
}

static void reset_counts(void)
{
    released = slots = 0;
    for (int i = 0; i < THREADS; i++)
        released_order[i] = -1;
}

TEST(z385_last_to_wait_is_released_first)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, THREADS);
    struct waiter w[THREADS];
    HANDLE t[THREADS];

    CHECK(port != NULL);
    reset_counts();
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct waiter){.port = port, .index = i};
        t[i] = start_waiter(&w[i], (unsigned)i + 1);
    }
    for (int i = 0; i < THREADS; i++) {
        post_and_wait(port, 100 + (ULONG_PTR)i, i + 1);
        CHECK_EQ(released_order[i], THREADS - 1 - i); /* the most recent waiter first */
        CHECK_EQ(w[THREADS - 1 - i].key, 100 + (ULONG_PTR)i);
        CHECK_EQ(wsaio_port_waiting(port), (unsigned)(THREADS - 1 - i));
    }
    for (int i = 0; i < THREADS; i++)
        harness_join(t[i]);
    CHECK(CloseHandle(port));
}

TEST(z386_no_more_released_than_the_limit_until_one_comes_back)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    _Atomic int hold = 1;
    _Atomic long back_key = 0;
    struct waiter a = {.port = port, .index = 0};
    struct waiter b = {.port = port, .index = 1, .hold = &hold, .back_key = &back_key};
    HANDLE ta, tb;
    LPOVERLAPPED ov;
    ULONG_PTR key;
    DWORD n;

    CHECK(port != NULL);
    reset_counts();
    ta = start_waiter(&a, 1);
    tb = start_waiter(&b, 2);
    post_and_wait(port, 1, 1);
    CHECK(b.got && !a.got);
    /* b runs and has not come back: the second packet stays queued, a keeps waiting, and
     * a poll by a thread the port never released does not take it either. */
    CHECK(PostQueuedCompletionStatus(port, 0, 2, NULL));
    Sleep(200); /* nothing to wait for: a must stay blocked */
    CHECK(!a.got);
    CHECK_EQ(wsaio_port_waiting(port), 1);
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(port, &n, &key, &ov, 0));
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    /* b comes back: it takes the queued packet itself, at once; a still waits. */
    hold = 0;
    harness_join(tb);
    CHECK_EQ(back_key, 2);
    /* b has exited (it came back for good): the next packet releases a. */
    post_and_wait(port, 3, 2);
    harness_join(ta);
    CHECK_EQ(a.key, 3);
    CHECK(CloseHandle(port));
}

TEST(z387_a_released_thread_asleep_in_a_wait_does_not_count)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    HANDLE park = CreateEvent(NULL, TRUE, FALSE, NULL);
    struct waiter a = {.port = port, .index = 0};
    struct waiter b = {.port = port, .index = 1, .park = park};
    HANDLE ta, tb;

    CHECK(port != NULL && park != NULL);
    reset_counts();
    ta = start_waiter(&a, 1);
    tb = start_waiter(&b, 2);
    post_and_wait(port, 1, 1);
    CHECK(b.got && !a.got);
    /* b blocks in WaitForSingleObject: the limit lets a run (no deadlock when b waits for
     * something a is to do). */
    post_and_wait(port, 2, 2);
    CHECK_EQ(a.key, 2);
    CHECK(SetEvent(park));
    harness_join(tb);
    harness_join(ta);
    CHECK(CloseHandle(park));
    CHECK(CloseHandle(port));
}
