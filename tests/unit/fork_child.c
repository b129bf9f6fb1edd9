/*
 * fork_child.c - a child made by fork() is independent of the parent's wsaio state
 * (docs/deviations.md "fork").
 *
 * 1. The parent has a receive pending and forks. The child does overlapped I/O on a socket
 *    pair of its own and on an inherited one, closes sockets, calls WSACleanup and exits;
 *    then the parent's pending receive completes normally and the parent keeps working.
 *    Before the fix the child used the parent's ring or epoll set: on io_uring the parent's
 *    next receive never completed, on epoll the parent's reaper took the child's record
 *    pointer and crashed.
 * 2. A thread keeps issuing I/O while the main thread forks, several times: each child,
 *    which may inherit a wsaio lock held by that thread, must still do I/O and clean up
 *    (alarm() turns a deadlock into a failure).
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

/* Under ThreadSanitizer a child of a threaded process may start threads (wsaio's progress
 * thread); TSan kills such a child by default. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
    return "die_after_fork=0";
}

/* One overlapped receive of one byte on a, fed by a send on b, reported through ev;
 * returns the byte. */
static char round_trip_ev(SOCKET a, SOCKET b, char c, WSAEVENT ev)
{
    char buf[1] = {0};
    WSABUF wb = {1, buf};
    DWORD fl = 0, n = 0;
    WSAOVERLAPPED ov;
    int rc;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = ev;
    rc = WSARecv(a, &wb, 1, NULL, &fl, &ov, NULL);
    CHECK(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    CHECK_EQ(send(b, &c, 1, 0), 1);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &fl));
    CHECK_EQ(n, 1);
    return buf[0];
}

static char round_trip(SOCKET a, SOCKET b, char c)
{
    WSAEVENT ev = WSACreateEvent();
    char got;

    CHECK(ev != WSA_INVALID_EVENT);
    got = round_trip_ev(a, b, c, ev);
    CHECK(WSACloseEvent(ev));
    return got;
}

/*
 * ASan (gcc 12) does not guard its allocator at fork: a parent thread inside it at fork
 * (one that is just starting counts) leaves the child's allocator locked. So the parent
 * makes sure wsaio's threads run before it forks: the progress thread must complete a
 * receive that nobody waits for in wsaio, and the watcher must record FD_READ on e.
 */
static void threads_running(SOCKET r[2], SOCKET e[2], WSAEVENT sel)
{
    char buf[1];
    WSABUF wb = {1, buf};
    DWORD fl = 0;
    WSAOVERLAPPED ov;
    WSANETWORKEVENTS ne;

    memset(&ov, 0, sizeof(ov));
    CHECK_EQ(WSARecv(r[0], &wb, 1, NULL, &fl, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(send(r[1], "w", 1, 0), 1);
    while (!HasOverlappedIoCompleted(&ov))
        usleep(1000); /* no wsaio wait: only the progress thread reaps */
    CHECK_EQ(send(e[1], "w", 1, 0), 1);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &sel, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK_EQ(recv(e[0], buf, 1, 0), 1);
    CHECK_EQ(WSAEnumNetworkEvents(e[0], sel, &ne), 0);
}

/* Waits for the child; it must have exited with status 0 (no crash, no alarm). */
static void reap_child(pid_t pid)
{
    int st = 0;

    CHECK_EQ(waitpid(pid, &st, 0), pid);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "child: status %#x (signal %d)\n", st, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
        abort();
    }
}

static void child_work(SOCKET inherited[2])
{
    SOCKET q[2];

    alarm(10);
    harness_tcp_pair(&q[0], &q[1]);
    CHECK_EQ(round_trip(q[0], q[1], 'q'), 'q');
    CHECK_EQ(round_trip(inherited[0], inherited[1], 'i'), 'i');
    CHECK_EQ(closesocket(q[0]), 0);
    CHECK_EQ(closesocket(q[1]), 0);
}

/* A selection made before fork is the parent's; the child's own WSAEventSelect works. */
static void child_eventselect(SOCKET e[2])
{
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;

    CHECK_EQ(WSAEventSelect(e[0], ev, FD_READ), 0);
    CHECK_EQ(send(e[1], "e", 1, 0), 1);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK_EQ(WSAEnumNetworkEvents(e[0], ev, &ne), 0);
    CHECK(ne.lNetworkEvents & FD_READ);
    CHECK(WSACloseEvent(ev));
}

static void parent_pending_fork(void)
{
    SOCKET p[2], r[2], e[2];
    WSAEVENT sel = WSACreateEvent();
    char buf[1] = {0};
    WSABUF wb = {1, buf};
    DWORD fl = 0, n = 0;
    WSAOVERLAPPED ov;
    pid_t pid;

    harness_tcp_pair(&p[0], &p[1]);
    harness_tcp_pair(&r[0], &r[1]);
    harness_tcp_pair(&e[0], &e[1]);
    CHECK_EQ(WSAEventSelect(e[0], sel, FD_READ), 0);
    threads_running(r, e, sel);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    CHECK_EQ(WSARecv(p[0], &wb, 1, NULL, &fl, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);

    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        child_work(r);
        child_eventselect(e);
        /* The parent's receive is the parent's: here it stays pending, never completes. */
        CHECK(!HasOverlappedIoCompleted(&ov));
        CHECK_EQ(closesocket(p[0]), 0); /* with that receive pending: no wait, no crash */
        CHECK_EQ(WSACleanup(), 0);
        _exit(0);
    }
    reap_child(pid);

    /* The child's WSACleanup closed its copies abortively; the shared sockets are still
     * the parent's to close gracefully. */
    struct linger lg = {1, 1};
    int len = sizeof(lg);

    CHECK_EQ(getsockopt(r[0], SOL_SOCKET, SO_LINGER, (char *)&lg, &len), 0);
    CHECK_EQ(lg.l_onoff, 0);
    CHECK_EQ(send(p[1], "c", 1, 0), 1);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK(WSAGetOverlappedResult(p[0], &ov, &n, FALSE, &fl));
    CHECK_EQ(n, 1);
    CHECK_EQ(buf[0], 'c');
    /* Still working, on the pair the child used and closed its copies of. */
    CHECK_EQ(round_trip(r[0], r[1], 'r'), 'r');
    CHECK_EQ(round_trip(p[1], p[0], 'p'), 'p');
    /* The parent's selection still watched: the child's byte is readable here too. */
    CHECK_EQ(WSAWaitForMultipleEvents(1, &sel, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK(WSACloseEvent(sel));
    CHECK_EQ(closesocket(e[0]), 0);
    CHECK_EQ(closesocket(e[1]), 0);
    CHECK(WSACloseEvent(ov.hEvent));
    for (int i = 0; i < 2; i++) {
        CHECK_EQ(closesocket(p[i]), 0);
        CHECK_EQ(closesocket(r[i]), 0);
    }
}

static SOCKET busy_pair[2];
static volatile LONG stop_busy;

/* One event for all its receives: no allocation while the main thread forks (see
 * threads_running()). */
static DWORD WINAPI busy(LPVOID arg)
{
    WSAEVENT ev = WSACreateEvent();

    (void)arg;
    while (!InterlockedCompareExchange(&stop_busy, 0, 0))
        CHECK_EQ(round_trip_ev(busy_pair[0], busy_pair[1], 'b', ev), 'b');
    CHECK(WSACloseEvent(ev));
    return 0;
}

static void fork_while_busy(void)
{
    SOCKET r[2];
    HANDLE t;

    harness_tcp_pair(&busy_pair[0], &busy_pair[1]);
    harness_tcp_pair(&r[0], &r[1]);
    CHECK((t = CreateThread(NULL, 0, busy, NULL, 0, NULL)) != NULL);
    for (int i = 0; i < 8; i++) {
        pid_t pid = fork();

        CHECK(pid >= 0);
        if (pid == 0) {
            child_work(r);
            /* The busy thread's socket: its lock may have been held at fork. */
            CHECK_EQ(closesocket(busy_pair[0]), 0);
            CHECK_EQ(WSACleanup(), 0);
            _exit(0);
        }
        reap_child(pid);
    }
    InterlockedExchange(&stop_busy, 1);
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CHECK(CloseHandle(t));
    CHECK_EQ(round_trip(r[0], r[1], 'r'), 'r');
    for (int i = 0; i < 2; i++) {
        CHECK_EQ(closesocket(busy_pair[i]), 0);
        CHECK_EQ(closesocket(r[i]), 0);
    }
}

TEST(fork_child)
{

    alarm(50);
    harness_startup();
    parent_pending_fork();
    fork_while_busy();
    CHECK_EQ(WSACleanup(), 0);
    puts("fork_child: ok");
}
