/*
 * op.c - the pool of operation records. Records are never returned to the system: a
 * free list under a mutex, refilled by the records that completed.
 */
#include "core/op.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wsaio_op *pool;

struct wsaio_op *wsaio_op_alloc(unsigned nbufs)
{
    struct wsaio_op *op;

    pthread_mutex_lock(&pool_lock);
    op = pool;
    if (op)
        pool = op->next;
    pthread_mutex_unlock(&pool_lock);
    if (!op && !(op = malloc(sizeof(*op))))
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
    pthread_mutex_lock(&pool_lock);
    op->next = pool;
    pool = op;
    pthread_mutex_unlock(&pool_lock);
}

size_t wsaio_op_size(void)
{
    return sizeof(struct wsaio_op);
}
