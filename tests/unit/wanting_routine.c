/*
 * wanting_routine.c - a thread that asked for the reaper token and then runs a completion
 * routine must not keep the progress thread from reaping (a lost reaper, found in review 4).
 *
 * Thread c holds the token, sleeping in the backend inside a wait on an event. Thread r
 * then waits alertably: it finds the token taken and asks for it (wanting). Its receive's
 * completion, reaped by c, queues a routine to it, which runs in r's wait for a long time
 * (a spin, no wsaio wait). c then leaves its wait. Nobody is inside a wsaio wait now, and
 * the main thread polls its own receive with HasOverlappedIoCompleted: the progress thread
 * must reap it within a few ticks, not when r's routine returns (it made way for r, which
 * still counted as asking, for as long as the routine ran).
 */
#include <stdatomic.h>

#include "unit.h"

static SOCKET a, b, x, y;
static WSAEVENT ev_c;
static _Atomic int step, main_done;

static void CALLBACK long_routine(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)err, (void)n, (void)ov, (void)flags;
    atomic_store(&step, 2);
    for (double t0 = unit_now_ms(); !atomic_load(&main_done) && unit_now_ms() - t0 < 3000;)
        ;
}

static DWORD WINAPI holder(LPVOID arg)
{
    (void)arg;
    CHECK_EQ(WaitForSingleObject(ev_c, 20000), WAIT_OBJECT_0);
    return 0;
}

static DWORD WINAPI asker(LPVOID arg)
{
    static WSAOVERLAPPED ov;

    (void)arg;
    unit_recv_pending(a, &ov, long_routine);
    atomic_store(&step, 1);
    while (atomic_load(&step) < 3) /* until c holds the token */
        ;
    CHECK_EQ(SleepEx(20000, TRUE), WAIT_IO_COMPLETION);
    return 0;
}

TEST(wanting_routine)
{
    WSAOVERLAPPED ov_y = {0};
    HANDLE r, c;
    double t0, took;

    unit_pairs_start(&a, &b, &x, &y);
    ev_c = WSACreateEvent();
    r = CreateThread(NULL, 0, asker, NULL, 0, NULL);
    while (atomic_load(&step) < 1) /* r's receive is in flight */
        ;
    c = CreateThread(NULL, 0, holder, NULL, 0, NULL);
    unit_spin_ms(50); /* c takes the token and sleeps in the backend */
    atomic_store(&step, 3);
    unit_spin_ms(50); /* r asks for the token and sleeps */
    CHECK_EQ(send(b, "r", 1, 0), 1);
    for (t0 = unit_now_ms(); atomic_load(&step) != 2;)
        CHECK(unit_now_ms() - t0 < 5000);
    CHECK(WSASetEvent(ev_c)); /* c leaves its wait: nobody waits in wsaio now */
    unit_spin_ms(20);

    unit_recv_pending(y, &ov_y, NULL);
    CHECK_EQ(send(x, "m", 1, 0), 1);
    for (t0 = unit_now_ms(); !HasOverlappedIoCompleted(&ov_y) && unit_now_ms() - t0 < 1000;)
        ;
    took = unit_now_ms() - t0;
    atomic_store(&main_done, 1);
    printf("receive reaped while another thread's routine ran: after %.1f ms\n", took);
    CHECK(took < 500); /* a few progress ticks; generous for a loaded machine */
    CHECK_EQ(WaitForSingleObject(r, 10000), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(c, 10000), WAIT_OBJECT_0);
    CloseHandle(r);
    CloseHandle(c);
    WSACloseEvent(ev_c);
    unit_pairs_end(a, b, x, y);
    printf("wanting_routine: ok\n");
}
