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

/* One conversion: the checks, then *out = conv(in). */
#define CONVERSION(name, type, conv)                                                               \
    WSAIO_EXPORT int WSAAPI name(SOCKET s, type in, type *out)                                     \
    {                                                                                              \
        if (check(s, out))                                                                         \
            return SOCKET_ERROR;                                                                   \
        *out = conv(in);                                                                           \
        return 0;                                                                                  \
    }

CONVERSION(WSAHtonl, u_long, htonl)
CONVERSION(WSAHtons, u_short, htons)
CONVERSION(WSANtohl, u_long, ntohl)
CONVERSION(WSANtohs, u_short, ntohs)
