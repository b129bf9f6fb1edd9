/*
 * k_events.c - conformance section K: event objects (WSACreateEvent, WSASetEvent,
 * WSAResetEvent, WSACloseEvent).
 *
 * What Windows does: a WSAEVENT is an ordinary kernel event HANDLE, created manual-reset and
 * non-signalled, so the four functions are thin wrappers over CreateEvent, SetEvent,
 * ResetEvent and CloseHandle: they work without WSAStartup, a set event stays signalled
 * through any number of waits and releases every waiter, CloseHandle closes it like
 * WSACloseEvent, and any handle that is not a live event (NULL, closed, a socket) fails with
 * WSA_INVALID_HANDLE (6). Handle values are multiples of 4, so bit 0 is clear.
 *
 * Covers conformance items K.173 to K.181. The zero-timeout state probes use
 * WSAWaitForMultipleEvents, whose own behaviour is section L (l_wait.c). WSACloseEvent is
 * not tried on a socket: on Windows it is CloseHandle and would close the socket.
 */
#include "harness.h"

/* WSA_WAIT_EVENT_0 when ev is signalled, WSA_WAIT_TIMEOUT when not (does not block). */
static DWORD probe(WSAEVENT ev)
{
    return WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE);
}

static WSAEVENT new_event(void)
{
    WSAEVENT ev = WSACreateEvent();

    CHECK(ev != WSA_INVALID_EVENT);
    return ev;
}

/* fn(ev) must fail with FALSE and WSA_INVALID_HANDLE. */
static void check_invalid_handle(BOOL (*fn)(WSAEVENT), WSAEVENT ev)
{
    WSASetLastError(0);
    CHECK_EQ(fn(ev), FALSE);
    CHECK_ERR(WSA_INVALID_HANDLE);
}

static SOCKET udp_socket(void)
{
    harness_startup();
    return harness_udp_socket(FALSE);
}

/* An event that has been closed with WSACloseEvent. */
static WSAEVENT closed_event(void)
{
    WSAEVENT ev = new_event();

    CHECK(WSACloseEvent(ev));
    return ev;
}

TEST(k173_create_gives_nonsignalled_event_bit0_clear)
{
    WSAEVENT ev;

    harness_startup();
    ev = WSACreateEvent();
    CHECK(ev != NULL);
    CHECK_EQ((ULONG_PTR)ev & 1, 0);
    SOFT_CHECK(((ULONG_PTR)ev & 3) == 0); /* api.md 0.5: multiples of 4, as on Windows */
    CHECK_EQ(probe(ev), WSA_WAIT_TIMEOUT);
}

TEST(k174_set_event_stays_signalled)
{
    WSAEVENT ev;

    harness_startup();
    ev = new_event();
    CHECK_EQ(WSASetEvent(ev), TRUE);
    CHECK_EQ(probe(ev), WSA_WAIT_EVENT_0);
    CHECK_EQ(probe(ev), WSA_WAIT_EVENT_0);
}

TEST(k174_set_signalled_event_again_succeeds)
{
    WSAEVENT ev;

    harness_startup();
    ev = new_event();
    CHECK_EQ(WSASetEvent(ev), TRUE);
    CHECK_EQ(WSASetEvent(ev), TRUE);
    CHECK_EQ(probe(ev), WSA_WAIT_EVENT_0);
}

TEST(k175_reset_makes_event_nonsignalled)
{
    WSAEVENT ev;

    harness_startup();
    ev = new_event();
    CHECK(WSASetEvent(ev));
    CHECK_EQ(WSAResetEvent(ev), TRUE);
    CHECK_EQ(probe(ev), WSA_WAIT_TIMEOUT);
}

TEST(k175_reset_nonsignalled_event_succeeds)
{
    WSAEVENT ev;

    harness_startup();
    ev = new_event();
    CHECK_EQ(WSAResetEvent(ev), TRUE);
    CHECK_EQ(probe(ev), WSA_WAIT_TIMEOUT);
}

TEST(k176_close_event_succeeds)
{
    WSAEVENT ev;

    harness_startup();
    ev = new_event();
    CHECK_EQ(WSACloseEvent(ev), TRUE);
}

TEST(k176_set_after_close_fails)
{
    harness_startup();
    check_invalid_handle(WSASetEvent, closed_event());
}

TEST(k176_reset_after_close_fails)
{
    harness_startup();
    check_invalid_handle(WSAResetEvent, closed_event());
}

TEST(k176_close_twice_fails)
{
    harness_startup();
    check_invalid_handle(WSACloseEvent, closed_event());
}

TEST(k177_set_null_fails)
{
    harness_startup();
    check_invalid_handle(WSASetEvent, NULL);
}

TEST(k177_reset_null_fails)
{
    harness_startup();
    check_invalid_handle(WSAResetEvent, NULL);
}

TEST(k177_close_null_fails)
{
    harness_startup();
    check_invalid_handle(WSACloseEvent, NULL);
}

struct waiter {
    WSAEVENT ev;
    DWORD result;
};

static DWORD WINAPI wait_infinite(LPVOID arg)
{
    struct waiter *w = arg;

    w->result = WSAWaitForMultipleEvents(1, &w->ev, FALSE, WSA_INFINITE, FALSE);
    return 0;
}

TEST(k178_set_wakes_every_waiter)
{
    struct waiter w[2];
    HANDLE t[2];
    WSAEVENT ev;
    int i;

    harness_startup();
    ev = new_event();
    for (i = 0; i < 2; i++) {
        w[i].ev = ev;
        w[i].result = 0xBAD;
        t[i] = harness_thread(wait_infinite, &w[i]);
    }
    /* Both threads must still be blocked before the event is set; nothing shows from
     * outside that they are inside their wait. */
    Sleep(150);
    CHECK_EQ(WaitForSingleObject(t[0], 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(t[1], 0), WAIT_TIMEOUT);
    CHECK(WSASetEvent(ev));
    for (i = 0; i < 2; i++) {
        CHECK_EQ(WaitForSingleObject(t[i], 2000), WAIT_OBJECT_0);
        CHECK_EQ(w[i].result, WSA_WAIT_EVENT_0);
        CloseHandle(t[i]);
    }
}

TEST(k179_events_work_without_startup)
{
    WSAEVENT ev;
    double t0;

    /* No harness_startup(): the event functions must not need it. */
    ev = WSACreateEvent();
    CHECK(ev != WSA_INVALID_EVENT);
    t0 = harness_now_ms();
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 100, FALSE), WSA_WAIT_TIMEOUT);
    CHECK_ELAPSED_GE(t0, 100);
    CHECK_EQ(WSASetEvent(ev), TRUE);
    CHECK_EQ(probe(ev), WSA_WAIT_EVENT_0);
    CHECK_EQ(WSAResetEvent(ev), TRUE);
    CHECK_EQ(probe(ev), WSA_WAIT_TIMEOUT);
    CHECK_EQ(WSACloseEvent(ev), TRUE);
}

TEST(k179_bad_handle_without_startup_is_invalid_handle)
{
    /* Without startup a bad handle is still WSA_INVALID_HANDLE, not WSANOTINITIALISED. */
    check_invalid_handle(WSASetEvent, NULL);
}

TEST(k180_set_event_on_socket_fails)
{
    check_invalid_handle(WSASetEvent, (WSAEVENT)udp_socket());
}

TEST(k180_reset_event_on_socket_fails)
{
    check_invalid_handle(WSAResetEvent, (WSAEVENT)udp_socket());
}

TEST(k181_closehandle_closes_event)
{
    WSAEVENT ev;

    harness_startup();
    ev = new_event();
    CHECK_EQ(CloseHandle(ev), TRUE);
    check_invalid_handle(WSASetEvent, ev);
}

TEST(k181_wsacloseevent_after_closehandle_fails)
{
    WSAEVENT ev;

    harness_startup();
    ev = new_event();
    CHECK_EQ(CloseHandle(ev), TRUE);
    check_invalid_handle(WSACloseEvent, ev);
}

TEST(k181_closehandle_after_wsacloseevent_fails)
{
    WSAEVENT ev;

    harness_startup();
    ev = closed_event();
    SetLastError(0);
    CHECK_EQ(CloseHandle(ev), FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}
