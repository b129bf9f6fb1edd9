/*
 * opkind.h - the table of operation kinds: everything that differs between a receive, a
 * send, a zero-length receive, an ioctl and an address-change request is one entry here,
 * and nothing outside opkind.c looks at which kind an operation is.
 *
 * The engine (engine.c) runs every kind the same way: try() at once; if it would block,
 * hand the kernel request the entry describes to the backend; when the backend reports,
 * finish() turns the result into done / more / error. A multi-step operation (a short
 * stream send, a partial MSG_WAITALL receive) keeps its stage in op->done and in the
 * msghdr's iovec window, which finish() advances.
 */
#ifndef WSAIO_CORE_OPKIND_H
#define WSAIO_CORE_OPKIND_H

#include <stdbool.h>
#include <stdint.h>

struct wsaio_op;

/* The most bytes one receive transfers (api.md 5 [Lib]): its total is cut there, so every
 * count fits recv's int. */
#define WSAIO_MAX_TRANSFER 0x7FFFFFFFu
/* The largest send (api.md 5 [Lib]): stream sends complete whole (api.md 4.7), so a send
 * whose count no DWORD holds is refused (WSAENOBUFS) rather than cut. */
#define WSAIO_MAX_SEND 0xFFFFFFFFu
_Static_assert(WSAIO_MAX_SEND <= UINT32_MAX, "op->total and op->done are 32-bit");

/* DisconnectEx's TF_REUSE_SOCKET, in op->kr.flags of a WSAIO_OP_DISCONNECT. */
#define WSAIO_DISCONNECT_REUSE 0x02

/* Index into wsaio_opkinds[], kept in op->kind (one byte: the record does not grow). */
enum wsaio_op_kind {
    WSAIO_OP_RECV,   /* recvmsg (WSARecvFrom too, with wsaio_op_x(op)->from) */
    WSAIO_OP_SEND,   /* sendmsg */
    WSAIO_OP_POLLIN, /* zero-length stream receive: completes, 0 bytes, when data is queued */
    WSAIO_OP_IOCTL,  /* WSAIoctl: completes during the call, never queued */
    WSAIO_OP_CHANGE, /* address-list / routing change request, held by netchange.c */
    /* ConnectEx: connect, then send the first buffer. The stage is in the msghdr: msg_name
     * (the extension's addr, core/op.h) is set while the connect is in progress and cleared
     * once connected. */
    WSAIO_OP_CONNECT,
    /* DisconnectEx: shutdown(SHUT_WR); with TF_REUSE_SOCKET (kept in kr.flags) it then
     * waits for the peer's end of stream and gives the socket a fresh kernel socket. */
    WSAIO_OP_DISCONNECT,
    WSAIO_OP_ACCEPT, /* AcceptEx: accept on the listener, then (op->stage) the first data */
    /* WSARecvMsg: a receive whose extension's fromlen is &WSAMSG.namelen; finish() writes the
     * WSAMSG's Control.len and dwFlags (WSASendMsg is a WSAIO_OP_SEND with control data). */
    WSAIO_OP_RECVMSG,
    /* TransmitFile (core/transmit_op.h): head, file (sendfile), tail, then the disconnect;
     * the stage is in the extension's tf (core/op.h). TransmitPackets too: each element in
     * turn as head or file. */
    WSAIO_OP_TRANSMIT,
    WSAIO_OP_KINDS
};

/* The queue an operation waits in (one operation per direction in the kernel). */
enum wsaio_op_dir { WSAIO_DIR_RECV, WSAIO_DIR_SEND, WSAIO_DIR_NONE };

/* What finish() (and the engine's immediate attempt) made of a result. */
enum wsaio_op_step { WSAIO_STEP_DONE, WSAIO_STEP_MORE, WSAIO_STEP_ERROR };

struct wsaio_opkind {
    const char *name;
    uint8_t dir;    /* enum wsaio_op_dir */
    uint8_t call;   /* enum wsaio_kcall (backend.h): the kernel request it becomes */
    uint64_t limit; /* bytes one call may ask for (the WSABUF total is clipped to it) */
    /* The system call, without blocking (socket lock held, descriptor open): bytes, the
     * revents mask (POLLIN kind; 0 when nothing is ready), or -errno (-EAGAIN: would
     * block). The engine's immediate attempt and the epoll backend's ready path both come
     * here: one system-call path. */
    long (*try_call)(struct wsaio_op *op);
    /* Describes the kernel request (op->kr) a backend is handed when try_call() would
     * block: descriptor, call, flags (set at issue), registration slot. */
    void (*prep)(struct wsaio_op *op);
    /* Accounts a result of try_call() or of the kernel: sets op->status when done or
     * failed, advances the stage when more is to be transferred. */
    int (*finish)(struct wsaio_op *op, long res);
    /* A failure after part of the operation was transferred is still a completion. */
    bool partial_completes;
    /* Drops what the kind holds beyond the record (wsaio_op_free), or NULL. */
    void (*release)(struct wsaio_op *op);
    /* Always an extended record (core/op.h): its stage or address lives there. */
    bool ext;
};

extern const struct wsaio_opkind wsaio_opkinds[WSAIO_OP_KINDS];

/* The status of a call that failed with -res on op's socket, with what the socket's own
 * state says about EPIPE (our shutdown, never connected); returns WSAIO_STEP_ERROR. */
int wsaio_opkind_failed(struct wsaio_op *op, long res);

/* DisconnectEx's call (shutdown(SHUT_WR) once; with reuse, once the peer's end of stream
 * came, a fresh kernel socket): 0, -EAGAIN to wait for the peer, or -errno. */
long wsaio_opkind_disconnect(struct wsaio_op *op, bool reuse);

/* op's entry. */
#define wsaio_opkind_of(op) (&wsaio_opkinds[(op)->kind])

#endif /* WSAIO_CORE_OPKIND_H */
