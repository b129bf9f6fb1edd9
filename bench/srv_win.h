/*
 * srv_win.h - what the two Winsock echo servers (srv_wsaio_event.c, srv_wsaio_routine.c)
 * share: sockets, the connection record and its echo state machine. Portable Winsock C:
 * builds against wsaio and with mingw-w64 (run under Wine) alike.
 *
 * The work is that of every server in bench/ (srv_common.h): TCP connections with
 * TCP_NODELAY, each with one overlapped operation at a time on a 64 KiB buffer: WSARecv,
 * then WSASend of what arrived (a short send sends the rest), then WSARecv again. UDP:
 * UDP_SLOTS records on the one datagram socket, each WSARecvFrom then WSASendTo back to
 * the source. What differs between the two servers is only how a completion is noticed:
 * event objects (completion routine NULL) or completion routines.
 */
#ifndef WSAIO_BENCH_SRV_WIN_H
#define WSAIO_BENCH_SRV_WIN_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#ifndef _WIN32
#include <wsaio.h>
#endif

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRV_BUF   65536
#define UDP_SLOTS 16

struct conn {
    WSAOVERLAPPED ov; /* first: a completion routine finds its record from the pointer */
    SOCKET s;
    int udp, sending, off, len;
    DWORD flags;
    struct sockaddr_in from;
    int fromlen;
    char buf[SRV_BUF];
};

static void srv_die(const char *what)
{
    fprintf(stderr, "server: %s failed (WSAGetLastError %d)\n", what, WSAGetLastError());
    exit(1);
}

/* WSAStartup, then the listening TCP socket and the UDP socket on 127.0.0.1:PORT. */
static void srv_start(int argc, char **argv, SOCKET *listener, SOCKET *udp)
{
    int port = argc == 2 ? atoi(argv[1]) : 0;
    struct sockaddr_in a;
    WSADATA wsa;

    if (port <= 0 || port > 65535) {
        fprintf(stderr, "usage: %s PORT (TCP and UDP echo on 127.0.0.1:PORT)\n", argv[0]);
        exit(2);
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa))
        srv_die("WSAStartup");
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((u_short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    *listener = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    *udp = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (*listener == INVALID_SOCKET || *udp == INVALID_SOCKET ||
        bind(*listener, (struct sockaddr *)&a, sizeof(a)) || listen(*listener, SOMAXCONN) ||
        bind(*udp, (struct sockaddr *)&a, sizeof(a)))
        srv_die("bind/listen");
    setvbuf(stdout, NULL, _IONBF, 0);
#ifndef _WIN32
    {
        size_t per_op, per_socket;

        wsaio_memory_info(&per_op, &per_socket);
        printf("MEMORY per_pending_op=%zu per_socket=%zu backend=%s\n", per_op, per_socket,
               wsaio_backend_name());
    }
#endif
}

/* Blocking accept with TCP_NODELAY; INVALID_SOCKET when the listener fails. */
static SOCKET srv_accept(SOCKET listener)
{
    SOCKET s = accept(listener, NULL, NULL);
    BOOL one = TRUE;

    if (s != INVALID_SOCKET)
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
    return s;
}

static struct conn *conn_new(SOCKET s, int udp)
{
    /* malloc and clear only the header: calloc would touch all of the 64 KiB buffer, and
     * the memory scenario counts resident pages, as the Linux servers' malloc does not. */
    struct conn *c = malloc(sizeof(*c));

    if (!c)
        srv_die("malloc");
    memset(c, 0, offsetof(struct conn, buf));
    c->s = s;
    c->udp = udp;
    return c;
}

/* 0 when the call was made (completed at once or pending), -1 when it failed. */
static int issued(int rc)
{
    return rc == 0 || WSAGetLastError() == WSA_IO_PENDING ? 0 : -1;
}

/* Starts the next operation of c: a receive (sending == 0) or the send of buf[off..len). */
static int conn_post(struct conn *c, int send, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    WSABUF b;
    DWORD n;

    c->sending = send;
    c->flags = 0;
    if (send) {
        b.len = (ULONG)(c->len - c->off);
        b.buf = c->buf + c->off;
        return issued(c->udp ? WSASendTo(c->s, &b, 1, &n, 0, (struct sockaddr *)&c->from,
                                         c->fromlen, &c->ov, cr)
                             : WSASend(c->s, &b, 1, &n, 0, &c->ov, cr));
    }
    b.len = c->udp ? 2048 : SRV_BUF;
    b.buf = c->buf;
    c->fromlen = sizeof(c->from);
    return issued(c->udp ? WSARecvFrom(c->s, &b, 1, &n, &c->flags, (struct sockaddr *)&c->from,
                                       &c->fromlen, &c->ov, cr)
                         : WSARecv(c->s, &b, 1, &n, &c->flags, &c->ov, cr));
}

/* The operation of c ended with err (0: success) and n bytes: starts the next one.
 * -1 when the connection is finished (end of stream, error): the caller closes it. */
static int conn_next(struct conn *c, DWORD err, DWORD n, LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    if (c->udp) { /* an error on a datagram socket (Windows: ICMP resets) ends nothing */
        c->off = 0;
        c->len = (int)n;
        return conn_post(c, !c->sending && !err, cr);
    }
    if (err || (!c->sending && n == 0))
        return -1;
    if (!c->sending) {
        c->off = 0;
        c->len = (int)n;
        return conn_post(c, 1, cr);
    }
    c->off += (int)n;
    return conn_post(c, c->off < c->len, cr);
}

static void conn_free(struct conn *c)
{
    closesocket(c->s);
    free(c);
}

/* Hand-over of new connections from the accepting thread to an I/O thread: a queue under
 * a lock and an auto-reset event that the I/O thread has in its wait. live counts the
 * connections given and not yet closed, so that a thread can be given at most cap. */
struct handoff {
    CRITICAL_SECTION lock;
    HANDLE ev;
    int n, live, cap;
    struct conn *q[WSA_MAXIMUM_WAIT_EVENTS];
};

static void handoff_init(struct handoff *h, int cap)
{
    InitializeCriticalSection(&h->lock);
    h->ev = CreateEventA(NULL, FALSE, FALSE, NULL);
    h->n = h->live = 0;
    h->cap = cap;
    if (!h->ev)
        srv_die("CreateEvent");
}

/* 1 when c was queued; 0 when h is full (cap live, or the queue not yet taken). */
static int handoff_put(struct handoff *h, struct conn *c)
{
    int room;

    EnterCriticalSection(&h->lock);
    room = h->live < h->cap && h->n < WSA_MAXIMUM_WAIT_EVENTS;
    if (room) {
        h->q[h->n++] = c;
        h->live++;
    }
    LeaveCriticalSection(&h->lock);
    if (room)
        SetEvent(h->ev);
    return room;
}

/* Moves the queued connections to out; returns how many. */
static int handoff_take(struct handoff *h, struct conn **out)
{
    int n;

    EnterCriticalSection(&h->lock);
    n = h->n;
    memcpy(out, h->q, (size_t)n * sizeof(*out));
    h->n = 0;
    LeaveCriticalSection(&h->lock);
    return n;
}

/* One connection given through h has been closed. */
static void handoff_closed(struct handoff *h)
{
    EnterCriticalSection(&h->lock);
    h->live--;
    LeaveCriticalSection(&h->lock);
}

#endif /* WSAIO_BENCH_SRV_WIN_H */
