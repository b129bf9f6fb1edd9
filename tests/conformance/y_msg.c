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
 * Items: 367-382. Nothing left out; 382 skips visibly when ::1 cannot be bound.
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

/* One case's UDP sockets on 127.0.0.1 (rx receives, tx sends; to is rx's address) and the
 * message rx receives with: len bytes of buf, ctl_len of ctl (0: no control buffer), the
 * source in from. */
struct fixture {
    SOCKET rx, tx;
    struct sockaddr_in to, from;
    char buf[16], ctl[256];
    WSABUF wb;
    WSAMSG m;
};

/* Sets f up; with pktinfo rx asks for IP_PKTINFO records; `queued`, when not NULL, has
 * been sent to rx and has arrived. */
static void fixture_init(struct fixture *f, BOOL pktinfo, ULONG len, ULONG ctl_len,
                         const char *queued)
{
    DWORD on = 1;

    harness_startup();
    memset(f, 0, sizeof(*f));
    f->rx = harness_udp_socket(TRUE);
    f->tx = harness_udp_socket(TRUE);
    f->to = bound4(f->rx);
    if (pktinfo)
        CHECK_EQ(setsockopt(f->rx, IPPROTO_IP, IP_PKTINFO, (const char *)&on, sizeof(on)), 0);
    msg_init(&f->m, &f->wb, f->buf, len, &f->from, ctl_len ? f->ctl : NULL, ctl_len);
    if (queued) {
        send4(f->tx, queued, &f->to);
        harness_wait_readable(f->rx);
    }
}

static void fixture_close(struct fixture *f)
{
    closesocket(f->rx);
    closesocket(f->tx);
}

/* An overlapped WSARecvMsg on f that must pend. */
static void recvmsg_pending(struct fixture *f, WSAOVERLAPPED *ov,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE fn)
{
    WSASetLastError(0);
    CHECK_EQ(recv_msg_fn()(f->rx, &f->m, NULL, ov, fn), SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
}

/* A message naming the address `peer` (len bytes) with the one buffer wb and ctl_len
 * bytes of control data at ctl. */
static void msg_to(WSAMSG *m, WSABUF *wb, void *peer, int len, char *ctl, ULONG ctl_len)
{
    memset(m, 0, sizeof(*m));
    m->name = (struct sockaddr *)peer;
    m->namelen = len;
    m->lpBuffers = wb;
    m->dwBufferCount = 1;
    m->Control.buf = ctl;
    m->Control.len = ctl_len;
}

TEST(y367_extension_pointers)
{
    harness_startup();
    CHECK(recv_msg_fn() != NULL);
    CHECK(send_msg_fn() != NULL);
}

TEST(y368_null_msg_efault)
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

TEST(y369_not_a_socket_enotsock)
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

/* f with `data` queued (pktinfo: rx asks for IP_PKTINFO records), received at once by a
 * WSARecvMsg offering all of f's buffer and control room: the whole datagram, no flag. */
static void recv_queued(struct fixture *f, BOOL pktinfo, const char *data)
{
    DWORD n = 0;

    fixture_init(f, pktinfo, sizeof(f->buf), sizeof(f->ctl), data);
    CHECK_EQ(recv_msg_fn()(f->rx, &f->m, &n, NULL, NULL), 0);
    CHECK_EQ(n, (DWORD)strlen(data));
    CHECK(memcmp(f->buf, data, n) == 0);
    CHECK_EQ(f->m.dwFlags, 0u);
}

TEST(y370_recvmsg_data_source_no_control)
{
    struct fixture f;

    recv_queued(&f, FALSE, "hello");
    CHECK_EQ(f.m.namelen, (INT)sizeof(struct sockaddr_in));
    CHECK_EQ(f.from.sin_family, AF_INET);
    CHECK_EQ(f.from.sin_port, bound4(f.tx).sin_port);
    CHECK_EQ(f.m.Control.len, 0u); /* nothing asked for */
    fixture_close(&f);
}

TEST(y371_recvmsg_ip_pktinfo)
{
    struct fixture f;

    recv_queued(&f, TRUE, "pkt");
    CHECK_EQ(f.m.Control.len, (ULONG)WSA_CMSG_SPACE(sizeof(IN_PKTINFO)));
    check_pktinfo4(&f.m);
    fixture_close(&f);
}

TEST(y372_short_control_emsgsize_ctrunc)
{
    struct fixture f;
    DWORD n = 0;

    fixture_init(&f, TRUE, sizeof(f.buf), 1, "pkt");
    WSASetLastError(0);
    CHECK_EQ(recv_msg_fn()(f.rx, &f.m, &n, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEMSGSIZE);
    CHECK(f.m.dwFlags & MSG_CTRUNC);
    CHECK(memcmp(f.buf, "pkt", 3) == 0); /* the data came */
    fixture_close(&f);
}

TEST(y373_truncated_datagram_emsgsize_trunc)
{
    struct fixture f;
    DWORD n = 0;

    fixture_init(&f, FALSE, 4, 0, "too long");
    WSASetLastError(0);
    CHECK_EQ(recv_msg_fn()(f.rx, &f.m, &n, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEMSGSIZE);
    CHECK(f.m.dwFlags & MSG_TRUNC);
    CHECK(memcmp(f.buf, "too ", 4) == 0);
    fixture_close(&f);
}

TEST(y374_overlapped_event_outputs_at_completion)
{
    struct fixture f;
    WSAOVERLAPPED ov;
    DWORD got = 0, flags = 0xFF;

    fixture_init(&f, TRUE, sizeof(f.buf), sizeof(f.ctl), NULL);
    harness_ov_init(&ov, TRUE);
    recvmsg_pending(&f, &ov, NULL);
    CHECK_EQ(f.m.Control.len, (ULONG)sizeof(f.ctl)); /* untouched while pending */
    send4(f.tx, "later", &f.to);
    CHECK(harness_signalled(ov.hEvent, 5000));
    CHECK(WSAGetOverlappedResult(f.rx, &ov, &got, FALSE, &flags));
    CHECK_EQ(got, 5u);
    CHECK_EQ(flags, 0u);
    CHECK(memcmp(f.buf, "later", 5) == 0);
    CHECK_EQ(f.from.sin_port, bound4(f.tx).sin_port);
    CHECK_EQ(f.m.Control.len, (ULONG)WSA_CMSG_SPACE(sizeof(IN_PKTINFO)));
    CHECK_EQ(f.m.dwFlags, 0u);
    check_pktinfo4(&f.m);
    WSACloseEvent(ov.hEvent);
    fixture_close(&f);
}

TEST(y375_overlapped_short_control_ctrunc)
{
    struct fixture f;
    WSAOVERLAPPED ov;
    DWORD got = 0, flags = 0xFF;

    fixture_init(&f, TRUE, sizeof(f.buf), 1, NULL);
    harness_ov_init(&ov, TRUE);
    recvmsg_pending(&f, &ov, NULL);
    send4(f.tx, "pkt", &f.to);
    CHECK(harness_signalled(ov.hEvent, 5000));
    WSAGetOverlappedResult(f.rx, &ov, &got, FALSE, &flags);
    CHECK_EQ(flags, 0u);
    CHECK_EQ(f.m.dwFlags, (ULONG)MSG_CTRUNC);
    WSACloseEvent(ov.hEvent);
    fixture_close(&f);
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

TEST(y376_completion_routine)
{
    struct fixture f;
    WSAOVERLAPPED ov;

    fixture_init(&f, TRUE, sizeof(f.buf), sizeof(f.ctl), NULL);
    harness_ov_init(&ov, FALSE);
    routine_calls = 0;
    recvmsg_pending(&f, &ov, on_done);
    send4(f.tx, "apc", &f.to);
    CHECK_EQ(SleepEx(5000, TRUE), (DWORD)WAIT_IO_COMPLETION);
    CHECK_EQ(routine_calls, 1u);
    CHECK_EQ(routine_err, 0u);
    CHECK_EQ(routine_bytes, 3u);
    check_pktinfo4(&f.m);
    fixture_close(&f);
}

TEST(y377_completion_port)
{
    struct fixture f;
    WSAOVERLAPPED ov;
    HANDLE port;
    DWORD n = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED got = NULL;

    fixture_init(&f, TRUE, sizeof(f.buf), sizeof(f.ctl), NULL);
    port = CreateIoCompletionPort((HANDLE)f.rx, NULL, 42, 0);
    CHECK(port != NULL);
    harness_ov_init(&ov, FALSE);
    recvmsg_pending(&f, &ov, NULL);
    send4(f.tx, "port", &f.to);
    CHECK(GetQueuedCompletionStatus(port, &n, &key, &got, 5000));
    CHECK(got == &ov);
    CHECK_EQ(key, (ULONG_PTR)42);
    CHECK_EQ(n, 4u);
    check_pktinfo4(&f.m);
    fixture_close(&f);
    CloseHandle(port);
}

TEST(y378_recvmsg_stream_eopnotsupp)
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

TEST(y379_sendmsg_to_address)
{
    struct fixture f;
    char data[] = "sent";
    WSABUF wb = {4, data};
    WSAMSG m;
    int fromlen = sizeof(f.from);
    DWORD n = 0;

    fixture_init(&f, FALSE, sizeof(f.buf), 0, NULL);
    msg_to(&m, &wb, &f.to, sizeof(f.to), NULL, 0);
    CHECK_EQ(send_msg_fn()(f.tx, &m, 0, &n, NULL, NULL), 0);
    CHECK_EQ(n, 4u);
    CHECK_EQ(recvfrom(f.rx, f.buf, sizeof(f.buf), 0, (struct sockaddr *)&f.from, &fromlen), 4);
    CHECK(memcmp(f.buf, "sent", 4) == 0);
    CHECK_EQ(f.from.sin_port, bound4(f.tx).sin_port);
    fixture_close(&f);
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

TEST(y380_sendmsg_pktinfo_chooses_source)
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
    msg_to(&m, &wb, &to, sizeof(to), ctl, pktinfo_record(ctl, sizeof(ctl)));
    CHECK_EQ(send_msg_fn()(tx, &m, 0, &n, NULL, NULL), 0);
    CHECK_EQ(n, 3u);
    CHECK_EQ(recvfrom(rx, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen), 3);
    CHECK_EQ(from.sin_addr.s_addr, htonl(SOURCE_ADDR));
    closesocket(rx);
    closesocket(tx);
}

TEST(y381_sendmsg_overlapped_event)
{
    struct fixture f;
    char data[] = "ovl", ctl[64];
    WSABUF wb = {3, data};
    WSAMSG m;
    WSAOVERLAPPED ov;
    DWORD got = 0, flags = 0;
    int rc;

    fixture_init(&f, FALSE, sizeof(f.buf), 0, NULL);
    harness_ov_init(&ov, TRUE);
    msg_to(&m, &wb, &f.to, sizeof(f.to), ctl, pktinfo_record(ctl, sizeof(ctl)));
    rc = WSASendMsg(f.tx, &m, 0, NULL, &ov, NULL);
    CHECK(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    memset(ctl, 0xAA, sizeof(ctl)); /* the record was taken at the call */
    CHECK(harness_signalled(ov.hEvent, 5000));
    CHECK(WSAGetOverlappedResult(f.tx, &ov, &got, FALSE, &flags));
    CHECK_EQ(got, 3u);
    CHECK_EQ(recv(f.rx, f.buf, sizeof(f.buf), 0), 3);
    CHECK(memcmp(f.buf, "ovl", 3) == 0);
    WSACloseEvent(ov.hEvent);
    fixture_close(&f);
}

TEST(y382_recvmsg_ipv6_pktinfo)
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
    msg_to(&m, &wb, &from, sizeof(from), ctl, sizeof(ctl));
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
