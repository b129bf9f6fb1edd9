/*
 * cancel_races.c - review of the one cancel path against the engine and both backends:
 * the head cancelled in the kernel with later operations queued behind it (order kept,
 * the later ones still complete), a cancel racing data arrival (each receive delivered
 * once, no byte lost), a stream send cancelled part-way with another queued behind it
 * (what went out is accounted, the next one still goes out whole), a zero-byte receive,
 * a datagram receive's source address after a cancel, a partial MSG_WAITALL receive, and
 * a cancel by the id of a thread that has exited. The engine's assertions (each operation
 * reported once from the head, delivered once) are on in the test builds.
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "unit.h"

#include "unit_cancel.h"
#include "sync/waitable.h"

struct rx {
    WSAOVERLAPPED ov;
    char data[256];
    WSABUF buf;
    struct sockaddr_in from;
    INT fromlen;
};

/* Posts a receive; TRUE when it is pending, FALSE when it completed during the call (its
 * event is set all the same). */
static BOOL post(SOCKET s, struct rx *r, ULONG len, DWORD flags, BOOL from)
{
    int rc;

    memset(&r->ov, 0, sizeof(r->ov));
    r->ov.hEvent = WSACreateEvent();
    memset(r->data, 0, sizeof(r->data));
    memset(&r->from, 0, sizeof(r->from));
    r->fromlen = sizeof(r->from);
    r->buf.len = len;
    r->buf.buf = r->data;
    if (from)
        rc = WSARecvFrom(s, &r->buf, 1, NULL, &flags, (struct sockaddr *)&r->from, &r->fromlen,
                         &r->ov, NULL);
    else
        rc = WSARecv(s, &r->buf, 1, NULL, &flags, &r->ov, NULL);
    if (rc == 0)
        return FALSE;
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    return TRUE;
}

/* Waits for r: its error (0: success); *bytes gets the count. Delivered once: the event,
 * reset, is not set again. */
static int finish(SOCKET s, struct rx *r, DWORD *bytes)
{
    DWORD flags = 0, n = 0;
    int err = 0;

    CHECK_EQ(WSAWaitForMultipleEvents(1, &r->ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    if (!WSAGetOverlappedResult(s, &r->ov, &n, FALSE, &flags))
        err = WSAGetLastError();
    if (bytes)
        *bytes = n;
    WSAResetEvent(r->ov.hEvent);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &r->ov.hEvent, FALSE, 1, FALSE), WSA_WAIT_TIMEOUT);
    WSACloseEvent(r->ov.hEvent);
    return err;
}

TEST(cancel_head_in_kernel_keeps_order)
{
    SOCKET c, s;
    struct rx r[3];
    DWORD n;

    harness_startup();
    harness_tcp_pair(&c, &s);
    for (int i = 0; i < 3; i++)
        post(c, &r[i], 1, 0, FALSE);
    CHECK_EQ(unit_cancel(c, &r[0].ov, 0), 1); /* the head, in the kernel */
    CHECK_EQ(finish(c, &r[0], &n), WSA_OPERATION_ABORTED);
    CHECK_EQ(send(s, "ab", 2, 0), 2);
    CHECK_EQ(finish(c, &r[1], &n), 0);
    CHECK_EQ(n, 1);
    CHECK_EQ(r[1].data[0], 'a');
    CHECK_EQ(finish(c, &r[2], &n), 0);
    CHECK_EQ(n, 1);
    CHECK_EQ(r[2].data[0], 'b');
    closesocket(c);
    closesocket(s);
    WSACleanup();
}

static _Atomic int reaper_stop;

/* A thread that keeps waiting (and so reaps, holding the token, asleep in the backend):
 * readiness is reported the moment the byte arrives, racing the cancel. */
static DWORD WINAPI reaper(LPVOID arg)
{
    WSAEVENT never = WSACreateEvent();

    (void)arg;
    while (!reaper_stop)
        WSAWaitForMultipleEvents(1, &never, FALSE, 1, FALSE);
    WSACloseEvent(never);
    return 0;
}

/* Each round: two receives posted, a byte sent, the head cancelled at once (racing the
 * reaper that saw the byte). Whatever was cancelled, every byte sent is received once,
 * in order. */
TEST(cancel_races_data_no_loss)
{
    enum { ROUNDS = 2000 };
    SOCKET c, s;
    unsigned char next_in = 0, next_out = 0;
    int aborted = 0;

    HANDLE t;

    harness_startup();
    harness_tcp_pair(&c, &s);
    reaper_stop = 0;
    t = harness_thread(reaper, NULL);
    for (int i = 0; i < ROUNDS; i++) {
        struct rx r[2];
        char b = (char)next_out++;
        DWORD n;
        int err;

        post(c, &r[0], 1, 0, FALSE);
        post(c, &r[1], 1, 0, FALSE);
        CHECK_EQ(send(s, &b, 1, 0), 1);
        for (volatile int spin = 0; spin < (i % 200) * 200; spin++) {
        }
        unit_cancel(c, &r[0].ov, 0);
        err = finish(c, &r[0], &n);
        if (err == 0) {
            CHECK_EQ(n, 1);
            CHECK_EQ((unsigned char)r[0].data[0], next_in);
            next_in++;
            /* r[1] has nothing yet: cancel it too (queued or in the kernel). */
            unit_cancel(c, &r[1].ov, 0);
            err = finish(c, &r[1], &n);
            if (err == 0) {
                CHECK(0); /* nothing was sent for it */
            }
            CHECK_EQ(err, WSA_OPERATION_ABORTED);
        } else {
            CHECK_EQ(err, WSA_OPERATION_ABORTED);
            aborted++;
            /* The byte is still there: the next receive gets it. */
            CHECK_EQ(finish(c, &r[1], &n), 0);
            CHECK_EQ(n, 1);
            CHECK_EQ((unsigned char)r[1].data[0], next_in);
            next_in++;
        }
    }
    reaper_stop = 1;
    CHECK_EQ(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    CloseHandle(t);
    CHECK_EQ(next_in, next_out);
    printf("cancel_races_data_no_loss: %d of %d heads cancelled\n", aborted, ROUNDS);
    closesocket(c);
    closesocket(s);
    WSACleanup();
}

static DWORD WINAPI drain_count(LPVOID arg)
{
    SOCKET s = (SOCKET)(uintptr_t)arg;
    static char buf[1 << 16];
    DWORD total = 0;
    int n;

    while ((n = recv(s, buf, sizeof(buf), 0)) > 0)
        total += (DWORD)n;
    return total;
}

/* A big send stuck in the kernel (the peer does not read) with a small one queued behind
 * it; the big one is cancelled part-way. The small one still goes out whole and last. */
TEST(cancel_partial_send_then_queued_send)
{
    enum { BIG = 16 << 20 };
    SOCKET c, s;
    WSAOVERLAPPED ov[2];
    WSABUF b[2];
    static char big[BIG];
    char tail[5] = "TAIL";
    DWORD n0 = 0, n1 = 0, flags = 0, got;
    HANDLE t;
    int sz = 4096;

    harness_startup();
    harness_tcp_pair(&c, &s);
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&sz, sizeof(sz));
    setsockopt(c, SOL_SOCKET, SO_SNDBUF, (char *)&sz, sizeof(sz));
    memset(big, 'x', sizeof(big));
    for (int i = 0; i < 2; i++) {
        memset(&ov[i], 0, sizeof(ov[i]));
        ov[i].hEvent = WSACreateEvent();
    }
    b[0].buf = big;
    b[0].len = BIG;
    b[1].buf = tail;
    b[1].len = 4;
    CHECK(WSASend(c, &b[0], 1, NULL, 0, &ov[0], NULL) == SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK(WSASend(c, &b[1], 1, NULL, 0, &ov[1], NULL) == SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    /* Let part of it go: the reader takes some, then stops until the cancel. */
    {
        static char some[100000];
        int left = sizeof(some);

        while (left > 0) {
            int r = recv(s, some, left, 0);

            CHECK(r > 0);
            left -= r;
        }
    }
    Sleep(20);
    CHECK_EQ(unit_cancel(c, &ov[0], 0), 1);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ov[0].hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    if (!WSAGetOverlappedResult(c, &ov[0], &n0, FALSE, &flags))
        CHECK_EQ(WSAGetLastError(), WSA_OPERATION_ABORTED);
    n0 = (DWORD)ov[0].InternalHigh;
    t = harness_thread(drain_count, (void *)(uintptr_t)s);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ov[1].hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK(WSAGetOverlappedResult(c, &ov[1], &n1, FALSE, &flags));
    CHECK_EQ(n1, 4);
    shutdown(c, SD_SEND);
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(t, &got));
    CloseHandle(t);
    printf("cancel_partial_send: %lu of %d bytes went before the cancel\n", (unsigned long)n0, BIG);
    CHECK_EQ(got + 100000, n0 + 4);
    for (int i = 0; i < 2; i++)
        WSACloseEvent(ov[i].hEvent);
    closesocket(c);
    closesocket(s);
    WSACleanup();
}

TEST(cancel_zero_byte_receive_then_new_io)
{
    SOCKET c, s;
    struct rx r;
    DWORD n;

    harness_startup();
    harness_tcp_pair(&c, &s);
    post(c, &r, 0, 0, FALSE);
    CHECK_EQ(unit_cancel(c, &r.ov, 0), 1);
    CHECK_EQ(finish(c, &r, &n), WSA_OPERATION_ABORTED);
    post(c, &r, 0, 0, FALSE);
    CHECK_EQ(send(s, "z", 1, 0), 1);
    CHECK_EQ(finish(c, &r, &n), 0);
    CHECK_EQ(n, 0);
    CHECK(!post(c, &r, 1, 0, FALSE)); /* the byte stayed queued: done during the call */
    CHECK_EQ(finish(c, &r, &n), 0);
    CHECK_EQ(n, 1);
    CHECK_EQ(r.data[0], 'z');
    closesocket(c);
    closesocket(s);
    WSACleanup();
}

/* The source address of a WSARecvFrom that waited in the kernel: msg_name/msg_namelen
 * share the record with the kernel request. Also after a cancelled one. */
TEST(cancel_recvfrom_address_after_cancel)
{
    SOCKET a, b;
    struct sockaddr_in aaddr, baddr;
    int len = sizeof(aaddr);
    struct rx r;
    DWORD n;

    harness_startup();
    a = harness_udp_socket(TRUE);
    b = harness_udp_socket(TRUE);
    CHECK_EQ(getsockname(a, (struct sockaddr *)&aaddr, &len), 0);
    len = sizeof(baddr);
    CHECK_EQ(getsockname(b, (struct sockaddr *)&baddr, &len), 0);
    post(a, &r, 100, 0, TRUE);
    CHECK_EQ(unit_cancel(a, &r.ov, 0), 1);
    CHECK_EQ(finish(a, &r, &n), WSA_OPERATION_ABORTED);
    CHECK_EQ(r.fromlen, (INT)sizeof(r.from)); /* untouched */
    for (int i = 0; i < 50; i++) {
        post(a, &r, 100, 0, TRUE);
        Sleep(i % 3);
        CHECK_EQ(sendto(b, "dgram", 5, 0, (struct sockaddr *)&aaddr, sizeof(aaddr)), 5);
        CHECK_EQ(finish(a, &r, &n), 0);
        CHECK_EQ(n, 5);
        CHECK_EQ(r.fromlen, (INT)sizeof(struct sockaddr_in));
        CHECK_EQ(r.from.sin_port, baddr.sin_port);
        CHECK_EQ(r.from.sin_addr.s_addr, baddr.sin_addr.s_addr);
    }
    closesocket(a);
    closesocket(b);
    WSACleanup();
}

/* MSG_WAITALL filled in several steps (the iovec window advances), and one cancelled
 * part-way: the rest stays for the next receive. */
TEST(cancel_waitall_partial)
{
    SOCKET c, s;
    struct rx r;
    DWORD n;

    harness_startup();
    harness_tcp_pair(&c, &s);
    post(c, &r, 10, MSG_WAITALL, FALSE);
    CHECK_EQ(send(s, "012", 3, 0), 3);
    Sleep(20);
    CHECK_EQ(send(s, "3456", 4, 0), 4);
    Sleep(20);
    CHECK_EQ(send(s, "789", 3, 0), 3);
    CHECK_EQ(finish(c, &r, &n), 0);
    CHECK_EQ(n, 10);
    CHECK(!memcmp(r.data, "0123456789", 10));

    post(c, &r, 10, MSG_WAITALL, FALSE);
    CHECK_EQ(send(s, "abc", 3, 0), 3);
    Sleep(50);
    CHECK_EQ(unit_cancel(c, &r.ov, 0), 1);
    CHECK_EQ(finish(c, &r, &n), WSA_OPERATION_ABORTED);
    printf("cancel_waitall_partial: %lu bytes taken by the cancelled receive\n",
           (unsigned long)r.ov.InternalHigh);
    CHECK_EQ(send(s, "defghij", 7, 0), 7);
    {
        static const char all[] = "abcdefghij";
        struct rx r2;
        DWORD want = 10 - (DWORD)r.ov.InternalHigh;

        post(c, &r2, want, MSG_WAITALL, FALSE);
        CHECK_EQ(finish(c, &r2, &n), 0);
        CHECK_EQ(n, want);
        CHECK(!memcmp(r2.data, &all[10 - want], want));
    }
    closesocket(c);
    closesocket(s);
    WSACleanup();
}

static SOCKET gone_sock;
static struct rx gone_rx;
static _Atomic int32_t gone_tid;

static DWORD WINAPI post_and_exit(void *arg)
{
    (void)arg;
    post(gone_sock, &gone_rx, 1, 0, FALSE);
    gone_tid = wsaio_self_tid();
    return 0;
}

/* The head in the kernel issued by a thread that has exited (io_uring ends its request;
 * the engine starts it again): still found by that thread's id, once. */
TEST(cancel_by_exited_thread_head)
{
    SOCKET c, s;
    HANDLE t;
    DWORD n;
    struct rx mine;

    harness_startup();
    harness_tcp_pair(&c, &s);
    gone_sock = c;
    t = CreateThread(NULL, 0, post_and_exit, NULL, 0, NULL);
    CHECK(t);
    CHECK_EQ(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    CloseHandle(t);
    post(c, &mine, 1, 0, FALSE);
    Sleep(50); /* let a restart after the thread's exit happen */
    CHECK_EQ(unit_cancel(c, NULL, gone_tid), 1);
    CHECK_EQ(finish(c, &gone_rx, &n), WSA_OPERATION_ABORTED);
    CHECK_EQ(send(s, "q", 1, 0), 1);
    CHECK_EQ(finish(c, &mine, &n), 0);
    CHECK_EQ(mine.data[0], 'q');
    closesocket(c);
    closesocket(s);
    WSACleanup();
}

/* ---- A storm: data both ways through overlapped sends and receives while another
 * thread cancels everything on both sockets again and again. What a cancelled send put
 * on the wire is its InternalHigh; a receive delivers what its InternalHigh says, in
 * the order posted. So the stream received must be exactly the concatenation of the
 * sends' transferred prefixes, in the order issued. */

enum { STORM_CAP = 32 << 20, STORM_DEPTH = 4 };

static SOCKET storm_c, storm_s;
static unsigned char *storm_out, *storm_in; /* what the sends carried / what arrived */
static size_t storm_out_len, storm_in_len;
static _Atomic int storm_stop, storm_sender_done;
static _Atomic long storm_cancels;

static unsigned storm_rand(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 8) & 0xFFFFFF;
}

struct storm_op {
    WSAOVERLAPPED ov;
    WSABUF b;
    unsigned char *base;
};

static DWORD storm_wait(SOCKET s, struct storm_op *o)
{
    DWORD n = 0, flags = 0;

    CHECK_EQ(WSAWaitForMultipleEvents(1, &o->ov.hEvent, FALSE, 10000, FALSE), WSA_WAIT_EVENT_0);
    if (!WSAGetOverlappedResult(s, &o->ov, &n, FALSE, &flags)) {
        int e = WSAGetLastError();

        CHECK(e == WSA_OPERATION_ABORTED);
    }
    WSACloseEvent(o->ov.hEvent);
    return (DWORD)o->ov.InternalHigh;
}

static DWORD WINAPI storm_sender(LPVOID arg)
{
    static unsigned char pattern[1 << 16];
    struct storm_op ops[STORM_DEPTH];
    unsigned seed = 7, head = 0, tail = 0;
    size_t issued = 0;

    (void)arg;
    for (size_t i = 0; i < sizeof(pattern); i++)
        pattern[i] = (unsigned char)(i * 31 + (i >> 8));
    while (!storm_stop || head != tail) {
        if (!storm_stop && head - tail < STORM_DEPTH && issued + 30000 < STORM_CAP) {
            struct storm_op *o = &ops[head % STORM_DEPTH];
            unsigned len = 1 + storm_rand(&seed) % 20000, off = storm_rand(&seed) % 40000;

            memset(&o->ov, 0, sizeof(o->ov));
            o->ov.hEvent = WSACreateEvent();
            o->b.buf = (char *)pattern + off;
            o->b.len = len;
            o->base = pattern + off;
            if (WSASend(storm_s, &o->b, 1, NULL, 0, &o->ov, NULL) != 0)
                CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
            issued += len;
            head++;
            continue;
        }
        if (issued + 30000 >= STORM_CAP)
            storm_stop = 1;
        {
            struct storm_op *o = &ops[tail % STORM_DEPTH];
            DWORD n = storm_wait(storm_s, o);

            memcpy(storm_out + storm_out_len, o->base, n);
            storm_out_len += n;
            tail++;
        }
    }
    storm_sender_done = 1;
    shutdown(storm_s, SD_SEND);
    return 0;
}

static DWORD WINAPI storm_receiver(LPVOID arg)
{
    struct storm_op ops[STORM_DEPTH];
    unsigned seed = 11, head = 0, tail = 0;
    bool eof = false;

    (void)arg;
    while (!eof || head != tail) {
        if (!eof && head - tail < STORM_DEPTH) {
            struct storm_op *o = &ops[head % STORM_DEPTH];
            DWORD flags = 0;
            unsigned len = 1 + storm_rand(&seed) % 5000;

            memset(&o->ov, 0, sizeof(o->ov));
            o->ov.hEvent = WSACreateEvent();
            o->base = malloc(len);
            CHECK(o->base);
            o->b.buf = (char *)o->base;
            o->b.len = len;
            if (WSARecv(storm_c, &o->b, 1, NULL, &flags, &o->ov, NULL) != 0)
                CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
            head++;
            continue;
        }
        {
            struct storm_op *o = &ops[tail % STORM_DEPTH];
            DWORD n = storm_wait(storm_c, o);

            CHECK(storm_in_len + n <= STORM_CAP);
            memcpy(storm_in + storm_in_len, o->base, n);
            storm_in_len += n;
            /* End of stream: a receive that succeeded with nothing, after the sender. */
            if (n == 0 && o->ov.Internal == 0 && storm_sender_done)
                eof = true;
            free(o->base);
            tail++;
        }
    }
    return 0;
}

static DWORD WINAPI storm_canceller(LPVOID arg)
{
    unsigned seed = 3;

    (void)arg;
    while (!storm_sender_done) {
        unit_cancel(storm_rand(&seed) & 1 ? storm_c : storm_s, NULL, 0);
        storm_cancels++;
        for (volatile unsigned spin = storm_rand(&seed) % 3000; spin; spin--) {
        }
    }
    return 0;
}

TEST(cancel_storm_stream_intact)
{
    HANDLE t[3];
    double end;

    harness_startup();
    harness_tcp_pair(&storm_c, &storm_s);
    {
        int sz = 16384; /* small buffers: operations wait in the kernel more often */

        setsockopt(storm_c, SOL_SOCKET, SO_RCVBUF, (char *)&sz, sizeof(sz));
        setsockopt(storm_s, SOL_SOCKET, SO_SNDBUF, (char *)&sz, sizeof(sz));
    }
    storm_out = malloc(STORM_CAP);
    storm_in = malloc(STORM_CAP);
    CHECK(storm_out && storm_in);
    storm_out_len = storm_in_len = 0;
    storm_stop = storm_sender_done = 0;
    t[0] = harness_thread(storm_sender, NULL);
    t[1] = harness_thread(storm_receiver, NULL);
    t[2] = harness_thread(storm_canceller, NULL);
    end = harness_now_ms() + 3000;
    while (!storm_stop && harness_now_ms() < end)
        Sleep(10);
    storm_stop = 1;
    CHECK_EQ(WaitForMultipleObjects(3, t, TRUE, 30000), WAIT_OBJECT_0);
    for (int i = 0; i < 3; i++)
        CloseHandle(t[i]);
    printf("cancel_storm: %zu bytes sent, %zu received, %ld cancels\n", storm_out_len, storm_in_len,
           (long)storm_cancels);
    CHECK_EQ(storm_in_len, storm_out_len);
    for (size_t i = 0; i < storm_out_len; i++) {
        if (storm_in[i] != storm_out[i]) {
            printf("first difference at byte %zu of %zu\n", i, storm_out_len);
            CHECK(0);
        }
    }
    free(storm_out);
    free(storm_in);
    closesocket(storm_c);
    closesocket(storm_s);
    WSACleanup();
}
