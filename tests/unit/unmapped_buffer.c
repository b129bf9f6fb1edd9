/*
 * unmapped_buffer.c - an overlapped operation whose data buffer is unmapped while it pends
 * (api.md 0.6 [Lib], 4.5, 4.7: a buffer the kernel cannot access fails the operation with
 * WSAEFAULT).
 *
 * The buffer passes the argument checks (it is mapped when the call is made); the kernel
 * meets EFAULT only when the data comes (a receive) or the send path frees up (a send
 * queued behind another). The operation must then complete once, with WSAEFAULT and 0
 * bytes, on both backends: not hang, not complete twice, not take the data (a stream
 * receive leaves it queued for the next one) and not disturb the send before it.
 * Linux-only (not a conformance case): it unmaps memory under a pending operation, which a
 * program must not do; the library must still not crash or hang.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/mman.h>

#include "unit.h"

#define PAGE 4096

/* Takes the page away from under the pending operation: its memory is gone, as after
 * munmap, but the address stays reserved (PROT_NONE) until the end of the case, so that no
 * other mapping (ASan's allocator, a thread stack) can appear there in between and make the
 * kernel's copy succeed into someone else's memory (1 run in 25 under ASan did). */
static void take_away(char *m)
{
    CHECK(mmap(m, PAGE, PROT_NONE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
               0) == m);
}

/* The pending operation on ov failed with WSAEFAULT, 0 bytes, and its event was set once. */
static void check_failed_once(SOCKET s, WSAOVERLAPPED *ov)
{
    DWORD n = 1, f = 0;

    CHECK_EQ(WaitForSingleObject(ov->hEvent, 5000), WAIT_OBJECT_0);
    CHECK(!WSAGetOverlappedResult(s, ov, &n, FALSE, &f));
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(n, 0);
    CHECK(WSAResetEvent(ov->hEvent));
    CHECK_EQ(WaitForSingleObject(ov->hEvent, 100), WAIT_TIMEOUT); /* no second completion */
}

static void recv_into_unmapped(void)
{
    SOCKET p[2];
    char *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    WSABUF wb = {16, m};
    WSAOVERLAPPED ov = {0};
    DWORD n = 0, f = 0;
    char c[8];

    CHECK(m != MAP_FAILED);
    harness_tcp_pair(&p[0], &p[1]);
    ov.hEvent = WSACreateEvent();
    CHECK_EQ(WSARecv(p[0], &wb, 1, &n, &f, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    take_away(m);
    CHECK_EQ(send(p[1], "hello", 5, 0), 5);
    check_failed_once(p[0], &ov);
    CHECK_EQ(recv(p[0], c, sizeof(c), 0), 5); /* the data is still there */
    WSACloseEvent(ov.hEvent);
    closesocket(p[0]);
    closesocket(p[1]);
    CHECK(munmap(m, PAGE) == 0);
}

/* Reads n bytes from s and throws them away. */
static void drain(SOCKET s, long n)
{
    static char sink[1 << 16];

    while (n > 0) {
        int got = recv(s, sink, n < (long)sizeof(sink) ? (int)n : (int)sizeof(sink), 0);

        CHECK(got > 0);
        n -= got;
    }
}

static void send_from_unmapped_behind_another(void)
{
    SOCKET p[2];
    static char out[1 << 16];
    char *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    WSABUF good = {sizeof(out), out}, bad = {16, m};
    WSAOVERLAPPED first = {0}, ov = {0};
    u_long on = 1;
    long queued = 0;
    DWORD n = 0, f = 0;
    int r;

    CHECK(m != MAP_FAILED);
    harness_tcp_pair(&p[0], &p[1]);
    CHECK(ioctlsocket(p[0], FIONBIO, &on) == 0);
    while ((r = send(p[0], out, sizeof(out), 0)) > 0) /* fill the send path */
        queued += r;
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    first.hEvent = WSACreateEvent();
    ov.hEvent = WSACreateEvent();
    CHECK_EQ(WSASend(p[0], &good, 1, &n, 0, &first, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(WSASend(p[0], &bad, 1, &n, 0, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    take_away(m);
    drain(p[1], queued + (long)sizeof(out));
    CHECK_EQ(WaitForSingleObject(first.hEvent, 5000), WAIT_OBJECT_0);
    CHECK(WSAGetOverlappedResult(p[0], &first, &n, FALSE, &f));
    CHECK_EQ(n, sizeof(out));
    check_failed_once(p[0], &ov);
    WSACloseEvent(first.hEvent);
    WSACloseEvent(ov.hEvent);
    closesocket(p[0]);
    closesocket(p[1]);
    CHECK(munmap(m, PAGE) == 0);
}

TEST(unmapped_buffer)
{
    harness_startup();
    recv_into_unmapped();
    send_from_unmapped_behind_another();
    WSACleanup();
    printf("unmapped_buffer: pending operations on unmapped buffers fail once with WSAEFAULT\n");
}
