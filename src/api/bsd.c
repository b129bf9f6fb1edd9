/*
 * bsd.c - the BSD-named socket functions with Winsock error reporting: the program's
 * `bind`, `send`, ... reach these through <winsock2.h>'s mapping, so WSAGetLastError() is
 * right after each of them. They run the Linux call on the socket's descriptor; where
 * Windows checks more than Linux (address lengths, truncated datagrams), so do they.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core/socket.h"

/* Ends a call: drops the socket reference, maps a failure's errno. */
static int finish(struct wsaio_socket *sk, long rc, int err)
{
    wsaio_socket_put(sk);
    if (rc < 0)
        return wsaio_fail((DWORD)wsaio_errno_to_wsa(err));
    return (int)rc;
}

/* The length Windows requires of an address of the socket's family. */
static int addr_min_len(const struct wsaio_socket *sk)
{
    return sk->af == AF_INET6 ? (int)sizeof(struct sockaddr_in6) : (int)sizeof(struct sockaddr_in);
}

/* Copies a kernel-filled address out under Windows rules: too small is WSAEFAULT. */
static int copy_addr_out(const struct sockaddr_storage *ss, socklen_t len, struct sockaddr *out,
                         int *outlen)
{
    if (!out)
        return 0;
    if (!outlen || *outlen < 0 || (socklen_t)*outlen < len)
        return WSAEFAULT;
    memcpy(out, ss, len);
    *outlen = (int)len;
    return 0;
}

WSAIO_EXPORT int WSAAPI wsaio_bind(SOCKET s, const struct sockaddr *name, int namelen)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);

    if (!sk)
        return SOCKET_ERROR;
    if (!name || namelen < addr_min_len(sk)) {
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEFAULT);
    }
    return finish(sk, bind(sk->fd, name, (socklen_t)namelen), errno);
}

WSAIO_EXPORT int WSAAPI wsaio_listen(SOCKET s, int backlog)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);

    if (!sk)
        return SOCKET_ERROR;
    if (sk->type != SOCK_STREAM) {
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEOPNOTSUPP);
    }
    return finish(sk, listen(sk->fd, backlog < 0 ? 0 : backlog), errno);
}

WSAIO_EXPORT int WSAAPI wsaio_connect(SOCKET s, const struct sockaddr *name, int namelen)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    long rc;

    if (!sk)
        return SOCKET_ERROR;
    if (!name || namelen < addr_min_len(sk)) {
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEFAULT);
    }
    do
        rc = connect(sk->fd, name, (socklen_t)namelen);
    while (rc < 0 && errno == EINTR);
    return finish(sk, rc, errno);
}

WSAIO_EXPORT SOCKET WSAAPI wsaio_accept(SOCKET s, struct sockaddr *addr, int *addrlen)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int fd, err, af, type, protocol;
    bool overlapped;

    if (!sk)
        return INVALID_SOCKET;
    if (addr && (!addrlen || *addrlen < addr_min_len(sk))) {
        wsaio_socket_put(sk);
        wsaio_set_error(WSAEFAULT);
        return INVALID_SOCKET;
    }
    do
        fd = accept4(sk->fd, (struct sockaddr *)&ss, &len, 0);
    while (fd < 0 && errno == EINTR);
    err = errno;
    if (fd < 0 && wsaio_socket_is_closed(sk))
        err = EINTR; /* closed by another thread while we waited (api.md 4.4 rule 4) */
    af = sk->af;
    type = sk->type;
    protocol = sk->protocol;
    overlapped = sk->overlapped; /* an accepted socket inherits the attribute (api.md 1.1) */
    wsaio_socket_put(sk);
    if (fd < 0) {
        wsaio_set_error((DWORD)wsaio_errno_to_wsa(err));
        return INVALID_SOCKET;
    }
    if (wsaio_socket_add(fd, af, type, protocol, overlapped) < 0) {
        close(fd);
        wsaio_set_error(WSAENOBUFS);
        return INVALID_SOCKET;
    }
    copy_addr_out(&ss, len, addr, addrlen);
    return (SOCKET)fd;
}

WSAIO_EXPORT int WSAAPI wsaio_shutdown(SOCKET s, int how)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);

    if (!sk)
        return SOCKET_ERROR;
    if (how != SD_RECEIVE && how != SD_SEND && how != SD_BOTH) {
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEINVAL);
    }
    if (shutdown(sk->fd, how) != 0)
        return finish(sk, -1, errno);
    /* Remembered: Linux reports end-of-stream or EPIPE where Windows says WSAESHUTDOWN. */
    pthread_mutex_lock(&sk->lock);
    sk->shut_rd |= how != SD_SEND;
    sk->shut_wr |= how != SD_RECEIVE;
    pthread_mutex_unlock(&sk->lock);
    return finish(sk, 0, 0);
}

WSAIO_EXPORT int WSAAPI wsaio_setsockopt(SOCKET s, int level, int optname, const char *optval,
                                         int optlen)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);

    if (!sk)
        return SOCKET_ERROR;
    if (!optval || optlen < 0) {
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEFAULT);
    }
    return finish(sk, setsockopt(sk->fd, level, optname, optval, (socklen_t)optlen), errno);
}

WSAIO_EXPORT int WSAAPI wsaio_getsockopt(SOCKET s, int level, int optname, char *optval,
                                         int *optlen)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    socklen_t len;
    long rc;

    if (!sk)
        return SOCKET_ERROR;
    if (!optval || !optlen || *optlen < 0) {
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEFAULT);
    }
    len = (socklen_t)*optlen;
    rc = getsockopt(sk->fd, level, optname, optval, &len);
    if (rc == 0)
        *optlen = (int)len;
    return finish(sk, rc, errno);
}

static int name_of(SOCKET s, struct sockaddr *name, int *namelen, bool peer)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    long rc;
    int err;

    if (!sk)
        return SOCKET_ERROR;
    if (!name || !namelen) {
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEFAULT);
    }
    rc = peer ? getpeername(sk->fd, (struct sockaddr *)&ss, &len)
              : getsockname(sk->fd, (struct sockaddr *)&ss, &len);
    err = errno;
    /* Linux names an unbound socket 0.0.0.0:0; Windows says WSAEINVAL (port 0 is never
     * bound: binding to port 0 picks one). */
    if (rc == 0 && !peer && ((struct sockaddr_in *)&ss)->sin_port == 0)
        rc = -1, err = EINVAL;
    if (rc == 0 && (err = copy_addr_out(&ss, len, name, namelen)) != 0) {
        wsaio_socket_put(sk);
        return wsaio_fail((DWORD)err);
    }
    return finish(sk, rc, err);
}

WSAIO_EXPORT int WSAAPI wsaio_getsockname(SOCKET s, struct sockaddr *name, int *namelen)
{
    return name_of(s, name, namelen, false);
}

WSAIO_EXPORT int WSAAPI wsaio_getpeername(SOCKET s, struct sockaddr *name, int *namelen)
{
    return name_of(s, name, namelen, true);
}

WSAIO_EXPORT int WSAAPI wsaio_gethostname(char *name, int namelen)
{
    char host[256];

    if (!name || namelen < 0)
        return wsaio_fail(WSAEFAULT);
    if (gethostname(host, sizeof(host)) != 0)
        return wsaio_fail(WSAENETDOWN);
    host[sizeof(host) - 1] = 0;
    if (strlen(host) + 1 > (size_t)namelen)
        return wsaio_fail(WSAEFAULT);
    memcpy(name, host, strlen(host) + 1);
    return 0;
}

WSAIO_EXPORT int WSAAPI __WSAFDIsSet(SOCKET s, wsaio_fd_set *set)
{
    for (unsigned int i = 0; i < set->fd_count; i++)
        if (set->fd_array[i] == s)
            return 1;
    return 0;
}
