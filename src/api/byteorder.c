/*
 * byteorder.c - WSAHtonl, WSAHtons, WSANtohl, WSANtohs (api.md 4.16): host order to and
 * from the socket's protocol order, which is big-endian for every protocol wsaio carries.
 * Checks, in order: WSANOTINITIALISED, WSAENOTSOCK, WSAEFAULT; the output is written only
 * on success.
 */
#include <arpa/inet.h>

#include "api/startup.h"
#include "core/socket.h"
#include "base/userptr.h"

static int check(SOCKET s, const void *out)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);

    if (!sk)
        return SOCKET_ERROR;
    wsaio_socket_put(sk);
    if (wsaio_bad_ptr(out))
        return wsaio_fail(WSAEFAULT);
    wsaio_set_error(0);
    return 0;
}

WSAIO_EXPORT int WSAAPI WSAHtonl(SOCKET s, u_long hostlong, u_long *lpnetlong)
{
    if (check(s, lpnetlong))
        return SOCKET_ERROR;
    *lpnetlong = htonl(hostlong);
    return 0;
}

WSAIO_EXPORT int WSAAPI WSAHtons(SOCKET s, u_short hostshort, u_short *lpnetshort)
{
    if (check(s, lpnetshort))
        return SOCKET_ERROR;
    *lpnetshort = htons(hostshort);
    return 0;
}

WSAIO_EXPORT int WSAAPI WSANtohl(SOCKET s, u_long netlong, u_long *lphostlong)
{
    if (check(s, lphostlong))
        return SOCKET_ERROR;
    *lphostlong = ntohl(netlong);
    return 0;
}

WSAIO_EXPORT int WSAAPI WSANtohs(SOCKET s, u_short netshort, u_short *lphostshort)
{
    if (check(s, lphostshort))
        return SOCKET_ERROR;
    *lphostshort = ntohs(netshort);
    return 0;
}
