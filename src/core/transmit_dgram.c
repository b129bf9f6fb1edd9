/*
 * transmit_dgram.c - TransmitPackets on a connected datagram socket (api.md 4.30): the
 * elements, in order, become datagrams. A datagram gathers the elements' bytes until an
 * element with TP_ELEMENT_EOP ends, or the last one, or it holds the send size (nSendSize;
 * then the element goes on in the next datagram). It is described by an iovec in op->iov:
 * memory elements point at the program's buffers (no copy); a file part is read (pread)
 * into the record's buffer of WSAIO_TRANSMIT_DGRAM_MAX bytes, taken at the first one, since
 * sendfile cannot be told where one datagram ends. One sendmsg sends it whole or not at
 * all; a datagram the socket has no room for stays built until it has.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <mswsock.h>

#include "core/op.h"

/* Reads n bytes of the current file element into buf; the count read (fewer at the end
 * of the file), or -errno. */
static long transmit_dgram__read(struct wsaio_transmit *tf, char *buf, uint32_t n)
{
    uint32_t got = 0;

    while (got < n) {
        ssize_t r = pread(tf->file, buf + got, n - got, (off_t)tf->pos);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            break;
        got += (uint32_t)r;
        tf->pos += r;
    }
    return got;
}

/* Adds n bytes of the current element (tf.stage: HEAD memory, FILE file) to the datagram
 * of *len bytes in op->iov[0..*iovs), *filled bytes of it in tf.dg_buf; 0 or -errno. Marks
 * the element finished (stage TAIL) when it has no bytes left. */
static long transmit_dgram__add(struct wsaio_op *op, uint32_t n, uint32_t *len, uint16_t *iovs,
                                uint32_t *filled)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;
    const TRANSMIT_PACKETS_ELEMENT *e = &tf->el[tf->next - 1];
    struct iovec piece = {NULL, 0};

    if (tf->stage == WSAIO_TF_HEAD) {
        piece = (struct iovec){(char *)e->pBuffer + (e->cLength - tf->el_left), n};
        tf->el_left -= n;
    } else if (n) { /* n is 0 only for an empty element */
        long got;

        if (!tf->dg_buf && !(tf->dg_buf = malloc(WSAIO_TRANSMIT_DGRAM_MAX)))
            return -ENOBUFS;
        piece = (struct iovec){tf->dg_buf + *filled, n};
        if ((got = transmit_dgram__read(tf, piece.iov_base, n)) < 0)
            return got;
        /* A file shorter than asked ends the element at its end (as on a stream). */
        tf->file_left = (uint32_t)got < n ? 0 : tf->file_left - n;
        piece.iov_len = (size_t)got;
        *filled += (uint32_t)got;
    }
    if (tf->stage == WSAIO_TF_HEAD ? !tf->el_left : !tf->file_left)
        tf->stage = WSAIO_TF_TAIL;
    if (!piece.iov_len)
        return 0;
    /* Consecutive file parts are contiguous in dg_buf: one entry. */
    if (*iovs &&
        (char *)op->iov[*iovs - 1].iov_base + op->iov[*iovs - 1].iov_len == (char *)piece.iov_base)
        op->iov[*iovs - 1].iov_len += piece.iov_len;
    else if (*iovs == tf->iov_cap) /* more pieces than one sendmsg takes (api.md 5) */
        return -ENOBUFS;
    else
        op->iov[(*iovs)++] = piece;
    *len += (uint32_t)piece.iov_len;
    return 0;
}

/* Builds the next datagram (tf.dg_iovs, tf.dg_len: none when the elements are over or
 * the group was empty); 0 or -errno (-EMSGSIZE: more than WSAIO_TRANSMIT_DGRAM_MAX). */
static long transmit_dgram__build(struct wsaio_op *op)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;
    uint32_t len = 0, filled = 0, limit = tf->send_size ? tf->send_size : UINT32_MAX;
    uint16_t iovs = 0;
    long res;

    while (tf->stage != WSAIO_TF_END && len < limit) {
        uint32_t left, n;

        if (tf->stage == WSAIO_TF_TAIL) { /* between elements */
            if (tf->next >= tf->count) {
                tf->stage = WSAIO_TF_END;
                break;
            }
            if ((res = wsaio_transmit_load(op)) < 0)
                return res;
        }
        left = tf->stage == WSAIO_TF_HEAD ? tf->el_left : tf->file_left;
        n = left < limit - len ? left : limit - len;
        if (n > WSAIO_TRANSMIT_DGRAM_MAX - len)
            return -EMSGSIZE; /* as a send of that size (api.md 4.7) */
        if ((res = transmit_dgram__add(op, n, &len, &iovs, &filled)) < 0)
            return res;
        if (tf->stage == WSAIO_TF_TAIL && (tf->flags & WSAIO_TF_EOP))
            break; /* TP_ELEMENT_EOP: the datagram ends with this element */
    }
    tf->dg_iovs = iovs;
    tf->dg_len = len;
    return 0;
}

long wsaio_transmit_dgram_try(struct wsaio_op *op)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;

    for (;;) {
        struct msghdr msg = {.msg_iov = op->iov};
        ssize_t res;

        if (!tf->dg_iovs) {
            if (tf->stage == WSAIO_TF_END)
                return 0;
            if ((res = transmit_dgram__build(op)) < 0)
                return res;
            if (!tf->dg_iovs) /* an empty group of elements sends no datagram */
                continue;
        }
        msg.msg_iovlen = tf->dg_iovs;
        do
            res = sendmsg(op->sk->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
        while (res < 0 && errno == EINTR);
        if (res < 0)
            return -errno;
        op->done += tf->dg_len;
        tf->dg_iovs = 0;
        tf->dg_len = 0;
    }
}
