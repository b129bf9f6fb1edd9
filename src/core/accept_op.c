/*
 * accept_op.c - the AcceptEx kind of operation (accept_op.h).
 */
#include "core/accept_op.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/cancel.h"
#include "core/op.h"

/* -errno of a failed call (EWOULDBLOCK as -EAGAIN), or res. */
static long accept_op__result(long res)
{
    if (res >= 0)
        return res;
    return errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

/* A local address area too small but not 0: the operation fails when a connection comes,
 * and leaves it queued (api.md 4.23), so step 0 only waits for one. */
static bool accept_op__local_too_small(const struct wsaio_op *op)
{
    struct wsaio_op_ext *x = wsaio_op_x(op);
    size_t need =
        (op->sk->af == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) + 16;

    return x->local && x->local < need;
}

static void accept_op__name_room(struct wsaio_op *op)
{
    struct wsaio_op_ext *x = wsaio_op_x(op);

    op->msg.msg_name = &x->addr;
    op->msg.msg_namelen = sizeof(x->addr);
}

long wsaio_accept_try(struct wsaio_op *op)
{
    struct wsaio_op_ext *x = wsaio_op_x(op);
    struct pollfd p = {.fd = op->sk->fd, .events = POLLIN};
    long res;

    if (op->stage) { /* the first data, on the accept socket */
        do
            res = recvmsg(x->acc->fd, &op->msg, MSG_DONTWAIT);
        while (res < 0 && errno == EINTR);
        return accept_op__result(res);
    }
    /* The listener may be in blocking mode: accept only what poll says is there. */
    do
        res = poll(&p, 1, 0);
    while (res < 0 && errno == EINTR);
    if (res <= 0)
        return res == 0 ? -EAGAIN : -errno;
    if (p.revents & POLLNVAL)
        return -EBADF;
    if (accept_op__local_too_small(op))
        return p.revents;
    accept_op__name_room(op);
    do
        res = accept4(op->sk->fd, (struct sockaddr *)&x->addr, &op->msg.msg_namelen, 0);
    while (res < 0 && errno == EINTR);
    return accept_op__result(res);
}

void wsaio_accept_prep(struct wsaio_op *op)
{
    struct wsaio_op_ext *x = wsaio_op_x(op);

    if (op->stage) {
        op->kr.fd = x->acc->fd;
        op->kr.reg = &x->acc->backend_data;
        op->kr.call = WSAIO_KCALL_RECVMSG;
        op->msg.msg_name = NULL;
        op->msg.msg_namelen = 0;
        return;
    }
    op->kr.fd = op->sk->fd;
    op->kr.reg = &op->sk->backend_data;
    op->kr.call = accept_op__local_too_small(op) ? WSAIO_KCALL_POLLIN : WSAIO_KCALL_ACCEPT;
    accept_op__name_room(op);
}

/* Stores len bytes of addr in an area of size bytes: an int length, then the address. */
static void accept_op__store(char *area, uint32_t size, const void *addr, socklen_t len)
{
    int n = (int)len;

    if (size < sizeof(n) + len)
        return;
    memcpy(area, &n, sizeof(n));
    memcpy(area + sizeof(n), addr, len);
}

/* Step 0 accepted fd: it becomes the accept socket's descriptor (same number), and the
 * addresses go into the output buffer. The accept socket cannot close meanwhile: its
 * closesocket cancels this operation under the listener's lock, held here, before the
 * number is closed (wsaio_accept_abort()); one already marked closed gets nothing. */
static int accept_op__connected(struct wsaio_op *op, int fd)
{
    struct wsaio_op_ext *x = wsaio_op_x(op);
    struct wsaio_socket *acc = x->acc;
    struct sockaddr_storage local;
    socklen_t len = sizeof(local);
    char *areas = (char *)op->iov[0].iov_base + op->total;
    int fdflags = fcntl(acc->fd, F_GETFD);

    if (wsaio_socket_is_closed(acc)) {
        close(fd);
        op->status = STATUS_CANCELLED;
        return WSAIO_STEP_ERROR;
    }
    if (dup3(fd, acc->fd, fdflags > 0 && (fdflags & FD_CLOEXEC) ? O_CLOEXEC : 0) < 0) {
        op->status = wsaio_errno_to_status(errno);
        close(fd);
        return WSAIO_STEP_ERROR;
    }
    close(fd);
    atomic_store(&acc->connected_at, GetTickCount64() + 1); /* SO_CONNECT_TIME */
    if (x->local && getsockname(acc->fd, (struct sockaddr *)&local, &len) == 0)
        accept_op__store(areas, x->local, &local, len);
    accept_op__store(areas + x->local, x->remote, &x->addr, op->msg.msg_namelen);
    /* x->acc shares its place with a receive-from's address pointer, which delivery
     * writes when msg_namelen says an address came (loop.c): none did. */
    op->msg.msg_namelen = 0;
    if (!op->total) { /* no receive length: done once accepted */
        op->status = STATUS_SUCCESS;
        return WSAIO_STEP_DONE;
    }
    op->stage = true;
    return WSAIO_STEP_MORE;
}

/* The accept socket is free again (its own reference stays with op until it is freed). */
static void accept_op__unclaim(struct wsaio_op *op)
{
    struct wsaio_op_ext *x = wsaio_op_x(op);
    struct wsaio_socket *listener = atomic_exchange(&x->acc->accepting, NULL);

    if (listener)
        wsaio_socket_release(listener);
}

static int accept_op__step(struct wsaio_op *op, long res)
{
    if (res == -ECONNABORTED) /* reset before it was accepted (api.md 4.23) */
        res = -ECONNRESET;
    if (res < 0) {
        op->status = wsaio_errno_to_status((int)-res);
        return WSAIO_STEP_ERROR;
    }
    if (op->stage) { /* the first data; 0: the client closed, still a success */
        op->done += (uint32_t)res;
        op->status = STATUS_SUCCESS;
        return WSAIO_STEP_DONE;
    }
    if (accept_op__local_too_small(op)) { /* a connection came; it stays queued */
        op->status = STATUS_BUFFER_TOO_SMALL;
        return WSAIO_STEP_ERROR;
    }
    return accept_op__connected(op, (int)res);
}

/* Also ends the claim on the accept socket when the operation ends here, not only when
 * its record is freed (a completion-port packet may keep it for long). */
int wsaio_accept_finish(struct wsaio_op *op, long res)
{
    int step = accept_op__step(op, res);

    if (step != WSAIO_STEP_MORE)
        accept_op__unclaim(op);
    return step;
}

void wsaio_accept_release(struct wsaio_op *op)
{
    struct wsaio_op_ext *x = wsaio_op_x(op);

    if (!x->acc)
        return;
    accept_op__unclaim(op); /* ended without finish(): cancelled, or refused at issue */
    wsaio_socket_release(x->acc);
}

int wsaio_accept_claim(struct wsaio_op *op, struct wsaio_socket *acc)
{
    struct wsaio_op_ext *x = wsaio_op_x(op);
    struct wsaio_socket *none = NULL;

    wsaio_socket_hold(op->sk);
    if (!atomic_compare_exchange_strong(&acc->accepting, &none, op->sk)) {
        wsaio_socket_release(op->sk);
        return -EINVAL;
    }
    acc->accepting_ov = op->ov;
    wsaio_socket_hold(acc);
    x->acc = acc;
    return 0;
}

bool wsaio_accept_pending(struct wsaio_socket *acc)
{
    return atomic_load(&acc->accepting) != NULL;
}

void wsaio_accept_abort(struct wsaio_socket *acc, bool deliver)
{
    struct wsaio_socket *listener = atomic_exchange(&acc->accepting, NULL);
    struct wsaio_cancel_match m = {.ov = acc->accepting_ov, .deliver = deliver};

    if (!listener)
        return;
    wsaio_cancel(listener, &m);
    wsaio_socket_release(listener);
}
