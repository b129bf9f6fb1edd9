/*
 * y_bind_reuse.c - binding an address in use, as a restarted server meets it (issue 12;
 * conformance.md has no items for it yet).
 *
 * What Windows does (Microsoft, "Using SO_REUSEADDR and SO_EXCLUSIVEADDRUSE", Windows
 * Server 2003 and later): connections in TIME_WAIT do not hold a port, so a server that
 * closed its connections first and then its listener binds the same port again at once,
 * without options. A second socket cannot bind an address another socket holds
 * (WSAEADDRINUSE), TCP or UDP, listening or merely bound. SO_REUSEADDR shares an address
 * between sockets that all set it (even two listeners); asking to share with a socket
 * that did not set it is refused with WSAEACCES. SO_EXCLUSIVEADDRUSE refuses all sharing:
 * a socket with SO_REUSEADDR gets WSAEACCES, one without WSAEADDRINUSE.
 */
#include "harness.h"

/* Sockets made with socket(); each call counts one WSAStartup more (the process ends). */
static SOCKET tcp(void)
{
    harness_startup();
    return harness_tcp_socket();
}

static SOCKET udp(void)
{
    harness_startup();
    return harness_udp_socket(FALSE);
}

static void set_bool(SOCKET s, int optname, BOOL on)
{
    CHECK_EQ(setsockopt(s, SOL_SOCKET, optname, (const char *)&on, sizeof(on)), 0);
}

/* Binds s to 127.0.0.1:port (0: any) and returns the port bound. */
static unsigned short bind_loopback(SOCKET s, unsigned short port)
{
    struct sockaddr_in a = harness_loopback4(port);
    int len = sizeof(a);

    CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    CHECK_EQ(getsockname(s, (struct sockaddr *)&a, &len), 0);
    return ntohs(a.sin_port);
}

/* bind of s to 127.0.0.1:port must fail with err. */
static void bind_fails(SOCKET s, unsigned short port, int err)
{
    struct sockaddr_in a = harness_loopback4(port);

    WSASetLastError(0);
    CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof(a)), SOCKET_ERROR);
    CHECK_ERR(err);
}

/* A listener on 127.0.0.1:ephemeral that served one connection and closed it first (the
 * TIME_WAIT is on the server's port), then was closed. Returns the port. `reuse`: the
 * listener set SO_REUSEADDR, as ported servers often do. */
static unsigned short port_left_in_time_wait(BOOL reuse)
{
    SOCKET l = tcp(), c = tcp(), a;
    struct sockaddr_in addr;
    unsigned short port;
    char b;

    if (reuse)
        set_bool(l, SO_REUSEADDR, TRUE);
    port = bind_loopback(l, 0);
    CHECK_EQ(listen(l, 1), 0);
    addr = harness_loopback4(port);
    CHECK_EQ(connect(c, (struct sockaddr *)&addr, sizeof(addr)), 0);
    a = accept(l, NULL, NULL);
    CHECK(a != INVALID_SOCKET);
    CHECK_EQ(closesocket(a), 0); /* the server closes first: TIME_WAIT on its side */
    CHECK_EQ(recv(c, &b, 1, 0), 0);
    CHECK_EQ(closesocket(c), 0);
    CHECK_EQ(closesocket(l), 0);
    return port;
}

TEST(rebind_port_left_in_time_wait_without_options)
{
    unsigned short port = port_left_in_time_wait(FALSE);
    SOCKET n = tcp();

    CHECK_EQ(bind_loopback(n, port), port);
    CHECK_EQ(listen(n, 1), 0);
    closesocket(n);
}

TEST(rebind_port_left_in_time_wait_with_reuseaddr)
{
    unsigned short port = port_left_in_time_wait(TRUE);
    SOCKET n = tcp();

    set_bool(n, SO_REUSEADDR, TRUE);
    CHECK_EQ(bind_loopback(n, port), port);
    CHECK_EQ(listen(n, 1), 0);
    closesocket(n);
}

TEST(rebound_port_still_refuses_a_second_listener)
{
    unsigned short port = port_left_in_time_wait(FALSE);
    SOCKET n = tcp(), m = tcp();

    CHECK_EQ(bind_loopback(n, port), port);
    bind_fails(m, port, WSAEADDRINUSE); /* n holds it now, even before listening */
    CHECK_EQ(listen(n, 1), 0);
    bind_fails(m, port, WSAEADDRINUSE);
    closesocket(m);
    closesocket(n);
}

/*
 * Binds s1 (listening when it is TCP and `listen_first`), then s2 to the same address:
 * refused with WSAEADDRINUSE, or shared when both set SO_REUSEADDR (`reuse`). Closes both.
 */
static void second_bind(SOCKET s1, SOCKET s2, BOOL listen_first, BOOL reuse)
{
    unsigned short port;

    if (reuse) {
        set_bool(s1, SO_REUSEADDR, TRUE);
        set_bool(s2, SO_REUSEADDR, TRUE);
    }
    port = bind_loopback(s1, 0);
    if (listen_first)
        CHECK_EQ(listen(s1, 1), 0);
    if (reuse)
        CHECK_EQ(bind_loopback(s2, port), port);
    else
        bind_fails(s2, port, WSAEADDRINUSE);
    if (reuse && listen_first)
        CHECK_EQ(listen(s2, 1), 0);
    closesocket(s2);
    closesocket(s1);
}

TEST(two_listeners_same_port_eaddrinuse)
{
    second_bind(tcp(), tcp(), TRUE, FALSE);
}

TEST(two_bound_tcp_sockets_same_port_eaddrinuse)
{
    second_bind(tcp(), tcp(), FALSE, FALSE);
}

TEST(two_udp_binds_same_port_eaddrinuse)
{
    second_bind(udp(), udp(), FALSE, FALSE);
}

TEST(reuseaddr_on_both_tcp_listeners_share)
{
    second_bind(tcp(), tcp(), TRUE, TRUE);
}

TEST(reuseaddr_on_both_udp_sockets_share)
{
    second_bind(udp(), udp(), FALSE, TRUE);
}

TEST(reuseaddr_against_socket_without_it_wsaeacces)
{
    SOCKET l = tcp(), s = tcp(), u1 = udp(), u2 = udp();
    unsigned short port;

    port = bind_loopback(l, 0);
    CHECK_EQ(listen(l, 1), 0);
    set_bool(s, SO_REUSEADDR, TRUE);
    bind_fails(s, port, WSAEACCES);
    port = bind_loopback(u1, 0);
    set_bool(u2, SO_REUSEADDR, TRUE);
    bind_fails(u2, port, WSAEACCES);
    closesocket(u2);
    closesocket(u1);
    closesocket(s);
    closesocket(l);
}

TEST(exclusiveaddruse_refuses_sharing)
{
    SOCKET e = tcp(), plain = tcp(), reuse = tcp();
    unsigned short port;

    set_bool(e, SO_EXCLUSIVEADDRUSE, TRUE);
    port = bind_loopback(e, 0);
    CHECK_EQ(listen(e, 1), 0);
    bind_fails(plain, port, WSAEADDRINUSE);
    set_bool(reuse, SO_REUSEADDR, TRUE);
    bind_fails(reuse, port, WSAEACCES);
    closesocket(reuse);
    closesocket(plain);
    closesocket(e);
}

TEST(exclusiveaddruse_and_reuseaddr_exclude_each_other)
{
    SOCKET a = tcp(), b = tcp();
    BOOL on = TRUE;

    set_bool(a, SO_EXCLUSIVEADDRUSE, TRUE);
    WSASetLastError(0);
    CHECK_EQ(setsockopt(a, SOL_SOCKET, SO_REUSEADDR, (const char *)&on, sizeof(on)), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    set_bool(b, SO_REUSEADDR, TRUE);
    WSASetLastError(0);
    CHECK_EQ(setsockopt(b, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on, sizeof(on)),
             SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    closesocket(b);
    closesocket(a);
}

TEST(getsockopt_reports_what_the_program_set)
{
    SOCKET l = tcp(), e = tcp();
    BOOL v = 7;
    int len = sizeof(v);

    bind_loopback(l, 0);
    CHECK_EQ(listen(l, 1), 0); /* whatever wsaio sets on a listener is not the program's */
    CHECK_EQ(getsockopt(l, SOL_SOCKET, SO_REUSEADDR, (char *)&v, &len), 0);
    CHECK_EQ(v, FALSE);
    set_bool(l, SO_REUSEADDR, TRUE);
    len = sizeof(v);
    CHECK_EQ(getsockopt(l, SOL_SOCKET, SO_REUSEADDR, (char *)&v, &len), 0);
    CHECK(v != FALSE);
    set_bool(e, SO_EXCLUSIVEADDRUSE, TRUE);
    v = 0;
    len = sizeof(v);
    CHECK_EQ(getsockopt(e, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (char *)&v, &len), 0);
    CHECK(v != FALSE);
    closesocket(e);
    closesocket(l);
}
