/*
 * socket.c - WSASocketA/W, socket and closesocket (api.md 4.3, 4.4).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "api/startup.h"
#include "core/close.h"
#include "core/nonblock.h"
#include "core/socket.h"
#include "base/userptr.h"

/*
 * Resolves af/type/protocol in Windows' order (api.md 4.3, measured by Wine's
 * test_WSASocket): type, then family, then protocol, then AF_UNSPEC without a protocol,
 * then the type implied by the protocol. Returns 0 or a WSA error.
 */
static int resolve(int *af, int *type, int *protocol)
{
    switch (*type) {
    case 0:
    case SOCK_STREAM:
    case SOCK_DGRAM:
    case SOCK_RAW:
        break;
    default:
        return WSAESOCKTNOSUPPORT;
    }
    if (*af != AF_INET && *af != AF_INET6 && *af != AF_UNSPEC)
        return WSAEAFNOSUPPORT;
    if (*type != SOCK_RAW) {
        if (*protocol != 0 && *protocol != IPPROTO_TCP && *protocol != IPPROTO_UDP)
            return WSAEPROTONOSUPPORT;
        if ((*type == SOCK_STREAM && *protocol == IPPROTO_UDP) ||
            (*type == SOCK_DGRAM && *protocol == IPPROTO_TCP))
            return WSAEPROTONOSUPPORT;
    }
    if (*af == AF_UNSPEC) {
        if (*protocol == 0)
            return WSAEINVAL;
        *af = AF_INET;
    }
    if (*type == 0)
        *type = *protocol == IPPROTO_UDP ? SOCK_DGRAM : SOCK_STREAM;
    if (*protocol == 0 && *type != SOCK_RAW)
        *protocol = *type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP;
    return 0;
}

static SOCKET create(int af, int type, int protocol, const WSAPROTOCOL_INFOA *info, GROUP g,
                     DWORD flags)
{
    int err, fd;

    if (!wsaio_initialised()) {
        wsaio_set_error(WSANOTINITIALISED);
        return INVALID_SOCKET;
    }
    if (wsaio_bad_opt_ptr(info)) { /* lpProtocolInfo unreadable (api.md 4.3) */
        wsaio_set_error(WSAEFAULT);
        return INVALID_SOCKET;
    }
    if (info) {
        if (af == FROM_PROTOCOL_INFO)
            af = info->iAddressFamily;
        if (type == FROM_PROTOCOL_INFO)
            type = info->iSocketType;
        if (protocol == FROM_PROTOCOL_INFO)
            protocol = info->iProtocol;
    }
    if (g != 0 || (flags & (WSA_FLAG_MULTIPOINT_C_ROOT | WSA_FLAG_MULTIPOINT_C_LEAF |
                            WSA_FLAG_MULTIPOINT_D_ROOT | WSA_FLAG_MULTIPOINT_D_LEAF))) {
        wsaio_set_error(WSAEINVAL);
        return INVALID_SOCKET;
    }
    err = resolve(&af, &type, &protocol);
    if (err) {
        wsaio_set_error((DWORD)err);
        return INVALID_SOCKET;
    }
    fd = socket(af, type | ((flags & WSA_FLAG_NO_HANDLE_INHERIT) ? SOCK_CLOEXEC : 0), protocol);
    if (fd < 0) {
        wsaio_set_error((DWORD)wsaio_errno_to_wsa(errno));
        return INVALID_SOCKET;
    }
    if (fd == 0) { /* SOCKET 0 is never valid (api.md 0.5): move off descriptor 0 */
        int moved = fcntl(fd, (flags & WSA_FLAG_NO_HANDLE_INHERIT) ? F_DUPFD_CLOEXEC : F_DUPFD, 1);

        err = errno;
        close(fd);
        if (moved < 0) {
            wsaio_set_error((DWORD)wsaio_errno_to_wsa(err));
            return INVALID_SOCKET;
        }
        fd = moved;
    }
    err = wsaio_socket_add(fd, af, type, protocol, (flags & WSA_FLAG_OVERLAPPED) != 0);
    if (err < 0) {
        close(fd);
        wsaio_set_error(WSAENOBUFS);
        return INVALID_SOCKET;
    }
    wsaio_set_error(0);
    return (SOCKET)fd;
}

WSAIO_EXPORT SOCKET WSAAPI WSASocketA(int af, int type, int protocol,
                                      LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g, DWORD dwFlags)
{
    return create(af, type, protocol, lpProtocolInfo, g, dwFlags);
}

WSAIO_EXPORT SOCKET WSAAPI WSASocketW(int af, int type, int protocol,
                                      LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g, DWORD dwFlags)
{
    WSAPROTOCOL_INFOA a;

    if (wsaio_bad_opt_ptr(lpProtocolInfo)) /* create() reports it, after its own checks */
        return create(af, type, protocol, (const WSAPROTOCOL_INFOA *)lpProtocolInfo, g, dwFlags);
    if (lpProtocolInfo) { /* the fields used are the same in both forms */
        a.iAddressFamily = lpProtocolInfo->iAddressFamily;
        a.iSocketType = lpProtocolInfo->iSocketType;
        a.iProtocol = lpProtocolInfo->iProtocol;
    }
    return create(af, type, protocol, lpProtocolInfo ? &a : NULL, g, dwFlags);
}

WSAIO_EXPORT SOCKET WSAAPI wsaio_socket(int af, int type, int protocol)
{
    return create(af, type, protocol, NULL, 0, WSA_FLAG_OVERLAPPED);
}

/*
 * A non-blocking stream socket with SO_LINGER {on, > 0} whose unsent data cannot be
 * delivered at once: Windows fails with WSAEWOULDBLOCK and keeps the socket open
 * (api.md 4.4 rule 7); Linux's close would block for the whole linger time.
 */
static bool close_would_block(struct wsaio_socket *sk)
{
    struct linger lg = {0, 0};
    socklen_t len = sizeof(lg);
    int unsent = 0;

    if (sk->type != SOCK_STREAM || !wsaio_nonblock_mode(sk))
        return false;
    if (getsockopt(sk->fd, SOL_SOCKET, SO_LINGER, &lg, &len) != 0 || !lg.l_onoff ||
        lg.l_linger <= 0)
        return false;
    return ioctl(sk->fd, TIOCOUTQ, &unsent) == 0 && unsent > 0;
}

WSAIO_EXPORT int WSAAPI closesocket(SOCKET s)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);

    if (!sk)
        return SOCKET_ERROR;
    if (close_would_block(sk)) {
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEWOULDBLOCK);
    }
    if (wsaio_close_socket(sk) < 0)
        return wsaio_fail(WSAENOTSOCK);
    wsaio_set_error(0);
    return 0;
}
