/*
 * large_blocking_send.c - a blocking non-overlapped stream send of 2 GiB (api.md 4.7: it
 * returns after all bytes were taken; byte count = total length).
 *
 * Linux's sendmsg takes at most 0x7FFFF000 bytes a call, so one system call returned a
 * short count (0x7FFFF000) for send(s, buf, 0x7FFFFFFF, 0) or a 2 GiB WSASend on a
 * blocking socket; wsaio goes on until all is taken. Apart from large_buffers.c so that
 * each stays well within the time-out under TSan, whose interceptors read the whole range.
 * Linux-only (not a conformance case): the buffers are one MAP_NORESERVE mapping that is
 * never written, so the test needs no real memory.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/mman.h>

#include "unit.h"

#define HALF 0x80000000ul /* 2 GiB */

static char *big;

/* A blocking non-overlapped stream send returns after all bytes were taken (api.md 4.7),
 * though Linux's sendmsg takes at most 0x7FFFF000 bytes a call: WSASend of 2 GiB over two
 * buffers returns its full count, all taken by the peer (send() shares the path). */
static void blocking_sends_whole(void)
{
    SOCKET p[2];
    WSABUF wb[2] = {{HALF / 2, big}, {HALF / 2, big + HALF / 2}};
    DWORD n = 0, drained = 0;
    HANDLE t;

    harness_tcp_pair(&p[0], &p[1]);
    t = CreateThread(NULL, 0, unit_drain, (LPVOID)(uintptr_t)p[1], 0, NULL);
    CHECK(t != NULL);
    CHECK_EQ(WSASend(p[0], wb, 2, &n, 0, NULL, NULL), 0);
    CHECK_EQ(n, HALF);
    CHECK(shutdown(p[0], SD_SEND) == 0);
    CHECK_EQ(WaitForSingleObject(t, 60000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(t, &drained));
    CHECK_EQ(drained, HALF);
    CloseHandle(t);
    closesocket(p[0]);
    closesocket(p[1]);
}

TEST(large_blocking_send)
{

    harness_startup();
    big = mmap(NULL, HALF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
               0);
    CHECK(big != MAP_FAILED);
    blocking_sends_whole();
    munmap(big, HALF);
    WSACleanup();
    printf("large_blocking_send: a 2 GiB blocking send returns whole\n");
}
