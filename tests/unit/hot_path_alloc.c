/*
 * hot_path_alloc.c - an overlapped receive that waits in the kernel allocates nothing once
 * wsaio is warm (issue 9 item 9): 1,000 rounds of "post a receive on an idle socket (so
 * the socket goes from idle to busy in the backend), the peer sends, the completion is
 * waited for" make no call to malloc, calloc or realloc, whether the receive has one
 * buffer or 16 (more than an operation record holds inline). The epoll backend used to
 * allocate its per-socket state at every idle-to-busy change, and a call with more than 8
 * buffers allocated an array for them.
 *
 * Allocations are counted by this program's own malloc, calloc and realloc, which pass
 * on to glibc's. Under AddressSanitizer or ThreadSanitizer the allocator is theirs and
 * cannot be interposed like this: the test skips there, saying so.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#include "unit.h"

#define ROUNDS 1000

static _Atomic long allocations;
static _Atomic int counting;

#ifndef UNIT_SANITIZED
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);

static void count(void)
{
    if (atomic_load_explicit(&counting, memory_order_relaxed))
        atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
}

void *malloc(size_t n)
{
    count();
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    count();
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    count();
    return __libc_realloc(p, n);
}
#endif

/* One round: a receive into nbufs buffers that has to wait, completed by the peer's
 * byte. */
static void round_trip(SOCKET p[2], WSAOVERLAPPED *ov, DWORD nbufs)
{
    char buf[16];
    WSABUF b[16];
    DWORD n = 0, flags = 0;

    for (DWORD i = 0; i < nbufs; i++) {
        b[i].len = 1;
        b[i].buf = &buf[i];
    }
    CHECK_EQ(WSARecv(p[0], b, nbufs, NULL, &flags, ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(send(p[1], "x", 1, 0), 1);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ov->hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK(WSAGetOverlappedResult(p[0], ov, &n, FALSE, &flags));
    CHECK_EQ(n, 1);
}

TEST(hot_path_alloc)
{
    SOCKET p[2];
    WSAOVERLAPPED ov;

#ifdef UNIT_SANITIZED
    SKIP("a sanitizer's allocator cannot be interposed to count allocations");
#endif
    harness_startup();
    harness_tcp_pair(&p[0], &p[1]);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    for (int i = 0; i < 10; i++) /* warm: the backend, the threads, the pools */
        round_trip(p, &ov, 1 + i % 2 * 15);
    atomic_store(&counting, 1);
    for (int i = 0; i < ROUNDS; i++) /* one buffer, or more than a record holds inline */
        round_trip(p, &ov, 1 + i % 2 * 15);
    atomic_store(&counting, 0);
    printf("%s: %ld allocations in %d rounds\n", wsaio_backend_name(), atomic_load(&allocations),
           ROUNDS);
    CHECK_EQ(atomic_load(&allocations), 0);
    closesocket(p[0]);
    closesocket(p[1]);
    WSACloseEvent(ov.hEvent);
    CHECK(WSACleanup() == 0);
}
