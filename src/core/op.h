/*
 * op.h - one record per overlapped operation, from a pool (no allocation per operation
 * once the pool is warm).
 *
 * The record holds everything the kernel and the completion path need, copied at issue
 * time: the converted buffers (a WSABUF array may be reused by the program as soon as the
 * call returns, api.md 5), the msghdr, the address storage, the OVERLAPPED pointer, the
 * event (hEvent with bit 0 cleared) or the completion routine and its thread. Once the
 * completion has been delivered, nothing of the program's is touched again.
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

#define WSAIO_OP_INLINE_IOV 8

/* The most control data one WSASendMsg carries (api.md 4.29 [Lib]): what the record's
 * address storage has left after the largest destination, so the record does not grow. */
#define WSAIO_MSG_CONTROL_MAX 96

enum wsaio_op_state {
    WSAIO_OP_QUEUED, /* waiting behind the head of its queue */
    WSAIO_OP_KERNEL, /* submitted to the backend */
    WSAIO_OP_DONE,
};

struct wsaio_op {
    union {
        struct wsaio_apc apc;  /* completion-routine delivery, once out of its queue */
        struct wsaio_op *next; /* queue link, while queued (never both: apc.next's place) */
    };
    struct wsaio_socket *sk; /* record reference held */
    LPWSAOVERLAPPED ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    struct wsaio_tstate *ts; /* issuing thread, reference held, when routine != NULL */
    HANDLE event;            /* hEvent & ~1, or NULL */
    union {
        struct {
            struct sockaddr *from; /* WSARecvFrom: written at completion */
            int *fromlen;
        };
        struct {                      /* AcceptEx (core/accept_op.h) */
            struct wsaio_socket *acc; /* the accept socket, record reference held */
            uint32_t local, remote;   /* its address area sizes */
        };
    };
    uint32_t total, done; /* bytes requested / transferred so far */
    NTSTATUS status;      /* final status, set just before delivery */
    int32_t tid;          /* issuing thread (wsaio_self_tid()): what CancelIo matches */
    /* Stored with release before the kernel gets the record and loaded with acquire when
     * it comes back: the kernel orders the two for real; this makes the order visible to
     * ThreadSanitizer, which cannot see through io_uring. */
    _Atomic uint32_t handoff;
    uint16_t iov_cap;          /* entries of iov_heap (<= WSAIO_MAX_WSABUF): kept on reuse */
    uint8_t state;             /* enum wsaio_op_state */
    uint8_t kind : 4;          /* enum wsaio_op_kind (opkind.h) */
    bool cancel_requested : 1; /* a cancel asked the backend to cancel it */
    bool silent : 1;           /* WSACleanup: end without any indication */
    bool waitall : 1;          /* stream MSG_WAITALL: complete only when full (or EOF) */
    /* A two-step kind's second step (AcceptEx: its receive). It waits aside from its
     * socket's queue (sk->aside), so the queue moves on meanwhile (engine.c). */
    bool stage : 1;
    /* What a backend sees (backend.h): the message, read as op->msg by the engine. */
    union {
        struct msghdr msg;
        struct wsaio_kreq kr;
    };
    union {
        struct sockaddr_storage addr;
        struct { /* WSASendMsg: its destination, then its control data (api/msg_control.h) */
            struct sockaddr_in6 name;
            uint64_t ctl[WSAIO_MSG_CONTROL_MAX / sizeof(uint64_t)];
        } m;
        struct wsaio_transmit tf; /* TransmitFile's stage (core/transmit_op.h) */
    };
    struct iovec *iov; /* iov_inline, or iov_heap for more buffers */
    struct iovec iov_inline[WSAIO_OP_INLINE_IOV];
    /* Not cleared on reuse: the heap array is kept with the pooled record (op.c). */
    struct iovec *iov_heap;
    struct wsaio_packet packet; /* its completion-port packet (core/port.h): no allocation */
};
_Static_assert(WSAIO_OP_KINDS <= 16, "op->kind is 4 bits");
_Static_assert(sizeof(((struct wsaio_op *)0)->m) == sizeof(struct sockaddr_storage),
               "WSASendMsg's control data lives in the address storage");
#if defined(__x86_64__) && defined(__GLIBC__)
/* A pending operation's memory is a documented figure (the benchmarks report it): 456
 * bytes, plus the completion-port packet (40) since ports came. */
_Static_assert(sizeof(struct wsaio_op) <= 496, "struct wsaio_op grew");
#endif

/* A zeroed record with room for nbufs buffers; NULL when out of memory. */
struct wsaio_op *wsaio_op_alloc(unsigned nbufs);

/* Returns a record to the pool, dropping its socket and thread references. */
void wsaio_op_free(struct wsaio_op *op);

/* Bytes of memory one pending operation costs (reported by the benchmarks). */
size_t wsaio_op_size(void);

#endif /* WSAIO_CORE_OP_H */
