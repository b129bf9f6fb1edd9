/*
 * pingpong.c - one-connection ping-pong over loopback TCP, 64-byte messages, in Winsock C
 * (the same file builds with mingw-w64 and runs under Wine).
 *
 * The server is one thread doing blocking recv/send, the same for every case. The client
 * thread is measured three ways, alternated in one run:
 *   blocking            send() then recv() (the plain baseline);
 *   overlapped-event    WSASend + WSARecv(MSG_WAITALL) with event objects, one thread
 *                       waiting in WSAWaitForMultipleEvents;
 *   overlapped-routine  the same with completion routines, run in SleepEx(INFINITE, TRUE).
 * One timestamp per round trip; RESULT lines as bench_report.h describes. On wsaio the
 * memory cost of a pending operation and of a socket are printed too.
 */
#include <winsock2.h>
#include <windows.h>
#ifndef _WIN32
#include <wsaio.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_report.h"
#include "bench_win.h"

#define MSG 64

static SOCKET listener;
static struct sockaddr_in addr;

static void die(const char *what)
{
    fprintf(stderr, "pingpong: %s failed (WSAGetLastError %d)\n", what, WSAGetLastError());
    exit(1);
}

/* Receives exactly len bytes with blocking recv. */
static int recv_all(SOCKET s, char *p, int len)
{
    while (len > 0) {
        int n = recv(s, p, len, 0);

        if (n <= 0)
            return n;
        p += n;
        len -= n;
    }
    return 1;
}

static DWORD WINAPI echo_server(LPVOID arg)
{
    char buf[MSG];

    (void)arg;
    for (;;) {
        SOCKET s = accept(listener, NULL, NULL);
        BOOL one = TRUE;

        if (s == INVALID_SOCKET)
            return 0;
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
        while (recv_all(s, buf, MSG) > 0)
            if (send(s, buf, MSG, 0) != MSG)
                break;
        closesocket(s);
    }
}

static SOCKET dial(void)
{
    SOCKET s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    BOOL one = TRUE;

    if (s == INVALID_SOCKET || connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0)
        die("connect");
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
    return s;
}

static char out[MSG], in[MSG];
static volatile int routine_done;

static void CALLBACK on_io(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)n;
    (void)flags;
    if (err)
        die("completion");
    if (ov->Pointer == (PVOID)1) /* the receive */
        routine_done = 1;
}

/* One round trip in the given mode. */
static void round_trip(SOCKET s, int mode, WSAOVERLAPPED *sov, WSAOVERLAPPED *rov)
{
    WSABUF sb = {MSG, out}, rb = {MSG, in};
    DWORD n, flags = MSG_WAITALL;

    if (mode == 0) {
        if (send(s, out, MSG, 0) != MSG || recv_all(s, in, MSG) <= 0)
            die("blocking round trip");
        return;
    }
    if (mode == 1) {
        if (WSASend(s, &sb, 1, &n, 0, sov, NULL) && WSAGetLastError() != WSA_IO_PENDING)
            die("WSASend");
        if (WSARecv(s, &rb, 1, &n, &flags, rov, NULL) && WSAGetLastError() != WSA_IO_PENDING)
            die("WSARecv");
        if (WSAWaitForMultipleEvents(1, &rov->hEvent, FALSE, WSA_INFINITE, FALSE) != 0 ||
            WSAWaitForMultipleEvents(1, &sov->hEvent, FALSE, WSA_INFINITE, FALSE) != 0)
            die("wait");
        if (!WSAGetOverlappedResult(s, rov, &n, FALSE, &flags) || n != MSG)
            die("receive result");
        return;
    }
    routine_done = 0;
    rov->Pointer = (PVOID)1;
    sov->Pointer = NULL;
    if (WSASend(s, &sb, 1, &n, 0, sov, on_io) && WSAGetLastError() != WSA_IO_PENDING)
        die("WSASend");
    if (WSARecv(s, &rb, 1, &n, &flags, rov, on_io) && WSAGetLastError() != WSA_IO_PENDING)
        die("WSARecv");
    while (!routine_done)
        SleepEx(INFINITE, TRUE);
}

static const char *mode_name[3] = {"pingpong-blocking", "pingpong-overlapped-event",
                                   "pingpong-overlapped-routine"};

static void run(const char *system, int mode, long iters, long warm)
{
    SOCKET s = dial();
    WSAOVERLAPPED sov, rov;
    long long *ts = malloc((size_t)(iters + 1) * sizeof(*ts));
    double cpu0 = 0, cpu1;

    memset(&sov, 0, sizeof(sov));
    memset(&rov, 0, sizeof(rov));
    sov.hEvent = WSACreateEvent();
    rov.hEvent = WSACreateEvent();
    for (long i = -warm; i <= iters; i++) {
        if (i >= 0) {
            ts[i] = ticks();
            if (i == 0)
                cpu0 = cpu_ns();
            if (i == iters)
                break;
        }
        round_trip(s, mode, &sov, &rov);
    }
    cpu1 = cpu_ns();
    bench_report_ts(system, mode_name[mode], iters, warm, ts, ns_per_tick, cpu1 - cpu0);
    free(ts);
    WSACloseEvent(sov.hEvent);
    WSACloseEvent(rov.hEvent);
    closesocket(s);
}

int main(int argc, char **argv)
{
    long iters = 20000, ops = 1000, rounds = 1;
    const char *only = NULL, *system = "wsaio";
    int len = sizeof(addr);
    WSADATA wsa;
    HANDLE srv;

    if (bench_args(argc, argv, &iters, &ops, &only, &system))
        return 2;
    rounds = ops / 1000; /* --ops N000: N rounds of the three modes, rotated */
    if (WSAStartup(MAKEWORD(2, 2), &wsa))
        die("WSAStartup");
    bench_clock_init();
    memset(out, 'p', sizeof(out));
    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(listener, 4) ||
        getsockname(listener, (struct sockaddr *)&addr, &len))
        die("listen");
    srv = CreateThread(NULL, 0, echo_server, NULL, 0, NULL);
    printf("# pingpong system=%s iters=%ld rounds=%ld msg=%d unpinned\n", system, iters, rounds,
           MSG);
#ifndef _WIN32
    {
        size_t per_op, per_socket;

        wsaio_memory_info(&per_op, &per_socket);
        printf("MEMORY system=%s per_pending_op=%zu per_socket=%zu\n", system, per_op, per_socket);
    }
#endif
    for (long r = 0; r < rounds; r++)
        for (int k = 0; k < 3; k++) {
            int mode = (int)((k + r) % 3);

            if (bench_selected(only, mode_name[mode]))
                run(system, mode, iters, iters / 10);
        }
    closesocket(listener); /* the server's accept fails and it returns */
    WaitForSingleObject(srv, 5000);
    CloseHandle(srv);
    WSACleanup();
    return 0;
}
