/*
 * poll_zero_wait.c - a program that polls its event with zero-timeout waits must still see
 * its completion (a lost reaper, found in review 4).
 *
 * A zero-timeout wait never reaps: it checks its objects once and returns. It used to count
 * as a thread entering a wait, and the progress thread takes a free token only after a
 * whole tick in which no thread entered one ("one of them reaps"): a loop polling more often
 * than every 2 ms kept it off for ever, and nobody reaped the receive it polled for. Also
 * polled with WSAGetOverlappedResult(fWait = FALSE), and with a wait on an event that is
 * always set (satisfied at once: it never reaps either) before each HasOverlappedIoCompleted.
 */
#include <time.h>

#include "unit.h"

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

TEST(poll_zero_wait)
{
    static char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    WSAOVERLAPPED ov = {0};
    DWORD n, flags = 0, r = WSA_WAIT_TIMEOUT;
    HANDLE set = CreateEventA(NULL, TRUE, TRUE, NULL);
    SOCKET x, y;
    double t0, took;

    harness_startup();
    harness_tcp_pair(&x, &y);
    ov.hEvent = WSACreateEvent();
    for (int round = 0; round < 30; round++) {
        flags = 0;
        CHECK_EQ(WSARecv(y, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        CHECK_EQ(send(x, "m", 1, 0), 1);
        t0 = now_ms();
        do {
            if (round % 3 == 2) {
                CHECK_EQ(WaitForSingleObject(set, INFINITE), WAIT_OBJECT_0);
                r = HasOverlappedIoCompleted(&ov) ? WSA_WAIT_EVENT_0 : WSA_WAIT_TIMEOUT;
                continue;
            }
            r = WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 0, FALSE);
            if (r == WSA_WAIT_TIMEOUT && round % 3 == 1 &&
                WSAGetOverlappedResult(y, &ov, &n, FALSE, &flags))
                r = WSA_WAIT_EVENT_0;
        } while (r == WSA_WAIT_TIMEOUT && now_ms() - t0 < 1000);
        took = now_ms() - t0;
        printf("round %d (poll %d): completion seen by polling after %.1f ms\n", round, round % 3,
               took);
        CHECK_EQ(r, WSA_WAIT_EVENT_0);
        CHECK(took < 500); /* a few progress ticks; generous for a loaded machine */
        CHECK(WSAGetOverlappedResult(y, &ov, &n, FALSE, &flags));
        CHECK_EQ(n, 1);
        WSAResetEvent(ov.hEvent);
    }
    WSACloseEvent(ov.hEvent);
    CloseHandle(set);
    closesocket(x);
    closesocket(y);
    WSACleanup();
    printf("poll_zero_wait: ok\n");
}
