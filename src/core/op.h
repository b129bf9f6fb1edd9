/*
 * op.h - one record per overlapped operation, from a pool (no allocation per operation
 * once the pool is warm).
 *
 * The record holds everything the kernel and the completion path need, copied at issue
 * time: the converted buffers (a WSABUF array may be reused by the program as soon as the
 * call returns, api.md 5), the msghdr, the OVERLAPPED pointer, the event (hEvent with bit
 * 0 cleared) or the completion routine and its thread. Once the completion has been
 * delivered, nothing of the program's is touched again.
 *
 * Two size classes, each from its own pool, chosen when the record is taken (the caller
 * knows the kind): the plain record (struct wsaio_op, 184 bytes: a 192-byte heap block)
 * for the common operation, at most WSAIO_OP_INLINE_IOV buffers and no address, control
 * data or stage of its own; the extended record (struct wsaio_op_large) adds what the
 * other kinds need (struct wsaio_op_ext): an address, WSASendMsg's control data,
 * TransmitFile's or AcceptEx's stage, more buffers. op->large says which, and
 * wsaio_op_x() reaches the extension.
 *
 * Fields live only while they are used, so the dead ones share a place: the kernel
 * request is over once delivery starts (engine.c delivers only what the backend has
 * reported), and only then is the completion-port packet or the APC link written; an
 * operation has either a routine (and its thread) or an event.
 */
#ifndef WSAIO_CORE_OP_H
#define WSAIO_CORE_OP_H

#include <assert.h> /* the engine's invariants (engine.c, loop.c) */
#include <sys/socket.h>
#include <sys/uio.h>

#include "backend/backend.h"
#include "core/opkind.h"
#include "core/port.h"
#include "core/socket.h"
#include "core/transmit_op.h"
#include "sync/thread.h"

#define WSAIO_OP_INLINE_IOV 2 /* buffers a plain record holds */
#define WSAIO_OP_LARGE_IOV  8 /* buffers an extended record holds without a heap array */

/* The most control data one WSASendMsg carries (api.md 4.29 [Lib]): what the record's
 * address storage has left after the largest destination, so the record does not grow. */
#define WSAIO_MSG_CONTROL_MAX 96

enum wsaio_op_state {
    WSAIO_OP_QUEUED, /* waiting behind the head of its queue */
    WSAIO_OP_KERNEL, /* submitted to the backend */
    WSAIO_OP_DONE,
};

struct wsaio_op {
    struct wsaio_op *next;   /* queue link, while queued (the pool's link while pooled) */
    struct wsaio_socket *sk; /* record reference held */
    LPWSAOVERLAPPED ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    union {
        struct wsaio_tstate *ts; /* issuing thread, reference held, when routine != NULL */
        HANDLE event;            /* hEvent & ~1, or NULL, when routine == NULL */
    };
    uint32_t total, done; /* bytes requested / transferred so far */
    NTSTATUS status;      /* final status, set just before delivery */
    int32_t tid;          /* issuing thread (wsaio_self_tid()): what CancelIo matches */
    /* Stored with release before the kernel gets the record and loaded with acquire when
     * it comes back: the kernel orders the two for real; this makes the order visible to
     * ThreadSanitizer, which cannot see through io_uring. */
    _Atomic uint32_t handoff;
    uint8_t state;             /* enum wsaio_op_state */
    uint8_t kind : 4;          /* enum wsaio_op_kind (opkind.h) */
    bool cancel_requested : 1; /* a cancel asked the backend to cancel it */
    bool silent : 1;           /* WSACleanup: end without any indication */
    bool waitall : 1;          /* stream MSG_WAITALL: complete only when full (or EOF) */
    /* A two-step kind's second step (AcceptEx: its receive). It waits aside from its
     * socket's queue (sk->aside), so the queue moves on meanwhile (engine.c). */
    bool stage : 1;
    bool large; /* an extended record (struct wsaio_op_large): its class, for life */
    union {
        /* What a backend sees (backend.h): the message, read as op->msg by the engine.
         * Until delivery. */
        struct msghdr msg;
        struct wsaio_kreq kr;
        /* From delivery on, one of these: */
        struct wsaio_packet packet; /* its completion-port packet (core/port.h) */
        struct wsaio_apc apc;       /* completion-routine delivery */
    };
    struct iovec *iov; /* iov_inline, the extension's, or its heap array */
    struct iovec iov_inline[WSAIO_OP_INLINE_IOV];
};

/* What the extended record adds. */
struct wsaio_op_ext {
    union {
        struct {
            struct sockaddr *from; /* WSARecvFrom, WSARecvMsg: written at completion */
            int *fromlen;
        };
        struct {                      /* AcceptEx (core/accept_op.h) */
            struct wsaio_socket *acc; /* the accept socket, record reference held */
            uint32_t local, remote;   /* its address area sizes */
        };
    };
    union {
        struct sockaddr_storage addr; /* msg_name of a WSARecvFrom, WSASendTo, ConnectEx */
        struct { /* WSASendMsg: its destination, then its control data (api/msg_control.h) */
            struct sockaddr_in6 name;
            uint64_t ctl[WSAIO_MSG_CONTROL_MAX / sizeof(uint64_t)];
        } m;
        struct wsaio_transmit tf; /* TransmitFile's stage (core/transmit_op.h) */
    };
    /* Not cleared on reuse: the heap array is kept with the pooled record (op.c). */
    struct iovec *iov_heap;
    uint16_t iov_cap; /* entries of iov_heap (<= WSAIO_MAX_WSABUF) */
    struct iovec iov[WSAIO_OP_LARGE_IOV];
};

struct wsaio_op_large {
    struct wsaio_op op; /* first: a struct wsaio_op * is one of these when op->large */
    struct wsaio_op_ext x;
};

_Static_assert(WSAIO_OP_KINDS <= 16, "op->kind is 4 bits");
_Static_assert(sizeof(((struct wsaio_op_ext *)0)->m) == sizeof(struct sockaddr_storage),
               "WSASendMsg's control data lives in the address storage");
#if defined(__x86_64__) && defined(__GLIBC__)
/* A pending operation's memory is a documented figure (the benchmarks report it): a plain
 * record fits glibc's 192-byte block (the size plus an 8-byte header, in 16-byte steps);
 * an extended one never costs more than the one class of old did. */
_Static_assert(sizeof(struct wsaio_op) <= 184, "struct wsaio_op grew");
_Static_assert(sizeof(struct wsaio_op_large) <= 496, "struct wsaio_op_large grew");
#endif

/* op's extension; op must be an extended record. */
static inline struct wsaio_op_ext *wsaio_op_x(const struct wsaio_op *op)
{
    assert(op->large);
    return &((struct wsaio_op_large *)(uintptr_t)op)->x;
}

/* A zeroed record with room for nbufs buffers, extended when ext or when nbufs needs it;
 * NULL when out of memory. */
struct wsaio_op *wsaio_op_alloc(unsigned nbufs, bool ext);

/* Returns a record to the pool, dropping its socket and thread references. */
void wsaio_op_free(struct wsaio_op *op);

/* Bytes of memory one pending operation costs (reported by the benchmarks): a plain
 * record, or an extended one (large). */
size_t wsaio_op_size(bool large);

#endif /* WSAIO_CORE_OP_H */
