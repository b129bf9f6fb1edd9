/*
 * backend_check.c - what wsaio chose, run under no_uring (io_uring_setup refused):
 *
 *   backend_check auto          no WSAIO_BACKEND: epoll chosen by itself, and
 *                               wsaio_backend_refusal() says io_uring got EPERM; an
 *                               overlapped receive then works (pending, then completed).
 *   backend_check forced-uring  WSAIO_BACKEND=uring: no silent fallback; the backend is
 *                               "none", the refusal says why, and an overlapped WSARecv
 *                               fails with WSAENETDOWN.
 */
#include <string.h>

#include "../unit/unit.h"

static SOCKET bound_udp(struct sockaddr_in *addr)
{
    SOCKET s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    int len = sizeof(*addr);

    UCHECK(s != INVALID_SOCKET);
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    UCHECK_EQ(bind(s, (struct sockaddr *)addr, sizeof(*addr)), 0);
    UCHECK_EQ(getsockname(s, (struct sockaddr *)addr, &len), 0);
    return s;
}

int main(int argc, char **argv)
{
    WSADATA wd;
    WSAOVERLAPPED ov = {0};
    struct sockaddr_in addr;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD n = 0, flags = 0;
    SOCKET s;
    int rc, err;

    UCHECK(argc == 2);
    UCHECK_EQ(WSAStartup(MAKEWORD(2, 2), &wd), 0);
    printf("backend %s, refusal \"%s\"\n", wsaio_backend_name(), wsaio_backend_refusal());
    s = bound_udp(&addr);
    ov.hEvent = WSACreateEvent();
    rc = WSARecv(s, &wb, 1, &n, &flags, &ov, NULL);
    err = WSAGetLastError();
    if (strcmp(argv[1], "forced-uring") == 0) {
        UCHECK(strcmp(wsaio_backend_name(), "none") == 0);
        UCHECK(strstr(wsaio_backend_refusal(), "WSAIO_BACKEND=uring") != NULL);
        UCHECK(strstr(wsaio_backend_refusal(), "EPERM") != NULL);
        UCHECK_EQ(rc, SOCKET_ERROR);
        UCHECK_EQ(err, WSAENETDOWN);
    } else {
        SOCKET t = bound_udp(&(struct sockaddr_in){0});

        UCHECK(strcmp(argv[1], "auto") == 0);
        UCHECK(strcmp(wsaio_backend_name(), "epoll") == 0);
        UCHECK(strstr(wsaio_backend_refusal(), "EPERM") != NULL);
        UCHECK_EQ(rc, SOCKET_ERROR);
        UCHECK_EQ(err, WSA_IO_PENDING);
        UCHECK_EQ(sendto(t, "ping", 4, 0, (struct sockaddr *)&addr, sizeof(addr)), 4);
        UCHECK_EQ(WSAWaitForMultipleEvents(1, &ov.hEvent, TRUE, 10000, FALSE), WSA_WAIT_EVENT_0);
        UCHECK(WSAGetOverlappedResult(s, &ov, &n, FALSE, &flags));
        UCHECK_EQ(n, 4);
        closesocket(t);
    }
    closesocket(s);
    WSACloseEvent(ov.hEvent);
    WSACleanup();
    printf("ok %s\n", argv[1]);
    return 0;
}
