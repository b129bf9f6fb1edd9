/*
 * port.c - I/O completion port objects (port.h, api.md 2.4, 4.17 to 4.21).
 *
 * The port's lock guards its FIFO and closed flag; it is a leaf (nothing is locked inside
 * it) and may be taken under a socket's lock, where completions are delivered. The
 * waitable is a manual-reset one, signalled exactly while packets are queued or the port
 * is closed: it is set and reset under the lock, so a waiter that wakes and finds nothing
 * (another waiter took the packet) simply waits again.
 */
#include "core/port.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

#include "base/lockorder.h"
#include "base/error.h"
#include "base/fifo.h"
#include "base/pool.h"
#include "core/op.h"
#include "core/loop.h"
#include "sync/event.h"

/* Posted packets queued at once, over all ports: beyond this a post fails with
 * ERROR_NOT_ENOUGH_MEMORY instead of growing without bound. */
#define MAX_POSTED (1u << 20)

struct wsaio_port {
    struct wsaio_event ev; /* first: a waitable behind a handle, as the wait engine sees it */
    pthread_mutex_t lock;  /* guards the fields below */
    struct wsaio_packet *head, *tail;
    bool closed;
    DWORD concurrency; /* advisory on Linux (api.md 4.17): kept, not enforced */
};

static struct wsaio_pool posted_pool = WSAIO_POOL_INIT(sizeof(struct wsaio_packet), NULL);
static _Atomic uint32_t posted_count;

size_t wsaio_port_packet_size(void)
{
    return sizeof(struct wsaio_packet);
}

/* Frees a list of packets taken off a port (no lock held). */
static void free_packets(struct wsaio_packet *p)
{
    while (p) {
        struct wsaio_packet *next = p->next;

        if (p->in_op) {
            wsaio_op_free((struct wsaio_op *)((char *)p - offsetof(struct wsaio_op, packet)));
        } else {
            wsaio_pool_put(&posted_pool, p);
            atomic_fetch_sub(&posted_count, 1);
        }
        p = next;
    }
}

/* CloseHandle (the handle table's close hook): waiters leave with ERROR_ABANDONED_WAIT_0,
 * queued packets are discarded, later completions too (api.md 4.21). */
static void port_close(struct wsaio_object *obj)
{
    struct wsaio_port *port = (struct wsaio_port *)obj;
    struct wsaio_packet *queued;

    wsaio_lock(&port->lock, WSAIO_RANK_PORT);
    port->closed = true;
    queued = port->head;
    port->head = port->tail = NULL;
    wsaio_waitable_set(&port->ev.w);
    wsaio_unlock(&port->lock, WSAIO_RANK_PORT);
    free_packets(queued);
}

static void port_destroy(struct wsaio_object *obj)
{
    struct wsaio_port *port = (struct wsaio_port *)obj;

    free_packets(port->head); /* none once closed; kept for safety */
    pthread_mutex_destroy(&port->lock);
    free(port);
}

HANDLE wsaio_port_create(DWORD concurrency)
{
    struct wsaio_port *port = calloc(1, sizeof(*port));
    HANDLE h;

    if (!port) {
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    wsaio_handle_on_close(WSAIO_OBJ_PORT, port_close);
    port->ev.hdr.type = WSAIO_OBJ_PORT;
    port->ev.hdr.destroy = port_destroy;
    wsaio_waitable_init(&port->ev.w, false, false);
    pthread_mutex_init(&port->lock, NULL);
    port->concurrency = concurrency;
    h = wsaio_handle_create(&port->ev.hdr);
    if (!h) {
        pthread_mutex_destroy(&port->lock);
        free(port);
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
    }
    return h;
}

bool wsaio_port_is_live(HANDLE h)
{
    struct wsaio_object *obj = wsaio_handle_ref(h, WSAIO_OBJ_PORT);

    if (obj)
        wsaio_object_put(obj);
    return obj != NULL;
}

/* Appends p to the port h names; false when h is no longer a live port (p not queued). */
static bool queue_packet(HANDLE h, struct wsaio_packet *p)
{
    struct wsaio_object *obj = wsaio_handle_ref(h, WSAIO_OBJ_PORT);
    struct wsaio_port *port = (struct wsaio_port *)obj;
    bool queued = false;

    if (!obj)
        return false;
    wsaio_lock(&port->lock, WSAIO_RANK_PORT);
    if (!port->closed) {
        WSAIO_FIFO_PUSH(port->head, port->tail, p, next);
        if (port->head == p)
            wsaio_waitable_set(&port->ev.w);
        queued = true;
    }
    wsaio_unlock(&port->lock, WSAIO_RANK_PORT);
    wsaio_object_put(obj);
    return queued;
}

int wsaio_port_post(HANDLE h, DWORD bytes, ULONG_PTR key, LPOVERLAPPED ov)
{
    struct wsaio_packet *p;

    if (!wsaio_port_is_live(h))
        return -EBADF;
    if (atomic_fetch_add(&posted_count, 1) >= MAX_POSTED || !(p = wsaio_pool_get(&posted_pool))) {
        atomic_fetch_sub(&posted_count, 1);
        return -ENOMEM;
    }
    p->key = key;
    p->ov = ov;
    p->bytes = bytes;
    p->status = STATUS_SUCCESS;
    p->in_op = false;
    if (!queue_packet(h, p)) { /* closed meanwhile */
        p->next = NULL;
        free_packets(p);
        return -EBADF;
    }
    return 0;
}

bool wsaio_port_complete(struct wsaio_op *op, bool armed)
{
    struct wsaio_socket *sk = op->sk;
    HANDLE h = atomic_load_explicit(&sk->port, memory_order_acquire);
    struct wsaio_packet *p = &op->packet;

    if (!h || ((uintptr_t)op->ov->hEvent & 1))
        return false;
    if (!armed && (atomic_load(&sk->port_modes) & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS))
        return false;
    p->key = sk->port_key;
    p->ov = op->ov;
    p->bytes = op->done;
    p->status = op->status;
    p->in_op = true;
    return queue_packet(h, p);
}

/* Takes up to max packets off the port (lock held); resets the waitable when it empties. */
static ULONG take_packets(struct wsaio_port *port, OVERLAPPED_ENTRY *out, ULONG max,
                          struct wsaio_packet **taken)
{
    struct wsaio_packet *p = port->head, *last = NULL;
    ULONG n = 0;

    while (p && n < max) {
        out[n].lpCompletionKey = p->key;
        out[n].lpOverlapped = p->ov;
        out[n].Internal = (ULONG_PTR)(uint32_t)p->status;
        out[n].dwNumberOfBytesTransferred = p->bytes;
        n++;
        last = p;
        p = p->next;
    }
    if (!n)
        return 0;
    *taken = port->head;
    last->next = NULL;
    port->head = p;
    if (!p) {
        port->tail = NULL;
        wsaio_waitable_reset(&port->ev.w);
    }
    return n;
}

/* Takes what is queued (lock taken here); sets *closed when the port was closed. */
static ULONG take_now(struct wsaio_port *port, OVERLAPPED_ENTRY *out, ULONG max,
                      struct wsaio_packet **taken, bool *closed)
{
    ULONG n;

    wsaio_lock(&port->lock, WSAIO_RANK_PORT);
    *closed = port->closed;
    n = *closed ? 0 : take_packets(port, out, max, taken);
    wsaio_unlock(&port->lock, WSAIO_RANK_PORT);
    return n;
}

/* A GetQueuedCompletionStatus(Ex) in the one wait loop (core/loop.h): its check dequeues. */
struct port_waiter {
    struct wsaio_waiter wt;
    struct wsaio_port *port;
    struct wsaio_waitable *obj; /* the port's waitable: signalled while packets are queued */
    uint32_t seen;
    OVERLAPPED_ENTRY *out;
    ULONG max, n;
    struct wsaio_packet *taken; /* freed once the wait is over */
    bool closed;
};

/* The word is read before the queue: a packet posted after the look changes the word, so
 * the sleep that expects the old value cannot miss it. */
static int port_check(struct wsaio_waiter *self)
{
    struct port_waiter *pw = (struct port_waiter *)self;

    pw->seen = atomic_load(&pw->obj->word);
    pw->n = take_now(pw->port, pw->out, pw->max, &pw->taken, &pw->closed);
    return pw->n || pw->closed ? (int)pw->n : WSAIO_WAIT_NONE;
}

/*
 * The port wait: a waiter of the one loop, so a thread blocked here reaps completions
 * itself when it holds the token (a packet of an associated socket reaches this thread
 * with no hop through another), and sleeps on the port's word otherwise.
 */
static ULONG port_wait(struct wsaio_port *port, OVERLAPPED_ENTRY *out, ULONG max, DWORD timeout,
                       bool alertable, DWORD *why)
{
    struct port_waiter pw = {.port = port, .obj = &port->ev.w, .out = out, .max = max};
    int r;

    pw.wt.check = port_check;
    pw.wt.objs = &pw.obj;
    pw.wt.seen = &pw.seen;
    pw.wt.n = 1;
    r = wsaio_loop_wait(&pw.wt, timeout, alertable);
    if (r == WSAIO_WAIT_APC) {
        *why = WAIT_IO_COMPLETION;        /* routines ran: return without waiting again */
    } else if (r == WSAIO_WAIT_TIMEOUT) { /* a packet that came with the timeout is taken */
        pw.n = take_now(port, out, max, &pw.taken, &pw.closed);
        if (!pw.n && !pw.closed)
            *why = WAIT_TIMEOUT;
    }
    if (!pw.n && pw.closed)
        *why = ERROR_ABANDONED_WAIT_0;
    free_packets(pw.taken);
    return pw.n;
}

ULONG wsaio_port_get(HANDLE h, OVERLAPPED_ENTRY *out, ULONG max, DWORD timeout, bool alertable,
                     DWORD *why)
{
    struct wsaio_object *obj = wsaio_handle_ref(h, WSAIO_OBJ_PORT);
    ULONG n;

    *why = 0;
    if (!obj) {
        *why = ERROR_INVALID_HANDLE;
        return 0;
    }
    n = port_wait((struct wsaio_port *)obj, out, max, timeout, alertable, why);
    wsaio_object_put(obj);
    return n;
}
