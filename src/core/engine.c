/*
 * engine.c - per-socket operation queues, immediate completion and delivery (engine.h).
 *
 * Locking: a socket's lock guards its queues and flags; the delivery of an indication
 * (OVERLAPPED fields, event, APC push) takes no other lock, so it is done with the socket
 * lock held, which keeps "complete the head, start the next" one atomic step.
 *
 * A two-step kind's second step (op->stage: an AcceptEx that accepted and waits for the
 * first data) leaves the head of its queue for the socket's aside list, where every member
 * is in the kernel at once: its first step is what the queue orders (connections are taken
 * in issue order), and the wait for one client's data must not keep the next AcceptEx from
 * the next connection.
 */
#include "core/engine.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/backend.h"
#include "base/fifo.h"
#include "core/cancel.h"
#include "core/loop.h"
#include "core/reset.h"
#include "base/resources.h"
#include "sync/event.h"
#include "core/wait.h"

/* ---- Backend selection ------------------------------------------------------------ */

static const struct wsaio_backend *backend;
static struct wsaio_lazy backend_lazy, progress_lazy;
static char refusal[240]; /* why no backend, or why not the one asked for */

/* io_uring when it can be set up, else epoll. WSAIO_BACKEND=uring|epoll forces one: a
 * forced backend that cannot be set up leaves none (overlapped calls fail with
 * WSAENETDOWN), never a silent fallback. A shortage (no descriptor or memory free) is
 * not a refusal: it fails this attempt only, and epoll is never chosen because of it. */
static int backend_setup(void)
{
    const char *want = getenv("WSAIO_BACKEND");
    bool any = !want || !*want, uring = any || !strcmp(want, "uring");
    int rc = -EINVAL;

    if (!any && !uring && strcmp(want, "epoll")) {
        snprintf(refusal, sizeof(refusal), "WSAIO_BACKEND=%s: not a backend (uring or epoll)",
                 want);
    } else if (uring && (rc = wsaio_backend_uring.init()) == 0) {
        backend = &wsaio_backend_uring;
        refusal[0] = 0;
    } else if (uring && (!any || wsaio_errno_transient(-rc))) {
        snprintf(refusal, sizeof(refusal), "%s%s",
                 any ? "" : "WSAIO_BACKEND=uring: ", wsaio_uring_refusal());
    } else if ((rc = wsaio_backend_epoll.init()) == 0) {
        backend = &wsaio_backend_epoll;
        refusal[0] = 0;
        if (any && getenv("WSAIO_DEBUG"))
            fprintf(stderr, "wsaio: io_uring refused (%s); using epoll\n", wsaio_uring_refusal());
    } else {
        snprintf(refusal, sizeof(refusal), "%s%sepoll: %s", wsaio_uring_refusal(), any ? "; " : "",
                 strerror(-rc));
    }
    return rc;
}

static int progress_setup(void)
{
    return wsaio_loop_init(backend);
}

int wsaio_engine_setup(void)
{
    int rc = wsaio_lazy_setup(&backend_lazy, backend_setup);

    return rc ? rc : wsaio_lazy_setup(&progress_lazy, progress_setup);
}

/* The texts are rewritten by every retried setup (under the resources lock): the caller
 * gets its own copy, taken under that lock. */
const char *wsaio_engine_refusal(void)
{
    static __thread char copy[sizeof(refusal)];

    wsaio_engine_setup();
    wsaio_resources_lock();
    snprintf(copy, sizeof(copy), "%s", refusal[0] ? refusal : wsaio_uring_refusal());
    wsaio_resources_unlock();
    return copy;
}

const struct wsaio_backend *wsaio_engine_backend(void)
{
    return wsaio_engine_setup() == 0 ? backend : NULL;
}

/* ---- The system call, tried without blocking --------------------------------------- */

enum { T_DONE = WSAIO_STEP_DONE, T_MORE = WSAIO_STEP_MORE, T_ERROR = WSAIO_STEP_ERROR };

/* Accounts a system call result (from the immediate attempt or from the kernel) for op:
 * T_DONE with op->status set, T_MORE when more must be transferred, or T_ERROR with
 * op->status set from -res. */
static int account(struct wsaio_op *op, long res)
{
    return wsaio_opkind_of(op)->finish(op, res);
}

/*
 * The would-block hint (socket.h). A receive posted before the peer sends would cost a
 * recvmsg that fails and then the kernel's own attempt: after a try that would have
 * blocked, or a kernel receive that left nothing queued, a receive posted within HINT_MS
 * goes to the kernel at once (io_uring waits first, IORING_RECVSEND_POLL_FIRST). Any
 * other outcome (data left, end of stream, a failure, a cancel) clears it, and a socket
 * known broken always tries. Data that arrives while the hint holds completes through
 * the kernel (outcome b; api.md 1.3 allows it). A receive posted later tries first, as
 * without the hint: data, end of stream or a failure already there give outcome (a) or
 * (c) as before (api.md 4.5: a reset fails at once). Peeks and out-of-band receives
 * neither read nor write it.
 *
 * Under load the guess goes wrong: the peer has sent again by the time the next receive
 * is posted, and a skipped try costs a trip through the ring instead of a receive done
 * during the call (a tenth of the echo throughput at 50 connections). So the hint is kept
 * only where the backend tells when the kernel found data at once (WSAIO_KREQ_EARLY,
 * io_uring): one such wrong skip stops the skipping on that socket for HINT_MS.
 */
#define HINT_MS 10u

/* CLOCK_MONOTONIC_COARSE in ms, never 0 (vDSO: no system call). */
static uint32_t coarse_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
    return ((uint32_t)t.tv_sec * 1000u + (uint32_t)(t.tv_nsec / 1000000)) | 1u;
}

/* The kinds whose kernel request is a plain recvmsg (not a zero-length receive's poll, not
 * an accept), on a backend that reports wrong guesses. */
static bool hint_applies(const struct wsaio_op *op)
{
    return backend->tells_early && wsaio_opkind_of(op)->call == WSAIO_KCALL_RECVMSG &&
           !(op->kr.flags & (MSG_PEEK | MSG_OOB));
}

/* The outcome of op's call (hint_applies(op)): res, and whether data was left queued. */
static void hint_note(struct wsaio_op *op, long res, bool more)
{
    op->sk->blocked_at[wsaio_opkind_of(op)->dir] =
        res == -EAGAIN || (res > 0 && !more) ? coarse_ms() : 0;
}

/* Whether op skips its try (hint_applies(op)). */
static bool hint_blocked(const struct wsaio_op *op)
{
    unsigned dir = wsaio_opkind_of(op)->dir;
    uint32_t at = op->sk->blocked_at[dir], now;

    if (!at)
        return false;
    now = coarse_ms();
    return now - at < HINT_MS && now - op->sk->wrong_at[dir] >= HINT_MS &&
           !atomic_load_explicit(&op->sk->broken, memory_order_relaxed);
}

/* Bytes the call asks for: the iovec window left. */
static size_t window(const struct wsaio_op *op)
{
    size_t n = 0;

    for (size_t i = 0; i < (size_t)op->msg.msg_iovlen; i++)
        n += op->msg.msg_iov[i].iov_len;
    return n;
}

static int try_now(struct wsaio_op *op)
{
    bool hinted = hint_applies(op);
    long res;

    if (hinted && hint_blocked(op))
        return T_MORE;
    res = wsaio_opkind_of(op)->try_call(op);
    if (hinted)
        hint_note(op, res, false);
    return res == -EAGAIN ? T_MORE : account(op, res);
}

/* ---- Queues ----------------------------------------------------------------------- */

/* The queue op waits in: its direction's, or the aside list for a second step. */
static struct wsaio_opq *queue_of(struct wsaio_op *op)
{
    if (op->stage)
        return &op->sk->aside;
    return wsaio_opkind_of(op)->dir == WSAIO_DIR_SEND ? &op->sk->sq : &op->sk->rq;
}

static void enqueue(struct wsaio_opq *q, struct wsaio_op *op)
{
    WSAIO_FIFO_PUSH(q->head, q->tail, op, next);
    q->count++;
}

static void pop_head(struct wsaio_opq *q)
{
    q->head = q->head->next;
    if (!q->head)
        q->tail = NULL;
    q->count--;
}

/* Unlinks op, which is not at the head of q (sk lock held). */
static void unlink_op(struct wsaio_opq *q, struct wsaio_op *op)
{
    struct wsaio_op *p = q->head;

    while (p->next != op)
        p = p->next;
    p->next = op->next;
    if (q->tail == op)
        q->tail = p;
    q->count--;
}

/* Takes op out of q, wherever it is in it. */
static void remove_op(struct wsaio_opq *q, struct wsaio_op *op)
{
    if (op == q->head)
        pop_head(q);
    else
        unlink_op(q, op);
}

/* Hands op to the backend; on failure ends it with that error. */
static bool to_kernel(struct wsaio_op *op)
{
    int rc;

    /* Only the head of its queue is ever in the kernel (engine.h), never after close; a
     * second step waits aside. */
    assert((op->stage || op == queue_of(op)->head) && op->state != WSAIO_OP_KERNEL);
    assert(!op->sk->closed);
    wsaio_opkind_of(op)->prep(op);
    op->state = WSAIO_OP_KERNEL;
    atomic_store_explicit(&op->handoff, 1, memory_order_release);
    wsaio_loop_started();
    rc = backend->start(&op->kr);
    if (rc == WSAIO_KREQ_EARLY && hint_applies(op)) /* the data was there: a wrong guess */
        op->sk->wrong_at[wsaio_opkind_of(op)->dir] = coarse_ms();
    if (rc >= 0)
        return true;
    wsaio_loop_finished();
    /* A hand-over the kernel keeps refusing (a busy ring) is a shortage of resources. */
    if (rc == -EAGAIN || rc == -EBUSY || rc == -EINTR)
        rc = -ENOBUFS;
    op->status = wsaio_errno_to_status(-rc);
    return false;
}

/*
 * Starts the queue's head, and the ones after it while they complete at once
 * (sk->lock held). Ends each finished one with its indication.
 */
/* op, the head of q, has done its first step: its second waits aside, tried at once and
 * else in the kernel (true); false: it ended (op->status set), out of every queue. Kept
 * out of line: the common queues pay nothing for it. */
static __attribute__((noinline)) bool set_aside(struct wsaio_opq *q, struct wsaio_op *op)
{
    pop_head(q);
    enqueue(&op->sk->aside, op);
    if (try_now(op) == T_MORE && to_kernel(op))
        return true;
    remove_op(&op->sk->aside, op);
    return false;
}

static inline __attribute__((always_inline)) void start_queue(struct wsaio_opq *q)
{
    struct wsaio_op *op;

    while ((op = q->head)) {
        int r = try_now(op);

        if (r == T_MORE && op->stage) {
            if (set_aside(q, op))
                continue;
        } else if (r == T_MORE && to_kernel(op)) {
            return;
        } else {
            pop_head(q);
        }
        wsaio_loop_deliver(op, op->status);
    }
}

/* The operation will be reported later: reset its event (the initiating call does,
 * api.md 2.2; a routine ignores hEvent) and mark the OVERLAPPED pending, before anything
 * could complete it. */
void wsaio_engine_arm(struct wsaio_op *op)
{
    if (op->event && !op->routine)
        wsaio_event_clear(op->event);
    op->ov->InternalHigh = 0;
    __atomic_store_n(&op->ov->Internal, (ULONG_PTR)STATUS_PENDING, __ATOMIC_RELAXED);
}

struct wsaio_issue wsaio_engine_issue(struct wsaio_op *op)
{
    struct wsaio_issue out = {.outcome = WSAIO_FAILED};
    struct wsaio_socket *sk = op->sk;
    struct wsaio_opq *q = queue_of(op);
    int r = wsaio_engine_setup();

    if (r < 0) { /* a shortage passes (the next call tries again); a refusal does not */
        wsaio_op_free(op);
        out.wsa_error = wsaio_setup_error(r, WSAENETDOWN);
        return out;
    }
    wsaio_socket_lock(sk);
    if (sk->closed) {
        out.wsa_error = WSAENOTSOCK;
    } else if (q->count >= WSAIO_MAX_PENDING_PER_SOCKET) {
        out.wsa_error = WSAEWOULDBLOCK;
    } else if (q->head) { /* behind an earlier one of the same direction (api.md 1.3) */
        wsaio_engine_arm(op);
        op->state = WSAIO_OP_QUEUED;
        enqueue(q, op);
        out.outcome = WSAIO_PENDING;
    } else if ((r = try_now(op)) == T_MORE) {
        ULONG_PTR internal = op->ov->Internal, internal_high = op->ov->InternalHigh;

        if (op->stage) /* the first step done at once: the second waits aside */
            q = &sk->aside;
        wsaio_engine_arm(op);
        enqueue(q, op);
        if (to_kernel(op)) {
            out.outcome = WSAIO_PENDING;
        } else { /* nothing started: as if the call had failed */
            remove_op(q, op);
            /* Outcome (c) leaves the OVERLAPPED as the program gave it (api.md 1.3). */
            op->ov->Internal = internal;
            op->ov->InternalHigh = internal_high;
            out.wsa_error = (int)wsaio_status_to_wsa(op->status);
        }
    } else if (r == T_DONE || (op->done && wsaio_opkind_of(op)->partial_completes)) {
        /* Done during the call (outcome a). A send that failed after part of it went out
         * is a completion with an error too: that part is on the wire. */
        out.outcome = WSAIO_DONE_NOW;
        out.status = op->status;
        out.bytes = op->done;
        wsaio_loop_deliver(op, op->status);
        op = NULL;
    } else { /* outcome c: no indication, the OVERLAPPED untouched */
        out.wsa_error = (int)wsaio_status_to_wsa(op->status);
    }
    wsaio_socket_unlock(sk);
    if (out.outcome == WSAIO_FAILED && op)
        wsaio_op_free(op);
    return out;
}

/* The backends' upcall (backend.h): the kernel finished r, or (epoll) r may run now. */
void wsaio_backend_done(struct wsaio_kreq *r, int res, bool more)
{
    struct wsaio_op *op = (struct wsaio_op *)(void *)((char *)r - offsetof(struct wsaio_op, kr));
    struct wsaio_socket *sk;
    struct wsaio_opq *q;
    bool aside; /* a second step: in the aside list, no queue to start after it */
    bool wait_again = false;
    int step;

    (void)atomic_load_explicit(&op->handoff, memory_order_acquire);
    sk = op->sk;

    /* Delivery frees op and its reference on sk, which may be the last one of a closed
     * socket: keep sk (and the lock inside it) until we are done with it. */
    wsaio_socket_hold(sk);
    wsaio_socket_lock(sk);
    wsaio_loop_finished();
    q = queue_of(op);
    aside = op->stage;
    /* Reported once, from the head (or the aside list) */
    assert(op->state == WSAIO_OP_KERNEL && (op->stage || op == q->head));
    op->state = WSAIO_OP_QUEUED; /* back in the engine's hands */
    if (res == WSAIO_KREQ_READY) {
        /* A readiness backend: the call is made here, through the kind's one path. A
         * cancel that came after the readiness report ends it as the backend would have.
         * A call that filled what it asked for may have left more queued. */
        size_t asked = window(op);

        res = op->cancel_requested ? -ECANCELED : (int)wsaio_opkind_of(op)->try_call(op);
        wait_again = res == -EAGAIN; /* not ready after all: wait again */
        more = res > 0 && (size_t)res >= asked;
    }
    if (hint_applies(op))
        hint_note(op, res, more);
    if (wait_again) {
        step = T_MORE;
    } else if (res == -ECANCELED && !op->cancel_requested && !sk->closed) {
        /* io_uring cancels the requests of a thread that exits; Windows does not cancel
         * socket I/O when its thread exits (api.md 3.2 rule 7): start it again. */
        step = T_MORE;
    } else {
        step = account(op, res);
    }
    if (step == T_MORE && (sk->closed || op->cancel_requested)) {
        op->status = STATUS_CANCELLED;
    } else if (step == T_MORE && op->stage && !aside) {
        /* The first step is done: the second waits aside and the queue moves on. */
        if (!set_aside(q, op))
            wsaio_loop_deliver(op, op->status);
        start_queue(q);
        goto out;
    } else if (step == T_MORE && (wait_again || try_now(op) == T_MORE) && to_kernel(op)) {
        goto out; /* more to transfer, back in the kernel */
    }
    if (aside) {
        remove_op(q, op);
        wsaio_loop_deliver(op, op->status);
    } else {
        pop_head(q);
        wsaio_loop_deliver(op, op->status);
        if (!sk->closed)
            start_queue(q);
    }
out:
    wsaio_socket_unlock(sk);
    wsaio_socket_release(sk);
}

void wsaio_engine_wait_aborted(struct wsaio_socket *sk)
{
    struct wsaio_waitable *w = &sk->io_done;
    struct timespec end, now;

    clock_gettime(CLOCK_MONOTONIC, &end);
    end.tv_sec += 5; /* cancelling a socket request completes at once; never hang on it */
    for (;;) {
        uint32_t seq = WSAIO_SEQ(atomic_load(&w->word)); /* before looking: no lost pulse */
        unsigned left;

        wsaio_socket_lock(sk);
        left = sk->rq.count + sk->sq.count + sk->aside.count;
        wsaio_socket_unlock(sk);
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (!left || now.tv_sec > end.tv_sec ||
            (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec))
            return;
        /* Every delivery on the socket pulses io_done; this thread reaps if it can. */
        wsaio_wait_from(&w, 1, &seq, false, 100, false);
    }
}

/* The engine's part of wsaio_cancel() (sk lock held). */
static int cancel_locked(struct wsaio_socket *sk, const struct wsaio_cancel_match *m)
{
    struct wsaio_opq *qs[3] = {&sk->rq, &sk->sq, &sk->aside};
    int n = 0;

    for (int i = 0; i < 3; i++) {
        struct wsaio_op *op = qs[i]->head, *next;

        for (; op; op = next) {
            next = op->next;
            if (!wsaio_cancel_matches(m, op->ov, op->tid))
                continue;
            n++;
            op->silent = !m->deliver;
            if (op->state == WSAIO_OP_KERNEL) {
                /* Its completion comes back through the backend, cancelled or not. */
                if (!op->cancel_requested) {
                    op->cancel_requested = true;
                    backend->cancel(&op->kr);
                }
                continue;
            }
            /* Queued behind the head: it never reached the kernel. */
            if (op == qs[i]->head)
                pop_head(qs[i]);
            else
                unlink_op(qs[i], op);
            op->done = 0;
            wsaio_loop_deliver(op, STATUS_CANCELLED);
        }
    }
    return n;
}

int wsaio_engine_cancel(struct wsaio_socket *sk, const struct wsaio_cancel_match *m)
{
    int n;

    wsaio_socket_lock(sk);
    n = cancel_locked(sk, m);
    wsaio_socket_unlock(sk);
    return n;
}

void wsaio_engine_shut(struct wsaio_socket *sk)
{
    wsaio_socket_lock(sk);
    sk->closed = true;
    wsaio_socket_unlock(sk);
}
