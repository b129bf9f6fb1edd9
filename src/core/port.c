/*
 * port.c - I/O completion port objects (port.h, api.md 2.4, 4.17 to 4.21).
 *
 * The port's lock guards its FIFO, its closed flag, its stack of waiting threads and its
 * count of released threads; it is a leaf (nothing is locked inside it) and may be taken
 * under a socket's lock, where completions are delivered. The port's own waitable is a
 * manual-reset one, signalled exactly while packets are queued or the port is closed (a
 * wait on the port handle sees that); GetQueuedCompletionStatus(Ex) does not sleep on it.
 *
 * Release order (api.md 4.18): a thread that finds nothing to take pushes itself on the
 * port's stack and sleeps on a waitable of its own. A packet queued while threads are
 * stacked is handed, under the lock, to one of them (the top: the last to start waiting,
 * unless the queuing thread is itself stacked there: a GQCS thread that reaps hands its
 * own port's packets to itself, with no hop through another), and only that thread is
 * woken. A stacked thread leaves the stack under the lock, so a hand-off never meets a
 * thread that is gone.
 *
 * Concurrency (api.md 4.17): `active` counts threads released with packets that have not
 * come back (called GQCS on this port again, or on another port, or exited). No packet is
 * handed or taken while active is at the limit; a thread that comes back may take one at
 * once. On Linux a thread that blocks elsewhere cannot be seen, except in a wsaio wait
 * (WaitForSingleObject, SleepEx, WSAWaitForMultipleEvents...): while it sleeps there it
 * does not count (wsaio_port_thread_sleeps()), so a released thread waiting for another
 * one that the port would not release cannot deadlock the program.
 */
#include "core/port.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

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

struct port_waiter;

struct wsaio_port {
    struct wsaio_event ev; /* first: a waitable behind a handle, as the wait engine sees it */
    pthread_mutex_t lock;  /* guards the fields below */
    struct wsaio_packet *head, *tail;
    bool closed;
    unsigned limit;              /* NumberOfConcurrentThreads (0: processors) */
    unsigned active;             /* threads released that have not come back */
    struct port_waiter *waiting; /* threads blocked in GQCS, the most recent first */
};

/* The port this thread was last released by (a reference held), and whether it still
 * counts in that port's active (port.h). The key's destructor makes a thread that exits
 * come back. */
static __thread struct wsaio_port *assoc __attribute__((tls_model("initial-exec")));
__thread uint8_t wsaio_port_tstate __attribute__((tls_model("initial-exec")));
static __thread struct port_waiter *my_wait __attribute__((tls_model("initial-exec")));
static pthread_key_t assoc_key;
static pthread_once_t assoc_once = PTHREAD_ONCE_INIT;
static bool assoc_key_ok;

static struct wsaio_pool posted_pool = WSAIO_POOL_INIT(sizeof(struct wsaio_packet), NULL);
static _Atomic uint32_t posted_count;

/* A GetQueuedCompletionStatus(Ex) in the one wait loop (core/loop.h): its check dequeues,
 * or finds what a hand-off left it. */
struct port_waiter {
    struct wsaio_waiter wt;
    struct wsaio_port *port;
    struct wsaio_waitable mine; /* set when packets were handed to it or the port closed */
    struct wsaio_waitable *obj; /* &mine: what the loop sleeps on */
    uint32_t seen;
    OVERLAPPED_ENTRY *out;
    ULONG max, n;
    struct wsaio_packet *taken; /* freed once the wait is over */
    struct port_waiter *below;  /* the next older waiter on the port's stack */
    bool stacked;               /* on port->waiting (port lock) */
    bool back;                  /* this call has made the thread come back */
    bool closed;
};

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

/* Takes w off the port's stack (lock held). */
static void unstack(struct wsaio_port *port, struct port_waiter *w)
{
    struct port_waiter **at = &port->waiting;

    if (!w->stacked)
        return;
    while (*at != w)
        at = &(*at)->below;
    *at = w->below;
    w->stacked = false;
}

/* Hands queued packets to stacked threads while the limit lets one more run (lock held):
 * the calling thread if it waits here, else the most recent waiter. Only that thread is
 * woken; it cannot leave before the lock is released, so w is still there for the set. */
static void hand_off_slow(struct wsaio_port *port)
{
    while (port->head && port->waiting && port->active < port->limit) {
        struct port_waiter *w =
            my_wait && my_wait->stacked && my_wait->port == port ? my_wait : port->waiting;

        unstack(port, w);
        w->n = take_packets(port, w->out, w->max, &w->taken);
        port->active++;
        wsaio_waitable_set(&w->mine);
    }
}

static inline void hand_off(struct wsaio_port *port)
{
    if (port->head && port->waiting) /* most often nobody waits, or nothing is queued */
        hand_off_slow(port);
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
    while (port->waiting) {
        struct port_waiter *w = port->waiting;

        unstack(port, w);
        w->closed = true;
        wsaio_waitable_set(&w->mine);
    }
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

/* This thread no longer runs for port (lock held): one fewer counts as active, so a
 * queued packet may go to a waiting thread. */
static void come_back_locked(struct wsaio_port *port)
{
    port->active--;
    hand_off(port);
}

static void come_back(struct wsaio_port *port)
{
    wsaio_lock(&port->lock, WSAIO_RANK_PORT);
    come_back_locked(port);
    wsaio_unlock(&port->lock, WSAIO_RANK_PORT);
}

/* A thread released by a port exits: it comes back, and its reference goes. */
static void assoc_exit(void *p)
{
    struct wsaio_port *port = p;

    if (wsaio_port_tstate == WSAIO_PORT_COUNTED)
        come_back(port);
    wsaio_port_tstate = WSAIO_PORT_NONE;
    assoc = NULL;
    wsaio_object_put(&port->ev.hdr);
}

static void assoc_key_make(void)
{
    assoc_key_ok = pthread_key_create(&assoc_key, assoc_exit) == 0;
}

/* The calling thread was released by port with packets (already counted in active). */
static void released_by(struct wsaio_port *port)
{
    wsaio_port_tstate = WSAIO_PORT_COUNTED;
    if (assoc == port)
        return;
    if (assoc)
        wsaio_object_put(&assoc->ev.hdr); /* it came back from there at entry */
    wsaio_object_get(&port->ev.hdr);
    assoc = port;
    pthread_once(&assoc_once, assoc_key_make);
    if (assoc_key_ok)
        pthread_setspecific(assoc_key, port);
}

void wsaio_port_thread_turns(bool sleeps)
{
    if (sleeps && wsaio_port_tstate == WSAIO_PORT_COUNTED) {
        wsaio_port_tstate = WSAIO_PORT_ASLEEP;
        come_back(assoc);
    } else if (!sleeps && wsaio_port_tstate == WSAIO_PORT_ASLEEP) {
        /* Running again: counted again, even beyond the limit (as Windows does). */
        wsaio_lock(&assoc->lock, WSAIO_RANK_PORT);
        assoc->active++;
        wsaio_unlock(&assoc->lock, WSAIO_RANK_PORT);
        wsaio_port_tstate = WSAIO_PORT_COUNTED;
    }
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
    if (!concurrency) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        concurrency = n > 0 ? (DWORD)n : 1;
    }
    port->limit = concurrency;
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
        hand_off(port);
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

/* The calling thread, waiting on port, takes what it may (lock held): it comes back first
 * if the port released it last, then takes packets while the limit allows, else stacks
 * itself (once, if may_stack) to be handed some. */
static void take_or_stack(struct port_waiter *pw, bool may_stack)
{
    struct wsaio_port *port = pw->port;

    if (!pw->back) {
        pw->back = true;
        if (wsaio_port_tstate == WSAIO_PORT_COUNTED && assoc == port) {
            wsaio_port_tstate = WSAIO_PORT_NONE;
            port->active--;
        }
    }
    pw->closed = port->closed;
    if (pw->n || pw->closed)
        return;
    if (port->active < port->limit && (pw->n = take_packets(port, pw->out, pw->max, &pw->taken))) {
        unstack(port, pw);
        port->active++;
        hand_off(port); /* what it left, to waiters the limit lets run too */
    } else if (may_stack && !pw->stacked) {
        pw->below = port->waiting;
        port->waiting = pw;
        pw->stacked = true;
    }
}

/* The word is read before the look: a hand-off after the look changes the word, so the
 * sleep that expects the old value cannot miss it. */
static int port_check(struct wsaio_waiter *self)
{
    struct port_waiter *pw = (struct port_waiter *)self;
    int r;

    pw->seen = atomic_load(&pw->mine.word);
    wsaio_lock(&pw->port->lock, WSAIO_RANK_PORT);
    take_or_stack(pw, true);
    r = pw->n || pw->closed ? (int)pw->n : WSAIO_WAIT_NONE; /* a hand-off writes them */
    wsaio_unlock(&pw->port->lock, WSAIO_RANK_PORT);
    return r;
}

/*
 * The port wait: a waiter of the one loop, so a thread blocked here reaps completions
 * itself when it holds the token (a packet of an associated socket reaches this thread
 * with no hop through another), and sleeps on its own word otherwise.
 */
static ULONG port_wait(struct wsaio_port *port, OVERLAPPED_ENTRY *out, ULONG max, DWORD timeout,
                       bool alertable, DWORD *why)
{
    struct port_waiter pw = {.port = port, .obj = &pw.mine, .out = out, .max = max};
    struct port_waiter *outer = my_wait; /* a GQCS from a routine run by an alertable one */
    int r;

    if (assoc != port && wsaio_port_tstate == WSAIO_PORT_COUNTED) { /* back from another */
        wsaio_port_tstate = WSAIO_PORT_NONE;
        come_back(assoc);
    }
    /* pw.mine is zeroed: a manual-reset waitable, not signalled (wsaio_waitable_init) */
    pw.wt.check = port_check;
    pw.wt.objs = &pw.obj;
    pw.wt.seen = &pw.seen;
    pw.wt.n = 1;
    my_wait = &pw;
    r = wsaio_loop_wait(&pw.wt, timeout, alertable);
    my_wait = outer;
    if (r < 0) {
        /* Timed out or ran routines: off the stack; a packet handed meanwhile is returned,
         * one that came with the timeout is taken. (A result >= 0 left it off already.) */
        wsaio_lock(&port->lock, WSAIO_RANK_PORT);
        unstack(port, &pw);
        if (r == WSAIO_WAIT_TIMEOUT)
            take_or_stack(&pw, false);
        wsaio_unlock(&port->lock, WSAIO_RANK_PORT);
    }
    if (pw.n)
        released_by(port);
    else if (pw.closed)
        *why = ERROR_ABANDONED_WAIT_0;
    else
        *why = r == WSAIO_WAIT_APC ? WAIT_IO_COMPLETION : WAIT_TIMEOUT;
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

unsigned wsaio_port_waiting(HANDLE h)
{
    struct wsaio_object *obj = wsaio_handle_ref(h, WSAIO_OBJ_PORT);
    struct wsaio_port *port = (struct wsaio_port *)obj;
    unsigned n = 0;

    if (!obj)
        return 0;
    wsaio_lock(&port->lock, WSAIO_RANK_PORT);
    for (struct port_waiter *w = port->waiting; w; w = w->below)
        n++;
    wsaio_unlock(&port->lock, WSAIO_RANK_PORT);
    wsaio_object_put(obj);
    return n;
}
