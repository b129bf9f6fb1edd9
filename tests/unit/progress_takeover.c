/*
 * progress_takeover.c - progress when no thread that could reap is waiting.
 *
 * One thread sleeps in a long Sleep() that began before any operation existed (it waits
 * inside wsaio but does not reap); the main thread issues an overlapped receive and polls
 * HasOverlappedIoCompleted, never waiting in wsaio. The progress thread must take over
 * and complete the receive within a few milliseconds, not when the sleeper wakes up.
 * Then a thread that does wait on the operation's event must get it at once (the progress
 * thread makes way).
 */
#include <string.h>

#include "unit.h"

static DWORD WINAPI long_sleep(LPVOID arg)
{
    (void)arg;
    Sleep(2000);
    return 0;
}

TEST(progress_takeover)
{
    SOCKET a, b;
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD n, flags = 0;
    WSAOVERLAPPED ov;
    HANDLE sleeper;
    ULONGLONG t0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    sleeper = CreateThread(NULL, 0, long_sleep, NULL, 0, NULL);
    Sleep(50); /* the sleeper is inside its wait, with nothing in flight */
    for (int round = 0; round < 3; round++) {
        memset(&ov, 0, sizeof(ov));
        CHECK_EQ(WSARecv(b, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        CHECK_EQ(send(a, "x", 1, 0), 1);
        t0 = GetTickCount64();
        while (!HasOverlappedIoCompleted(&ov))
            CHECK(GetTickCount64() - t0 < 500);
        printf("round %d: completed %llu ms after the data, nobody waiting\n", round,
               (unsigned long long)(GetTickCount64() - t0));
    }
    /* A thread that waits now gets the token at once. */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    CHECK_EQ(WSARecv(b, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(send(a, "y", 1, 0), 1);
    t0 = GetTickCount64();
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 1000, FALSE), WSA_WAIT_EVENT_0);
    printf("waiting thread: completed after %llu ms\n",
           (unsigned long long)(GetTickCount64() - t0));
    CHECK(WaitForSingleObject(sleeper, 5000) == WAIT_OBJECT_0);
    CloseHandle(sleeper);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
    WSACleanup();
    printf("progress_takeover: ok\n");
}
