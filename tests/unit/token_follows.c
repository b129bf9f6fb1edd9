/*
 * token_follows.c - the reaper token goes to the thread the completions are for (issue 13).
 *
 * 1. A thread waits for ever on its own receive, with nothing arriving: it takes the token
 *    first. Another thread then makes 2000 round trips with an echo peer (a thread making
 *    blocking system calls), each waited for on its event, as a server's worker does. The
 *    idle thread must not be woken for each of them: it used to sleep
 *    in the backend, deliver the busy thread's completion and wake that thread in turn (two
 *    context switches per operation). Counted with getrusage(RUSAGE_THREAD) around its wait.
 * 2. The busy thread then leaves its wait for the program's own work (a spin, no wsaio
 *    wait) and the idle thread's data arrives: it must get it within a few progress ticks,
 *    not when the busy thread waits again.
 */
#include <stdatomic.h>
#include <sys/resource.h>
#include <time.h>

#include "unit.h"

enum { ROUND_TRIPS = 2000 };

static SOCKET a, b, x, y;
static WSAOVERLAPPED ov_y;
static _Atomic long idle_switches = -1;
static _Atomic int idle_done;

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The echo peer: raw system calls (<winsock2.h> renames recv and send to wsaio's). */
static DWORD WINAPI echo_peer(LPVOID arg)
{
    char c;

    (void)arg;
    while (syscall(SYS_recvfrom, (int)a, &c, 1, 0, NULL, NULL) == 1)
        CHECK_EQ(syscall(SYS_sendto, (int)a, &c, 1, 0, NULL, 0), 1);
    return 0;
}

static long my_voluntary_switches(void)
{
    struct rusage ru;

    CHECK_EQ(getrusage(RUSAGE_THREAD, &ru), 0);
    return ru.ru_nvcsw;
}

static DWORD WINAPI idle_thread(LPVOID arg)
{
    long before = my_voluntary_switches();

    (void)arg;
    CHECK_EQ(WaitForSingleObject(ov_y.hEvent, 20000), WAIT_OBJECT_0);
    atomic_store(&idle_switches, my_voluntary_switches() - before);
    atomic_store(&idle_done, 1);
    return 0;
}

TEST(token_follows)
{
    static char buf[8], ybuf[8];
    WSABUF wb = {sizeof(buf), buf}, yb = {sizeof(ybuf), ybuf};
    WSAOVERLAPPED ov = {0};
    DWORD n, flags = 0;
    HANDLE t, peer;
    double t0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_tcp_pair(&x, &y);
    ov_y.hEvent = WSACreateEvent();
    ov.hEvent = WSACreateEvent();
    CHECK_EQ(WSARecv(y, &yb, 1, &n, &flags, &ov_y, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    t = CreateThread(NULL, 0, idle_thread, NULL, 0, NULL);
    /* Not a wsaio wait: the idle thread is certainly the first to take the token. */
    for (t0 = now_ms(); now_ms() - t0 < 50;)
        ;

    /* 1. */
    peer = CreateThread(NULL, 0, echo_peer, NULL, 0, NULL);
    for (int i = 0; i < ROUND_TRIPS; i++) {
        flags = 0;
        CHECK_EQ(WSARecv(b, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
        CHECK_EQ(send(b, "r", 1, 0), 1);
        CHECK_EQ(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
        CHECK(WSAGetOverlappedResult(b, &ov, &n, FALSE, &flags));
        CHECK_EQ(n, 1);
    }

    /* 2. */
    CHECK_EQ(send(x, "i", 1, 0), 1);
    for (t0 = now_ms(); !atomic_load(&idle_done);)
        CHECK(now_ms() - t0 < 5000);
    printf("idle thread's completion while the busy one was away: after %.1f ms\n", now_ms() - t0);
    printf("idle thread woke %ld times during %d round trips of another thread\n",
           atomic_load(&idle_switches), ROUND_TRIPS);
    CHECK(now_ms() - t0 < 500); /* a few 2 ms ticks; generous for a loaded machine */
    CHECK(atomic_load(&idle_switches) < ROUND_TRIPS / 10);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0);
    CloseHandle(t);
    WSACloseEvent(ov.hEvent);
    WSACloseEvent(ov_y.hEvent);
    CHECK_EQ(shutdown(b, SD_SEND), 0); /* the peer's end of stream */
    CHECK(WaitForSingleObject(peer, 5000) == WAIT_OBJECT_0);
    CloseHandle(peer);
    closesocket(a);
    closesocket(b);
    closesocket(x);
    closesocket(y);
    WSACleanup();
    printf("token_follows: ok\n");
}
