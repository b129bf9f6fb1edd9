/*
 * srv_wsaio_routine.c - TCP and UDP echo in portable Winsock C with completion routines
 * (srv_win.h holds the work it shares with srv_wsaio_event.c). Builds against wsaio and
 * with mingw-w64 for Wine.
 *
 * One I/O thread issues every operation and runs every completion routine. Its one wait
 * is an alertable WSAWaitForMultipleEvents on the event by which the accepting main thread
 * (blocking accept) hands it new connections (srv_win.h's handoff): routines run inside
 * that wait, each starting its connection's next operation. Two simpler designs were
 * tried and left because of wsaio costs that are reported, not worked around here:
 * SleepEx(INFINITE, TRUE) in the I/O thread with sockets handed over by QueueUserAPC
 * (such an APC is not delivered while the target sleeps in the ring as reaper and no other
 * thread waits in wsaio), and accepting in the I/O thread through WSAEventSelect on the
 * listener (every accepted socket inherits the selection, and stays watched by wsaio's
 * event-select thread even after WSAEventSelect(s, NULL, 0), which then wakes for every
 * arrival and takes the socket lock: ~25% more CPU).
 */
#include "srv_win.h"

static struct handoff in;

static void CALLBACK on_io(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct conn *c = (struct conn *)ov; /* ov is the record's first member */

    (void)flags;
    if (conn_next(c, err, n, on_io)) {
        conn_free(c);
        handoff_closed(&in);
    }
}

static DWORD WINAPI io_thread(LPVOID arg)
{
    struct conn *q[WSA_MAXIMUM_WAIT_EVENTS];

    (void)arg;
    for (;;) {
        DWORD r = WSAWaitForMultipleEvents(1, &in.ev, FALSE, WSA_INFINITE, TRUE);
        int n;

        if (r == WSA_WAIT_IO_COMPLETION)
            continue;
        if (r != WSA_WAIT_EVENT_0)
            srv_die("WSAWaitForMultipleEvents");
        n = handoff_take(&in, q);
        for (int i = 0; i < n; i++)
            if (conn_post(q[i], 0, on_io)) {
                conn_free(q[i]);
                handoff_closed(&in);
            }
    }
    return 0;
}

int main(int argc, char **argv)
{
    SOCKET listener, udp, s;
    HANDLE io;
    int i;

    srv_start(argc, argv, &listener, &udp);
    handoff_init(&in, 1 << 30);
    io = CreateThread(NULL, 0, io_thread, NULL, 0, NULL);
    if (!io)
        srv_die("CreateThread");
    for (i = 0; i < UDP_SLOTS; i++)
        handoff_put(&in, conn_new(udp, 1));
    /* The queue holds 64 until the I/O thread takes them: wait for room (bounded). */
    while ((s = srv_accept(listener)) != INVALID_SOCKET) {
        struct conn *c = conn_new(s, 0);

        for (i = 0; i < 5000 && !handoff_put(&in, c); i++)
            Sleep(1);
        if (i == 5000)
            srv_die("hand-over (I/O thread stuck)");
    }
    srv_die("accept");
    return 1;
}
