/*
 * srv_wsaio_routine.c - TCP and UDP echo in portable Winsock C with completion routines
 * (srv_win.h holds the work it shares with srv_wsaio_event.c). Builds against wsaio and
 * with mingw-w64 for Wine.
 *
 * One thread does everything. Its one wait is an alertable WSAWaitForMultipleEvents on the
 * listener's FD_ACCEPT event (WSAEventSelect): completion routines run inside that wait,
 * each starting its connection's next operation, and the event wakes it to accept. (The
 * first version slept in SleepEx(INFINITE, TRUE) and had a second thread accept and hand
 * sockets over with QueueUserAPC; on wsaio such an APC is not delivered while the target
 * thread sleeps in the ring as reaper and no other thread waits in wsaio: reported.)
 */
#include "srv_win.h"

static void CALLBACK on_io(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct conn *c = (struct conn *)ov; /* ov is the record's first member */

    (void)flags;
    if (conn_next(c, err, n, on_io))
        conn_free(c);
}

static void start(struct conn *c)
{
    if (conn_post(c, 0, on_io))
        conn_free(c);
}

int main(int argc, char **argv)
{
    SOCKET listener, udp, s;
    WSAEVENT ev;
    WSANETWORKEVENTS ne;
    int i;

    srv_start(argc, argv, &listener, &udp);
    ev = WSACreateEvent();
    if (ev == WSA_INVALID_EVENT || WSAEventSelect(listener, ev, FD_ACCEPT))
        srv_die("WSAEventSelect");
    for (i = 0; i < UDP_SLOTS; i++)
        start(conn_new(udp, 1));
    for (;;) {
        DWORD r = WSAWaitForMultipleEvents(1, &ev, FALSE, WSA_INFINITE, TRUE);

        if (r == WSA_WAIT_IO_COMPLETION)
            continue;
        if (r != WSA_WAIT_EVENT_0 || WSAEnumNetworkEvents(listener, ev, &ne))
            srv_die("WSAWaitForMultipleEvents");
        /* The listener is non-blocking now (WSAEventSelect): accept until none is left. An
         * accepted socket inherits the listener's selection; clearing it leaves the
         * socket to the overlapped calls alone. */
        while ((s = srv_accept(listener)) != INVALID_SOCKET) {
            WSAEventSelect(s, NULL, 0);
            start(conn_new(s, 0));
        }
        if (WSAGetLastError() != WSAEWOULDBLOCK)
            srv_die("accept");
    }
    return 0;
}
