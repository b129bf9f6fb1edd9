/*
 * m_eventselect.c - conformance section M: WSAEventSelect and WSAEnumNetworkEvents
 * (api.md 4.14, 4.15, in particular the record model of 4.14.3).
 *
 * What Windows does: WSAEventSelect makes the socket non-blocking and gives it one (event,
 * mask) pair, replacing any earlier one. Every socket keeps a record of network events
 * (FD_READ, FD_WRITE, FD_ACCEPT, FD_CONNECT, FD_CLOSE, FD_OOB ...) whether or not it has a
 * selection; recording a selected bit sets the event, and selecting a mask that meets
 * recorded bits sets it at once. WSAEnumNetworkEvents reports and clears the selected bits
 * of the record (others stay), writes iErrorCode only for the reported bits and resets the
 * event passed to it. FD_READ, FD_OOB and FD_ACCEPT are level-triggered through the
 * re-enabling calls (recv, accept, ...): what is left after such a call is recorded again,
 * and each new arrival records FD_READ again; FD_WRITE is recorded on connection and after
 * a WSAEWOULDBLOCK send once space frees (send does not clear it); FD_CONNECT and FD_CLOSE
 * are one-shot, FD_CLOSE comes as soon as the FIN arrives (error 0) or on a reset
 * (WSAECONNABORTED; WSAECONNRESET accepted, api.md 9 item 1). A socket accepted from a
 * selected listener inherits the event and mask. Data or connections taken by an
 * overlapped receive or an AcceptEx already pending are never recorded.
 *
 * Items: all of section M, 197 to 233, and api.md 9 item 14 (NULL event, [Lib]). None of
 * them needs an address or routing change; the items about FD_ADDRESS_LIST_CHANGE and
 * FD_ROUTING_INTERFACE_CHANGE (J.169 to J.172) need the library's change-injection hook
 * (api.md 9 item 22) and are left to the lead. M.212 needs AcceptEx: where
 * SIO_GET_EXTENSION_FUNCTION_POINTER does not provide it (WSAEOPNOTSUPP) the case is
 * skipped, visibly, rather than passed.
 * Waits for an event use a 1000 ms limit; "nothing is recorded" means the event stays
 * non-signalled for 100 ms and an enumeration then reports nothing.
 */
#include "harness.h"

#include <mswsock.h>

#define WAIT_MS  1000
#define QUIET_MS 100

static WSANETWORKEVENTS last_ne;
/* Error codes of the bits gathered by the last expect_events (-1: bit not reported). */
static int errs[FD_MAX_EVENTS];

static WSAEVENT new_event(void)
{
    WSAEVENT ev = WSACreateEvent();

    CHECK(ev != WSA_INVALID_EVENT);
    return ev;
}

static void select_events(SOCKET s, WSAEVENT ev, LONG mask)
{
    CHECK_EQ(WSAEventSelect(s, ev, mask), 0);
}

/* WSAEnumNetworkEvents(s, ev, ...) that must succeed; returns lNetworkEvents (all of the
 * answer is in last_ne). */
static LONG enum_events(SOCKET s, WSAEVENT ev)
{
    memset(&last_ne, 0, sizeof(last_ne));
    CHECK_EQ(WSAEnumNetworkEvents(s, ev, &last_ne), 0);
    return last_ne.lNetworkEvents;
}

/* Waits (up to ms) for ev and enumerates until every bit of want has been reported; the
 * union of the reported bits must be exactly want. Error codes go to errs[]. */
static void expect_events_within(SOCKET s, WSAEVENT ev, LONG want, DWORD ms)
{
    double start = harness_now_ms();
    LONG got = 0;
    int i;

    for (i = 0; i < FD_MAX_EVENTS; i++)
        errs[i] = -1;
    while ((got & want) != want) {
        double left = ms - (harness_now_ms() - start);
        LONG n;

        if (left < 0 || !harness_signalled(ev, (DWORD)left))
            break;
        n = enum_events(s, ev);
        for (i = 0; i < FD_MAX_EVENTS; i++)
            if (n & (1 << i))
                errs[i] = last_ne.iErrorCode[i];
        got |= n;
    }
    CHECK_EQ(got, want);
}

#define expect_events(s, ev, want) expect_events_within((s), (ev), (want), WAIT_MS)

/* Nothing is recorded: ev stays non-signalled for QUIET_MS and enumeration reports 0. */
static void expect_nothing(SOCKET s, WSAEVENT ev)
{
    CHECK(!harness_signalled(ev, QUIET_MS));
    CHECK_EQ(enum_events(s, ev), 0);
}

/* A pair whose server side b is selected for mask on a new event (returned). */
static WSAEVENT selected_pair(SOCKET *a, SOCKET *b, LONG mask)
{
    WSAEVENT ev;

    harness_startup();
    harness_tcp_pair(a, b);
    ev = new_event();
    select_events(*b, ev, mask);
    return ev;
}

/* Closes the sockets that are not INVALID_SOCKET and the event. */
static void finish(SOCKET a, SOCKET b, WSAEVENT ev)
{
    if (a != INVALID_SOCKET)
        closesocket(a);
    if (b != INVALID_SOCKET)
        closesocket(b);
    WSACloseEvent(ev);
}

/* ---- Arguments ------------------------------------------------------------------------ */

TEST(m197_invalid_socket_enotsock)
{
    WSAEVENT ev;

    harness_startup();
    ev = new_event();
    WSASetLastError(0);
    CHECK_EQ(WSAEventSelect(INVALID_SOCKET, ev, FD_READ), SOCKET_ERROR);
    CHECK_ERR(WSAENOTSOCK);
    WSACloseEvent(ev);
}

TEST(m198_mask_zero_makes_socket_nonblocking)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, 0);
    char buf[8];

    harness_watchdog_start(2000, "recv after WSAEventSelect(s, E, 0)");
    WSASetLastError(0);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAEWOULDBLOCK);
    harness_watchdog_stop();
    finish(a, b, ev);
}

TEST(m199_closed_event_einval)
{
    SOCKET a, b;
    WSAEVENT ev;

    harness_startup();
    harness_tcp_pair(&a, &b);
    ev = new_event();
    CHECK(WSACloseEvent(ev));
    WSASetLastError(0);
    CHECK_EQ(WSAEventSelect(b, ev, FD_READ), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    closesocket(a);
    closesocket(b);
}

/* ---- FD_READ -------------------------------------------------------------------------- */

/* The pair of item 200 after its enumeration: 5 bytes unread on b, FD_READ reported. */
static WSAEVENT read_reported(SOCKET *a, SOCKET *b)
{
    WSAEVENT ev = selected_pair(a, b, FD_READ);

    harness_send_all(*a, "hello", 5);
    expect_events(*b, ev, FD_READ);
    return ev;
}

TEST(m200_data_arrival_reports_read_and_resets_event)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, FD_READ);

    harness_send_all(a, "hello", 5);
    CHECK(harness_signalled(ev, 200));
    memset(&last_ne, 0xAB, sizeof(last_ne));
    CHECK_EQ(WSAEnumNetworkEvents(b, ev, &last_ne), 0);
    CHECK_EQ(last_ne.lNetworkEvents, FD_READ);
    CHECK_EQ(last_ne.iErrorCode[FD_READ_BIT], 0);
    CHECK(!harness_signalled(ev, 0));
    finish(a, b, ev);
}

TEST(m201_reselect_same_mask_reports_nothing)
{
    SOCKET a, b;
    WSAEVENT ev = read_reported(&a, &b);

    select_events(b, ev, FD_READ);
    expect_nothing(b, ev);
    finish(a, b, ev);
}

TEST(m201_select_zero_then_mask_reports_nothing)
{
    SOCKET a, b;
    WSAEVENT ev = read_reported(&a, &b);

    select_events(b, ev, 0);
    select_events(b, ev, FD_READ);
    expect_nothing(b, ev);
    finish(a, b, ev);
}

TEST(m202_new_data_while_unread_reports_read_again)
{
    SOCKET a, b;
    WSAEVENT ev = read_reported(&a, &b);

    harness_send_all(a, "world", 5);
    expect_events(b, ev, FD_READ);
    finish(a, b, ev);
}

TEST(m203_partial_recv_rerecords_read_full_recv_does_not)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, FD_READ);
    char buf[16];

    harness_send_all(a, "0123456789", 10);
    expect_events(b, ev, FD_READ);
    harness_wait_queued(b, 10);
    CHECK_EQ(recv(b, buf, 2, 0), 2);
    expect_events(b, ev, FD_READ);
    CHECK_EQ(recv(b, buf, 8, 0), 8);
    CHECK(memcmp(buf, "23456789", 8) == 0);
    expect_nothing(b, ev);
    finish(a, b, ev);
}

TEST(m204_recv_failing_validation_does_not_rerecord_read)
{
    SOCKET a, b;
    WSAEVENT ev = read_reported(&a, &b);
    char buf[16];

    WSASetLastError(0);
    CHECK_EQ(recv(b, buf, -1, 0), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    expect_nothing(b, ev);
    finish(a, b, ev);
}

TEST(m205_data_before_read_selected_is_reported)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, 0);

    harness_send_all(a, "hello", 5);
    harness_wait_queued(b, 5);
    select_events(b, ev, FD_READ);
    expect_events(b, ev, FD_READ);
    finish(a, b, ev);
}

TEST(m206_data_read_before_read_selected_reports_nothing)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, 0);
    char buf[16];

    harness_send_all(a, "hello", 5);
    harness_wait_queued(b, 5);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), 5);
    select_events(b, ev, FD_READ);
    expect_nothing(b, ev);
    finish(a, b, ev);
}

TEST(m207_data_taken_by_pending_wsarecv_not_recorded)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, FD_READ);
    WSAOVERLAPPED ov;
    char buf[16];
    DWORD n = 0, flags = 0;

    harness_ov_init(&ov, TRUE);
    harness_recv_pending(b, &ov, buf, sizeof(buf), NULL);
    harness_send_all(a, "1", 1);
    CHECK(harness_signalled(ov.hEvent, WAIT_MS));
    CHECK(WSAGetOverlappedResult(b, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 1);
    expect_nothing(b, ev);
    harness_send_all(a, "2", 1);
    expect_events(b, ev, FD_READ);
    WSACloseEvent(ov.hEvent);
    finish(a, b, ev);
}

TEST(m208_unreported_error_codes_not_written)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, FD_READ);
    size_t i;

    /* b is connected, so FD_WRITE is recorded, but it is not selected. */
    Sleep(QUIET_MS); /* time for a wrong record to show: an absence gives no signal */
    memset(&last_ne, 0xAB, sizeof(last_ne));
    CHECK_EQ(WSAEnumNetworkEvents(b, ev, &last_ne), 0);
    CHECK_EQ(last_ne.lNetworkEvents, 0);
    for (i = 0; i < sizeof(last_ne.iErrorCode); i++)
        CHECK_EQ(((unsigned char *)last_ne.iErrorCode)[i], 0xAB);
    finish(a, b, ev);
}

/* ---- FD_ACCEPT ------------------------------------------------------------------------ */

TEST(m209_accept_level_triggered_per_queued_connection)
{
    struct sockaddr_in addr;
    SOCKET l, c1, c2, s1, s2;
    WSAEVENT ev;

    harness_startup();
    harness_listener(&l, &addr);
    ev = new_event();
    select_events(l, ev, FD_ACCEPT);
    c1 = harness_connect_to(&addr);
    expect_events(l, ev, FD_ACCEPT);
    expect_nothing(l, ev); /* once */
    c2 = harness_connect_to(&addr);
    expect_events(l, ev, FD_ACCEPT);
    s1 = accept(l, NULL, NULL);
    CHECK(s1 != INVALID_SOCKET);
    expect_events(l, ev, FD_ACCEPT); /* one still queued */
    s2 = accept(l, NULL, NULL);
    CHECK(s2 != INVALID_SOCKET);
    expect_nothing(l, ev);
    closesocket(s1);
    closesocket(s2);
    closesocket(c1);
    closesocket(c2);
    closesocket(l);
    WSACloseEvent(ev);
}

TEST(m210_connection_queued_before_accept_selected_is_reported)
{
    struct sockaddr_in addr;
    SOCKET l, c;
    WSAEVENT ev;

    harness_startup();
    harness_listener(&l, &addr);
    ev = new_event();
    select_events(l, ev, FD_READ);
    c = harness_connect_to(&addr);
    harness_wait_readable(l);
    CHECK(!harness_signalled(ev, 0));
    select_events(l, ev, FD_READ | FD_ACCEPT);
    expect_events(l, ev, FD_ACCEPT);
    finish(c, l, ev);
}

TEST(m211_connection_accepted_before_selecting_reports_nothing)
{
    struct sockaddr_in addr;
    SOCKET l, c, s;
    WSAEVENT ev;

    harness_startup();
    harness_listener(&l, &addr);
    c = harness_connect_to(&addr);
    s = accept(l, NULL, NULL);
    CHECK(s != INVALID_SOCKET);
    ev = new_event();
    select_events(l, ev, FD_ACCEPT);
    expect_nothing(l, ev);
    closesocket(s);
    finish(c, l, ev);
}

TEST(m212_connection_taken_by_pending_acceptex_not_recorded)
{
    struct sockaddr_in addr;
    SOCKET l, as, c;
    WSAEVENT ev;
    GUID id = WSAID_ACCEPTEX;
    LPFN_ACCEPTEX accept_ex = NULL;
    DWORD n = 0, flags = 0;
    WSAOVERLAPPED ov;
    char out[2 * (sizeof(struct sockaddr_in) + 16)];

    harness_startup();
    harness_listener(&l, &addr);
    WSASetLastError(0);
    if (WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), &accept_ex,
                 sizeof(accept_ex), &n, NULL, NULL) != 0) {
        /* Windows always provides it; an implementation without AcceptEx cannot run this. */
        CHECK_ERR(WSAEOPNOTSUPP);
        SKIP("AcceptEx is not provided (SIO_GET_EXTENSION_FUNCTION_POINTER: WSAEOPNOTSUPP)");
    }
    CHECK(accept_ex != NULL);
    ev = new_event();
    select_events(l, ev, FD_ACCEPT);
    as = harness_tcp_socket();
    harness_ov_init(&ov, TRUE);
    WSASetLastError(0);
    CHECK_EQ(accept_ex(l, as, out, 0, sizeof(struct sockaddr_in) + 16,
                       sizeof(struct sockaddr_in) + 16, &n, &ov),
             FALSE);
    CHECK_ERR(WSA_IO_PENDING);
    c = harness_connect_to(&addr);
    CHECK(harness_signalled(ov.hEvent, WAIT_MS));
    CHECK(WSAGetOverlappedResult(l, &ov, &n, FALSE, &flags));
    expect_nothing(l, ev);
    WSACloseEvent(ov.hEvent);
    closesocket(as);
    finish(c, l, ev);
}

TEST(m213_accepted_socket_inherits_selection_reports_write)
{
    struct sockaddr_in addr;
    SOCKET l, c, s;
    WSAEVENT ev;

    harness_startup();
    harness_listener(&l, &addr);
    ev = new_event();
    select_events(l, ev, FD_READ | FD_ACCEPT | FD_WRITE);
    c = harness_connect_to(&addr);
    expect_events(l, ev, FD_ACCEPT);
    s = accept(l, NULL, NULL);
    CHECK(s != INVALID_SOCKET);
    expect_events(s, ev, FD_WRITE);
    CHECK_EQ(errs[FD_WRITE_BIT], 0);
    closesocket(s);
    finish(c, l, ev);
}

/* ---- FD_CONNECT / FD_WRITE ------------------------------------------------------------ */

TEST(m214_connect_success_reports_connect_and_write)
{
    struct sockaddr_in addr;
    SOCKET l, c;
    WSAEVENT ev;
    int rc;

    harness_startup();
    harness_listener(&l, &addr);
    c = harness_tcp_socket();
    ev = new_event();
    select_events(c, ev, FD_CONNECT | FD_WRITE);
    WSASetLastError(0);
    rc = connect(c, (struct sockaddr *)&addr, sizeof(addr));
    if (rc != 0) {
        CHECK_EQ(rc, SOCKET_ERROR);
        CHECK_ERR(WSAEWOULDBLOCK);
    }
    expect_events(c, ev, FD_CONNECT | FD_WRITE);
    CHECK_EQ(errs[FD_CONNECT_BIT], 0);
    finish(c, l, ev);
}

TEST(m215_refused_connect_reports_connect_econnrefused)
{
    struct sockaddr_in addr = harness_loopback4(0);
    SOCKET port_holder, c;
    WSAEVENT ev;
    int len = sizeof(addr), rc;

    harness_startup();
    /* A bound socket that does not listen keeps the port free of listeners. */
    port_holder = harness_tcp_socket();
    CHECK_EQ(bind(port_holder, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CHECK_EQ(getsockname(port_holder, (struct sockaddr *)&addr, &len), 0);
    c = harness_tcp_socket();
    ev = new_event();
    select_events(c, ev, FD_CONNECT);
    WSASetLastError(0);
    rc = connect(c, (struct sockaddr *)&addr, sizeof(addr));
    CHECK_EQ(rc, SOCKET_ERROR);
    CHECK_ERR(WSAEWOULDBLOCK);
    /* Windows retries a refused SYN for about 1 s; Linux and Wine refuse at once. */
    expect_events_within(c, ev, FD_CONNECT, 2500);
    CHECK_EQ(errs[FD_CONNECT_BIT], WSAECONNREFUSED);
    finish(c, port_holder, ev);
}

TEST(m216_connected_before_selection_reports_connect_and_write)
{
    SOCKET a, b;
    WSAEVENT ev;

    harness_startup();
    harness_tcp_pair(&a, &b);
    ev = new_event();
    select_events(a, ev, FD_CONNECT | FD_WRITE);
    expect_events(a, ev, FD_CONNECT | FD_WRITE);
    CHECK_EQ(errs[FD_CONNECT_BIT], 0);
    finish(a, b, ev);
}

TEST(m217_udp_unbound_nothing_then_connect_reports_connect_and_write)
{
    SOCKET u, peer;
    struct sockaddr_in addr;
    int len = sizeof(addr);
    WSAEVENT ev;

    harness_startup();
    u = harness_udp_socket(FALSE);
    ev = new_event();
    select_events(u, ev, FD_WRITE | FD_CONNECT);
    expect_nothing(u, ev);
    peer = harness_udp_socket(TRUE);
    CHECK_EQ(getsockname(peer, (struct sockaddr *)&addr, &len), 0);
    CHECK_EQ(connect(u, (struct sockaddr *)&addr, sizeof(addr)), 0);
    expect_events(u, ev, FD_CONNECT | FD_WRITE);
    CHECK_EQ(errs[FD_CONNECT_BIT], 0);
    finish(u, peer, ev);
}

/* A connected pair whose client a is selected for FD_WRITE and has reported it. */
static WSAEVENT write_reported(SOCKET *a, SOCKET *b)
{
    WSAEVENT ev;

    harness_startup();
    harness_tcp_pair(a, b);
    ev = new_event();
    select_events(*a, ev, FD_WRITE);
    expect_events(*a, ev, FD_WRITE);
    return ev;
}

TEST(m218_reselect_does_not_report_write_again)
{
    SOCKET a, b;
    WSAEVENT ev = write_reported(&a, &b);

    select_events(a, ev, FD_WRITE);
    expect_nothing(a, ev);
    finish(a, b, ev);
}

TEST(m218_send_does_not_report_write_again)
{
    SOCKET a, b;
    WSAEVENT ev = write_reported(&a, &b);

    CHECK_EQ(send(a, "abc", 3, 0), 3);
    expect_nothing(a, ev);
    finish(a, b, ev);
}

TEST(m219_write_after_wouldblock_when_peer_drains)
{
    SOCKET a, b;
    WSAEVENT ev = write_reported(&a, &b);
    long total = harness_fill_send_buffer(a), got = 0;
    static char buf[65536];

    enum_events(a, ev); /* whatever the filling left: the item is about the drain */
    while (got < total) {
        int n = recv(b, buf, sizeof(buf), 0);

        CHECK(n > 0);
        got += n;
    }
    expect_events(a, ev, FD_WRITE);
    CHECK_EQ(errs[FD_WRITE_BIT], 0);
    finish(a, b, ev);
}

TEST(m220_send_keeps_unenumerated_write)
{
    SOCKET a, b;
    WSAEVENT ev;

    harness_startup();
    harness_tcp_pair(&a, &b);
    ev = new_event();
    select_events(a, ev, FD_WRITE);
    CHECK(harness_signalled(ev, WAIT_MS));
    CHECK_EQ(send(a, "abc", 3, 0), 3);
    CHECK_EQ(enum_events(a, ev), FD_WRITE);
    finish(a, b, ev);
}

/* ---- FD_CLOSE ------------------------------------------------------------------------- */

/* b selected for FD_CLOSE after its peer a closed gracefully, FD_CLOSE (0) reported. */
static WSAEVENT close_reported(SOCKET *b)
{
    SOCKET a;
    WSAEVENT ev = selected_pair(&a, b, FD_CLOSE);

    CHECK_EQ(closesocket(a), 0);
    expect_events(*b, ev, FD_CLOSE);
    CHECK_EQ(errs[FD_CLOSE_BIT], 0);
    return ev;
}

TEST(m221_peer_graceful_close_reports_close_0)
{
    SOCKET b;
    WSAEVENT ev = close_reported(&b);

    finish(INVALID_SOCKET, b, ev);
}

TEST(m221_reselect_does_not_report_close_again)
{
    SOCKET b;
    WSAEVENT ev = close_reported(&b);

    select_events(b, ev, FD_CLOSE);
    expect_nothing(b, ev);
    finish(INVALID_SOCKET, b, ev);
}

TEST(m221_recv_returning_0_reports_nothing)
{
    SOCKET b;
    WSAEVENT ev = close_reported(&b);
    char buf[8];

    CHECK_EQ(recv(b, buf, sizeof(buf), 0), 0);
    expect_nothing(b, ev);
    finish(INVALID_SOCKET, b, ev);
}

TEST(m222_peer_shutdown_send_reports_close_0)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, FD_CLOSE);

    CHECK_EQ(shutdown(a, SD_SEND), 0);
    expect_events(b, ev, FD_CLOSE);
    CHECK_EQ(errs[FD_CLOSE_BIT], 0);
    finish(a, b, ev);
}

static void local_shutdown_reports_nothing(int how)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, FD_ALL_EVENTS);

    /* b's record starts with FD_WRITE (it is connected): take it first. */
    CHECK(harness_signalled(ev, WAIT_MS));
    CHECK(enum_events(b, ev) & FD_WRITE);
    CHECK_EQ(shutdown(b, how), 0);
    expect_nothing(b, ev);
    finish(a, b, ev);
}

TEST(m223_local_shutdown_receive_reports_nothing)
{
    local_shutdown_reports_nothing(SD_RECEIVE);
}

TEST(m223_local_shutdown_both_reports_nothing)
{
    local_shutdown_reports_nothing(SD_BOTH);
}

TEST(m224_peer_reset_reports_close_connaborted)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, FD_CLOSE);

    harness_reset_close(a);
    expect_events(b, ev, FD_CLOSE);
    /* Windows reports WSAECONNABORTED; the documentation says WSAECONNRESET (api.md 9.1). */
    CHECK(errs[FD_CLOSE_BIT] == WSAECONNABORTED || errs[FD_CLOSE_BIT] == WSAECONNRESET);
    finish(INVALID_SOCKET, b, ev);
}

/* Item 224 when a receive saw the reset first (Linux hands the reset error to one call
 * only): FD_CLOSE still carries a reset's error, never 0 (a graceful close). */
TEST(m224_reset_seen_by_receive_first_reports_close_connaborted)
{
    SOCKET b;
    WSAEVENT ev;

    harness_startup();
    b = harness_reset_reported();
    ev = new_event();
    select_events(b, ev, FD_CLOSE);
    expect_events(b, ev, FD_CLOSE);
    CHECK(errs[FD_CLOSE_BIT] == WSAECONNABORTED || errs[FD_CLOSE_BIT] == WSAECONNRESET);
    finish(INVALID_SOCKET, b, ev);
}

TEST(m225_close_reported_with_data_unread_read_level_triggered)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, FD_READ | FD_CLOSE);
    char buf[8];

    /* FD_READ is recorded (the event is set) before the FIN leaves, so the FIN always
     * arrives with the 5 bytes unread: the case does not depend on whether data and FIN
     * are seen in one look (Wine records FD_CLOSE then, and only then). */
    harness_send_all(a, "hello", 5);
    CHECK(harness_signalled(ev, WAIT_MS));
    CHECK_EQ(closesocket(a), 0);
    expect_events(b, ev, FD_READ | FD_CLOSE);
    CHECK_EQ(errs[FD_READ_BIT], 0);
    CHECK_EQ(errs[FD_CLOSE_BIT], 0);
    CHECK_EQ(recv(b, buf, 3, 0), 3);
    expect_events(b, ev, FD_READ);
    CHECK_EQ(recv(b, buf, 2, 0), 2);
    CHECK(memcmp(buf, "lo", 2) == 0);
    expect_nothing(b, ev);
    finish(INVALID_SOCKET, b, ev);
}

TEST(m226_peer_closed_before_selection_reports_close)
{
    SOCKET a, b;
    WSAEVENT ev;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(closesocket(a), 0);
    harness_wait_readable(b); /* the FIN has arrived */
    ev = new_event();
    select_events(b, ev, FD_CLOSE);
    expect_events(b, ev, FD_CLOSE);
    CHECK_EQ(errs[FD_CLOSE_BIT], 0);
    finish(INVALID_SOCKET, b, ev);
}

/* ---- FD_OOB --------------------------------------------------------------------------- */

TEST(m227_urgent_byte_reports_oob)
{
    SOCKET a, b;
    WSAEVENT ev = selected_pair(&a, &b, FD_OOB);
    char c = 0;

    CHECK_EQ(send(a, "!", 1, MSG_OOB), 1);
    expect_events(b, ev, FD_OOB);
    CHECK_EQ(errs[FD_OOB_BIT], 0);
    CHECK_EQ(recv(b, &c, 1, MSG_OOB), 1);
    CHECK_EQ(c, '!');
    finish(a, b, ev);
}

/* ---- The event and the enumeration ---------------------------------------------------- */

TEST(m228_select_does_not_reset_event)
{
    SOCKET a, b;
    WSAEVENT ev;

    harness_startup();
    harness_tcp_pair(&a, &b);
    ev = new_event();
    CHECK(WSASetEvent(ev));
    select_events(b, ev, FD_READ);
    CHECK(harness_signalled(ev, 0));
    finish(a, b, ev);
}

/* b selected for FD_READ; a sent 5 bytes and the event was set (FD_READ recorded). */
static WSAEVENT read_recorded(SOCKET *a, SOCKET *b)
{
    WSAEVENT ev = selected_pair(a, b, FD_READ);

    harness_send_all(*a, "hello", 5);
    CHECK(harness_signalled(ev, WAIT_MS));
    return ev;
}

TEST(m229_enum_null_output_efault_keeps_event_and_record)
{
    SOCKET a, b;
    WSAEVENT ev;

    /* Wine deviation: Wine 8's WSAEnumNetworkEvents writes through the NULL pointer (a page
     * fault in ws2_32 in most runs, not all), so the case can neither pass nor be expected
     * to fail there. Natively it runs. */
    if (harness_on_wine())
        SKIP("Wine deviation: WSAEnumNetworkEvents(s, ev, NULL) crashes Wine 8 in most runs");
    ev = read_recorded(&a, &b);
    WSASetLastError(0);
    CHECK_EQ(WSAEnumNetworkEvents(b, ev, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    CHECK(harness_signalled(ev, 0));
    CHECK_EQ(enum_events(b, ev), FD_READ);
    finish(a, b, ev);
}

/* An output pointer no program can own fails as NULL does: WSAEFAULT, nothing reset. */
TEST(m229_enum_bad_output_pointer_efault)
{
    SOCKET a, b;
    WSAEVENT ev = read_recorded(&a, &b);

    HARNESS_WINE_CRASHES("WSAEnumNetworkEvents with a bad output");
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        WSASetLastError(0);
        CHECK_EQ(WSAEnumNetworkEvents(b, ev, harness_bad_ptr[i]), SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
        CHECK(harness_signalled(ev, 0));
    }
    CHECK_EQ(enum_events(b, ev), FD_READ);
    finish(a, b, ev);
}

TEST(m230_enum_null_event_clears_record_keeps_event)
{
    SOCKET a, b;
    WSAEVENT ev = read_recorded(&a, &b);

    CHECK_EQ(enum_events(b, NULL), FD_READ);
    CHECK_EQ(last_ne.iErrorCode[FD_READ_BIT], 0);
    CHECK(harness_signalled(ev, 0));
    CHECK_EQ(enum_events(b, NULL), 0);
    finish(a, b, ev);
}

TEST(m231_enum_invalid_socket_enotsock)
{
    WSANETWORKEVENTS ne;

    harness_startup();
    WSASetLastError(0);
    CHECK_EQ(WSAEnumNetworkEvents(INVALID_SOCKET, NULL, &ne), SOCKET_ERROR);
    CHECK_ERR(WSAENOTSOCK);
}

TEST(m232_enum_never_selected_reports_nothing)
{
    SOCKET a, b;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "hello", 5); /* a has data and FD_WRITE recorded, but no mask */
    harness_wait_queued(a, 5);
    CHECK_EQ(enum_events(a, NULL), 0);
    closesocket(a);
    closesocket(b);
}

TEST(m233_records_are_per_socket)
{
    SOCKET a1, b1, a2, b2;
    WSAEVENT ev = selected_pair(&a1, &b1, FD_READ);

    harness_tcp_pair(&a2, &b2);
    select_events(b2, ev, FD_READ);
    harness_send_all(a1, "hello", 5);
    CHECK(harness_signalled(ev, WAIT_MS));
    CHECK_EQ(enum_events(b2, ev), 0);
    CHECK_EQ(enum_events(b1, ev), FD_READ);
    closesocket(a2);
    closesocket(b2);
    finish(a1, b1, ev);
}

/* ---- api.md 9 item 14 ([Lib], no conformance item yet) -------------------------------- */

/* A NULL event with a non-zero mask is accepted: records are kept and reported by
 * WSAEnumNetworkEvents (polled here, as there is no event to wait on). */
TEST(m_api9_14_null_event_with_mask_keeps_records)
{
    SOCKET a, b;
    double start;
    LONG got;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(WSAEventSelect(b, NULL, FD_READ), 0);
    harness_send_all(a, "hello", 5);
    start = harness_now_ms();
    while ((got = enum_events(b, NULL)) == 0 && harness_now_ms() - start < WAIT_MS)
        Sleep(5);
    CHECK_EQ(got, FD_READ);
    CHECK_EQ(last_ne.iErrorCode[FD_READ_BIT], 0);
    CHECK_EQ(enum_events(b, NULL), 0);
    closesocket(a);
    closesocket(b);
}
