/*
 * d_reset_sequences.c - end of stream against reset in the sequences where Linux leaves a
 * connection CLOSED without a reset (api.md 4.5, 4.7, 4.14.3; conformance items 51, 54,
 * 221, 224).
 *
 * A graceful close must read 0 bytes and FD_CLOSE 0 however the two FINs crossed; a reset
 * must read WSAECONNRESET after a half-close too; a connect that failed is no connection
 * that was reset.
 */
#include "harness.h"

/* Waits (5 s at most) until s has nothing more to say than end of stream: readable. */
static void wait_readable(SOCKET s)
{
    fd_set r;
    struct timeval tv = {5, 0};

    FD_ZERO(&r);
    FD_SET(s, &r);
    CHECK_EQ(select(0, &r, NULL, NULL, &tv), 1);
}

/* Every kind of receive on s reads end of stream: 0 bytes, no error. */
static void reads_end_of_stream(SOCKET s)
{
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0xDEADBEEF;
    int i;

    for (i = 0; i < 2; i++) {
        WSASetLastError(0);
        CHECK_EQ(recv(s, buf, sizeof(buf), 0), 0);
        CHECK_ERR(0);
    }
    CHECK_EQ(recv(s, buf, sizeof(buf), MSG_PEEK), 0);
    CHECK_EQ(WSARecv(s, &wb, 1, &n, &flags, NULL, NULL), 0);
    CHECK_EQ(n, 0);
    harness_ov_init(&ov, TRUE);
    n = 0xDEADBEEF;
    CHECK_EQ(WSARecv(s, &wb, 1, &n, &flags, &ov, NULL), 0);
    CHECK_EQ(n, 0);
    CHECK(harness_signalled(ov.hEvent, 1000));
    WSACloseEvent(ov.hEvent);
}

/* A connected socket that shut its side first (selected for FD_CLOSE on ev first unless ev
 * is NULL), whose peer then closed gracefully: our FIN and then the peer's (the socket
 * passes FIN_WAIT_2 to TIME_WAIT; Linux shows the program's socket CLOSED). */
static SOCKET both_fins_own_first(WSAEVENT ev)
{
    SOCKET a, b;
    char buf[8];

    harness_startup();
    harness_tcp_pair(&a, &b);
    if (ev)
        CHECK_EQ(WSAEventSelect(a, ev, FD_CLOSE), 0);
    CHECK_EQ(shutdown(a, SD_SEND), 0);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), 0);
    CHECK_EQ(closesocket(b), 0);
    wait_readable(a);
    return a;
}

TEST(d51_own_shutdown_then_peer_close_reads_zero)
{
    SOCKET a = both_fins_own_first(NULL);

    reads_end_of_stream(a);
    closesocket(a);
}

/* The peer shuts its side, we read 0 and shut ours: a's connection ends CLOSED once the
 * peer acknowledged our FIN (LAST_ACK), still a graceful close. */
TEST(d51_peer_shutdown_then_own_shutdown_reads_zero)
{
    SOCKET a, b;
    char buf[8];
    int i;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(shutdown(b, SD_SEND), 0);
    CHECK_EQ(recv(a, buf, sizeof(buf), 0), 0);
    CHECK_EQ(shutdown(a, SD_SEND), 0);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), 0);
    for (i = 0; i < 50; i++) { /* the peer's ACK of our FIN: the kind of end changes */
        reads_end_of_stream(a);
        Sleep(2);
    }
    closesocket(a);
    closesocket(b);
}

/* The peer shut its side (we read 0), then reset: the reset is a reset (api.md 4.5). */
TEST(d54_half_close_then_reset_econnreset)
{
    SOCKET a, b;
    char buf[8];
    int i, rc = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(shutdown(b, SD_SEND), 0);
    CHECK_EQ(recv(a, buf, sizeof(buf), 0), 0);
    harness_reset_close(b);
    for (i = 0; i < 500 && rc == 0; i++) { /* the reset has to arrive: no event tells */
        WSASetLastError(0);
        rc = recv(a, buf, sizeof(buf), 0);
        if (rc == 0)
            Sleep(2);
    }
    CHECK_EQ(rc, SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    WSASetLastError(0);
    CHECK_EQ(recv(a, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    WSASetLastError(0);
    CHECK_EQ(send(a, "x", 1, 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(a);
}

/* A connect refused by the peer leaves a socket that never was connected: its receives
 * and sends say WSAENOTCONN, not a reset. */
TEST(d54_refused_connect_then_receive_enotconn)
{
    SOCKET l, s;
    struct sockaddr_in to = harness_loopback4(0);
    int len = sizeof(to);
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    WSAOVERLAPPED ov;
    DWORD flags = 0, n = 0xDEADBEEF;

    harness_startup();
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(bind(l, (struct sockaddr *)&to, len), 0);
    CHECK_EQ(getsockname(l, (struct sockaddr *)&to, &len), 0);
    closesocket(l); /* bound, never listening: the port refuses */
    s = harness_tcp_socket();
    WSASetLastError(0);
    CHECK_EQ(connect(s, (struct sockaddr *)&to, len), SOCKET_ERROR);
    CHECK_ERR(WSAECONNREFUSED);
    WSASetLastError(0);
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAENOTCONN);
    WSASetLastError(0);
    CHECK_EQ(send(s, "x", 1, 0), SOCKET_ERROR);
    CHECK_ERR(WSAENOTCONN);
    harness_ov_init(&ov, TRUE);
    WSASetLastError(0);
    CHECK_EQ(WSARecv(s, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAENOTCONN);
    CHECK_EQ(n, 0xDEADBEEF);
    CHECK(!harness_signalled(ov.hEvent, 0));
    WSACloseEvent(ov.hEvent);
    closesocket(s);
}

/* MSG_PEEK after a reset: a peek fails like any receive, and takes nothing away. */
TEST(d54_peek_after_reset_econnreset)
{
    SOCKET a, b;
    char buf[8];
    int i;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_reset_close(b);
    wait_readable(a);
    for (i = 0; i < 2; i++) {
        WSASetLastError(0);
        CHECK_EQ(recv(a, buf, sizeof(buf), MSG_PEEK), SOCKET_ERROR);
        CHECK_ERR(WSAECONNRESET);
    }
    WSASetLastError(0);
    CHECK_EQ(recv(a, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(a);
}

/* A non-overlapped zero-length receive after a reset: the reset, not 0 bytes. */
TEST(d54_zero_length_recv_after_reset_econnreset)
{
    SOCKET a, b;
    char buf[8];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_reset_close(b);
    wait_readable(a);
    WSASetLastError(0);
    CHECK_EQ(recv(a, buf, 0, 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(a);
}

/* FD_CLOSE 0 is recorded for a (selected for it on ev), then closes both. */
static void close_0_reported(SOCKET a, WSAEVENT ev)
{
    WSANETWORKEVENTS ne;

    CHECK(harness_signalled(ev, 5000));
    CHECK_EQ(WSAEnumNetworkEvents(a, ev, &ne), 0);
    CHECK_EQ(ne.lNetworkEvents, FD_CLOSE);
    CHECK_EQ(ne.iErrorCode[FD_CLOSE_BIT], 0);
    closesocket(a);
    WSACloseEvent(ev);
}

/* FD_CLOSE after our own shutdown(SD_SEND) then the peer's graceful close: 0, not the
 * reset's WSAECONNABORTED. */
TEST(m221_own_shutdown_then_peer_close_reports_close_0)
{
    WSAEVENT ev = WSACreateEvent();

    close_0_reported(both_fins_own_first(ev), ev);
}

/* The same, with the selection made after both FINs: FD_CLOSE 0 from the levels. */
TEST(m226_closed_gracefully_before_selection_reports_close_0)
{
    WSAEVENT ev = WSACreateEvent();
    SOCKET a = both_fins_own_first(NULL);

    CHECK_EQ(WSAEventSelect(a, ev, FD_CLOSE), 0);
    close_0_reported(a, ev);
}

/* A UDP socket connected to a port that nobody listens on. */
static SOCKET udp_to_closed_port(void)
{
    SOCKET s, gone;
    struct sockaddr_in to;
    int len = sizeof(to);

    gone = harness_udp_socket(TRUE);
    CHECK_EQ(getsockname(gone, (struct sockaddr *)&to, &len), 0);
    closesocket(gone);
    s = harness_udp_socket(TRUE);
    CHECK_EQ(connect(s, (struct sockaddr *)&to, sizeof(to)), 0);
    return s;
}

/* Item 74 with the socket selected for FD_READ: the port unreachable makes it readable
 * (FD_READ), and the receive after it still fails with WSAECONNRESET; the watcher that
 * looks for a datagram must not take the error away. */
TEST(m200_port_unreachable_reports_read)
{
    SOCKET s;
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    char buf[8];

    harness_startup();
    s = udp_to_closed_port();
    CHECK_EQ(WSAEventSelect(s, ev, FD_READ), 0);
    CHECK_EQ(send(s, "ping", 4, 0), 4);
    CHECK(harness_signalled(ev, 5000));
    CHECK_EQ(WSAEnumNetworkEvents(s, ev, &ne), 0);
    CHECK_EQ(ne.lNetworkEvents, FD_READ);
    CHECK_EQ(ne.iErrorCode[FD_READ_BIT], 0);
    WSASetLastError(0);
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(s);
    WSACloseEvent(ev);
}

/* The same, the program polling with receives instead of waiting for FD_READ. */
TEST(d74_port_unreachable_with_read_selected_econnreset)
{
    SOCKET s;
    int i, rc = 0;
    WSAEVENT ev = WSACreateEvent();
    char buf[8];

    harness_startup();
    s = udp_to_closed_port();
    CHECK_EQ(WSAEventSelect(s, ev, FD_READ), 0);
    CHECK_EQ(send(s, "ping", 4, 0), 4);
    /* Non-blocking now (WSAEventSelect): the error comes when the ICMP report has. */
    for (i = 0; i < 500; i++) {
        WSASetLastError(0);
        rc = recv(s, buf, sizeof(buf), 0);
        if (rc != SOCKET_ERROR || WSAGetLastError() != WSAEWOULDBLOCK)
            break;
        Sleep(2);
    }
    CHECK_EQ(rc, SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(s);
    WSACloseEvent(ev);
}

/* A non-blocking connect that was refused, its failure seen through select's except set
 * only (nobody read SO_ERROR): the socket never was connected, so a receive or a send says
 * WSAENOTCONN; the refusal is the connect's result, not the receive's. */
static SOCKET refused_nonblocking(BOOL overlapped)
{
    SOCKET l, s;
    struct sockaddr_in to = harness_loopback4(0);
    int len = sizeof(to);
    fd_set e;
    struct timeval tv = {5, 0};

    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(bind(l, (struct sockaddr *)&to, len), 0);
    CHECK_EQ(getsockname(l, (struct sockaddr *)&to, &len), 0);
    closesocket(l); /* bound, never listening: the port refuses */
    s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                   overlapped ? WSA_FLAG_OVERLAPPED : 0);
    CHECK(s != INVALID_SOCKET);
    harness_set_nonblocking(s, TRUE);
    WSASetLastError(0);
    CHECK_EQ(connect(s, (struct sockaddr *)&to, len), SOCKET_ERROR);
    CHECK_ERR(WSAEWOULDBLOCK);
    FD_ZERO(&e);
    FD_SET(s, &e);
    CHECK_EQ(select(0, NULL, NULL, &e, &tv), 1);
    return s;
}

TEST(d54_refused_nonblocking_connect_then_receive_enotconn)
{
    SOCKET s;
    char buf[8];

    harness_startup();
    s = refused_nonblocking(FALSE);
    WSASetLastError(0);
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAENOTCONN);
    WSASetLastError(0);
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAENOTCONN);
    closesocket(s);
}

TEST(d54_refused_nonblocking_connect_then_send_enotconn)
{
    SOCKET s;

    harness_startup();
    s = refused_nonblocking(FALSE);
    WSASetLastError(0);
    CHECK_EQ(send(s, "x", 1, 0), SOCKET_ERROR);
    CHECK_ERR(WSAENOTCONN);
    closesocket(s);
}

TEST(d54_refused_nonblocking_connect_then_overlapped_receive_enotconn)
{
    SOCKET s;
    WSAOVERLAPPED ov;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0xDEADBEEF;

    harness_startup();
    s = refused_nonblocking(TRUE);
    harness_ov_init(&ov, TRUE);
    WSASetLastError(0);
    CHECK_EQ(WSARecv(s, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAENOTCONN);
    CHECK_EQ(n, 0xDEADBEEF);
    WSASetLastError(0);
    CHECK_EQ(WSARecv(s, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAENOTCONN);
    WSACloseEvent(ov.hEvent);
    closesocket(s);
}

/* Item 74 through select: a port unreachable waiting to be reported makes the connected
 * UDP socket readable (the receive has something to say: WSAECONNRESET), and select never
 * returns early with nothing in the read set. */
TEST(d74_port_unreachable_makes_udp_socket_readable)
{
    SOCKET s;
    int rc;
    fd_set r;
    struct timeval tv = {5, 0};
    char buf[8];

    harness_startup();
    s = udp_to_closed_port();
    CHECK_EQ(send(s, "ping", 4, 0), 4);
    FD_ZERO(&r);
    FD_SET(s, &r);
    rc = select(0, &r, NULL, NULL, &tv);
    CHECK_EQ(rc, 1);
    CHECK(FD_ISSET(s, &r));
    WSASetLastError(0);
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(s);
}

/* A reset waiting to be reported: readable (the receive fails at once), never in the
 * except set, which is for urgent data and failed connects. */
TEST(d54_reset_readable_not_exceptional)
{
    SOCKET a, b;
    fd_set r, e;
    struct timeval tv = {5, 0};
    char buf[8];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_reset_close(b);
    FD_ZERO(&r);
    FD_SET(a, &r);
    FD_ZERO(&e);
    FD_SET(a, &e);
    CHECK_EQ(select(0, &r, NULL, &e, &tv), 1);
    CHECK(FD_ISSET(a, &r));
    CHECK(!FD_ISSET(a, &e));
    WSASetLastError(0);
    CHECK_EQ(recv(a, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(a);
}

/* A thread waits in select on the socket until it is closed. */
static DWORD WINAPI select_until_closed(LPVOID p)
{
    SOCKET s = *(SOCKET *)p;
    fd_set r;

    FD_ZERO(&r);
    FD_SET(s, &r);
    *(SOCKET *)p = select(0, &r, NULL, NULL, NULL) == SOCKET_ERROR ? WSAGetLastError() : 0;
    return 0;
}

/* Item 37 with another thread blocked on the socket (api.md 4.4 rules 4 and 7): an
 * abortive close (SO_LINGER {1, 0}) is a reset for the peer, never a graceful close
 * first. The peer's receive pending meanwhile sees the reset, not 0 bytes. */
TEST(c37_linger_zero_close_under_blocked_call_resets_peer)
{
    DWORD head_ms;

    harness_startup();
    for (head_ms = 50; head_ms <= 800; head_ms *= 2) {
        SOCKET a, b, arg;
        WSAOVERLAPPED ov;
        char buf[16];
        DWORD n = 0xDEADBEEF, flags = 0;
        HANDLE t;

        harness_tcp_pair(&a, &b);
        harness_ov_init(&ov, TRUE);
        harness_recv_pending(b, &ov, buf, sizeof(buf), NULL);
        arg = a;
        t = harness_thread(select_until_closed, &arg);
        Sleep(head_ms); /* select under way: nothing to see from outside */
        harness_reset_close(a);
        harness_join(t);
        CHECK(harness_signalled(ov.hEvent, 5000));
        if (arg == WSAENOTSOCK) { /* select began after the close: try again */
            WSACloseEvent(ov.hEvent);
            closesocket(b);
            continue;
        }
        CHECK(!WSAGetOverlappedResult(b, &ov, &n, FALSE, &flags));
        CHECK_ERR(WSAECONNRESET);
        WSACloseEvent(ov.hEvent);
        closesocket(b);
        return;
    }
    CHECK(!"select never began before the close");
}
