/*
 * op.c - operation records, from a pool (pool.h): a free list refilled by the records
 * that completed, trimmed when wsaio is idle and at WSACleanup.
 */
#include "core/op.h"

#include <stdlib.h>
#include <string.h>

#include "base/pool.h"

/* A heap array of buffers stays with its record while pooled up to this many entries, so
 * that calls with more than WSAIO_OP_INLINE_IOV buffers do not allocate either. */
#define KEPT_IOV 64
_Static_assert(WSAIO_OP_INLINE_IOV < KEPT_IOV, "");

static void op_release(void *rec)
{
    free(((struct wsaio_op *)rec)->iov_heap);
}

static struct wsaio_pool pool = WSAIO_POOL_INIT(sizeof(struct wsaio_op), op_release);

struct wsaio_op *wsaio_op_alloc(unsigned nbufs)
{
    struct wsaio_op *op = wsaio_pool_get(&pool);
    uint16_t kept;

    if (!op)
        return NULL;
    kept = op->iov_cap; /* with iov_heap, which the memset leaves alone */
    memset(op, 0, offsetof(struct wsaio_op, iov_inline));
    op->iov_cap = kept;
    op->iov = op->iov_inline;
    if (nbufs <= WSAIO_OP_INLINE_IOV)
        return op;
    if (nbufs > UINT16_MAX) { /* callers allow WSAIO_MAX_WSABUF */
        wsaio_op_free(op);
        return NULL;
    }
    if (op->iov_cap < nbufs) {
        unsigned cap = nbufs < KEPT_IOV ? KEPT_IOV : nbufs;

        free(op->iov_heap);
        op->iov_cap = 0;
        op->iov_heap = malloc(cap * sizeof(struct iovec));
        if (!op->iov_heap) {
            wsaio_op_free(op);
            return NULL;
        }
        op->iov_cap = (uint16_t)cap;
    }
    op->iov = op->iov_heap;
    return op;
}

void wsaio_op_free(struct wsaio_op *op)
{
    if (op->iov_cap > KEPT_IOV) { /* a rare giant: not kept */
        free(op->iov_heap);
        op->iov_heap = NULL;
        op->iov_cap = 0;
    }
    if (wsaio_opkind_of(op)->release)
        wsaio_opkind_of(op)->release(op);
    if (op->sk)
        wsaio_socket_release(op->sk);
    if (op->ts)
        wsaio_tstate_put(op->ts);
    wsaio_pool_put(&pool, op);
}

size_t wsaio_op_size(void)
{
    return sizeof(struct wsaio_op);
}
