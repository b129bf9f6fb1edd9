/*
 * e_recvfrom.c - WSARecvFrom (spec/conformance.md section E, api.md 1.3, 4.5 and 4.6).
 *
 * Windows' WSARecvFrom is WSARecv plus the source address: on a datagram socket lpFrom
 * receives the sender's SOCKADDR_IN/SOCKADDR_IN6 and *lpFromlen its size (16 or 28), both
 * written only at completion (at once for an immediate completion, later for a pending one),
 * so a pending call leaves them untouched. A *lpFromlen too small for the family fails with
 * WSAEFAULT at the call and leaves the datagram queued. On a stream socket lpFrom/lpFromlen
 * are ignored and untouched; NULL lpFrom/lpFromlen just drops the address. Receives pending
 * on one socket take datagrams in the order they were issued.
 *
 * Items: 77-83 (77 both for a pending and for an immediate completion; 79 both for a
 * non-overlapped and an overlapped call). Nothing left out; 81 is skipped visibly when ::1
 * cannot be bound (no IPv6 on the host).
 */
#include "harness.h"

/* The bound address of s (IPv4). */
static struct sockaddr_in local4(SOCKET s)
{
    struct sockaddr_in a;
    int len = sizeof(a);

    CHECK_EQ(getsockname(s, (struct sockaddr *)&a, &len), 0);
    return a;
}

static void send_to4(SOCKET tx, const char *data, int len, const struct sockaddr_in *to)
{
    CHECK_EQ(sendto(tx, data, len, 0, (const struct sockaddr *)to, sizeof(*to)), len);
}

/* rx and tx: UDP sockets on 127.0.0.1, to = rx's address; when `queued` is not NULL, tx
 * has sent it to rx and it has arrived. */
static void udp_setup(SOCKET *rx, SOCKET *tx, struct sockaddr_in *to, const char *queued)
{
    harness_startup();
    *rx = harness_udp_socket(TRUE);
    *tx = harness_udp_socket(TRUE);
    *to = local4(*rx);
    if (queued) {
        send_to4(*tx, queued, (int)strlen(queued), to);
        harness_wait_readable(*rx);
    }
}

/* from must be the IPv4 address of `peer` (127.0.0.1 and its port), fromlen 16. */
static void check_from4(const struct sockaddr_in *from, INT fromlen, SOCKET peer)
{
    struct sockaddr_in p = local4(peer);

    CHECK_EQ(fromlen, (INT)sizeof(struct sockaddr_in));
    CHECK_EQ(from->sin_family, AF_INET);
    CHECK_EQ(from->sin_port, p.sin_port);
    CHECK_EQ(from->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
}

/* An overlapped WSARecvFrom that must pend; every pointer must outlive the operation. */
static void recvfrom_pending(SOCKET s, WSABUF *wb, DWORD *flags, struct sockaddr *from,
                             INT *fromlen, WSAOVERLAPPED *ov)
{
    DWORD n = 0xDEADBEEF;

    *flags = 0;
    WSASetLastError(0);
    CHECK_EQ(WSARecvFrom(s, wb, 1, &n, flags, from, fromlen, ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
    CHECK_EQ(n, 0xDEADBEEF);
}

TEST(e77_pending_recvfrom_fills_source_address)
{
    SOCKET rx, tx;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    struct sockaddr_in from, to;
    INT fromlen = sizeof(from);
    DWORD flags, n = 0;

    udp_setup(&rx, &tx, &to, NULL);
    memset(&from, 0xCC, sizeof(from));
    harness_ov_init(&ov, TRUE);
    recvfrom_pending(rx, &wb, &flags, (struct sockaddr *)&from, &fromlen, &ov);
    send_to4(tx, "hello", 5, &to);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(rx, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    check_from4(&from, fromlen, tx);
    WSACloseEvent(ov.hEvent);
    closesocket(rx);
    closesocket(tx);
}

TEST(e77_immediate_recvfrom_fills_source_address)
{
    SOCKET rx, tx;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    struct sockaddr_in from, to;
    INT fromlen = sizeof(from);
    DWORD flags = 0, n = 0;
    int rc;

    udp_setup(&rx, &tx, &to, "queued");
    memset(&from, 0xCC, sizeof(from));
    harness_ov_init(&ov, TRUE);
    rc = WSARecvFrom(rx, &wb, 1, &n, &flags, (struct sockaddr *)&from, &fromlen, &ov, NULL);
    if (rc == 0)
        CHECK_EQ(n, 6);
    else
        CHECK_ERR(WSA_IO_PENDING); /* api.md 1.3: tests accept (a) or (b) */
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(rx, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 6);
    CHECK(memcmp(buf, "queued", 6) == 0);
    check_from4(&from, fromlen, tx);
    WSACloseEvent(ov.hEvent);
    closesocket(rx);
    closesocket(tx);
}

TEST(e78_pending_recvfrom_leaves_address_until_completion)
{
    SOCKET rx, tx;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    struct sockaddr_in from, to;
    unsigned char cc[sizeof(from)];
    INT fromlen = 16;
    DWORD flags, n = 0;

    udp_setup(&rx, &tx, &to, NULL);
    memset(&from, 0xCC, sizeof(from));
    memset(cc, 0xCC, sizeof(cc));
    harness_ov_init(&ov, TRUE);
    recvfrom_pending(rx, &wb, &flags, (struct sockaddr *)&from, &fromlen, &ov);
    CHECK(memcmp(&from, cc, sizeof(from)) == 0);
    CHECK_EQ(fromlen, 16);
    Sleep(100); /* time for a wrong completion to show: an absence gives no signal */
    CHECK(!HasOverlappedIoCompleted(&ov));
    CHECK(memcmp(&from, cc, sizeof(from)) == 0);
    CHECK_EQ(fromlen, 16);
    send_to4(tx, "late", 4, &to);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(rx, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 4);
    check_from4(&from, fromlen, tx);
    WSACloseEvent(ov.hEvent);
    closesocket(rx);
    closesocket(tx);
}

TEST(e79_short_fromlen_efault_keeps_datagram)
{
    SOCKET rx, tx;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    struct sockaddr_in from, to;
    unsigned char cc[sizeof(from)];
    INT fromlen = 8;
    DWORD flags = 0, n = 0;

    udp_setup(&rx, &tx, &to, "keepme");
    harness_set_nonblocking(rx, TRUE); /* a missed check must not hang the case */
    memset(&from, 0xCC, sizeof(from));
    memset(cc, 0xCC, sizeof(cc));
    WSASetLastError(0);
    CHECK_EQ(WSARecvFrom(rx, &wb, 1, &n, &flags, (struct sockaddr *)&from, &fromlen, NULL, NULL),
             SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    CHECK(memcmp(&from, cc, sizeof(from)) == 0);
    fromlen = sizeof(from);
    flags = 0;
    CHECK_EQ(WSARecvFrom(rx, &wb, 1, &n, &flags, (struct sockaddr *)&from, &fromlen, NULL, NULL),
             0);
    CHECK_EQ(n, 6);
    CHECK(memcmp(buf, "keepme", 6) == 0);
    check_from4(&from, fromlen, tx);
    closesocket(rx);
    closesocket(tx);
}

/* lpFrom or lpFromlen a pointer no program can own, non-overlapped and overlapped:
 * WSAEFAULT (api.md 4.6), nothing written, no indication, the datagram still queued. */
TEST(e79_bad_from_pointers_efault_keeps_datagram)
{
    SOCKET rx, tx;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    struct sockaddr_in from, to;
    INT fromlen = sizeof(from);
    DWORD flags, n;

    if (harness_on_wine()) /* listed in wine-deviations.txt */
        SKIP("Wine deviation: an overlapped WSARecvFrom with a bad lpFrom pends under Wine 8 "
             "and writes through it at completion");
    udp_setup(&rx, &tx, &to, "keepme");
    harness_set_nonblocking(rx, TRUE); /* a missed check must not hang the case */
    harness_ov_init(&ov, TRUE);
    ov.Internal = 0x1234;
    for (int i = 0; i < 2 * HARNESS_BAD_PTRS; i++) {
        void *bad = harness_bad_ptr[i / 2];

        for (int with_ov = 0; with_ov < 2; with_ov++) {
            flags = 0;
            WSASetLastError(0);
            CHECK_EQ(WSARecvFrom(rx, &wb, 1, &n, &flags,
                                 i % 2 ? (struct sockaddr *)&from : (struct sockaddr *)bad,
                                 i % 2 ? (LPINT)bad : &fromlen, with_ov ? &ov : NULL, NULL),
                     SOCKET_ERROR);
            harness_check_efault_untouched(&ov, 0x1234);
            CHECK_EQ(fromlen, (INT)sizeof(from));
        }
    }
    CHECK_EQ(recv(rx, buf, sizeof(buf), 0), 6);
    CHECK(memcmp(buf, "keepme", 6) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(rx);
    closesocket(tx);
}

TEST(e79_overlapped_short_fromlen_efault_without_indication)
{
    SOCKET rx, tx;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    struct sockaddr_in from, to;
    unsigned char cc[sizeof(from)];
    INT fromlen = 8;
    DWORD flags = 0, n = 0xDEADBEEF;

    udp_setup(&rx, &tx, &to, "keepme");
    memset(&from, 0xCC, sizeof(from));
    memset(cc, 0xCC, sizeof(cc));
    harness_ov_init(&ov, TRUE);
    WSASetLastError(0);
    CHECK_EQ(WSARecvFrom(rx, &wb, 1, &n, &flags, (struct sockaddr *)&from, &fromlen, &ov, NULL),
             SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT); /* api.md 4.6 [Lib]: checked when the call is made */
    CHECK_EQ(n, 0xDEADBEEF);
    CHECK(!harness_signalled(ov.hEvent, 100));
    CHECK(memcmp(&from, cc, sizeof(from)) == 0);
    harness_set_nonblocking(rx, TRUE);
    CHECK_EQ(recv(rx, buf, sizeof(buf), 0), 6);
    CHECK(memcmp(buf, "keepme", 6) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(rx);
    closesocket(tx);
}

TEST(e80_tcp_ignores_from_address)
{
    SOCKET a, b;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    unsigned char from[64], cc[64];
    INT fromlen = 1234;
    DWORD flags = 0, n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "stream", 6);
    harness_wait_queued(a, 6);
    memset(from, 0xCC, sizeof(from));
    memset(cc, 0xCC, sizeof(cc));
    CHECK_EQ(WSARecvFrom(a, &wb, 1, &n, &flags, (struct sockaddr *)from, &fromlen, NULL, NULL), 0);
    CHECK_EQ(n, 6);
    CHECK(memcmp(buf, "stream", 6) == 0);
    CHECK(memcmp(from, cc, sizeof(from)) == 0);
    CHECK_EQ(fromlen, 1234);
    closesocket(a);
    closesocket(b);
}

/* A UDP/IPv6 socket bound to [::1]:0, or INVALID_SOCKET when the host has no IPv6. */
static SOCKET udp6_loopback(struct sockaddr_in6 *addr)
{
    SOCKET s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    int len = sizeof(*addr);

    if (s == INVALID_SOCKET)
        return s;
    memset(addr, 0, sizeof(*addr));
    addr->sin6_family = AF_INET6;
    addr->sin6_addr.s6_addr[15] = 1;
    if (bind(s, (struct sockaddr *)addr, sizeof(*addr)) != 0) {
        closesocket(s);
        return INVALID_SOCKET;
    }
    CHECK_EQ(getsockname(s, (struct sockaddr *)addr, &len), 0);
    return s;
}

TEST(e81_ipv6_source_address_family_and_length)
{
    SOCKET rx, tx;
    struct sockaddr_in6 rxa, txa, *f6;
    struct sockaddr_storage from;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    INT fromlen = sizeof(from);
    DWORD flags = 0, n = 0;

    harness_startup();
    rx = udp6_loopback(&rxa);
    if (rx == INVALID_SOCKET)
        SKIP("no IPv6: cannot bind a UDP socket to ::1 (error %d)", WSAGetLastError());
    tx = udp6_loopback(&txa);
    CHECK(tx != INVALID_SOCKET);
    CHECK_EQ(sendto(tx, "six", 3, 0, (struct sockaddr *)&rxa, sizeof(rxa)), 3);
    harness_wait_readable(rx);
    memset(&from, 0xCC, sizeof(from));
    CHECK_EQ(WSARecvFrom(rx, &wb, 1, &n, &flags, (struct sockaddr *)&from, &fromlen, NULL, NULL),
             0);
    CHECK_EQ(n, 3);
    CHECK(memcmp(buf, "six", 3) == 0);
    f6 = (struct sockaddr_in6 *)&from;
    CHECK_EQ(f6->sin6_family, AF_INET6);
    CHECK_EQ(fromlen, 28);
    CHECK_EQ(f6->sin6_port, txa.sin6_port);
    CHECK(memcmp(&f6->sin6_addr, &rxa.sin6_addr, sizeof(rxa.sin6_addr)) == 0);
    closesocket(rx);
    closesocket(tx);
}

TEST(e82_null_from_and_fromlen_receive_normally)
{
    SOCKET rx, tx;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    struct sockaddr_in to;
    DWORD flags = 0, n = 0;

    udp_setup(&rx, &tx, &to, "anon");
    harness_set_nonblocking(rx, TRUE);
    CHECK_EQ(WSARecvFrom(rx, &wb, 1, &n, &flags, NULL, NULL, NULL, NULL), 0);
    CHECK_EQ(n, 4);
    CHECK(memcmp(buf, "anon", 4) == 0);
    closesocket(rx);
    closesocket(tx);
}

TEST(e83_pending_recvfroms_get_datagrams_in_issue_order)
{
    SOCKET rx, tx;
    WSAOVERLAPPED ov[3];
    char buf[3][16];
    WSABUF wb[3];
    struct sockaddr_in from[3], to;
    INT fromlen[3];
    DWORD flags[3], n;
    static const char *const msg[3] = {"first", "second", "third"};
    int i;

    udp_setup(&rx, &tx, &to, NULL);
    for (i = 0; i < 3; i++) {
        wb[i].len = sizeof(buf[i]);
        wb[i].buf = buf[i];
        fromlen[i] = sizeof(from[i]);
        harness_ov_init(&ov[i], TRUE);
        recvfrom_pending(rx, &wb[i], &flags[i], (struct sockaddr *)&from[i], &fromlen[i], &ov[i]);
    }
    for (i = 0; i < 3; i++)
        send_to4(tx, msg[i], (int)strlen(msg[i]), &to);
    for (i = 0; i < 3; i++) {
        CHECK(harness_signalled(ov[i].hEvent, 1000));
        CHECK(WSAGetOverlappedResult(rx, &ov[i], &n, FALSE, &flags[i]));
        CHECK_EQ(n, strlen(msg[i]));
        CHECK(memcmp(buf[i], msg[i], n) == 0);
        check_from4(&from[i], fromlen[i], tx);
        WSACloseEvent(ov[i].hEvent);
    }
    closesocket(rx);
    closesocket(tx);
}
