/*
 * o_ports.c - conformance section O: I/O completion ports (api.md 2.4, 2.5, 4.17 to 4.21).
 *
 * What Windows does: a port is a kernel queue of packets {key, bytes, OVERLAPPED pointer,
 * status} behind a HANDLE. CreateIoCompletionPort makes one and/or associates a socket with
 * it under a key; every overlapped operation of an associated socket then queues exactly
 * one packet, unless hEvent has bit 0 set or FILE_SKIP_COMPLETION_PORT_ON_SUCCESS skips an
 * immediate completion. GetQueuedCompletionStatus(Ex) dequeue in FIFO order;
 * PostQueuedCompletionStatus queues packets by hand; CloseHandle releases the waiters with
 * ERROR_ABANDONED_WAIT_0.
 *
 * Items: 241-254, 256-265, and the WSAEINVAL of a completion routine on an associated
 * socket (api.md 2.1). Left for the AcceptEx/ConnectEx/CancelIoEx work: 255 (ConnectEx with
 * hEvent|1) and 266 (AcceptEx issued before the association). Item 257 cancels its receive
 * with closesocket, the only cancellation there is before CancelIoEx.
 */
#include "harness.h"

static HANDLE new_port(void)
{
    HANDLE p = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);

    CHECK(p != NULL);
    return p;
}

/* GQCS(P, 0) finds nothing: FALSE, WAIT_TIMEOUT, *lpOverlapped NULL. */
static void check_empty(HANDLE port)
{
    DWORD n = 0;
    ULONG_PTR k = 0;
    LPOVERLAPPED o = (LPOVERLAPPED)1;

    CHECK(!GetQueuedCompletionStatus(port, &n, &k, &o, 0));
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    CHECK(o == NULL);
}

/* A connected TCP pair whose side a is associated with a new port under key. */
static HANDLE port_pair(SOCKET *a, SOCKET *b, ULONG_PTR key)
{
    HANDLE p;

    harness_startup();
    harness_tcp_pair(a, b);
    p = CreateIoCompletionPort((HANDLE)*a, NULL, key, 0);
    CHECK(p != NULL);
    return p;
}

static void close_pair(SOCKET a, SOCKET b, HANDLE p)
{
    closesocket(a);
    closesocket(b);
    CloseHandle(p);
}

/* A port (key 9) holding the packet of a receive on ov that closesocket aborted. */
static HANDLE port_with_aborted_recv(WSAOVERLAPPED *ov, SOCKET *peer)
{
    SOCKET a;
    static char buf[8];
    HANDLE p = port_pair(&a, peer, 9);

    harness_ov_init(ov, FALSE);
    harness_recv_pending(a, ov, buf, sizeof(buf), NULL);
    closesocket(a);
    return p;
}

/* b sends text; an overlapped WSARecv on a (no event) then completes during the call. */
static void immediate_recv(SOCKET a, SOCKET b, WSAOVERLAPPED *ov, const char *text)
{
    static char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD got = 0, flags = 0;

    harness_send_all(b, text, (int)strlen(text));
    Sleep(50);
    harness_ov_init(ov, FALSE);
    CHECK_EQ(WSARecv(a, &wb, 1, &got, &flags, ov, NULL), 0);
    CHECK_EQ(got, strlen(text));
}

/* GQCS(P, timeout) dequeues a successful packet with these values. */
static void expect_packet(HANDLE port, DWORD timeout, DWORD bytes, ULONG_PTR key, LPOVERLAPPED ov)
{
    DWORD n = 0;
    ULONG_PTR k = 0;
    LPOVERLAPPED o = NULL;

    CHECK(GetQueuedCompletionStatus(port, &n, &k, &o, timeout));
    CHECK_EQ(n, bytes);
    CHECK_EQ(k, key);
    CHECK(o == ov);
}

TEST(o241_create_returns_distinct_handle)
{
    SOCKET s;
    WSAEVENT ev;
    HANDLE p, q;

    harness_startup();
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ev = WSACreateEvent();
    p = new_port();
    q = new_port();
    CHECK(p != INVALID_HANDLE_VALUE);
    CHECK(p != (HANDLE)(ULONG_PTR)s);
    CHECK(p != ev);
    CHECK(p != q);
    CHECK(CloseHandle(q));
    CHECK(CloseHandle(p));
    WSACloseEvent(ev);
    closesocket(s);
}

TEST(o242_invalid_file_with_existing_port_invalid_parameter)
{
    HANDLE p = new_port();

    SetLastError(0);
    CHECK(CreateIoCompletionPort(INVALID_HANDLE_VALUE, p, 0, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(p);
}

TEST(o243_associate_returns_existing_port)
{
    SOCKET s;
    HANDLE p;

    harness_startup();
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    p = new_port();
    CHECK(CreateIoCompletionPort((HANDLE)s, p, 125, 0) == p);
    closesocket(s);
    CloseHandle(p);
}

TEST(o244_create_and_associate_key)
{
    SOCKET a, b;
    HANDLE p;
    WSAOVERLAPPED ov;
    char buf[8];

    harness_startup();
    harness_tcp_pair(&a, &b);
    p = CreateIoCompletionPort((HANDLE)a, NULL, 7, 1);
    CHECK(p != NULL);
    harness_ov_init(&ov, FALSE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    harness_send_all(b, "hi", 2);
    expect_packet(p, 2000, 2, 7, &ov);
    close_pair(a, b, p);
}

TEST(o245_bad_handles_invalid_handle)
{
    SOCKET s;
    WSAEVENT ev;

    harness_startup();
    SetLastError(0);
    CHECK(CreateIoCompletionPort((HANDLE)(ULONG_PTR)0xdead, NULL, 0, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ev = WSACreateEvent();
    SetLastError(0);
    CHECK(CreateIoCompletionPort((HANDLE)s, ev, 0, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    WSACloseEvent(ev);
    closesocket(s);
}

TEST(o246_second_association_invalid_parameter)
{
    SOCKET s;
    HANDLE p, q;

    harness_startup();
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    p = new_port();
    q = new_port();
    CHECK(CreateIoCompletionPort((HANDLE)s, p, 1, 0) == p);
    SetLastError(0);
    CHECK(CreateIoCompletionPort((HANDLE)s, p, 2, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(CreateIoCompletionPort((HANDLE)s, q, 3, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    closesocket(s);
    CloseHandle(q);
    CloseHandle(p);
}

TEST(o247_timeout_outputs)
{
    HANDLE p = new_port();
    DWORD n = 0xDEADBEEF;
    ULONG_PTR k = 0xDEADBEEF;
    LPOVERLAPPED o = (LPOVERLAPPED)(ULONG_PTR)0x1000;
    double start = harness_now_ms();

    CHECK(!GetQueuedCompletionStatus(p, &n, &k, &o, 200));
    CHECK_ELAPSED_GE(start, 190);
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    CHECK(o == NULL);
    CHECK_EQ(n, 0xDEADBEEF);
    CHECK_EQ(k, 0xDEADBEEF);
    CloseHandle(p);
}

TEST(o248_zero_timeout_at_once)
{
    HANDLE p = new_port();
    double start = harness_now_ms();

    check_empty(p);
    CHECK_ELAPSED_LT(start, 100);
    CloseHandle(p);
}

TEST(o249_post_values_round_trip)
{
    HANDLE p = new_port();

    CHECK(PostQueuedCompletionStatus(p, 42, 0x1234, (LPOVERLAPPED)(ULONG_PTR)0x5678));
    SetLastError(0xDEADBEEF);
    expect_packet(p, 0, 42, 0x1234, (LPOVERLAPPED)(ULONG_PTR)0x5678);
    CHECK_EQ(GetLastError(), 0xDEADBEEF);
    CloseHandle(p);
}

TEST(o250_post_null_overlapped_true)
{
    HANDLE p = new_port();

    CHECK(PostQueuedCompletionStatus(p, 0, 0, NULL));
    expect_packet(p, 0, 0, 0, NULL);
    CloseHandle(p);
}

TEST(o251_fifo)
{
    HANDLE p = new_port();

    CHECK(PostQueuedCompletionStatus(p, 1, 'A', NULL));
    CHECK(PostQueuedCompletionStatus(p, 2, 'B', NULL));
    CHECK(PostQueuedCompletionStatus(p, 3, 'C', NULL));
    expect_packet(p, 0, 1, 'A', NULL);
    expect_packet(p, 0, 2, 'B', NULL);
    expect_packet(p, 0, 3, 'C', NULL);
    check_empty(p);
    CloseHandle(p);
}

/* w->done, read with a barrier: the waiter thread sets it. */
#define DONE(w) InterlockedCompareExchange(&(w)->done, 0, 0)

struct waiter {
    HANDLE port;
    DWORD timeout;
    BOOL ret;
    DWORD err;
    LPOVERLAPPED o;
    volatile LONG done;
};

static DWORD WINAPI gqcs_thread(LPVOID arg)
{
    struct waiter *w = (struct waiter *)arg;
    DWORD n = 0;
    ULONG_PTR k = 0;

    w->o = (LPOVERLAPPED)1;
    w->ret = GetQueuedCompletionStatus(w->port, &n, &k, &w->o, w->timeout);
    w->err = GetLastError();
    InterlockedExchange(&w->done, 1);
    return 0;
}

TEST(o252_close_releases_waiter_abandoned)
{
    struct waiter w;
    HANDLE t;

    memset(&w, 0, sizeof(w));
    w.port = new_port();
    w.timeout = INFINITE;
    t = harness_thread(gqcs_thread, &w);
    Sleep(100);
    CHECK_EQ(DONE(&w), 0);
    CHECK(CloseHandle(w.port));
    harness_join(t);
    CHECK(!w.ret);
    CHECK_EQ(w.err, ERROR_ABANDONED_WAIT_0);
    CHECK(w.o == NULL);
}

TEST(o253_invalid_port_invalid_handle)
{
    HANDLE p = new_port();
    DWORD n = 0;
    ULONG_PTR k = 0;
    LPOVERLAPPED o = (LPOVERLAPPED)1;

    CHECK(CloseHandle(p));
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(p, &n, &k, &o, 0));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK(o == NULL);
    SetLastError(0);
    CHECK(!PostQueuedCompletionStatus(p, 0, 0, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!PostQueuedCompletionStatus(NULL, 0, 0, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}

TEST(o254_event_low_bit_no_packet)
{
    SOCKET a, b;
    HANDLE p;
    WSAOVERLAPPED ov;
    WSAEVENT ev;
    char buf[8];
    DWORD n = 0;
    ULONG_PTR k = 0;
    LPOVERLAPPED o = NULL;

    p = port_pair(&a, &b, 1);
    ev = WSACreateEvent();
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = (HANDLE)((ULONG_PTR)ev | 1);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    harness_send_all(b, "abc", 3);
    CHECK(harness_signalled(ev, 2000));
    CHECK(ov.hEvent == (HANDLE)((ULONG_PTR)ev | 1));
    CHECK(!GetQueuedCompletionStatus(p, &n, &k, &o, 200));
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    CHECK(o == NULL);
    WSACloseEvent(ev);
    close_pair(a, b, p);
}

TEST(o256_ex_batches)
{
    HANDLE p = new_port();
    OVERLAPPED_ENTRY e[4];
    ULONG n = 99, i;

    for (i = 0; i < 5; i++)
        CHECK(PostQueuedCompletionStatus(p, i, 100 + i, (LPOVERLAPPED)(ULONG_PTR)(0x1000 + i)));
    CHECK(GetQueuedCompletionStatusEx(p, e, 3, &n, 0, FALSE));
    CHECK_EQ(n, 3);
    for (i = 0; i < 3; i++) {
        CHECK_EQ(e[i].lpCompletionKey, 100 + i);
        CHECK_EQ(e[i].dwNumberOfBytesTransferred, i);
        CHECK(e[i].lpOverlapped == (LPOVERLAPPED)(ULONG_PTR)(0x1000 + i));
        CHECK_EQ(e[i].Internal, 0);
    }
    n = 99;
    CHECK(GetQueuedCompletionStatusEx(p, e, 3, &n, 0, FALSE));
    CHECK_EQ(n, 2);
    CHECK_EQ(e[0].lpCompletionKey, 103);
    CHECK_EQ(e[1].lpCompletionKey, 104);
    CloseHandle(p);
}

TEST(o257_cancelled_recv_packet)
{
    SOCKET b;
    WSAOVERLAPPED ov;
    OVERLAPPED_ENTRY e[2];
    ULONG n = 0;
    HANDLE p = port_with_aborted_recv(&ov, &b);

    CHECK(GetQueuedCompletionStatusEx(p, e, 2, &n, 2000, FALSE));
    CHECK_EQ(n, 1);
    CHECK_EQ((DWORD)e[0].Internal, (DWORD)STATUS_CANCELLED);
    CHECK(e[0].lpOverlapped == &ov);
    CHECK_EQ(e[0].dwNumberOfBytesTransferred, 0);
    CHECK_EQ(e[0].lpCompletionKey, 9);
    closesocket(b);
    CloseHandle(p);
}

TEST(o257_failed_packet_gqcs_false_with_overlapped)
{
    SOCKET b;
    WSAOVERLAPPED ov;
    DWORD n = 1;
    ULONG_PTR k = 0;
    LPOVERLAPPED o = NULL;
    HANDLE p = port_with_aborted_recv(&ov, &b);

    CHECK(!GetQueuedCompletionStatus(p, &n, &k, &o, 2000));
    CHECK(o == &ov);
    CHECK_EQ(k, 9);
    CHECK_EQ(n, 0);
    CHECK_EQ(GetLastError(), ERROR_OPERATION_ABORTED);
    closesocket(b);
    CloseHandle(p);
}

TEST(o258_ex_timeout)
{
    HANDLE p = new_port();
    OVERLAPPED_ENTRY e[1];
    ULONG n = 99;
    double start = harness_now_ms();

    CHECK(!GetQueuedCompletionStatusEx(p, e, 1, &n, 100, FALSE));
    CHECK_ELAPSED_GE(start, 90);
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    CHECK_EQ(n, 0);
    CloseHandle(p);
}

static int apc_runs;

static void CALLBACK count_apc(ULONG_PTR data)
{
    (void)data;
    apc_runs++;
}

TEST(o259_ex_alertable_runs_routine)
{
    HANDLE p = new_port();
    OVERLAPPED_ENTRY e[1];
    ULONG n = 99;

    apc_runs = 0;
    CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0) != 0);
    CHECK(!GetQueuedCompletionStatusEx(p, e, 1, &n, INFINITE, TRUE));
    CHECK_EQ(GetLastError(), WAIT_IO_COMPLETION);
    CHECK_EQ(apc_runs, 1);
    CHECK_EQ(n, 0);
    CloseHandle(p);
}

TEST(o260_ex_packet_before_routine)
{
    HANDLE p = new_port();
    OVERLAPPED_ENTRY e[1];
    ULONG n = 99;

    apc_runs = 0;
    CHECK(PostQueuedCompletionStatus(p, 5, 6, NULL));
    CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0) != 0);
    CHECK(GetQueuedCompletionStatusEx(p, e, 1, &n, 0, TRUE));
    CHECK_EQ(n, 1);
    CHECK_EQ(e[0].lpCompletionKey, 6);
    SOFT_CHECK(apc_runs == 0);
    SleepEx(0, TRUE); /* drain the routine */
    CHECK_EQ(apc_runs, 1);
    CloseHandle(p);
}

TEST(o261_ex_count_zero_invalid_parameter)
{
    HANDLE p = new_port();
    OVERLAPPED_ENTRY e[1];
    ULONG n = 99;

    CHECK(PostQueuedCompletionStatus(p, 0, 0, NULL));
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatusEx(p, e, 0, &n, 0, FALSE));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(p);
}

TEST(o262_one_packet_releases_one_waiter)
{
    struct waiter w[2];
    HANDLE t[2], p = new_port();
    int i;

    memset(w, 0, sizeof(w));
    for (i = 0; i < 2; i++) {
        w[i].port = p;
        w[i].timeout = 5000;
        t[i] = harness_thread(gqcs_thread, &w[i]);
    }
    Sleep(100);
    CHECK(PostQueuedCompletionStatus(p, 1, 1, NULL));
    Sleep(300);
    CHECK_EQ(DONE(&w[0]) + DONE(&w[1]), 1);
    CHECK(PostQueuedCompletionStatus(p, 2, 2, NULL));
    for (i = 0; i < 2; i++) {
        harness_join(t[i]);
        CHECK(w[i].ret);
    }
    CloseHandle(p);
}

TEST(o263_immediate_recv_one_packet)
{
    SOCKET a, b;
    HANDLE p;
    WSAOVERLAPPED ov;

    p = port_pair(&a, &b, 3);
    immediate_recv(a, b, &ov, "hello");
    expect_packet(p, 1000, 5, 3, &ov);
    check_empty(p);
    close_pair(a, b, p);
}

TEST(o264_non_overlapped_calls_no_packet)
{
    SOCKET c, srv, l;
    HANDLE p = new_port();
    struct sockaddr_in addr = harness_loopback4(0);
    int len = sizeof(addr), r;
    fd_set wr;
    struct timeval tv = {2, 0};

    harness_startup();
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(CreateIoCompletionPort((HANDLE)c, p, 1, 0) == p);
    srv = harness_tcp_connect(c); /* blocking connect */
    CHECK_EQ(shutdown(c, SD_BOTH), 0);
    check_empty(p);
    closesocket(c);
    closesocket(srv);

    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK_EQ(bind(l, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CHECK_EQ(listen(l, 1), 0);
    CHECK_EQ(getsockname(l, (struct sockaddr *)&addr, &len), 0);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(CreateIoCompletionPort((HANDLE)c, p, 2, 0) == p);
    harness_set_nonblocking(c, TRUE);
    r = connect(c, (struct sockaddr *)&addr, sizeof(addr));
    CHECK(r == 0 || WSAGetLastError() == WSAEWOULDBLOCK);
    FD_ZERO(&wr);
    FD_SET(c, &wr);
    CHECK_EQ(select(0, NULL, &wr, NULL, &tv), 1);
    check_empty(p);
    closesocket(c);
    closesocket(l);
    CloseHandle(p);
}

TEST(o265_skip_completion_port_on_success)
{
    SOCKET a, b;
    HANDLE p;
    WSAOVERLAPPED ov;
    char buf[8];

    p = port_pair(&a, &b, 4);
    CHECK(SetFileCompletionNotificationModes((HANDLE)a, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS));
    immediate_recv(a, b, &ov, "now");
    check_empty(p);

    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    harness_send_all(b, "later", 5);
    expect_packet(p, 2000, 5, 4, &ov);
    close_pair(a, b, p);
}

static void CALLBACK unused_routine(DWORD err, DWORD cb, LPWSAOVERLAPPED ov, DWORD fl)
{
    (void)err;
    (void)cb;
    (void)ov;
    (void)fl;
    apc_runs++;
}

TEST(o_routine_on_associated_socket_einval)
{
    SOCKET a, b;
    HANDLE p;
    WSAOVERLAPPED ov;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD got = 0, flags = 0;

    p = port_pair(&a, &b, 4);
    harness_ov_init(&ov, FALSE);
    apc_runs = 0;
    CHECK_EQ(WSARecv(a, &wb, 1, &got, &flags, &ov, unused_routine), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    harness_send_all(b, "x", 1);
    SleepEx(100, TRUE);
    CHECK_EQ(apc_runs, 0);
    check_empty(p);
    close_pair(a, b, p);
}

TEST(o_gqcs_null_output_invalid_parameter)
{
    HANDLE p = new_port();
    DWORD n = 0;
    ULONG_PTR k = 0;
    LPOVERLAPPED o = NULL;

    HARNESS_WINE_CRASHES("GetQueuedCompletionStatus with a NULL output");
    CHECK(PostQueuedCompletionStatus(p, 1, 2, NULL));
    SetLastError(0);
    CHECK(!GetQueuedCompletionStatus(p, NULL, &k, &o, 0));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(!GetQueuedCompletionStatus(p, &n, NULL, &o, 0));
    CHECK(!GetQueuedCompletionStatus(p, &n, &k, NULL, 0));
    expect_packet(p, 0, 1, 2, NULL); /* nothing was dequeued */
    CloseHandle(p);
}

/* [Lib] posted packets come from a bounded pool (api.md 4.20): the post that finds it
 * exhausted fails with ERROR_NOT_ENOUGH_MEMORY, and closing the port gives them all back.
 * Windows' limit is the memory of the machine: wsaio only. */
TEST(o_post_pool_exhausted_not_enough_memory)
{
    HANDLE p;
    DWORD i;

    if (harness_on_wine())
        SKIP("wsaio's bounded post pool: Windows and Wine post until memory runs out");
    p = new_port();
    for (i = 0; i < (4u << 20) && PostQueuedCompletionStatus(p, i, i, NULL); i++)
        ;
    CHECK(i < (4u << 20));
    CHECK_EQ(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
    CHECK(CloseHandle(p));
    p = new_port();
    CHECK(PostQueuedCompletionStatus(p, 1, 1, NULL));
    expect_packet(p, 0, 1, 1, NULL);
    CloseHandle(p);
}
