/*
 * progress_idle.c - no idle wake-ups (issue 13): while a program thread keeps waiting
 * inside wsaio, the library's own threads (the progress thread) stay asleep, whatever is
 * in flight. Counted from the kernel's context-switch counts of every thread but the
 * caller (/proc/self/task/N/status), against the time the phase took: the progress thread
 * once looked every 2 ms while anything was in flight and no thread held the token, and
 * was woken at the end of every wait (about two wake-ups per 10 ms wait).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"

/* Context switches of every thread of the process but the caller. */
static unsigned long others_switches(void)
{
    DIR *d = opendir("/proc/self/task");
    pid_t self = (pid_t)syscall(SYS_gettid);
    unsigned long sum = 0;
    struct dirent *e;

    CHECK(d != NULL);
    while ((e = readdir(d))) {
        char path[300], line[128];
        FILE *f;

        if (e->d_name[0] == '.' || atoi(e->d_name) == self)
            continue;
        snprintf(path, sizeof(path), "/proc/self/task/%s/status", e->d_name);
        if (!(f = fopen(path, "r")))
            continue; /* gone meanwhile */
        while (fgets(line, sizeof(line), f))
            if (!strncmp(line, "voluntary_ctxt_switches:", 24) ||
                !strncmp(line, "nonvoluntary_ctxt_switches:", 27))
                sum += strtoul(strchr(line, ':') + 1, NULL, 10);
        fclose(f);
    }
    closedir(d);
    return sum;
}

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The other threads woke at most a few times plus once per 16 ms of the phase. */
static void check_quiet(const char *phase, unsigned long before, double t0)
{
    unsigned long woke = others_switches() - before;
    double ms = now_ms() - t0;

    printf("%s: %lu wake-ups of other threads in %.0f ms\n", phase, woke, ms);
    CHECK(woke <= 10 + (unsigned long)(ms / 16));
}

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
    before = others_switches();
    t0 = now_ms();
    for (int i = 0; i < 40; i++)
        CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 10, FALSE), WSA_WAIT_TIMEOUT);
    check_quiet("40 waits of 10 ms", before, t0);

    /* One long wait. */
    before = others_switches();
    t0 = now_ms();
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 400, FALSE), WSA_WAIT_TIMEOUT);
    check_quiet("one wait of 400 ms", before, t0);

    /* A one-thread ping-pong: the receive completes, the next one is posted, and so on. */
    before = others_switches();
    t0 = now_ms();
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
    check_quiet("2000 hops", before, t0);

    closesocket(a);
    closesocket(b);
    WSACloseEvent(ev);
    WSACleanup();
}
