/*
 * unit.h - Linux-only helpers of the internal tests, on top of the portable harness
 * (tests/conformance/harness.h: TEST cases, CHECK, CHECK_EQ, SKIP, the socket fixtures).
 * A unit file holds TEST cases like a conformance file; CTest runs them all in one process
 * as unit.<file>.
 */
#ifndef WSAIO_UNIT_H
#define WSAIO_UNIT_H

/* System headers first: <winsock2.h> renames some of their functions to wsaio's. */
#include <dirent.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include <wsaio.h>

/* Runs fn(arg) on n threads made with CreateThread and waits for all of them. */
static inline void unit_run_threads(int n, LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE t[64] = {0};

    CHECK(n <= 64);
    for (int i = 0; i < n; i++)
        CHECK((t[i] = CreateThread(NULL, 0, fn, arg, 0, NULL)) != NULL);
    CHECK_EQ(WaitForMultipleObjects((DWORD)n, t, TRUE, 60000), WAIT_OBJECT_0);
    for (int i = 0; i < n; i++)
        CHECK(CloseHandle(t[i]));
}

/* Thread routine: reads the socket arg (an int descriptor) without copying (TCP
 * MSG_TRUNC) until end of stream; returns the count, 0 if it does not fit a DWORD. The raw
 * system call: <winsock2.h> names recv wsaio_recv, which takes Windows flags. */
static inline DWORD WINAPI unit_drain(LPVOID arg)
{
    int fd = (int)(SOCKET)(uintptr_t)arg;
    static char sink[1 << 16];
    unsigned long long total = 0;
    long n;

    while ((n = syscall(SYS_recvfrom, fd, sink, (size_t)1 << 30, MSG_TRUNC, NULL, NULL)) > 0)
        total += (unsigned long long)n;
    CHECK(n == 0);
    return (DWORD)(total > 0xFFFFFFFFull ? 0 : total);
}

/* CLOCK_MONOTONIC in milliseconds. */
static inline double unit_now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Stays on the CPU for ms milliseconds: the program's own work, not a wsaio wait. */
static inline void unit_spin_ms(double ms)
{
    for (double t0 = unit_now_ms(); unit_now_ms() - t0 < ms;)
        ;
}

/* Context switches of every thread of the process but the caller. */
static inline unsigned long unit_others_switches(void)
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

/* The other threads woke at most a few times plus once per 16 ms of the phase that began
 * at t0, when unit_others_switches() was before. */
static inline void unit_check_quiet(const char *phase, unsigned long before, double t0)
{
    unsigned long woke = unit_others_switches() - before;
    double ms = unit_now_ms() - t0;

    printf("%s: %lu wake-ups of other threads in %.0f ms\n", phase, woke, ms);
    CHECK(woke <= 10 + (unsigned long)(ms / 16));
}

/* An overlapped WSARecv on s with ov (and routine fn, or NULL) that must pend. Its buffer
 * is the calling thread's: only the completion matters to the callers. */
static inline void unit_recv_pending(SOCKET s, WSAOVERLAPPED *ov,
                                     LPWSAOVERLAPPED_COMPLETION_ROUTINE fn)
{
    static __thread char buf[8];
    WSABUF b = {sizeof(buf), buf};
    DWORD n, flags = 0;

    CHECK_EQ(WSARecv(s, &b, 1, &n, &flags, ov, fn), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
}

/* The start of a test of who reaps: harness_startup() and two connected loopback TCP
 * pairs (a1-b1, a2-b2); unit_pairs_end() closes them and cleans up. */
static inline void unit_pairs_start(SOCKET *a1, SOCKET *b1, SOCKET *a2, SOCKET *b2)
{
    harness_startup();
    harness_tcp_pair(a1, b1);
    harness_tcp_pair(a2, b2);
}

static inline void unit_pairs_end(SOCKET a1, SOCKET b1, SOCKET a2, SOCKET b2)
{
    closesocket(a1);
    closesocket(b1);
    closesocket(a2);
    closesocket(b2);
    WSACleanup();
}

/* The backend a fresh process chooses: the forced one (WSAIO_BACKEND), else io_uring when
 * the kernel lets this process set up a ring. */
static inline const char *unit_expected_backend(void)
{
    const char *want = getenv("WSAIO_BACKEND");
    struct io_uring_params p;
    long fd;

    if (want && *want)
        return want;
    memset(&p, 0, sizeof(p));
    fd = syscall(__NR_io_uring_setup, 2, &p);
    if (fd < 0)
        return "epoll";
    close((int)fd);
    return "uring";
}

/* Defined when a sanitizer's runtime owns the allocator and the address space. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNIT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define UNIT_SANITIZED 1
#endif
#endif

/* Every feature that sets something up on first use, once: an overlapped receive on p[0]
 * that waits for p[1]'s byte, an FD_READ selection of p[1] (made after the data came:
 * what holds is recorded), an address-change request on u completed by the test hook. */
static inline void unit_exercise_features(SOCKET p[2], SOCKET u, WSAEVENT ev)
{
    WSAOVERLAPPED ov, cov;
    WSANETWORKEVENTS ne;
    char buf[1];
    WSABUF b = {1, buf};
    DWORD n = 0, flags = 0;

    memset(&ov, 0, sizeof(ov));
    memset(&cov, 0, sizeof(cov));
    ov.hEvent = WSACreateEvent();
    cov.hEvent = WSACreateEvent();
    CHECK_EQ(WSARecv(p[0], &b, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(send(p[1], "x", 1, 0), 1);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK(WSAGetOverlappedResult(p[0], &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 1);
    CHECK_EQ(buf[0], 'x');

    CHECK_EQ(send(p[0], "y", 1, 0), 1);
    CHECK_EQ(WSAEventSelect(p[1], ev, FD_READ), 0);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK_EQ(WSAEnumNetworkEvents(p[1], ev, &ne), 0);
    CHECK_EQ(ne.lNetworkEvents, FD_READ);
    CHECK_EQ(recv(p[1], buf, 1, 0), 1); /* consumed: the next arrival is news */

    CHECK_EQ(WSAIoctl(u, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, &cov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    wsaio_inject_network_change(WSAIO_CHANGE_ADDRESS_LIST);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &cov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    WSACloseEvent(ov.hEvent);
    WSACloseEvent(cov.hEvent);
}

#endif /* WSAIO_UNIT_H */
