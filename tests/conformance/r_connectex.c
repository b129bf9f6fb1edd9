/*
 * r_connectex.c - ConnectEx (spec/conformance.md section R and item 255 of section O,
 * api.md 4.25).
 *
 * ConnectEx connects an explicitly bound stream socket, optionally sending a first buffer
 * once connected. It normally pends (ERROR_IO_PENDING) and completes through the event and
 * the socket's port with the number of bytes of that buffer sent; a refused connection
 * completes with ERROR_CONNECTION_REFUSED (WSAECONNREFUSED through WSAGetOverlappedResult)
 * and the socket may try again. Unbound, listening, connected or already connecting sockets
 * fail at the call. Unlike connect, it posts a port packet, and records FD_CONNECT.
 *
 * Programs get it through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_CONNECTEX);
 * wsaio also exports it by name (mswsock.dll does not: that case skips on Windows).
 *
 * Items: 292-304, 255, 405.
 */
#include "harness.h"

#include <mswsock.h>

static LPFN_CONNECTEX connect_ex;

/* Startup, and ConnectEx as a program gets it: from WSAIoctl on a TCP socket. */
static void setup(void)
{
    harness_startup_extension((GUID)WSAID_CONNECTEX, &connect_ex, sizeof(connect_ex));
}

/* A TCP socket, bound to 127.0.0.1:ephemeral when `bound`. */
static SOCKET tcp(BOOL bound)
{
    struct sockaddr_in a = harness_loopback4(0);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    CHECK(s != INVALID_SOCKET);
    if (bound)
        CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    return s;
}

/* A listener on 127.0.0.1:ephemeral with the given backlog; *addr gets its address. */
static SOCKET listening(struct sockaddr_in *addr, int backlog)
{
    int len = sizeof(*addr);
    SOCKET l = tcp(TRUE);

    CHECK_EQ(listen(l, backlog), 0);
    CHECK_EQ(getsockname(l, (struct sockaddr *)addr, &len), 0);
    return l;
}

static BOOL same_endpoint(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
    return a->sin_family == b->sin_family && a->sin_port == b->sin_port &&
           a->sin_addr.s_addr == b->sin_addr.s_addr;
}

/* fn(c, to, data, len) with an event in *ov: must pend. */
static void connect_pending(LPFN_CONNECTEX fn, SOCKET c, const struct sockaddr_in *to,
                            const char *data, DWORD len, WSAOVERLAPPED *ov)
{
    DWORD n;

    harness_ov_init(ov, TRUE);
    CHECK(!fn(c, (const struct sockaddr *)to, sizeof(*to), (PVOID)data, len, &n, ov));
    CHECK_ERR(ERROR_IO_PENDING);
}

/* The ConnectEx of ov on c completes successfully with `bytes` bytes. */
static void connect_done(SOCKET c, WSAOVERLAPPED *ov, DWORD bytes)
{
    DWORD n = 0xDEADBEEF, flags = 0;

    CHECK(harness_signalled(ov->hEvent, 2000));
    CHECK(GetOverlappedResult((HANDLE)c, ov, &n, FALSE));
    CHECK_EQ(n, bytes);
    n = 0xDEADBEEF;
    CHECK(WSAGetOverlappedResult(c, ov, &n, FALSE, &flags));
    CHECK_EQ(n, bytes);
    WSACloseEvent(ov->hEvent);
}

/* ConnectEx(c, to, namelen) with an event fails at the call with `err`, the event not
 * signalled. */
#define CHECK_CONNECTEX_FAILS(c, to, namelen, err) connectex_fails_at(__LINE__, c, to, namelen, err)
static void connectex_fails_at(int line, SOCKET c, const struct sockaddr_in *to, int namelen,
                               int err)
{
    WSAOVERLAPPED ov;
    DWORD n;
    BOOL rc;
    int got;

    harness_ov_init(&ov, TRUE);
    rc = connect_ex(c, (const struct sockaddr *)to, namelen, NULL, 0, &n, &ov);
    got = WSAGetLastError();
    if (rc || got != err)
        harness_fail(__FILE__, line, "ConnectEx returned %d, error %d; expected FALSE, error %d",
                     rc, got, err);
    CHECK(!harness_signalled(ov.hEvent, 0));
    WSACloseEvent(ov.hEvent);
}

/* The listener's next connection comes from c: accepted, peer = c's address. */
static SOCKET accept_from(SOCKET l, SOCKET c)
{
    struct sockaddr_in from, me;
    int len = sizeof(from), mlen = sizeof(me);
    SOCKET s = accept(l, (struct sockaddr *)&from, &len);

    CHECK(s != INVALID_SOCKET);
    CHECK_EQ(getsockname(c, (struct sockaddr *)&me, &mlen), 0);
    CHECK(same_endpoint(&from, &me));
    return s;
}

/* Item 292 through fn (the WSAIoctl pointer, or the export). */
static void connect_no_data(LPFN_CONNECTEX fn)
{
    struct sockaddr_in la;
    WSAOVERLAPPED ov;
    SOCKET l = listening(&la, 4), c = tcp(TRUE), s;

    connect_pending(fn, c, &la, NULL, 0, &ov);
    connect_done(c, &ov, 0);
    s = accept_from(l, c);
    harness_send_all(c, "ok", 2);
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

TEST(r292_connectex_completes_with_0)
{
    setup();
    connect_no_data(connect_ex);
}

TEST(r292_connectex_by_name)
{
#ifdef _WIN32
    SKIP("mswsock.dll exports no ConnectEx: Windows programs get it through WSAIoctl only");
#else
    harness_startup();
    connect_no_data(ConnectEx);
#endif
}

TEST(r293_send_buffer_counted_and_received)
{
    struct sockaddr_in la;
    WSAOVERLAPPED ov;
    char buf[3];
    SOCKET l, c, s;

    setup();
    l = listening(&la, 4);
    c = tcp(TRUE);
    connect_pending(connect_ex, c, &la, "123", 3, &ov);
    connect_done(c, &ov, 3);
    s = accept_from(l, c);
    harness_recv_all(s, buf, 3);
    CHECK(memcmp(buf, "123", 3) == 0);
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

TEST(r294_unbound_einval)
{
    struct sockaddr_in la;
    SOCKET l, c;

    setup();
    l = listening(&la, 4);
    c = tcp(FALSE);
    CHECK_CONNECTEX_FAILS(c, &la, sizeof(la), WSAEINVAL);
    closesocket(c);
    closesocket(l);
}

TEST(r295_listening_einval)
{
    struct sockaddr_in la, ca;
    SOCKET l, c;

    setup();
    l = listening(&la, 4);
    c = listening(&ca, 4);
    CHECK_CONNECTEX_FAILS(c, &la, sizeof(la), WSAEINVAL);
    closesocket(c);
    closesocket(l);
}

TEST(r296_invalid_socket_enotsock)
{
    struct sockaddr_in to = harness_loopback4(9);

    setup();
    CHECK_CONNECTEX_FAILS(INVALID_SOCKET, &to, sizeof(to), WSAENOTSOCK);
}

TEST(r297_null_overlapped_invalid_parameter)
{
    struct sockaddr_in la;
    DWORD n;
    SOCKET l, c;

    setup();
    l = listening(&la, 4);
    c = tcp(TRUE);
    CHECK(!connect_ex(c, (struct sockaddr *)&la, sizeof(la), NULL, 0, &n, NULL));
    CHECK_ERR(ERROR_INVALID_PARAMETER);
    closesocket(c);
    closesocket(l);
}

TEST(r298_connected_eisconn)
{
    struct sockaddr_in la;
    SOCKET l, a, b;

    setup();
    l = listening(&la, 4);
    harness_tcp_pair(&a, &b);
    CHECK_CONNECTEX_FAILS(a, &la, sizeof(la), WSAEISCONN);
    CHECK_CONNECTEX_FAILS(b, &la, sizeof(la), WSAEISCONN);
    closesocket(a);
    closesocket(b);
    closesocket(l);
}

/* TRUE when s becomes writable (connected) within ms. */
static BOOL writable(SOCKET s, long ms)
{
    fd_set w;
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

    FD_ZERO(&w);
    FD_SET(s, &w);
    return select(0, NULL, &w, NULL, &tv) == 1;
}

/*
 * Fills the backlog of the listener at la, which never accepts: non-blocking connects until
 * one stays in progress (Linux drops a SYN to a full accept queue and retries it).
 * Returns that socket; the others go to fill[] (*nfill of them).
 */
static SOCKET stuck_connect(const struct sockaddr_in *la, SOCKET *fill, int *nfill)
{
    int i;

    *nfill = 0;
    for (i = 0; i < 16; i++) {
        SOCKET s = tcp(FALSE);

        harness_set_nonblocking(s, TRUE);
        CHECK_EQ(connect(s, (const struct sockaddr *)la, sizeof(*la)), SOCKET_ERROR);
        CHECK_ERR(WSAEWOULDBLOCK);
        if (!writable(s, 300))
            return s;
        fill[(*nfill)++] = s;
    }
    SKIP("no connection stayed in progress towards a full backlog");
    return INVALID_SOCKET;
}

/* A listener whose backlog is full (stuck_connect) and a bound socket c whose ConnectEx to
 * it (ov, with an event) stays in progress. */
struct jam {
    struct sockaddr_in la;
    SOCKET l, stuck, c, fill[16];
    int nfill;
    WSAOVERLAPPED ov;
};

static void jam_open(struct jam *j)
{
    setup();
    j->l = listening(&j->la, 0);
    j->stuck = stuck_connect(&j->la, j->fill, &j->nfill);
    j->c = tcp(TRUE);
    connect_pending(connect_ex, j->c, &j->la, NULL, 0, &j->ov);
    CHECK(!harness_signalled(j->ov.hEvent, 300));
}

/* Closes the sockets whose connections fill the backlog. */
static void jam_release(struct jam *j)
{
    closesocket(j->stuck);
    for (int i = 0; i < j->nfill; i++)
        closesocket(j->fill[i]);
}

TEST(r299_connect_in_progress_einval_and_ealready)
{
    struct jam j;

    jam_open(&j);
    /* A non-blocking connect in progress: ConnectEx WSAEINVAL, connect WSAEALREADY. */
    CHECK_CONNECTEX_FAILS(j.stuck, &j.la, sizeof(j.la), WSAEINVAL);
    CHECK_EQ(connect(j.stuck, (struct sockaddr *)&j.la, sizeof(j.la)), SOCKET_ERROR);
    CHECK_ERR(WSAEALREADY);
    /* A ConnectEx in progress: a second ConnectEx gives WSAEINVAL. */
    CHECK_CONNECTEX_FAILS(j.c, &j.la, sizeof(j.la), WSAEINVAL);
    closesocket(j.c);
    harness_signalled(j.ov.hEvent, 2000);
    WSACloseEvent(j.ov.hEvent);
    jam_release(&j);
    closesocket(j.l);
}

TEST(r300_refused_then_retry_succeeds)
{
    struct sockaddr_in la, closed;
    int len = sizeof(closed);
    WSAOVERLAPPED ov;
    DWORD n = 0xDEADBEEF, flags = 0;
    SOCKET l, c, hold, s;

    setup();
    l = listening(&la, 4);
    /* A port with no listener: held by a bound socket that never listens. */
    hold = tcp(TRUE);
    CHECK_EQ(getsockname(hold, (struct sockaddr *)&closed, &len), 0);
    c = tcp(TRUE);
    connect_pending(connect_ex, c, &closed, NULL, 0, &ov);
    CHECK(harness_signalled(ov.hEvent, 2000));
    SetLastError(0);
    CHECK(!GetOverlappedResult((HANDLE)c, &ov, &n, FALSE));
    CHECK_EQ(GetLastError(), ERROR_CONNECTION_REFUSED);
    CHECK_EQ(n, 0);
    n = 0xDEADBEEF;
    CHECK(!WSAGetOverlappedResult(c, &ov, &n, FALSE, &flags));
    CHECK_ERR(WSAECONNREFUSED);
    CHECK_EQ(n, 0);
    WSACloseEvent(ov.hEvent);
    /* The same socket may try again. */
    connect_pending(connect_ex, c, &la, NULL, 0, &ov);
    connect_done(c, &ov, 0);
    s = accept_from(l, c);
    closesocket(s);
    closesocket(c);
    closesocket(hold);
    closesocket(l);
}

TEST(r301_port_packet_key_0)
{
    struct sockaddr_in la;
    WSAOVERLAPPED ov;
    DWORD n = 0xDEADBEEF;
    ULONG_PTR key = 0xDEADBEEF;
    LPOVERLAPPED o = NULL;
    HANDLE port;
    SOCKET l, c, s;

    setup();
    l = listening(&la, 4);
    c = tcp(TRUE);
    port = CreateIoCompletionPort((HANDLE)c, NULL, 0, 0);
    CHECK(port != NULL);
    connect_pending(connect_ex, c, &la, NULL, 0, &ov);
    CHECK(GetQueuedCompletionStatus(port, &n, &key, &o, 2000));
    CHECK_EQ(key, 0);
    CHECK_EQ(n, 0);
    CHECK(o == &ov);
    s = accept_from(l, c);
    WSACloseEvent(ov.hEvent);
    closesocket(s);
    closesocket(c);
    closesocket(l);
    CloseHandle(port);
}

TEST(r302_update_connect_context_then_getpeername)
{
    struct sockaddr_in la, peer;
    int len = sizeof(peer);
    WSAOVERLAPPED ov;
    SOCKET l, c, s;

    setup();
    l = listening(&la, 4);
    c = tcp(TRUE);
    connect_pending(connect_ex, c, &la, NULL, 0, &ov);
    connect_done(c, &ov, 0);
    CHECK_EQ(setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    CHECK_EQ(getpeername(c, (struct sockaddr *)&peer, &len), 0);
    CHECK_EQ(len, sizeof(peer));
    CHECK(same_endpoint(&peer, &la));
    s = accept_from(l, c);
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

TEST(r303_short_namelen_efault)
{
    struct sockaddr_in la;
    SOCKET l, c;

    setup();
    l = listening(&la, 4);
    c = tcp(TRUE);
    CHECK_CONNECTEX_FAILS(c, &la, 8, WSAEFAULT);
    closesocket(c);
    closesocket(l);
}

TEST(r304_fd_connect_recorded)
{
    struct sockaddr_in la;
    WSANETWORKEVENTS ne;
    WSAOVERLAPPED ov;
    WSAEVENT ev;
    SOCKET l, c, s;

    setup();
    l = listening(&la, 4);
    c = tcp(TRUE);
    ev = WSACreateEvent();
    CHECK(ev != WSA_INVALID_EVENT);
    CHECK_EQ(WSAEventSelect(c, ev, FD_CONNECT), 0);
    connect_pending(connect_ex, c, &la, NULL, 0, &ov);
    connect_done(c, &ov, 0);
    CHECK(harness_signalled(ev, 2000));
    CHECK_EQ(WSAEnumNetworkEvents(c, ev, &ne), 0);
    CHECK(ne.lNetworkEvents & FD_CONNECT);
    CHECK_EQ(ne.iErrorCode[FD_CONNECT_BIT], 0);
    s = accept_from(l, c);
    WSACloseEvent(ev);
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

TEST(o255_low_bit_event_no_packet)
{
    struct sockaddr_in la;
    WSAOVERLAPPED ov;
    WSAEVENT ev;
    DWORD n = 0xDEADBEEF;
    ULONG_PTR key = 0xDEADBEEF;
    LPOVERLAPPED o = (LPOVERLAPPED)&n;
    HANDLE port;
    SOCKET l, c, s;

    setup();
    l = listening(&la, 4);
    c = tcp(TRUE);
    port = CreateIoCompletionPort((HANDLE)c, NULL, 9, 0);
    CHECK(port != NULL);
    ev = WSACreateEvent();
    CHECK(ev != WSA_INVALID_EVENT);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = (HANDLE)((ULONG_PTR)ev | 1);
    CHECK(!connect_ex(c, (struct sockaddr *)&la, sizeof(la), NULL, 0, &n, &ov));
    CHECK_ERR(ERROR_IO_PENDING);
    CHECK(harness_signalled(ev, 2000));
    n = 0xDEADBEEF;
    CHECK(GetOverlappedResult((HANDLE)c, &ov, &n, FALSE));
    CHECK_EQ(n, 0);
    /* The caller's hEvent is left as it was, low bit included. */
    CHECK(ov.hEvent == (HANDLE)((ULONG_PTR)ev | 1));
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(port, &n, &key, &o, 0));
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    CHECK(o == NULL);
    s = accept_from(l, c);
    WSACloseEvent(ev);
    closesocket(s);
    closesocket(c);
    closesocket(l);
    CloseHandle(port);
}

/* Accepts every connection queued on the non-blocking listener l, and those that arrive
 * within ms milliseconds; TRUE when one of them came from the address of c. */
static BOOL drain_saw(SOCKET l, SOCKET c, DWORD ms)
{
    struct sockaddr_in me;
    int mlen = sizeof(me);
    DWORD start = GetTickCount();
    BOOL saw = FALSE;

    CHECK_EQ(getsockname(c, (struct sockaddr *)&me, &mlen), 0);
    do {
        struct sockaddr_in from;
        int len = sizeof(from);
        SOCKET s;

        while ((s = accept(l, (struct sockaddr *)&from, &len)) != INVALID_SOCKET) {
            saw |= same_endpoint(&from, &me);
            closesocket(s);
            len = sizeof(from);
        }
        CHECK_ERR(WSAEWOULDBLOCK);
        Sleep(50);
    } while (GetTickCount() - start < ms);
    return saw;
}

/* Item 405 (section AC): a ConnectEx cancelled while its connect is in progress (towards a
 * full backlog) completes aborted; the socket is then refused a second ConnectEx, and its
 * attempt is gone: once the listener has room again, no connection from it arrives. */
TEST(ac405_cancelled_connectex_socket_unusable)
{
    struct jam j;

    jam_open(&j);
    harness_check_cancel_aborts(j.c, &j.ov);
    CHECK_EQ(j.ov.InternalHigh, 0); /* no byte */
    WSACloseEvent(j.ov.hEvent);
    CHECK_CONNECTEX_FAILS(j.c, &j.la, sizeof(j.la), WSAEINVAL);
    /* Room again: the queued connections are taken, then the SYNs still being retried
     * (after 1 s, then 3 s) get in; the cancelled attempt is not among them. */
    jam_release(&j);
    harness_set_nonblocking(j.l, TRUE);
    CHECK(!drain_saw(j.l, j.c, 2500));
    CHECK_CONNECTEX_FAILS(j.c, &j.la, sizeof(j.la), WSAEINVAL);
    closesocket(j.c);
    closesocket(j.l);
}
