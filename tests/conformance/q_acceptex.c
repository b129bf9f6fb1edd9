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
 * Items: 274-291, 266, 383, 384.
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

    harness_startup();
    harness_extension(&g_accept, &accept_ex, sizeof(accept_ex));
    harness_extension(&g_addrs, &get_sockaddrs, sizeof(get_sockaddrs));
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

/* A client connected (blocking) to addr; *local gets its own address. */
static SOCKET client_of(const struct sockaddr_in *addr, struct sockaddr_in *local)
{
    int len = sizeof(*local);
    SOCKET c = tcp_socket();

    CHECK_EQ(connect(c, (const struct sockaddr *)addr, sizeof(*addr)), 0);
    CHECK_EQ(getsockname(c, (struct sockaddr *)local, &len), 0);
    return c;
}

static BOOL same_endpoint(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
    return a->sin_family == b->sin_family && a->sin_port == b->sin_port &&
           a->sin_addr.s_addr == b->sin_addr.s_addr;
}

/*
 * One AcceptEx: listener l (address la), fresh accept socket a, output buffer out, and,
 * once connected, the client c (address ca); fn is the AcceptEx called (the WSAIoctl
 * pointer unless a case sets the export).
 */
struct scene {
    LPFN_ACCEPTEX fn;
    SOCKET l, a, c;
    struct sockaddr_in la, ca;
    WSAOVERLAPPED ov;
    char out[16 + 2 * AREA];
};

/* Startup, the listener and the accept socket; ov gets an event. */
static void scene_open(struct scene *s)
{
    setup();
    s->fn = accept_ex;
    s->l = listening(&s->la);
    s->a = tcp_socket();
    s->c = INVALID_SOCKET; /* closesocket(INVALID_SOCKET) in scene_close is harmless */
    harness_ov_init(&s->ov, TRUE);
}

/* AcceptEx with these lengths: it must pend (no client yet, so it cannot have completed;
 * the "or TRUE" of item 274 is for a connection already queued). */
static void scene_accept(struct scene *s, DWORD rx, DWORD local, DWORD remote)
{
    DWORD n;

    CHECK(!s->fn(s->l, s->a, s->out, rx, local, remote, &n, &s->ov));
    CHECK_ERR(ERROR_IO_PENDING);
}

static void scene_connect(struct scene *s)
{
    s->c = client_of(&s->la, &s->ca);
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
}

static void scene_close(struct scene *s)
{
    WSACloseEvent(s->ov.hEvent);
    closesocket(s->c);
    closesocket(s->a);
    closesocket(s->l);
}

/* The call just made on scene s failed at once with `err`: ov's event not signalled. */
#define CHECK_FAILS(s, rc, err) check_fails_at(__LINE__, s, rc, err)
static void check_fails_at(int line, const struct scene *s, BOOL rc, int err)
{
    int got = WSAGetLastError();

    if (rc || got != err)
        harness_fail(__FILE__, line, "returned %d, error %d; expected FALSE, error %d", rc, got,
                     err);
    CHECK(!harness_signalled(s->ov.hEvent, 0));
}

/* c sends "ping"; a receives it. */
static void check_connection(SOCKET c, SOCKET a)
{
    char buf[4];

    harness_send_all(c, "ping", 4);
    harness_recv_all(a, buf, 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
}

/* Item 274 on an opened scene. */
static void accept_no_data(struct scene *s)
{
    scene_accept(s, 0, AREA, AREA);
    CHECK(!harness_signalled(s->ov.hEvent, 100));
    scene_connect(s);
    accept_done(s->l, &s->ov, 0);
    check_connection(s->c, s->a);
    scene_close(s);
}

TEST(q274_accept_no_data_completes_with_0)
{
    struct scene s;

    scene_open(&s);
    accept_no_data(&s);
}

TEST(q274_acceptex_by_name)
{
    struct scene s;

    scene_open(&s);
    s.fn = AcceptEx;
    accept_no_data(&s);
}

TEST(q275_receive_length_waits_for_data)
{
    struct scene s;

    scene_open(&s);
    scene_accept(&s, 16, AREA, AREA);
    scene_connect(&s);
    CHECK(!harness_signalled(s.ov.hEvent, 300));
    CHECK(!HasOverlappedIoCompleted(&s.ov));
    harness_send_all(s.c, "hello", 5);
    accept_done(s.l, &s.ov, 5);
    CHECK(memcmp(s.out, "hello", 5) == 0);
    scene_close(&s);
}

TEST(q276_client_closes_without_data_completes_with_0)
{
    struct scene s;

    scene_open(&s);
    scene_accept(&s, 16, AREA, AREA);
    scene_connect(&s);
    closesocket(s.c);
    s.c = INVALID_SOCKET;
    accept_done(s.l, &s.ov, 0);
    scene_close(&s);
}

/* After an AcceptEx with rx data bytes: the addresses GetAcceptExSockaddrs (fn) finds in
 * s->out are the listener's and the client's, inside the buffer. */
static void check_sockaddrs(LPFN_GETACCEPTEXSOCKADDRS fn, struct scene *s, DWORD rx)
{
    struct sockaddr *local = NULL, *remote = NULL;
    int llen = -1, rlen = -1;
    char *end = s->out + sizeof(s->out);

    fn(s->out, rx, AREA, AREA, &local, &llen, &remote, &rlen);
    CHECK_EQ(llen, sizeof(struct sockaddr_in));
    CHECK_EQ(rlen, sizeof(struct sockaddr_in));
    CHECK((char *)local >= s->out && (char *)local + llen <= end);
    CHECK((char *)remote >= s->out && (char *)remote + rlen <= end);
    CHECK(same_endpoint((struct sockaddr_in *)local, &s->la));
    CHECK(same_endpoint((struct sockaddr_in *)remote, &s->ca));
}

TEST(q277_getacceptexsockaddrs_local_and_remote)
{
    struct scene s;

    scene_open(&s);
    scene_accept(&s, 4, AREA, AREA);
    scene_connect(&s);
    harness_send_all(s.c, "abcd", 4);
    accept_done(s.l, &s.ov, 4);
    check_sockaddrs(get_sockaddrs, &s, 4);
    scene_close(&s);
}

TEST(q277_getacceptexsockaddrs_by_name)
{
    struct scene s;

    scene_open(&s);
    /* A program that links mswsock calls both by name. */
    s.fn = AcceptEx;
    scene_accept(&s, 0, AREA, AREA);
    scene_connect(&s);
    accept_done(s.l, &s.ov, 0);
    check_sockaddrs(GetAcceptExSockaddrs, &s, 0);
    scene_close(&s);
}

TEST(q278_update_accept_context)
{
    struct scene s;
    struct sockaddr_in name;
    int len = sizeof(name);

    scene_open(&s);
    scene_accept(&s, 0, AREA, AREA);
    scene_connect(&s);
    accept_done(s.l, &s.ov, 0);
    CHECK_EQ(setsockopt(s.a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&s.l, sizeof(s.l)), 0);
    CHECK_EQ(getsockname(s.a, (struct sockaddr *)&name, &len), 0);
    CHECK(same_endpoint(&name, &s.la));
    len = sizeof(name);
    CHECK_EQ(getpeername(s.a, (struct sockaddr *)&name, &len), 0);
    CHECK(same_endpoint(&name, &s.ca));
    check_connection(s.c, s.a);
    scene_close(&s);
}

TEST(q279_invalid_sockets_enotsock)
{
    struct scene s;
    DWORD n;

    scene_open(&s);
    CHECK_FAILS(&s, accept_ex(INVALID_SOCKET, s.a, s.out, 0, AREA, AREA, &n, &s.ov), WSAENOTSOCK);
    CHECK_FAILS(&s, accept_ex(s.l, INVALID_SOCKET, s.out, 0, AREA, AREA, &n, &s.ov), WSAENOTSOCK);
    scene_close(&s);
}

TEST(q280_not_listening_einval)
{
    struct sockaddr_in addr = harness_loopback4(0);
    struct scene s;
    SOCKET bound;
    DWORD n;

    scene_open(&s); /* WSAStartup first: a socket made before it fails (Wine does not care) */
    bound = tcp_socket();
    CHECK_EQ(bind(bound, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CHECK_FAILS(&s, accept_ex(bound, s.a, s.out, 0, AREA, AREA, &n, &s.ov), WSAEINVAL);
    closesocket(bound);
    scene_close(&s);
}

TEST(q281_null_output_buffer_efault)
{
    struct scene s;
    DWORD n;

    scene_open(&s);
    CHECK_FAILS(&s, accept_ex(s.l, s.a, NULL, 0, AREA, AREA, &n, &s.ov), WSAEFAULT);
    scene_close(&s);
}

TEST(q282_accept_socket_udp_bound_or_connected_einval)
{
    struct sockaddr_in any = harness_loopback4(0);
    struct scene s;
    DWORD n;
    SOCKET udp, bound, conn, peer;

    scene_open(&s);
    udp = harness_udp_socket(FALSE);
    bound = tcp_socket();
    CHECK_EQ(bind(bound, (struct sockaddr *)&any, sizeof(any)), 0);
    harness_tcp_pair(&conn, &peer);
    CHECK_FAILS(&s, accept_ex(s.l, conn, s.out, 0, AREA, AREA, &n, &s.ov), WSAEINVAL);
    CHECK_FAILS(&s, accept_ex(s.l, bound, s.out, 0, AREA, AREA, &n, &s.ov), WSAEINVAL);
    CHECK_FAILS(&s, accept_ex(s.l, udp, s.out, 0, AREA, AREA, &n, &s.ov), WSAEINVAL);
    closesocket(udp);
    closesocket(bound);
    closesocket(conn);
    closesocket(peer);
    scene_close(&s);
}

TEST(q283_remote_length_0_efault)
{
    struct scene s;
    DWORD n;

    scene_open(&s);
    CHECK_FAILS(&s, accept_ex(s.l, s.a, s.out, 0, AREA, 0, &n, &s.ov), WSAEFAULT);
    scene_close(&s);
}

TEST(q284_null_overlapped_invalid_parameter)
{
    struct scene s;
    DWORD n;

    scene_open(&s);
    CHECK_FAILS(&s, accept_ex(s.l, s.a, s.out, 0, AREA, AREA, &n, NULL), ERROR_INVALID_PARAMETER);
    scene_close(&s);
}

TEST(q285_accept_socket_already_pending_einval)
{
    struct scene s, second;
    DWORD n;

    scene_open(&s);
    scene_accept(&s, 0, AREA, AREA);
    harness_ov_init(&second.ov, TRUE);
    CHECK_FAILS(&second, accept_ex(s.l, s.a, second.out, 0, AREA, AREA, &n, &second.ov), WSAEINVAL);
    /* The first one is unharmed and takes the connection. */
    scene_connect(&s);
    accept_done(s.l, &s.ov, 0);
    CHECK(!harness_signalled(second.ov.hEvent, 100));
    check_connection(s.c, s.a);
    WSACloseEvent(second.ov.hEvent);
    scene_close(&s);
}

TEST(q286_connect_on_pending_accept_socket_einval)
{
    GUID guid = WSAID_CONNECTEX;
    LPFN_CONNECTEX connect_ex = NULL;
    struct sockaddr_in other;
    struct scene s;
    WSAOVERLAPPED cov;
    DWORD n = 0;
    SOCKET l2;

    scene_open(&s);
    l2 = listening(&other);
    CHECK_EQ(WSAIoctl(s.a, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &connect_ex,
                      sizeof(connect_ex), &n, NULL, NULL),
             0);
    scene_accept(&s, 0, AREA, AREA);
    /* connect would succeed on a fresh unbound socket; here it must not. */
    CHECK_EQ(connect(s.a, (struct sockaddr *)&other, sizeof(other)), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    harness_ov_init(&cov, TRUE);
    CHECK(!connect_ex(s.a, (struct sockaddr *)&other, sizeof(other), NULL, 0, &n, &cov));
    CHECK_ERR(WSAEINVAL);
    CHECK(!harness_signalled(cov.hEvent, 0));
    CHECK(!harness_signalled(s.ov.hEvent, 100));
    WSACloseEvent(cov.hEvent);
    closesocket(s.l);
    harness_signalled(s.ov.hEvent, 2000);
    s.l = l2;
    scene_close(&s);
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
    struct sockaddr_in from;
    struct scene s;
    DWORD n, flags;
    unsigned i;
    int len;
    SOCKET got;

    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        scene_open(&s);
        scene_accept(&s, 0, sizes[i], AREA);
        scene_connect(&s);
        CHECK(harness_signalled(s.ov.hEvent, 2000));
        n = 0xDEADBEEF;
        SetLastError(0);
        CHECK(!GetOverlappedResult((HANDLE)s.l, &s.ov, &n, FALSE));
        CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
        CHECK(!WSAGetOverlappedResult(s.l, &s.ov, &n, FALSE, &flags));
        CHECK_ERR(WSAEFAULT);
        /* The connection is still queued on the listener. */
        CHECK(readable(s.l, 2000));
        len = sizeof(from);
        got = accept(s.l, (struct sockaddr *)&from, &len);
        CHECK(got != INVALID_SOCKET);
        CHECK(same_endpoint(&from, &s.ca));
        closesocket(got);
        scene_close(&s);
    }
}

TEST(q288_local_area_0_not_stored)
{
    struct sockaddr *local = (struct sockaddr *)(ULONG_PTR)0x1234, *remote = NULL;
    int llen = 777, rlen = -1;
    struct scene s;

    scene_open(&s);
    scene_accept(&s, 0, 0, AREA);
    scene_connect(&s);
    accept_done(s.l, &s.ov, 0);
    get_sockaddrs(s.out, 0, 0, AREA, &local, &llen, &remote, &rlen);
    CHECK(local == (struct sockaddr *)(ULONG_PTR)0x1234);
    CHECK_EQ(llen, 777);
    CHECK_EQ(rlen, sizeof(struct sockaddr_in));
    CHECK(same_endpoint((struct sockaddr_in *)remote, &s.ca));
    scene_close(&s);
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
    struct scene s;

    scene_open(&s);
    CHECK_EQ(connect_time(s.a), 0xFFFFFFFF);
    scene_accept(&s, 0, AREA, AREA);
    scene_connect(&s);
    accept_done(s.l, &s.ov, 0);
    CHECK_NE(connect_time(s.a), 0xFFFFFFFF);
    scene_close(&s);
}

TEST(q290_pending_acceptex_served_in_issue_order)
{
    struct scene s, t;

    scene_open(&s);
    /* t shares s's listener. */
    t.fn = s.fn;
    t.l = s.l;
    t.la = s.la;
    t.a = tcp_socket();
    harness_ov_init(&t.ov, TRUE);
    scene_accept(&s, 0, AREA, AREA);
    scene_accept(&t, 0, AREA, AREA);
    scene_connect(&s);
    CHECK(harness_signalled(s.ov.hEvent, 2000));
    CHECK(!harness_signalled(t.ov.hEvent, 100));
    scene_connect(&t);
    accept_done(s.l, &s.ov, 0);
    accept_done(t.l, &t.ov, 0);
    check_connection(s.c, s.a);
    check_connection(t.c, t.a);
    WSACloseEvent(t.ov.hEvent);
    closesocket(t.c);
    closesocket(t.a);
    scene_close(&s);
}

/* Dequeues the one packet of an aborted AcceptEx (ov) from port: FALSE, 0 bytes; returns
 * the last error and the key. */
static DWORD aborted_packet(HANDLE port, WSAOVERLAPPED *ov, ULONG_PTR *key)
{
    DWORD n = 0xDEADBEEF, err;
    LPOVERLAPPED o = NULL;

    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(port, &n, key, &o, 2000));
    err = GetLastError();
    CHECK(o == ov);
    CHECK_EQ(n, 0);
    return err;
}

static void close_accept_socket_through_port(BOOL second_stage);

TEST(q291_close_accept_socket_aborts_through_port)
{
    close_accept_socket_through_port(FALSE);
}

TEST(o266_acceptex_before_association_aborted_by_listener_close)
{
    struct scene s;
    ULONG_PTR key = 0;
    HANDLE port;

    scene_open(&s);
    scene_accept(&s, 0, AREA, AREA);
    port = CreateIoCompletionPort((HANDLE)s.l, NULL, 125, 0);
    CHECK(port != NULL);
    closesocket(s.l);
    CHECK_EQ(aborted_packet(port, &s.ov, &key), ERROR_OPERATION_ABORTED);
    CHECK_EQ(key, 125);
    CHECK_STATUS(&s.ov, STATUS_CANCELLED);
    s.l = INVALID_SOCKET;
    scene_close(&s);
    CloseHandle(port);
}

/* Section Z: an AcceptEx waiting for its first data has its connection already (items
 * 383, 384). */

/* A second scene on s's listener: its own accept socket and event. */
static void scene_share(struct scene *t, const struct scene *s)
{
    t->fn = s->fn;
    t->l = s->l;
    t->la = s->la;
    t->a = tcp_socket();
    t->c = INVALID_SOCKET;
    harness_ov_init(&t->ov, TRUE);
}

static void scene_close_shared(struct scene *t)
{
    WSACloseEvent(t->ov.hEvent);
    closesocket(t->c);
    closesocket(t->a);
}

static BOOL accept_socket_connected(void *arg)
{
    return connect_time(*(SOCKET *)arg) != 0xFFFFFFFF;
}

/* s's AcceptEx (receive length 16) has accepted its client, which sends nothing: it now
 * waits for the first data (SO_CONNECT_TIME is what a server watches for such clients). */
static void scene_second_stage(struct scene *s)
{
    scene_accept(s, 16, AREA, AREA);
    scene_connect(s);
    CHECK(harness_wait_until(accept_socket_connected, &s->a, 2000));
    CHECK(!HasOverlappedIoCompleted(&s->ov));
}

TEST(z383_acceptex_waiting_for_data_does_not_hold_the_listener)
{
    struct scene s, t;

    scene_open(&s);
    scene_share(&t, &s);
    scene_accept(&s, 16, AREA, AREA);
    scene_accept(&t, 16, AREA, AREA);
    scene_connect(&s); /* sends nothing */
    scene_connect(&t);
    harness_send_all(t.c, "hi", 2);
    accept_done(t.l, &t.ov, 2);
    CHECK(memcmp(t.out, "hi", 2) == 0);
    CHECK(!HasOverlappedIoCompleted(&s.ov));
    CHECK(!harness_signalled(s.ov.hEvent, 0));
    /* The first one took the first connection, and completes when that client sends. */
    harness_send_all(s.c, "x", 1);
    accept_done(s.l, &s.ov, 1);
    CHECK(s.out[0] == 'x');
    check_connection(s.c, s.a);
    check_connection(t.c, t.a);
    scene_close_shared(&t);
    scene_close(&s);
}

/* The AcceptEx of scene s ended cancelled: FALSE, ERROR_OPERATION_ABORTED, 0 bytes. */
static void check_accept_aborted(struct scene *s)
{
    DWORD n = 0xDEADBEEF;

    CHECK(harness_signalled(s->ov.hEvent, 2000));
    CHECK(!GetOverlappedResult((HANDLE)s->l, &s->ov, &n, FALSE));
    CHECK_ERR(ERROR_OPERATION_ABORTED);
    CHECK_EQ(n, 0);
}

TEST(z384_second_stage_cancelioex_on_listener)
{
    struct scene s, t;

    scene_open(&s);
    scene_second_stage(&s);
    SetLastError(0xDEADBEEF);
    CHECK(!CancelIoEx((HANDLE)s.a, &s.ov)); /* it belongs to the listener */
    CHECK_EQ(GetLastError(), ERROR_NOT_FOUND);
    CHECK(CancelIoEx((HANDLE)s.l, &s.ov));
    check_accept_aborted(&s);
    /* The listener goes on serving the next AcceptEx. */
    scene_share(&t, &s);
    scene_accept(&t, 0, AREA, AREA);
    scene_connect(&t);
    accept_done(t.l, &t.ov, 0);
    check_connection(t.c, t.a);
    scene_close_shared(&t);
    scene_close(&s);
}

/* Items 291 and 384: the AcceptEx pending on the listener (associated with a port, key 1;
 * the accept socket too, key 2), before or after it took its connection (second_stage),
 * ends aborted when its accept socket is closed. */
static void close_accept_socket_through_port(BOOL second_stage)
{
    struct scene s;
    ULONG_PTR key = 0;
    HANDLE port;
    DWORD err;

    scene_open(&s);
    port = CreateIoCompletionPort((HANDLE)s.l, NULL, 1, 0);
    CHECK(port != NULL);
    CHECK(CreateIoCompletionPort((HANDLE)s.a, port, 2, 0) == port);
    if (second_stage)
        scene_second_stage(&s);
    else
        scene_accept(&s, 0, AREA, AREA);
    closesocket(s.a);
    err = aborted_packet(port, &s.ov, &key);
    CHECK(err == ERROR_OPERATION_ABORTED || err == ERROR_CONNECTION_ABORTED);
    /* AcceptEx reports through the listener's port, with the listener's key. */
    CHECK_EQ(key, 1);
    s.a = INVALID_SOCKET;
    scene_close(&s);
    CloseHandle(port);
}

TEST(z384_second_stage_close_accept_socket_aborts_through_port)
{
    close_accept_socket_through_port(TRUE);
}

TEST(z384_second_stage_close_listener_aborts)
{
    struct scene s;

    scene_open(&s);
    scene_second_stage(&s);
    closesocket(s.l);
    check_accept_aborted(&s);
    s.l = INVALID_SOCKET;
    scene_close(&s);
}
