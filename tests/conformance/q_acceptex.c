/*
 * q_acceptex.c - AcceptEx and GetAcceptExSockaddrs (spec/conformance.md section Q and item
 * 266 of section O, api.md 4.23 and 4.24).
 *
 * AcceptEx takes the next connection of a listening socket into a fresh accept socket the
 * program made (that socket *is* the connection afterwards). Its output buffer holds the
 * first data (dwReceiveDataLength bytes; 0 = complete at once) and then the local and the
 * remote address areas, each at least the address size + 16; GetAcceptExSockaddrs finds the
 * addresses in it. It normally pends (ERROR_IO_PENDING) and reports through the event and
 * the listening socket's port. Argument errors come in a fixed order; a local area too small
 * fails at completion and leaves the connection for a later accept.
 *
 * Programs get the functions through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER); mswsock
 * (and wsaio) also export them by name, which the *_by_name cases use.
 *
 * Items: 274-291, 266.
 */
#include "harness.h"

#include <mswsock.h>

/* Address area size for IPv4: the address plus 16 (api.md 4.23). */
#define AREA ((DWORD)sizeof(struct sockaddr_in) + 16)

static LPFN_ACCEPTEX accept_ex;
static LPFN_GETACCEPTEXSOCKADDRS get_sockaddrs;

/* Startup, and both function pointers as a program gets them: from WSAIoctl on a socket. */
static void setup(void)
{
    GUID g_accept = WSAID_ACCEPTEX, g_addrs = WSAID_GETACCEPTEXSOCKADDRS;
    SOCKET s;
    DWORD bytes = 0;

    harness_startup();
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET);
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g_accept, sizeof(g_accept),
                      &accept_ex, sizeof(accept_ex), &bytes, NULL, NULL),
             0);
    CHECK_EQ(bytes, sizeof(accept_ex));
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g_addrs, sizeof(g_addrs),
                      &get_sockaddrs, sizeof(get_sockaddrs), &bytes, NULL, NULL),
             0);
    CHECK(accept_ex != NULL && get_sockaddrs != NULL);
    closesocket(s);
}

static SOCKET tcp_socket(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    CHECK(s != INVALID_SOCKET);
    return s;
}

/* A listener on 127.0.0.1:ephemeral; *addr gets its address. */
static SOCKET listening(struct sockaddr_in *addr)
{
    int len = sizeof(*addr);
    SOCKET l = tcp_socket();

    *addr = harness_loopback4(0);
    CHECK_EQ(bind(l, (struct sockaddr *)addr, sizeof(*addr)), 0);
    CHECK_EQ(listen(l, 4), 0);
    CHECK_EQ(getsockname(l, (struct sockaddr *)addr, &len), 0);
    return l;
}

/* A client connected (blocking) to addr; *local gets its own address when not NULL. */
static SOCKET client_of(const struct sockaddr_in *addr, struct sockaddr_in *local)
{
    struct sockaddr_in me;
    int len = sizeof(me);
    SOCKET c = tcp_socket();

    CHECK_EQ(connect(c, (const struct sockaddr *)addr, sizeof(*addr)), 0);
    CHECK_EQ(getsockname(c, (struct sockaddr *)&me, &len), 0);
    if (local)
        *local = me;
    return c;
}

static BOOL same_endpoint(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
    return a->sin_family == b->sin_family && a->sin_port == b->sin_port &&
           a->sin_addr.s_addr == b->sin_addr.s_addr;
}

/* AcceptEx(l, a, out, rx, local, remote) with an event in *ov: must pend (no client yet). */
static void accept_pending(SOCKET l, SOCKET a, char *out, DWORD rx, DWORD local, DWORD remote,
                           WSAOVERLAPPED *ov)
{
    DWORD n;

    harness_ov_init(ov, TRUE);
    CHECK(!accept_ex(l, a, out, rx, local, remote, &n, ov));
    CHECK_ERR(ERROR_IO_PENDING);
}

/* The AcceptEx of ov on l completes successfully with `bytes` bytes. */
static void accept_done(SOCKET l, WSAOVERLAPPED *ov, DWORD bytes)
{
    DWORD n = 0xDEADBEEF, flags = 0;

    CHECK(harness_signalled(ov->hEvent, 2000));
    CHECK(GetOverlappedResult((HANDLE)l, ov, &n, FALSE));
    CHECK_EQ(n, bytes);
    n = 0xDEADBEEF;
    CHECK(WSAGetOverlappedResult(l, ov, &n, FALSE, &flags));
    CHECK_EQ(n, bytes);
    WSACloseEvent(ov->hEvent);
}

/* A synchronous AcceptEx failure with `err`; ov's event is not signalled. */
#define CHECK_FAILS(rc, ov, err) check_fails_at(__LINE__, rc, ov, err)
static void check_fails_at(int line, BOOL rc, WSAOVERLAPPED *ov, int err)
{
    int got = WSAGetLastError();

    if (rc || got != err)
        harness_fail(__FILE__, line, "returned %d, error %d; expected FALSE, error %d", rc, got,
                     err);
    if (ov && ov->hEvent)
        CHECK(!harness_signalled(ov->hEvent, 0));
}

/* A client connects to l's address and sends "ping"; a receives it. */
static void check_connection(SOCKET c, SOCKET a)
{
    char buf[4];

    harness_send_all(c, "ping", 4);
    harness_recv_all(a, buf, 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
}

TEST(q274_accept_no_data_completes_with_0)
{
    struct sockaddr_in la;
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    SOCKET l, a, c;

    setup();
    l = listening(&la);
    a = tcp_socket();
    /* Nothing to accept yet, so the call cannot have completed (the "or TRUE" of the item
     * is for a connection already queued). */
    accept_pending(l, a, out, 0, AREA, AREA, &ov);
    CHECK(!harness_signalled(ov.hEvent, 100));
    c = client_of(&la, NULL);
    accept_done(l, &ov, 0);
    check_connection(c, a);
    closesocket(c);
    closesocket(a);
    closesocket(l);
}

TEST(q274_acceptex_by_name)
{
    struct sockaddr_in la;
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    DWORD n = 0xDEADBEEF;
    SOCKET l, a, c;

    harness_startup();
    l = listening(&la);
    a = tcp_socket();
    harness_ov_init(&ov, TRUE);
    CHECK(!AcceptEx(l, a, out, 0, AREA, AREA, &n, &ov));
    CHECK_ERR(ERROR_IO_PENDING);
    c = client_of(&la, NULL);
    accept_done(l, &ov, 0);
    check_connection(c, a);
    closesocket(c);
    closesocket(a);
    closesocket(l);
}

TEST(q275_receive_length_waits_for_data)
{
    struct sockaddr_in la;
    char out[16 + 2 * AREA];
    WSAOVERLAPPED ov;
    SOCKET l, a, c;

    setup();
    l = listening(&la);
    a = tcp_socket();
    accept_pending(l, a, out, 16, AREA, AREA, &ov);
    c = client_of(&la, NULL);
    CHECK(!harness_signalled(ov.hEvent, 300));
    CHECK(!HasOverlappedIoCompleted(&ov));
    harness_send_all(c, "hello", 5);
    accept_done(l, &ov, 5);
    CHECK(memcmp(out, "hello", 5) == 0);
    closesocket(c);
    closesocket(a);
    closesocket(l);
}

TEST(q276_client_closes_without_data_completes_with_0)
{
    struct sockaddr_in la;
    char out[16 + 2 * AREA];
    WSAOVERLAPPED ov;
    SOCKET l, a, c;

    setup();
    l = listening(&la);
    a = tcp_socket();
    accept_pending(l, a, out, 16, AREA, AREA, &ov);
    c = client_of(&la, NULL);
    closesocket(c);
    accept_done(l, &ov, 0);
    closesocket(a);
    closesocket(l);
}

/* After an AcceptEx with rx data bytes: the addresses GetAcceptExSockaddrs (fn) finds in out. */
static void check_sockaddrs(LPFN_GETACCEPTEXSOCKADDRS fn, char *out, DWORD rx, DWORD size,
                            const struct sockaddr_in *la, const struct sockaddr_in *ca)
{
    struct sockaddr *local = NULL, *remote = NULL;
    int llen = -1, rlen = -1;

    fn(out, rx, AREA, AREA, &local, &llen, &remote, &rlen);
    CHECK_EQ(llen, sizeof(struct sockaddr_in));
    CHECK_EQ(rlen, sizeof(struct sockaddr_in));
    CHECK((char *)local >= out && (char *)local + llen <= out + size);
    CHECK((char *)remote >= out && (char *)remote + rlen <= out + size);
    CHECK(same_endpoint((struct sockaddr_in *)local, la));
    CHECK(same_endpoint((struct sockaddr_in *)remote, ca));
}

TEST(q277_getacceptexsockaddrs_local_and_remote)
{
    struct sockaddr_in la, ca;
    char out[4 + 2 * AREA];
    WSAOVERLAPPED ov;
    SOCKET l, a, c;

    setup();
    l = listening(&la);
    a = tcp_socket();
    accept_pending(l, a, out, 4, AREA, AREA, &ov);
    c = client_of(&la, &ca);
    harness_send_all(c, "abcd", 4);
    accept_done(l, &ov, 4);
    check_sockaddrs(get_sockaddrs, out, 4, sizeof(out), &la, &ca);
    closesocket(c);
    closesocket(a);
    closesocket(l);
}

TEST(q277_getacceptexsockaddrs_by_name)
{
    struct sockaddr_in la, ca;
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    DWORD n;
    SOCKET l, a, c;

    setup();
    l = listening(&la);
    a = tcp_socket();
    /* A program that links mswsock calls both by name. */
    harness_ov_init(&ov, TRUE);
    CHECK(!AcceptEx(l, a, out, 0, AREA, AREA, &n, &ov));
    CHECK_ERR(ERROR_IO_PENDING);
    c = client_of(&la, &ca);
    accept_done(l, &ov, 0);
    check_sockaddrs(GetAcceptExSockaddrs, out, 0, sizeof(out), &la, &ca);
    closesocket(c);
    closesocket(a);
    closesocket(l);
}

TEST(q278_update_accept_context)
{
    struct sockaddr_in la, ca, name;
    int len = sizeof(name);
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    SOCKET l, a, c;

    setup();
    l = listening(&la);
    a = tcp_socket();
    accept_pending(l, a, out, 0, AREA, AREA, &ov);
    c = client_of(&la, &ca);
    accept_done(l, &ov, 0);
    CHECK_EQ(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof(l)), 0);
    CHECK_EQ(getsockname(a, (struct sockaddr *)&name, &len), 0);
    CHECK(same_endpoint(&name, &la));
    len = sizeof(name);
    CHECK_EQ(getpeername(a, (struct sockaddr *)&name, &len), 0);
    CHECK(same_endpoint(&name, &ca));
    check_connection(c, a);
    closesocket(c);
    closesocket(a);
    closesocket(l);
}

TEST(q279_invalid_sockets_enotsock)
{
    struct sockaddr_in la;
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    DWORD n;
    SOCKET l, a;

    setup();
    l = listening(&la);
    a = tcp_socket();
    harness_ov_init(&ov, TRUE);
    CHECK_FAILS(accept_ex(INVALID_SOCKET, a, out, 0, AREA, AREA, &n, &ov), &ov, WSAENOTSOCK);
    CHECK_FAILS(accept_ex(l, INVALID_SOCKET, out, 0, AREA, AREA, &n, &ov), &ov, WSAENOTSOCK);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(l);
}

TEST(q280_not_listening_einval)
{
    struct sockaddr_in addr = harness_loopback4(0);
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    DWORD n;
    SOCKET l, a;

    setup();
    l = tcp_socket();
    CHECK_EQ(bind(l, (struct sockaddr *)&addr, sizeof(addr)), 0);
    a = tcp_socket();
    harness_ov_init(&ov, TRUE);
    CHECK_FAILS(accept_ex(l, a, out, 0, AREA, AREA, &n, &ov), &ov, WSAEINVAL);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(l);
}

TEST(q281_null_output_buffer_efault)
{
    struct sockaddr_in la;
    WSAOVERLAPPED ov;
    DWORD n;
    SOCKET l, a;

    setup();
    l = listening(&la);
    a = tcp_socket();
    harness_ov_init(&ov, TRUE);
    CHECK_FAILS(accept_ex(l, a, NULL, 0, AREA, AREA, &n, &ov), &ov, WSAEFAULT);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(l);
}

TEST(q282_accept_socket_udp_bound_or_connected_einval)
{
    struct sockaddr_in la, any = harness_loopback4(0);
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    DWORD n;
    SOCKET l, udp, bound, conn, peer;

    setup();
    l = listening(&la);
    udp = harness_udp_socket(FALSE);
    bound = tcp_socket();
    CHECK_EQ(bind(bound, (struct sockaddr *)&any, sizeof(any)), 0);
    harness_tcp_pair(&conn, &peer);
    harness_ov_init(&ov, TRUE);
    CHECK_FAILS(accept_ex(l, conn, out, 0, AREA, AREA, &n, &ov), &ov, WSAEINVAL);
    CHECK_FAILS(accept_ex(l, bound, out, 0, AREA, AREA, &n, &ov), &ov, WSAEINVAL);
    CHECK_FAILS(accept_ex(l, udp, out, 0, AREA, AREA, &n, &ov), &ov, WSAEINVAL);
    WSACloseEvent(ov.hEvent);
    closesocket(udp);
    closesocket(bound);
    closesocket(conn);
    closesocket(peer);
    closesocket(l);
}

TEST(q283_remote_length_0_efault)
{
    struct sockaddr_in la;
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    DWORD n;
    SOCKET l, a;

    setup();
    l = listening(&la);
    a = tcp_socket();
    harness_ov_init(&ov, TRUE);
    CHECK_FAILS(accept_ex(l, a, out, 0, AREA, 0, &n, &ov), &ov, WSAEFAULT);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(l);
}

TEST(q284_null_overlapped_invalid_parameter)
{
    struct sockaddr_in la;
    char out[2 * AREA];
    DWORD n;
    SOCKET l, a;

    setup();
    l = listening(&la);
    a = tcp_socket();
    CHECK_FAILS(accept_ex(l, a, out, 0, AREA, AREA, &n, NULL), NULL, ERROR_INVALID_PARAMETER);
    closesocket(a);
    closesocket(l);
}

TEST(q285_accept_socket_already_pending_einval)
{
    struct sockaddr_in la;
    char out[2 * AREA], out2[2 * AREA];
    WSAOVERLAPPED ov, ov2;
    DWORD n;
    SOCKET l, a, c;

    setup();
    l = listening(&la);
    a = tcp_socket();
    accept_pending(l, a, out, 0, AREA, AREA, &ov);
    harness_ov_init(&ov2, TRUE);
    CHECK_FAILS(accept_ex(l, a, out2, 0, AREA, AREA, &n, &ov2), &ov2, WSAEINVAL);
    /* The first one is unharmed and takes the connection. */
    c = client_of(&la, NULL);
    accept_done(l, &ov, 0);
    CHECK(!harness_signalled(ov2.hEvent, 100));
    check_connection(c, a);
    WSACloseEvent(ov2.hEvent);
    closesocket(c);
    closesocket(a);
    closesocket(l);
}

TEST(q286_connect_on_pending_accept_socket_einval)
{
    GUID guid = WSAID_CONNECTEX;
    LPFN_CONNECTEX connect_ex = NULL;
    struct sockaddr_in la, other;
    char out[2 * AREA];
    WSAOVERLAPPED ov, cov;
    DWORD n = 0;
    SOCKET l, l2, a;

    setup();
    l = listening(&la);
    l2 = listening(&other);
    a = tcp_socket();
    CHECK_EQ(WSAIoctl(a, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &connect_ex,
                      sizeof(connect_ex), &n, NULL, NULL),
             0);
    accept_pending(l, a, out, 0, AREA, AREA, &ov);
    /* connect would succeed on a fresh unbound socket; here it must not. */
    CHECK_EQ(connect(a, (struct sockaddr *)&other, sizeof(other)), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    harness_ov_init(&cov, TRUE);
    CHECK_FAILS(connect_ex(a, (struct sockaddr *)&other, sizeof(other), NULL, 0, &n, &cov), &cov,
                WSAEINVAL);
    CHECK(!harness_signalled(ov.hEvent, 100));
    WSACloseEvent(cov.hEvent);
    closesocket(l);
    harness_signalled(ov.hEvent, 2000);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(l2);
}

/* TRUE when s becomes readable (a connection to accept) within ms. */
static BOOL readable(SOCKET s, long ms)
{
    fd_set r;
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

    FD_ZERO(&r);
    FD_SET(s, &r);
    return select(0, &r, NULL, NULL, &tv) == 1;
}

TEST(q287_local_area_too_small_insufficient_buffer)
{
    static const DWORD sizes[] = {3, sizeof(struct sockaddr_in) + 4};
    struct sockaddr_in la, ca, from;
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    DWORD n, flags;
    unsigned i;
    int len;
    SOCKET l, a, c, s;

    setup();
    l = listening(&la);
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        a = tcp_socket();
        accept_pending(l, a, out, 0, sizes[i], AREA, &ov);
        c = client_of(&la, &ca);
        CHECK(harness_signalled(ov.hEvent, 2000));
        n = 0xDEADBEEF;
        SetLastError(0);
        CHECK(!GetOverlappedResult((HANDLE)l, &ov, &n, FALSE));
        CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
        CHECK(!WSAGetOverlappedResult(l, &ov, &n, FALSE, &flags));
        CHECK_ERR(WSAEFAULT);
        /* The connection is still queued on the listener. */
        CHECK(readable(l, 2000));
        len = sizeof(from);
        s = accept(l, (struct sockaddr *)&from, &len);
        CHECK(s != INVALID_SOCKET);
        CHECK(same_endpoint(&from, &ca));
        WSACloseEvent(ov.hEvent);
        closesocket(s);
        closesocket(c);
        closesocket(a);
    }
    closesocket(l);
}

TEST(q288_local_area_0_not_stored)
{
    struct sockaddr_in la, ca;
    struct sockaddr *local = (struct sockaddr *)(ULONG_PTR)0x1234, *remote = NULL;
    int llen = 777, rlen = -1;
    char out[AREA];
    WSAOVERLAPPED ov;
    SOCKET l, a, c;

    setup();
    l = listening(&la);
    a = tcp_socket();
    accept_pending(l, a, out, 0, 0, AREA, &ov);
    c = client_of(&la, &ca);
    accept_done(l, &ov, 0);
    get_sockaddrs(out, 0, 0, AREA, &local, &llen, &remote, &rlen);
    CHECK(local == (struct sockaddr *)(ULONG_PTR)0x1234);
    CHECK_EQ(llen, 777);
    CHECK_EQ(rlen, sizeof(struct sockaddr_in));
    CHECK(same_endpoint((struct sockaddr_in *)remote, &ca));
    closesocket(c);
    closesocket(a);
    closesocket(l);
}

static DWORD connect_time(SOCKET s)
{
    DWORD v = 0x12345678;
    int len = sizeof(v);

    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_CONNECT_TIME, (char *)&v, &len), 0);
    CHECK_EQ(len, sizeof(v));
    return v;
}

TEST(q289_so_connect_time)
{
    struct sockaddr_in la;
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    SOCKET l, a, c, fresh;

    setup();
    l = listening(&la);
    a = tcp_socket();
    fresh = tcp_socket();
    CHECK_EQ(connect_time(fresh), 0xFFFFFFFF);
    accept_pending(l, a, out, 0, AREA, AREA, &ov);
    c = client_of(&la, NULL);
    accept_done(l, &ov, 0);
    CHECK_NE(connect_time(a), 0xFFFFFFFF);
    closesocket(fresh);
    closesocket(c);
    closesocket(a);
    closesocket(l);
}

TEST(q290_pending_acceptex_served_in_issue_order)
{
    struct sockaddr_in la;
    char out1[2 * AREA], out2[2 * AREA];
    WSAOVERLAPPED ov1, ov2;
    SOCKET l, a1, a2, c1, c2;

    setup();
    l = listening(&la);
    a1 = tcp_socket();
    a2 = tcp_socket();
    accept_pending(l, a1, out1, 0, AREA, AREA, &ov1);
    accept_pending(l, a2, out2, 0, AREA, AREA, &ov2);
    c1 = client_of(&la, NULL);
    CHECK(harness_signalled(ov1.hEvent, 2000));
    CHECK(!harness_signalled(ov2.hEvent, 100));
    c2 = client_of(&la, NULL);
    accept_done(l, &ov1, 0);
    accept_done(l, &ov2, 0);
    check_connection(c1, a1);
    check_connection(c2, a2);
    closesocket(c1);
    closesocket(c2);
    closesocket(a1);
    closesocket(a2);
    closesocket(l);
}

TEST(q291_close_accept_socket_aborts_through_port)
{
    struct sockaddr_in la;
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    DWORD n = 0xDEADBEEF, err;
    ULONG_PTR key = 0;
    LPOVERLAPPED o = NULL;
    HANDLE port;
    SOCKET l, a;

    setup();
    l = listening(&la);
    a = tcp_socket();
    port = CreateIoCompletionPort((HANDLE)l, NULL, 1, 0);
    CHECK(port != NULL);
    CHECK(CreateIoCompletionPort((HANDLE)a, port, 2, 0) == port);
    accept_pending(l, a, out, 0, AREA, AREA, &ov);
    closesocket(a);
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(port, &n, &key, &o, 2000));
    err = GetLastError();
    CHECK(err == ERROR_OPERATION_ABORTED || err == ERROR_CONNECTION_ABORTED);
    CHECK(o == &ov);
    CHECK_EQ(n, 0);
    /* AcceptEx reports through the listener's port, with the listener's key. */
    CHECK_EQ(key, 1);
    WSACloseEvent(ov.hEvent);
    closesocket(l);
    CloseHandle(port);
}

TEST(o266_acceptex_before_association_aborted_by_listener_close)
{
    struct sockaddr_in la;
    char out[2 * AREA];
    WSAOVERLAPPED ov;
    DWORD n = 0xDEADBEEF;
    ULONG_PTR key = 0;
    LPOVERLAPPED o = NULL;
    HANDLE port;
    SOCKET l, a;

    setup();
    l = listening(&la);
    a = tcp_socket();
    accept_pending(l, a, out, 0, AREA, AREA, &ov);
    port = CreateIoCompletionPort((HANDLE)l, NULL, 125, 0);
    CHECK(port != NULL);
    closesocket(l);
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(port, &n, &key, &o, 2000));
    CHECK_EQ(GetLastError(), ERROR_OPERATION_ABORTED);
    CHECK(o == &ov);
    CHECK_EQ(key, 125);
    CHECK_EQ(n, 0);
    CHECK_STATUS(&ov, STATUS_CANCELLED);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    CloseHandle(port);
}
