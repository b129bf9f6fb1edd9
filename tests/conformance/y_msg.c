/*
 * y_msg.c - WSARecvMsg and WSASendMsg (spec/conformance.md section Y, api.md 4.29).
 *
 * WSARecvMsg comes only from WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) with
 * WSAID_WSARECVMSG; WSASendMsg is exported by name and is also in the table. A WSAMSG
 * carries the buffers, the peer's address and the control data: on receive the records the
 * socket asked for (IP_PKTINFO, IPV6_PKTINFO), with Control.len set to the bytes written and
 * dwFlags to MSG_TRUNC / MSG_CTRUNC, both written when the operation completes; a cut
 * datagram or cut control data fails with WSAEMSGSIZE. Records are walked with the
 * WSA_CMSG_* macros and named with Windows' names, so the file builds unchanged with mingw.
 *
 * Items: 370-385. Nothing left out; 385 skips visibly when ::1 cannot be bound.
 */
#include "harness.h"

#include <mswsock.h>

static LPFN_WSARECVMSG recv_msg_fn(void)
{
    GUID id = WSAID_WSARECVMSG;
    LPFN_WSARECVMSG fn = NULL;

    harness_extension(&id, &fn, sizeof(fn));
    return fn;
}

static LPFN_WSASENDMSG send_msg_fn(void)
{
    GUID id = WSAID_WSASENDMSG;
    LPFN_WSASENDMSG fn = NULL;

    harness_extension(&id, &fn, sizeof(fn));
    return fn;
}

/* The bound address of s (IPv4). */
static struct sockaddr_in bound4(SOCKET s)
{
    struct sockaddr_in a;
    int len = sizeof(a);

    CHECK_EQ(getsockname(s, (struct sockaddr *)&a, &len), 0);
    return a;
}

/* rx and tx: bound UDP sockets on 127.0.0.1; *to is rx's address. With pktinfo, rx asks for
 * IP_PKTINFO records. */
static void udp_setup(SOCKET *rx, SOCKET *tx, struct sockaddr_in *to, BOOL pktinfo)
{
    DWORD on = 1;

    harness_startup();
    *rx = harness_udp_socket(TRUE);
    *tx = harness_udp_socket(TRUE);
    *to = bound4(*rx);
    if (pktinfo)
        CHECK_EQ(setsockopt(*rx, IPPROTO_IP, IP_PKTINFO, (const char *)&on, sizeof(on)), 0);
}

static void send4(SOCKET tx, const char *data, const struct sockaddr_in *to)
{
    int len = (int)strlen(data);

    CHECK_EQ(sendto(tx, data, len, 0, (const struct sockaddr *)to, sizeof(*to)), len);
}

/* A message over buf with room for the source in *from and control data in ctl. */
static void msg_init(WSAMSG *m, WSABUF *wb, char *buf, ULONG len, struct sockaddr_in *from,
                     char *ctl, ULONG ctl_len)
{
    wb->buf = buf;
    wb->len = len;
    memset(m, 0, sizeof(*m));
    m->name = (struct sockaddr *)from;
    m->namelen = sizeof(*from);
    m->lpBuffers = wb;
    m->dwBufferCount = 1;
    m->Control.buf = ctl;
    m->Control.len = ctl_len;
}

/* The IP_PKTINFO record of m: its destination address must be 127.0.0.1. */
static void check_pktinfo4(WSAMSG *m)
{
    WSACMSGHDR *c;
    int found = 0;

    for (c = WSA_CMSG_FIRSTHDR(m); c; c = WSA_CMSG_NXTHDR(m, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            IN_PKTINFO pi;

            memcpy(&pi, WSA_CMSG_DATA(c), sizeof(pi));
            CHECK_EQ(c->cmsg_len, (SIZE_T)WSA_CMSG_LEN(sizeof(IN_PKTINFO)));
            CHECK_EQ(pi.ipi_addr.s_addr, htonl(INADDR_LOOPBACK));
            CHECK(pi.ipi_ifindex != 0);
            found++;
        }
    }
    CHECK_EQ(found, 1);
}

TEST(y370_extension_pointers)
{
    harness_startup();
    CHECK(recv_msg_fn() != NULL);
    CHECK(send_msg_fn() != NULL);
}

TEST(y371_null_msg_efault)
{
    SOCKET s;
    DWORD n = 0;

    harness_startup();
    s = harness_udp_socket(TRUE);
    WSASetLastError(0);
    CHECK_EQ(recv_msg_fn()(s, NULL, &n, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    WSASetLastError(0);
    CHECK_EQ(WSASendMsg(s, NULL, 0, &n, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    closesocket(s);
}

TEST(y372_not_a_socket_enotsock)
{
    WSAMSG m;
    WSABUF wb;
    char buf[8];
    struct sockaddr_in from;
    DWORD n = 0;
    LPFN_WSARECVMSG recv_msg;
    SOCKET s;

    harness_startup();
    recv_msg = recv_msg_fn();
    s = harness_udp_socket(FALSE);
    closesocket(s); /* a value that is no socket any more */
    msg_init(&m, &wb, buf, sizeof(buf), &from, NULL, 0);
    WSASetLastError(0);
    CHECK_EQ(recv_msg(s, &m, &n, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAENOTSOCK);
    WSASetLastError(0);
    CHECK_EQ(WSASendMsg(s, &m, 0, &n, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAENOTSOCK);
}

TEST(y373_recvmsg_data_source_no_control)
{
    SOCKET rx, tx;
    struct sockaddr_in to, from, txa;
    char buf[16], ctl[64];
    WSABUF wb;
    WSAMSG m;
    DWORD n = 0;

    udp_setup(&rx, &tx, &to, FALSE);
    txa = bound4(tx);
    send4(tx, "hello", &to);
    harness_wait_readable(rx);
    msg_init(&m, &wb, buf, sizeof(buf), &from, ctl, sizeof(ctl));
    CHECK_EQ(recv_msg_fn()(rx, &m, &n, NULL, NULL), 0);
    CHECK_EQ(n, 5u);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ(m.namelen, (INT)sizeof(struct sockaddr_in));
    CHECK_EQ(from.sin_family, AF_INET);
    CHECK_EQ(from.sin_port, txa.sin_port);
    CHECK_EQ(m.Control.len, 0u); /* nothing asked for */
    CHECK_EQ(m.dwFlags, 0u);
    closesocket(rx);
    closesocket(tx);
}

TEST(y374_recvmsg_ip_pktinfo)
{
    SOCKET rx, tx;
    struct sockaddr_in to, from;
    char buf[16];
    char ctl[256];
    WSABUF wb;
    WSAMSG m;
    DWORD n = 0;

    udp_setup(&rx, &tx, &to, TRUE);
    send4(tx, "pkt", &to);
    harness_wait_readable(rx);
    msg_init(&m, &wb, buf, sizeof(buf), &from, ctl, sizeof(ctl));
    CHECK_EQ(recv_msg_fn()(rx, &m, &n, NULL, NULL), 0);
    CHECK_EQ(n, 3u);
    CHECK_EQ(m.Control.len, (ULONG)WSA_CMSG_SPACE(sizeof(IN_PKTINFO)));
    CHECK_EQ(m.dwFlags, 0u);
    check_pktinfo4(&m);
    closesocket(rx);
    closesocket(tx);
}

TEST(y375_short_control_emsgsize_ctrunc)
{
    SOCKET rx, tx;
    struct sockaddr_in to, from;
    char buf[16], ctl[1];
    WSABUF wb;
    WSAMSG m;
    DWORD n = 0;

    udp_setup(&rx, &tx, &to, TRUE);
    send4(tx, "pkt", &to);
    harness_wait_readable(rx);
    msg_init(&m, &wb, buf, sizeof(buf), &from, ctl, sizeof(ctl));
    WSASetLastError(0);
    CHECK_EQ(recv_msg_fn()(rx, &m, &n, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEMSGSIZE);
    CHECK(m.dwFlags & MSG_CTRUNC);
    CHECK(memcmp(buf, "pkt", 3) == 0); /* the data came */
    closesocket(rx);
    closesocket(tx);
}

TEST(y376_truncated_datagram_emsgsize_trunc)
{
    SOCKET rx, tx;
    struct sockaddr_in to, from;
    char buf[4];
    WSABUF wb;
    WSAMSG m;
    DWORD n = 0;

    udp_setup(&rx, &tx, &to, FALSE);
    send4(tx, "too long", &to);
    harness_wait_readable(rx);
    msg_init(&m, &wb, buf, sizeof(buf), &from, NULL, 0);
    WSASetLastError(0);
    CHECK_EQ(recv_msg_fn()(rx, &m, &n, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEMSGSIZE);
    CHECK(m.dwFlags & MSG_TRUNC);
    CHECK(memcmp(buf, "too ", 4) == 0);
    closesocket(rx);
    closesocket(tx);
}

TEST(y377_overlapped_event_outputs_at_completion)
{
    SOCKET rx, tx;
    struct sockaddr_in to, from, txa;
    char buf[16], ctl[256];
    WSABUF wb;
    WSAMSG m;
    WSAOVERLAPPED ov;
    DWORD n = 0xDEADBEEF, got = 0, flags = 0xFF;

    udp_setup(&rx, &tx, &to, TRUE);
    txa = bound4(tx);
    harness_ov_init(&ov, TRUE);
    msg_init(&m, &wb, buf, sizeof(buf), &from, ctl, sizeof(ctl));
    WSASetLastError(0);
    CHECK_EQ(recv_msg_fn()(rx, &m, NULL, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
    CHECK_EQ(m.Control.len, (ULONG)sizeof(ctl)); /* untouched while pending */
    send4(tx, "later", &to);
    CHECK(harness_signalled(ov.hEvent, 5000));
    CHECK(WSAGetOverlappedResult(rx, &ov, &got, FALSE, &flags));
    CHECK_EQ(got, 5u);
    CHECK_EQ(flags, 0u);
    CHECK_EQ(n, 0xDEADBEEF);
    CHECK(memcmp(buf, "later", 5) == 0);
    CHECK_EQ(from.sin_port, txa.sin_port);
    CHECK_EQ(m.Control.len, (ULONG)WSA_CMSG_SPACE(sizeof(IN_PKTINFO)));
    CHECK_EQ(m.dwFlags, 0u);
    check_pktinfo4(&m);
    WSACloseEvent(ov.hEvent);
    closesocket(rx);
    closesocket(tx);
}

TEST(y378_overlapped_short_control_ctrunc)
{
    SOCKET rx, tx;
    struct sockaddr_in to, from;
    char buf[16], ctl[1];
    WSABUF wb;
    WSAMSG m;
    WSAOVERLAPPED ov;
    DWORD got = 0, flags = 0xFF;

    udp_setup(&rx, &tx, &to, TRUE);
    harness_ov_init(&ov, TRUE);
    msg_init(&m, &wb, buf, sizeof(buf), &from, ctl, sizeof(ctl));
    WSASetLastError(0);
    CHECK_EQ(recv_msg_fn()(rx, &m, NULL, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
    send4(tx, "pkt", &to);
    CHECK(harness_signalled(ov.hEvent, 5000));
    WSAGetOverlappedResult(rx, &ov, &got, FALSE, &flags);
    CHECK_EQ(flags, 0u);
    CHECK_EQ(m.dwFlags, (ULONG)MSG_CTRUNC);
    WSACloseEvent(ov.hEvent);
    closesocket(rx);
    closesocket(tx);
}

static DWORD routine_bytes, routine_err, routine_calls;

static void CALLBACK on_done(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    routine_err = err;
    routine_bytes = bytes;
    routine_calls++;
}

TEST(y379_completion_routine)
{
    SOCKET rx, tx;
    struct sockaddr_in to, from;
    char buf[16], ctl[256];
    WSABUF wb;
    WSAMSG m;
    WSAOVERLAPPED ov;

    udp_setup(&rx, &tx, &to, TRUE);
    harness_ov_init(&ov, FALSE);
    msg_init(&m, &wb, buf, sizeof(buf), &from, ctl, sizeof(ctl));
    routine_calls = 0;
    WSASetLastError(0);
    CHECK_EQ(recv_msg_fn()(rx, &m, NULL, &ov, on_done), SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
    send4(tx, "apc", &to);
    CHECK_EQ(SleepEx(5000, TRUE), (DWORD)WAIT_IO_COMPLETION);
    CHECK_EQ(routine_calls, 1u);
    CHECK_EQ(routine_err, 0u);
    CHECK_EQ(routine_bytes, 3u);
    check_pktinfo4(&m);
    closesocket(rx);
    closesocket(tx);
}

TEST(y380_completion_port)
{
    SOCKET rx, tx;
    struct sockaddr_in to, from;
    char buf[16], ctl[256];
    WSABUF wb;
    WSAMSG m;
    WSAOVERLAPPED ov;
    HANDLE port;
    DWORD n = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;

    udp_setup(&rx, &tx, &to, TRUE);
    port = CreateIoCompletionPort((HANDLE)rx, NULL, 42, 0);
    CHECK(port != NULL);
    harness_ov_init(&ov, FALSE);
    msg_init(&m, &wb, buf, sizeof(buf), &from, ctl, sizeof(ctl));
    WSASetLastError(0);
    CHECK_EQ(recv_msg_fn()(rx, &m, NULL, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
    send4(tx, "port", &to);
    CHECK(GetQueuedCompletionStatus(port, &n, &key, &got, 5000));
    CHECK(got == &ov);
    CHECK_EQ(key, (ULONG_PTR)42);
    CHECK_EQ(n, 4u);
    check_pktinfo4(&m);
    closesocket(rx);
    closesocket(tx);
    CloseHandle(port);
}

TEST(y381_recvmsg_stream_eopnotsupp)
{
    SOCKET a, b;
    WSAMSG m;
    WSABUF wb;
    char buf[8];
    struct sockaddr_in from;
    DWORD n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    /* Data is there: a receive that ignored the socket type would return at once. */
    CHECK_EQ(send(b, "x", 1, 0), 1);
    harness_wait_queued(a, 1);
    msg_init(&m, &wb, buf, sizeof(buf), &from, NULL, 0);
    WSASetLastError(0);
    CHECK_EQ(recv_msg_fn()(a, &m, &n, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEOPNOTSUPP);
    closesocket(a);
    closesocket(b);
}

TEST(y382_sendmsg_to_address)
{
    SOCKET rx, tx;
    struct sockaddr_in to, from;
    char data[] = "sent";
    char buf[16];
    WSABUF wb = {4, data};
    WSAMSG m;
    int fromlen = sizeof(from);
    DWORD n = 0;

    udp_setup(&rx, &tx, &to, FALSE);
    memset(&m, 0, sizeof(m));
    m.name = (struct sockaddr *)&to;
    m.namelen = sizeof(to);
    m.lpBuffers = &wb;
    m.dwBufferCount = 1;
    CHECK_EQ(send_msg_fn()(tx, &m, 0, &n, NULL, NULL), 0);
    CHECK_EQ(n, 4u);
    CHECK_EQ(recvfrom(rx, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen), 4);
    CHECK(memcmp(buf, "sent", 4) == 0);
    CHECK_EQ(from.sin_port, bound4(tx).sin_port);
    closesocket(rx);
    closesocket(tx);
}

/* A control buffer with one IP_PKTINFO record choosing the source 127.0.0.2 (a loopback
 * address that is not the one a send to 127.0.0.1 would choose by itself). */
#define SOURCE_ADDR 0x7F000002
static ULONG pktinfo_record(char *ctl, ULONG cap)
{
    WSAMSG m;
    WSACMSGHDR *c;
    IN_PKTINFO pi;

    memset(ctl, 0, cap);
    memset(&m, 0, sizeof(m));
    m.Control.buf = ctl;
    m.Control.len = (ULONG)WSA_CMSG_SPACE(sizeof(IN_PKTINFO));
    CHECK(m.Control.len <= cap);
    c = WSA_CMSG_FIRSTHDR(&m);
    CHECK(c != NULL);
    c->cmsg_len = WSA_CMSG_LEN(sizeof(IN_PKTINFO));
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    memset(&pi, 0, sizeof(pi));
    pi.ipi_addr.s_addr = htonl(SOURCE_ADDR);
    memcpy(WSA_CMSG_DATA(c), &pi, sizeof(pi));
    return m.Control.len;
}

TEST(y383_sendmsg_pktinfo_chooses_source)
{
    SOCKET rx, tx;
    struct sockaddr_in to, from, any;
    char data[] = "src", buf[16];
    char ctl[64];
    WSABUF wb = {3, data};
    WSAMSG m;
    int fromlen = sizeof(from);
    DWORD n = 0;

    harness_startup();
    rx = harness_udp_socket(TRUE);
    to = bound4(rx);
    /* The sender is bound to the wildcard: the record chooses its source. */
    tx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    CHECK(tx != INVALID_SOCKET);
    memset(&any, 0, sizeof(any));
    any.sin_family = AF_INET;
    CHECK_EQ(bind(tx, (struct sockaddr *)&any, sizeof(any)), 0);
    memset(&m, 0, sizeof(m));
    m.name = (struct sockaddr *)&to;
    m.namelen = sizeof(to);
    m.lpBuffers = &wb;
    m.dwBufferCount = 1;
    m.Control.buf = ctl;
    m.Control.len = pktinfo_record(ctl, sizeof(ctl));
    CHECK_EQ(send_msg_fn()(tx, &m, 0, &n, NULL, NULL), 0);
    CHECK_EQ(n, 3u);
    CHECK_EQ(recvfrom(rx, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen), 3);
    CHECK_EQ(from.sin_addr.s_addr, htonl(SOURCE_ADDR));
    closesocket(rx);
    closesocket(tx);
}

TEST(y384_sendmsg_overlapped_event)
{
    SOCKET rx, tx;
    struct sockaddr_in to;
    char data[] = "ovl", buf[16], ctl[64];
    WSABUF wb = {3, data};
    WSAMSG m;
    WSAOVERLAPPED ov;
    DWORD got = 0, flags = 0;
    int rc;

    udp_setup(&rx, &tx, &to, FALSE);
    harness_ov_init(&ov, TRUE);
    memset(&m, 0, sizeof(m));
    m.name = (struct sockaddr *)&to;
    m.namelen = sizeof(to);
    m.lpBuffers = &wb;
    m.dwBufferCount = 1;
    m.Control.buf = ctl;
    m.Control.len = pktinfo_record(ctl, sizeof(ctl));
    rc = WSASendMsg(tx, &m, 0, NULL, &ov, NULL);
    CHECK(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    memset(ctl, 0xAA, sizeof(ctl)); /* the record was taken at the call */
    CHECK(harness_signalled(ov.hEvent, 5000));
    CHECK(WSAGetOverlappedResult(tx, &ov, &got, FALSE, &flags));
    CHECK_EQ(got, 3u);
    CHECK_EQ(recv(rx, buf, sizeof(buf), 0), 3);
    CHECK(memcmp(buf, "ovl", 3) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(rx);
    closesocket(tx);
}

TEST(y385_recvmsg_ipv6_pktinfo)
{
    SOCKET rx, tx;
    struct sockaddr_in6 a, from;
    int len = sizeof(a);
    char buf[16], ctl[256];
    WSABUF wb = {sizeof(buf), buf};
    WSAMSG m;
    WSACMSGHDR *c;
    DWORD on = 1, n = 0;
    int found = 0;

    harness_startup();
    rx = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    tx = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    CHECK(rx != INVALID_SOCKET && tx != INVALID_SOCKET);
    memset(&a, 0, sizeof(a));
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    if (bind(rx, (struct sockaddr *)&a, sizeof(a)) != 0)
        SKIP("::1 cannot be bound (no IPv6 on this host)");
    CHECK_EQ(getsockname(rx, (struct sockaddr *)&a, &len), 0);
    CHECK_EQ(setsockopt(rx, IPPROTO_IPV6, IPV6_PKTINFO, (const char *)&on, sizeof(on)), 0);
    CHECK_EQ(sendto(tx, "six", 3, 0, (struct sockaddr *)&a, sizeof(a)), 3);
    harness_wait_readable(rx);
    memset(&m, 0, sizeof(m));
    m.name = (struct sockaddr *)&from;
    m.namelen = sizeof(from);
    m.lpBuffers = &wb;
    m.dwBufferCount = 1;
    m.Control.buf = ctl;
    m.Control.len = sizeof(ctl);
    CHECK_EQ(recv_msg_fn()(rx, &m, &n, NULL, NULL), 0);
    CHECK_EQ(n, 3u);
    CHECK_EQ(m.namelen, (INT)sizeof(struct sockaddr_in6));
    CHECK_EQ(m.Control.len, (ULONG)WSA_CMSG_SPACE(sizeof(IN6_PKTINFO)));
    for (c = WSA_CMSG_FIRSTHDR(&m); c; c = WSA_CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            IN6_PKTINFO pi;

            memcpy(&pi, WSA_CMSG_DATA(c), sizeof(pi));
            CHECK(memcmp(&pi.ipi6_addr, &in6addr_loopback, sizeof(pi.ipi6_addr)) == 0);
            CHECK(pi.ipi6_ifindex != 0);
            found++;
        }
    }
    CHECK_EQ(found, 1);
    closesocket(rx);
    closesocket(tx);
}
