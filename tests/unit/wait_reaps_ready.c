/*
 * wait_reaps_ready.c - a wait satisfied at once still delivers the completions the kernel
 * has ready (issue 13, fairness).
 *
 * An event server under load always has some event set by an operation that completed
 * during its call, so its wait on all of them returns at once, time after time. Such a wait
 * used to check its objects and return without reaping: an operation that had gone to the
 * kernel then stayed undelivered until the progress thread's next look (2 to 64 ms), and
 * its connection was served far later than the others (p99 1 ms at 50 connections against
 * raw liburing's 0.2 ms). Here a receive goes to the kernel, its data arrives, and the
 * thread loops on a wait that an always-set event satisfies (WaitForMultipleObjects, and
 * WSAWaitForMultipleEvents as the event server calls it) with one system call between
 * waits, as a server makes: the receive must be seen complete within a few waits.
 */
#include <sched.h>

#include "unit.h"

#define WAITS 40 /* epoll looks at the kernel's ready list every 16th wait (loop.c) */

TEST(wait_reaps_ready)
{
    static char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    WSAOVERLAPPED ov = {0};
    DWORD n, flags = 0;
    HANDLE set = CreateEventA(NULL, TRUE, TRUE, NULL);
    SOCKET x, y;
    int worst = 0;

    harness_startup();
    harness_tcp_pair(&x, &y);
    ov.hEvent = WSACreateEvent();
    for (int round = 0; round < 30; round++) {
        HANDLE both[2] = {set, ov.hEvent};
        int waits = 0;

        flags = 0;
        CHECK_EQ(WSARecv(y, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        CHECK_EQ(send(x, "m", 1, 0), 1);
        while (!HasOverlappedIoCompleted(&ov) && waits < WAITS) {
            if (round % 2)
                CHECK_EQ(WSAWaitForMultipleEvents(2, both, FALSE, WSA_INFINITE, FALSE),
                         WSA_WAIT_EVENT_0);
            else
                CHECK_EQ(WaitForMultipleObjects(2, both, FALSE, INFINITE), WAIT_OBJECT_0);
            sched_yield();
            waits++;
        }
        worst = waits > worst ? waits : worst;
        CHECK(HasOverlappedIoCompleted(&ov));
        CHECK(WSAGetOverlappedResult(y, &ov, &n, FALSE, &flags));
        CHECK_EQ(n, 1);
        WSAResetEvent(ov.hEvent);
    }
    printf("wait_reaps_ready: at most %d waits before the completion was seen\n", worst);
    WSACloseEvent(ov.hEvent);
    CloseHandle(set);
    closesocket(x);
    closesocket(y);
    WSACleanup();
}
