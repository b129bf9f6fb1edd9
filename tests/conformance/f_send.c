/*
 * f_send.c - WSASend (spec/conformance.md section F, api.md 1.3, 4.7 and 5).
 *
 * Windows sends the buffers of a WSABUF array as one sequence in array order (one datagram
 * on UDP, or nothing when it is larger than 65507 bytes: WSAEMSGSIZE). An overlapped stream
 * send completes once, when the transport has taken every byte, never with a partial
 * count; a non-blocking non-overlapped send takes what fits and fails with WSAEWOULDBLOCK
 * when nothing does. State and argument errors (INVALID_SOCKET, not connected, send side
 * shut down, MSG_OOB on UDP, MSG_PARTIAL, a NULL count without an OVERLAPPED) fail the call
 * with no indication. A send after a peer reset fails with WSAECONNRESET/WSAECONNABORTED and
 * never raises SIGPIPE (the case would die of it). A zero-length send completes with 0 bytes.
 *
 * Items: 84-96 (91 for TCP and for UDP). Left out: 97 ([D], needs a completion port; it
 * belongs with section O).
 */
#include "harness.h"

/* One non-overlapped one-byte WSASend with `flags` that must fail with `err`. */
static void send_fails(SOCKET s, DWORD flags, int err)
{
    char x[1] = {'x'};
    WSABUF wb = {1, x};
    DWORD n = 0xDEADBEEF;

    WSASetLastError(0);
    CHECK_EQ(WSASend(s, &wb, 1, &n, flags, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(err);
    CHECK_EQ(n, 0xDEADBEEF);
}

static void set_buf(SOCKET s, int opt, int size)
{
    CHECK_EQ(setsockopt(s, SOL_SOCKET, opt, (const char *)&size, sizeof(size)), 0);
}

/* A TCP pair with small socket buffers: a (SO_SNDBUF) sends, b (SO_RCVBUF) receives. */
static void small_tcp_pair(SOCKET *a, SOCKET *b)
{
    *a = harness_tcp_socket();
    set_buf(*a, SO_SNDBUF, 16384);
    *b = harness_tcp_connect(*a);
    set_buf(*b, SO_RCVBUF, 16384);
}

TEST(f84_gather_send_three_buffers_in_order)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char one[] = "a", two[] = "bc", three[] = "def", got[8];
    WSABUF wb[3] = {{1, one}, {2, two}, {3, three}};
    DWORD n = 0, flags = 0;
    int rc;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    rc = WSASend(a, wb, 3, &n, 0, &ov, NULL);
    if (rc == 0)
        CHECK_EQ(n, 6);
    else
        CHECK_ERR(WSA_IO_PENDING);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 6);
    harness_recv_all(b, got, 6);
    CHECK(memcmp(got, "abcdef", 6) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(f85_invalid_socket_enotsock)
{
    WSAOVERLAPPED ov;
    char x[1] = {'x'};
    WSABUF wb = {1, x};

    harness_startup();
    harness_ov_init(&ov, TRUE);
    WSASetLastError(0);
    CHECK_EQ(WSASend(INVALID_SOCKET, &wb, 1, NULL, 0, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAENOTSOCK);
    CHECK(!harness_signalled(ov.hEvent, 0));
    WSACloseEvent(ov.hEvent);
}

TEST(f86_unconnected_tcp_enotconn)
{
    SOCKET s;

    harness_startup();
    s = harness_tcp_socket();
    send_fails(s, 0, WSAENOTCONN);
    closesocket(s);
}

TEST(f87_unconnected_udp_enotconn)
{
    SOCKET s;

    harness_startup();
    s = harness_udp_socket(TRUE);
    send_fails(s, 0, WSAENOTCONN);
    closesocket(s);
}

TEST(f88_after_shutdown_send_eshutdown)
{
    SOCKET a, b;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(shutdown(a, SD_SEND), 0);
    send_fails(a, 0, WSAESHUTDOWN);
    closesocket(a);
    closesocket(b);
}

TEST(f89_udp_65508_bytes_emsgsize_nothing_sent)
{
    SOCKET a, b;
    static char big[65508];
    WSABUF wb = {sizeof(big), big};
    DWORD n = 0xDEADBEEF;

    harness_startup();
    harness_udp_pair(&a, &b);
    WSASetLastError(0);
    CHECK_EQ(WSASend(a, &wb, 1, &n, 0, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEMSGSIZE);
    CHECK_EQ(n, 0xDEADBEEF);
    harness_expect_no_data(b);
    closesocket(a);
    closesocket(b);
}

TEST(f90_udp_msg_oob_eopnotsupp)
{
    SOCKET a, b;

    harness_startup();
    harness_udp_pair(&a, &b);
    send_fails(a, MSG_OOB, WSAEOPNOTSUPP);
    harness_expect_no_data(b);
    closesocket(a);
    closesocket(b);
}

TEST(f91_tcp_msg_partial_eopnotsupp)
{
    SOCKET a, b;

    harness_startup();
    harness_tcp_pair(&a, &b);
    send_fails(a, MSG_PARTIAL, WSAEOPNOTSUPP);
    harness_expect_no_data(b);
    closesocket(a);
    closesocket(b);
}

TEST(f91_udp_msg_partial_eopnotsupp)
{
    SOCKET a, b;

    harness_startup();
    harness_udp_pair(&a, &b);
    send_fails(a, MSG_PARTIAL, WSAEOPNOTSUPP);
    harness_expect_no_data(b);
    closesocket(a);
    closesocket(b);
}

TEST(f92_null_bytes_nonoverlapped_efault)
{
    SOCKET a, b;
    char x[1] = {'x'};
    WSABUF wb = {1, x};

    harness_startup();
    harness_tcp_pair(&a, &b);
    WSASetLastError(0);
    CHECK_EQ(WSASend(a, &wb, 1, NULL, 0, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    closesocket(a);
    closesocket(b);
}

/* Which argument of WSASend gets the bad pointer. */
enum send_arg { SEND_BUFFERS, SEND_BYTES, SEND_OVERLAPPED, SEND_DATA };

/*
 * WSASend with a pointer no program can own in one argument (SEND_DATA: as the data
 * buffer, which the kernel cannot read), non-overlapped and overlapped: WSAEFAULT
 * (api.md 4.7), the OVERLAPPED untouched, no indication, nothing sent.
 */
static void send_bad_pointer_efault(enum send_arg arg)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char x[1] = {'x'};
    WSABUF wb = {1, x};
    DWORD n;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    ov.Internal = 0x1234;
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        void *bad = harness_bad_ptr[i];

        if (arg == SEND_DATA)
            wb.buf = bad;
        for (int with_ov = arg == SEND_OVERLAPPED; with_ov < 2; with_ov++) {
            WSASetLastError(0);
            CHECK_EQ(WSASend(a, arg == SEND_BUFFERS ? bad : &wb, 1, arg == SEND_BYTES ? bad : &n, 0,
                             arg == SEND_OVERLAPPED ? bad
                             : with_ov              ? &ov
                                                    : NULL,
                             NULL),
                     SOCKET_ERROR);
            harness_check_efault_untouched(&ov, 0x1234);
        }
    }
    harness_expect_no_data(b);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(f_api4_7_bad_buffer_array_pointer_efault)
{
    send_bad_pointer_efault(SEND_BUFFERS);
}

TEST(f92_bad_bytes_pointer_efault)
{
    HARNESS_WINE_CRASHES("WSASend with a bad lpNumberOfBytesSent");
    send_bad_pointer_efault(SEND_BYTES);
}

TEST(f_api4_7_bad_overlapped_pointer_efault)
{
    HARNESS_WINE_CRASHES("WSASend with a bad lpOverlapped");
    send_bad_pointer_efault(SEND_OVERLAPPED);
}

TEST(f_api4_7_unreadable_buffer_efault)
{
    send_bad_pointer_efault(SEND_DATA);
}

/* An unreadable data buffer on a send queued behind another one (the send path is full):
 * the call fails with WSAEFAULT, or pends and completes with WSAEFAULT when its turn
 * comes; either way nothing stays pending and the earlier send completes whole. */
TEST(f_api4_7_unreadable_buffer_queued_efault)
{
    SOCKET a, b;
    WSAOVERLAPPED first, ov;
    static char out[65536], sink[65536]; /* the first send's data, the peer's reads */
    WSABUF good = {sizeof(out), out}, wb = {16, harness_bad_ptr[1]};
    long left;
    DWORD n = 0, f = 0;
    int err;

    harness_startup();
    harness_tcp_pair(&a, &b);
    left = harness_fill_send_buffer(a) + (long)sizeof(out);
    harness_ov_init(&first, TRUE);
    harness_ov_init(&ov, TRUE);
    WSASetLastError(0);
    CHECK_EQ(WSASend(a, &good, 1, &n, 0, &first, NULL), SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
    WSASetLastError(0);
    CHECK_EQ(WSASend(a, &wb, 1, &n, 0, &ov, NULL), SOCKET_ERROR);
    err = WSAGetLastError();
    for (int chunk; left > 0; left -= chunk) { /* lets the first send (and a pending one) go */
        chunk = left < (long)sizeof(sink) ? (int)left : (int)sizeof(sink);
        harness_recv_all(b, sink, chunk);
    }
    WSASetLastError(err);
    if (err == WSA_IO_PENDING) {
        CHECK(harness_signalled(ov.hEvent, 5000));
        CHECK(!WSAGetOverlappedResult(a, &ov, &n, FALSE, &f));
        CHECK_EQ(n, 0);
    }
    CHECK_ERR(WSAEFAULT);
    CHECK(harness_signalled(first.hEvent, 5000));
    CHECK(WSAGetOverlappedResult(a, &first, &n, FALSE, &f));
    CHECK_EQ(n, sizeof(out));
    WSACloseEvent(first.hEvent);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(f93_nonblocking_1mib_sends_end_in_wouldblock)
{
    SOCKET a, b;
    static char mib[1 << 20];
    WSABUF wb = {sizeof(mib), mib};
    DWORD n;
    int i, rc = 0;

    harness_startup();
    small_tcp_pair(&a, &b);
    harness_set_nonblocking(a, TRUE);
    for (i = 0; i < 64; i++) {
        n = 0xDEADBEEF;
        WSASetLastError(0);
        rc = WSASend(a, &wb, 1, &n, 0, NULL, NULL);
        if (rc == SOCKET_ERROR)
            break;
        CHECK_EQ(rc, 0);
        CHECK(n > 0 && n <= sizeof(mib)); /* a partial count is allowed */
    }
    CHECK_EQ(rc, SOCKET_ERROR); /* 64 MiB never fit in the small buffers */
    CHECK_ERR(WSAEWOULDBLOCK);
    closesocket(a);
    closesocket(b);
}

#define F94_SIZE (8u << 20)
static char f94_data[F94_SIZE];
static int f94_calls; /* routines run on this thread, inside SleepEx */
static DWORD f94_error = 0xDEADBEEF, f94_bytes;

static void CALLBACK f94_done(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    f94_error = error;
    f94_bytes = bytes;
    f94_calls++;
}

/* The slow reader: a few small reads with pauses, then the rest, checking every byte. */
static DWORD WINAPI f94_reader(LPVOID arg)
{
    SOCKET s = *(SOCKET *)arg;
    static char chunk[65536];
    DWORD got = 0;
    int i, k = 0;

    while (got < F94_SIZE) {
        int want = k < 10 ? 4096 : (int)sizeof(chunk);
        int n;

        if (k++ < 10)
            Sleep(5); /* a slow reader at first, on purpose: the sender meets a full window */
        if ((DWORD)want > F94_SIZE - got)
            want = (int)(F94_SIZE - got);
        n = recv(s, chunk, want, 0);
        CHECK(n > 0);
        for (i = 0; i < n; i++)
            if (chunk[i] != f94_data[got + (DWORD)i])
                harness_fail(__FILE__, __LINE__, "byte %lu differs", (unsigned long)(got + i));
        got += (DWORD)n;
    }
    return 0;
}

TEST(f94_overlapped_8mib_send_completes_once_in_full)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    WSABUF wb = {F94_SIZE, f94_data};
    DWORD n = 0xDEADBEEF, i;
    HANDLE reader;
    double start;
    int rc;

    harness_startup();
    for (i = 0; i < F94_SIZE; i++)
        f94_data[i] = (char)(i % 251);
    small_tcp_pair(&a, &b);
    harness_ov_init(&ov, FALSE);
    rc = WSASend(a, &wb, 1, &n, 0, &ov, f94_done);
    if (rc == 0) {
        CHECK_EQ(n, F94_SIZE);
    } else {
        CHECK_ERR(WSA_IO_PENDING);
        /* nobody reads yet: 8 MiB cannot have been taken, so no completion of any kind */
        SleepEx(100, TRUE);
        CHECK_EQ(f94_calls, 0);
        CHECK(!HasOverlappedIoCompleted(&ov));
    }
    reader = harness_thread(f94_reader, &b);
    start = harness_now_ms();
    while (f94_calls == 0 && harness_now_ms() - start < 5000)
        SleepEx(100, TRUE);
    CHECK_EQ(f94_calls, 1);
    CHECK_EQ(f94_error, 0);
    CHECK_EQ(f94_bytes, F94_SIZE);
    CHECK_STATUS(&ov, STATUS_SUCCESS);
    CHECK_EQ(ov.InternalHigh, F94_SIZE);
    harness_join(reader);
    SleepEx(100, TRUE);
    CHECK_EQ(f94_calls, 1);
    closesocket(a);
    closesocket(b);
}

TEST(f95_send_after_peer_reset_fails_without_sigpipe)
{
    SOCKET a, b;
    int i, err;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_reset_close(b);
    harness_wait_readable(a); /* the reset has arrived */
    for (i = 0; i < 5; i++) {
        char x[1] = {'x'};
        WSABUF wb = {1, x};
        DWORD n = 0xDEADBEEF;

        WSASetLastError(0);
        CHECK_EQ(WSASend(a, &wb, 1, &n, 0, NULL, NULL), SOCKET_ERROR);
        err = WSAGetLastError();
        if (err != WSAECONNABORTED)
            CHECK_EQ(err, WSAECONNRESET);
        CHECK_EQ(n, 0xDEADBEEF);
    }
    closesocket(a); /* still alive: no SIGPIPE killed the process */
}

TEST(f96_zero_length_send_completes_with_zero)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char x[1] = {'x'};
    WSABUF wb = {0, x};
    DWORD n = 0xDEADBEEF, flags = 0;
    int rc;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    rc = WSASend(a, &wb, 1, &n, 0, &ov, NULL);
    if (rc == 0)
        CHECK_EQ(n, 0);
    else
        CHECK_ERR(WSA_IO_PENDING);
    CHECK(harness_signalled(ov.hEvent, 1000));
    n = 0xDEADBEEF;
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}
