/*
 * backend_check.c - what wsaio chose, run under no_uring (io_uring_setup refused):
 *
 * Two cases of the test harness (tests/conformance/harness.h):
 *   backend_check auto_backend  no WSAIO_BACKEND: epoll chosen by itself, and
 *                               wsaio_backend_refusal() says io_uring got EPERM; an
 *                               overlapped receive then works (pending, then completed).
 *   backend_check forced_uring  WSAIO_BACKEND=uring: no silent fallback; the backend is
 *                               "none", the refusal says why, and an overlapped WSARecv
 *                               fails with WSAENETDOWN.
 */
#include <string.h>

#include "../conformance/harness.h"
#include <wsaio.h>

static SOCKET bound_udp(struct sockaddr_in *addr)
{
    SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    int len = sizeof(*addr);

    CHECK(s != INVALID_SOCKET);
    *addr = harness_loopback4(0);
    CHECK_EQ(bind(s, (struct sockaddr *)addr, sizeof(*addr)), 0);
    CHECK_EQ(getsockname(s, (struct sockaddr *)addr, &len), 0);
    return s;
}

static WSAOVERLAPPED ov;
static char buf[16];
static DWORD n, flags;

/* Starts wsaio, says what it chose, and posts an overlapped receive on a bound UDP socket
 * (*addr its address); returns that socket, *rc and *err what WSARecv said. */
static SOCKET start_and_receive(struct sockaddr_in *addr, int *rc, int *err)
{
    WSABUF wb = {sizeof(buf), buf};
    SOCKET s;

    harness_startup();
    printf("backend %s, refusal \"%s\"\n", wsaio_backend_name(), wsaio_backend_refusal());
    s = bound_udp(addr);
    harness_ov_init(&ov, TRUE);
    *rc = WSARecv(s, &wb, 1, &n, &flags, &ov, NULL);
    *err = WSAGetLastError();
    return s;
}

static void finish(SOCKET s)
{
    closesocket(s);
    WSACloseEvent(ov.hEvent);
    WSACleanup();
}

TEST(forced_uring)
{
    struct sockaddr_in addr;
    int rc, err;
    SOCKET s = start_and_receive(&addr, &rc, &err);

    CHECK(strcmp(wsaio_backend_name(), "none") == 0);
    CHECK(strstr(wsaio_backend_refusal(), "WSAIO_BACKEND=uring") != NULL);
    CHECK(strstr(wsaio_backend_refusal(), "EPERM") != NULL);
    CHECK_EQ(rc, SOCKET_ERROR);
    CHECK_EQ(err, WSAENETDOWN);
    finish(s);
}

TEST(auto_backend)
{
    struct sockaddr_in addr;
    int rc, err;
    SOCKET s = start_and_receive(&addr, &rc, &err), t = bound_udp(&(struct sockaddr_in){0});

    CHECK(strcmp(wsaio_backend_name(), "epoll") == 0);
    CHECK(strstr(wsaio_backend_refusal(), "EPERM") != NULL);
    CHECK_EQ(rc, SOCKET_ERROR);
    CHECK_EQ(err, WSA_IO_PENDING);
    CHECK_EQ(sendto(t, "ping", 4, 0, (struct sockaddr *)&addr, sizeof(addr)), 4);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ov.hEvent, TRUE, 10000, FALSE), WSA_WAIT_EVENT_0);
    CHECK(WSAGetOverlappedResult(s, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 4);
    closesocket(t);
    finish(s);
}
