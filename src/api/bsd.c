/*
 * bsd.c - the BSD-named socket functions with Winsock error reporting: the program's
 * `bind`, `send`, ... reach these through <winsock2.h>'s mapping, so WSAGetLastError() is
 * right after each of them. They run the Linux call on the socket's descriptor; where
 * Windows checks more than Linux (address lengths, truncated datagrams), so do they.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "api/startup.h"
#include "api/acceptex.h"
#include "api/addr_reuse.h"
#include "api/msg_control.h"
#include "core/accept_op.h"
#include "core/socket.h"
#include "base/userptr.h"

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

/* Ends a call that failed its checks: drops the socket reference, sets the WSA error. */
static int refuse(struct wsaio_socket *sk, DWORD err)
{
    wsaio_socket_put(sk);
    return wsaio_fail(err);
}

/* Enters the socket s names for bind or connect: NULL with the error set when s is not a
 * socket or name is not an address of the socket's family's length (WSAEFAULT). */
static struct wsaio_socket *enter_with_addr(SOCKET s, const struct sockaddr *name, int namelen)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);

    if (sk && (wsaio_bad_ptr(name) || namelen < addr_min_len(sk))) {
        refuse(sk, WSAEFAULT);
        return NULL;
    }
    return sk;
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
    struct wsaio_socket *sk = enter_with_addr(s, name, namelen);
    int err;

    if (!sk)
        return SOCKET_ERROR;
    if ((err = wsaio_addr_bind(sk, name, (socklen_t)namelen)) != 0)
        return refuse(sk, (DWORD)err);
    wsaio_ne_bound(sk); /* a bound datagram socket records FD_WRITE */
    return finish(sk, 0, 0);
}

WSAIO_EXPORT int WSAAPI wsaio_listen(SOCKET s, int backlog)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);

    if (!sk)
        return SOCKET_ERROR;
    if (sk->type != SOCK_STREAM)
        return refuse(sk, WSAEOPNOTSUPP);
    wsaio_addr_before_listen(sk);
    if (listen(sk->fd, backlog < 0 ? 0 : backlog) != 0)
        return finish(sk, -1, errno);
    wsaio_ne_listening(sk);
    return finish(sk, 0, 0);
}

WSAIO_EXPORT int WSAAPI wsaio_connect(SOCKET s, const struct sockaddr *name, int namelen)
{
    struct wsaio_socket *sk = enter_with_addr(s, name, namelen);
    long rc;
    int err;

    if (!sk)
        return SOCKET_ERROR;
    /* The accept socket of a pending AcceptEx (api.md 4.23), or a cancelled ConnectEx's
     * (4.25). */
    if (wsaio_accept_pending(sk) || atomic_load(&sk->connect_cancelled))
        return refuse(sk, WSAEINVAL);
    do
        rc = connect(sk->fd, name, (socklen_t)namelen);
    while (rc < 0 && errno == EINTR);
    err = rc < 0 ? errno : 0;
    if (rc < 0 && wsaio_socket_is_closed(sk))
        err = EINTR; /* closed by another thread while we waited (api.md 4.4 rule 4) */
    wsaio_ne_connect(sk, rc < 0 ? wsaio_errno_to_wsa(err) : 0); /* FD_CONNECT, FD_WRITE */
    return finish(sk, rc, err);
}

WSAIO_EXPORT SOCKET WSAAPI wsaio_accept(SOCKET s, struct sockaddr *addr, int *addrlen)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    struct wsaio_socket *accepted;
    int fd, err, af, type, protocol;
    bool overlapped;

    if (!sk)
        return INVALID_SOCKET;
    if (wsaio_bad_opt_ptr(addr) ||
        (addr && (wsaio_bad_ptr(addrlen) || *addrlen < addr_min_len(sk)))) {
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
    if (fd < 0) {
        wsaio_socket_put(sk);
        wsaio_set_error((DWORD)wsaio_errno_to_wsa(err));
        return INVALID_SOCKET;
    }
    if (wsaio_socket_add(fd, af, type, protocol, overlapped) < 0 ||
        !(accepted = wsaio_socket_ref((SOCKET)fd))) {
        wsaio_socket_put(sk);
        close(fd);
        wsaio_set_error(WSAENOBUFS);
        return INVALID_SOCKET;
    }
    /* FD_ACCEPT re-enabled on the listener; the new socket is connected (FD_WRITE) and
     * inherits the listener's selection (api.md 4.14.2 rule 5). */
    wsaio_ne_after_accept(sk, accepted);
    wsaio_socket_put(accepted);
    wsaio_socket_put(sk);
    copy_addr_out(&ss, len, addr, addrlen);
    return (SOCKET)fd;
}

/* -1 with errno set when fd has no peer (never connected), else 0. */
static int no_peer(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    return getpeername(fd, (struct sockaddr *)&ss, &len);
}

WSAIO_EXPORT int WSAAPI wsaio_shutdown(SOCKET s, int how)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    bool was_rd, was_wr;

    if (!sk)
        return SOCKET_ERROR;
    if (how != SD_RECEIVE && how != SD_SEND && how != SD_BOTH)
        return refuse(sk, WSAEINVAL);
    /* Remembered: Linux reports end-of-stream or EPIPE where Windows says WSAESHUTDOWN.
     * Set before the call: the event watcher may see the resulting hang-up at once, and
     * must know that it is our own (no FD_CLOSE for a local shutdown). */
    wsaio_socket_lock(sk);
    was_rd = sk->shut_rd;
    was_wr = sk->shut_wr;
    sk->shut_rd |= how != SD_SEND;
    sk->shut_wr |= how != SD_RECEIVE;
    wsaio_socket_unlock(sk);
    /* The receive side is shut here, not in the kernel: Linux's SHUT_RD ends receives that
     * are pending with end-of-stream, where Windows lets them continue and only refuses
     * new ones (api.md 4.5, 7); on the wire SHUT_RD does nothing. What remains of the
     * call's checks (a socket never connected: WSAENOTCONN) is asked of getpeername. */
    if ((how == SD_RECEIVE ? no_peer(sk->fd) : shutdown(sk->fd, SHUT_WR)) != 0) {
        int err = errno;

        /* "Not connected" applies only to connection-oriented sockets on Windows: a
         * datagram socket is shut down (in our flags) connected or not. */
        if (err == ENOTCONN && sk->type != SOCK_STREAM)
            return finish(sk, 0, 0);

        wsaio_socket_lock(sk);
        sk->shut_rd = was_rd;
        sk->shut_wr = was_wr;
        wsaio_socket_unlock(sk);
        return finish(sk, -1, err);
    }
    return finish(sk, 0, 0);
}

/* Options whose Windows form differs from Linux's (level SOL_SOCKET). */
static bool is_time_option(int level, int optname)
{
    return level == SOL_SOCKET && (optname == SO_RCVTIMEO || optname == SO_SNDTIMEO);
}

WSAIO_EXPORT int WSAAPI wsaio_setsockopt(SOCKET s, int level, int optname, const char *optval,
                                         int optlen)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    long rc;

    if (!sk)
        return SOCKET_ERROR;
    /* After ConnectEx Windows needs it before getpeername and the like; here the socket
     * is complete already: accepted, with no value (api.md 4.25). */
    if (level == SOL_SOCKET && optname == SO_UPDATE_CONNECT_CONTEXT)
        return finish(sk, 0, 0);
    if (wsaio_bad_ptr(optval) || optlen < 0)
        return refuse(sk, WSAEFAULT);
    if (is_time_option(level, optname)) {
        /* Windows: a DWORD of milliseconds (0: none); Linux: a struct timeval. */
        DWORD ms;
        struct timeval tv;

        if (optlen < (int)sizeof(DWORD))
            return refuse(sk, WSAEFAULT);
        memcpy(&ms, optval, sizeof(ms));
        tv.tv_sec = ms / 1000;
        tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
        rc = setsockopt(sk->fd, level, optname, &tv, sizeof(tv));
    } else if (level == SOL_SOCKET && optname == SO_DONTLINGER) {
        /* SO_DONTLINGER TRUE is linger off; FALSE keeps the current timeout, linger on. */
        struct linger lg = {0, 0};
        socklen_t len = sizeof(lg);
        BOOL off;

        if (optlen < (int)sizeof(BOOL))
            return refuse(sk, WSAEFAULT);
        memcpy(&off, optval, sizeof(off));
        getsockopt(sk->fd, SOL_SOCKET, SO_LINGER, &lg, &len);
        lg.l_onoff = !off;
        rc = setsockopt(sk->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    } else if (wsaio_acceptex_is_option(level, optname)) {
        int err = wsaio_acceptex_setsockopt(sk, optname, optval, optlen);

        wsaio_socket_put(sk);
        return err ? wsaio_fail((DWORD)err) : 0;
    } else if (wsaio_addr_is_option(level, optname)) {
        int err = wsaio_addr_setsockopt(sk, optname, optval, optlen);

        wsaio_socket_put(sk);
        return err ? wsaio_fail((DWORD)err) : 0;
    } else {
        rc = setsockopt(sk->fd, level, wsaio_msg_optname(level, optname, optlen), optval,
                        (socklen_t)optlen);
    }
    return finish(sk, rc, errno);
}

WSAIO_EXPORT int WSAAPI wsaio_getsockopt(SOCKET s, int level, int optname, char *optval,
                                         int *optlen)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    socklen_t len;
    long rc;

    if (!sk)
        return SOCKET_ERROR;
    if (wsaio_bad_ptr(optval) || wsaio_bad_ptr(optlen) || *optlen < 0)
        return refuse(sk, WSAEFAULT);
    if (level == SOL_SOCKET && optname == SO_ERROR) {
        /* A WSA code, as on Windows; an error the event watcher had to read for
         * FD_CONNECT (netevents.c) is still the program's to read. */
        int err = 0;
        socklen_t el = sizeof(err);

        if (*optlen < (int)sizeof(int))
            return refuse(sk, WSAEFAULT);
        getsockopt(sk->fd, SOL_SOCKET, SO_ERROR, &err, &el);
        err = err ? wsaio_errno_to_wsa(err) : 0;
        wsaio_socket_lock(sk);
        if (!err)
            err = sk->so_error;
        sk->so_error = 0;
        wsaio_socket_unlock(sk);
        memcpy(optval, &err, sizeof(err));
        *optlen = sizeof(err);
        return finish(sk, 0, 0);
    }
    if (level == SOL_SOCKET && optname == SO_CONNECT_TIME) { /* a DWORD (api.md 4.23) */
        DWORD v;

        if (*optlen < (int)sizeof(v))
            return refuse(sk, WSAEFAULT);
        v = wsaio_ne_connect_time(sk);
        memcpy(optval, &v, sizeof(v));
        *optlen = sizeof(v);
        return finish(sk, 0, 0);
    }
    if (wsaio_acceptex_is_option(level, optname)) {
        int err = wsaio_acceptex_getsockopt(sk, optname, optval, optlen);

        wsaio_socket_put(sk);
        return err ? wsaio_fail((DWORD)err) : 0;
    }
    if (wsaio_addr_is_option(level, optname)) {
        int err = wsaio_addr_getsockopt(sk, optname, optval, optlen);

        wsaio_socket_put(sk);
        return err ? wsaio_fail((DWORD)err) : 0;
    }
    if (is_time_option(level, optname) || (level == SOL_SOCKET && optname == SO_MAX_MSG_SIZE)) {
        struct timeval tv = {0, 0};
        socklen_t tl = sizeof(tv);
        DWORD v;

        if (*optlen < (int)sizeof(DWORD))
            return refuse(sk, WSAEFAULT);
        if (optname == SO_MAX_MSG_SIZE) { /* the largest datagram (api.md 4.7) */
            if (sk->type == SOCK_STREAM)
                return refuse(sk, WSAENOPROTOOPT);
            v = sk->af == AF_INET6 ? 65527 : 65507;
        } else {
            if (getsockopt(sk->fd, level, optname, &tv, &tl) != 0)
                return finish(sk, -1, errno);
            v = (DWORD)(tv.tv_sec * 1000 + tv.tv_usec / 1000);
        }
        memcpy(optval, &v, sizeof(v));
        *optlen = sizeof(v);
        return finish(sk, 0, 0);
    }
    len = (socklen_t)*optlen;
    rc = getsockopt(sk->fd, level, wsaio_msg_optname(level, optname, *optlen), optval, &len);
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
    if (wsaio_bad_ptr(name) || wsaio_bad_ptr(namelen))
        return refuse(sk, WSAEFAULT);
    rc = peer ? getpeername(sk->fd, (struct sockaddr *)&ss, &len)
              : getsockname(sk->fd, (struct sockaddr *)&ss, &len);
    err = errno;
    /* Linux names an unbound socket 0.0.0.0:0; Windows says WSAEINVAL (port 0 is never
     * bound: binding to port 0 picks one). */
    if (rc == 0 && !peer && ((struct sockaddr_in *)&ss)->sin_port == 0)
        rc = -1, err = EINVAL;
    if (rc == 0 && (err = copy_addr_out(&ss, len, name, namelen)) != 0)
        return refuse(sk, (DWORD)err);
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

    if (wsaio_bad_ptr(name) || namelen < 0)
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
