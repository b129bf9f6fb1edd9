/*
 * connectex.c - ConnectEx and DisconnectEx (api.md 4.25, 4.26): the checks Windows makes
 * at the call, then one operation through the engine (core/opkind.c: WSAIO_OP_CONNECT,
 * WSAIO_OP_DISCONNECT), so that they pend, complete, post to the port and cancel as every
 * other overlapped call does.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include <mswsock.h>

#include "api/io.h"

/* The TCP state of fd (TCP_CLOSE when it cannot be read). */
static int tcp_state_of(int fd)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);

    memset(&ti, 0, sizeof(ti));
    return getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 ? ti.tcpi_state : TCP_CLOSE;
}

/* The wildcard address or port 0: nothing to connect to. */
static bool no_destination(const struct sockaddr *to)
{
    static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

    if (to->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)to;

        return a->sin_port == 0 || a->sin_addr.s_addr == INADDR_ANY;
    }
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)to;

    return a6->sin6_port == 0 || !memcmp(&a6->sin6_addr, &any6, sizeof(any6));
}

/* ConnectEx's checks at the call, in Windows' order after the socket and the address
 * (api.md 4.25 table): 0 or the error. */
static int connect_refusal(struct wsaio_socket *sk, const struct sockaddr *to)
{
    struct sockaddr_storage me;
    socklen_t len = sizeof(me);
    int state;

    if (sk->type != SOCK_STREAM)
        return WSAEINVAL;
    if (getsockname(sk->fd, (struct sockaddr *)&me, &len) != 0 ||
        ((struct sockaddr_in *)&me)->sin_port == 0)
        return WSAEINVAL; /* not bound */
    state = tcp_state_of(sk->fd);
    if (state == TCP_LISTEN)
        return WSAEINVAL;
    if (state == TCP_SYN_SENT) /* a connect or ConnectEx in progress (Windows: not EALREADY) */
        return WSAEINVAL;
    if (atomic_load(&sk->connect_cancelled)) /* unusable until closed (api.md 4.25) */
        return WSAEINVAL;
    if (wsaio_io_has_peer(sk->fd))
        return WSAEISCONN;
    if (to->sa_family != sk->af)
        return WSAEAFNOSUPPORT;
    if (no_destination(to))
        return WSAEADDRNOTAVAIL;
    return 0;
}

/* Runs op and ends the call on sk (its slot reference dropped): TRUE with *bytes, or
 * FALSE with the error (ERROR_IO_PENDING included). */
static BOOL run(struct wsaio_socket *sk, struct wsaio_op *op, LPDWORD bytes)
{
    DWORD n = 0;
    int rc = wsaio_io_run(op, &n, NULL);

    wsaio_socket_put(sk);
    if (rc != 0)
        return FALSE;
    if (bytes && !wsaio_bad_ptr(bytes))
        *bytes = n;
    return TRUE;
}

WSAIO_EXPORT BOOL WINAPI ConnectEx(SOCKET s, const struct sockaddr *name, int namelen,
                                   PVOID lpSendBuffer, DWORD dwSendDataLength,
                                   LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    WSABUF buf = {dwSendDataLength, lpSendBuffer};
    struct wsaio_op *op;
    int err;

    if (!sk)
        return FALSE;
    if (wsaio_bad_ptr(name) || namelen < wsaio_io_addr_len(sk->af) ||
        (dwSendDataLength && wsaio_bad_ptr(lpSendBuffer)))
        return wsaio_io_refuse(sk, WSAEFAULT), FALSE;
    if (!lpOverlapped)
        return wsaio_io_refuse(sk, WSA_INVALID_PARAMETER), FALSE;
    if (wsaio_bad_ptr(lpOverlapped))
        return wsaio_io_refuse(sk, WSAEFAULT), FALSE;
    if ((err = connect_refusal(sk, name)) != 0)
        return wsaio_io_refuse(sk, err), FALSE;
    op = wsaio_io_op(sk, WSAIO_OP_CONNECT, false, lpSendBuffer ? &buf : NULL, lpSendBuffer ? 1 : 0,
                     lpOverlapped, NULL, &err);
    if (!op)
        return wsaio_io_refuse(sk, err), FALSE;
    if (namelen > (int)sizeof(wsaio_op_x(op)->addr)) /* what follows an address is not read */
        namelen = (int)sizeof(wsaio_op_x(op)->addr);
    memcpy(&wsaio_op_x(op)->addr, name, (size_t)namelen);
    op->msg.msg_name = &wsaio_op_x(op)->addr; /* the connect stage (opkind.h) */
    op->msg.msg_namelen = (socklen_t)namelen;
    return run(sk, op, lpdwBytesSent);
}

WSAIO_EXPORT BOOL WINAPI DisconnectEx(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags,
                                      DWORD dwReserved)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    /* Without an OVERLAPPED the call waits for its own: bit 0 of hEvent set, so that a
     * socket's completion port gets no packet for it (api.md 2.4, 2.5). */
    WSAOVERLAPPED own = {.hEvent = (HANDLE)1};
    struct wsaio_op *op;
    bool done_before;
    int err;

    if (!sk)
        return FALSE;
    if ((dwFlags & ~(DWORD)TF_REUSE_SOCKET) || dwReserved)
        return wsaio_io_refuse(sk, WSAEINVAL), FALSE;
    if (wsaio_bad_opt_ptr(lpOverlapped))
        return wsaio_io_refuse(sk, WSAEFAULT), FALSE;
    if (sk->type != SOCK_STREAM)
        return wsaio_io_refuse(sk, WSAEOPNOTSUPP), FALSE;
    wsaio_socket_lock(sk);
    done_before = sk->shut_wr;
    wsaio_socket_unlock(sk);
    /* Not connected, unless an earlier DisconnectEx (or shutdown) ended the connection:
     * that one may be repeated (api.md 4.26). */
    if (!done_before && !wsaio_io_has_peer(sk->fd))
        return wsaio_io_refuse(sk, WSAENOTCONN), FALSE;
    op = wsaio_io_op(sk, WSAIO_OP_DISCONNECT, false, NULL, 0, lpOverlapped ? lpOverlapped : &own,
                     NULL, &err);
    if (!op)
        return wsaio_io_refuse(sk, err), FALSE;
    op->kr.flags = (dwFlags & TF_REUSE_SOCKET) ? WSAIO_DISCONNECT_REUSE : 0;
    if (lpOverlapped)
        return run(sk, op, NULL);
    /* Synchronous: waits for its own OVERLAPPED, as on a socket without the overlapped
     * attribute (io.c). */
    err = wsaio_io_run_own(op, &own, &(DWORD){0});
    wsaio_socket_put(sk);
    if (err)
        return wsaio_fail((DWORD)err), FALSE;
    wsaio_set_error(0);
    return TRUE;
}
