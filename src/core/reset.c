/*
 * reset.c - a stream connection that the peer reset stays reset (see reset.h).
 */
#include "core/reset.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

void wsaio_reset_note(struct wsaio_socket *sk, DWORD wsa_error)
{
    if (wsa_error == WSAECONNRESET && sk->type == SOCK_STREAM)
        atomic_store(&sk->reset, true);
}

bool wsaio_reset_known(struct wsaio_socket *sk)
{
    return atomic_load(&sk->reset);
}

int wsaio_reset_eof_error(struct wsaio_socket *sk)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);

    if (sk->type != SOCK_STREAM)
        return 0;
    if (atomic_load(&sk->reset))
        return WSAECONNRESET;
    memset(&ti, 0, sizeof(ti));
    if (getsockopt(sk->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 || ti.tcpi_state != TCP_CLOSE)
        return 0;
    /* A connect that failed (refused, timed out) ends CLOSED too, and Linux then reads end
     * of stream: the socket never had a connection, WSAENOTCONN (api.md 4.5). No
     * round-trip sample means no SYN was ever answered (socket.c). */
    if (wsaio_socket_never_connected(sk))
        return WSAENOTCONN;
    /* After our own shutdown(SD_SEND) a graceful close ends in CLOSED too: only a reset
     * that some call saw counts then. */
    if (sk->shut_wr)
        return 0;
    atomic_store(&sk->reset, true);
    return WSAECONNRESET;
}
