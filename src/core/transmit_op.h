/*
 * transmit_op.h - the TransmitFile kind of operation (api.md 4.28): its entry of the table
 * of kinds (opkind.c) and its stage, kept in the extended record (wsaio_op_x(op)->tf, core/op.h).
 *
 * Stages, in the socket's send queue (so that it keeps its place among the other sends):
 * the head buffer (op->iov[0]), the file, the tail buffer (op->iov[1]), then with
 * TF_DISCONNECT or TF_REUSE_SOCKET what DisconnectEx does. Every system call is made by
 * try() (the head and tail with sendmsg, the file with sendfile(2): page cache to socket
 * inside the kernel, no copy through user space); the kernel request only waits for room
 * to send (WSAIO_KCALL_WRITABLE) or, to reuse the socket, for the peer's end of stream
 * (WSAIO_KCALL_DISCONNECT). try() returns 0 once every stage is done, so a positive
 * result is always a readiness report.
 *
 * TransmitPackets (api.md 4.30) is the same kind with WSAIO_TF_PACKETS: the program's
 * element array stays its own (valid until completion, as on Windows), and the stage keeps
 * a pointer and the index of the next element. Each element in turn becomes the head (a
 * memory element: op->iov[0]) or the file (a file element: a descriptor of its own, opened
 * by the api layer's function the stage holds, since core sees no file handles); once both
 * are empty the tail stage loads the next element, and after the last one the end stage
 * runs. The tail buffer is never used.
 *
 * On a connected datagram socket (WSAIO_TF_DGRAM, api.md 4.30) the elements become
 * datagrams instead (transmit_dgram.c): each is gathered, up to a TP_ELEMENT_EOP element,
 * the last element or the send size, into an iovec over the program's buffers in op->iov
 * (memory elements are not copied; file parts are read into a bounded buffer of the
 * record's, as a datagram cannot be spliced in parts), and goes out with one sendmsg.
 *
 * Linux has no per-call non-blocking flag for sendfile, so on a socket in blocking mode
 * the descriptor is lent O_NONBLOCK for each sendfile call, unseen by the program
 * (core/nonblock.h).
 */
#ifndef WSAIO_CORE_TRANSMIT_OP_H
#define WSAIO_CORE_TRANSMIT_OP_H

#include <stdint.h>

struct wsaio_op;

enum wsaio_transmit_stage {
    WSAIO_TF_HEAD,
    WSAIO_TF_FILE,
    WSAIO_TF_TAIL,
    WSAIO_TF_END, /* the disconnect (and reuse), when asked for */
};

/* The most one TransmitFile or TransmitPackets sends (Windows' own limit for TransmitFile;
 * every count then fits op->done). */
#define WSAIO_TRANSMIT_MAX 0x7FFFFFFEu

/* TransmitFile's dwFlags as kept in the stage. */
#define WSAIO_TF_DISCONNECT 0x01
#define WSAIO_TF_REUSE      0x02
/* No OVERLAPPED (or a TransmitPackets file element from the file pointer): the file
 * pointer ends after the bytes sent (api.md 4.28, 4.30). */
#define WSAIO_TF_SEEK 0x04
/* TransmitPackets: the elements at tf.el. */
#define WSAIO_TF_PACKETS 0x08
/* TransmitPackets: the current element has TP_ELEMENT_EOP (no MSG_MORE after it). */
#define WSAIO_TF_EOP 0x10
/* TransmitPackets on a datagram socket: datagrams (transmit_dgram.c). */
#define WSAIO_TF_DGRAM 0x20

/* The largest datagram TransmitPackets builds (the UDP length field's limit): its bound
 * buffer's size; the kernel refuses what is above its own limit (EMSGSIZE). */
#define WSAIO_TRANSMIT_DGRAM_MAX 65535u

/* The api layer's file opener (win32/file.h wsaio_file_dup): a descriptor (>= 3) of its
 * own for the file handle h in *fd and the file pointer in *pos; 0 or -errno. */
typedef int (*wsaio_transmit_open_fn)(void *h, int *fd, int64_t *pos);

struct wsaio_transmit {
    int64_t pos;        /* file offset of the next byte to send */
    uint32_t file_left; /* file bytes still to send */
    int file;           /* the record's own descriptor of the file (>= 3), or 0: none */
    uint8_t stage;      /* enum wsaio_transmit_stage */
    uint8_t flags;      /* WSAIO_TF_* */
    /* TransmitPackets only: */
    uint32_t count, next; /* elements, and the index of the next one to load */
    const struct _TRANSMIT_PACKETS_ELEMENT *el; /* the program's TRANSMIT_PACKETS_ELEMENT array */
    wsaio_transmit_open_fn open;                /* opens a file element's handle */
    /* TransmitPackets on a datagram socket only: */
    uint32_t el_left;   /* bytes of the current memory element not yet in a datagram */
    uint32_t send_size; /* the most bytes per datagram (nSendSize), or 0: no limit */
    uint32_t dg_len;    /* bytes of the datagram built and not yet sent */
    uint16_t dg_iovs;   /* its entries in op->iov, or 0: none built */
    uint16_t iov_cap;   /* entries op->iov holds */
    char *dg_buf;       /* WSAIO_TRANSMIT_DGRAM_MAX bytes for file parts, or NULL */
};

/* Makes the next element (tf.next) the current one: a memory element the head's buffer
 * (with WSAIO_TF_DGRAM: tf.el_left), a file element the file stage, its descriptor open;
 * 0 or -errno. */
long wsaio_transmit_load(struct wsaio_op *op);

/* try() of a datagram socket's TransmitPackets (WSAIO_TF_DGRAM): builds and sends the
 * datagrams in turn; 0 once all are sent, or -errno (-EAGAIN: no room to send). */
long wsaio_transmit_dgram_try(struct wsaio_op *op);

/* The table entry's functions (opkind.h describes each). */
long wsaio_transmit_try(struct wsaio_op *op);
void wsaio_transmit_prep(struct wsaio_op *op);
int wsaio_transmit_finish(struct wsaio_op *op, long res);
void wsaio_transmit_release(struct wsaio_op *op);

#endif /* WSAIO_CORE_TRANSMIT_OP_H */
