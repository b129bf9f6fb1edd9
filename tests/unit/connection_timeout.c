/*
 * connection_timeout.c - a connection that timed out stays failed with the same error, and
 * is not called a reset (api.md 4.5, 4.7: WSAECONNRESET is the peer's reset; a time-out is
 * WSAETIMEDOUT or WSAECONNABORTED).
 *
 * Linux hands ETIMEDOUT to one call, as it does a reset's ECONNRESET, and reads end of
 * stream after it, with the connection CLOSED as after a reset. The test needs packets to
 * go nowhere: it moves into a network namespace of its own and takes loopback down under
 * an established connection whose TCP_USER_TIMEOUT is short. Without the privilege for a
 * namespace it is skipped (exit 77).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/socket.h>

#include "unit.h"

#include "core/socket.h"

/* The kernel descriptor of s (TCP_USER_TIMEOUT has no Winsock name). */
static int fd_of(SOCKET s)
{
    struct wsaio_socket *sk = wsaio_socket_ref(s);
    int fd;

    CHECK(sk != NULL);
    fd = sk->fd;
    wsaio_socket_put(sk);
    return fd;
}

static int last_error_of_recv(SOCKET s)
{
    char buf[8];

    WSASetLastError(0);
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), SOCKET_ERROR);
    return WSAGetLastError();
}

/* After the time-out that `first` reported, every later receive and send on s says the
 * same; never 0 bytes, never a peer's reset. */
static void stays_failed(SOCKET s, int first)
{
    WSAOVERLAPPED ov = {0};
    char buf[8];
    WSABUF wb = {sizeof(buf), buf};
    DWORD n = 0xDEADBEEF, flags = 0;

    CHECK(first == WSAETIMEDOUT || first == WSAECONNABORTED);
    for (int i = 0; i < 2; i++)
        CHECK_EQ(last_error_of_recv(s), first);
    WSASetLastError(0);
    CHECK_EQ(send(s, buf, 1, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), first);
    ov.hEvent = WSACreateEvent();
    WSASetLastError(0);
    CHECK_EQ(WSARecv(s, &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), first);
    WSACloseEvent(ov.hEvent);
}

TEST(connection_timeout)
{
    SOCKET p[2], q[2];
    WSAOVERLAPPED ov = {0};
    char qbuf[8];
    WSABUF wb = {sizeof(qbuf), qbuf};
    DWORD n, flags = 0;
    unsigned ms = 300;
    int first;

    if (system("command -v ip >/dev/null 2>&1") != 0 || unshare(CLONE_NEWNET) != 0 ||
        system("ip link set lo up >/dev/null 2>&1") != 0) {
        SKIP("no network namespace of our own (needs root and ip(8))");
    }
    harness_startup();
    harness_tcp_pair(&p[0], &p[1]);
    harness_tcp_pair(&q[0], &q[1]);
    /* Linux's own setsockopt: <winsock2.h> renames the function to wsaio's. */
    CHECK_EQ(syscall(SYS_setsockopt, fd_of(p[0]), IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof(ms)),
             0);
    CHECK_EQ(syscall(SYS_setsockopt, fd_of(q[0]), IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof(ms)),
             0);
    ov.hEvent = WSACreateEvent();
    CHECK_EQ(WSARecv(q[0], &wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK(system("ip link set lo down >/dev/null 2>&1") == 0);
    CHECK_EQ(send(p[0], "x", 1, 0), 1); /* never acknowledged: times out */
    CHECK_EQ(send(q[0], "x", 1, 0), 1);
    /* p: the time-out reported to a blocking receive, which waits for it. */
    first = last_error_of_recv(p[0]);
    printf("blocking receive: %d\n", first);
    stays_failed(p[0], first);
    /* q: reported to the pending overlapped receive (the engine's path). */
    CHECK_EQ(WaitForSingleObject(ov.hEvent, 10000), WAIT_OBJECT_0);
    CHECK(!WSAGetOverlappedResult(q[0], &ov, &n, FALSE, &flags));
    first = WSAGetLastError();
    printf("pending receive: %d\n", first);
    stays_failed(q[0], first);
    WSACloseEvent(ov.hEvent);
    for (int i = 0; i < 2; i++) {
        closesocket(p[i]);
        closesocket(q[i]);
    }
    WSACleanup();
    printf("connection_timeout: ok\n");
}
