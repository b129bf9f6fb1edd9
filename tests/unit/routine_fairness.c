/*
 * routine_fairness.c - a thread whose completion routines keep starting operations that
 * complete at once still gets the routines of its operations that went to the kernel.
 *
 * An alertable wait used to run every routine queued to the thread, including those queued
 * while it ran: a routine that posts the next receive on a socket with data waiting queues
 * its successor at once, so the wait kept running that socket's chain, and the completions
 * the kernel had for the thread's other sockets were reaped only once the chain ended (the
 * routine echo server at 300 connections: p99 11 ms against raw liburing's 1.2 ms, from one
 * thread). On Windows the kernel queues those completions as they happen, behind the
 * chain's. Here socket A has 64 KiB waiting, read 64 bytes a routine; socket B's receive is
 * in the kernel and its data arrives before the first wait: B's routine must run after a
 * few of A's, not after all 1024.
 */
#include "unit.h"

enum { CHUNK = 64, TOTAL = 65536 };

static SOCKET ya;
static char abuf[CHUNK], bbuf[8];
static WSAOVERLAPPED aov, bov;
static int a_runs, a_runs_at_b = -1, a_bytes;

static void post_a(void);

static void CALLBACK a_done(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    CHECK_EQ(err, 0);
    a_runs++;
    a_bytes += (int)n;
    if (a_bytes < TOTAL)
        post_a();
}

static void post_a(void)
{
    WSABUF wb = {CHUNK, abuf};
    DWORD n, flags = 0;

    memset(&aov, 0, sizeof(aov));
    if (WSARecv(ya, &wb, 1, &n, &flags, &aov, a_done) != 0)
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
}

static void CALLBACK b_done(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    CHECK_EQ(err, 0);
    CHECK_EQ(n, 1);
    a_runs_at_b = a_runs;
}

TEST(routine_fairness)
{
    static char big[TOTAL];
    WSABUF wb = {sizeof(bbuf), bbuf};
    DWORD n, flags = 0;
    int bufsize = 4 * TOTAL;
    SOCKET xa, xb, yb;

    harness_startup();
    harness_tcp_pair(&xa, &ya);
    harness_tcp_pair(&xb, &yb);
    CHECK_EQ(setsockopt(ya, SOL_SOCKET, SO_RCVBUF, (const char *)&bufsize, sizeof(bufsize)), 0);
    harness_send_all(xa, big, TOTAL);
    for (int tries = 0; tries < 500; tries++) { /* all of it queued at ya */
        u_long queued = 0;

        CHECK_EQ(ioctlsocket(ya, FIONREAD, &queued), 0);
        if (queued >= TOTAL)
            break;
        Sleep(2);
    }
    CHECK_EQ(WSARecv(yb, &wb, 1, &n, &flags, &bov, b_done), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    post_a();
    CHECK_EQ(send(xb, "b", 1, 0), 1);
    for (int waits = 0; a_runs_at_b < 0 && waits < 100000; waits++)
        SleepEx(1000, TRUE);
    printf("routine_fairness: B's routine ran after %d of A's %d routines\n", a_runs_at_b,
           TOTAL / CHUNK);
    CHECK(a_runs_at_b >= 0);
    CHECK(a_runs_at_b <= 40);
    while (a_bytes < TOTAL)
        SleepEx(1000, TRUE);
    closesocket(xa);
    closesocket(ya);
    closesocket(xb);
    closesocket(yb);
    WSACleanup();
}
