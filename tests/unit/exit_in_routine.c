/*
 * exit_in_routine.c - a thread that calls ExitThread from a completion routine run by an
 * alertable wait in which it had yielded the reaper token (loop.c) leaves that wait there:
 * the wait never returns. The thread must not stay counted among the threads that yielded
 * the token: while one is, the progress thread keeps its look at 2 ms, and a program's
 * loop around a short wait wakes it every 2 ms for good (more wake-ups, nothing lost).
 *
 * Thread y holds the token, sleeping in the backend inside SleepEx(INFINITE, TRUE). Thread
 * w then waits on its receive's event: it finds the token taken and asks for it. Its data
 * comes, y reaps it for w, and y, still waiting, yields the token. y's own receive then
 * completes (reaped by the progress thread), and its routine calls ExitThread.
 */
#include <stdatomic.h>

#include "unit.h"

#include "core/loop.h"

static SOCKET ya, yb, wa, wb;
static _Atomic int step, yielders_in_routine = -1;

static void CALLBACK exit_routine(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)err, (void)n, (void)ov, (void)flags;
    atomic_store(&yielders_in_routine, wsaio_loop_yielders());
    ExitThread(7);
}

static DWORD WINAPI yielder(LPVOID arg)
{
    static WSAOVERLAPPED ov;

    (void)arg;
    unit_recv_pending(yb, &ov, exit_routine);
    atomic_store(&step, 1);
    SleepEx(INFINITE, TRUE); /* never returns: the routine ends the thread */
    CHECK(!"SleepEx returned");
    return 0;
}

static DWORD WINAPI wanter(LPVOID arg)
{
    WSAOVERLAPPED ov = {0};

    (void)arg;
    ov.hEvent = WSACreateEvent();
    unit_recv_pending(wb, &ov, NULL);
    atomic_store(&step, 2);
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 10000), WAIT_OBJECT_0);
    WSACloseEvent(ov.hEvent);
    return 0;
}

TEST(exit_in_routine)
{
    WSAOVERLAPPED ov = {0};
    DWORD code = 0;
    HANDLE y, w;
    unsigned long before;
    double t0;

    unit_pairs_start(&ya, &yb, &wa, &wb);
    y = CreateThread(NULL, 0, yielder, NULL, 0, NULL);
    while (atomic_load(&step) < 1) /* y's receive is in flight */
        ;
    unit_spin_ms(50); /* y takes the token and sleeps in the backend */
    w = CreateThread(NULL, 0, wanter, NULL, 0, NULL);
    while (atomic_load(&step) < 2)
        ;
    unit_spin_ms(50);                 /* w asks for the token and sleeps */
    CHECK_EQ(send(wa, "w", 1, 0), 1); /* y reaps it for w, then yields */
    CHECK_EQ(WaitForSingleObject(w, 10000), WAIT_OBJECT_0);
    CloseHandle(w);
    for (t0 = unit_now_ms(); wsaio_loop_yielders() != 1;)
        CHECK(unit_now_ms() - t0 < 2000);

    CHECK_EQ(send(ya, "y", 1, 0), 1); /* y's routine runs and ends the thread */
    CHECK_EQ(WaitForSingleObject(y, 10000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(y, &code));
    CHECK_EQ(code, 7u);
    CloseHandle(y);
    CHECK_EQ(atomic_load(&yielders_in_routine), 1);
    printf("threads counted as yielders after the exit: %d\n", wsaio_loop_yielders());
    CHECK_EQ(wsaio_loop_yielders(), 0);

    /* What the count costs: a loop around a 10 ms wait with a receive pending. */
    ov.hEvent = WSACreateEvent();
    unit_recv_pending(wb, &ov, NULL);
    Sleep(20);
    before = unit_others_switches();
    t0 = unit_now_ms();
    for (int i = 0; i < 40; i++)
        CHECK_EQ(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 10, FALSE), WSA_WAIT_TIMEOUT);
    unit_check_quiet("40 waits of 10 ms after the exit", before, t0);
    unit_pairs_end(ya, yb, wa, wb);
    WSACloseEvent(ov.hEvent);
    printf("exit_in_routine: ok\n");
}
