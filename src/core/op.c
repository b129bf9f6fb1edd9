/*
 * op.c - operation records, from a pool (pool.h): a free list refilled by the records
 * that completed, trimmed when wsaio is idle and at WSACleanup.
 */
#include "core/op.h"

#include <stdlib.h>
#include <string.h>

#include "core/pool.h"

static struct wsaio_pool pool = WSAIO_POOL_INIT(sizeof(struct wsaio_op));

struct wsaio_op *wsaio_op_alloc(unsigned nbufs)
{
    struct wsaio_op *op = wsaio_pool_get(&pool);

    if (!op)
        return NULL;
    memset(op, 0, offsetof(struct wsaio_op, iov_inline));
    op->iov = op->iov_inline;
    if (nbufs > WSAIO_OP_INLINE_IOV && !(op->iov = malloc(nbufs * sizeof(struct iovec)))) {
        op->iov = op->iov_inline;
        wsaio_op_free(op);
        return NULL;
    }
    return op;
}

void wsaio_op_free(struct wsaio_op *op)
{
    if (op->iov != op->iov_inline)
        free(op->iov);
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
