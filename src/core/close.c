/*
 * close.c - the closesocket sequence (close.h): the one place that coordinates the parts a
 * socket has, above each of them: the table (socket.c), WSAEventSelect's selection
 * (netevents.c), the engine's operations (engine.c) and the address-change requests
 * (netchange.c).
 */
#include "core/close.h"

#include <errno.h>
#include <sys/socket.h>

#include "core/accept_op.h"
#include "core/cancel.h"
#include "core/engine.h"
#include "core/netevents.h"
#include "core/socket.h"

/* An abortive close: SO_LINGER {1, 0}, or WSACleanup's (api.md 4.4 rule 7, 4.1). */
static bool closes_abortively(struct wsaio_socket *sk)
{
    struct linger lg = {0, 0};
    socklen_t len = sizeof(lg);

    return sk->abortive || (getsockopt(sk->fd, SOL_SOCKET, SO_LINGER, &lg, &len) == 0 &&
                            lg.l_onoff && lg.l_linger == 0);
}

/* Wakes the calls blocked on sk, which another thread closes (api.md 4.4 rule 4). A
 * shutdown does it, except that it sends our FIN: for an abortive close of a stream the
 * peer would see a graceful close before the reset. Disconnecting (AF_UNSPEC) resets the
 * connection at once, discards unsent data, and wakes the waiters all the same. */
static void wake_blocked_calls(struct wsaio_socket *sk)
{
    struct sockaddr none = {.sa_family = AF_UNSPEC};

    if (sk->type == SOCK_STREAM && closes_abortively(sk))
        connect(sk->fd, &none, sizeof(none));
    else
        shutdown(sk->fd, SHUT_RDWR);
}

int wsaio_close_socket(struct wsaio_socket *sk)
{
    struct wsaio_cancel_match all = {.deliver = !sk->abortive, .closing = true};

    if (wsaio_socket_mark_closed(sk) < 0)
        return -EBADF;
    wsaio_ne_close(sk); /* the selection goes; its event is left alone */
    wsaio_engine_shut(sk);
    wsaio_cancel(sk, &all); /* queued, in the kernel, address and routing change requests */
    wsaio_accept_abort(sk, all.deliver); /* an AcceptEx using it, on its listener */
    wsaio_engine_wait_aborted(sk);
    /* Another thread blocked in a call on this socket (accept, recv, select) keeps the
     * slot; it is woken so that it returns and the descriptor can close. */
    if (wsaio_socket_others_inside(sk))
        wake_blocked_calls(sk);
    wsaio_socket_put(sk); /* the caller's */
    wsaio_socket_put(sk); /* the table's */
    return 0;
}

void wsaio_close_all(void)
{
    struct wsaio_socket *sk;
    int cursor = 0;

    while ((sk = wsaio_socket_next(&cursor))) {
        sk->abortive = true;
        wsaio_close_socket(sk);
    }
}
