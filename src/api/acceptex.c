/*
 * acceptex.c - AcceptEx, GetAcceptExSockaddrs (api.md 4.23, 4.24), the socket options that
 * go with them, and the extension-function pointers of SIO_GET_EXTENSION_FUNCTION_POINTER.
 * The operation itself is a kind of the engine's (core/accept_op.h).
 */
#include "api/acceptex.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <mswsock.h>

#include "api/io.h"
#include "api/startup.h"
#include "base/userptr.h"
#include "core/accept_op.h"
#include "core/op.h"

/* The smallest address area: the family's address size plus 16 (api.md 4.23). */
static DWORD acceptex__area_min(const struct wsaio_socket *sk)
{
    return (DWORD)wsaio_io_addr_len(sk->af) + 16;
}

static bool acceptex__listening(const struct wsaio_socket *sk)
{
    int on = 0;
    socklen_t len = sizeof(on);

    return getsockopt(sk->fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == 0 && on;
}

/* A fresh stream socket of the listener's family: not bound (so not connected either). */
static bool acceptex__fresh(const struct wsaio_socket *acc, const struct wsaio_socket *l)
{
    struct sockaddr_in6 name; /* sin_port and sin6_port share their place */
    socklen_t len = sizeof(name);

    if (acc->type != SOCK_STREAM || acc->af != l->af)
        return false;
    memset(&name, 0, sizeof(name));
    return getsockname(acc->fd, (struct sockaddr *)&name, &len) == 0 && name.sin6_port == 0;
}

/* The synchronous checks after both sockets were found, in Windows' order (api.md 4.23):
 * 0 or the error. */
static DWORD acceptex__check(struct wsaio_socket *l, struct wsaio_socket *acc, PVOID out,
                             DWORD remote, LPOVERLAPPED ov)
{
    if (wsaio_bad_ptr(out))
        return WSAEFAULT;
    if (!acceptex__fresh(acc, l))
        return WSAEINVAL;
    if (remote < acceptex__area_min(l))
        return WSAEFAULT;
    if (!ov)
        return ERROR_INVALID_PARAMETER;
    return wsaio_bad_ptr(ov) ? WSAEFAULT : 0;
}

WSAIO_EXPORT BOOL WINAPI AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer,
                                  DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
                                  DWORD dwRemoteAddressLength, LPDWORD lpdwBytesReceived,
                                  LPOVERLAPPED lpOverlapped)
{
    struct wsaio_socket *l = wsaio_socket_enter(sListenSocket), *acc;
    WSABUF buf = {dwReceiveDataLength, lpOutputBuffer};
    struct wsaio_op *op;
    DWORD err;
    int rc, e;

    if (!l)
        return FALSE;
    if (!acceptex__listening(l)) {
        wsaio_socket_put(l);
        return wsaio_fail(WSAEINVAL), FALSE;
    }
    acc = wsaio_socket_enter(sAcceptSocket);
    if (!acc) {
        wsaio_socket_put(l);
        return FALSE;
    }
    err = acceptex__check(l, acc, lpOutputBuffer, dwRemoteAddressLength, lpOverlapped);
    if (!err && wsaio_bad_opt_ptr(lpdwBytesReceived))
        err = WSAEFAULT;
    op = err ? NULL : wsaio_io_op(l, WSAIO_OP_ACCEPT, false, &buf, 1, lpOverlapped, NULL, &e);
    if (!err && !op)
        err = (DWORD)e;
    if (op && wsaio_accept_claim(op, acc) < 0) { /* already another AcceptEx's */
        wsaio_op_free(op);
        op = NULL;
        err = WSAEINVAL;
    }
    wsaio_socket_put(acc); /* op holds its record */
    if (err) {
        wsaio_socket_put(l);
        return wsaio_fail(err), FALSE;
    }
    wsaio_op_x(op)->local = dwLocalAddressLength;
    wsaio_op_x(op)->remote = dwRemoteAddressLength;
    op->msg.msg_iovlen = 1; /* the output buffer, even for no data: the areas follow it */
    rc = wsaio_io_run(op, lpdwBytesReceived, NULL);
    wsaio_socket_put(l);
    return rc == 0;
}

/* An area stored by the AcceptEx (accept_op.h): its address and length, or nothing. */
static void acceptex__area(char *area, DWORD size, struct sockaddr **addr, LPINT len)
{
    int n;

    if (size < sizeof(n))
        return;
    memcpy(&n, area, sizeof(n));
    if (n <= 0 || (DWORD)n > size - sizeof(n))
        return;
    if (!wsaio_bad_ptr(addr))
        *addr = (struct sockaddr *)(void *)(area + sizeof(n));
    if (!wsaio_bad_ptr(len))
        *len = n;
}

WSAIO_EXPORT VOID WINAPI GetAcceptExSockaddrs(
    PVOID lpOutputBuffer, DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
    DWORD dwRemoteAddressLength, struct sockaddr **LocalSockaddr, LPINT LocalSockaddrLength,
    struct sockaddr **RemoteSockaddr, LPINT RemoteSockaddrLength)
{
    char *areas = (char *)lpOutputBuffer + dwReceiveDataLength;

    if (wsaio_bad_ptr(lpOutputBuffer))
        return;
    acceptex__area(areas, dwLocalAddressLength, LocalSockaddr, LocalSockaddrLength);
    acceptex__area(areas + dwLocalAddressLength, dwRemoteAddressLength, RemoteSockaddr,
                   RemoteSockaddrLength);
}

bool wsaio_acceptex_is_option(int level, int optname)
{
    return level == SOL_SOCKET && optname == SO_UPDATE_ACCEPT_CONTEXT;
}

int wsaio_acceptex_setsockopt(struct wsaio_socket *sk, int optname, const char *optval, int optlen)
{
    SOCKET listener;
    struct wsaio_socket *l;

    if (optname != SO_UPDATE_ACCEPT_CONTEXT)
        return WSAENOPROTOOPT; /* SO_CONNECT_TIME is read-only */
    if (optlen < (int)sizeof(SOCKET))
        return WSAEFAULT;
    memcpy(&listener, optval, sizeof(listener));
    l = wsaio_socket_ref(listener);
    if (!l)
        return WSAENOTSOCK;
    wsaio_socket_put(l);
    /* The accepted descriptor is Linux's own accept socket already: it has its names and
     * the listener's options; nothing is left to update. */
    (void)sk;
    return 0;
}

int wsaio_acceptex_getsockopt(struct wsaio_socket *sk, int optname, char *optval, int *optlen)
{
    (void)sk;
    (void)optname;
    (void)optval;
    (void)optlen;
    return WSAENOPROTOOPT; /* SO_UPDATE_ACCEPT_CONTEXT is write-only */
}
