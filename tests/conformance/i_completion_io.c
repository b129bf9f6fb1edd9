/*
 * i_completion_io.c - completion indications with real socket I/O (spec/conformance.md
 * section I, and L item 194; api.md 2 and 3).
 *
 * On Windows an overlapped operation with a completion routine queues that routine to the
 * issuing thread when it completes - also when it completes during the call - and the
 * routine runs only in that thread's alertable waits, one at a time, never nested; hEvent
 * is then the program's own field and is never touched. Without routine, the event is
 * reset at issue and set at completion; with neither, the program polls
 * HasOverlappedIoCompleted. A call that fails never runs the routine; a thread's exit does
 * not cancel its operations.
 *
 * Items: 121 (also a routine queued to a sleeper that has I/O pending), 122, 126, 127,
 * 128, 130, 131, 132, 136, and L 194. Items 123-125 and 133-135 (no I/O needed) are in
 * i_alertable.c. Left for the completion-port issue: 129
 * ([D], needs a completion port).
 */
#include "harness.h"

static int calls;
static DWORD last_err, last_cb, last_flags;
static LPWSAOVERLAPPED last_ov;

static void CALLBACK record_routine(DWORD err, DWORD cb, LPWSAOVERLAPPED ov, DWORD fl)
{
    calls++;
    last_err = err;
    last_cb = cb;
    last_ov = ov;
    last_flags = fl;
}

TEST(i121_routine_runs_once_in_sleepex)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, FALSE);
    ov.hEvent = (HANDLE)0x1234;
    harness_recv_pending(a, &ov, buf, sizeof(buf), record_routine);
    harness_send_all(b, "abcd", 4);
    CHECK_EQ(SleepEx(1000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(calls, 1);
    CHECK_EQ(last_err, 0);
    CHECK_EQ(last_cb, 4);
    CHECK(last_ov == &ov);
    CHECK_EQ(last_flags, 0);
    CHECK(ov.hEvent == (HANDLE)0x1234);
    CHECK_EQ(SleepEx(50, TRUE), 0);
    CHECK_EQ(calls, 1);
    closesocket(a);
    closesocket(b);
}

TEST(i122_routine_leaves_event_alone)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    WSAEVENT e;
    char buf[16];

    harness_startup();
    harness_tcp_pair(&a, &b);
    e = WSACreateEvent();
    harness_ov_init(&ov, FALSE);
    ov.hEvent = e;
    harness_recv_pending(a, &ov, buf, sizeof(buf), record_routine);
    harness_send_all(b, "abcd", 4);
    CHECK_EQ(SleepEx(1000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(calls, 1);
    CHECK(!harness_signalled(e, 0));
    WSACloseEvent(e);
    closesocket(a);
    closesocket(b);
}

static SOCKET chain_sock;
static WSAOVERLAPPED chain_ov;
static char chain_buf[4];
static int depth, max_depth, chain_runs;

static void CALLBACK chain_routine(DWORD err, DWORD cb, LPWSAOVERLAPPED ov, DWORD fl)
{
    (void)cb;
    (void)ov;
    (void)fl;
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    chain_runs++;
    if (err == 0 && chain_runs < 20) {
        WSABUF wb = {1, chain_buf};
        static DWORD flags;
        DWORD n;
        int rc;

        flags = 0;
        harness_ov_init(&chain_ov, FALSE);
        rc = WSARecv(chain_sock, &wb, 1, &n, &flags, &chain_ov, chain_routine);
        if (rc != 0 && WSAGetLastError() != WSA_IO_PENDING)
            harness_fail(__FILE__, __LINE__, "re-issued WSARecv failed: %d", WSAGetLastError());
    }
    depth--;
}

TEST(i126_routines_never_nest)
{
    SOCKET b;
    static char data[20];
    double start;

    harness_startup();
    harness_tcp_pair(&chain_sock, &b);
    harness_ov_init(&chain_ov, FALSE);
    harness_recv_pending(chain_sock, &chain_ov, chain_buf, 1, chain_routine);
    memset(data, 'z', sizeof(data));
    harness_send_all(b, data, sizeof(data)); /* 20 one-byte receives complete at once */
    start = harness_now_ms();
    while (chain_runs < 20 && harness_now_ms() - start < 1500)
        SleepEx(100, TRUE);
    CHECK_EQ(chain_runs, 20);
    CHECK_EQ(max_depth, 1);
    closesocket(chain_sock);
    closesocket(b);
}

TEST(i127_immediate_completion_routine_deferred)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD n = 0, flags = 0;
    int rc;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "abcd", 4);
    harness_wait_queued(a, 4);
    harness_ov_init(&ov, FALSE);
    rc = WSARecv(a, &wb, 1, &n, &flags, &ov, record_routine);
    if (rc != 0) {
        CHECK_ERR(WSA_IO_PENDING); /* allowed (api.md 1.3); then wait for it */
        Sleep(50); /* until the routine is queued: only running it (alertably) would show */
    } else {
        CHECK_EQ(n, 4);
    }
    CHECK_EQ(calls, 0);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(calls, 1);
    CHECK_EQ(last_cb, 4);
    closesocket(a);
    closesocket(b);
}

TEST(i128_failed_call_never_runs_routine)
{
    SOCKET s;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD n = 0, flags = 0;

    harness_startup();
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    harness_ov_init(&ov, FALSE);
    WSASetLastError(0);
    CHECK_EQ(WSARecv(s, &wb, 1, &n, &flags, &ov, record_routine), SOCKET_ERROR);
    CHECK_ERR(WSAENOTCONN);
    CHECK_EQ(SleepEx(100, TRUE), 0);
    CHECK_EQ(calls, 0);
    closesocket(s);
}

TEST(i130_no_event_no_routine_polling)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];
    DWORD n = 0, flags = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, FALSE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    harness_send_all(b, "abcd", 4);
    CHECK(harness_wait_until(harness_ov_completed, &ov, 1000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 4);
    closesocket(a);
    closesocket(b);
}

TEST(i131_event_reset_at_issue)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[16];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    CHECK(WSASetEvent(ov.hEvent));
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    CHECK(!harness_signalled(ov.hEvent, 0));
    closesocket(a);
    harness_signalled(ov.hEvent, 1000);
    WSACloseEvent(ov.hEvent);
    closesocket(b);
}

struct issuer {
    SOCKET s;
    WSAOVERLAPPED *ov;
    char *buf;
};

static DWORD WINAPI issue_and_exit(LPVOID p)
{
    struct issuer *is = p;

    harness_recv_pending(is->s, is->ov, is->buf, 16, NULL);
    return 0;
}

TEST(i132_thread_exit_does_not_cancel)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    static char buf[16];
    struct issuer is;
    DWORD n = 0, flags = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    is.s = a;
    is.ov = &ov;
    is.buf = buf;
    harness_join(harness_thread(issue_and_exit, &is));
    Sleep(50); /* let a wrong cancellation on thread exit happen: it would show only later */
    harness_send_all(b, "abcd", 4);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 4);
    CHECK(memcmp(buf, "abcd", 4) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

/* A thread with an operation pending sleeps alertably; a routine queued to it from a thread
 * that never waits (it spins) must still wake it. (wsaio once missed this: the sleeper was
 * reaping completions inside io_uring, where only a set event reached it.) */
static LONG sleeper_results;

static void CALLBACK mark_apc(ULONG_PTR data)
{
    SetEvent((HANDLE)data);
}

static DWORD WINAPI issue_then_sleep(LPVOID p)
{
    struct issuer *is = p;

    harness_recv_pending(is->s, is->ov, is->buf, 16, record_routine);
    while (calls == 0) /* our routine, then the receive's (closesocket aborts it) */
        if (SleepEx(INFINITE, TRUE) == WAIT_IO_COMPLETION)
            sleeper_results++;
    return 0;
}

TEST(i121_queued_routine_wakes_sleeper_with_io_pending)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    static char buf[16];
    struct issuer is;
    HANDLE t, ran = CreateEvent(NULL, TRUE, FALSE, NULL);
    double t0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, FALSE);
    is.s = a;
    is.ov = &ov;
    is.buf = buf;
    t = harness_thread(issue_then_sleep, &is);
    /* Spin rather than sleep (a zero-timeout poll never sleeps): a real wait of this
     * thread could itself wake the sleeper. */
    for (t0 = harness_now_ms(); harness_now_ms() - t0 < 200;)
        ;
    CHECK(QueueUserAPC(mark_apc, t, (ULONG_PTR)ran) != 0);
    for (t0 = harness_now_ms();
         WaitForSingleObject(ran, 0) != WAIT_OBJECT_0 && harness_now_ms() - t0 < 2000;)
        ;
    CHECK_EQ(WaitForSingleObject(ran, 0), WAIT_OBJECT_0);
    CHECK_ELAPSED_LT(t0, 1000);
    closesocket(a); /* aborts the receive: its routine ends the sleeper's loop */
    harness_join(t);
    CHECK_EQ(calls, 1);
    CHECK_EQ(sleeper_results, 2);
    /* The abort's code is the C cases' business (Wine differs there, see c33). */
    CloseHandle(ran);
    closesocket(b);
}

TEST(i136_immediate_send_routine_gets_count)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char data[100];
    WSABUF wb = {sizeof(data), data};
    DWORD n = 0;
    int rc;

    harness_startup();
    harness_tcp_pair(&a, &b);
    memset(data, 's', sizeof(data));
    harness_ov_init(&ov, FALSE);
    rc = WSASend(a, &wb, 1, &n, 0, &ov, record_routine);
    if (rc != 0) {
        CHECK_ERR(WSA_IO_PENDING);
        Sleep(50); /* until the routine is queued: only running it (alertably) would show */
    }
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(calls, 1);
    CHECK_EQ(last_err, 0);
    CHECK_EQ(last_cb, sizeof(data));
    closesocket(a);
    closesocket(b);
}

TEST(l194_alertable_infinite_wait_runs_recv_routine)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    WSAEVENT never = WSACreateEvent();
    char buf[16];
    HANDLE t;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, FALSE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), record_routine);
    t = harness_delayed_send(b, "late", 4, 100);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &never, FALSE, WSA_INFINITE, TRUE),
             WSA_WAIT_IO_COMPLETION);
    CHECK_EQ(calls, 1);
    CHECK_EQ(last_cb, 4);
    harness_join(t);
    WSACloseEvent(never);
    closesocket(a);
    closesocket(b);
}
