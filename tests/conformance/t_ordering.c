/*
 * t_ordering.c - scatter/gather and ordering (spec/conformance.md section T, api.md 5, 6).
 *
 * Windows sends the buffers of a WSABUF array as one contiguous sequence (one datagram on
 * UDP), skipping empty entries, and fills receive buffers in array order; the array itself
 * may be reused once the call returns. Receives pending on one socket get data in the order
 * they were issued; sends enter the stream in issue order, each whole, also when many are
 * pending or they come from several threads.
 *
 * Items: 313-319, plus the issue's sizes: 32 posted receives, 64 pending sends, and sends
 * from several threads at once (api.md 6 rule 4: each call's data stays contiguous).
 */
#include "harness.h"

TEST(t313_gather_skips_empty_buffer)
{
    SOCKET a, b;
    char ab[] = "ab", cde[] = "cde", got[8];
    WSABUF wb[3] = {{2, ab}, {0, NULL}, {3, cde}};
    DWORD n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(WSASend(a, wb, 3, &n, 0, NULL, NULL), 0);
    CHECK_EQ(n, 5);
    harness_recv_all(b, got, 5);
    CHECK(memcmp(got, "abcde", 5) == 0);
    closesocket(a);
    closesocket(b);
}

TEST(t314_scatter_fills_in_order)
{
    SOCKET a, b;
    char b1[3], b2[3], b3[10];
    WSABUF wb[3] = {{3, b1}, {3, b2}, {10, b3}};
    DWORD n = 0, flags = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "0123456789", 10);
    harness_wait_queued(a, 10);
    CHECK_EQ(WSARecv(a, wb, 3, &n, &flags, NULL, NULL), 0);
    CHECK_EQ(n, 10);
    CHECK(memcmp(b1, "012", 3) == 0);
    CHECK(memcmp(b2, "345", 3) == 0);
    CHECK(memcmp(b3, "6789", 4) == 0);
    closesocket(a);
    closesocket(b);
}

TEST(t315_udp_gather_one_datagram)
{
    SOCKET a, b;
    char ab[] = "ab", cd[] = "cd", got[16];
    WSABUF wb[2] = {{2, ab}, {2, cd}};
    DWORD n = 0;

    harness_startup();
    harness_udp_pair(&a, &b);
    CHECK_EQ(WSASend(a, wb, 2, &n, 0, NULL, NULL), 0);
    CHECK_EQ(n, 4);
    CHECK_EQ(recv(b, got, sizeof(got), 0), 4);
    CHECK(memcmp(got, "abcd", 4) == 0);
    harness_set_nonblocking(b, TRUE);
    CHECK_EQ(recv(b, got, sizeof(got), 0), SOCKET_ERROR);
    CHECK_ERR(WSAEWOULDBLOCK);
    closesocket(a);
    closesocket(b);
}

TEST(t316_wsabuf_array_reusable_after_call)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    static char real[8], decoy[8];
    WSABUF *wb = malloc(sizeof(WSABUF));
    static DWORD flags;
    DWORD n = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK(wb != NULL);
    wb->len = sizeof(real);
    wb->buf = real;
    harness_ov_init(&ov, TRUE);
    CHECK_EQ(WSARecv(a, wb, 1, &n, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
    wb->len = 3;
    wb->buf = decoy; /* garbage from the library's point of view */
    free(wb);
    harness_send_all(b, "payload", 7);
    CHECK(harness_signalled(ov.hEvent, 1000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 7);
    CHECK(memcmp(real, "payload", 7) == 0);
    CHECK_EQ(decoy[0], 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}

/* count one-byte receives posted on a, then the peer sends count bytes in one go. */
static void recvs_in_issue_order(int count)
{
    SOCKET a, b;
    WSAOVERLAPPED *ov = calloc((size_t)count, sizeof(*ov));
    char *got = calloc((size_t)count, 1), *data = malloc((size_t)count);
    DWORD n, flags;
    int i;

    CHECK(ov && got && data);
    harness_startup();
    harness_tcp_pair(&a, &b);
    for (i = 0; i < count; i++) {
        harness_ov_init(&ov[i], TRUE);
        harness_recv_pending(a, &ov[i], &got[i], 1, NULL);
        data[i] = (char)('A' + i % 58);
    }
    harness_send_all(b, data, count);
    for (i = 0; i < count; i++) {
        CHECK(harness_signalled(ov[i].hEvent, 1000));
        CHECK(WSAGetOverlappedResult(a, &ov[i], &n, FALSE, &flags));
        CHECK_EQ(n, 1);
        if (got[i] != data[i])
            harness_fail(__FILE__, __LINE__, "receive %d got '%c', expected '%c'", i, got[i],
                         data[i]);
        WSACloseEvent(ov[i].hEvent);
    }
    closesocket(a);
    closesocket(b);
    free(ov);
    free(got);
    free(data);
}

TEST(t317_three_recvs_in_issue_order)
{
    recvs_in_issue_order(3);
}

TEST(t317_32_recvs_in_issue_order)
{
    recvs_in_issue_order(32);
}

/* count overlapped sends of len bytes, each filled with its index; the peer checks order. */
static void sends_in_issue_order(int count, int len)
{
    SOCKET a, b;
    WSAOVERLAPPED *ov = calloc((size_t)count, sizeof(*ov));
    char *data = malloc((size_t)count * (size_t)len), *got = malloc((size_t)len);
    WSABUF wb;
    DWORD n;
    int i, j, rc;

    CHECK(ov && data && got);
    harness_startup();
    harness_tcp_pair(&a, &b);
    for (i = 0; i < count; i++) {
        memset(data + (size_t)i * len, i + 1, (size_t)len);
        harness_ov_init(&ov[i], TRUE);
        wb.len = (ULONG)len;
        wb.buf = data + (size_t)i * len;
        rc = WSASend(a, &wb, 1, &n, 0, &ov[i], NULL);
        if (rc != 0)
            CHECK_ERR(WSA_IO_PENDING);
    }
    for (i = 0; i < count; i++) {
        harness_recv_all(b, got, len);
        for (j = 0; j < len; j++)
            if (got[j] != (char)(i + 1))
                harness_fail(__FILE__, __LINE__, "send %d: byte %d is %d", i, j, got[j]);
    }
    for (i = 0; i < count; i++) {
        DWORD flags;

        CHECK(harness_signalled(ov[i].hEvent, 1000));
        CHECK(WSAGetOverlappedResult(a, &ov[i], &n, FALSE, &flags));
        CHECK_EQ(n, (DWORD)len);
        WSACloseEvent(ov[i].hEvent);
    }
    closesocket(a);
    closesocket(b);
    free(ov);
    free(data);
    free(got);
}

TEST(t318_16_sends_64k_in_order)
{
    sends_in_issue_order(16, 65536);
}

TEST(t318_64_pending_sends_in_order)
{
    sends_in_issue_order(64, 65536);
}

enum { THREADS = 4, PER_THREAD = 16, CHUNK = 8192 };

struct sender {
    SOCKET s;
    int id;
};

static DWORD WINAPI thread_sends(LPVOID p)
{
    struct sender *sd = p;
    static char bufs[THREADS][PER_THREAD][CHUNK];
    WSAOVERLAPPED ov[PER_THREAD];
    WSABUF wb;
    DWORD n, flags;
    int i;

    for (i = 0; i < PER_THREAD; i++) {
        memset(bufs[sd->id][i], sd->id * PER_THREAD + i + 1, CHUNK);
        harness_ov_init(&ov[i], TRUE);
        wb.len = CHUNK;
        wb.buf = bufs[sd->id][i];
        if (WSASend(sd->s, &wb, 1, &n, 0, &ov[i], NULL) != 0)
            CHECK_ERR(WSA_IO_PENDING);
    }
    for (i = 0; i < PER_THREAD; i++) {
        CHECK(harness_signalled(ov[i].hEvent, 3000));
        CHECK(WSAGetOverlappedResult(sd->s, &ov[i], &n, FALSE, &flags));
        CHECK_EQ(n, CHUNK);
        WSACloseEvent(ov[i].hEvent);
    }
    return 0;
}

/* api.md 6 rule 4: order between threads is free, but each call's bytes stay together. */
TEST(t318_sends_from_threads_stay_contiguous)
{
    SOCKET a, b;
    struct sender sd[THREADS];
    HANDLE t[THREADS];
    static char got[CHUNK];
    int seen[THREADS * PER_THREAD + 1] = {0};
    int next_of[THREADS] = {0};
    int i, j;

    harness_startup();
    harness_tcp_pair(&a, &b);
    for (i = 0; i < THREADS; i++) {
        sd[i].s = a;
        sd[i].id = i;
        t[i] = harness_thread(thread_sends, &sd[i]);
    }
    for (i = 0; i < THREADS * PER_THREAD; i++) {
        int tag, owner;

        harness_recv_all(b, got, CHUNK);
        tag = (unsigned char)got[0];
        for (j = 1; j < CHUNK; j++)
            if ((unsigned char)got[j] != tag)
                harness_fail(__FILE__, __LINE__, "chunk %d mixes tags %d and %d", i, tag,
                             (unsigned char)got[j]);
        CHECK(tag >= 1 && tag <= THREADS * PER_THREAD);
        CHECK_EQ(seen[tag], 0);
        seen[tag] = 1;
        /* one thread's sends stay in its issue order */
        owner = (tag - 1) / PER_THREAD;
        CHECK_EQ((tag - 1) % PER_THREAD, next_of[owner]);
        next_of[owner]++;
    }
    for (i = 0; i < THREADS; i++)
        harness_join(t[i]);
    closesocket(a);
    closesocket(b);
}

TEST(t319_1024_one_byte_wsabufs)
{
    SOCKET a, b;
    static WSABUF wb[1024];
    static char src[1024], dst[1024];
    DWORD n = 0, flags = 0;
    int i;

    harness_startup();
    harness_tcp_pair(&a, &b);
    for (i = 0; i < 1024; i++) {
        src[i] = (char)(i * 31 + 7);
        wb[i].len = 1;
        wb[i].buf = &src[i];
    }
    CHECK_EQ(WSASend(a, wb, 1024, &n, 0, NULL, NULL), 0);
    CHECK_EQ(n, 1024);
    for (i = 0; i < 1024; i++)
        wb[i].buf = &dst[i];
    flags = MSG_WAITALL;
    CHECK_EQ(WSARecv(b, wb, 1024, &n, &flags, NULL, NULL), 0);
    CHECK_EQ(n, 1024);
    CHECK(memcmp(src, dst, 1024) == 0);
    closesocket(a);
    closesocket(b);
}
