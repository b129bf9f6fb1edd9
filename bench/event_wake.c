/*
 * event_wake.c - event-object wake-up latency, Winsock source.
 *
 * Portable Winsock/Win32 C: it builds against wsaio on Linux and, unchanged, with mingw-w64
 * for Windows or Wine, so that Wine (the existing Winsock-on-Linux implementation) is
 * measured by the same code. The Linux peers (bare futex, pthread condition variable,
 * libuv async) are in peer_wake.c and print the same RESULT lines (bench_report.h).
 *
 * Cases:
 *   pingpong-wsaevent  thread A: WSASetEvent(E1), WSAWaitForMultipleEvents(1, &E2, FALSE,
 *                      WSA_INFINITE, FALSE), WSAResetEvent(E2); thread B: wait E1, reset E1,
 *                      set E2. One sample = one round trip (two set-to-wake hand-offs).
 *   pingpong-autoevent the same with auto-reset CreateEventA events, SetEvent and
 *                      WaitForSingleObject(INFINITE) (the wait consumes the signal).
 *   setreset-nowaiter  single thread: WSASetEvent + WSAResetEvent on an event nobody waits
 *                      on; every set is a real transition to signalled (one op = the pair).
 *   set-signalled      single thread: WSASetEvent on an event that is already signalled.
 *   wait0-signalled    single thread: WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE) on a
 *                      signalled manual-reset event.
 *
 * The threads are not pinned: SetThreadAffinityMask is not part of wsaio, and the peers are
 * left unpinned too so that every system is measured alike.
 *
 * CPU time: process CPU time of the timed loop from the C clock() on wsaio. On Windows and
 * Wine the C library's clock() is wall time since process start, not CPU time, so there
 * (and only there) GetProcessTimes is used. Under Wine most of the work of a wake-up is in
 * the wineserver process, which this program cannot see; run_events.sh adds it.
 */
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_report.h"
#include "bench_win.h"

#define BATCH 100 /* single-thread operations per sample */

static void die(const char *what)
{
    fprintf(stderr, "event_wake: %s failed (GetLastError %lu, WSAGetLastError %d)\n", what,
            (unsigned long)GetLastError(), WSAGetLastError());
    exit(1);
}

struct pingpong {
    HANDLE e1; /* set by A, waited on by B */
    HANDLE e2; /* set by B, waited on by A */
    long count;
    int wsa; /* 1: WSA events and WSAWaitForMultipleEvents; 0: auto-reset and WaitForSingleObject */
};

/* Thread B: answers every signal on e1 with a signal on e2. */
static DWORD WINAPI responder(LPVOID arg)
{
    struct pingpong *pp = arg;
    long i;

    for (i = 0; i < pp->count; i++) {
        if (pp->wsa) {
            if (WSAWaitForMultipleEvents(1, &pp->e1, FALSE, WSA_INFINITE, FALSE) !=
                WSA_WAIT_EVENT_0)
                die("WSAWaitForMultipleEvents (responder)");
            /* Reset before answering: A sets e1 again only after our e2 reached it. */
            if (!WSAResetEvent(pp->e1) || !WSASetEvent(pp->e2))
                die("WSAResetEvent/WSASetEvent (responder)");
        } else {
            if (WaitForSingleObject(pp->e1, INFINITE) != WAIT_OBJECT_0)
                die("WaitForSingleObject (responder)");
            if (!SetEvent(pp->e2))
                die("SetEvent (responder)");
        }
    }
    return 0;
}

static void pingpong(const char *system, const char *name, int wsa, long n, long warm)
{
    struct pingpong pp;
    long long *ts = malloc((size_t)(n + 1) * sizeof(*ts));
    double cpu0 = 0, cpu1;
    HANDLE thread;
    long i;

    if (!ts)
        die("malloc");
    pp.wsa = wsa;
    pp.count = warm + n;
    if (wsa) {
        pp.e1 = WSACreateEvent();
        pp.e2 = WSACreateEvent();
    } else {
        pp.e1 = CreateEventA(NULL, FALSE, FALSE, NULL);
        pp.e2 = CreateEventA(NULL, FALSE, FALSE, NULL);
    }
    if (!pp.e1 || !pp.e2)
        die("event creation");
    thread = CreateThread(NULL, 0, responder, &pp, 0, NULL);
    if (!thread)
        die("CreateThread");

    /* One clock read per round trip, at the same point of the loop (bench_report_ts). */
    for (i = 0; i < warm + n; i++) {
        if (i == warm)
            cpu0 = cpu_ns();
        if (i >= warm)
            ts[i - warm] = ticks();
        if (wsa) {
            if (!WSASetEvent(pp.e1))
                die("WSASetEvent");
            if (WSAWaitForMultipleEvents(1, &pp.e2, FALSE, WSA_INFINITE, FALSE) != WSA_WAIT_EVENT_0)
                die("WSAWaitForMultipleEvents");
            if (!WSAResetEvent(pp.e2))
                die("WSAResetEvent");
        } else {
            if (!SetEvent(pp.e1))
                die("SetEvent");
            if (WaitForSingleObject(pp.e2, INFINITE) != WAIT_OBJECT_0)
                die("WaitForSingleObject");
        }
    }
    ts[n] = ticks();
    cpu1 = cpu_ns();

    if (WaitForSingleObject(thread, INFINITE) != WAIT_OBJECT_0)
        die("WaitForSingleObject (thread)");
    CloseHandle(thread);
    CloseHandle(pp.e1);
    CloseHandle(pp.e2);
    bench_report_ts(system, name, n, warm, ts, ns_per_tick, cpu1 - cpu0);
    free(ts);
}

enum single_op { SETRESET, SET_SIGNALLED, WAIT0 };

/* One thread, nobody else waiting: ops operations in batches of BATCH. */
static void single(const char *system, const char *name, enum single_op op, long ops)
{
    long nb = ops / BATCH, warm = nb / 10, b, j;
    double *samples = malloc((size_t)nb * sizeof(*samples));
    double cpu0 = 0, cpu1;
    LONGLONG t, first = 0;
    WSAEVENT e = WSACreateEvent();
    BOOL ok = TRUE;

    if (!samples || e == WSA_INVALID_EVENT)
        die("setup");
    if (op != SETRESET && !WSASetEvent(e))
        die("WSASetEvent");
    for (b = 0; b < warm + nb; b++) {
        if (b == warm) {
            cpu0 = cpu_ns();
            first = ticks();
        }
        t = ticks();
        switch (op) {
        case SETRESET:
            for (j = 0; j < BATCH; j++) {
                ok &= WSASetEvent(e);
                ok &= WSAResetEvent(e);
            }
            break;
        case SET_SIGNALLED:
            for (j = 0; j < BATCH; j++)
                ok &= WSASetEvent(e);
            break;
        case WAIT0:
            for (j = 0; j < BATCH; j++)
                ok &= WSAWaitForMultipleEvents(1, &e, FALSE, 0, FALSE) == WSA_WAIT_EVENT_0;
            break;
        }
        if (b >= warm)
            samples[b - warm] = (double)(ticks() - t) * ns_per_tick / BATCH;
    }
    t = ticks();
    cpu1 = cpu_ns();
    if (!ok)
        die(name);
    WSACloseEvent(e);
    bench_report(system, name, nb * BATCH, warm * BATCH, samples, nb,
                 (double)(t - first) * ns_per_tick, cpu1 - cpu0);
    free(samples);
}

int main(int argc, char **argv)
{
    long iters = 20000, ops = 200000;
    const char *only = NULL;
#ifdef _WIN32
    const char *system = "windows";
#else
    const char *system = "wsaio";
#endif
    WSADATA wsa;

    if (bench_args(argc, argv, &iters, &ops, &only, &system))
        return 2;
    if (WSAStartup(MAKEWORD(2, 2), &wsa))
        die("WSAStartup");
    bench_clock_init();
    printf("# event_wake system=%s iters=%ld ops=%ld qpc_hz=%.0f unpinned\n", system, iters, ops,
           1e9 / ns_per_tick);

    if (bench_selected(only, "pingpong-wsaevent"))
        pingpong(system, "pingpong-wsaevent", 1, iters, iters / 10);
    if (bench_selected(only, "pingpong-autoevent"))
        pingpong(system, "pingpong-autoevent", 0, iters, iters / 10);
    if (bench_selected(only, "setreset-nowaiter"))
        single(system, "setreset-nowaiter", SETRESET, ops);
    if (bench_selected(only, "set-signalled"))
        single(system, "set-signalled", SET_SIGNALLED, ops);
    if (bench_selected(only, "wait0-signalled"))
        single(system, "wait0-signalled", WAIT0, ops);
    WSACleanup();
    return 0;
}
