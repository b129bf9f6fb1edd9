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

bool wsaio_reset_at_eof(struct wsaio_socket *sk)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);

    if (sk->type != SOCK_STREAM)
        return false;
    if (atomic_load(&sk->reset))
        return true;
    /* After our own shutdown(SD_SEND) a graceful close ends in CLOSED too: only a reset
     * that some call saw counts then. */
    if (sk->shut_wr)
        return false;
    memset(&ti, 0, sizeof(ti));
    if (getsockopt(sk->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 || ti.tcpi_state != TCP_CLOSE)
        return false;
    /* A socket that never had a peer is CLOSED too (its receive fails with ENOTCONN). */
    if (ti.tcpi_rtt == 0 && ti.tcpi_rcv_mss == 0)
        return false;
    atomic_store(&sk->reset, true);
    return true;
}
