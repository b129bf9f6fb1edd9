/*
 * h_overlapped_result.c - WSAGetOverlappedResult (spec/conformance.md section H, api.md 4.9).
 *
 * Windows reads the result of an overlapped operation from its OVERLAPPED: while Internal is
 * STATUS_PENDING it fails with WSA_IO_INCOMPLETE (fWait FALSE) or waits non-alertably on
 * hEvent with bit 0 cleared (fWait TRUE); once complete it copies InternalHigh to
 * *lpcbTransfer and maps Internal through the WSA column of constants.md 9 (unknown
 * failures: WSAEINVAL). It checks the socket first, never changes the event, and clears the
 * last error on success.
 *
 * Items: 108-119. Left for the completion-port issue: 120 ([D], GetOverlappedResult, optional).
 */
#include "harness.h"

TEST(h108_pending_incomplete_outputs_unchanged)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD n = 0xDEADBEEF, f = 0xDEADBEEF;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    WSASetLastError(0);
    CHECK(!WSAGetOverlappedResult(a, &ov, &n, FALSE, &f));
    CHECK_ERR(WSA_IO_INCOMPLETE);
    CHECK_EQ(n, 0xDEADBEEF);
    CHECK_EQ(f, 0xDEADBEEF);
    closesocket(a);
    harness_signalled(ov.hEvent, 1000);
    WSACloseEvent(ov.hEvent);
    closesocket(b);
}

TEST(h109_wait_true_waits_for_data)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD n = 0, f = 0;
    HANDLE t;
    double start;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    t = harness_delayed_send(b, "abc", 3, 200);
    start = harness_now_ms();
    CHECK(WSAGetOverlappedResult(a, &ov, &n, TRUE, &f));
    CHECK_ELAPSED_GE(start, 150);
    CHECK_EQ(n, 3);
    CHECK(memcmp(buf, "abc", 3) == 0);
    harness_join(t);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

static int routine_runs;

static void CALLBACK count_routine(DWORD err, DWORD cb, LPWSAOVERLAPPED ov, DWORD fl)
{
    (void)err;
    (void)cb;
    (void)ov;
    (void)fl;
    routine_runs++;
}

static void CALLBACK count_apc(ULONG_PTR arg)
{
    (void)arg;
    routine_runs++;
}

TEST(h110_wait_true_does_not_run_routines)
{
    SOCKET a, b, c, d;
    WSAOVERLAPPED ov, rov;
    char buf[8], rbuf[8];
    WSABUF wb = {sizeof(rbuf), rbuf};
    DWORD n = 0, f = 0, rn = 0, rf = 0;
    HANDLE t;
    int rc;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_tcp_pair(&c, &d);
    /* A routine that is queued (immediate completion, or soon after) */
    harness_send_all(d, "r", 1);
    harness_wait_queued(c, 1);
    harness_ov_init(&rov, FALSE);
    rc = WSARecv(c, &wb, 1, &rn, &rf, &rov, count_routine);
    if (rc != 0)
        CHECK_ERR(WSA_IO_PENDING);
    CHECK(harness_wait_until(harness_ov_completed, &rov, 5000));

    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    t = harness_delayed_send(b, "abc", 3, 200);
    CHECK(WSAGetOverlappedResult(a, &ov, &n, TRUE, &f));
    CHECK_EQ(n, 3);
    CHECK_EQ(routine_runs, 0);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_runs, 1);
    harness_join(t);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
    closesocket(c);
    closesocket(d);
}

TEST(h111_bad_socket_enotsock)
{
    WSAOVERLAPPED ov;
    DWORD n, f;

    harness_startup();
    harness_ov_init(&ov, FALSE);
    WSASetLastError(0);
    CHECK(!WSAGetOverlappedResult((SOCKET)0xdeadbeef, &ov, &n, FALSE, &f));
    CHECK_ERR(WSAENOTSOCK);
}

static const struct {
    DWORD status;
    BOOL ok;
    int error;
} status_table[] = {
    {0x00000000, TRUE, 0},
    {0x80000005, FALSE, WSAEMSGSIZE},
    {0xC0000005, FALSE, WSAEFAULT},
    {0xC0000008, FALSE, WSAENOTSOCK},
    {0xC000000D, FALSE, WSAEINVAL},
    {0xC0000017, FALSE, WSAENOBUFS},
    {0xC0000022, FALSE, WSAEACCES},
    {0xC0000023, FALSE, WSAEFAULT},
    {0xC0000024, FALSE, WSAENOTSOCK},
    {0xC0000043, FALSE, WSAEADDRINUSE},
    {0xC00000A3, FALSE, WSAEWOULDBLOCK},
    {0xC00000B0, FALSE, WSAESHUTDOWN},
    {0xC00000B5, FALSE, WSAETIMEDOUT},
    {0xC00000BB, FALSE, WSAEOPNOTSUPP},
    {0xC00000BF, FALSE, WSAENETDOWN},
    {0xC0000120, FALSE, WSA_OPERATION_ABORTED},
    {0xC000013B, FALSE, WSAECONNABORTED},
    {0xC000013C, FALSE, WSAECONNRESET},
    {0xC0000140, FALSE, WSAENOTCONN},
    {0xC0000141, FALSE, WSAEADDRNOTAVAIL},
    {0xC000020A, FALSE, WSAEADDRINUSE},
    {0xC000020C, FALSE, WSAECONNRESET},
    {0xC000020D, FALSE, WSAECONNRESET},
    {0xC0000236, FALSE, WSAECONNREFUSED},
    {0xC0000237, FALSE, WSAEDISCON},
    {0xC000023C, FALSE, WSAENETUNREACH},
    {0xC000023D, FALSE, WSAEHOSTUNREACH},
    {0xC000023F, FALSE, WSAECONNRESET},
    {0xC0000241, FALSE, WSAECONNABORTED},
    {0xC0000999, FALSE, WSAEINVAL}, /* not in the table: WSAEINVAL */
};

TEST(h112_status_table_mapping)
{
    SOCKET s;
    WSAOVERLAPPED ov;
    DWORD n, f;
    size_t i;
    BOOL r;

    harness_startup();
    s = harness_udp_socket(TRUE);
    for (i = 0; i < sizeof(status_table) / sizeof(status_table[0]); i++) {
        harness_ov_init(&ov, FALSE);
        ov.Internal = status_table[i].status;
        WSASetLastError(0xDEADBEEF);
        r = WSAGetOverlappedResult(s, &ov, &n, FALSE, &f);
        if (r != status_table[i].ok || WSAGetLastError() != status_table[i].error)
            harness_fail(__FILE__, __LINE__,
                         "status 0x%08lx: got %d error %d, expected %d error %d",
                         (unsigned long)status_table[i].status, (int)r, WSAGetLastError(),
                         (int)status_table[i].ok, status_table[i].error);
    }
    closesocket(s);
}

TEST(h113_failure_status_reports_bytes)
{
    SOCKET s;
    WSAOVERLAPPED ov;
    DWORD n = 0, f;

    harness_startup();
    s = harness_udp_socket(TRUE);
    harness_ov_init(&ov, FALSE);
    ov.Internal = STATUS_BUFFER_OVERFLOW;
    ov.InternalHigh = 10;
    CHECK(!WSAGetOverlappedResult(s, &ov, &n, FALSE, &f));
    CHECK_EQ(n, 10);
    ov.Internal = STATUS_CONNECTION_RESET;
    n = 0;
    CHECK(!WSAGetOverlappedResult(s, &ov, &n, FALSE, &f));
    CHECK_EQ(n, 10);
    closesocket(s);
}

/* A receive of "hi" completed on a, ov's event signalled. */
static void completed_recv(SOCKET *a, SOCKET *b, WSAOVERLAPPED *ov, char *buf)
{
    harness_tcp_pair(a, b);
    harness_ov_init(ov, TRUE);
    harness_recv_pending(*a, ov, buf, 8, NULL);
    harness_send_all(*b, "hi", 2);
    CHECK(harness_signalled(ov->hEvent, 1000));
}

TEST(h114_null_flags_tolerated)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD n = 0;

    harness_startup();
    completed_recv(&a, &b, &ov, buf);
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, NULL));
    CHECK_EQ(n, 2);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(h115_null_overlapped_efault)
{
    SOCKET s;
    DWORD n, f;

    harness_startup();
    s = harness_udp_socket(TRUE);
    WSASetLastError(0);
    CHECK(!WSAGetOverlappedResult(s, NULL, &n, FALSE, &f));
    CHECK_ERR(WSAEFAULT);
    closesocket(s);
}

/* lpOverlapped a pointer no program can own: FALSE with WSAEFAULT, as for NULL. */
TEST(h115_bad_overlapped_pointer_efault)
{
    SOCKET s;
    DWORD n, f;

    HARNESS_WINE_CRASHES("WSAGetOverlappedResult with a bad lpOverlapped");
    harness_startup();
    s = harness_udp_socket(TRUE);
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        WSASetLastError(0);
        CHECK(!WSAGetOverlappedResult(s, harness_bad_ptr[i], &n, FALSE, &f));
        CHECK_ERR(WSAEFAULT);
    }
    closesocket(s);
}

/* lpcbTransfer or lpdwFlags a pointer no program can own, on a completed receive: FALSE
 * with WSAEFAULT (api.md 4.9), and the result is still there for a good call. */
TEST(h_api4_9_bad_count_or_flags_pointer_efault)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD n = 0, f = 0;

    HARNESS_WINE_CRASHES("WSAGetOverlappedResult with a bad lpcbTransfer");
    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    harness_send_all(b, "abc", 3);
    CHECK(harness_signalled(ov.hEvent, 5000));
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        WSASetLastError(0);
        CHECK(!WSAGetOverlappedResult(a, &ov, harness_bad_ptr[i], FALSE, &f));
        CHECK_ERR(WSAEFAULT);
        WSASetLastError(0);
        CHECK(!WSAGetOverlappedResult(a, &ov, &n, FALSE, harness_bad_ptr[i]));
        CHECK_ERR(WSAEFAULT);
    }
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &f));
    CHECK_EQ(n, 3);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(h116_repeat_calls_same_result)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD n1 = 0, n2 = 0, f1 = 1, f2 = 1;

    harness_startup();
    completed_recv(&a, &b, &ov, buf);
    CHECK(WSAGetOverlappedResult(a, &ov, &n1, FALSE, &f1));
    CHECK(WSAGetOverlappedResult(a, &ov, &n2, FALSE, &f2));
    CHECK_EQ(n1, 2);
    CHECK_EQ(n2, n1);
    CHECK_EQ(f2, f1);
    CHECK(harness_signalled(ov.hEvent, 0));
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(h117_low_bit_event_waits_on_event)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    WSAEVENT e;
    char buf[8];
    DWORD n = 0, f = 0;
    HANDLE t;

    harness_startup();
    harness_tcp_pair(&a, &b);
    e = WSACreateEvent();
    harness_ov_init(&ov, FALSE);
    ov.hEvent = (HANDLE)((ULONG_PTR)e | 1);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    CHECK_EQ((ULONG_PTR)ov.hEvent, (ULONG_PTR)e | 1);
    t = harness_delayed_send(b, "abc", 3, 100);
    CHECK(WSAGetOverlappedResult(a, &ov, &n, TRUE, &f));
    CHECK_EQ(n, 3);
    CHECK(harness_signalled(e, 0));
    harness_join(t);
    WSACloseEvent(e);
    closesocket(a);
    closesocket(b);
}

/*
 * fWait TRUE waits on hEvent (api.md 4.9), not on the operation: when the program itself
 * sets the event while the receive is still pending, the call returns. Windows then reads
 * the OVERLAPPED as it is: STATUS_PENDING is a success status, so TRUE with InternalHigh
 * (0) as the count, and the receive stays pending.
 */
TEST(h_api4_9_wait_returns_when_program_sets_event)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD n = 0xDEADBEEF, f = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    CHECK(WSASetEvent(ov.hEvent));
    harness_watchdog_start(5000, "WSAGetOverlappedResult(fWait TRUE) with hEvent set");
    CHECK(WSAGetOverlappedResult(a, &ov, &n, TRUE, &f));
    harness_watchdog_stop();
    CHECK_EQ(n, 0);
    CHECK_STATUS(&ov, STATUS_PENDING);
    /* Still pending: the data completes it as usual. */
    CHECK(WSAResetEvent(ov.hEvent));
    harness_send_all(b, "abc", 3);
    CHECK(harness_signalled(ov.hEvent, 5000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, TRUE, &f));
    CHECK_EQ(n, 3);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

/*
 * fWait TRUE on an auto-reset event (with the low bit set, as a program that keeps the
 * completion off a port does): the wait must not use the event up. api.md 4.9 [Lib]: the
 * call never changes the event's state and gives the same result from any thread; an event
 * taken by the first of two waiting threads would leave the second asleep for ever. Here the
 * program sets the event while the receive pends, so the call waits without a thread.
 */
TEST(h_api4_9_wait_leaves_auto_reset_event_set)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    HANDLE ev;
    char buf[8];
    DWORD n = 0xDEADBEEF, f = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    ev = CreateEventA(NULL, FALSE, FALSE, NULL);
    CHECK(ev != NULL);
    harness_ov_init(&ov, FALSE);
    ov.hEvent = (HANDLE)((ULONG_PTR)ev | 1);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    CHECK(SetEvent(ev));
    harness_watchdog_start(5000, "WSAGetOverlappedResult(fWait TRUE) with an auto-reset event");
    CHECK(WSAGetOverlappedResult(a, &ov, &n, TRUE, &f));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, TRUE, &f)); /* a second waiter is released too */
    harness_watchdog_stop();
    CHECK_EQ(n, 0);
    CHECK_STATUS(&ov, STATUS_PENDING);
    CHECK_EQ(WaitForSingleObject(ev, 0), WAIT_OBJECT_0); /* still set: this wait takes it */
    harness_send_all(b, "abc", 3);
    CHECK(harness_signalled(ev, 5000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, TRUE, &f));
    CHECK_EQ(n, 3);
    CHECK_EQ(WaitForSingleObject(ev, 0), WAIT_TIMEOUT); /* completed: no wait, untouched */
    CloseHandle(ev);
    closesocket(a);
    closesocket(b);
}

TEST(h118_closed_event_invalid_handle)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD n = 0, f = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    CHECK(WSACloseEvent(ov.hEvent));
    WSASetLastError(0);
    CHECK(!WSAGetOverlappedResult(a, &ov, &n, TRUE, &f));
    CHECK_ERR(WSA_INVALID_HANDLE);
    closesocket(a);
    closesocket(b);
}

TEST(h119_success_clears_last_error)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD n = 0, f = 0;

    harness_startup();
    completed_recv(&a, &b, &ov, buf);
    WSASetLastError(0xDEADBEEF);
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &f));
    CHECK_ERR(0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

/* ---- GetOverlappedResult(Ex) (api.md 4.27): the same, with Win32 codes -------------- */

/* A TCP pair with a receive into buf pending on *a. */
static void pending_pair(SOCKET *a, SOCKET *b, WSAOVERLAPPED *ov, char *buf, BOOL with_event)
{
    harness_startup();
    harness_tcp_pair(a, b);
    harness_ov_init(ov, with_event);
    harness_recv_pending(*a, ov, buf, 8, NULL);
}

TEST(h_api4_27_pending_io_incomplete_then_wait)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD n = 0xDEADBEEF;
    HANDLE t;

    pending_pair(&a, &b, &ov, buf, TRUE);
    SetLastError(0);
    CHECK(!GetOverlappedResult((HANDLE)a, &ov, &n, FALSE));
    CHECK_EQ(GetLastError(), ERROR_IO_INCOMPLETE);
    t = harness_delayed_send(b, "abc", 3, 100);
    CHECK(GetOverlappedResult((HANDLE)a, &ov, &n, TRUE));
    CHECK_EQ(n, 3);
    CHECK(memcmp(buf, "abc", 3) == 0);
    harness_join(t);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(h_api4_27_no_event_waits_for_operation)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD n = 0;
    HANDLE t;

    pending_pair(&a, &b, &ov, buf, FALSE);
    t = harness_delayed_send(b, "wxyz", 4, 100);
    CHECK(GetOverlappedResult((HANDLE)a, &ov, &n, TRUE));
    CHECK_EQ(n, 4);
    harness_join(t);
    closesocket(a);
    closesocket(b);
}

TEST(h_api4_27_failures_use_win32_codes)
{
    SOCKET s;
    WSAOVERLAPPED ov;
    DWORD n = 0;

    harness_startup();
    s = harness_udp_socket(TRUE);
    harness_ov_init(&ov, FALSE);
    ov.Internal = STATUS_CONNECTION_RESET;
    ov.InternalHigh = 7;
    CHECK(!GetOverlappedResult((HANDLE)s, &ov, &n, FALSE));
    CHECK_EQ(GetLastError(), ERROR_NETNAME_DELETED);
    CHECK_EQ(n, 7);
    ov.Internal = STATUS_CANCELLED;
    CHECK(!GetOverlappedResult((HANDLE)s, &ov, &n, FALSE));
    CHECK_EQ(GetLastError(), ERROR_OPERATION_ABORTED);
    ov.Internal = STATUS_BUFFER_OVERFLOW;
    CHECK(!GetOverlappedResult((HANDLE)s, &ov, &n, FALSE));
    CHECK_EQ(GetLastError(), ERROR_MORE_DATA);
    ov.Internal = STATUS_SUCCESS;
    CHECK(GetOverlappedResult((HANDLE)s, &ov, &n, FALSE));
    closesocket(s);
}

TEST(h_api4_27_not_a_socket_invalid_handle)
{
    WSAOVERLAPPED ov;
    DWORD n = 0;

    /* The handle matters only when the call must wait on it: pending, bWait, no hEvent (a
     * finished operation's result is read whatever the handle, as on Windows). */
    harness_startup();
    harness_ov_init(&ov, FALSE);
    ov.Internal = STATUS_PENDING;
    SetLastError(0);
    CHECK(!GetOverlappedResult((HANDLE)(ULONG_PTR)0xdead, &ov, &n, TRUE));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    ov.Internal = STATUS_SUCCESS;
    ov.InternalHigh = 5;
    CHECK(GetOverlappedResult((HANDLE)(ULONG_PTR)0xdead, &ov, &n, FALSE));
    CHECK_EQ(n, 5);
}

TEST(h_api4_27_ex_timeout_then_alertable_routine)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];
    DWORD n = 0;
    double start;

    pending_pair(&a, &b, &ov, buf, TRUE);
    start = harness_now_ms();
    CHECK(!GetOverlappedResultEx((HANDLE)a, &ov, &n, 150, FALSE));
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    CHECK_ELAPSED_GE(start, 100);
    routine_runs = 0;
    CHECK(QueueUserAPC(count_apc, GetCurrentThread(), 0));
    CHECK(!GetOverlappedResultEx((HANDLE)a, &ov, &n, INFINITE, TRUE));
    CHECK_EQ(GetLastError(), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_runs, 1);
    harness_send_all(b, "ok", 2);
    CHECK(GetOverlappedResultEx((HANDLE)a, &ov, &n, 5000, FALSE));
    CHECK_EQ(n, 2);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}
