/*
 * send.c - WSASend, WSASendTo, and the BSD send/sendto, which are the same call with one
 * buffer and no OVERLAPPED (api.md 4.7, 4.8). SIGPIPE is never raised: every send carries
 * MSG_NOSIGNAL.
 */
#include <errno.h>
#include <string.h>

#include "api/startup.h"
#include "api/io.h"
#include "api/msg_control.h"
#include "core/nonblock.h"
#include "core/reset.h"

/* Destination checks of WSASendTo on a datagram socket (api.md 4.8); 0 or a WSA error. */
static int send_check_dest(struct wsaio_socket *sk, const struct sockaddr *to, int tolen)
{
    if (wsaio_bad_ptr(to) || tolen < (int)sizeof(sa_family_t) ||
        tolen < wsaio_io_addr_len(to->sa_family))
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

/* After a short count of a call made at loan count mark: whether a non-overlapped send
 * goes on. A blocking stream send returns once all bytes are taken (api.md 4.7), but
 * Linux's sendmsg takes at most 0x7FFFF000 bytes a call (and a signal can cut it short);
 * a non-blocking one returns what fitted (unless the library had lent the descriptor
 * O_NONBLOCK: core/nonblock.h), and a closed socket stops it (WSAEINTR, below). */
static bool sends_on(struct wsaio_socket *sk, uint32_t mark)
{
    return sk->type == SOCK_STREAM && !wsaio_socket_is_closed(sk) &&
           (wsaio_nonblock_lent(sk, mark) || !wsaio_nonblock_mode(sk));
}

/* Error of a send that failed in the kernel, as Windows names it. */
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

/* The checks after the socket's, in api.md 0.6 order; 0 or the WSA error. to is NULL on a
 * stream socket; sendto says the call was WSASendTo or sendto. */
static inline __attribute__((always_inline)) int send_checks(struct wsaio_socket *sk, LPWSABUF bufs,
                                                             DWORD nbufs, LPDWORD bytes,
                                                             DWORD flags, const struct sockaddr *to,
                                                             int tolen, bool sendto,
                                                             const WSABUF *ctl, LPWSAOVERLAPPED ov)
{
    bool dgram = sk->type != SOCK_STREAM;
    uint64_t scratch[WSAIO_MSG_CONTROL_MAX / sizeof(uint64_t)];
    size_t ctl_len;
    int err;

    if ((err = wsaio_io_check_buffers(bufs, nbufs)))
        return err;
    if (ctl && (err = wsaio_msg_control_out(scratch, sizeof(scratch), ctl, &ctl_len)))
        return err; /* WSASendMsg's control data (api.md 4.29) */
    if (!dgram && !wsaio_io_send_fits(bufs, nbufs))
        return WSAENOBUFS; /* its count would not fit a DWORD (api.md 5); a datagram that
                            * large is WSAEMSGSIZE as any too large (the kernel says so) */
    if ((bytes ? wsaio_bad_ptr(bytes) : !ov) || wsaio_bad_opt_ptr(ov))
        return WSAEFAULT;
    if (flags & ~(DWORD)(MSG_OOB | MSG_DONTROUTE))
        return WSAEOPNOTSUPP; /* MSG_PARTIAL included: TCP and UDP do not take it */
    if ((flags & MSG_OOB) && dgram)
        return WSAEOPNOTSUPP;
    if (to) {
        if ((err = send_check_dest(sk, to, tolen)))
            return err;
    } else if (sendto && dgram && !wsaio_io_has_peer(sk->fd)) {
        return WSAEDESTADDRREQ;
    }
    if (sk->shut_wr)
        return WSAESHUTDOWN;
    return (int)wsaio_reset_error(sk); /* every send after a reset (api.md 4.7) */
}

/* The non-overlapped send, in the socket's blocking mode: what the call returns. */
static int send_now(struct wsaio_socket *sk, LPWSABUF bufs, DWORD nbufs, LPDWORD bytes,
                    const struct sockaddr *to, int tolen, const WSABUF *ctl, int lflags)
{
    uint64_t ctl_buf[WSAIO_MSG_CONTROL_MAX / sizeof(uint64_t)];
    struct iovec iov[nbufs];
    struct msghdr msg;
    size_t total, sent = 0;
    ssize_t n;
    int err;

    total = wsaio_io_msg(&msg, iov, bufs, nbufs, WSAIO_OP_SEND);
    msg.msg_name = (void *)to;
    msg.msg_namelen = to ? (socklen_t)tolen : 0;
    if (ctl) { /* checked by send_checks: cannot fail */
        wsaio_msg_control_out(ctl_buf, sizeof(ctl_buf), ctl, &msg.msg_controllen);
        msg.msg_control = msg.msg_controllen ? ctl_buf : NULL;
    }
    for (;;) {
        uint32_t mark = wsaio_nonblock_mark(sk);

        do
            n = sendmsg(sk->fd, &msg, lflags | MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0 && errno == EAGAIN && wsaio_nonblock_lent(sk, mark))
            continue; /* blocking mode, but the library had lent O_NONBLOCK: again */
        if (n <= 0 || (sent += (size_t)n) == total || !sends_on(sk, mark))
            break;
        wsaio_io_msg_skip(&msg, (size_t)n);
    }
    /* Another thread's closesocket wakes a blocked send with a shutdown: a broken pipe
     * or a short count on Linux, WSAEINTR on Windows (api.md 4.4 rule 4). */
    if ((n < 0 || sent < total) && wsaio_socket_is_closed(sk))
        return wsaio_fail(WSAEINTR);
    if (n < 0) {
        int sys_err = errno;

        err = send_error(sk, sys_err, to != NULL);
        if (err == WSAEWOULDBLOCK) /* FD_WRITE when space frees up (4.14.3) */
            wsaio_ne_send_blocked(sk);
        wsaio_reset_note(sk, sys_err, (DWORD)err);
        return wsaio_fail((DWORD)err);
    }
    *bytes = (DWORD)sent;
    wsaio_set_error(0);
    return 0;
}

/* A send: WSASend (sendto false), WSASendTo, or WSASendMsg (m set: the buffers, the
 * destination and the control data are m's). Inlined in each entry point: with m a constant
 * NULL the message's branches drop out of WSASend and WSASendTo. */
static inline __attribute__((always_inline)) int
do_send(SOCKET s, LPWSABUF bufs, DWORD nbufs, LPDWORD bytes, DWORD flags, const struct sockaddr *to,
        int tolen, bool sendto, const WSAMSG *m, LPWSAOVERLAPPED ov,
        LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    const WSABUF *ctl = NULL;
    struct wsaio_op *op;
    int err, rc, lflags = (int)(flags & (MSG_OOB | MSG_DONTROUTE));

    if (!sk)
        return SOCKET_ERROR;
    if (m) {
        if (wsaio_bad_ptr(m))
            return wsaio_io_refuse(sk, WSAEFAULT);
        bufs = m->lpBuffers;
        nbufs = m->dwBufferCount;
        to = m->name;
        tolen = m->namelen;
        ctl = &m->Control;
    }
    if (sk->type == SOCK_STREAM)
        to = NULL; /* ignored on a stream socket (api.md 4.8) */
    if ((err = send_checks(sk, bufs, nbufs, bytes, flags, to, tolen, sendto, ctl, ov)))
        return wsaio_io_refuse(sk, err);
    if (!ov) {
        rc = send_now(sk, bufs, nbufs, bytes, to, tolen, ctl, lflags);
    } else if (!(op = wsaio_io_op(sk, WSAIO_OP_SEND, to || ctl, bufs, nbufs, ov, routine, &err))) {
        return wsaio_io_refuse(sk, err);
    } else {
        op->kr.flags = lflags;
        if (to) {
            memcpy(&wsaio_op_x(op)->addr, to, (size_t)wsaio_io_addr_len(to->sa_family));
            op->msg.msg_name = &wsaio_op_x(op)->addr;
            op->msg.msg_namelen = (socklen_t)wsaio_io_addr_len(to->sa_family);
        }
        if (ctl) { /* after the destination: it shares the storage (core/op.h) */
            uint64_t *buf = wsaio_op_x(op)->m.ctl;

            wsaio_msg_control_out(buf, sizeof(wsaio_op_x(op)->m.ctl), ctl, &op->msg.msg_controllen);
            op->msg.msg_control = op->msg.msg_controllen ? buf : NULL;
        }
        rc = wsaio_io_run(op, bytes, NULL);
    }
    wsaio_socket_put(sk);
    return rc;
}

WSAIO_EXPORT int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                  LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                                  const struct sockaddr *lpTo, int iTolen,
                                  LPWSAOVERLAPPED lpOverlapped,
                                  LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return do_send(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, lpTo, iTolen, true,
                   NULL, lpOverlapped, lpCompletionRoutine);
}

WSAIO_EXPORT int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                                LPWSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return do_send(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags, NULL, 0, false, NULL,
                   lpOverlapped, lpCompletionRoutine);
}

WSAIO_EXPORT int WSAAPI WSASendMsg(SOCKET Handle, LPWSAMSG lpMsg, DWORD dwFlags,
                                   LPDWORD lpNumberOfBytesSent, LPWSAOVERLAPPED lpOverlapped,
                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return do_send(Handle, NULL, 0, lpNumberOfBytesSent, dwFlags, NULL, 0, true, lpMsg,
                   lpOverlapped, lpCompletionRoutine);
}

WSAIO_EXPORT int WSAAPI wsaio_sendto(SOCKET s, const char *buf, int len, int flags,
                                     const struct sockaddr *to, int tolen)
{
    WSABUF b = {(ULONG)len, (char *)buf};
    DWORD sent = 0;

    if (len < 0 || (!buf && len > 0))
        return wsaio_io_bad_buffer(s);
    if (do_send(s, &b, 1, &sent, (DWORD)flags, to, tolen, to != NULL, NULL, NULL, NULL) != 0)
        return SOCKET_ERROR;
    return (int)sent;
}

WSAIO_EXPORT int WSAAPI wsaio_send(SOCKET s, const char *buf, int len, int flags)
{
    return wsaio_sendto(s, buf, len, flags, NULL, 0);
}
