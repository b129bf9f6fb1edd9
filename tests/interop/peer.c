/*
 * peer.c - a Winsock program whose other end is something nobody here wrote (Python's
 * socket module, socat), so that the bytes wsaio puts on the wire, and reads from it, are
 * checked independently. Driven by run.sh.
 *
 *   peer tcp-client PORT N   connects to 127.0.0.1:PORT, sends N messages (each a 3-buffer
 *                            gather WSASend, overlapped) while 8 overlapped WSARecv are
 *                            posted, and checks that the echo comes back byte for byte, in
 *                            order; prints "ok <bytes>".
 *   peer tcp-server N        listens on 127.0.0.1 (prints "port <p>"), accepts one
 *                            connection and echoes N * 100 bytes back with overlapped
 *                            WSARecv/WSASend and completion routines; prints "ok <bytes>".
 *   peer udp-client PORT N   sends N datagrams (gather WSASendTo) to 127.0.0.1:PORT and
 *                            checks each echoed datagram with WSARecvFrom (source address
 *                            too); prints "ok <datagrams>".
 */
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POSTED 8
#define MSG    100

static void fail(const char *what)
{
    printf("FAIL %s: WSAGetLastError %d\n", what, WSAGetLastError());
    exit(1);
}

/* Byte i of the stream: a pattern no echo could fake by accident. */
static char pattern(unsigned long i)
{
    return (char)((i * 131u + (i >> 8) * 7u + 17u) & 0xff);
}

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in a;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((u_short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int tcp_client(int port, int n)
{
    struct sockaddr_in a = loopback(port);
    SOCKET s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    static char out[MSG], in[POSTED][64];
    WSAOVERLAPPED rov[POSTED], sov;
    WSABUF rb[POSTED], sb[3];
    WSAEVENT rev[POSTED];
    unsigned long sent = 0, got = 0, total = (unsigned long)n * MSG;
    DWORD cnt, flags;
    int i, next = 0, send_busy = 0;

    if (connect(s, (struct sockaddr *)&a, sizeof(a)) != 0)
        fail("connect");
    for (i = 0; i < POSTED; i++) { /* receives posted before any data: filled in order */
        memset(&rov[i], 0, sizeof(rov[i]));
        rov[i].hEvent = rev[i] = WSACreateEvent();
        rb[i].buf = in[i];
        rb[i].len = sizeof(in[i]);
        flags = 0;
        if (WSARecv(s, &rb[i], 1, &cnt, &flags, &rov[i], NULL) &&
            WSAGetLastError() != WSA_IO_PENDING)
            fail("WSARecv");
    }
    memset(&sov, 0, sizeof(sov));
    sov.hEvent = WSACreateEvent();
    while (got < total) {
        /* One send in flight at a time; the next one as soon as it is done. */
        if (send_busy && WSAWaitForMultipleEvents(1, &sov.hEvent, FALSE, 0, FALSE) == 0)
            send_busy = 0;
        if (!send_busy && sent < total) { /* gather: 10 + 30 + 60 bytes, one message */
            for (i = 0; i < MSG; i++)
                out[i] = pattern(sent + (unsigned long)i);
            sb[0].buf = out, sb[0].len = 10;
            sb[1].buf = out + 10, sb[1].len = 30;
            sb[2].buf = out + 40, sb[2].len = 60;
            WSAResetEvent(sov.hEvent);
            if (WSASend(s, sb, 3, &cnt, 0, &sov, NULL) && WSAGetLastError() != WSA_IO_PENDING)
                fail("WSASend");
            sent += MSG;
            send_busy = 1;
        }
        /* The oldest receive completes first: wait for it, check, post it again. */
        if (WSAWaitForMultipleEvents(1, &rev[next], FALSE, 5000, FALSE) != WSA_WAIT_EVENT_0)
            fail("receive timeout");
        if (!WSAGetOverlappedResult(s, &rov[next], &cnt, FALSE, &flags) || cnt == 0)
            fail("receive result");
        for (DWORD k = 0; k < cnt; k++, got++)
            if (in[next][k] != pattern(got)) {
                printf("FAIL byte %lu: got %d, expected %d\n", got, in[next][k], pattern(got));
                return 1;
            }
        WSAResetEvent(rev[next]);
        flags = 0;
        if (WSARecv(s, &rb[next], 1, &cnt, &flags, &rov[next], NULL) &&
            WSAGetLastError() != WSA_IO_PENDING)
            fail("WSARecv again");
        next = (next + 1) % POSTED;
    }
    closesocket(s); /* aborts the receives still posted */
    printf("ok %lu\n", got);
    return 0;
}

struct echo {
    WSAOVERLAPPED ov; /* first: routines get &ov */
    SOCKET s;
    char buf[4096];
    WSABUF wb;
    unsigned long bytes, want;
    int done;
};

static void CALLBACK on_recv(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags);

static void CALLBACK on_send(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct echo *e = (struct echo *)ov;
    DWORD f = 0;

    (void)flags;
    if (err)
        fail("echo send");
    e->bytes += n;
    memset(&e->ov, 0, sizeof(e->ov));
    e->wb.buf = e->buf;
    e->wb.len = sizeof(e->buf);
    if (WSARecv(e->s, &e->wb, 1, NULL, &f, &e->ov, on_recv) && WSAGetLastError() != WSA_IO_PENDING)
        fail("echo WSARecv");
}

static void CALLBACK on_recv(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct echo *e = (struct echo *)ov;

    (void)flags;
    if (err)
        fail("echo receive");
    if (n == 0) { /* the peer closed */
        e->done = 1;
        return;
    }
    memset(&e->ov, 0, sizeof(e->ov));
    e->wb.len = n;
    if (WSASend(e->s, &e->wb, 1, NULL, 0, &e->ov, on_send) && WSAGetLastError() != WSA_IO_PENDING)
        fail("echo WSASend");
}

static int tcp_server(void)
{
    struct sockaddr_in a = loopback(0);
    int len = sizeof(a);
    SOCKET l = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    static struct echo e;
    DWORD f = 0;

    if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
        getsockname(l, (struct sockaddr *)&a, &len))
        fail("listen");
    printf("port %u\n", ntohs(a.sin_port));
    fflush(stdout);
    e.s = accept(l, NULL, NULL);
    if (e.s == INVALID_SOCKET)
        fail("accept");
    e.wb.buf = e.buf;
    e.wb.len = sizeof(e.buf);
    if (WSARecv(e.s, &e.wb, 1, NULL, &f, &e.ov, on_recv) && WSAGetLastError() != WSA_IO_PENDING)
        fail("WSARecv");
    while (!e.done)
        SleepEx(10000, TRUE);
    closesocket(e.s);
    closesocket(l);
    printf("ok %lu\n", e.bytes);
    return 0;
}

static int udp_client(int port, int n)
{
    struct sockaddr_in to = loopback(port), from, me = loopback(0);
    SOCKET s = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    char out[64], in[128];
    WSABUF sb[2], rb = {sizeof(in), in};
    WSAOVERLAPPED ov;
    DWORD cnt, flags;
    int fromlen, i;

    if (bind(s, (struct sockaddr *)&me, sizeof(me)))
        fail("bind");
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    for (i = 0; i < n; i++) {
        int len = 1 + i % 60;

        for (int k = 0; k < len; k++)
            out[k] = pattern((unsigned long)(i * 64 + k));
        sb[0].buf = out, sb[0].len = (ULONG)(len / 2); /* one datagram from two buffers */
        sb[1].buf = out + len / 2, sb[1].len = (ULONG)(len - len / 2);
        if (WSASendTo(s, sb, 2, &cnt, 0, (struct sockaddr *)&to, sizeof(to), NULL, NULL) ||
            (int)cnt != len)
            fail("WSASendTo");
        fromlen = sizeof(from);
        flags = 0;
        if (WSARecvFrom(s, &rb, 1, &cnt, &flags, (struct sockaddr *)&from, &fromlen, &ov, NULL) &&
            WSAGetLastError() != WSA_IO_PENDING)
            fail("WSARecvFrom");
        if (WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE) != WSA_WAIT_EVENT_0 ||
            !WSAGetOverlappedResult(s, &ov, &cnt, FALSE, &flags))
            fail("datagram echo");
        if ((int)cnt != len || memcmp(in, out, (size_t)len) != 0 || fromlen != sizeof(from) ||
            from.sin_port != to.sin_port || from.sin_addr.s_addr != to.sin_addr.s_addr) {
            printf("FAIL datagram %d: %lu bytes (expected %d) from port %u\n", i,
                   (unsigned long)cnt, len, ntohs(from.sin_port));
            return 1;
        }
        WSAResetEvent(ov.hEvent);
    }
    closesocket(s);
    printf("ok %d\n", n);
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA d;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 2 || WSAStartup(MAKEWORD(2, 2), &d))
        return 2;
    if (!strcmp(argv[1], "tcp-client") && argc == 4)
        return tcp_client(atoi(argv[2]), atoi(argv[3]));
    if (!strcmp(argv[1], "tcp-server"))
        return tcp_server();
    if (!strcmp(argv[1], "udp-client") && argc == 4)
        return udp_client(atoi(argv[2]), atoi(argv[3]));
    fprintf(stderr, "usage: peer tcp-client PORT N | tcp-server N | udp-client PORT N\n");
    return 2;
}
