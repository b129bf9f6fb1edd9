/*
 * wait_races.c - the wait engine against the races it is built to survive.
 *
 * - pulse: a manual-reset event set and at once reset still releases a thread that was
 *   already waiting (Windows releases every waiter at the set).
 * - wait-all atomicity: a wait-all over two auto-reset events takes both or neither, while
 *   another thread competes for one of them.
 * - ping-pong: many round trips through auto-reset events lose no wake-up.
 * - close while waited on: the waiter keeps waiting on the object and times out normally.
 * Run twice by the build: with futex_waitv and with WSAIO_NO_FUTEX_WAITV=1.
 */
#include <stdatomic.h>

#include "unit.h"

#include "base/handle.h"
#include "sync/event.h"

static HANDLE ev_a, ev_b, ev_done, ev_go;
static _Atomic int winner; /* 1: the wait-all thread, 2: the single waiter */
static _Atomic int stop;

/* Threads currently inside a wait on event h (internal view, to time the pulse). */
static unsigned waiters_of(HANDLE h)
{
    struct wsaio_object *obj = wsaio_handle_ref(h, WSAIO_OBJ_EVENT);
    unsigned n;

    CHECK(obj != NULL);
    n = atomic_load(&((struct wsaio_event *)obj)->w.waiters);
    wsaio_object_put(obj);
    return n;
}

static DWORD WINAPI pulse_waiter(LPVOID arg)
{
    HANDLE *evs = arg; /* [0] the pulsed event, [1] "woke", [2] "go" */

    for (int i = 0; i < 500; i++) {
        CHECK_EQ(WaitForSingleObject(evs[2], 10000), WAIT_OBJECT_0);
        CHECK_EQ(WaitForSingleObject(evs[0], 10000), WAIT_OBJECT_0);
        SetEvent(evs[1]);
    }
    return 0;
}

static void pulse(void)
{
    HANDLE evs[3] = {CreateEventA(NULL, TRUE, FALSE, NULL), CreateEventA(NULL, FALSE, FALSE, NULL),
                     CreateEventA(NULL, FALSE, FALSE, NULL)};
    HANDLE t = CreateThread(NULL, 0, pulse_waiter, evs, 0, NULL);

    for (int i = 0; i < 500; i++) {
        SetEvent(evs[2]);
        while (waiters_of(evs[0]) == 0) /* the waiter is inside its wait */
            Sleep(0);
        SetEvent(evs[0]);
        ResetEvent(evs[0]);
        CHECK_EQ(WaitForSingleObject(evs[1], 10000), WAIT_OBJECT_0);
    }
    CHECK_EQ(WaitForSingleObject(t, 20000), WAIT_OBJECT_0);
    CloseHandle(t);
    for (int i = 0; i < 3; i++)
        CloseHandle(evs[i]);
}

static DWORD WINAPI all_waiter(LPVOID arg)
{
    HANDLE both[2] = {ev_a, ev_b};

    (void)arg;
    while (!atomic_load(&stop)) {
        if (WaitForMultipleObjects(2, both, TRUE, 50) == WAIT_OBJECT_0) {
            atomic_store(&winner, 1);
            SetEvent(ev_done);
        }
    }
    return 0;
}

static DWORD WINAPI b_waiter(LPVOID arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        if (WaitForSingleObject(ev_b, 50) == WAIT_OBJECT_0) {
            atomic_store(&winner, 2);
            SetEvent(ev_done);
        }
    }
    return 0;
}

static void wait_all_atomic(void)
{
    HANDLE t1, t2;
    int by_all = 0, by_b = 0;

    ev_a = CreateEventA(NULL, FALSE, FALSE, NULL);
    ev_b = CreateEventA(NULL, FALSE, FALSE, NULL);
    ev_done = CreateEventA(NULL, FALSE, FALSE, NULL);
    t1 = CreateThread(NULL, 0, all_waiter, NULL, 0, NULL);
    t2 = CreateThread(NULL, 0, b_waiter, NULL, 0, NULL);
    for (int i = 0; i < 3000; i++) {
        SetEvent(ev_a);
        SetEvent(ev_b);
        CHECK_EQ(WaitForSingleObject(ev_done, 10000), WAIT_OBJECT_0);
        /* A is only ever taken by the wait-all, together with B. */
        if (atomic_load(&winner) == 1) {
            CHECK_EQ(WaitForSingleObject(ev_a, 0), WAIT_TIMEOUT);
            by_all++;
        } else {
            CHECK_EQ(WaitForSingleObject(ev_a, 0), WAIT_OBJECT_0); /* still there: take it */
            by_b++;
        }
    }
    atomic_store(&stop, 1);
    WaitForSingleObject(t1, 10000);
    WaitForSingleObject(t2, 10000);
    CloseHandle(t1);
    CloseHandle(t2);
    CloseHandle(ev_a);
    CloseHandle(ev_b);
    CloseHandle(ev_done);
    printf("wait-all rounds: %d taken by the wait-all, %d by the single waiter\n", by_all, by_b);
}

static DWORD WINAPI ponger(LPVOID arg)
{
    HANDLE *e = arg;

    for (int i = 0; i < 20000; i++) {
        CHECK_EQ(WaitForSingleObject(e[0], 10000), WAIT_OBJECT_0);
        SetEvent(e[1]);
    }
    return 0;
}

static void ping_pong(void)
{
    HANDLE e[2] = {CreateEventA(NULL, FALSE, FALSE, NULL), CreateEventA(NULL, FALSE, FALSE, NULL)};
    HANDLE t = CreateThread(NULL, 0, ponger, e, 0, NULL);

    for (int i = 0; i < 20000; i++) {
        SetEvent(e[0]);
        CHECK_EQ(WaitForSingleObject(e[1], 10000), WAIT_OBJECT_0);
    }
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
    CloseHandle(e[0]);
    CloseHandle(e[1]);
}

static DWORD WINAPI waits_on_closed(LPVOID arg)
{
    HANDLE e = arg;

    SetEvent(ev_go);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &e, FALSE, 300, FALSE), WSA_WAIT_TIMEOUT);
    return 0;
}

static void close_while_waited(void)
{
    HANDLE e = WSACreateEvent(), t;

    ev_go = CreateEventA(NULL, FALSE, FALSE, NULL);
    t = CreateThread(NULL, 0, waits_on_closed, e, 0, NULL);
    CHECK_EQ(WaitForSingleObject(ev_go, 10000), WAIT_OBJECT_0);
    Sleep(20); /* into the wait: nothing shows from outside that it sleeps there */
    CHECK(WSACloseEvent(e));
    CHECK(!WSASetEvent(e)); /* the handle is gone; the waiter still holds the object */
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
    CloseHandle(ev_go);
}

TEST(wait_races)
{
    printf("wait mechanism: %s\n", wsaio_wait_mechanism());
    pulse();
    wait_all_atomic();
    ping_pong();
    close_while_waited();
    printf("wait_races: ok\n");
}
