/*
 * close_vs_select.c - closesocket racing WSAEventSelect made by another thread on the same
 * socket. closesocket removes the selection (netevents.c wsaio_ne_close) before the
 * descriptor closes; a WSAEventSelect that entered the socket before the close but takes
 * its lock after that removal must not register the closing socket with the watcher again:
 * the registration would hold the socket record for good (nothing unregisters a closed
 * socket), one leaked record and one dead watcher entry per race.
 */
#include "unit_race.h"

#include "core/socket.h"

static SOCKET victim;
static WSAEVENT ev;
static DWORD WINAPI do_select(LPVOID arg)
{
    (void)arg;
    unit_race_start_line();
    WSAEventSelect(victim, ev, FD_READ | FD_CLOSE);
    return 0;
}

TEST(close_vs_select)
{
    int left = 0;

    harness_startup();
    ev = WSACreateEvent();
    for (int i = 0; i < 3000; i++) {
        struct wsaio_socket *sk;

        victim = socket(AF_INET, SOCK_STREAM, 0);
        CHECK(victim != INVALID_SOCKET);
        sk = wsaio_socket_ref(victim); /* keep the record to look at it afterwards */
        CHECK(sk != NULL);
        wsaio_socket_hold(sk);
        wsaio_socket_put(sk);
        unit_race_close(victim, i, do_select);
        wsaio_socket_lock(sk);
        left += sk->ne.watched;
        wsaio_socket_unlock(sk);
        if (!sk->ne.watched)
            wsaio_socket_release(sk);
    }
    printf("close_vs_select: %d closed sockets left registered with the watcher\n", left);
    CHECK_EQ(left, 0);
    WSACloseEvent(ev);
    WSACleanup();
}
