/*
 * large_buffers.c - WSABUF arrays whose lengths add up to 4 GiB or more (api.md 5: the
 * total is the sum of all lens; byte counts are DWORDs).
 *
 * The total is counted in 64 bits, so neither the total nor a byte count can wrap to
 * 32 bits:
 * - a receive over two 2 GiB buffers returns the data queued (a total wrapped to 0 made it
 *   a zero-length receive: 0 bytes, read as end of stream, the data left queued);
 * - an overlapped stream send of 3 GiB completes once with all 3 GiB, all of them taken by
 *   the peer: stream sends complete whole (api.md 4.7) and the count fits the DWORD; so
 *   do blocking non-overlapped ones (WSASend of 2 GiB, send of 0x7FFFFFFF bytes);
 * - an overlapped send over 4 GiB + 100 bytes, whose count no DWORD holds, fails at the
 *   call with WSAENOBUFS and sends nothing (a wrapped total of 100 completed it with
 *   whatever the first system call took); a datagram that large fails with WSAEMSGSIZE,
 *   as any datagram over the UDP maximum.
 * Linux-only (not a conformance case): the buffers are one MAP_NORESERVE mapping that is
 * never written, so the test needs no real memory; Windows would have to commit 4 GiB.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "unit.h"

#define HALF      0x80000000ul /* 2 GiB: two of them make 2^32 */
#define SEND_MORE 100ul        /* 2^32 + 100 wrapped to 32 bits is 100 */

static char *big; /* 2 * HALF + SEND_MORE bytes, MAP_NORESERVE */

static void tcp_pair(SOCKET *a, SOCKET *b)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    int len = sizeof(addr);

    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    UCHECK(bind(l, (struct sockaddr *)&addr, sizeof(addr)) == 0);
    UCHECK(listen(l, 1) == 0);
    UCHECK(getsockname(l, (struct sockaddr *)&addr, &len) == 0);
    *a = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    UCHECK(*a != INVALID_SOCKET);
    UCHECK(connect(*a, (struct sockaddr *)&addr, sizeof(addr)) == 0);
    *b = accept(l, NULL, NULL);
    UCHECK(*b != INVALID_SOCKET);
    closesocket(l);
}

/* The result of an overlapped call on s that returned rc (0 or WSA_IO_PENDING): the
 * immediate count, or the completion's. */
static DWORD finish(SOCKET s, int rc, DWORD immediate, WSAOVERLAPPED *ov)
{
    DWORD n = 0, flags = 0;

    if (rc == 0)
        return immediate;
    UCHECK(WSAGetOverlappedResult(s, ov, &n, TRUE, &flags));
    return n;
}

/* rc and last error of an overlapped call: 0, or SOCKET_ERROR with WSA_IO_PENDING. */
static int started(int rc)
{
    UCHECK(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    return rc;
}

/* Two 2 GiB buffers, with the data queued before the call (immediate) or after (pending). */
static void recv_two_halves(BOOL queued_first)
{
    SOCKET a, b;
    WSABUF wb[2] = {{HALF, big}, {HALF, big + HALF}};
    WSAOVERLAPPED ov;
    DWORD n = 0, flags = 0;
    int rc;

    tcp_pair(&a, &b);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    if (queued_first)
        UCHECK_EQ(send(b, "hello", 5, 0), 5);
    rc = started(WSARecv(a, wb, 2, &n, &flags, &ov, NULL));
    if (!queued_first) {
        UCHECK(rc == SOCKET_ERROR);
        UCHECK_EQ(send(b, "hello", 5, 0), 5);
    }
    UCHECK_EQ(finish(a, rc, n, &ov), 5);
    UCHECK(memcmp(big, "hello", 5) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

/* Drains the peer without copying (TCP MSG_TRUNC) until end of stream; returns the count,
 * 0 if it does not fit a DWORD. The raw system call: <winsock2.h> names recv wsaio_recv,
 * which takes Windows flags. */
static DWORD WINAPI drain(LPVOID arg)
{
    int fd = (int)(SOCKET)(uintptr_t)arg;
    static char sink[1 << 16];
    unsigned long long total = 0;
    long n;

    while ((n = syscall(SYS_recvfrom, fd, sink, (size_t)1 << 30, MSG_TRUNC, NULL, NULL)) > 0)
        total += (unsigned long long)n;
    UCHECK(n == 0);
    return (DWORD)(total > 0xFFFFFFFFull ? 0 : total);
}

/* An overlapped stream send over two buffers of first and second bytes: the count it
 * completes with (or the error it fails with at the call, *err) and the count the peer
 * took. */
static DWORD send_two(ULONG first, ULONG second, DWORD *drained, int *err)
{
    SOCKET a, b;
    WSABUF wb[2] = {{first, big}, {second, big + first}};
    WSAOVERLAPPED ov;
    DWORD n = 0;
    HANDLE t;
    int rc;

    tcp_pair(&a, &b);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    t = CreateThread(NULL, 0, drain, (LPVOID)(uintptr_t)b, 0, NULL);
    UCHECK(t != NULL);
    rc = WSASend(a, wb, 2, &n, 0, &ov, NULL);
    *err = rc == 0 ? 0 : WSAGetLastError();
    if (*err != 0 && *err != WSA_IO_PENDING)
        n = 0;
    else
        n = finish(a, rc, n, &ov);
    UCHECK(shutdown(a, SD_SEND) == 0);
    UCHECK_EQ(WaitForSingleObject(t, 60000), WAIT_OBJECT_0);
    UCHECK(GetExitCodeThread(t, drained));
    CloseHandle(t);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
    return n;
}

/* 3 GiB: more than an int, less than a DWORD. Sent whole (api.md 4.7). */
static void send_3gib(void)
{
    DWORD drained = 0;
    int err;

    UCHECK_EQ(send_two(HALF, HALF / 2, &drained, &err), 3 * (HALF / 2));
    UCHECK(err == 0 || err == WSA_IO_PENDING);
    UCHECK_EQ(drained, 3 * (HALF / 2));
}

/* 4 GiB + 100: no DWORD holds the count. Refused at the call, nothing sent. */
static void send_over_4gib(void)
{
    DWORD drained = 1;
    int err;

    UCHECK_EQ(send_two(HALF, HALF + SEND_MORE, &drained, &err), 0);
    UCHECK_EQ(err, WSAENOBUFS);
    UCHECK_EQ(drained, 0);
}

/* A blocking non-overlapped stream send returns after all bytes were taken (api.md 4.7),
 * though Linux's sendmsg takes at most 0x7FFFF000 bytes a call: WSASend of 2 GiB over two
 * buffers and send of 0x7FFFFFFF bytes return their full counts, all taken by the peer. */
static void blocking_sends_whole(void)
{
    SOCKET a, b;
    WSABUF wb[2] = {{HALF / 2, big}, {HALF / 2, big + HALF / 2}};
    DWORD n = 0, drained = 0;
    HANDLE t;

    tcp_pair(&a, &b);
    t = CreateThread(NULL, 0, drain, (LPVOID)(uintptr_t)b, 0, NULL);
    UCHECK(t != NULL);
    UCHECK_EQ(WSASend(a, wb, 2, &n, 0, NULL, NULL), 0);
    UCHECK_EQ(n, HALF);
    UCHECK_EQ(send(a, big, 0x7FFFFFFF, 0), 0x7FFFFFFF);
    UCHECK(shutdown(a, SD_SEND) == 0);
    UCHECK_EQ(WaitForSingleObject(t, 60000), WAIT_OBJECT_0);
    UCHECK(GetExitCodeThread(t, &drained));
    UCHECK_EQ(drained, HALF + 0x7FFFFFFF);
    CloseHandle(t);
    closesocket(a);
    closesocket(b);
}

/* A datagram over 4 GiB is too large for UDP like any other over 65507 bytes (api.md 4.7):
 * WSAEMSGSIZE, nothing sent. */
static void sendto_over_4gib(void)
{
    SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in to = {.sin_family = AF_INET};
    int len = sizeof(to);
    WSABUF wb[2] = {{HALF, big}, {HALF + SEND_MORE, big + HALF}};
    DWORD n = 0;

    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    UCHECK(u != INVALID_SOCKET);
    UCHECK(bind(u, (struct sockaddr *)&to, sizeof(to)) == 0);
    UCHECK(getsockname(u, (struct sockaddr *)&to, &len) == 0);
    UCHECK_EQ(WSASendTo(u, wb, 2, &n, 0, (struct sockaddr *)&to, sizeof(to), NULL, NULL),
              SOCKET_ERROR);
    UCHECK_EQ(WSAGetLastError(), WSAEMSGSIZE);
    closesocket(u);
}

int main(void)
{
    WSADATA wsa;

    UCHECK(WSAStartup(MAKEWORD(2, 2), &wsa) == 0);
    big = mmap(NULL, 2 * HALF + SEND_MORE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    UCHECK(big != MAP_FAILED);
    recv_two_halves(TRUE);
    recv_two_halves(FALSE);
    send_3gib();
    send_over_4gib();
    sendto_over_4gib();
    blocking_sends_whole();
    munmap(big, 2 * HALF + SEND_MORE);
    WSACleanup();
    printf("large_buffers: 4 GiB receive and send totals ok\n");
    return 0;
}
