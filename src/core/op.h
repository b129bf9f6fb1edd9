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

#include <sys/socket.h>
#include <sys/uio.h>

#include "core/port.h"
#include "core/socket.h"
#include "sync/thread.h"

#define WSAIO_OP_INLINE_IOV 8

enum wsaio_op_kind {
    WSAIO_OP_RECV,   /* recvmsg */
    WSAIO_OP_SEND,   /* sendmsg */
    WSAIO_OP_POLLIN, /* zero-length stream receive: completes, 0 bytes, when data is queued */
};

enum wsaio_op_state {
    WSAIO_OP_QUEUED, /* waiting behind the head of its queue */
    WSAIO_OP_KERNEL, /* submitted to the backend */
    WSAIO_OP_DONE,
};

struct wsaio_op {
    struct wsaio_apc apc; /* completion-routine delivery */
    struct wsaio_op *next;
    struct wsaio_socket *sk; /* record reference held */
    LPWSAOVERLAPPED ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    struct wsaio_tstate *ts; /* issuing thread, reference held, when routine != NULL */
    HANDLE event;            /* hEvent & ~1, or NULL */
    uint8_t kind, state;
    /* Stored with release before the kernel gets the record and loaded with acquire when
     * it comes back: the kernel orders the two for real; this makes the order visible to
     * ThreadSanitizer, which cannot see through io_uring. */
    _Atomic uint32_t handoff;
    bool cancel_requested; /* closesocket asked the backend to cancel it */
    bool silent;           /* WSACleanup: end without any indication */
    bool waitall;          /* stream MSG_WAITALL: complete only when full (or EOF) */
    int flags;             /* Linux MSG_* flags for the system call */
    uint32_t total, done;  /* bytes requested / transferred so far */
    NTSTATUS status;       /* final status, set just before delivery */
    struct sockaddr *from; /* WSARecvFrom: written at completion */
    int *fromlen;
    struct msghdr msg;
    struct sockaddr_storage addr;
    struct iovec *iov; /* iov_inline, or iov_heap for more buffers */
    struct iovec iov_inline[WSAIO_OP_INLINE_IOV];
    /* Not cleared on reuse: the heap array is kept with the pooled record (op.c). */
    struct iovec *iov_heap;
    unsigned iov_cap;
    struct wsaio_packet packet; /* its completion-port packet (core/port.h): no allocation */
};

/* A zeroed record with room for nbufs buffers; NULL when out of memory. */
struct wsaio_op *wsaio_op_alloc(unsigned nbufs);

/* Returns a record to the pool, dropping its socket and thread references. */
void wsaio_op_free(struct wsaio_op *op);

/* Bytes of memory one pending operation costs (reported by the benchmarks). */
size_t wsaio_op_size(void);

#endif /* WSAIO_CORE_OP_H */
