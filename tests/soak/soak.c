/*
 * soak.c - the soak test of issue 9: many threads, each running loopback TCP connections
 * one after the other, each connection in one of the four indication modes (overlapped
 * with events, overlapped with completion routines, non-overlapped blocking calls,
 * WSAEventSelect with non-blocking calls), against an echo peer thread. At random a
 * connection is closed locally with its operations pending, or reset by its peer. Every
 * byte echoed is checked against the stream sent; every overlapped operation accepted must
 * get exactly one indication (aborted ones with WSA_OPERATION_ABORTED); every wait is
 * bounded (a lost indication fails, it does not hang). Meanwhile a chaos thread takes and
 * gives back extra WSAStartup references; at the end the last WSACleanup runs while the
 * workers are still busy.
 *
 *   soak [SECONDS [THREADS [SEED]]]     (default 3 s, 6 threads)
 *
 * The suite runs the short form (tests/soak/CMakeLists.txt); by hand, minutes:
 *   build/gcc/tests/soak/soak 600 16
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <wsaio.h>

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        fprintf(stderr, "soak.c:%d: ", __LINE__);                                                  \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        abort();                                                                                   \
    } while (0)
#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            FAIL("check failed: %s (last error %d)", #c, WSAGetLastError());                       \
    } while (0)

enum mode { M_EVENTS, M_ROUTINES, M_BLOCKING, M_EVENTSELECT, M_COUNT };
static const char *const mode_names[M_COUNT] = {"events", "routines", "blocking", "eventselect"};

enum { CHUNK = 16384, WAIT_MS = 10000 };

static _Atomic int stopping;   /* time is up: finish the connection in hand */
static _Atomic int cleaned_up; /* the last WSACleanup ran: errors are expected now */
static _Atomic unsigned long n_conns[M_COUNT], n_bytes, n_ops, n_indications, n_resets,
    n_reset_as_eof, n_closes, n_aborted;

static char pattern(uint64_t i)
{
    return (char)((i * 7 + (i >> 9)) % 253);
}

static uint64_t next(uint64_t *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return *x >> 17;
}

/* ---- The echo peer ------------------------------------------------------------------------ */

struct peer {
    SOCKET s;
    long reset_after; /* echo this many bytes, then reset (SO_LINGER 0); -1: never */
};

static DWORD WINAPI peer_main(LPVOID arg)
{
    struct peer *p = arg;
    static _Thread_local char buf[CHUNK];
    long echoed = 0;

    for (;;) {
        int want = sizeof(buf), n;

        if (p->reset_after >= 0 && p->reset_after - echoed < want)
            want = (int)(p->reset_after - echoed);
        if (want == 0) {
            struct linger lg = {1, 0};

            setsockopt(p->s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof(lg));
            break;
        }
        n = recv(p->s, buf, want, 0);
        if (n <= 0)
            break; /* end of stream, or the worker closed/reset its side */
        for (int off = 0; off < n;) {
            int m = send(p->s, buf + off, n - off, 0);

            if (m <= 0)
                goto out;
            off += m;
        }
        echoed += n;
    }
out:
    closesocket(p->s);
    return 0;
}

/* ---- One connection ----------------------------------------------------------------------- */

struct conn {
    SOCKET s;
    uint64_t sent, recvd, total; /* stream positions */
    int reset;                   /* the peer will reset */
    int local_close;             /* close with operations pending, after this many bytes */
    long close_at;
    int ended; /* the peer's end of stream or reset was seen */
    enum mode mode;
    char sbuf[CHUNK], rbuf[CHUNK];
};

/* The receive side saw bytes [recvd, recvd + n). */
static void got(struct conn *c, const char *buf, DWORD n)
{
    for (DWORD i = 0; i < n; i++)
        if (buf[i] != pattern(c->recvd + i))
            FAIL("byte %llu of the stream is wrong", (unsigned long long)(c->recvd + i));
    c->recvd += n;
    atomic_fetch_add(&n_bytes, n);
}

/* A receive or send that failed or completed with an error: acceptable only as the
 * consequence of the peer's reset, or once the last WSACleanup ran. */
static void broken(struct conn *c, int err, const char *what)
{
    if (atomic_load(&cleaned_up))
        return;
    if (c->reset && (err == WSAECONNRESET || err == WSAECONNABORTED || err == WSAESHUTDOWN)) {
        c->ended = 1;
        return;
    }
    FAIL("%s failed with %d (peer reset planned: %d, at %llu of %llu)", what, err, c->reset,
         (unsigned long long)c->recvd, (unsigned long long)c->total);
}

/* A receive found end of stream: right when everything came back (after our shutdown),
 * or (a known defect of the reset branch, counted) when the peer reset. */
static void eof(struct conn *c)
{
    if (c->recvd == c->total || atomic_load(&cleaned_up)) {
        c->ended = 1;
        return;
    }
    if (c->reset) { /* a reset must never read as a clean end of stream (api.md 4.5) */
        atomic_fetch_add(&n_reset_as_eof, 1);
        FAIL("a peer reset read as a clean end of stream (%s connection, %llu of %llu bytes back)",
             mode_names[c->mode], (unsigned long long)c->recvd, (unsigned long long)c->total);
    }
    FAIL("end of stream at %llu of %llu", (unsigned long long)c->recvd,
         (unsigned long long)c->total);
}

static int fill(struct conn *c, uint64_t *x)
{
    int len = 1 + (int)(next(x) % CHUNK);

    if ((uint64_t)len > c->total - c->sent)
        len = (int)(c->total - c->sent);
    for (int i = 0; i < len; i++)
        c->sbuf[i] = pattern(c->sent + (uint64_t)i);
    return len;
}

/* Overlapped, one send and one receive outstanding, indications by event or routine. */
struct ovop {
    WSAOVERLAPPED ov;
    int live, done, runs;
    DWORD err, bytes;
};

static void CALLBACK routine(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct ovop *o = (struct ovop *)ov;

    (void)flags;
    if (o->runs++)
        FAIL("a second indication for one operation");
    o->err = err;
    o->bytes = bytes;
    o->done = 1;
}

static void ov_issue(struct conn *c, struct ovop *o, int is_send, int len, WSAEVENT ev,
                     int routines)
{
    WSABUF wb = {(ULONG)len, is_send ? c->sbuf : c->rbuf};
    DWORD n, flags = 0;
    int rc, err;

    memset(&o->ov, 0, sizeof(o->ov));
    o->ov.hEvent = routines ? NULL : ev;
    o->done = o->runs = 0;
    rc = is_send ? WSASend(c->s, &wb, 1, &n, 0, &o->ov, routines ? routine : NULL)
                 : WSARecv(c->s, &wb, 1, &n, &flags, &o->ov, routines ? routine : NULL);
    err = WSAGetLastError();
    atomic_fetch_add(&n_ops, 1);
    if (rc == 0 || err == WSA_IO_PENDING) {
        o->live = 1;
        return;
    }
    o->live = 0;
    broken(c, err, is_send ? "WSASend" : "WSARecv");
}

/* Whether o's indication came; for events, reads the result from the OVERLAPPED. */
static int ov_done(struct conn *c, struct ovop *o, WSAEVENT ev, int routines)
{
    if (routines)
        return o->done;
    if (WaitForSingleObject(ev, 0) != WAIT_OBJECT_0)
        return 0;
    if (!HasOverlappedIoCompleted(&o->ov))
        FAIL("event set, OVERLAPPED still pending");
    {
        DWORD bytes = 0, flags;

        o->err =
            WSAGetOverlappedResult(c->s, &o->ov, &bytes, FALSE, &flags) ? 0 : WSAGetLastError();
        if (o->err == WSAENOTSOCK) /* closed locally: read the status itself */
            o->err = (DWORD)o->ov.Internal == 0 ? 0 : WSA_OPERATION_ABORTED;
        o->bytes = (DWORD)o->ov.InternalHigh;
    }
    o->done = 1;
    return 1;
}

static void run_overlapped(struct conn *c, uint64_t *x, int routines)
{
    WSAEVENT ev[2] = {WSACreateEvent(), WSACreateEvent()};
    struct ovop so = {0}, ro = {0};
    int closed = 0, shut = 0;
    DWORD start = GetTickCount();

    CHECK(ev[0] != WSA_INVALID_EVENT && ev[1] != WSA_INVALID_EVENT);
    while (!c->ended || so.live || ro.live) {
        int closing = c->local_close && c->recvd >= (uint64_t)c->close_at;

        if (!so.live && !c->ended && !closed && !closing && c->sent < c->total) {
            int len = fill(c, x);

            ov_issue(c, &so, 1, len, ev[0], routines);
            if (so.live)
                so.bytes = (DWORD)len;
        } else if (!so.live && !shut && !closed && !closing && !c->ended && c->sent == c->total) {
            shutdown(c->s, SD_SEND);
            shut = 1;
        }
        if (!ro.live && !c->ended && !closed)
            ov_issue(c, &ro, 0, 1 + (int)(next(x) % CHUNK), ev[1], routines);
        /* A local close once all that was sent came back: the receive just issued waits
         * for bytes that never come, and must end once, aborted. */
        if (closing && !closed && !so.live && ro.live && c->recvd == c->sent) {
            CHECK(closesocket(c->s) == 0);
            atomic_fetch_add(&n_closes, 1);
            closed = 1;
            c->ended = 1;
        }
        if (!so.live && !ro.live)
            break;
        if (routines) {
            if (!(so.live && so.done) && !(ro.live && ro.done))
                SleepEx(200, TRUE);
        } else {
            WSAEVENT w[2];
            DWORD n = 0;

            if (so.live)
                w[n++] = ev[0];
            if (ro.live)
                w[n++] = ev[1];
            WSAWaitForMultipleEvents(n, w, FALSE, 200, FALSE);
        }
        if (so.live && ov_done(c, &so, ev[0], routines)) {
            so.live = 0;
            atomic_fetch_add(&n_indications, 1);
            WSAResetEvent(ev[0]);
            if (so.err == 0)
                c->sent += so.bytes;
            else if (so.err == WSA_OPERATION_ABORTED && closed)
                atomic_fetch_add(&n_aborted, 1);
            else
                broken(c, (int)so.err, "overlapped send");
        }
        if (ro.live && ov_done(c, &ro, ev[1], routines)) {
            ro.live = 0;
            atomic_fetch_add(&n_indications, 1);
            WSAResetEvent(ev[1]);
            if (ro.err == 0 && ro.bytes)
                got(c, c->rbuf, ro.bytes);
            else if (ro.err == 0)
                eof(c);
            else if ((ro.err == WSA_OPERATION_ABORTED || ro.err == WSAECONNABORTED) && closed)
                atomic_fetch_add(&n_aborted, 1);
            else
                broken(c, (int)ro.err, "overlapped receive");
        }
        if (GetTickCount() - start > WAIT_MS)
            FAIL("%s connection: no progress for %d ms (send live %d, receive live %d, %llu "
                 "of %llu back)",
                 routines ? "routines" : "events", WAIT_MS, so.live, ro.live,
                 (unsigned long long)c->recvd, (unsigned long long)c->total);
        if (!so.live && !ro.live && c->recvd == c->total)
            break;
        start = (so.done || ro.done) ? GetTickCount() : start;
    }
    if (!closed)
        closesocket(c->s);
    WSACloseEvent(ev[0]);
    WSACloseEvent(ev[1]);
}

/* Non-overlapped blocking calls: send a chunk, read it back. */
static void run_blocking(struct conn *c, uint64_t *x)
{
    u_long zero = 0;
    DWORD tmo = WAIT_MS;

    ioctlsocket(c->s, FIONBIO, &zero);
    /* A lost wake-up shows as WSAETIMEDOUT, not as a hang. */
    setsockopt(c->s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&tmo, sizeof(tmo));
    while (!c->ended && c->recvd < c->total) {
        int len = fill(c, x), n;

        for (int off = 0; off < len && !c->ended; off += n) {
            n = send(c->s, c->sbuf + off, len - off, 0);
            atomic_fetch_add(&n_ops, 1);
            if (n <= 0) {
                broken(c, WSAGetLastError(), "send");
                n = 0;
            }
        }
        c->sent += (uint64_t)len;
        while (!c->ended && c->recvd < c->sent) {
            n = recv(c->s, c->rbuf, sizeof(c->rbuf), 0);
            atomic_fetch_add(&n_ops, 1);
            if (n > 0)
                got(c, c->rbuf, (DWORD)n);
            else if (n == 0)
                eof(c);
            else
                broken(c, WSAGetLastError(), "recv");
        }
    }
    closesocket(c->s);
}

/* WSAEventSelect: non-blocking calls driven by FD_READ/FD_WRITE/FD_CLOSE. */
static void run_eventselect(struct conn *c, uint64_t *x)
{
    WSAEVENT ev = WSACreateEvent();
    int len = 0, off = 0, shut = 0;

    CHECK(WSAEventSelect(c->s, ev, FD_READ | FD_WRITE | FD_CLOSE) == 0);
    while (!c->ended) {
        WSANETWORKEVENTS ne;
        DWORD w = WSAWaitForMultipleEvents(1, &ev, FALSE, WAIT_MS, FALSE);

        if (w == WSA_WAIT_TIMEOUT)
            FAIL("eventselect connection: no network event in %d ms (%llu sent, %llu back)",
                 WAIT_MS, (unsigned long long)c->sent, (unsigned long long)c->recvd);
        CHECK(WSAEnumNetworkEvents(c->s, ev, &ne) == 0);
        atomic_fetch_add(&n_indications, 1);
        /* Send while there is room (FD_WRITE comes again only after a WSAEWOULDBLOCK). */
        for (;;) {
            int n;

            if (off == len) {
                if (c->sent == c->total) {
                    if (!shut)
                        shutdown(c->s, SD_SEND);
                    shut = 1;
                    break;
                }
                len = fill(c, x);
                off = 0;
            }
            n = send(c->s, c->sbuf + off, len - off, 0);
            atomic_fetch_add(&n_ops, 1);
            if (n < 0) {
                if (WSAGetLastError() != WSAEWOULDBLOCK)
                    broken(c, WSAGetLastError(), "send");
                break;
            }
            off += n;
            if (off == len)
                c->sent += (uint64_t)len;
        }
        /* Read what is there (FD_READ is re-enabled by each recv). */
        while (!c->ended) {
            int n = recv(c->s, c->rbuf, sizeof(c->rbuf), 0);

            atomic_fetch_add(&n_ops, 1);
            if (n > 0) {
                got(c, c->rbuf, (DWORD)n);
            } else if (n == 0) {
                eof(c);
            } else {
                if (WSAGetLastError() != WSAEWOULDBLOCK)
                    broken(c, WSAGetLastError(), "recv");
                break;
            }
        }
        if ((ne.lNetworkEvents & FD_CLOSE) && !c->ended && ne.iErrorCode[FD_CLOSE_BIT])
            broken(c, ne.iErrorCode[FD_CLOSE_BIT], "FD_CLOSE");
    }
    closesocket(c->s);
    WSACloseEvent(ev);
}

/* ---- Workers ------------------------------------------------------------------------------ */

struct worker {
    int id;
    uint64_t seed;
    SOCKET listener;
    struct sockaddr_in addr;
};

static struct conn *conn_new(struct worker *w, uint64_t *x, struct peer *p, HANDLE *peer_thread)
{
    struct conn *c = calloc(1, sizeof(*c));
    SOCKET a;

    CHECK(c != NULL);
    c->s = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(c->s != INVALID_SOCKET);
    CHECK(connect(c->s, (struct sockaddr *)&w->addr, sizeof(w->addr)) == 0);
    a = accept(w->listener, NULL, NULL);
    CHECK(a != INVALID_SOCKET);
    c->total = 1 + next(x) % (1 << 20);
    c->reset = next(x) % 8 == 0;
    c->local_close = !c->reset && next(x) % 8 == 0;
    c->close_at = (long)(next(x) % (c->total + 1));
    p->s = a;
    p->reset_after = c->reset ? (long)(next(x) % (c->total + 1)) : -1;
    *peer_thread = CreateThread(NULL, 0, peer_main, p, 0, NULL);
    CHECK(*peer_thread != NULL);
    return c;
}

static DWORD WINAPI worker_main(LPVOID arg)
{
    struct worker *w = arg;
    uint64_t x = w->seed;
    struct sockaddr_in sa;
    int len = sizeof(sa);

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    w->listener = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(w->listener != INVALID_SOCKET);
    CHECK(bind(w->listener, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    CHECK(listen(w->listener, 4) == 0);
    CHECK(getsockname(w->listener, (struct sockaddr *)&w->addr, &len) == 0);
    while (!atomic_load(&stopping)) {
        struct peer p;
        HANDLE pt;
        struct conn *c = conn_new(w, &x, &p, &pt);
        enum mode m = (enum mode)(next(&x) % M_COUNT);

        c->mode = m;

        if (m == M_BLOCKING || m == M_EVENTSELECT)
            c->local_close = 0; /* a close from the same thread has nothing pending */
        switch (m) {
        case M_EVENTS:
            run_overlapped(c, &x, 0);
            break;
        case M_ROUTINES:
            run_overlapped(c, &x, 1);
            break;
        case M_BLOCKING:
            run_blocking(c, &x);
            break;
        default:
            run_eventselect(c, &x);
            break;
        }
        if (!c->ended && !c->local_close && c->recvd != c->total)
            FAIL("%s connection ended with %llu of %llu bytes back", mode_names[m],
                 (unsigned long long)c->recvd, (unsigned long long)c->total);
        if (c->reset)
            atomic_fetch_add(&n_resets, 1);
        CHECK(WaitForSingleObject(pt, WAIT_MS) == WAIT_OBJECT_0);
        CloseHandle(pt);
        atomic_fetch_add(&n_conns[m], 1);
        free(c);
    }
    closesocket(w->listener);
    return 0;
}

/* Extra WSAStartup references taken and given back while everything runs. */
static DWORD WINAPI chaos_main(LPVOID arg)
{
    (void)arg;
    while (!atomic_load(&stopping)) {
        WSADATA wd;

        CHECK(WSAStartup(MAKEWORD(2, 2), &wd) == 0);
        Sleep(1);
        CHECK(WSACleanup() == 0);
    }
    return 0;
}

/* The last WSACleanup, with operations in flight: sockets and operations go without
 * indications; nothing may crash or hang. */
static DWORD WINAPI final_cleanup_main(LPVOID arg)
{
    struct worker w = {.id = -1, .seed = (uintptr_t)arg};
    uint64_t x = w.seed;
    struct sockaddr_in sa;
    int len = sizeof(sa);
    static struct ovop o[4];
    static char buf[4][64];
    struct peer p;
    HANDLE pt;
    struct conn *c;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    w.listener = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(bind(w.listener, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    CHECK(listen(w.listener, 4) == 0);
    CHECK(getsockname(w.listener, (struct sockaddr *)&w.addr, &len) == 0);
    c = conn_new(&w, &x, &p, &pt);
    for (int i = 0; i < 4; i++) {
        WSABUF wb = {sizeof(buf[i]), buf[i]};
        DWORD flags = 0;

        memset(&o[i].ov, 0, sizeof(o[i].ov));
        o[i].ov.hEvent = WSACreateEvent();
        CHECK(WSARecv(c->s, &wb, 1, NULL, &flags, &o[i].ov, NULL) == SOCKET_ERROR);
        CHECK(WSAGetLastError() == WSA_IO_PENDING);
    }
    atomic_store(&cleaned_up, 1);
    CHECK(WSACleanup() == 0); /* the main thread's reference: the last one */
    for (int i = 0; i < 4; i++) {
        /* api.md 4.1: cancelled, but no indication. */
        CHECK(WaitForSingleObject(o[i].ov.hEvent, 100) == WAIT_TIMEOUT);
        WSACloseEvent(o[i].ov.hEvent);
    }
    CHECK(WaitForSingleObject(pt, WAIT_MS) == WAIT_OBJECT_0); /* its socket went too */
    CloseHandle(pt);
    free(c);
    return 0;
}

int main(int argc, char **argv)
{
    int seconds = argc > 1 ? atoi(argv[1]) : 3, nthreads = argc > 2 ? atoi(argv[2]) : 6;
    uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 0) : (uint64_t)GetTickCount64();
    static struct worker w[64];
    HANDLE t[64], chaos, fin;
    WSADATA wd;
    unsigned long total = 0;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (nthreads < 1 || nthreads > 64 || seconds < 1)
        FAIL("usage: soak [SECONDS [THREADS (1-64) [SEED]]]");
    CHECK(WSAStartup(MAKEWORD(2, 2), &wd) == 0);
    printf("soak: %d s, %d threads, seed %llu, backend %s\n", seconds, nthreads,
           (unsigned long long)seed, wsaio_backend_name());
    for (int i = 0; i < nthreads; i++) {
        w[i].id = i;
        w[i].seed = seed * 1000003u + (uint64_t)i;
        t[i] = CreateThread(NULL, 0, worker_main, &w[i], 0, NULL);
        CHECK(t[i] != NULL);
    }
    chaos = CreateThread(NULL, 0, chaos_main, NULL, 0, NULL);
    CHECK(chaos != NULL);
    Sleep((DWORD)seconds * 1000);
    atomic_store(&stopping, 1);
    for (int i = 0; i < nthreads; i++) {
        /* A connection in hand is at most 1 MiB; stuck means lost. */
        if (WaitForSingleObject(t[i], 60000) != WAIT_OBJECT_0)
            FAIL("worker %d did not finish within 60 s of the end", i);
        CloseHandle(t[i]);
    }
    CHECK(WaitForSingleObject(chaos, 10000) == WAIT_OBJECT_0);
    CloseHandle(chaos);
    fin = CreateThread(NULL, 0, final_cleanup_main, (LPVOID)(uintptr_t)seed, 0, NULL);
    CHECK(fin != NULL);
    CHECK(WaitForSingleObject(fin, 30000) == WAIT_OBJECT_0);
    CloseHandle(fin);
    for (int m = 0; m < M_COUNT; m++) {
        printf("soak: %s connections: %lu\n", mode_names[m], atomic_load(&n_conns[m]));
        total += atomic_load(&n_conns[m]);
    }
    printf("soak: %lu connections, %lu bytes echoed and checked, %lu calls, %lu indications, "
           "%lu peer resets (%lu read as a clean end of stream), %lu local closes with "
           "operations pending (%lu operations aborted)\n",
           total, atomic_load(&n_bytes), atomic_load(&n_ops), atomic_load(&n_indications),
           atomic_load(&n_resets), atomic_load(&n_reset_as_eof), atomic_load(&n_closes),
           atomic_load(&n_aborted));
    CHECK(total > 0);
    return 0;
}
