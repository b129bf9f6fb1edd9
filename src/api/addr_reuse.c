/*
 * addr_reuse.c - Windows' address-sharing rules on Linux (Microsoft's "Using SO_REUSEADDR
 * and SO_EXCLUSIVEADDRUSE").
 *
 * Windows (Server 2003 and later): without options a second socket cannot bind an address
 * in use (WSAEADDRINUSE), but connections in TIME_WAIT never hold a port, so a restarted
 * server binds at once. SO_REUSEADDR shares an address only between sockets that all set
 * it (a socket setting it against one that did not is refused with WSAEACCES); even two
 * listeners may share. SO_EXCLUSIVEADDRUSE refuses any sharing; the two options exclude
 * each other (WSAEINVAL).
 *
 * Linux refuses TIME_WAIT unless both the binding socket and the connection's listener
 * had SO_REUSEADDR, and its SO_REUSEADDR never lets two listeners share (SO_REUSEPORT
 * does). So, on TCP sockets:
 *   - a listener always gets Linux's SO_REUSEADDR (its connections inherit it);
 *   - bind is tried without it, and only when the address is in use, again with it, then
 *     it is cleared: the retry passes TIME_WAIT (and connections of a closed listener) but
 *     neither a listener (Linux never passes one) nor a merely bound socket (which has it
 *     cleared); a bound socket therefore never shares by accident;
 *   - Windows' SO_REUSEADDR is Linux's SO_REUSEPORT, which Linux also requires of every
 *     socket sharing the address.
 * On UDP sockets Windows' SO_REUSEADDR is Linux's (both sockets must set it there too).
 */
#include <errno.h>
#include <string.h>

#include "api/addr_reuse.h"

/* The Linux option that holds Windows' SO_REUSEADDR for this socket. */
static int linux_reuse_option(const struct wsaio_socket *sk)
{
    return sk->type == SOCK_STREAM ? SO_REUSEPORT : SO_REUSEADDR;
}

static bool linux_flag(int fd, int optname)
{
    int v = 0;
    socklen_t len = sizeof(v);

    return getsockopt(fd, SOL_SOCKET, optname, &v, &len) == 0 && v != 0;
}

static void set_linux_flag(int fd, int optname, int v)
{
    setsockopt(fd, SOL_SOCKET, optname, &v, sizeof(v));
}

int wsaio_addr_bind(struct wsaio_socket *sk, const struct sockaddr *name, socklen_t len)
{
    bool shared = linux_flag(sk->fd, linux_reuse_option(sk));
    int err = 0;

    if (bind(sk->fd, name, len) != 0)
        err = errno;
    if (err == EADDRINUSE && sk->type == SOCK_STREAM) {
        /* Held by TIME_WAIT, by connections of a closed listener, or really in use. */
        set_linux_flag(sk->fd, SO_REUSEADDR, 1);
        err = bind(sk->fd, name, len) != 0 ? errno : 0;
        set_linux_flag(sk->fd, SO_REUSEADDR, 0);
    }
    if (!err)
        return 0;
    if (err == EADDRINUSE && shared)
        return WSAEACCES; /* asked to share with a socket that did not */
    return wsaio_errno_to_wsa(err);
}

void wsaio_addr_before_listen(struct wsaio_socket *sk)
{
    if (sk->type == SOCK_STREAM)
        set_linux_flag(sk->fd, SO_REUSEADDR, 1);
}

bool wsaio_addr_is_option(int level, int optname)
{
    return level == SOL_SOCKET && (optname == SO_REUSEADDR || optname == SO_EXCLUSIVEADDRUSE);
}

int wsaio_addr_setsockopt(struct wsaio_socket *sk, int optname, const char *optval, int optlen)
{
    BOOL on;

    if (optlen < (int)sizeof(BOOL))
        return WSAEFAULT;
    memcpy(&on, optval, sizeof(on));
    wsaio_socket_lock(sk);
    if (on && (optname == SO_REUSEADDR ? sk->exclusive_addr
                                       : linux_flag(sk->fd, linux_reuse_option(sk)))) {
        wsaio_socket_unlock(sk);
        return WSAEINVAL; /* the two options exclude each other */
    }
    if (optname == SO_EXCLUSIVEADDRUSE)
        sk->exclusive_addr = on != 0; /* Linux never shares without being asked to */
    else
        set_linux_flag(sk->fd, linux_reuse_option(sk), on != 0);
    wsaio_socket_unlock(sk);
    return 0;
}

int wsaio_addr_getsockopt(struct wsaio_socket *sk, int optname, char *optval, int *optlen)
{
    BOOL on;

    if (*optlen < (int)sizeof(BOOL))
        return WSAEFAULT;
    wsaio_socket_lock(sk);
    on = optname == SO_EXCLUSIVEADDRUSE ? sk->exclusive_addr
                                        : linux_flag(sk->fd, linux_reuse_option(sk));
    wsaio_socket_unlock(sk);
    memcpy(optval, &on, sizeof(on));
    *optlen = sizeof(on);
    return 0;
}
