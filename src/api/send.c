/*
 * send.c - WSASend, WSASendTo, and the BSD send/sendto, which are the same call with one
 * buffer and no OVERLAPPED (api.md 4.7, 4.8). SIGPIPE is never raised: every send carries
 * MSG_NOSIGNAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "api/startup.h"
#include "api/io.h"
#include "core/reset.h"

static int addr_len_for(int af)
{
    return af == AF_INET6 ? (int)sizeof(struct sockaddr_in6) : (int)sizeof(struct sockaddr_in);
}

/* Destination checks of WSASendTo on a datagram socket (api.md 4.8); 0 or a WSA error. */
static int check_dest(struct wsaio_socket *sk, const struct sockaddr *to, int tolen)
{
    if (wsaio_bad_ptr(to) || tolen < (int)sizeof(sa_family_t) ||
        tolen < addr_len_for(to->sa_family))
        return WSAEFAULT;
    if (to->sa_family != sk->af)
        return WSAEAFNOSUPPORT;
    if (to->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)to;

        if (in->sin_addr.s_addr == htonl(INADDR_ANY) || in->sin_port == 0)
            return WSAEADDRNOTAVAIL;
    } else {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)to;

        if (IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr) || in6->sin6_port == 0)
            return WSAEADDRNOTAVAIL;
    }
    return 0;
}

static bool connected(struct wsaio_socket *sk)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    return getpeername(sk->fd, (struct sockaddr *)&ss, &len) == 0;
}

/* Error of a send that failed in the kernel, as Windows names it. */
/* After a short count: whether a non-overlapped send goes on. A blocking stream send
 * returns once all bytes are taken (api.md 4.7), but Linux's sendmsg takes at most
 * 0x7FFFF000 bytes a call (and a signal can cut it short); a non-blocking one returns what
 * fitted, and a closed socket stops it (WSAEINTR, below). */
static bool sends_on(struct wsaio_socket *sk)
{
    return sk->type == SOCK_STREAM && !wsaio_socket_is_closed(sk) &&
           !(fcntl(sk->fd, F_GETFL) & O_NONBLOCK);
}

/* Moves msg's iovec window past n bytes sent. */
static void skip(struct msghdr *msg, size_t n)
{
    while (n >= msg->msg_iov->iov_len) {
        n -= msg->msg_iov->iov_len;
        msg->msg_iov++;
        msg->msg_iovlen--;
    }
    msg->msg_iov->iov_base = (char *)msg->msg_iov->iov_base + n;
    msg->msg_iov->iov_len -= n;
}

static int send_error(struct wsaio_socket *sk, int err, bool has_dest)
{
    if (err == EPIPE)
        return sk->shut_wr                        ? WSAESHUTDOWN
               : wsaio_socket_never_connected(sk) ? WSAENOTCONN
                                                  : WSAECONNRESET;
    if (err == EDESTADDRREQ && !has_dest)
        return WSAENOTCONN; /* WSASend on an unconnected datagram socket (api.md 4.7) */
    return wsaio_io_sync_error(sk, err);
}

static int do_send(SOCKET s, LPWSABUF bufs, DWORD nbufs, LPDWORD bytes, DWORD flags,
                   const struct sockaddr *to, int tolen, bool sendto, LPWSAOVERLAPPED ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    struct wsaio_op *op;
    int err = 0, rc, lflags;
    bool dgram;

    if (!sk)
        return SOCKET_ERROR;
    dgram = sk->type != SOCK_STREAM;
    if (!dgram)
        to = NULL; /* ignored on a stream socket (api.md 4.8) */
    if ((err = wsaio_io_check_buffers(bufs, nbufs)))
        ;
    else if (!dgram && !wsaio_io_send_fits(bufs, nbufs))
        err = WSAENOBUFS; /* its count would not fit a DWORD (api.md 5); a datagram that
                           * large is WSAEMSGSIZE as any too large (the kernel says so) */
    else if ((bytes ? wsaio_bad_ptr(bytes) : !ov) || wsaio_bad_opt_ptr(ov))
        err = WSAEFAULT;
    else if (flags & ~(DWORD)(MSG_OOB | MSG_DONTROUTE))
        err = WSAEOPNOTSUPP; /* MSG_PARTIAL included: TCP and UDP do not take it */
    else if ((flags & MSG_OOB) && dgram)
        err = WSAEOPNOTSUPP;
    else if (to)
        err = check_dest(sk, to, tolen);
    else if (sendto && dgram && !connected(sk))
        err = WSAEDESTADDRREQ;
    if (!err && sk->shut_wr)
        err = WSAESHUTDOWN;
    if (!err)
        err = (int)wsaio_reset_error(sk); /* every send after a reset (api.md 4.7) */
    if (err) {
        wsaio_socket_put(sk);
        return wsaio_fail((DWORD)err);
    }
    lflags = (int)(flags & (MSG_OOB | MSG_DONTROUTE));
    if (!ov) {
        struct iovec iov[nbufs];
        struct msghdr msg;
        size_t total, sent = 0;
        ssize_t n;

        total = wsaio_io_msg(&msg, iov, bufs, nbufs, WSAIO_OP_SEND);
        msg.msg_name = (void *)to;
        msg.msg_namelen = to ? (socklen_t)tolen : 0;
        for (;;) {
            do
                n = sendmsg(sk->fd, &msg, lflags | MSG_NOSIGNAL);
            while (n < 0 && errno == EINTR);
            if (n <= 0 || (sent += (size_t)n) == total || !sends_on(sk))
                break;
            skip(&msg, (size_t)n);
        }
        /* Another thread's closesocket wakes a blocked send with a shutdown: a broken pipe
         * or a short count on Linux, WSAEINTR on Windows (api.md 4.4 rule 4). */
        if ((n < 0 || sent < total) && wsaio_socket_is_closed(sk)) {
            wsaio_socket_put(sk);
            return wsaio_fail(WSAEINTR);
        }
        if (n < 0) {
            int sys_err = errno;

            err = send_error(sk, sys_err, to != NULL);
            if (err == WSAEWOULDBLOCK) /* FD_WRITE when space frees up (4.14.3) */
                wsaio_ne_send_blocked(sk);
            wsaio_reset_note(sk, sys_err, (DWORD)err);
            wsaio_socket_put(sk);
            return wsaio_fail((DWORD)err);
        }
        *bytes = (DWORD)sent;
        wsaio_socket_put(sk);
        wsaio_set_error(0);
        return 0;
    }
    op = wsaio_io_op(sk, WSAIO_OP_SEND, bufs, nbufs, ov, routine, &err);
    if (!op) {
        wsaio_socket_put(sk);
        return wsaio_fail((DWORD)err);
    }
    op->kr.flags = lflags;
    if (to) {
        memcpy(&op->addr, to, (size_t)addr_len_for(to->sa_family));
        op->msg.msg_name = &op->addr;
        op->msg.msg_namelen = (socklen_t)addr_len_for(to->sa_family);
    }
    rc = wsaio_io_run(op, bytes, NULL);
    wsaio_socket_put(sk);
    return rc;
}

WSAIO_EXPORT int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                                LPWSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return do_send(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, NULL, 0, false,
                   lpOverlapped, lpCompletionRoutine);
}

WSAIO_EXPORT int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                  LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                                  const struct sockaddr *lpTo, int iTolen,
                                  LPWSAOVERLAPPED lpOverlapped,
                                  LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return do_send(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen, true,
                   lpOverlapped, lpCompletionRoutine);
}

WSAIO_EXPORT int WSAAPI wsaio_sendto(SOCKET s, const char *buf, int len, int flags,
                                     const struct sockaddr *to, int tolen)
{
    WSABUF b = {(ULONG)len, (char *)buf};
    DWORD sent = 0;

    if (len < 0 || (!buf && len > 0)) {
        struct wsaio_socket *sk = wsaio_socket_enter(s);

        if (!sk)
            return SOCKET_ERROR;
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEFAULT);
    }
    if (do_send(s, &b, 1, &sent, (DWORD)flags, to, tolen, to != NULL, NULL, NULL) != 0)
        return SOCKET_ERROR;
    return (int)sent;
}

WSAIO_EXPORT int WSAAPI wsaio_send(SOCKET s, const char *buf, int len, int flags)
{
    return wsaio_sendto(s, buf, len, flags, NULL, 0);
}
