/*
 * transmit_op.c - the TransmitFile kind of operation, TransmitPackets' too (transmit_op.h).
 */
#include "core/transmit_op.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mswsock.h>

#include "core/nonblock.h"
#include "core/op.h"

/* The most one sendfile call moves (Linux's own limit per call). */
#define TRANSMIT_CHUNK 0x7FFFF000u

/* -errno of a failed call (EWOULDBLOCK as -EAGAIN), or res. */
static long transmit_op__result(long res, int err)
{
    if (res >= 0)
        return res;
    return err == EWOULDBLOCK ? -EAGAIN : -err;
}

/* Sends what it can of the buffer v, without blocking; MSG_MORE while the file or the
 * tail follows, so that the head and the first file bytes share segments. */
static long transmit_op__send(struct wsaio_op *op, struct iovec *v, bool more)
{
    struct msghdr msg = {.msg_iov = v, .msg_iovlen = 1};
    long res;

    do
        res = sendmsg(op->sk->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL | (more ? MSG_MORE : 0));
    while (res < 0 && errno == EINTR);
    return transmit_op__result(res, errno);
}

/*
 * Sends what it can of the file, page cache to socket inside the kernel. sendfile has no
 * per-call MSG_DONTWAIT nor MSG_NOSIGNAL: the descriptor is non-blocking for the call
 * (transmit_op.h), and SIGPIPE is blocked in this thread meanwhile; a SIGPIPE the call
 * raised is taken back (Windows has none), also when the thread blocks SIGPIPE itself,
 * unless one of the program's own was pending already (then both are left).
 */
static long transmit_op__sendfile(struct wsaio_op *op)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;
    int fd = op->sk->fd, fl, err;
    size_t n = tf->file_left < TRANSMIT_CHUNK ? tf->file_left : TRANSMIT_CHUNK;
    off_t pos = (off_t)tf->pos;
    sigset_t pipe_set, old, pending;
    bool had_pipe = false;
    long res;

    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    /* Only a thread that blocks SIGPIPE can hold one of the program's pending. */
    if (sigismember(&old, SIGPIPE) && sigpending(&pending) == 0)
        had_pipe = sigismember(&pending, SIGPIPE);
    fl = wsaio_nonblock_lend(op->sk);
    do
        res = sendfile(fd, tf->file, &pos, n);
    while (res < 0 && errno == EINTR);
    err = errno;
    wsaio_nonblock_return(op->sk, fl);
    if (res < 0 && err == EPIPE && !had_pipe) {
        struct timespec zero = {0, 0};

        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (res > 0)
        tf->pos = (int64_t)pos;
    return transmit_op__result(res, err);
}

/* The stage's buffer: the head or the tail. */
static struct iovec *transmit_op__buffer(struct wsaio_op *op)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;

    return &op->iov[tf->stage == WSAIO_TF_HEAD ? 0 : 1];
}

/* Moves the buffer v past n sent bytes. */
static void transmit_op__sent(struct wsaio_op *op, struct iovec *v, size_t n)
{
    v->iov_base = (char *)v->iov_base + n;
    v->iov_len -= n;
    op->done += (uint32_t)n;
}

/* Whether bytes follow the head's buffer, so that they may share its segments (MSG_MORE).
 * For TransmitPackets only the next element's cLength tells, without a system call: a
 * file element to the end of its file may be empty, and a send held back by MSG_MORE with
 * nothing after it would wait for the kernel's timer. */
static bool transmit_op__more(struct wsaio_op *op)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;
    const TRANSMIT_PACKETS_ELEMENT *e;

    if (tf->stage != WSAIO_TF_HEAD)
        return false;
    if (!(tf->flags & WSAIO_TF_PACKETS))
        return tf->file_left || op->iov[1].iov_len;
    if ((tf->flags & WSAIO_TF_EOP) || tf->next >= tf->count)
        return false;
    e = &tf->el[tf->next];
    return e->cLength != 0;
}

/* Closes the record's descriptor of the file, if open. */
static void transmit_op__close(struct wsaio_transmit *tf)
{
    if (tf->file >= 3)
        close(tf->file);
    tf->file = 0;
}

/* Done with the file stage's descriptor: the file pointer follows the bytes sent when they
 * were sent from it (WSAIO_TF_SEEK). */
static void transmit_op__file_done(struct wsaio_op *op)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;

    if ((tf->flags & WSAIO_TF_SEEK) && tf->file >= 3)
        lseek(tf->file, (off_t)tf->pos, SEEK_SET);
    tf->flags &= (uint8_t)~WSAIO_TF_SEEK;
    transmit_op__close(tf);
}

/* A file element is the file (cLength 0: to its end, within WSAIO_TRANSMIT_MAX in all;
 * nFileOffset -1: from its file pointer, which then follows). */
long wsaio_transmit_load(struct wsaio_op *op)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;
    const TRANSMIT_PACKETS_ELEMENT *e = &tf->el[tf->next++];
    struct stat st;
    int64_t pos;
    int fd, err;

    tf->flags &= (uint8_t)~WSAIO_TF_EOP;
    if (e->dwElFlags & TP_ELEMENT_EOP)
        tf->flags |= WSAIO_TF_EOP;
    if (e->dwElFlags & TP_ELEMENT_MEMORY) {
        if (tf->flags & WSAIO_TF_DGRAM)
            tf->el_left = e->cLength;
        else
            op->iov[0] = (struct iovec){e->pBuffer, e->cLength};
        tf->stage = WSAIO_TF_HEAD;
        return 0;
    }
    transmit_op__file_done(op);
    if ((err = tf->open(e->hFile, &fd, &pos)) < 0)
        return err;
    tf->file = fd;
    if (e->nFileOffset.QuadPart == -1)
        tf->flags |= WSAIO_TF_SEEK;
    else
        pos = e->nFileOffset.QuadPart;
    tf->pos = pos;
    tf->file_left = e->cLength;
    if (!e->cLength) { /* counted now: the call counted the elements of known length */
        uint32_t room = WSAIO_TRANSMIT_MAX - op->total;

        if (fstat(fd, &st) != 0)
            return -errno;
        if (st.st_size > pos)
            tf->file_left =
                (uint64_t)(st.st_size - pos) < room ? (uint32_t)(st.st_size - pos) : room;
        op->total += tf->file_left;
    }
    tf->stage = WSAIO_TF_FILE;
    return 0;
}

long wsaio_transmit_try(struct wsaio_op *op)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;

    if (tf->flags & WSAIO_TF_DGRAM)
        return wsaio_transmit_dgram_try(op);
    for (;;) {
        struct iovec *v;
        long res;

        switch (tf->stage) {
        case WSAIO_TF_HEAD:
        case WSAIO_TF_TAIL:
            v = transmit_op__buffer(op);
            if (v->iov_len) {
                res = transmit_op__send(op, v, transmit_op__more(op));
                if (res < 0)
                    return res;
                transmit_op__sent(op, v, (size_t)res);
            } else if (tf->stage == WSAIO_TF_TAIL && tf->next < tf->count) {
                if ((res = wsaio_transmit_load(op)) < 0)
                    return res;
            } else {
                tf->stage++;
            }
            continue;
        case WSAIO_TF_FILE:
            if (!tf->file_left) {
                tf->stage++;
                continue;
            }
            res = transmit_op__sendfile(op);
            if (res < 0)
                return res;
            if (res == 0) /* end of file: the file is shorter than asked */
                tf->file_left = 0;
            tf->file_left -= (uint32_t)res;
            op->done += (uint32_t)res;
            continue;
        default:
            if (!(tf->flags & (WSAIO_TF_DISCONNECT | WSAIO_TF_REUSE)))
                return 0;
            return wsaio_opkind_disconnect(op, tf->flags & WSAIO_TF_REUSE);
        }
    }
}

void wsaio_transmit_prep(struct wsaio_op *op)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;

    op->kr.fd = op->sk->fd;
    op->kr.reg = &op->sk->backend_data;
    /* Once the data is out, only a reuse waits: for the peer's end of stream. A datagram
     * socket's last datagram may still wait for room after its elements (no reuse there). */
    op->kr.call = tf->stage == WSAIO_TF_END && !(tf->flags & WSAIO_TF_DGRAM)
                      ? WSAIO_KCALL_DISCONNECT
                      : WSAIO_KCALL_WRITABLE;
    op->kr.flags = 0;
}

int wsaio_transmit_finish(struct wsaio_op *op, long res)
{
    if (res > 0) /* the kernel's readiness report: try() goes on */
        return WSAIO_STEP_MORE;
    /* Ends here (before the delivery the caller waits for): the file pointer follows. */
    transmit_op__file_done(op);
    if (res < 0)
        return wsaio_opkind_failed(op, res);
    op->status = STATUS_SUCCESS;
    return WSAIO_STEP_DONE;
}

void wsaio_transmit_release(struct wsaio_op *op)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;

    transmit_op__close(tf);
    free(tf->dg_buf);
    tf->dg_buf = NULL;
}
