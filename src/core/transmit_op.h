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

/* TransmitFile's dwFlags as kept in the stage. */
#define WSAIO_TF_DISCONNECT 0x01
#define WSAIO_TF_REUSE      0x02
/* No OVERLAPPED: the file pointer ends after the bytes sent (api.md 4.28). */
#define WSAIO_TF_SEEK 0x04

struct wsaio_transmit {
    int64_t pos;        /* file offset of the next byte to send */
    uint32_t file_left; /* file bytes still to send */
    int file;           /* the record's own descriptor of the file (>= 3), or 0: none */
    uint8_t stage;      /* enum wsaio_transmit_stage */
    uint8_t flags;      /* WSAIO_TF_* */
};

/* The table entry's functions (opkind.h describes each). */
long wsaio_transmit_try(struct wsaio_op *op);
void wsaio_transmit_prep(struct wsaio_op *op);
int wsaio_transmit_finish(struct wsaio_op *op, long res);
void wsaio_transmit_release(struct wsaio_op *op);

#endif /* WSAIO_CORE_TRANSMIT_OP_H */
