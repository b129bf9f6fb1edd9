/*
 * opkind.c - the table of operation kinds (opkind.h): the only place that knows how each
 * kind is tried, handed to the kernel and finished.
 */
#include "core/opkind.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>

#include "backend/backend.h"
#include "core/accept_op.h"
#include "core/msg.h"
#include "core/nonblock.h"
#include "core/op.h"
#include "core/renew.h"
#include "core/reset.h"
#include "core/transmit_op.h"

/* Retries a call interrupted by a signal; -errno on failure, -EAGAIN when it would block. */
static long result(long res)
{
    if (res >= 0)
        return res;
    return errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

static long try_recv(struct wsaio_op *op)
{
    long res;

    do {
        op->msg.msg_namelen = op->msg.msg_name ? sizeof(struct sockaddr_storage) : 0;
        res = recvmsg(op->sk->fd, &op->msg, op->kr.flags | MSG_DONTWAIT);
    } while (res < 0 && errno == EINTR);
    return result(res);
}

static long try_send(struct wsaio_op *op)
{
    long res;

    do
        res = sendmsg(op->sk->fd, &op->msg, op->kr.flags | MSG_DONTWAIT | MSG_NOSIGNAL);
    while (res < 0 && errno == EINTR);
    return result(res);
}

/* The revents mask, as from the backends; -EAGAIN when nothing is there. */
static long try_pollin(struct wsaio_op *op)
{
    struct pollfd p = {.fd = op->sk->fd, .events = POLLIN};
    long res;

    do
        res = poll(&p, 1, 0);
    while (res < 0 && errno == EINTR);
    if (res == 0)
        return -EAGAIN;
    if (res < 0)
        return -errno;
    return (p.revents & POLLNVAL) ? -EBADF : p.revents;
}

/* Kinds that never reach the engine's queues. */
static long try_never(struct wsaio_op *op)
{
    (void)op;
    return -EOPNOTSUPP;
}

/* Describes op's kernel request to the backend (backend.h). */
static void prep(struct wsaio_op *op)
{
    op->kr.fd = op->sk->fd;
    op->kr.reg = &op->sk->backend_data;
    op->kr.call = wsaio_opkind_of(op)->call;
}

static void prep_recv(struct wsaio_op *op)
{
    prep(op);
    op->msg.msg_namelen = op->msg.msg_name ? sizeof(struct sockaddr_storage) : 0;
}

/* Moves the iovec window past n transferred bytes (short send, partial MSG_WAITALL). */
static void advance(struct wsaio_op *op, size_t n)
{
    while (n && op->msg.msg_iovlen) {
        struct iovec *v = op->msg.msg_iov;

        if (n < v->iov_len) {
            v->iov_base = (char *)v->iov_base + n;
            v->iov_len -= n;
            return;
        }
        n -= v->iov_len;
        op->msg.msg_iov++;
        op->msg.msg_iovlen--;
    }
}

int wsaio_opkind_failed(struct wsaio_op *op, long res)
{
    op->status = wsaio_errno_to_status((int)-res);
    if (-res == EPIPE && op->sk->shut_wr)
        op->status = STATUS_PIPE_DISCONNECTED; /* our own shutdown: WSAESHUTDOWN */
    else if (-res == EPIPE && wsaio_socket_never_connected(op->sk))
        op->status = STATUS_INVALID_CONNECTION; /* never connected: WSAENOTCONN */
    wsaio_reset_note(op->sk, (int)-res, wsaio_status_to_wsa(op->status));
    return WSAIO_STEP_ERROR;
}

/* End of stream after a failure that another call consumed: still the failure
 * (reset.h). */
static bool eof_failed(struct wsaio_op *op)
{
    int eof_err = wsaio_reset_eof_errno(op->sk);

    if (eof_err)
        op->status = wsaio_errno_to_status(eof_err);
    return eof_err != 0;
}

static int finish_recv(struct wsaio_op *op, long res)
{
    if (res < 0)
        return wsaio_opkind_failed(op, res);
    if (res == 0 && op->total && eof_failed(op))
        return WSAIO_STEP_ERROR;
    op->done += (uint32_t)res;
    if (op->waitall && res > 0 && op->done < op->total) {
        advance(op, (size_t)res);
        return WSAIO_STEP_MORE;
    }
    /* A datagram larger than the buffers: its tail is gone (api.md 4.5). */
    op->status = (op->msg.msg_flags & MSG_TRUNC) ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
    return WSAIO_STEP_DONE;
}

/* WSARecvMsg: its outputs go to the program's WSAMSG now, before the indication. */
static int finish_recvmsg(struct wsaio_op *op, long res)
{
    int step = finish_recv(op, res);
    WSAMSG *m = (WSAMSG *)(void *)((char *)wsaio_op_x(op)->fromlen - offsetof(WSAMSG, namelen));

    if (step == WSAIO_STEP_DONE && wsaio_msg_outputs(m, &op->msg))
        op->status = STATUS_BUFFER_OVERFLOW; /* data or control data cut: WSAEMSGSIZE */
    return step;
}

static int finish_send(struct wsaio_op *op, long res)
{
    if (res < 0)
        return wsaio_opkind_failed(op, res);
    op->done += (uint32_t)res;
    if (op->done < op->total) { /* stream sends complete whole (api.md 4.7) */
        advance(op, (size_t)res);
        return WSAIO_STEP_MORE;
    }
    op->status = STATUS_SUCCESS;
    return WSAIO_STEP_DONE;
}

/* A zero-length receive asks for the failure only when the socket hung up: a failed
 * connection always does, and data arriving must not cost a TCP_INFO each time. */
static int finish_pollin(struct wsaio_op *op, long res)
{
    if (res < 0)
        return wsaio_opkind_failed(op, res);
    if ((res & (POLLHUP | POLLERR)) && eof_failed(op))
        return WSAIO_STEP_ERROR;
    op->status = STATUS_SUCCESS;
    return WSAIO_STEP_DONE;
}

static int finish_never(struct wsaio_op *op, long res)
{
    return res < 0 ? wsaio_opkind_failed(op, res) : (op->status = STATUS_SUCCESS, WSAIO_STEP_DONE);
}

/* A connect that does not block, whatever the socket's mode: 0, -EAGAIN while it is in
 * progress, or -errno. Asked again once the socket is writable, connect() gives the
 * outcome (0, or the error, which it consumes) of the attempt in progress. */
static long connect_now(struct wsaio_socket *sk, const struct sockaddr *to, socklen_t len)
{
    /* Linux has no per-call flag for connect: the socket is non-blocking for the call. */
    int fl = wsaio_nonblock_lend(sk);
    long res;

    do
        res = connect(sk->fd, to, len);
    while (res < 0 && errno == EINTR);
    res = res < 0 ? -errno : 0;
    wsaio_nonblock_return(sk, fl);
    return res == -EINPROGRESS || res == -EALREADY ? -EAGAIN : res;
}

static long try_connect(struct wsaio_op *op)
{
    if (op->msg.msg_name) {
        long res = connect_now(op->sk, op->msg.msg_name, op->msg.msg_namelen);

        if (res < 0)
            return res;
        op->msg.msg_name = NULL; /* connected: the send stage */
        op->msg.msg_namelen = 0;
        wsaio_ne_connected_locked(op->sk, 0); /* FD_CONNECT, FD_WRITE (api.md 4.25) */
        if (!op->total)
            return 0;
    }
    return try_send(op);
}

/* Waits for the connect in progress, then for room to send. */
static void prep_connect(struct wsaio_op *op)
{
    prep(op);
    if (!op->msg.msg_name)
        op->kr.call = WSAIO_KCALL_SENDMSG;
}

/*
 * A ConnectEx cancelled while its connect is in progress, or done in the kernel but not yet
 * seen (api.md 4.25): Winsock documents a cancelled connect as one that is reset and leaves
 * the socket to be closed. The kernel's attempt is dissolved now (connect(AF_UNSPEC): a
 * connection it made is reset, no SYN is retried), and the socket refuses any further
 * connect. A closing socket is left to its close.
 */
static int connect_cancelled(struct wsaio_op *op)
{
    struct wsaio_socket *sk = op->sk;

    if (!sk->closed) {
        struct sockaddr none = {.sa_family = AF_UNSPEC};

        connect(sk->fd, &none, sizeof(none));
        atomic_store(&sk->connect_cancelled, true);
    }
    op->status = STATUS_CANCELLED;
    wsaio_ne_connected_locked(sk, wsaio_status_to_wsa(op->status));
    return WSAIO_STEP_ERROR;
}

static int finish_connect(struct wsaio_op *op, long res)
{
    if (!op->msg.msg_name)
        return finish_send(op, res);
    if (op->cancel_requested)
        return connect_cancelled(op);
    if (res >= 0) /* the kernel's readiness report: connect() tells the outcome */
        return WSAIO_STEP_MORE;
    /* Not failed(): a refused connect is no broken connection, and the socket may try
     * again (api.md 4.25). */
    op->status = -res == ECONNREFUSED ? STATUS_CONNECTION_REFUSED /* not a datagram's */
                                      : wsaio_errno_to_status((int)-res);
    wsaio_ne_connected_locked(op->sk, wsaio_status_to_wsa(op->status));
    return WSAIO_STEP_ERROR;
}

/* True once the peer's end of stream (or a failure) has arrived. */
static bool peer_closed(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLRDHUP};

    return poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL));
}

long wsaio_opkind_disconnect(struct wsaio_op *op, bool reuse)
{
    struct wsaio_socket *sk = op->sk;

    if (!sk->shut_wr) {
        sk->shut_wr = true; /* before the FIN: its hang-up is our own (bsd.c shutdown) */
        if (shutdown(sk->fd, SHUT_WR) != 0) {
            sk->shut_wr = false;
            return -errno;
        }
    }
    if (!reuse)
        return 0;
    /* Reuse: the connection ends when the peer's end of stream came, and no receive of
     * ours (which the kernel may hold) is left on the kernel socket about to be replaced. */
    if (!peer_closed(sk->fd) || sk->rq.head)
        return -EAGAIN;
    return wsaio_socket_renew(sk);
}

static long try_disconnect(struct wsaio_op *op)
{
    return wsaio_opkind_disconnect(op, op->kr.flags & WSAIO_DISCONNECT_REUSE);
}

static int finish_disconnect(struct wsaio_op *op, long res)
{
    if (res < 0)
        return wsaio_opkind_failed(op, res);
    if (res > 0) /* the kernel's readiness report: look again */
        return WSAIO_STEP_MORE;
    op->status = STATUS_SUCCESS;
    return WSAIO_STEP_DONE;
}

const struct wsaio_opkind wsaio_opkinds[WSAIO_OP_KINDS] = {
    [WSAIO_OP_RECV] = {"recv", WSAIO_DIR_RECV, WSAIO_KCALL_RECVMSG, WSAIO_MAX_TRANSFER, try_recv,
                       prep_recv, finish_recv, false, NULL, false},
    [WSAIO_OP_SEND] = {"send", WSAIO_DIR_SEND, WSAIO_KCALL_SENDMSG, WSAIO_MAX_SEND, try_send, prep,
                       finish_send, true, NULL, false},
    [WSAIO_OP_POLLIN] = {"pollin", WSAIO_DIR_RECV, WSAIO_KCALL_POLLIN, WSAIO_MAX_TRANSFER,
                         try_pollin, prep, finish_pollin, false, NULL, false},
    [WSAIO_OP_IOCTL] = {"ioctl", WSAIO_DIR_NONE, WSAIO_KCALL_NONE, 0, try_never, prep, finish_never,
                        false, NULL, false},
    [WSAIO_OP_CHANGE] = {"change", WSAIO_DIR_NONE, WSAIO_KCALL_NONE, 0, try_never, prep,
                         finish_never, false, NULL, false},
    [WSAIO_OP_CONNECT] = {"connect", WSAIO_DIR_SEND, WSAIO_KCALL_CONNECT, WSAIO_MAX_SEND,
                          try_connect, prep_connect, finish_connect, true, NULL, true},
    [WSAIO_OP_DISCONNECT] = {"disconnect", WSAIO_DIR_SEND, WSAIO_KCALL_DISCONNECT, 0,
                             try_disconnect, prep, finish_disconnect, false, NULL, false},
    /* Two steps (accept_op.h): its call is chosen by prep (ACCEPT, or RECVMSG for the data). */
    [WSAIO_OP_ACCEPT] = {"accept", WSAIO_DIR_RECV, WSAIO_KCALL_ACCEPT, WSAIO_MAX_TRANSFER,
                         wsaio_accept_try, wsaio_accept_prep, wsaio_accept_finish, false,
                         wsaio_accept_release, true},
    [WSAIO_OP_RECVMSG] = {"recvmsg", WSAIO_DIR_RECV, WSAIO_KCALL_RECVMSG, WSAIO_MAX_TRANSFER,
                          try_recv, prep_recv, finish_recvmsg, false, NULL, true},
    /* Stages (transmit_op.h): every call is made by try; the kernel only waits. */
    [WSAIO_OP_TRANSMIT] = {"transmit", WSAIO_DIR_SEND, WSAIO_KCALL_WRITABLE, WSAIO_MAX_SEND,
                           wsaio_transmit_try, wsaio_transmit_prep, wsaio_transmit_finish, true,
                           wsaio_transmit_release, true},
};
