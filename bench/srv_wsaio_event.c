/*
 * srv_wsaio_event.c - TCP and UDP echo in portable Winsock C with event objects (srv_win.h
 * holds the work it shares with srv_wsaio_routine.c). Builds against wsaio and with
 * mingw-w64 for Wine.
 *
 * The classic Winsock design: one thread per 63 connections, each waiting in
 * WSAWaitForMultipleEvents over its connections' events plus one event (index 0) by which
 * the accepting main thread hands it new connections. The wait returns the lowest signalled
 * index; the thread then looks at that connection and every one after it with
 * HasOverlappedIoCompleted (a read of the OVERLAPPED, no call), resets the event of each
 * completed one before reading its result and starting its next operation. Worker 0
 * serves the UDP socket's UDP_SLOTS records, workers 1.. the TCP connections.
 */
#include "srv_win.h"

#define PER_THREAD (WSA_MAXIMUM_WAIT_EVENTS - 1)

struct worker {
    struct handoff in; /* in.ev is ev[0] */
    WSAEVENT ev[WSA_MAXIMUM_WAIT_EVENTS];
    struct conn *c[WSA_MAXIMUM_WAIT_EVENTS]; /* c[i] owns ev[i]; c[0] is NULL */
    DWORD n;
};

static void take_incoming(struct worker *w)
{
    struct conn *q[WSA_MAXIMUM_WAIT_EVENTS];
    int n = handoff_take(&w->in, q);

    for (int i = 0; i < n; i++) {
        struct conn *c = q[i];

        c->ov.hEvent = WSACreateEvent();
        if (c->ov.hEvent == WSA_INVALID_EVENT || conn_post(c, 0, NULL)) {
            WSACloseEvent(c->ov.hEvent);
            conn_free(c);
            handoff_closed(&w->in);
            continue;
        }
        w->ev[w->n] = c->ov.hEvent;
        w->c[w->n++] = c;
    }
}

static DWORD WINAPI worker_main(LPVOID arg)
{
    struct worker *w = arg;

    for (;;) {
        DWORD r = WSAWaitForMultipleEvents(w->n, w->ev, FALSE, WSA_INFINITE, FALSE), i;

        if (r >= WSA_WAIT_EVENT_0 + w->n)
            srv_die("WSAWaitForMultipleEvents");
        i = r - WSA_WAIT_EVENT_0;
        if (i == 0) {
            take_incoming(w); /* ev[0] is auto-reset */
            i = 1;
        }
        for (; i < w->n; i++) {
            struct conn *c = w->c[i];
            DWORD n = 0, flags, err = 0;

            if (!HasOverlappedIoCompleted(&c->ov))
                continue;
            WSAResetEvent(c->ov.hEvent);
            if (!WSAGetOverlappedResult(c->s, &c->ov, &n, FALSE, &flags))
                err = (DWORD)WSAGetLastError();
            if (conn_next(c, err, n, NULL) == 0)
                continue;
            /* Finished: close it, move the last connection into its place, look again. */
            WSACloseEvent(c->ov.hEvent);
            conn_free(c);
            handoff_closed(&w->in);
            w->n--;
            w->ev[i] = w->ev[w->n];
            w->c[i] = w->c[w->n];
            i--;
        }
    }
    return 0;
}

static struct worker *worker_new(void)
{
    struct worker *w = calloc(1, sizeof(*w));
    HANDLE t;

    if (!w)
        srv_die("calloc");
    handoff_init(&w->in, PER_THREAD);
    w->ev[0] = w->in.ev;
    w->n = 1;
    t = CreateThread(NULL, 0, worker_main, w, 0, NULL);
    if (!t)
        srv_die("CreateThread");
    CloseHandle(t);
    return w;
}

int main(int argc, char **argv)
{
    static struct worker *workers[1024];
    SOCKET listener, udp, s;
    int nworkers = 1, i;

    srv_start(argc, argv, &listener, &udp);
    workers[0] = worker_new();
    for (i = 0; i < UDP_SLOTS; i++)
        handoff_put(&workers[0]->in, conn_new(udp, 1));
    /* A new connection goes to the first thread with room (its closed connections free
     * places); a new thread starts only when every one is full. Connections never move. */
    while ((s = srv_accept(listener)) != INVALID_SOCKET) {
        struct conn *c = conn_new(s, 0);

        for (i = 1; i < nworkers && !handoff_put(&workers[i]->in, c); i++)
            ;
        if (i == nworkers) {
            if (nworkers == 1024)
                srv_die("too many connections");
            workers[nworkers++] = worker_new();
            handoff_put(&workers[i]->in, c);
        }
    }
    srv_die("accept");
    return 1;
}
