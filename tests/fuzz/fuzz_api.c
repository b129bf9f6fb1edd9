/*
 * fuzz_api.c - libFuzzer target (issue 9): each input is a sequence of Winsock calls with
 * arguments taken from its bytes, on a small table of handles: connected TCP and UDP
 * pairs, a listener, unconnected and unbound sockets, closed ones, events, and values that
 * name nothing. Every result is checked against the errors docs/spec/api.md §4 documents
 * for that call, every operation that returned 0 or WSA_IO_PENDING must get exactly one
 * indication, and every wait is bounded, so a hang shows up as libFuzzer's timeout.
 * Buffers are always real memory (NULL pointers, zero lengths, huge counts and bad flags
 * are fair; wild pointers are not this target's business).
 *
 * Built with -DWSAIO_FUZZ=ON and clang (tests/fuzz/CMakeLists.txt); scripts/test.sh's
 * `fuzz` stage runs it for a fixed budget on both backends. By hand:
 *   build/fuzz/tests/fuzz/fuzz_api -max_total_time=600 tests/fuzz/corpus
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <wsaio.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Failure reports ------------------------------------------------------------------ */

static const char *current_call;

static void __attribute__((noreturn)) bug(int line, const char *what, long a, long b)
{
    fprintf(stderr, "fuzz_api.c:%d: %s: %s (%ld, %ld)\n", line, current_call, what, a, b);
    abort();
}

#define EXPECT(cond, a, b)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            bug(__LINE__, #cond, (long)(a), (long)(b));                                            \
    } while (0)

/* Errors each call documents (api.md §4; WSAEINTR only with a close from another thread,
 * which this single-threaded target never does). 0 ends a list. */
#define COMMON WSANOTINITIALISED, WSAENOTSOCK, WSAEFAULT, WSAEINVAL, WSAENETDOWN
static const int recv_errs[] = {COMMON,
                                WSAENOTCONN,
                                WSAESHUTDOWN,
                                WSAEOPNOTSUPP,
                                WSAEWOULDBLOCK,
                                WSAECONNRESET,
                                WSAECONNABORTED,
                                WSAENETRESET,
                                WSAETIMEDOUT,
                                WSAEMSGSIZE,
                                WSAENOBUFS,
                                WSA_IO_PENDING,
                                0};
static const int send_errs[] = {COMMON,
                                WSAENOTCONN,
                                WSAESHUTDOWN,
                                WSAEOPNOTSUPP,
                                WSAEMSGSIZE,
                                WSAEWOULDBLOCK,
                                WSAENOBUFS,
                                WSAECONNRESET,
                                WSAECONNABORTED,
                                WSAENETRESET,
                                WSAETIMEDOUT,
                                WSAEACCES,
                                WSAEDESTADDRREQ,
                                WSAEAFNOSUPPORT,
                                WSAEADDRNOTAVAIL,
                                WSAENETUNREACH,
                                WSAEHOSTUNREACH,
                                WSA_IO_PENDING,
                                0};
static const int ioctl_errs[] = {
    COMMON,          WSAEOPNOTSUPP,  WSAEWOULDBLOCK, WSA_IO_PENDING,  WSAENOPROTOOPT,
    WSAEAFNOSUPPORT, WSAENETUNREACH, WSAENOBUFS,     WSAEHOSTUNREACH, 0};
static const int select_errs[] = {COMMON, 0};
static const int enum_errs[] = {COMMON, 0};
static const int close_errs[] = {WSANOTINITIALISED, WSAENOTSOCK, WSAEWOULDBLOCK, 0};
static const int shutdown_errs[] = {COMMON, WSAENOTCONN, 0};
/* The failure statuses an operation can complete with (constants.md §9, WSA column). */
#define OP_STATUSES                                                                                \
    WSA_OPERATION_ABORTED, WSAECONNRESET, WSAECONNABORTED, WSAEMSGSIZE, WSAEOPNOTSUPP,             \
        WSAECONNREFUSED, WSAENOBUFS, WSAENETRESET, WSAETIMEDOUT, WSAESHUTDOWN, WSAENOTCONN,        \
        WSAENETUNREACH, WSAEHOSTUNREACH, WSAEACCES
/* WSAGetOverlappedResult: its own errors and the operations'. */
static const int result_errs[] = {COMMON, WSA_IO_INCOMPLETE, WSA_INVALID_HANDLE, OP_STATUSES, 0};
/* The completion status of an operation, as its routine or WSAGetOverlappedResult sees it. */
static const int status_errs[] = {0, OP_STATUSES, WSAEINVAL, -1};

static int in(const int *set, int err, int end)
{
    for (; *set != end; set++)
        if (*set == err)
            return 1;
    return 0;
}

static int documented(const int *set, int err)
{
    return in(set, err, 0);
}

#define EXPECT_DOC(set, err) EXPECT(documented(set, (err)), (err), 0)

/* ---- The input ------------------------------------------------------------------------ */

static const uint8_t *in_data;
static size_t in_left;

static unsigned u8(void)
{
    if (!in_left)
        return 0;
    in_left--;
    return *in_data++;
}

static unsigned u16(void)
{
    return u8() | u8() << 8;
}

static uint32_t u32(void)
{
    return (uint32_t)u16() | (uint32_t)u16() << 16;
}

/* ---- Handles ---------------------------------------------------------------------------- */

enum { NSOCK = 12, NEV = 4, NSLOT = 8 };

/* 0,1 TCP pair; 2,3 UDP pair; 4 listener; 5 unconnected TCP; 6 unbound UDP; 7 a closed
 * socket's value; 8-11 made by the input (accept, socket) or invalid. */
static SOCKET socks[NSOCK];
static WSAEVENT events[NEV];
static unsigned long ops_total, indications_total, inputs_total;

/* An operation slot: its memory lives for the whole run, so a late completion never
 * writes into anything reused. */
static struct slot {
    WSAOVERLAPPED ov;
    WSAEVENT ev;
    char buf[2][1024];
    WSABUF wb[4];
    DWORD flags, bytes;
    struct sockaddr_storage from;
    int fromlen;
    int busy;      /* accepted: its indication is due */
    int routine;   /* indication by routine (else by ov.hEvent) */
    int abandoned; /* WSACleanup ran while it pended: no indication, ever */
    int routine_runs;
    SOCKET s;
} slots[NSLOT];

static void CALLBACK on_done(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct slot *sl = (struct slot *)ov; /* ov is the first member */

    current_call = "completion routine";
    EXPECT(sl >= slots && sl < slots + NSLOT, 0, 0);
    /* An abandoned one (WSACleanup) may still run if it had finished before. */
    EXPECT(sl->busy && sl->routine, sl->busy, sl->abandoned);
    EXPECT(sl->routine_runs == 0, sl->routine_runs, 0); /* exactly one indication */
    EXPECT(in(status_errs, (int)err, -1), err, 0);
    EXPECT(flags == 0, flags, 0);
    EXPECT(bytes <= sizeof(sl->buf), bytes, 0);
    sl->routine_runs++;
}

/* Whether sl's indication has arrived (never blocks). */
static int slot_done(struct slot *sl)
{
    if (sl->routine)
        return sl->routine_runs > 0;
    return WaitForSingleObject(sl->ev, 0) == WAIT_OBJECT_0;
}

/* Checks a finished slot and frees it. */
static void slot_retire(struct slot *sl)
{
    current_call = "indication";
    EXPECT(HasOverlappedIoCompleted(&sl->ov), sl->ov.Internal, 0);
    indications_total++;
    sl->busy = 0;
}

/* Any socket value of the table, or a value that names nothing. */
static SOCKET pick_socket(void)
{
    unsigned k = u8();

    switch (k >> 5) {
    case 0:
        return INVALID_SOCKET;
    case 1:
        return (SOCKET)events[k % NEV]; /* an event handle is not a socket */
    case 2:
        return (SOCKET)(0x40000000u + (k & 31)); /* no such descriptor */
    default:
        return socks[k % NSOCK];
    }
}

static WSAEVENT pick_event(void)
{
    unsigned k = u8();

    if (k < 16)
        return NULL;
    if (k < 24)
        return (WSAEVENT)(uintptr_t)(k * 4); /* a value that names no event */
    return events[k % NEV];
}

static struct slot *free_slot(void)
{
    struct slot *sl = &slots[u8() % NSLOT];

    return sl->busy || sl->abandoned ? NULL : sl;
}

/* ---- Calls -------------------------------------------------------------------------------- */

/* Prepares sl for an overlapped call: buffers (counts, lengths, NULL), mode. Returns the
 * count of WSABUFs to pass. */
static DWORD prepare(struct slot *sl, WSABUF **bufs)
{
    unsigned shape = u8();
    DWORD n = 1 + (shape & 3);

    memset(&sl->ov, 0, sizeof(sl->ov));
    WSAResetEvent(sl->ev);
    sl->routine = (shape >> 2) & 1;
    sl->ov.hEvent = sl->routine ? NULL : sl->ev;
    sl->routine_runs = 0;
    for (DWORD i = 0; i < 4; i++) {
        sl->wb[i].buf = sl->buf[i & 1] + (i >> 1) * 512;
        sl->wb[i].len = u16() % 513;
    }
    *bufs = sl->wb;
    if ((shape >> 3) == 1)
        n = 0; /* WSAEINVAL */
    else if ((shape >> 3) == 2)
        n = 0x7fffffff; /* huge: WSAENOBUFS before the array is read */
    else if ((shape >> 3) == 3)
        *bufs = NULL; /* WSAEFAULT */
    return n;
}

/* Records the outcome of an overlapped call on sl. */
static void issued(struct slot *sl, SOCKET s, int rc, const int *errs)
{
    int err = WSAGetLastError();

    ops_total++;
    if (rc == 0 || err == WSA_IO_PENDING) {
        EXPECT(rc == 0 ? err == 0 : rc == SOCKET_ERROR, rc, err);
        sl->busy = 1;
        sl->s = s;
        return;
    }
    EXPECT(rc == SOCKET_ERROR, rc, err);
    EXPECT_DOC(errs, err);
    /* Outcome (c): no indication (a truncated datagram is the one exception, api.md 1.3). */
    if (err == WSAEMSGSIZE && errs == recv_errs) {
        sl->busy = 1;
        sl->s = s;
        return;
    }
    EXPECT(!slot_done(sl), err, 0);
}

static struct sockaddr_in loop_addr(unsigned port)
{
    struct sockaddr_in a;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((u_short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static void do_recv(int from)
{
    struct slot *sl = free_slot();
    SOCKET s = pick_socket();
    WSABUF *bufs;
    DWORD n;
    int rc;

    if (!sl)
        return;
    n = prepare(sl, &bufs);
    sl->flags = u8() & 1 ? (DWORD)u32() : (DWORD)(u8() & (MSG_PEEK | MSG_OOB | MSG_WAITALL));
    sl->fromlen = (int)(u8() % 40);
    current_call = from ? "WSARecvFrom" : "WSARecv";
    WSASetLastError(12345);
    if (from)
        rc = WSARecvFrom(s, bufs, n, &sl->bytes, &sl->flags,
                         u8() & 1 ? (struct sockaddr *)&sl->from : NULL, &sl->fromlen, &sl->ov,
                         sl->routine ? on_done : NULL);
    else
        rc = WSARecv(s, bufs, n, &sl->bytes, &sl->flags, &sl->ov, sl->routine ? on_done : NULL);
    issued(sl, s, rc, recv_errs);
}

static void do_send(int to)
{
    struct slot *sl = free_slot();
    SOCKET s = pick_socket();
    struct sockaddr_in dst;
    WSABUF *bufs;
    DWORD n, flags;
    int rc, port;

    if (!sl)
        return;
    n = prepare(sl, &bufs);
    flags = u8() & 1 ? u32() : (u8() & (MSG_OOB | MSG_DONTROUTE | MSG_PARTIAL));
    port = u8();
    /* The UDP pair's peer, or a port nobody listens on, or port 0. */
    {
        struct sockaddr_in me;
        int len = sizeof(me);

        if (port < 128 && getsockname(socks[3], (struct sockaddr *)&me, &len) == 0)
            dst = me;
        else
            dst = loop_addr(port < 192 ? 0 : 9);
    }
    current_call = to ? "WSASendTo" : "WSASend";
    WSASetLastError(12345);
    if (to)
        rc = WSASendTo(s, bufs, n, &sl->bytes, flags, u8() & 1 ? (struct sockaddr *)&dst : NULL,
                       (int)(u8() % 32), &sl->ov, sl->routine ? on_done : NULL);
    else
        rc = WSASend(s, bufs, n, &sl->bytes, flags, &sl->ov, sl->routine ? on_done : NULL);
    issued(sl, s, rc, send_errs);
}

static void do_ioctl(void)
{
    static const DWORD codes[] = {FIONBIO,
                                  FIONREAD,
                                  SIOCATMARK,
                                  SIO_GET_EXTENSION_FUNCTION_POINTER,
                                  SIO_ADDRESS_LIST_QUERY,
                                  SIO_ROUTING_INTERFACE_QUERY,
                                  SIO_ADDRESS_LIST_CHANGE,
                                  SIO_ROUTING_INTERFACE_CHANGE,
                                  0xDEADBEEF,
                                  SIO_FLUSH};
    static char inbuf[64], outbuf[256];
    struct slot *sl = free_slot();
    SOCKET s = pick_socket();
    unsigned k = u8();
    DWORD code = codes[k % 10], got = 0xDEADBEEF;
    DWORD cin = u8() % 65, cout = u16() % 257;
    int overlapped = (k >> 4) & 1, rc;

    if (k >= 250)
        code = u32();
    /* A waiting code without an OVERLAPPED blocks on a blocking socket, for good. */
    if (!overlapped && (code == SIO_ADDRESS_LIST_CHANGE || code == SIO_ROUTING_INTERFACE_CHANGE))
        return;
    if (overlapped && !sl)
        return;
    for (int i = 0; i < 16; i++)
        inbuf[i] = (char)u8();
    if (code == FIONBIO && !inbuf[0])
        inbuf[0] = 1; /* blocking sockets would let a blocking call wait for good */
    if (code == SIO_ROUTING_INTERFACE_QUERY && (k & 1)) {
        struct sockaddr_in a = loop_addr(80);

        memcpy(inbuf, &a, sizeof(a));
    }
    if (overlapped) {
        WSABUF *unused;

        prepare(sl, &unused);
    }
    current_call = "WSAIoctl";
    WSASetLastError(12345);
    rc = WSAIoctl(s, code, (k >> 5) & 1 ? NULL : inbuf, cin, (k >> 6) & 1 ? NULL : outbuf, cout,
                  (k >> 7) && !(k & 2) ? NULL : &got, overlapped ? &sl->ov : NULL,
                  overlapped && sl->routine ? on_done : NULL);
    if (overlapped) {
        issued(sl, s, rc, ioctl_errs);
    } else if (rc != 0) {
        ops_total++;
        EXPECT(rc == SOCKET_ERROR, rc, 0);
        EXPECT_DOC(ioctl_errs, WSAGetLastError());
        EXPECT(WSAGetLastError() != WSA_IO_PENDING, 0, 0);
    } else {
        ops_total++;
        EXPECT(got <= cout, got, cout);
    }
}

/* Non-overlapped calls on sockets that are never blocking with anything pending: every
 * socket of the table is non-blocking (FIONBIO 1 only, see do_ioctl). */
static void do_plain(void)
{
    static char buf[2048];
    SOCKET s = pick_socket();
    unsigned k = u8();
    int len = (int)(u16() % 2049) - (k & 1), rc;

    WSASetLastError(12345);
    ops_total++;
    if (k & 2) {
        current_call = "recv";
        rc = recv(s, len < 0 ? buf : buf, len, (int)(u8() & (MSG_PEEK | MSG_OOB)));
        if (rc < 0)
            EXPECT_DOC(recv_errs, WSAGetLastError());
        else
            EXPECT(rc <= (len < 0 ? 0x7fffffff : len), rc, len);
    } else {
        current_call = "send";
        if (len < 0)
            len = 0;
        rc = send(s, buf, len, (int)(u8() & MSG_OOB));
        if (rc < 0)
            EXPECT_DOC(send_errs, WSAGetLastError());
        else
            EXPECT(rc <= len, rc, len);
    }
    if (rc < 0)
        EXPECT(WSAGetLastError() != WSA_IO_PENDING, 0, 0);
}

static void do_result(void)
{
    struct slot *sl = &slots[u8() % NSLOT];
    SOCKET s = u8() & 1 ? pick_socket() : sl->s;
    DWORD bytes = 0xDEADBEEF, flags = 0xDEADBEEF;
    int wait = u8() & 1;
    BOOL ok;

    if (!sl->busy || sl->abandoned)
        return;
    /* fWait only when it cannot block for good: the operation is done already. */
    if (!HasOverlappedIoCompleted(&sl->ov))
        wait = 0;
    current_call = "WSAGetOverlappedResult";
    WSASetLastError(12345);
    ok = WSAGetOverlappedResult(s, &sl->ov, u8() & 1 ? &bytes : NULL, wait, &flags);
    ops_total++;
    if (!ok)
        EXPECT_DOC(result_errs, WSAGetLastError());
    else
        EXPECT(bytes != 0xDEADBEEF && flags == 0, bytes, flags);
}

static void do_eventselect(void)
{
    SOCKET s = pick_socket();
    WSAEVENT ev = pick_event();
    long mask = u8() & 1 ? (long)u32() : (long)(u8() & FD_ALL_EVENTS);
    int rc;

    if (!mask)
        ev = NULL; /* keep the socket selectable later */
    current_call = "WSAEventSelect";
    WSASetLastError(12345);
    rc = WSAEventSelect(s, ev, mask);
    ops_total++;
    if (rc)
        EXPECT_DOC(select_errs, WSAGetLastError());
}

static void do_enum(void)
{
    WSANETWORKEVENTS ne;
    SOCKET s = pick_socket();
    WSAEVENT ev = pick_event();
    int rc;

    current_call = "WSAEnumNetworkEvents";
    WSASetLastError(12345);
    rc = WSAEnumNetworkEvents(s, ev, u8() == 7 ? NULL : &ne);
    ops_total++;
    if (rc)
        EXPECT_DOC(enum_errs, WSAGetLastError());
    else
        EXPECT((ne.lNetworkEvents & ~(long)FD_ALL_EVENTS) == 0, ne.lNetworkEvents, 0);
}

/* Waits (bounded, alertable) for anything; runs routines. */
static void do_wait(void)
{
    WSAEVENT evs[NEV + NSLOT];
    DWORD n = 0, rc;
    unsigned k = u8();

    for (int i = 0; i < NEV; i++)
        if (k & (1u << (i & 7)))
            evs[n++] = events[i];
    for (int i = 0; i < NSLOT; i++)
        if (slots[i].busy && !slots[i].routine && !slots[i].abandoned && (k & 0x80))
            evs[n++] = slots[i].ev;
    current_call = "WSAWaitForMultipleEvents";
    if (!n) {
        rc = SleepEx(k & 3, TRUE);
        EXPECT(rc == 0 || rc == WAIT_IO_COMPLETION, rc, 0);
        return;
    }
    rc = WSAWaitForMultipleEvents(n, evs, (k >> 4) & 1, k & 7, TRUE);
    EXPECT(rc < WSA_WAIT_EVENT_0 + n || rc == WSA_WAIT_TIMEOUT || rc == WSA_WAIT_IO_COMPLETION, rc,
           n);
}

static void do_event_op(void)
{
    WSAEVENT ev = pick_event();
    unsigned k = u8() % 3;
    BOOL ok;

    current_call = "WSASetEvent/WSAResetEvent";
    ok = k == 0 ? WSASetEvent(ev) : WSAResetEvent(ev);
    if (!ok)
        EXPECT(WSAGetLastError() == WSA_INVALID_HANDLE, WSAGetLastError(), 0);
}

static void do_close(void)
{
    unsigned k = u8();
    SOCKET s = pick_socket();
    int rc;

    if (k & 1) { /* abortive: SO_LINGER {1, 0} */
        struct linger lg = {1, 0};

        setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof(lg));
    }
    current_call = "closesocket";
    WSASetLastError(12345);
    rc = closesocket(s);
    ops_total++;
    if (rc)
        EXPECT_DOC(close_errs, WSAGetLastError());
    /* Its operations end now with an indication; the value stays in the table: a closed
     * socket (or a later socket that got the same number, which is allowed). */
}

static void do_shutdown(void)
{
    SOCKET s = pick_socket();
    int how = (int)(u8() % 4), rc;

    current_call = "shutdown";
    WSASetLastError(12345);
    rc = shutdown(s, how);
    ops_total++;
    if (rc)
        EXPECT_DOC(shutdown_errs, WSAGetLastError());
}

/* A new socket, or one accepted from the listener, into slots 8-11. */
static void do_new_socket(void)
{
    unsigned k = u8();
    SOCKET *dst = &socks[8 + (k & 3)], s;
    u_long one = 1;

    if (k & 4) {
        fd_set rd;
        struct timeval tv = {0, 0};

        FD_ZERO(&rd);
        FD_SET(socks[4], &rd);
        current_call = "accept";
        if (select(0, &rd, NULL, NULL, &tv) != 1)
            return;
        s = accept(socks[4], NULL, NULL);
    } else {
        current_call = "WSASocket";
        s = WSASocketW(AF_INET, (k & 8) ? SOCK_DGRAM : SOCK_STREAM, 0, NULL, 0,
                       WSA_FLAG_OVERLAPPED);
    }
    ops_total++;
    if (s == INVALID_SOCKET)
        return;
    ioctlsocket(s, FIONBIO, &one);
    if (*dst != INVALID_SOCKET)
        closesocket(*dst);
    *dst = s;
}

/* The last WSACleanup closes everything with no indications (api.md 4.1); then the input
 * goes on after a new WSAStartup, with every old handle dead. */
static void do_cleanup(void)
{
    WSADATA wd;

    current_call = "WSACleanup";
    EXPECT(WSACleanup() == 0, WSAGetLastError(), 0);
    for (int i = 0; i < NSLOT; i++)
        if (slots[i].busy)
            slots[i].abandoned = 1;
    EXPECT(WSAStartup(MAKEWORD(2, 2), &wd) == 0, 0, 0);
    ops_total++;
}

/* ---- One input ---------------------------------------------------------------------------- */

static void tcp_pair(SOCKET *a, SOCKET *b)
{
    struct sockaddr_in sa = loop_addr(0);
    int len = sizeof(sa);
    SOCKET l = socket(AF_INET, SOCK_STREAM, 0);

    current_call = "setup";
    EXPECT(l != INVALID_SOCKET, WSAGetLastError(), 0);
    EXPECT(bind(l, (struct sockaddr *)&sa, sizeof(sa)) == 0, WSAGetLastError(), 0);
    EXPECT(listen(l, 4) == 0 && getsockname(l, (struct sockaddr *)&sa, &len) == 0, 0, 0);
    *a = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT(connect(*a, (struct sockaddr *)&sa, sizeof(sa)) == 0, WSAGetLastError(), 0);
    *b = accept(l, NULL, NULL);
    EXPECT(*b != INVALID_SOCKET, WSAGetLastError(), 0);
    socks[4] = l; /* the listener stays: connections to it wait in the backlog */
}

static void setup(void)
{
    struct sockaddr_in sa = loop_addr(0);
    int len = sizeof(sa);
    u_long one = 1;

    for (int i = 0; i < NSOCK; i++)
        socks[i] = INVALID_SOCKET;
    tcp_pair(&socks[0], &socks[1]);
    for (int i = 2; i < 4; i++) {
        socks[i] = socket(AF_INET, SOCK_DGRAM, 0);
        EXPECT(bind(socks[i], (struct sockaddr *)&sa, sizeof(sa)) == 0, WSAGetLastError(), 0);
    }
    for (int i = 2; i < 4; i++) { /* each connected to the other */
        struct sockaddr_in peer;

        len = sizeof(peer);
        EXPECT(getsockname(socks[5 - i], (struct sockaddr *)&peer, &len) == 0, 0, 0);
        EXPECT(connect(socks[i], (struct sockaddr *)&peer, len) == 0, WSAGetLastError(), 0);
    }
    socks[5] = socket(AF_INET, SOCK_STREAM, 0);
    socks[6] = socket(AF_INET, SOCK_DGRAM, 0);
    socks[7] = socket(AF_INET, SOCK_STREAM, 0);
    closesocket(socks[7]); /* its value names nothing now (or, later, a new socket) */
    for (int i = 0; i < 7; i++)
        EXPECT(ioctlsocket(socks[i], FIONBIO, &one) == 0, WSAGetLastError(), 0);
}

/* Closes everything; every accepted operation gets its indication, bounded in time. */
static void teardown(void)
{
    current_call = "teardown";
    for (int i = 0; i < NSOCK; i++)
        if (socks[i] != INVALID_SOCKET && i != 7)
            closesocket(socks[i]);
    for (int round = 0; round < 2000; round++) {
        int left = 0;

        for (int i = 0; i < NSLOT; i++) {
            struct slot *sl = &slots[i];

            if (sl->abandoned) { /* cancelled by WSACleanup: Internal is written */
                if (!HasOverlappedIoCompleted(&sl->ov))
                    left++;
            } else if (sl->busy) {
                if (slot_done(sl))
                    slot_retire(sl);
                else
                    left++;
            }
        }
        if (!left) {
            /* A routine of an operation that finished before a WSACleanup is still queued
             * (only cancelled ones lose theirs): it runs now, not in the next input. */
            while (SleepEx(0, TRUE) == WAIT_IO_COMPLETION)
                ;
            for (int i = 0; i < NSLOT; i++)
                slots[i].abandoned = slots[i].busy = 0;
            return;
        }
        SleepEx(1, TRUE); /* routines run here */
    }
    for (int i = 0; i < NSLOT; i++)
        if (slots[i].busy)
            bug(__LINE__, "an accepted operation got no indication within 2 s", i,
                (long)slots[i].ov.Internal);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    WSADATA wd;

    (void)argc, (void)argv;
    if (WSAStartup(MAKEWORD(2, 2), &wd) != 0)
        abort();
    for (int i = 0; i < NEV; i++)
        events[i] = WSACreateEvent();
    for (int i = 0; i < NSLOT; i++)
        slots[i].ev = WSACreateEvent();
    /* Start the library's own threads and descriptors before any input (backend, watcher,
     * network-change listener), so a closed socket's number is only ever reused by a
     * socket of the input. */
    setup();
    {
        struct slot *sl = &slots[0];
        DWORD got;

        memset(&sl->ov, 0, sizeof(sl->ov));
        sl->ov.hEvent = sl->ev;
        WSAEventSelect(socks[5], events[0], FD_READ);
        WSAIoctl(socks[2], SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &got, &sl->ov, NULL);
    }
    for (int i = 0; i < NSOCK; i++)
        if (socks[i] != INVALID_SOCKET && i != 7)
            closesocket(socks[i]);
    WaitForSingleObject(slots[0].ev, 2000);
    if (getenv("FUZZ_API_VERBOSE"))
        fprintf(stderr, "fuzz_api: backend %s\n", wsaio_backend_name());
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    in_data = data;
    in_left = size;
    inputs_total++;
    setup();
    while (in_left) {
        switch (u8() % 16) {
        case 0:
        case 1:
            do_recv(0);
            break;
        case 2:
            do_recv(1);
            break;
        case 3:
        case 4:
            do_send(0);
            break;
        case 5:
            do_send(1);
            break;
        case 6:
            do_ioctl();
            break;
        case 7:
            do_plain();
            break;
        case 8:
            do_result();
            break;
        case 9:
            do_eventselect();
            break;
        case 10:
            do_enum();
            break;
        case 11:
            do_wait();
            break;
        case 12:
            do_event_op();
            break;
        case 13:
            if (u8() < 32)
                do_close();
            else
                do_shutdown();
            break;
        case 14:
            do_new_socket();
            break;
        case 15:
            if (u8() == 0x5A)
                do_cleanup();
            break;
        }
        /* Retire what finished, so slots come free. */
        for (int i = 0; i < NSLOT; i++)
            if (slots[i].busy && !slots[i].abandoned && slot_done(&slots[i]))
                slot_retire(&slots[i]);
    }
    teardown();
    if (getenv("FUZZ_API_VERBOSE") && inputs_total % 10000 == 0)
        fprintf(stderr, "fuzz_api: %lu inputs, %lu calls, %lu indications\n", inputs_total,
                ops_total, indications_total);
    return 0;
}
