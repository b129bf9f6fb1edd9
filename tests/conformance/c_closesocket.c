/*
 * c_closesocket.c - closesocket (spec/conformance.md section C, api.md 4.4 and 7).
 *
 * On Windows closesocket invalidates the handle at once (a second close gives WSAENOTSOCK)
 * and aborts every overlapped operation pending on the socket, whichever thread issued it:
 * each gets exactly one indication, with STATUS_CANCELLED (WSA_OPERATION_ABORTED) - Windows
 * 10 reports STATUS_CONNECTION_ABORTED for a receive pending on a connected stream, which
 * the tests accept. A thread blocked in accept on the socket is released. The event of a
 * WSAEventSelect is left alone. Linger decides between a graceful close in the background
 * (default, all data still delivered), a reset (SO_LINGER {1,0}) and, for a non-blocking
 * socket with a linger time-out, WSAEWOULDBLOCK with the socket left open.
 *
 * Items: 28, 29, 30, 32, 33, 35, 36, 37, 38, 39, plus the stressors (many pending
 * operations of both directions and both indication kinds; a descriptor reused right after
 * close). Left for the completion-port issue: 31 and 34 ([D], need a completion port).
 */
#include "harness.h"

TEST(c28_double_close_enotsock)
{
    SOCKET s;

    harness_startup();
    s = harness_tcp_socket();
    CHECK_EQ(closesocket(s), 0);
    WSASetLastError(0);
    CHECK_EQ(closesocket(s), SOCKET_ERROR);
    CHECK_ERR(WSAENOTSOCK);
}

TEST(c29_close_invalid_socket_enotsock)
{
    harness_startup();
    WSASetLastError(0);
    CHECK_EQ(closesocket(INVALID_SOCKET), SOCKET_ERROR);
    CHECK_ERR(WSAENOTSOCK);
}

TEST(c30_close_cancels_pending_recvfrom_event)
{
    SOCKET s;
    WSAOVERLAPPED ov;
    char buf[64];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0;
    struct sockaddr_in from;
    int fromlen = sizeof(from);

    harness_startup();
    s = harness_udp_socket(TRUE);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    CHECK_EQ(WSARecvFrom(s, &wb, 1, &n, &flags, (struct sockaddr *)&from, &fromlen, &ov, NULL),
             SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
    CHECK_EQ(closesocket(s), 0);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK_STATUS(&ov, STATUS_CANCELLED);
    CHECK_EQ(ov.InternalHigh, 0);
    WSACloseEvent(ov.hEvent);
}

/* A new socket given the number of a closed one must never see the old operation's result. */
TEST(c30_reused_descriptor_gets_no_old_result)
{
    SOCKET s1, s2, tx;
    WSAOVERLAPPED ov;
    static char old_buf[64];
    char buf[64];
    struct sockaddr_in to;
    int len = sizeof(to), i, round;
    DWORD old_status;

    harness_startup();
    tx = harness_udp_socket(TRUE);
    for (round = 0; round < 20; round++) {
        s1 = harness_udp_socket(TRUE);
        memset(old_buf, 0xAA, sizeof(old_buf));
        harness_ov_init(&ov, TRUE);
        harness_recv_pending(s1, &ov, old_buf, sizeof(old_buf), NULL);
        CHECK_EQ(closesocket(s1), 0);
        CHECK(harness_signalled(ov.hEvent, 1000));
        old_status = HARNESS_STATUS(&ov);
        CHECK(old_status != STATUS_PENDING);
        WSAResetEvent(ov.hEvent);

        /* Usually gets s1's number back; the check holds either way. */
        s2 = harness_udp_socket(TRUE);
        CHECK_EQ(getsockname(s2, (struct sockaddr *)&to, &len), 0);
        CHECK_EQ(sendto(tx, "fresh", 5, 0, (struct sockaddr *)&to, sizeof(to)), 5);
        CHECK_EQ(recv(s2, buf, sizeof(buf), 0), 5);
        CHECK(memcmp(buf, "fresh", 5) == 0);
        Sleep(5); /* time for a wrong completion to show: an absence gives no signal */
        CHECK(!harness_signalled(ov.hEvent, 0));
        CHECK_STATUS(&ov, old_status);
        CHECK_EQ(ov.InternalHigh, 0);
        for (i = 0; i < (int)sizeof(old_buf); i++)
            CHECK_EQ((unsigned char)old_buf[i], 0xAA);
        WSACloseEvent(ov.hEvent);
        closesocket(s2);
    }
    closesocket(tx);
}

/* Windows 10 reports STATUS_CONNECTION_ABORTED for a stream receive (api.md 9 item 2). */
static BOOL aborted_status(DWORD status)
{
    return status == (DWORD)STATUS_CANCELLED || status == (DWORD)STATUS_CONNECTION_ABORTED;
}

TEST(c32_close_cancels_pending_tcp_recv)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[64];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    CHECK_EQ(closesocket(a), 0);
    CHECK(harness_signalled(ov.hEvent, 1000));
    if (!aborted_status(HARNESS_STATUS(&ov)))
        CHECK_STATUS(&ov, STATUS_CANCELLED);
    CHECK_EQ(ov.InternalHigh, 0);
    WSACloseEvent(ov.hEvent);
    closesocket(b);
}

enum { MANY = 8, SEND_LEN = 65536 };
static int routine_calls[4 * MANY];
static DWORD routine_error[4 * MANY];
static WSAOVERLAPPED many_ov[4 * MANY];

static void CALLBACK count_routine(DWORD err, DWORD cb, LPWSAOVERLAPPED ov, DWORD fl)
{
    int i = (int)(ov - many_ov);

    (void)cb;
    (void)fl;
    if (i < 0 || i >= 4 * MANY)
        harness_fail(__FILE__, __LINE__, "routine called with a foreign OVERLAPPED");
    routine_calls[i]++;
    routine_error[i] = err;
}

/*
 * 8 receives with events, 8 with routines, then (the send path full) 8 sends with events
 * and 8 with routines; closesocket; every operation gets exactly one indication.
 */
TEST(c32_close_aborts_many_pending_both_directions)
{
    SOCKET a, b;
    static char rbuf[2 * MANY][16];
    static char sbuf[SEND_LEN];
    WSABUF wb;
    DWORD n;
    int i, rc, total;
    BOOL pending[4 * MANY];
    double start;

    /* Wine deviation: this close crashes wineserver 8.0, and every Wine test running beside
     * it (details in wine-deviations.txt). Natively it runs. */
    if (harness_on_wine())
        SKIP("Wine deviation: closing a socket with receives and sends pending crashes "
             "wineserver 8.0 (heap corruption), taking down the tests running beside it");
    harness_startup();
    harness_tcp_pair(&a, &b);
    for (i = 0; i < 2 * MANY; i++) {
        harness_ov_init(&many_ov[i], i < MANY);
        harness_recv_pending(a, &many_ov[i], rbuf[i], sizeof(rbuf[i]),
                             i < MANY ? NULL : count_routine);
        pending[i] = TRUE;
    }
    harness_fill_send_buffer(a);
    for (i = 2 * MANY; i < 4 * MANY; i++) {
        harness_ov_init(&many_ov[i], i < 3 * MANY);
        wb.len = SEND_LEN;
        wb.buf = sbuf;
        rc = WSASend(a, &wb, 1, &n, 0, &many_ov[i], i < 3 * MANY ? NULL : count_routine);
        if (rc == SOCKET_ERROR)
            CHECK_ERR(WSA_IO_PENDING);
        pending[i] = rc == SOCKET_ERROR;
    }
    CHECK_EQ(closesocket(a), 0);

    for (i = 0; i < 4 * MANY; i++) {
        if (many_ov[i].hEvent == NULL)
            continue;
        if (!harness_signalled(many_ov[i].hEvent, 1000))
            CHECK_EQ(i, -1); /* operation i got no indication */
        if (pending[i] && !aborted_status(HARNESS_STATUS(&many_ov[i])) &&
            HARNESS_STATUS(&many_ov[i]) != STATUS_SUCCESS)
            CHECK_STATUS(&many_ov[i], STATUS_CANCELLED);
    }
    /* Routines run in this thread's alertable waits; collect them for up to 1 s. */
    start = harness_now_ms();
    for (total = 0; total < 2 * MANY && harness_now_ms() - start < 1000;) {
        SleepEx(100, TRUE);
        total = 0;
        for (i = 0; i < 4 * MANY; i++)
            total += routine_calls[i];
    }
    SleepEx(100, TRUE); /* a doubled indication would show up here */
    for (i = 0; i < 4 * MANY; i++) {
        BOOL has_routine = (i >= MANY && i < 2 * MANY) || i >= 3 * MANY;

        CHECK_EQ(routine_calls[i], has_routine ? 1 : 0);
        if (has_routine && pending[i] && routine_error[i] != 0 &&
            routine_error[i] != WSAECONNABORTED)
            CHECK_EQ(routine_error[i], WSA_OPERATION_ABORTED);
        if (i < MANY && routine_error[i] != 0)
            CHECK_EQ(routine_error[i], 0);
        if (many_ov[i].hEvent)
            WSACloseEvent(many_ov[i].hEvent);
    }
    closesocket(b);
}

static int abort_calls;
static DWORD abort_err, abort_cb;

static void CALLBACK abort_routine(DWORD err, DWORD cb, LPWSAOVERLAPPED ov, DWORD fl)
{
    (void)ov;
    (void)fl;
    abort_calls++;
    abort_err = err;
    abort_cb = cb;
}

static DWORD WINAPI close_main(LPVOID arg)
{
    CHECK_EQ(closesocket((SOCKET)(ULONG_PTR)arg), 0);
    return 0;
}

TEST(c33_close_from_other_thread_runs_routine_aborted)
{
    SOCKET s;
    WSAOVERLAPPED ov;
    char buf[64];

    harness_startup();
    s = harness_udp_socket(TRUE);
    harness_ov_init(&ov, FALSE);
    harness_recv_pending(s, &ov, buf, sizeof(buf), abort_routine);
    harness_join(harness_thread(close_main, (void *)(ULONG_PTR)s));
    CHECK_EQ(SleepEx(1000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(abort_calls, 1);
    CHECK_EQ(abort_err, WSA_OPERATION_ABORTED);
    CHECK_EQ(abort_cb, 0);
    SleepEx(50, TRUE);
    CHECK_EQ(abort_calls, 1);
}

struct accept_arg {
    SOCKET listener;
    SOCKET result;
    double returned_at;
};

static DWORD WINAPI accept_main(LPVOID p)
{
    struct accept_arg *a = p;

    a->result = accept(a->listener, NULL, NULL);
    a->returned_at = harness_now_ms();
    return 0;
}

TEST(c35_close_listener_unblocks_accept)
{
    struct accept_arg arg;
    HANDLE t;
    double closed_at;

    harness_startup();
    harness_listener(&arg.listener, NULL);
    arg.result = 0;
    t = harness_thread(accept_main, &arg);
    Sleep(200); /* the thread into accept(): nothing shows from outside that it blocks */
    closed_at = harness_now_ms();
    CHECK_EQ(closesocket(arg.listener), 0);
    CHECK_EQ(WaitForSingleObject(t, 1000), WAIT_OBJECT_0);
    CloseHandle(t);
    CHECK(arg.result == INVALID_SOCKET);
    CHECK(arg.returned_at - closed_at < 1000);
}

TEST(c36_close_leaves_eventselect_event_alone)
{
    SOCKET a, b;
    WSAEVENT e;

    harness_startup();
    harness_tcp_pair(&a, &b);
    e = WSACreateEvent();
    CHECK_EQ(WSAEventSelect(a, e, FD_CLOSE | FD_READ), 0);
    CHECK(!harness_signalled(e, 0));
    CHECK_EQ(closesocket(a), 0);
    CHECK(!harness_signalled(e, 100));
    CHECK(WSASetEvent(e));
    CHECK(harness_signalled(e, 0));
    CHECK(WSACloseEvent(e));
    closesocket(b);
}

TEST(c37_linger_zero_resets_peer)
{
    SOCKET a, b;
    char buf[16];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_reset_close(a);
    WSASetLastError(0);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(b);
}

enum { MIB = 1 << 20 };

static DWORD WINAPI send_mib_and_close(LPVOID arg)
{
    SOCKET s = (SOCKET)(ULONG_PTR)arg;
    char *data = malloc(MIB);
    int i;

    CHECK(data != NULL);
    for (i = 0; i < MIB; i++)
        data[i] = (char)(i * 7 + i / 251);
    harness_send_all(s, data, MIB);
    CHECK_EQ(closesocket(s), 0);
    free(data);
    return 0;
}

TEST(c38_default_linger_delivers_all_data)
{
    SOCKET a, b;
    HANDLE t;
    char *got = malloc(MIB + 16);
    int total = 0, n, i;

    harness_startup();
    CHECK(got != NULL);
    harness_tcp_pair(&a, &b);
    t = harness_thread(send_mib_and_close, (void *)(ULONG_PTR)a);
    Sleep(50); /* let the sender reach closesocket with data still queued, where it can */
    while ((n = recv(b, got + total, MIB + 16 - total, 0)) > 0)
        total += n;
    CHECK_EQ(n, 0);
    CHECK_EQ(total, MIB);
    for (i = 0; i < MIB; i++)
        if (got[i] != (char)(i * 7 + i / 251))
            CHECK_EQ(i, -1);
    harness_join(t);
    free(got);
    closesocket(b);
}

TEST(c39_nonblocking_linger_wouldblock_keeps_socket)
{
    SOCKET a, b;
    struct linger lg;
    int type = 0, len = sizeof(type), rc;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_fill_send_buffer(a); /* a is non-blocking now, b never reads */
    lg.l_onoff = 1;
    lg.l_linger = 10;
    CHECK_EQ(setsockopt(a, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof(lg)), 0);
    WSASetLastError(0);
    rc = closesocket(a);
    SOFT_CHECK(rc == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK);
    if (rc == SOCKET_ERROR) {
        CHECK_EQ(getsockopt(a, SOL_SOCKET, SO_TYPE, (char *)&type, &len), 0);
        CHECK_EQ(type, SOCK_STREAM);
        harness_reset_close(a);
    }
    closesocket(b);
}
