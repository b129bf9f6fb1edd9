/*
 * reset.c - a stream connection that failed (the peer reset it, it timed out) stays failed
 * (see reset.h).
 */
#include "core/reset.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "base/error.h"

void wsaio_reset_note(struct wsaio_socket *sk, int sys_err, DWORD wsa_error)
{
    int none = 0, failure = sys_err;

    if (sk->type != SOCK_STREAM)
        return;
    switch (wsa_error) {
    case WSAETIMEDOUT:
        if (sys_err != ETIMEDOUT)
            return; /* a SO_RCVTIMEO/SO_SNDTIMEO expiry: the connection is fine */
        break;
    case WSAECONNRESET:
        failure = ECONNRESET; /* also the EPIPE of a send after a reset */
        break;
    case WSAECONNABORTED:
    case WSAENETRESET:
    case WSAEHOSTUNREACH: /* a time-out after unreachable reports (the kernel's soft error) */
    case WSAENETUNREACH:
        break;
    default:
        return;
    }
    /* The first failure stays: what follows it (EPIPE) is only its echo. */
    atomic_compare_exchange_strong(&sk->broken, &none, failure);
}

DWORD wsaio_reset_error(struct wsaio_socket *sk)
{
    int failure = atomic_load(&sk->broken);

    return failure ? (DWORD)wsaio_errno_to_wsa(failure) : 0;
}

int wsaio_reset_eof_errno(struct wsaio_socket *sk)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);
    int none = 0;

    if (sk->type != SOCK_STREAM)
        return 0;
    if (atomic_load(&sk->broken))
        return atomic_load(&sk->broken);
    memset(&ti, 0, sizeof(ti));
    if (getsockopt(sk->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 || ti.tcpi_state != TCP_CLOSE)
        return 0;
    /* A connect that failed (refused, timed out) ends CLOSED too, and Linux then reads end
     * of stream: the socket never had a connection, WSAENOTCONN (api.md 4.5). */
    if (wsaio_socket_never_connected(sk))
        return ENOTCONN;
    /* After our own shutdown(SD_SEND) a graceful close ends in CLOSED too: only a failure
     * that some call saw counts then. */
    if (sk->shut_wr)
        return 0;
    /* A failure that no call of ours saw (the program read SO_ERROR): the state does not
     * say which; a reset is by far the likelier. */
    atomic_compare_exchange_strong(&sk->broken, &none, ECONNRESET);
    return atomic_load(&sk->broken);
}
