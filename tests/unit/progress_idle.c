/*
 * progress_idle.c - no idle wake-ups (issue 13): while a program thread keeps waiting
 * inside wsaio, the library's own threads (the progress thread) stay asleep, whatever is
 * in flight. Counted from the kernel's context-switch counts of every thread but the
 * caller (/proc/self/task/N/status), against the time the phase took: the progress thread
 * once looked every 2 ms while anything was in flight and no thread held the token, and
 * was woken at the end of every wait (about two wake-ups per 10 ms wait).
 */
#include "unit.h"

TEST(progress_idle)
{
    SOCKET a, b;
    char buf[64], msg[64] = "ping";
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0;
    WSAOVERLAPPED ov;
    WSAEVENT ev;
    unsigned long before;
    double t0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    ev = WSACreateEvent();
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = ev;
    CHECK_EQ(WSARecv(b, &wb, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    Sleep(20); /* the progress thread has seen the receive */

    /* A program's loop around a short timed wait, a receive pending all along. */
    before = unit_others_switches();
    t0 = unit_now_ms();
    for (int i = 0; i < 40; i++)
        CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 10, FALSE), WSA_WAIT_TIMEOUT);
    unit_check_quiet("40 waits of 10 ms", before, t0);

    /* One long wait. */
    before = unit_others_switches();
    t0 = unit_now_ms();
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 400, FALSE), WSA_WAIT_TIMEOUT);
    unit_check_quiet("one wait of 400 ms", before, t0);

    /* A one-thread ping-pong: the receive completes, the next one is posted, and so on. */
    before = unit_others_switches();
    t0 = unit_now_ms();
    for (int i = 0; i < 2000; i++) {
        CHECK_EQ(send(a, msg, sizeof(msg), 0), (int)sizeof(msg));
        CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
        CHECK(WSAResetEvent(ev));
        CHECK(HasOverlappedIoCompleted(&ov));
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = ev;
        if (WSARecv(b, &wb, 1, NULL, &flags, &ov, NULL) == SOCKET_ERROR)
            CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    }
    unit_check_quiet("2000 hops", before, t0);

    closesocket(a);
    closesocket(b);
    WSACloseEvent(ev);
    WSACleanup();
}
