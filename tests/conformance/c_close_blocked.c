/*
 * c_close_blocked.c - a blocking call in one thread while another thread closes its socket
 * (spec/conformance.md item 35, api.md 4.4 rule 4 and the WSAEINTR row of 4.5).
 *
 * Linux wakes such a call with a shutdown, which reads as end of stream (recv returns 0),
 * a broken pipe (send), or a reset (connect); Windows fails the call with WSAEINTR: the
 * program must never take the wake-up for the peer's close.
 *
 * There is no portable way to see that the other thread is inside the call. Each case
 * starts it, waits until the thread is about to make it, gives it a short head start and
 * closes. A call that only started after the close fails with WSAENOTSOCK (the socket is
 * gone): that round says nothing, and it is repeated with a longer head start.
 */
#include "harness.h"

typedef int (*blocking_call)(SOCKET s);

struct blocked {
    SOCKET s;
    blocking_call call;
    HANDLE started; /* set just before the call */
    int result, error;
};

static DWORD WINAPI blocked_main(LPVOID p)
{
    struct blocked *b = p;

    SetEvent(b->started);
    b->result = b->call(b->s);
    b->error = WSAGetLastError();
    return 0;
}

/* Runs call(s) on a thread, then close_fn(s) (closesocket, or WSACleanup with cleanup);
 * returns once the call returned, with its result and error in *b. */
static void close_under_call(struct blocked *b, SOCKET s, blocking_call call, DWORD head_ms,
                             BOOL cleanup)
{
    HANDLE t;

    b->s = s;
    b->call = call;
    b->started = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(b->started != NULL);
    b->result = 0;
    b->error = 0;
    t = harness_thread(blocked_main, b);
    CHECK_EQ(WaitForSingleObject(b->started, 5000), WAIT_OBJECT_0);
    CloseHandle(b->started);
    Sleep(head_ms); /* into the call: nothing shows from outside that it blocks there */
    if (cleanup)
        CHECK_EQ(WSACleanup(), 0);
    else
        CHECK_EQ(closesocket(s), 0);
    harness_join(t);
}

/* make() gives a socket on which call() blocks and the peer (or INVALID_SOCKET) to close
 * afterwards. Repeats until the close came while call() was under way; *b is its outcome. */
static void interrupt_call(void (*make)(SOCKET *s, SOCKET *peer), blocking_call call, BOOL cleanup,
                           struct blocked *b)
{
    DWORD head_ms = 20;
    int round;

    for (round = 0; round < 6; round++, head_ms *= 2) {
        SOCKET s, peer;

        harness_startup();
        make(&s, &peer);
        close_under_call(b, s, call, head_ms, cleanup);
        if (peer != INVALID_SOCKET && !cleanup) /* WSACleanup closed it */
            closesocket(peer);
        if (!(b->result == SOCKET_ERROR &&
              (b->error == WSAENOTSOCK || b->error == WSANOTINITIALISED)))
            break; /* the call was under way when the socket closed */
    }
    CHECK(round < 6);
}

/* The interrupted call fails with WSAEINTR. */
static void check_interrupted(void (*make)(SOCKET *s, SOCKET *peer), blocking_call call,
                              BOOL cleanup)
{
    struct blocked b;

    interrupt_call(make, call, cleanup, &b);
    CHECK_EQ(b.result, SOCKET_ERROR);
    CHECK_EQ(b.error, WSAEINTR);
}

static void make_tcp(SOCKET *s, SOCKET *peer)
{
    harness_tcp_pair(s, peer);
}

static void make_udp(SOCKET *s, SOCKET *peer)
{
    *s = harness_udp_socket(TRUE);
    *peer = INVALID_SOCKET;
}

/* A blocking TCP socket whose send path is full: the peer never reads. */
static void make_tcp_full(SOCKET *s, SOCKET *peer)
{
    harness_tcp_pair(s, peer);
    harness_fill_send_buffer(*s);
    harness_set_nonblocking(*s, FALSE);
}

static char scratch[65536];

static int call_recv(SOCKET s)
{
    return recv(s, scratch, 16, 0);
}

static int call_recvfrom(SOCKET s)
{
    struct sockaddr_in from;
    int len = sizeof(from);

    return recvfrom(s, scratch, 16, 0, (struct sockaddr *)&from, &len);
}

static int call_wsarecv(SOCKET s)
{
    WSABUF wb = {16, scratch};
    DWORD n = 0, flags = 0;

    return WSARecv(s, &wb, 1, &n, &flags, NULL, NULL);
}

static int call_wsarecvfrom(SOCKET s)
{
    WSABUF wb = {16, scratch};
    DWORD n = 0, flags = 0;
    struct sockaddr_in from;
    int len = sizeof(from);

    return WSARecvFrom(s, &wb, 1, &n, &flags, (struct sockaddr *)&from, &len, NULL, NULL);
}

static int call_send(SOCKET s)
{
    return send(s, scratch, sizeof(scratch), 0);
}

static int call_wsasend(SOCKET s)
{
    WSABUF wb = {sizeof(scratch), scratch};
    DWORD n = 0;

    return WSASend(s, &wb, 1, &n, 0, NULL, NULL);
}

static int call_accept(SOCKET s)
{
    return accept(s, NULL, NULL) == INVALID_SOCKET ? SOCKET_ERROR : 0;
}

static struct sockaddr_in full_listener_addr;

static int call_connect(SOCKET s)
{
    return connect(s, (struct sockaddr *)&full_listener_addr, sizeof(full_listener_addr));
}

static void make_listener(SOCKET *s, SOCKET *peer)
{
    harness_listener(s, NULL);
    *peer = INVALID_SOCKET;
}

/*
 * A TCP socket whose blocking connect will wait: the listener's accept queue is full, so
 * the kernel drops its SYN and retries later. The listener and the connections that
 * filled it stay open until the next call (the case's process ends soon after).
 */
static SOCKET fill_listener, fill_clients[8];

static void make_connecting(SOCKET *s, SOCKET *peer)
{
    struct sockaddr_in addr = harness_loopback4(0);
    int len = sizeof(addr), i;

    fill_listener = harness_tcp_socket();
    CHECK_EQ(bind(fill_listener, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CHECK_EQ(listen(fill_listener, 0), 0);
    CHECK_EQ(getsockname(fill_listener, (struct sockaddr *)&full_listener_addr, &len), 0);
    for (i = 0; i < 8; i++) { /* until a connection no longer completes */
        fd_set w;
        struct timeval tv = {0, 300000};

        fill_clients[i] = harness_tcp_socket();
        harness_set_nonblocking(fill_clients[i], TRUE);
        connect(fill_clients[i], (struct sockaddr *)&full_listener_addr,
                sizeof(full_listener_addr));
        FD_ZERO(&w);
        FD_SET(fill_clients[i], &w);
        if (select(0, NULL, &w, NULL, &tv) == 0)
            break;
    }
    CHECK(i < 8);
    *s = harness_tcp_socket();
    *peer = INVALID_SOCKET;
}

TEST(c35_close_interrupts_blocked_recv_eintr)
{
    check_interrupted(make_tcp, call_recv, FALSE);
}

TEST(c35_close_interrupts_blocked_wsarecv_eintr)
{
    check_interrupted(make_tcp, call_wsarecv, FALSE);
}

TEST(c35_close_interrupts_blocked_udp_recvfrom_eintr)
{
    check_interrupted(make_udp, call_recvfrom, FALSE);
}

TEST(c35_close_interrupts_blocked_udp_wsarecvfrom_eintr)
{
    check_interrupted(make_udp, call_wsarecvfrom, FALSE);
}

TEST(c35_close_interrupts_blocked_udp_recv_eintr)
{
    check_interrupted(make_udp, call_recv, FALSE);
}

TEST(c35_close_interrupts_blocked_send_eintr)
{
    check_interrupted(make_tcp_full, call_send, FALSE);
}

TEST(c35_close_interrupts_blocked_wsasend_eintr)
{
    check_interrupted(make_tcp_full, call_wsasend, FALSE);
}

TEST(c35_close_interrupts_blocked_accept_eintr)
{
    check_interrupted(make_listener, call_accept, FALSE);
}

TEST(c35_close_interrupts_blocked_connect_eintr)
{
    check_interrupted(make_connecting, call_connect, FALSE);
}

TEST(c35_cleanup_interrupts_blocked_recv_eintr)
{
    check_interrupted(make_tcp, call_recv, TRUE);
}

TEST(c35_cleanup_interrupts_blocked_udp_recvfrom_eintr)
{
    check_interrupted(make_udp, call_recvfrom, TRUE);
}

/*
 * select and WSAPoll are not calls on one socket: Windows ends the wait and reports the
 * closed socket, readable for select (Wine's test_select, "closing a socket while
 * selecting on it") and POLLNVAL for WSAPoll (Wine's test_poll). Linux's poll would sleep
 * on the closed file forever.
 */
static BOOL selected_readable;
static SHORT polled_revents;

static int call_select(SOCKET s)
{
    fd_set r;
    struct timeval tv = {10, 0};
    int rc;

    FD_ZERO(&r);
    FD_SET(s, &r);
    rc = select(0, &r, NULL, NULL, &tv);
    selected_readable = FD_ISSET(s, &r);
    return rc;
}

static int call_wsapoll(SOCKET s)
{
    WSAPOLLFD p;
    int rc;

    p.fd = s;
    p.events = POLLRDNORM;
    p.revents = 0;
    rc = WSAPoll(&p, 1, 10000);
    polled_revents = p.revents;
    return rc;
}

TEST(c35_close_ends_blocked_select_readable)
{
    struct blocked b;

    interrupt_call(make_tcp, call_select, FALSE, &b);
    CHECK_EQ(b.result, 1);
    CHECK(selected_readable);
}

TEST(c35_close_ends_blocked_wsapoll_pollnval)
{
    struct blocked b;
    SOCKET s, peer;

    harness_startup();
    make_tcp(&s, &peer);
    close_under_call(&b, s, call_wsapoll, 20, FALSE);
    closesocket(peer);
    CHECK_EQ(b.result, 1);
    CHECK_EQ(polled_revents, POLLNVAL);
}
