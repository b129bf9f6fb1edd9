/*
 * g_sendto.c - WSASendTo (spec/conformance.md section G, api.md 1.3, 4.7 and 4.8).
 *
 * Windows' WSASendTo is WSASend with a destination: on a datagram socket lpTo names the
 * receiver of this one datagram (also on a connected socket, whose peer stays unchanged),
 * and the first send binds an unbound socket to the wildcard address and an ephemeral port.
 * A NULL lpTo on an unconnected socket gives WSAEDESTADDRREQ, a short iTolen WSAEFAULT, the
 * wildcard destination WSAEADDRNOTAVAIL, a broadcast without SO_BROADCAST WSAEACCES, an
 * IPv6 address on an IPv4 socket WSAEAFNOSUPPORT; nothing is sent in those cases. On a
 * stream socket lpTo is ignored. NULL lpNumberOfBytesSent without an OVERLAPPED is
 * WSAEFAULT, INVALID_SOCKET WSAENOTSOCK.
 *
 * Items: 98-107 (104 also checks that the connected peer is unchanged afterwards). Nothing
 * left out.
 */
#include "harness.h"

static char payload[] = "dgram";
static WSABUF payload_wb = {5, payload};

static struct sockaddr_in local4(SOCKET s)
{
    struct sockaddr_in a;
    int len = sizeof(a);

    CHECK_EQ(getsockname(s, (struct sockaddr *)&a, &len), 0);
    return a;
}

/* s and rx: UDP sockets on 127.0.0.1, to = rx's address. */
static void udp_setup(SOCKET *s, SOCKET *rx, struct sockaddr_in *to)
{
    harness_startup();
    *s = harness_udp_socket(TRUE);
    *rx = harness_udp_socket(TRUE);
    *to = local4(*rx);
}

/* One non-overlapped WSASendTo of "dgram" to (to, tolen) that must fail with err. */
static void sendto_fails(SOCKET s, const void *to, int tolen, int err)
{
    DWORD n = 0xDEADBEEF;

    WSASetLastError(0);
    CHECK_EQ(WSASendTo(s, &payload_wb, 1, &n, 0, (const struct sockaddr *)to, tolen, NULL, NULL),
             SOCKET_ERROR);
    CHECK_ERR(err);
    CHECK_EQ(n, 0xDEADBEEF);
}

static void sendto_ok(SOCKET s, const struct sockaddr_in *to)
{
    DWORD n = 0;

    CHECK_EQ(
        WSASendTo(s, &payload_wb, 1, &n, 0, (const struct sockaddr *)to, sizeof(*to), NULL, NULL),
        0);
    CHECK_EQ(n, 5);
}

/* The next datagram on s (waits up to 1 s) must be "dgram". */
static void expect_payload(SOCKET s)
{
    char buf[16];
    fd_set rd;
    struct timeval tv = {1, 0};

    FD_ZERO(&rd);
    FD_SET(s, &rd);
    CHECK_EQ(select(0, &rd, NULL, NULL, &tv), 1);
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), 5);
    CHECK(memcmp(buf, "dgram", 5) == 0);
}

TEST(g98_first_sendto_binds_wildcard_ephemeral)
{
    SOCKET s, rx;
    struct sockaddr_in to, me, from;
    int fromlen = sizeof(from);
    char buf[16];

    harness_startup();
    s = harness_udp_socket(FALSE);
    rx = harness_udp_socket(TRUE);
    to = local4(rx);
    sendto_ok(s, &to);
    me = local4(s);
    CHECK_EQ(me.sin_family, AF_INET);
    CHECK_EQ(me.sin_addr.s_addr, htonl(INADDR_ANY));
    CHECK_NE(me.sin_port, 0);
    CHECK_EQ(recvfrom(rx, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen), 5);
    CHECK_EQ(from.sin_port, me.sin_port);
    closesocket(s);
    closesocket(rx);
}

TEST(g99_null_to_unconnected_edestaddrreq)
{
    SOCKET s;

    harness_startup();
    s = harness_udp_socket(TRUE);
    sendto_fails(s, NULL, 0, WSAEDESTADDRREQ);
    closesocket(s);
}

TEST(g100_short_tolen_efault)
{
    SOCKET s, rx;
    struct sockaddr_in to;

    udp_setup(&s, &rx, &to);
    sendto_fails(s, &to, 8, WSAEFAULT);
    harness_expect_no_data(rx);
    closesocket(s);
    closesocket(rx);
}

/* lpTo a pointer no program can own: WSAEFAULT (api.md 4.8), nothing sent. */
TEST(g100_bad_to_pointer_efault)
{
    SOCKET s, rx;
    struct sockaddr_in to;

    if (harness_on_wine()) /* listed in wine-deviations.txt */
        SKIP("Wine deviation: WSASendTo with a bad lpTo never returns under Wine 8");
    udp_setup(&s, &rx, &to);
    for (int i = 0; i < HARNESS_BAD_PTRS; i++)
        sendto_fails(s, harness_bad_ptr[i], sizeof(to), WSAEFAULT);
    harness_expect_no_data(rx);
    closesocket(s);
    closesocket(rx);
}

TEST(g101_wildcard_destination_eaddrnotavail)
{
    SOCKET s, rx;
    struct sockaddr_in to;

    udp_setup(&s, &rx, &to);
    to.sin_addr.s_addr = htonl(INADDR_ANY);
    sendto_fails(s, &to, sizeof(to), WSAEADDRNOTAVAIL);
    harness_expect_no_data(rx);
    closesocket(s);
    closesocket(rx);
}

TEST(g102_broadcast_without_so_broadcast_eacces)
{
    SOCKET s;
    struct sockaddr_in to = harness_loopback4(9);

    harness_startup();
    s = harness_udp_socket(TRUE); /* bound to 127.0.0.1: no route lookup beyond lo */
    to.sin_addr.s_addr = htonl(INADDR_BROADCAST);
    sendto_fails(s, &to, sizeof(to), WSAEACCES);
    closesocket(s);
}

TEST(g103_ipv6_address_on_ipv4_socket_eafnosupport)
{
    SOCKET s, rx;
    struct sockaddr_in rxa;
    struct sockaddr_in6 to;

    udp_setup(&s, &rx, &rxa);
    memset(&to, 0, sizeof(to));
    to.sin6_family = AF_INET6;
    to.sin6_port = rxa.sin_port;
    to.sin6_addr.s6_addr[15] = 1;
    CHECK_EQ(sizeof(to), 28);
    sendto_fails(s, &to, sizeof(to), WSAEAFNOSUPPORT);
    harness_expect_no_data(rx);
    closesocket(s);
    closesocket(rx);
}

/* s is connected to pa; a WSASendTo from s to pb has arrived at pb. */
static void sendto_past_peer(SOCKET *s, SOCKET *pa, SOCKET *pb)
{
    struct sockaddr_in aa, ba;

    harness_startup();
    *s = harness_udp_socket(TRUE);
    *pa = harness_udp_socket(TRUE);
    *pb = harness_udp_socket(TRUE);
    aa = local4(*pa);
    ba = local4(*pb);
    CHECK_EQ(connect(*s, (struct sockaddr *)&aa, sizeof(aa)), 0);
    sendto_ok(*s, &ba);
    expect_payload(*pb);
}

TEST(g104_connected_udp_sendto_other_peer)
{
    SOCKET s, pa, pb;

    sendto_past_peer(&s, &pa, &pb);
    harness_expect_no_data(pa);
    closesocket(s);
    closesocket(pa);
    closesocket(pb);
}

TEST(g104_connected_peer_unchanged_after_sendto)
{
    SOCKET s, pa, pb;
    DWORD n = 0;

    sendto_past_peer(&s, &pa, &pb);
    CHECK_EQ(WSASend(s, &payload_wb, 1, &n, 0, NULL, NULL), 0);
    CHECK_EQ(n, 5);
    expect_payload(pa);
    harness_expect_no_data(pb);
    closesocket(s);
    closesocket(pa);
    closesocket(pb);
}

TEST(g105_tcp_ignores_to_address)
{
    SOCKET a, b;
    struct sockaddr_in elsewhere = harness_loopback4(9);
    char got[8];

    harness_startup();
    harness_tcp_pair(&a, &b);
    sendto_ok(a, &elsewhere);
    harness_recv_all(b, got, 5);
    CHECK(memcmp(got, "dgram", 5) == 0);
    closesocket(a);
    closesocket(b);
}

TEST(g106_null_bytes_and_overlapped_efault)
{
    SOCKET s, rx;
    struct sockaddr_in to;

    udp_setup(&s, &rx, &to);
    WSASetLastError(0);
    CHECK_EQ(WSASendTo(s, &payload_wb, 1, NULL, 0, (struct sockaddr *)&to, sizeof(to), NULL, NULL),
             SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    closesocket(s);
    closesocket(rx);
}

TEST(g107_invalid_socket_enotsock)
{
    struct sockaddr_in to = harness_loopback4(9);

    harness_startup();
    sendto_fails(INVALID_SOCKET, &to, sizeof(to), WSAENOTSOCK);
}
