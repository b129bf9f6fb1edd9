/*
 * recv.c - WSARecv, WSARecvFrom, and the BSD recv/recvfrom, which are the same call with
 * one buffer and no OVERLAPPED (api.md 4.5, 4.6).
 *
 * Checks follow api.md 0.6: startup, socket, then arguments (buffers, count, flags
 * pointer, byte-count pointer, OVERLAPPED, address pointers: wsaio_bad_ptr), then flags,
 * then socket state; a call that fails them has no side effect at all. The operation
 * itself then completes during the call, pends, or fails without any indication
 * (api.md 1.3).
 */
#include <errno.h>
#include <string.h>

#include "api/startup.h"
#include "api/extension.h"
#include "api/io.h"
#include "core/msg.h"
#include "core/nonblock.h"
#include "core/reset.h"

#define RECV_FLAGS (MSG_OOB | MSG_PEEK | MSG_WAITALL | MSG_PUSH_IMMEDIATE | MSG_PARTIAL)

/* Windows rules for receive flags (api.md 4.5); 0 or the WSA error. */
static int check_flags(struct wsaio_socket *sk, DWORD flags, bool overlapped)
{
    bool dgram = sk->type != SOCK_STREAM;

    if (flags & ~(DWORD)RECV_FLAGS)
        return WSAEOPNOTSUPP;
    if (flags & MSG_WAITALL) {
        if (dgram || (flags & (MSG_OOB | MSG_PEEK | MSG_PARTIAL)))
            return WSAEOPNOTSUPP;
        if (!overlapped && wsaio_nonblock_mode(sk))
            return WSAEOPNOTSUPP;
    }
    if (flags & MSG_OOB) {
        int inline_oob = 0;
        socklen_t len = sizeof(inline_oob);

        if (dgram)
            return WSAEOPNOTSUPP;
        getsockopt(sk->fd, SOL_SOCKET, SO_OOBINLINE, &inline_oob, &len);
        if (inline_oob)
            return WSAEINVAL;
    }
    return 0;
}

/* A datagram socket must be bound before it can receive (api.md 4.5). */
static bool dgram_bound(struct wsaio_socket *sk)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (sk->known_bound)
        return true;
    if (getsockname(sk->fd, (struct sockaddr *)&ss, &len) != 0 ||
        ((struct sockaddr_in *)&ss)->sin_port == 0)
        return false;
    sk->known_bound = true;
    return true;
}

/* The non-overlapped receive, in the socket's blocking mode. */
static int recv_now(struct wsaio_socket *sk, LPWSABUF bufs, DWORD nbufs, LPDWORD bytes,
                    LPDWORD lpFlags, struct sockaddr *from, LPINT fromlen, LPWSAMSG m, int lflags)
{
    struct iovec iov[nbufs];
    struct sockaddr_storage ss;
    struct msghdr msg;
    size_t total;
    ssize_t n;
    int err;

    total = wsaio_io_msg(&msg, iov, bufs, nbufs, WSAIO_OP_RECV);
    if (from) {
        msg.msg_name = &ss;
        msg.msg_namelen = sizeof(ss);
    }
    if (m) {
        msg.msg_control = m->Control.buf;
        msg.msg_controllen = m->Control.len;
    }
    for (size_t got = 0;;) {
        uint32_t mark = wsaio_nonblock_mark(sk);

        n = recvmsg(sk->fd, &msg, lflags);
        /* Blocking mode, but the library had lent O_NONBLOCK (core/nonblock.h): again,
         * and a MSG_WAITALL the loan cut short goes on. */
        if (n < 0 && (errno == EINTR || (errno == EAGAIN && wsaio_nonblock_lent(sk, mark))))
            continue;
        if (n > 0 && (lflags & MSG_WAITALL) && got + (size_t)n < total &&
            wsaio_nonblock_lent(sk, mark)) {
            got += (size_t)n;
            wsaio_io_msg_skip(&msg, (size_t)n);
            continue;
        }
        if (got)
            n = n < 0 ? (ssize_t)got : n + (ssize_t)got;
        break;
    }
    if (n < 0) {
        int sys_err = errno;

        if (wsaio_socket_is_closed(sk))
            return wsaio_fail(WSAEINTR);
        err = wsaio_io_sync_error(sk, sys_err);
        wsaio_reset_note(sk, sys_err, (DWORD)err);
        return wsaio_fail((DWORD)err);
    }
    /* Another thread's closesocket wakes us with a shutdown, which reads as end of stream
     * (api.md 4.4 rule 4); so does a reset that another call saw first (reset.h). */
    if (n == 0 && wsaio_socket_is_closed(sk))
        return wsaio_fail(WSAEINTR);
    if (n == 0 && total && (err = wsaio_reset_eof_errno(sk)))
        return wsaio_fail((DWORD)wsaio_errno_to_wsa(err));
    if (from && msg.msg_namelen && (socklen_t)*fromlen >= msg.msg_namelen) {
        memcpy(from, &ss, msg.msg_namelen);
        *fromlen = (int)msg.msg_namelen;
    }
    *bytes = (DWORD)n;
    *lpFlags = 0;
    if (m ? wsaio_msg_outputs(m, &msg) : (msg.msg_flags & MSG_TRUNC) != 0)
        return wsaio_fail(WSAEMSGSIZE); /* the datagram's tail is gone (api.md 4.5, 4.29) */
    wsaio_set_error(0);
    return 0;
}

/* The checks after the socket's, in api.md 0.6 order; 0 or the WSA error. */
static inline __attribute__((always_inline)) int recv_checks(struct wsaio_socket *sk, LPWSABUF bufs,
                                                             DWORD nbufs, LPDWORD bytes,
                                                             LPDWORD lpFlags, struct sockaddr *from,
                                                             LPINT fromlen, LPWSAOVERLAPPED ov)
{
    bool dgram = sk->type != SOCK_STREAM;
    int err = wsaio_io_check_buffers(bufs, nbufs);

    if (err)
        return err;
    if (wsaio_bad_ptr(lpFlags) || (bytes ? wsaio_bad_ptr(bytes) : !ov) || wsaio_bad_opt_ptr(ov))
        return WSAEFAULT;
    if (dgram && from &&
        (wsaio_bad_ptr(from) || wsaio_bad_ptr(fromlen) || *fromlen < wsaio_io_addr_len(sk->af)))
        return WSAEFAULT; /* checked now: the datagram stays queued (api.md 4.6) */
    if ((err = check_flags(sk, *lpFlags, ov != NULL)))
        return err;
    if (dgram && !dgram_bound(sk))
        return WSAEINVAL;
    if (sk->shut_rd)
        return WSAESHUTDOWN;
    return (int)wsaio_reset_error(sk); /* every receive after a reset (api.md 4.5) */
}

/* WSARecvMsg's own checks (api.md 4.29), before the receive's; 0 or the WSA error. */
static int msg_checks(struct wsaio_socket *sk, LPWSAMSG m)
{
    if (wsaio_bad_ptr(m))
        return WSAEFAULT;
    if (sk->type == SOCK_STREAM)
        return WSAEOPNOTSUPP; /* datagram and raw sockets only */
    if ((!m->name && m->namelen) || (m->Control.len && wsaio_bad_ptr(m->Control.buf)))
        return WSAEFAULT;
    return 0;
}

/* A receive: WSARecv (from NULL), WSARecvFrom, or WSARecvMsg (m set: the buffers, the
 * source and the flags are m's, which also takes the outputs). Inlined in each entry point:
 * with m a constant NULL the message's branches drop out of WSARecv and WSARecvFrom. */
static inline __attribute__((always_inline)) int
do_recv(SOCKET s, LPWSABUF bufs, DWORD nbufs, LPDWORD bytes, LPDWORD lpFlags, struct sockaddr *from,
        LPINT fromlen, LPWSAMSG m, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    struct wsaio_op *op;
    DWORD msg_flags;
    int err, rc, lflags;

    if (!sk)
        return SOCKET_ERROR;
    if (m) {
        if ((err = msg_checks(sk, m)))
            return wsaio_io_refuse(sk, err);
        bufs = m->lpBuffers;
        nbufs = m->dwBufferCount;
        from = m->name;
        fromlen = &m->namelen; /* WSAIO_OP_RECVMSG finds m from it */
        msg_flags = m->dwFlags;
        lpFlags = &msg_flags; /* the output flags are m's (wsaio_msg_outputs) */
    }
    if ((err = recv_checks(sk, bufs, nbufs, bytes, lpFlags, from, fromlen, ov)))
        return wsaio_io_refuse(sk, err);
    if (sk->type == SOCK_STREAM)
        from = NULL, fromlen = NULL; /* ignored and untouched on a stream socket */
    lflags = (int)(*lpFlags & (MSG_OOB | MSG_PEEK | MSG_WAITALL));
    if (!ov) {
        rc = recv_now(sk, bufs, nbufs, bytes, lpFlags, from, fromlen, m, lflags);
    } else if (!(op = wsaio_io_op(sk, m ? WSAIO_OP_RECVMSG : WSAIO_OP_RECV, from != NULL, bufs,
                                  nbufs, ov, routine, &err))) {
        return wsaio_io_refuse(sk, err);
    } else {
        /* A zero-length stream receive completes, with 0 bytes, once data is there: the
         * data stays queued (api.md 4.5, Wine's test_empty_recv). */
        if (sk->type == SOCK_STREAM && op->total == 0)
            op->kind = WSAIO_OP_POLLIN;
        op->kr.flags = lflags;
        op->waitall = (lflags & MSG_WAITALL) != 0;
        if (op->large) {
            wsaio_op_x(op)->from = from;
            wsaio_op_x(op)->fromlen = fromlen;
        }
        if (from)
            op->msg.msg_name = &wsaio_op_x(op)->addr;
        if (m) {
            op->msg.msg_control = m->Control.buf;
            op->msg.msg_controllen = m->Control.len;
        }
        rc = wsaio_io_run(op, bytes, lpFlags);
    }
    wsaio_ne_after_recv(sk, (lflags & MSG_OOB) != 0); /* re-enables FD_READ (4.14.3) */
    wsaio_socket_put(sk);
    return rc;
}

WSAIO_EXPORT int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                    LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                                    struct sockaddr *lpFrom, LPINT lpFromlen,
                                    LPWSAOVERLAPPED lpOverlapped,
                                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return do_recv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, lpFrom,
                   lpFrom ? lpFromlen : NULL, NULL, lpOverlapped, lpCompletionRoutine);
}

WSAIO_EXPORT int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                                LPWSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return do_recv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags, NULL, NULL, NULL,
                   lpOverlapped, lpCompletionRoutine);
}

int WSAAPI wsaio_wsarecvmsg(SOCKET s, LPWSAMSG lpMsg, LPDWORD lpdwNumberOfBytesRecvd,
                            LPWSAOVERLAPPED lpOverlapped,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    return do_recv(s, NULL, 0, lpdwNumberOfBytesRecvd, NULL, NULL, NULL, lpMsg, lpOverlapped,
                   lpCompletionRoutine);
}

WSAIO_EXPORT int WSAAPI wsaio_recvfrom(SOCKET s, char *buf, int len, int flags,
                                       struct sockaddr *from, int *fromlen)
{
    WSABUF b = {(ULONG)len, buf};
    DWORD got = 0, fl = (DWORD)flags;

    if (len < 0) /* recv(len -1) is WSAEFAULT on Windows */
        return wsaio_io_bad_buffer(s);
    if (do_recv(s, &b, 1, &got, &fl, from, from ? fromlen : NULL, NULL, NULL, NULL) != 0)
        return SOCKET_ERROR;
    return (int)got;
}

WSAIO_EXPORT int WSAAPI wsaio_recv(SOCKET s, char *buf, int len, int flags)
{
    return wsaio_recvfrom(s, buf, len, flags, NULL, NULL);
}
