/*
 * d_recv.c - WSARecv (spec/conformance.md section D, api.md 1.3 and 4.5).
 *
 * Windows completes an overlapped receive at once when data is queued (returns 0, counts
 * written, event signalled) or leaves it pending (WSA_IO_PENDING, outputs untouched,
 * Internal STATUS_PENDING); argument and state errors give no indication at all. A stream
 * receive returns what is available (all buffers with MSG_WAITALL), 0 bytes at end of
 * stream every time; a datagram receive returns exactly one datagram, truncated with
 * WSAEMSGSIZE. MSG_PEEK keeps the data, MSG_OOB reads the urgent byte, bad flag
 * combinations give WSAEOPNOTSUPP. SO_RCVTIMEO applies to blocking non-overlapped calls only.
 *
 * Items: 40-47, 49-51, 55-76, and the non-port halves of 53 (a pending receive sees a peer
 * reset as WSAECONNRESET) and 54 (a receive after a reset fails at once, no indication).
 * Left for the completion-port issue: 48, 52 ([D], need a completion port) and the
 * packet checks of 53 and 54.
 */
#include "harness.h"

static void wb_set(WSABUF *wb, char *buf, ULONG len)
{
    wb->buf = buf;
    wb->len = len;
}

TEST(d40_immediate_recv_signals_event)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0;
    int rc;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "hello", 5);
    harness_wait_queued(a, 5);
    harness_ov_init(&ov, TRUE);
    rc = WSARecv(a, &wb, 1, &n, &flags, &ov, NULL);
    if (rc == 0) {
        CHECK_EQ(n, 5);
    } else {
        CHECK_ERR(WSA_IO_PENDING);
    }
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(d41_pending_recv_leaves_outputs)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0xDEADBEEF;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
    CHECK_EQ(n, 0xDEADBEEF);
    CHECK_STATUS(&ov, STATUS_PENDING);
    CHECK(!harness_signalled(ov.hEvent, 0));
    CHECK(!HasOverlappedIoCompleted(&ov));
    closesocket(a);
    harness_signalled(ov.hEvent, 1000);
    WSACloseEvent(ov.hEvent);
    closesocket(b);
}

TEST(d42_pending_recv_completes_with_data)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    DWORD flags = 0xDEADBEEF, n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    harness_send_all(b, "abcd", 4);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 4);
    CHECK_EQ(flags, 0);
    CHECK_STATUS(&ov, STATUS_SUCCESS);
    CHECK_EQ(ov.InternalHigh, 4);
    CHECK(memcmp(buf, "abcd", 4) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

/*
 * One non-overlapped WSARecv that must fail with `err`. The socket is made non-blocking
 * first so that an implementation that misses the check fails the case instead of hanging:
 * argument and state checks come before the would-block check (api.md 0.6).
 */
static void recv_fails(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD n, LPDWORD flags, int err)
{
    if (s != INVALID_SOCKET)
        harness_set_nonblocking(s, TRUE);
    WSASetLastError(0);
    CHECK_EQ(WSARecv(s, bufs, count, n, flags, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(err);
}

TEST(d43_zero_buffer_count_einval)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n;

    harness_startup();
    harness_tcp_pair(&a, &b);
    recv_fails(a, &wb, 0, &n, &flags, WSAEINVAL);
    closesocket(a);
    closesocket(b);
}

TEST(d44_null_buffers_efault)
{
    SOCKET a, b;
    DWORD flags = 0, n;

    harness_startup();
    harness_tcp_pair(&a, &b);
    recv_fails(a, NULL, 1, &n, &flags, WSAEFAULT);
    closesocket(a);
    closesocket(b);
}

TEST(d45_null_flags_efault)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD n;

    harness_startup();
    harness_tcp_pair(&a, &b);
    recv_fails(a, &wb, 1, &n, NULL, WSAEFAULT);
    closesocket(a);
    closesocket(b);
}

TEST(d46_null_bytes_nonoverlapped_efault)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "x", 1);
    recv_fails(a, &wb, 1, NULL, &flags, WSAEFAULT);
    closesocket(a);
    closesocket(b);
}

/* Which argument of WSARecv gets the bad pointer. */
enum recv_arg { RECV_BUFFERS, RECV_FLAGS, RECV_BYTES, RECV_OVERLAPPED };

/*
 * WSARecv with a pointer no program can own in one argument, non-overlapped and
 * overlapped: WSAEFAULT (api.md 4.5), with no side effect (api.md 0.6): the OVERLAPPED
 * untouched, the event not signalled and the queued byte still there.
 */
static void recv_bad_pointer_efault(enum recv_arg arg)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8], c = 0;
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags, n;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "x", 1);
    harness_ov_init(&ov, TRUE);
    ov.Internal = 0x1234;
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        for (int with_ov = arg == RECV_OVERLAPPED; with_ov < 2; with_ov++) {
            void *bad = harness_bad_ptr[i];

            flags = 0;
            WSASetLastError(0);
            CHECK_EQ(WSARecv(a, arg == RECV_BUFFERS ? bad : &wb, 1, arg == RECV_BYTES ? bad : &n,
                             arg == RECV_FLAGS ? bad : &flags,
                             arg == RECV_OVERLAPPED ? bad
                             : with_ov              ? &ov
                                                    : NULL,
                             NULL),
                     SOCKET_ERROR);
            harness_check_efault_untouched(&ov, 0x1234);
        }
    }
    harness_recv_all(a, &c, 1);
    CHECK_EQ(c, 'x');
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(d44_bad_buffer_array_pointer_efault)
{
    recv_bad_pointer_efault(RECV_BUFFERS);
}

TEST(d45_bad_flags_pointer_efault)
{
    recv_bad_pointer_efault(RECV_FLAGS);
}

TEST(d46_bad_bytes_pointer_efault)
{
    HARNESS_WINE_CRASHES("WSARecv with a bad lpNumberOfBytesRecvd");
    recv_bad_pointer_efault(RECV_BYTES);
}

TEST(d_api4_5_bad_overlapped_pointer_efault)
{
    HARNESS_WINE_CRASHES("WSARecv with a bad lpOverlapped");
    recv_bad_pointer_efault(RECV_OVERLAPPED);
}

/*
 * A data buffer the kernel cannot write (api.md 4.5: "a buffer not in writable memory"):
 * a non-overlapped receive fails with WSAEFAULT and leaves the data queued; an overlapped
 * one fails at once with WSAEFAULT (data queued) or, pending, completes with WSAEFAULT
 * when data comes, and nothing stays pending.
 */
TEST(d_api4_5_unwritable_buffer_efault)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char c = 0;
    WSABUF wb;
    DWORD flags = 0, n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "x", 1);
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        wb_set(&wb, harness_bad_ptr[i], 16);
        WSASetLastError(0);
        CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, NULL, NULL), SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
        harness_ov_init(&ov, TRUE);
        WSASetLastError(0);
        CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
        WSACloseEvent(ov.hEvent);
    }
    harness_recv_all(a, &c, 1);
    CHECK_EQ(c, 'x');
    /* Nothing queued: the receive may pend; then the data's arrival fails it. */
    harness_ov_init(&ov, TRUE);
    wb_set(&wb, harness_bad_ptr[1], 16);
    WSASetLastError(0);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    if (WSAGetLastError() == WSA_IO_PENDING) {
        harness_send_all(b, "y", 1);
        CHECK(harness_signalled(ov.hEvent, 5000));
        CHECK(!WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
        CHECK_ERR(WSAEFAULT);
    } else {
        CHECK_ERR(WSAEFAULT);
    }
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

/*
 * A data buffer no program can own (NULL or a bad pointer with len > 0) and nothing
 * queued: WSAEFAULT at once (api.md 0.6 [Lib], step 3), not a receive that blocks until
 * data comes (or pends, overlapped) and only then fails. SO_RCVTIMEO bounds a blocking
 * receive that would wait: it would fail with WSAETIMEDOUT instead.
 */
TEST(d_api4_5_bad_buffer_nothing_queued_efault_at_once)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char c = 0;
    WSABUF wb;
    DWORD flags = 0, n = 0, ms = 1000;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms)), 0);
    WSASetLastError(0);
    CHECK_EQ(recv(a, NULL, 16, 0), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    harness_ov_init(&ov, TRUE);
    ov.Internal = 0x1234;
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        WSASetLastError(0);
        CHECK_EQ(recv(a, harness_bad_ptr[i], 16, 0), SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
        wb_set(&wb, harness_bad_ptr[i], 16);
        WSASetLastError(0);
        CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, NULL, NULL), SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
        WSASetLastError(0);
        CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
        harness_check_efault_untouched(&ov, 0x1234);
    }
    /* Nothing was consumed or left pending: the next byte goes to a good receive. */
    harness_send_all(b, "y", 1);
    harness_recv_all(a, &c, 1);
    CHECK_EQ(c, 'y');
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(d47_invalid_socket_enotsock)
{
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n;

    harness_startup();
    recv_fails(INVALID_SOCKET, &wb, 1, &n, &flags, WSAENOTSOCK);
}

TEST(d49_unbound_udp_einval)
{
    SOCKET s;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n;

    harness_startup();
    s = harness_udp_socket(FALSE);
    recv_fails(s, &wb, 1, &n, &flags, WSAEINVAL);
    closesocket(s);
}

TEST(d50_nonblocking_no_data_wouldblock)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_set_nonblocking(a, TRUE);
    recv_fails(a, &wb, 1, &n, &flags, WSAEWOULDBLOCK);
    closesocket(a);
    closesocket(b);
}

/* Overlapped receive that must succeed (immediately or later) with `expect` bytes. */
static void overlapped_recv_gets(SOCKET s, char *buf, ULONG len, DWORD in_flags, DWORD expect)
{
    WSAOVERLAPPED ov;
    WSABUF wb;
    DWORD flags = in_flags, n = 0;
    int rc;

    wb_set(&wb, buf, len);
    harness_ov_init(&ov, TRUE);
    rc = WSARecv(s, &wb, 1, &n, &flags, &ov, NULL);
    if (rc != 0)
        CHECK_ERR(WSA_IO_PENDING);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(s, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, expect);
    WSACloseEvent(ov.hEvent);
}

TEST(d51_graceful_close_zero_bytes_twice)
{
    SOCKET a, b;
    char buf[16];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "end", 3);
    CHECK_EQ(closesocket(b), 0);
    harness_recv_all(a, buf, 3);
    overlapped_recv_gets(a, buf, sizeof(buf), 0, 0);
    overlapped_recv_gets(a, buf, sizeof(buf), 0, 0);
    closesocket(a);
}

/* A receive of len bytes pending when the peer resets completes with WSAECONNRESET. */
static void pending_recv_sees_reset(ULONG len)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    DWORD flags = 0, n = 0xDEADBEEF;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, len, NULL);
    harness_reset_close(b);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(!WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_ERR(WSAECONNRESET);
    CHECK_EQ(n, 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
}

/* Item 53 without a port: a pending receive completes with WSAECONNRESET on a peer reset. */
TEST(d53_pending_recv_peer_reset_econnreset)
{
    pending_recv_sees_reset(16);
}

/* Item 54 without a port: after a reset, receive and send fail at once, no indication. */
TEST(d54_after_reset_fails_at_once_without_indication)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0xDEADBEEF;
    int rc;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_reset_close(b);
    harness_wait_readable(a); /* the reset has arrived */
    harness_ov_init(&ov, TRUE);
    ov.Internal = 0x1234;
    WSASetLastError(0);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    CHECK_EQ(n, 0xDEADBEEF);
    CHECK(!harness_signalled(ov.hEvent, 100));
    CHECK_EQ(ov.Internal, 0x1234);
    WSASetLastError(0);
    rc = WSASend(a, &wb, 1, &n, 0, &ov, NULL);
    CHECK_EQ(rc, SOCKET_ERROR);
    if (WSAGetLastError() != WSAECONNABORTED)
        CHECK_ERR(WSAECONNRESET);
    CHECK_EQ(n, 0xDEADBEEF);
    CHECK(!harness_signalled(ov.hEvent, 100));
    WSACloseEvent(ov.hEvent);
    closesocket(a);
}

/* Item 54, every later receive: Linux reports a reset to one call, then end of stream; a
 * socket that was reset stays reset (api.md 4.5), whatever kind of receive comes next. */
TEST(d54_reset_remembered_by_every_later_receive)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    struct sockaddr_in from;
    int fromlen = sizeof(from), i;
    DWORD flags = 0, n = 0xDEADBEEF;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_reset_close(b);
    for (i = 0; i < 2; i++) {
        WSASetLastError(0);
        CHECK_EQ(recv(a, buf, sizeof(buf), 0), SOCKET_ERROR);
        CHECK_ERR(WSAECONNRESET);
    }
    WSASetLastError(0);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    CHECK_EQ(n, 0xDEADBEEF);
    WSASetLastError(0);
    CHECK_EQ(recvfrom(a, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    WSASetLastError(0);
    CHECK_EQ(WSARecvFrom(a, &wb, 1, &n, &flags, NULL, NULL, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    harness_ov_init(&ov, TRUE);
    ov.Internal = 0x1234;
    WSASetLastError(0);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    wb.len = 0; /* a zero-length receive waits for data: a reset is there already */
    WSASetLastError(0);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    CHECK_EQ(n, 0xDEADBEEF);
    CHECK_EQ(ov.Internal, 0x1234);
    CHECK(!harness_signalled(ov.hEvent, 0));
    WSACloseEvent(ov.hEvent);
    closesocket(a);
}

/* One end of a TCP pair whose other end was closed abortively, once the reset has arrived
 * (the socket is readable) and before any call has reported it. */
static SOCKET reset_arrived(void)
{
    SOCKET a, b;
    fd_set r;
    struct timeval tv = {5, 0};

    harness_tcp_pair(&a, &b);
    harness_reset_close(b);
    FD_ZERO(&r);
    FD_SET(a, &r);
    CHECK_EQ(select(0, &r, NULL, NULL, &tv), 1);
    return a;
}

/* Item 54 when a send saw the reset first: Linux hands the reset error to whichever call
 * comes first; the receive after it must not read end of stream. */
TEST(d54_reset_seen_by_send_first_still_fails_receive)
{
    SOCKET a;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0xDEADBEEF;
    int err;

    harness_startup();
    a = reset_arrived();
    WSASetLastError(0);
    CHECK_EQ(send(a, "x", 1, 0), SOCKET_ERROR);
    err = WSAGetLastError();
    CHECK(err == WSAECONNRESET || err == WSAECONNABORTED);
    WSASetLastError(0);
    CHECK_EQ(recv(a, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    harness_ov_init(&ov, TRUE);
    WSASetLastError(0);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    CHECK_EQ(n, 0xDEADBEEF);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
}

/* Item 54 after the program read SO_ERROR, which takes the reset error on Linux: the
 * receive still fails with WSAECONNRESET. */
TEST(d54_reset_after_so_error_read_still_fails_receive)
{
    SOCKET a;
    char buf[16];
    int err = 0, len = sizeof(err);

    harness_startup();
    a = reset_arrived();
    CHECK_EQ(getsockopt(a, SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
    WSASetLastError(0);
    CHECK_EQ(recv(a, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(a);
}

/* Items 53 and 70: a pending zero-length receive waits for data; a reset ends it with
 * WSAECONNRESET, not with the 0 bytes of data having arrived. */
TEST(d70_pending_zero_length_recv_peer_reset_econnreset)
{
    pending_recv_sees_reset(0);
}

/* Item 53 for every pending receive: the ones queued behind the first see the reset too. */
TEST(d53_reset_fails_every_pending_receive)
{
    SOCKET a, b;
    WSAOVERLAPPED ov[3];
    static char buf[3][16];
    DWORD flags, n;
    int i;

    harness_startup();
    harness_tcp_pair(&a, &b);
    for (i = 0; i < 3; i++) {
        harness_ov_init(&ov[i], TRUE);
        harness_recv_pending(a, &ov[i], buf[i], sizeof(buf[i]), NULL);
    }
    harness_reset_close(b);
    for (i = 0; i < 3; i++) {
        CHECK(harness_signalled(ov[i].hEvent, 1000));
        n = 0xDEADBEEF;
        flags = 0;
        CHECK(!WSAGetOverlappedResult(a, &ov[i], &n, FALSE, &flags));
        CHECK_ERR(WSAECONNRESET);
        CHECK_EQ(n, 0);
        WSACloseEvent(ov[i].hEvent);
    }
    closesocket(a);
}

/* Item 53 with a send pending too: whichever of the two the reset reaches first, the
 * receive completes with WSAECONNRESET, never with success and 0 bytes. The order is up to
 * the kernel, so several rounds. */
TEST(d53_pending_recv_reset_while_send_pending)
{
    static char big[1 << 16], buf[16];
    int round;

    harness_startup();
    for (round = 0; round < 10; round++) {
        SOCKET a, b;
        WSAOVERLAPPED rov, sov;
        WSABUF wb = {sizeof(big), big};
        DWORD flags = 0, n = 0xDEADBEEF;
        int err;

        harness_tcp_pair(&a, &b);
        harness_fill_send_buffer(a);
        harness_ov_init(&rov, TRUE);
        harness_recv_pending(a, &rov, buf, sizeof(buf), NULL);
        harness_ov_init(&sov, TRUE);
        CHECK_EQ(WSASend(a, &wb, 1, &n, 0, &sov, NULL), SOCKET_ERROR);
        CHECK_ERR(WSA_IO_PENDING);
        harness_reset_close(b);
        CHECK(harness_signalled(sov.hEvent, 1000));
        CHECK(harness_signalled(rov.hEvent, 1000));
        CHECK(!WSAGetOverlappedResult(a, &sov, &n, FALSE, &flags));
        err = WSAGetLastError();
        CHECK(err == WSAECONNRESET || err == WSAECONNABORTED);
        CHECK(!WSAGetOverlappedResult(a, &rov, &n, FALSE, &flags));
        CHECK_ERR(WSAECONNRESET);
        CHECK_EQ(n, 0);
        WSACloseEvent(sov.hEvent);
        WSACloseEvent(rov.hEvent);
        closesocket(a);
    }
}

TEST(d55_after_shutdown_receive_eshutdown)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(shutdown(a, SD_RECEIVE), 0);
    recv_fails(a, &wb, 1, &n, &flags, WSAESHUTDOWN);
    closesocket(a);
    closesocket(b);
}

/* shutdown's own checks, next to item 55: "not connected" is for connection-oriented
 * sockets only (Microsoft's shutdown page); a datagram socket is shut down connected or not,
 * and its new receives then fail with WSAESHUTDOWN. */
TEST(d55_shutdown_unconnected_tcp_enotconn)
{
    SOCKET s;

    harness_startup();
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0);
    CHECK_EQ(shutdown(s, SD_RECEIVE), SOCKET_ERROR);
    CHECK_ERR(WSAENOTCONN);
    CHECK_EQ(shutdown(s, SD_BOTH), SOCKET_ERROR);
    CHECK_ERR(WSAENOTCONN);
    CHECK_EQ(shutdown(s, 7), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    closesocket(s);
}

TEST(d55_shutdown_unconnected_udp_then_recv_eshutdown)
{
    SOCKET s;
    char buf[4];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n;

    harness_startup();
    s = harness_udp_socket(TRUE);
    CHECK_EQ(shutdown(s, SD_RECEIVE), 0);
    recv_fails(s, &wb, 1, &n, &flags, WSAESHUTDOWN);
    closesocket(s);
}

TEST(d56_pending_recv_survives_shutdown)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    DWORD flags = 0, n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    CHECK_EQ(shutdown(a, SD_RECEIVE), 0);
    Sleep(50); /* the pending receive after SD_RECEIVE: it has nothing to show until data */
    harness_send_all(b, "xyz", 3);
    SOFT_CHECK(harness_signalled(ov.hEvent, 1000));
    SOFT_CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags) && n == 3 &&
               memcmp(buf, "xyz", 3) == 0);
    closesocket(a);
    harness_signalled(ov.hEvent, 1000);
    WSACloseEvent(ov.hEvent);
    closesocket(b);
}

static char big_dgram[100];

static void send_big_dgram(SOCKET tx)
{
    int i;

    for (i = 0; i < (int)sizeof(big_dgram); i++)
        big_dgram[i] = (char)('A' + i % 26);
    CHECK_EQ(send(tx, big_dgram, sizeof(big_dgram), 0), (int)sizeof(big_dgram));
}

TEST(d57_udp_truncated_sync_emsgsize)
{
    SOCKET a, b;
    char buf[10];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0;

    harness_startup();
    harness_udp_pair(&a, &b);
    send_big_dgram(b);
    CHECK_EQ(send(b, "next", 4, 0), 4);
    Sleep(50); /* both datagrams queued: the second cannot be seen without reading the first */
    WSASetLastError(0);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEMSGSIZE);
    CHECK(memcmp(buf, big_dgram, 10) == 0);
    wb.len = sizeof(buf);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, NULL, NULL), 0);
    CHECK_EQ(n, 4);
    CHECK(memcmp(buf, "next", 4) == 0);
    closesocket(a);
    closesocket(b);
}

TEST(d58_udp_truncated_overlapped_emsgsize)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[10];
    DWORD flags = 0, n = 0;

    harness_startup();
    harness_udp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    send_big_dgram(b);
    CHECK(harness_signalled(ov.hEvent, 1000));
    WSASetLastError(0);
    CHECK(!WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_ERR(WSAEMSGSIZE);
    CHECK_EQ(n, 10);
    CHECK(memcmp(buf, big_dgram, 10) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(d59_udp_datagrams_never_merged)
{
    SOCKET a, b;
    char buf[100];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0;

    harness_startup();
    harness_udp_pair(&a, &b);
    CHECK_EQ(send(b, "12345", 5, 0), 5);
    CHECK_EQ(send(b, "abcdefg", 7, 0), 7);
    Sleep(50); /* both datagrams queued: the second cannot be seen without reading the first */
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, NULL, NULL), 0);
    CHECK_EQ(n, 5);
    CHECK(memcmp(buf, "12345", 5) == 0);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, NULL, NULL), 0);
    CHECK_EQ(n, 7);
    CHECK(memcmp(buf, "abcdefg", 7) == 0);
    closesocket(a);
    closesocket(b);
}

TEST(d60_msg_peek_keeps_data)
{
    SOCKET a, b;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = MSG_PEEK, n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "abcd", 4);
    harness_wait_queued(a, 4);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, NULL, NULL), 0);
    CHECK_EQ(n, 4);
    CHECK(memcmp(buf, "abcd", 4) == 0);
    memset(buf, 0, sizeof(buf));
    flags = 0;
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, NULL, NULL), 0);
    CHECK_EQ(n, 4);
    CHECK(memcmp(buf, "abcd", 4) == 0);
    closesocket(a);
    closesocket(b);
}

TEST(d61_udp_msg_oob_eopnotsupp)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = MSG_OOB, n;

    harness_startup();
    harness_udp_pair(&a, &b);
    recv_fails(a, &wb, 1, &n, &flags, WSAEOPNOTSUPP);
    closesocket(a);
    closesocket(b);
}

TEST(d62_oobinline_msg_oob_einval)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = MSG_OOB, n;
    int one = 1;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(setsockopt(a, SOL_SOCKET, SO_OOBINLINE, (const char *)&one, sizeof(one)), 0);
    harness_set_nonblocking(a, TRUE);
    WSASetLastError(0);
    CHECK_EQ(recv(a, buf, sizeof(buf), MSG_OOB), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    recv_fails(a, &wb, 1, &n, &flags, WSAEINVAL);
    closesocket(a);
    closesocket(b);
}

TEST(d63_urgent_byte_msg_oob)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = MSG_OOB, n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(send(b, "x", 1, MSG_OOB), 1);
    Sleep(100); /* the urgent byte: FIONREAD does not count it, no portable wait sees it */
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, NULL, NULL), 0);
    CHECK_EQ(n, 1);
    CHECK_EQ(buf[0], 'x');
    closesocket(a);
    closesocket(b);
}

TEST(d64_waitall_with_peek_oob_partial_eopnotsupp)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags, n;

    harness_startup();
    harness_tcp_pair(&a, &b);
    flags = MSG_WAITALL | MSG_PEEK;
    recv_fails(a, &wb, 1, &n, &flags, WSAEOPNOTSUPP);
    flags = MSG_WAITALL | MSG_OOB;
    recv_fails(a, &wb, 1, &n, &flags, WSAEOPNOTSUPP);
    flags = MSG_WAITALL | MSG_PARTIAL;
    recv_fails(a, &wb, 1, &n, &flags, WSAEOPNOTSUPP);
    closesocket(a);
    closesocket(b);
}

TEST(d65_udp_waitall_eopnotsupp)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = MSG_WAITALL, n;

    harness_startup();
    harness_udp_pair(&a, &b);
    recv_fails(a, &wb, 1, &n, &flags, WSAEOPNOTSUPP);
    closesocket(a);
    closesocket(b);
}

TEST(d66_nonblocking_sync_waitall_eopnotsupp)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = MSG_WAITALL, n;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_set_nonblocking(a, TRUE);
    recv_fails(a, &wb, 1, &n, &flags, WSAEOPNOTSUPP);
    closesocket(a);
    closesocket(b);
}

/* Posts an overlapped MSG_WAITALL receive of 10 bytes; it must pend. */
static void post_waitall(SOCKET s, WSAOVERLAPPED *ov, char *buf, DWORD *flags)
{
    WSABUF wb = {10, buf};
    DWORD n = 0;

    *flags = MSG_WAITALL;
    harness_ov_init(ov, TRUE);
    CHECK_EQ(WSARecv(s, &wb, 1, &n, flags, ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
}

TEST(d67_waitall_waits_for_full_buffer)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    DWORD flags, n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    post_waitall(a, &ov, buf, &flags);
    harness_send_all(b, "0123", 4);
    CHECK(!harness_signalled(ov.hEvent, 100));
    harness_send_all(b, "456789", 6);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 10);
    CHECK(memcmp(buf, "0123456789", 10) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(d68_waitall_completes_short_on_close)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    DWORD flags, n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    post_waitall(a, &ov, buf, &flags);
    harness_send_all(b, "0123", 4);
    CHECK_EQ(closesocket(b), 0);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 4);
    CHECK(memcmp(buf, "0123", 4) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
}

TEST(d69_unknown_flag_eopnotsupp)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0x10000, n;

    harness_startup();
    harness_tcp_pair(&a, &b);
    recv_fails(a, &wb, 1, &n, &flags, WSAEOPNOTSUPP);
    closesocket(a);
    closesocket(b);
}

TEST(d70_zero_length_recv_pends_then_zero)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    DWORD flags = 0, n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, 0, NULL);
    harness_send_all(b, "data", 4);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 0);
    CHECK_EQ(recv(a, buf, sizeof(buf), 0), 4);
    CHECK(memcmp(buf, "data", 4) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(d71_zero_length_recv_with_data_keeps_it)
{
    SOCKET a, b;
    char buf[16];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "data", 4);
    harness_wait_queued(a, 4);
    overlapped_recv_gets(a, buf, 0, 0, 0);
    harness_set_nonblocking(a, TRUE);
    CHECK_EQ(recv(a, buf, sizeof(buf), 0), 4);
    CHECK(memcmp(buf, "data", 4) == 0);
    closesocket(a);
    closesocket(b);
}

static void set_rcvtimeo(SOCKET s, DWORD ms)
{
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms)), 0);
}

TEST(d72_rcvtimeo_sync_etimedout)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0xDEADBEEF;
    double start;

    harness_startup();
    a = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(a != INVALID_SOCKET);
    b = harness_tcp_connect(a);
    set_rcvtimeo(a, 100);
    start = harness_now_ms();
    WSASetLastError(0);
    CHECK_EQ(WSARecv(a, &wb, 1, &n, &flags, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAETIMEDOUT);
    CHECK_ELAPSED_GE(start, 90);
    CHECK_EQ(n, 0xDEADBEEF);
    closesocket(a);
    closesocket(b);
}

TEST(d73_rcvtimeo_ignored_by_overlapped)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];

    harness_startup();
    harness_tcp_pair(&a, &b);
    set_rcvtimeo(a, 100);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    CHECK(!harness_signalled(ov.hEvent, 300));
    CHECK_STATUS(&ov, STATUS_PENDING);
    closesocket(a);
    harness_signalled(ov.hEvent, 1000);
    WSACloseEvent(ov.hEvent);
    closesocket(b);
}

TEST(d74_connected_udp_port_unreachable_econnreset)
{
    SOCKET s, gone;
    struct sockaddr_in to;
    int len = sizeof(to), rc;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0;
    WSAOVERLAPPED ov;

    harness_startup();
    gone = harness_udp_socket(TRUE);
    CHECK_EQ(getsockname(gone, (struct sockaddr *)&to, &len), 0);
    closesocket(gone); /* nothing listens on that port any more */
    s = harness_udp_socket(TRUE);
    CHECK_EQ(connect(s, (struct sockaddr *)&to, sizeof(to)), 0);
    CHECK_EQ(send(s, "ping", 4, 0), 4);
    Sleep(100); /* the port-unreachable report: nothing portable sees it without taking it */
    harness_ov_init(&ov, TRUE);
    WSASetLastError(0);
    rc = WSARecv(s, &wb, 1, &n, &flags, &ov, NULL);
    CHECK_EQ(rc, SOCKET_ERROR);
    if (WSAGetLastError() == WSA_IO_PENDING) {
        CHECK(harness_signalled(ov.hEvent, 1000));
        CHECK(!WSAGetOverlappedResult(s, &ov, &n, FALSE, &flags));
    }
    CHECK_ERR(WSAECONNRESET);
    WSACloseEvent(ov.hEvent);
    closesocket(s);
}

/* A UDP socket connected to a port nobody listens on: a blocking receive waits for the
 * "port unreachable" of the datagram sent before it (5 s at most, SO_RCVTIMEO). */
static SOCKET udp_to_closed_port(void)
{
    SOCKET s, gone;
    struct sockaddr_in to;
    int len = sizeof(to);
    DWORD ms = 5000;

    gone = harness_udp_socket(TRUE);
    CHECK_EQ(getsockname(gone, (struct sockaddr *)&to, &len), 0);
    closesocket(gone); /* nothing listens on that port any more */
    s = harness_udp_socket(TRUE);
    CHECK_EQ(connect(s, (struct sockaddr *)&to, sizeof(to)), 0);
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms)), 0);
    return s;
}

/* Item 74 for the non-overlapped receives: the same WSAECONNRESET as the overlapped one,
 * never the Linux ECONNREFUSED's WSAECONNREFUSED. */
TEST(d74_port_unreachable_nonoverlapped_receives_econnreset)
{
    SOCKET s;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    struct sockaddr_in from;
    int fromlen;
    DWORD flags, n;

    harness_startup();
    s = udp_to_closed_port();
    CHECK_EQ(send(s, "ping", 4, 0), 4);
    WSASetLastError(0);
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    CHECK_EQ(send(s, "ping", 4, 0), 4);
    flags = 0;
    WSASetLastError(0);
    CHECK_EQ(WSARecv(s, &wb, 1, &n, &flags, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    CHECK_EQ(send(s, "ping", 4, 0), 4);
    fromlen = sizeof(from);
    WSASetLastError(0);
    CHECK_EQ(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    CHECK_EQ(send(s, "ping", 4, 0), 4);
    flags = 0;
    fromlen = sizeof(from);
    WSASetLastError(0);
    CHECK_EQ(WSARecvFrom(s, &wb, 1, &n, &flags, (struct sockaddr *)&from, &fromlen, NULL, NULL),
             SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(s);
}

/* Sends on s until one fails (the port unreachable of an earlier one is reported to the
 * next call); returns that call's error. */
static int send_until_refused(SOCKET s, int (*send_one)(SOCKET s))
{
    int i;

    for (i = 0; i < 200; i++) {
        WSASetLastError(0);
        if (send_one(s) == SOCKET_ERROR)
            return WSAGetLastError();
        Sleep(5);
    }
    CHECK(!"no send reported the port unreachable");
    return 0;
}

static int send_one(SOCKET s)
{
    return send(s, "ping", 4, 0);
}

static int wsasend_one(SOCKET s)
{
    char data[4] = "ping";
    WSABUF wb = {4, data};
    DWORD n;

    return WSASend(s, &wb, 1, &n, 0, NULL, NULL);
}

static int sendto_one(SOCKET s)
{
    struct sockaddr_in to;
    int len = sizeof(to);

    CHECK_EQ(getpeername(s, (struct sockaddr *)&to, &len), 0);
    return sendto(s, "ping", 4, 0, (struct sockaddr *)&to, len);
}

static int wsasendto_one(SOCKET s)
{
    char data[4] = "ping";
    WSABUF wb = {4, data};
    struct sockaddr_in to;
    int len = sizeof(to);
    DWORD n;

    CHECK_EQ(getpeername(s, (struct sockaddr *)&to, &len), 0);
    return WSASendTo(s, &wb, 1, &n, 0, (struct sockaddr *)&to, len, NULL, NULL);
}

/* Item 74, the send side: a send that reports an earlier datagram's port unreachable says
 * WSAECONNRESET (the UDP meaning of that code in the send documentation). */
TEST(d74_port_unreachable_send_econnreset)
{
    SOCKET s;

    harness_startup();
    s = udp_to_closed_port();
    CHECK_EQ(send_until_refused(s, send_one), WSAECONNRESET);
    CHECK_EQ(send_until_refused(s, wsasend_one), WSAECONNRESET);
    closesocket(s);
}

TEST(d74_port_unreachable_sendto_econnreset)
{
    SOCKET s;

    harness_startup();
    s = udp_to_closed_port();
    CHECK_EQ(send_until_refused(s, sendto_one), WSAECONNRESET);
    CHECK_EQ(send_until_refused(s, wsasendto_one), WSAECONNRESET);
    closesocket(s);
}

TEST(d75_listening_socket_enotconn)
{
    SOCKET l;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n;

    harness_startup();
    harness_listener(&l, NULL);
    recv_fails(l, &wb, 1, &n, &flags, WSAENOTCONN);
    closesocket(l);
}

TEST(d76_result_flags_zeroed)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD flags = 0xDEADBEEF, n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    harness_send_all(b, "q", 1);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(flags, 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}
