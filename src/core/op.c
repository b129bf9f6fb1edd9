/*
 * op.c - operation records, from two pools (pool.h), one per size class (op.h): a free
 * list refilled by the records that completed, trimmed when wsaio is idle and at
 * WSACleanup.
 */
#include "core/op.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/pool.h"

/* A heap array of buffers stays with its record while pooled up to this many entries, so
 * that calls with more than WSAIO_OP_LARGE_IOV buffers do not allocate either. */
#define KEPT_IOV 64
_Static_assert(WSAIO_OP_INLINE_IOV < WSAIO_OP_LARGE_IOV && WSAIO_OP_LARGE_IOV < KEPT_IOV, "");

static void op_release_large(void *rec)
{
    free(((struct wsaio_op_large *)rec)->x.iov_heap);
}

static struct wsaio_pool plain_pool = WSAIO_POOL_INIT(sizeof(struct wsaio_op), NULL);
static struct wsaio_pool large_pool =
    WSAIO_POOL_INIT(sizeof(struct wsaio_op_large), op_release_large);

/* Gives the extended record x room for nbufs (> WSAIO_OP_LARGE_IOV) buffers: its kept
 * heap array, or a new one. 0 or -ENOMEM. */
static int op_heap_iov(struct wsaio_op_ext *x, unsigned nbufs)
{
    unsigned cap = nbufs < KEPT_IOV ? KEPT_IOV : nbufs;

    if (x->iov_cap >= nbufs)
        return 0;
    free(x->iov_heap);
    x->iov_cap = 0;
    x->iov_heap = malloc(cap * sizeof(struct iovec));
    if (!x->iov_heap)
        return -ENOMEM;
    x->iov_cap = (uint16_t)cap;
    return 0;
}

static struct wsaio_op *op_alloc_large(unsigned nbufs)
{
    struct wsaio_op_large *l = wsaio_pool_get(&large_pool);

    if (!l)
        return NULL;
    /* The heap array and its size stay: they sit after what is cleared. */
    memset(&l->op, 0, offsetof(struct wsaio_op, iov_inline));
    memset(&l->x, 0, offsetof(struct wsaio_op_ext, iov_heap));
    l->op.large = true;
    l->op.iov = l->x.iov;
    if (nbufs <= WSAIO_OP_LARGE_IOV)
        return &l->op;
    if (nbufs > UINT16_MAX || op_heap_iov(&l->x, nbufs) < 0) { /* callers allow WSAIO_MAX_WSABUF */
        wsaio_op_free(&l->op);
        return NULL;
    }
    l->op.iov = l->x.iov_heap;
    return &l->op;
}

struct wsaio_op *wsaio_op_alloc(unsigned nbufs, bool ext)
{
    struct wsaio_op *op;

    if (ext || nbufs > WSAIO_OP_INLINE_IOV)
        return op_alloc_large(nbufs);
    op = wsaio_pool_get(&plain_pool);
    if (!op)
        return NULL;
    memset(op, 0, offsetof(struct wsaio_op, iov_inline));
    op->iov = op->iov_inline;
    return op;
}

void wsaio_op_free(struct wsaio_op *op)
{
    if (wsaio_opkind_of(op)->release)
        wsaio_opkind_of(op)->release(op);
    if (op->sk)
        wsaio_socket_release(op->sk);
    if (op->routine && op->ts)
        wsaio_tstate_put(op->ts);
    if (!op->large) {
        wsaio_pool_put(&plain_pool, op);
        return;
    }
    if (wsaio_op_x(op)->iov_cap > KEPT_IOV) { /* a rare giant: not kept */
        free(wsaio_op_x(op)->iov_heap);
        wsaio_op_x(op)->iov_heap = NULL;
        wsaio_op_x(op)->iov_cap = 0;
    }
    wsaio_pool_put(&large_pool, op);
}

size_t wsaio_op_size(bool large)
{
    return large ? sizeof(struct wsaio_op_large) : sizeof(struct wsaio_op);
}
