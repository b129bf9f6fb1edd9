/*
 * port_memory.c - wsaio_port_memory_info() tells what the completion-port side really
 * costs (spec/conformance.md section Z, item 388): the bytes the C library hands out grow,
 * per pending AcceptEx, per queued completion packet and per queued posted packet, by the
 * figure reported, give or take the allocator's own header (up to 16 bytes a block) and a
 * little slack for the first records of a pool. Likewise wsaio_op_memory_info() for the
 * two classes of operation records (section AB, item 404, issue 13): per pending WSARecv
 * (a plain record, at most 192 bytes of heap) and per pending WSARecvFrom (extended).
 *
 * Each case empties the pools first (records kept for reuse would make the growth 0), and
 * does one such operation before it measures, so that one-time setup (the backend, the
 * listener's backend state) is not counted. Under AddressSanitizer or
 * ThreadSanitizer the allocator is theirs, so the test skips there.
 */
#include <malloc.h>

#include "unit.h"

#include "base/pool.h"
#include "core/port.h"

#include <mswsock.h>

#define N    200
#define AREA ((DWORD)sizeof(struct sockaddr_in) + 16)

/* Growth per item of the bytes in use since base is figure, within the allocator's
 * header (16 bytes) and 2% for the pool's own bookkeeping. Returns the growth. */
static size_t check_per_item(size_t base, size_t figure, const char *what)
{
    size_t per = (mallinfo2().uordblks - base) / N;

    printf("%s: %zu bytes reported, %zu measured\n", what, figure, per);
    CHECK(per + figure / 50 >= figure);
    CHECK(per <= figure + 16 + figure / 50);
    return per;
}

/* Skips under a sanitizer; else empties the pools, so the records counted are new ones. */
static void fresh_pools(void)
{
#ifdef UNIT_SANITIZED
    SKIP("the sanitizer's allocator keeps its own books");
#endif
    wsaio_pool_trim_all(0, true);
}

TEST(z388_posted_packets)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    size_t per_posted = 0, base;
    OVERLAPPED_ENTRY e;
    ULONG got;

    fresh_pools();
    CHECK(port != NULL);
    wsaio_port_memory_info(NULL, NULL, &per_posted);
    CHECK_EQ(per_posted, wsaio_port_packet_size());
    base = mallinfo2().uordblks;
    for (int i = 0; i < N; i++)
        CHECK(PostQueuedCompletionStatus(port, 0, (ULONG_PTR)i, NULL));
    check_per_item(base, per_posted, "posted packet");
    for (int i = 0; i < N; i++)
        CHECK(GetQueuedCompletionStatusEx(port, &e, 1, &got, 0, FALSE));
    CHECK(CloseHandle(port));
}

TEST(z388_completion_packets)
{
    static char byte = 'x';
    static WSAOVERLAPPED ov[N + 1];
    WSABUF buf = {1, &byte};
    size_t per_packet = 0, base;
    HANDLE port;
    SOCKET a, b;
    ULONG_PTR key;
    LPOVERLAPPED o;
    DWORD n;

    fresh_pools();
    harness_startup();
    harness_tcp_pair(&a, &b);
    port = CreateIoCompletionPort((HANDLE)a, NULL, 1, 0);
    CHECK(port != NULL);
    wsaio_port_memory_info(NULL, &per_packet, NULL);
    /* One first: the backend is set up by it. */
    CHECK(WSASend(a, &buf, 1, &n, 0, &ov[N], NULL) == 0);
    CHECK(GetQueuedCompletionStatus(port, &n, &key, &o, 2000));
    base = mallinfo2().uordblks;
    for (int i = 0; i < N; i++) /* each completes at once: a packet queued, not dequeued */
        CHECK(WSASend(a, &buf, 1, &n, 0, &ov[i], NULL) == 0);
    check_per_item(base, per_packet, "completion packet");
    for (int i = 0; i < N; i++)
        CHECK(GetQueuedCompletionStatus(port, &n, &key, &o, 2000));
    CHECK(CloseHandle(port));
    closesocket(a);
    closesocket(b);
}

TEST(z388_pending_acceptex)
{
    static WSAOVERLAPPED ov[N + 1];
    static char out[N + 1][2 * AREA];
    static SOCKET acc[N + 1];
    size_t per_accept = 0, base;
    struct sockaddr_in la;
    SOCKET l;
    DWORD n;

    fresh_pools();
    harness_startup();
    harness_listener(&l, &la);
    for (int i = 0; i <= N; i++)
        CHECK((acc[i] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) != INVALID_SOCKET);
    wsaio_port_memory_info(&per_accept, NULL, NULL);
    /* One first: the listener's backend state is made by it. */
    CHECK(!AcceptEx(l, acc[N], out[N], 0, AREA, AREA, &n, &ov[N]));
    CHECK_ERR(ERROR_IO_PENDING);
    base = mallinfo2().uordblks;
    for (int i = 0; i < N; i++) {
        CHECK(!AcceptEx(l, acc[i], out[i], 0, AREA, AREA, &n, &ov[i]));
        CHECK_ERR(ERROR_IO_PENDING);
    }
    check_per_item(base, per_accept, "pending AcceptEx");
    closesocket(l); /* aborts them all */
    for (int i = 0; i <= N; i++)
        closesocket(acc[i]);
}

/* N receives pending on one socket (the first in the kernel, the others queued behind it:
 * each holds its record), with an address to fill or without. */
static size_t pending_receives(SOCKET s, bool with_from, size_t figure, const char *what)
{
    static char bytes[N + 1];
    static WSAOVERLAPPED ov[N + 1];
    static struct sockaddr_in from[N + 1];
    static INT fromlen[N + 1];
    size_t base = 0;

    for (int i = 0; i <= N; i++) {
        WSABUF buf = {1, &bytes[i]};
        DWORD n, flags = 0;

        fromlen[i] = (INT)sizeof(from[i]);
        if (i == 1) /* after one first: the socket's backend state is made by it */
            base = mallinfo2().uordblks;
        CHECK_EQ(WSARecvFrom(s, &buf, 1, &n, &flags, with_from ? (struct sockaddr *)&from[i] : NULL,
                             with_from ? &fromlen[i] : NULL, &ov[i], NULL),
                 SOCKET_ERROR);
        CHECK_ERR(WSA_IO_PENDING);
    }
    return check_per_item(base, figure, what);
}

TEST(ab404_pending_recv)
{
    size_t plain = 0, per;
    SOCKET a, b;

    fresh_pools();
    harness_startup();
    harness_tcp_pair(&a, &b);
    wsaio_op_memory_info(&plain, NULL);
    wsaio_memory_info(&per, NULL);
    CHECK_EQ(per, plain); /* the common operation's figure */
    /* Issue 13: at most 192 bytes of heap per pending plain operation. */
    CHECK(pending_receives(a, false, plain, "pending WSARecv") <= 192);
    closesocket(a); /* aborts them all */
    closesocket(b);
}

TEST(ab404_pending_recvfrom)
{
    size_t extended = 0;
    SOCKET a, b;

    fresh_pools();
    harness_startup();
    harness_udp_pair(&a, &b);
    wsaio_op_memory_info(NULL, &extended);
    pending_receives(a, true, extended, "pending WSARecvFrom");
    closesocket(a);
    closesocket(b);
}
