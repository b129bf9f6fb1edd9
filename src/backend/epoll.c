/*
 * epoll.c - the epoll backend: readiness plus non-blocking system calls, for hosts where
 * io_uring is refused (Docker's default seccomp profile, kernel.io_uring_disabled, ENOSYS).
 * Same contract as uring.c, same Winsock behaviour: the engine still tries every call
 * first and orders the queues; this file only waits for readiness and then makes the call
 * io_uring would have made in the kernel.
 *
 * One epoll instance for the process, level-triggered. Per socket, while it has an
 * operation here, a struct ep_sock is registered with data.ptr pointing to it; its
 * interest is exactly the directions that have an armed operation (EPOLLIN for the
 * receive head or a zero-byte receive, EPOLLOUT for the send head), so a level-triggered
 * event always means "an armed operation can make progress" and is never left to repeat.
 * Level-triggered rather than EPOLLONESHOT: a spurious wake-up (EAGAIN) costs no re-arm.
 *
 * Locking: everything in an ep_sock except `next` is guarded by the socket's lock, the
 * lock the engine holds when it calls start() and cancel(). reap() takes that lock to
 * make the system call of a ready socket, so the call and a concurrent closesocket
 * (cancel) exclude each other: an operation is either armed (cancel takes it) or taken by
 * reap() (cancel leaves it, its result is on the way), never both. reap() drops the lock
 * before wsaio_engine_kernel_done(), which takes it.
 *
 * Lifetimes, and where each is enforced:
 * - The descriptor: closed only after closesocket, whose abort cancels every operation
 *   here before the close. So, under the socket lock, an ep_sock that is not retired has
 *   an open descriptor; every epoll_ctl and every system call here happens in that state.
 *   The registration is removed (EPOLL_CTL_DEL) when the last armed operation leaves,
 *   before it is reported (set_interest()): once an operation is reported the socket may
 *   close at any moment and its number go to a new socket, whose registration a late DEL
 *   by number would remove instead.
 * - The socket record: an ep_sock holds a record reference from its creation in start()
 *   to its free in attend_all(), so reap() can always lock es->sk.
 * - The ep_sock: epoll_wait results name it, so it is freed only by the reaper-token
 *   holder (the only thread that calls epoll_wait), at the end of reap(), when the batch
 *   of results is consumed, and only once it is retired: removed from epoll (the DEL
 *   returned before `retired` was set, so no later epoll_wait can return it) and
 *   unreachable from the socket (sk->backend_data cleared with it).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend/backend.h"
#include "core/engine.h"
#include "base/pool.h"
#include "core/loop.h"
#include "base/resources.h"

#define MAX_EVENTS 256

enum { RD, WR };

struct ep_sock {
    /* Set before EPOLL_CTL_ADD publishes the ep_sock (release) and read by the reaper from
     * an epoll_wait result (acquire): epoll orders the two for real; this makes the order
     * visible to ThreadSanitizer, which may not see through epoll_pwait2. */
    struct wsaio_socket *_Atomic sk; /* record reference held */
    struct wsaio_op *armed[2];       /* [RD] receive head, [WR] send head, waiting for readiness */
    struct wsaio_op *cancelled[2];   /* taken by cancel(), for reap() to end with -ECANCELED */
    uint32_t events;                 /* interest registered now (0: not registered) */
    bool retired;                    /* out of epoll and of sk->backend_data: reap() frees it */
    bool listed;                     /* on the attention list */
    struct ep_sock *next;            /* attention list link (see attend()) */
};

static struct wsaio_pool es_pool = WSAIO_POOL_INIT(sizeof(struct ep_sock), NULL);
static int epfd = -1;
static int kick_fd = -1;
/* ep_socks with cancelled operations to end or retired ones to free: a lock-free stack
 * pushed under the socket lock, taken whole by the reaper (seq_cst: see ep_sleep()). */
static struct ep_sock *_Atomic attention;
/* The last epoll_wait's results, not yet handled; only the token holder touches them. */
static struct epoll_event ready_ev[MAX_EVENTS];
static int nready;

static int dir_of(const struct wsaio_op *op)
{
    return wsaio_opkind_of(op)->dir == WSAIO_DIR_SEND ? WR : RD;
}

/* Puts es on the attention list (sk lock held). `listed` is cleared by the reaper under
 * the same lock after it has read es->next, so next is never rewritten while read. */
static void attend(struct ep_sock *es)
{
    struct ep_sock *head = atomic_load(&attention);

    if (es->listed)
        return;
    es->listed = true;
    do
        es->next = head;
    while (!atomic_compare_exchange_weak(&attention, &head, es));
}

/*
 * Makes the registered interest match the armed operations (sk lock held, es not retired,
 * so the descriptor is open). With none left the registration is removed and es retired:
 * this runs before the last operation is reported or handed to reap() as cancelled, i.e.
 * before the descriptor can close.
 */
static int set_interest(struct ep_sock *es)
{
    struct wsaio_socket *sk = atomic_load_explicit(&es->sk, memory_order_relaxed);
    uint32_t want = (es->armed[RD] ? EPOLLIN : 0) | (es->armed[WR] ? EPOLLOUT : 0);
    struct epoll_event ev = {.events = want, .data.ptr = es};

    if (want == es->events)
        return 0;
    if (!want) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, sk->fd, &ev);
        es->events = 0;
        es->retired = true;
        sk->backend_data = NULL;
        attend(es);
        return 0;
    }
    if (epoll_ctl(epfd, es->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, sk->fd, &ev) < 0)
        return -errno;
    es->events = want;
    return 0;
}

static int ep_init(void)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &kick_fd};
    int rc;

    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        return -errno;
    kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (kick_fd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, kick_fd, &ev) < 0) {
        rc = -errno;
        if (kick_fd >= 0)
            close(kick_fd);
        close(epfd);
        kick_fd = epfd = -1;
        return rc;
    }
    wsaio_resources_own_fd(epfd);
    wsaio_resources_own_fd(kick_fd);
    return 0;
}

/* Arms op (sk lock held, by the engine). The first operation of a socket creates its
 * ep_sock, which takes a record reference for as long as it exists. */
static int ep_start(struct wsaio_op *op)
{
    struct wsaio_socket *sk = op->sk;
    struct ep_sock *es = sk->backend_data;
    int dir = dir_of(op), rc;

    if (!es) {
        es = wsaio_pool_get(&es_pool); /* no allocation once the pool is warm */
        if (!es)
            return -ENOMEM;
        memset(es, 0, sizeof(*es));
        wsaio_socket_hold(sk);
        atomic_store_explicit(&es->sk, sk, memory_order_release);
        sk->backend_data = es;
    }
    es->armed[dir] = op;
    rc = set_interest(es);
    if (rc < 0) {
        es->armed[dir] = NULL;
        if (!es->events) { /* never registered: no epoll result can name it */
            sk->backend_data = NULL;
            wsaio_socket_release(sk);
            wsaio_pool_put(&es_pool, es);
        }
    }
    return rc;
}

/*
 * closesocket (sk lock held, by the engine's abort): an armed op is disarmed and handed
 * to reap() through the attention list; its completion (-ECANCELED) must not come from
 * here, since wsaio_engine_kernel_done() takes the lock the caller holds. Disarming under
 * the lock means no readiness event can make a system call for it afterwards, and the
 * interest goes (set_interest()) while the descriptor is still open: the engine closes it
 * only after this abort. An op reap() has already taken is left alone: its result comes.
 */
static void ep_cancel(struct wsaio_op *op)
{
    struct ep_sock *es = op->sk->backend_data;
    int dir = dir_of(op);

    if (!es || es->armed[dir] != op)
        return;
    es->armed[dir] = NULL;
    es->cancelled[dir] = op;
    /* A failed MOD leaves a direction registered with nothing armed; handle() retries. */
    (void)set_interest(es);
    attend(es);
    wsaio_loop_kick();
}

/* The system call op waits for, without blocking (sk lock held, descriptor open).
 * Returns bytes, revents (zero-byte receive), -EAGAIN (not ready after all) or -errno. */
static int perform(struct wsaio_op *op, uint32_t revents)
{
    if (wsaio_opkind_of(op)->call == WSAIO_KCALL_POLLIN) /* as io_uring's poll: the mask */
        return (int)(revents & (EPOLLIN | EPOLLPRI | EPOLLERR | EPOLLHUP));
    return (int)wsaio_opkind_of(op)->try_call(op);
}

/* One epoll result: makes the calls of the armed operations that can progress, then
 * reports those that finished (outside the lock). Returns how many completed. */
static int handle(struct ep_sock *es, uint32_t revents)
{
    struct wsaio_socket *sk = atomic_load_explicit(&es->sk, memory_order_acquire);
    struct wsaio_op *done_op[2];
    int done_res[2], n = 0;

    pthread_mutex_lock(&sk->lock);
    if (es->retired) { /* reported before its DEL; cancel() or an earlier result emptied it */
        pthread_mutex_unlock(&sk->lock);
        return 0;
    }
    for (int dir = RD; dir <= WR; dir++) {
        struct wsaio_op *op = es->armed[dir];
        uint32_t mask = (dir == RD ? EPOLLIN : EPOLLOUT) | EPOLLERR | EPOLLHUP;
        int res;

        if (!op || !(revents & mask))
            continue;
        res = perform(op, revents);
        if (res == -EAGAIN) /* level-triggered: still registered, reported when ready */
            continue;
        es->armed[dir] = NULL;
        done_op[n] = op;
        done_res[n++] = res;
    }
    /* Also after a failed MOD in cancel(): the interest follows the armed operations. The
     * registration goes before the operations are reported (see the top of the file). */
    (void)set_interest(es);
    pthread_mutex_unlock(&sk->lock);
    /* The engine accounts the result: a short send or a partial MSG_WAITALL receive is
     * tried again and, if it would block, start()ed again. */
    for (int i = 0; i < n; i++)
        wsaio_engine_kernel_done(done_op[i], done_res[i]);
    return n;
}

/* Ends the cancelled operations and frees the retired ep_socks on the attention list
 * (the epoll results are all handled: none names a retired ep_sock any more). */
static int attend_all(void)
{
    struct ep_sock *es = atomic_exchange(&attention, NULL), *next;
    int done = 0;

    for (; es; es = next) {
        struct wsaio_socket *sk = atomic_load_explicit(&es->sk, memory_order_relaxed);
        struct wsaio_op *c[2];
        bool retired;

        next = es->next;
        pthread_mutex_lock(&sk->lock);
        es->listed = false;
        c[RD] = es->cancelled[RD];
        c[WR] = es->cancelled[WR];
        es->cancelled[RD] = es->cancelled[WR] = NULL;
        retired = es->retired;
        pthread_mutex_unlock(&sk->lock);
        for (int dir = RD; dir <= WR; dir++) {
            if (c[dir]) {
                wsaio_engine_kernel_done(c[dir], -ECANCELED);
                done++;
            }
        }
        /* Retired: unreachable from sk, out of epoll, never listed again. */
        if (retired) {
            wsaio_socket_release(sk);
            wsaio_pool_put(&es_pool, es);
        }
    }
    return done;
}

/* Fills the result buffer (token holder). timeout_ms < 0: none; deadline: absolute
 * CLOCK_MONOTONIC, used when given. */
static void poll_events(int timeout_ms, const struct timespec *deadline)
{
    static _Atomic int no_pwait2; /* epoll_pwait2 (5.11) missing or refused by a filter */
    int n = -1;

    if (deadline && !atomic_load_explicit(&no_pwait2, memory_order_relaxed)) {
        struct timespec rel = wsaio_backend_time_left(deadline);

        n = epoll_pwait2(epfd, ready_ev, MAX_EVENTS, &rel, NULL);
        if (n >= 0 || (errno != ENOSYS && errno != EPERM)) {
            nready = n > 0 ? n : 0;
            return;
        }
        atomic_store_explicit(&no_pwait2, 1, memory_order_relaxed);
    }
    if (deadline) { /* millisecond fallback: round up, never wake before the deadline */
        struct timespec rel = wsaio_backend_time_left(deadline);
        long long ms = rel.tv_sec * 1000LL + (rel.tv_nsec + 999999) / 1000000;

        timeout_ms = ms > INT32_MAX ? INT32_MAX : (int)ms;
    }
    n = epoll_wait(epfd, ready_ev, MAX_EVENTS, timeout_ms);
    nready = n > 0 ? n : 0;
}

static bool ep_ready(void)
{
    if (nready > 0 || atomic_load(&attention))
        return true;
    poll_events(0, NULL);
    return nready > 0;
}

/* The progress code has stored ring_sleeping = 1 (seq_cst) before this call, and cancel()
 * pushes to `attention` (seq_cst) before it reads that flag to decide on a kick: so either
 * this load sees the push or cancel() kicks the eventfd. */
static void ep_sleep(const struct timespec *deadline)
{
    if (nready > 0 || atomic_load(&attention))
        return;
    poll_events(-1, deadline);
}

static int ep_reap(void)
{
    int done = 0;

    for (int i = 0; i < nready; i++) {
        if (ready_ev[i].data.ptr == &kick_fd) {
            uint64_t v;

            if (read(kick_fd, &v, sizeof(v)) < 0) { /* drained already: fine */
            }
            continue;
        }
        done += handle(ready_ev[i].data.ptr, ready_ev[i].events);
    }
    nready = 0;
    return done + attend_all();
}

static void ep_kick(void)
{
    wsaio_backend_kick_eventfd(kick_fd);
}

void wsaio_epoll_fork_child(void)
{
    /* Both descriptors are closed already (resources.c). The ep_socks of the parent's
     * operations are left as they are: nothing reaches them any more (socket.c drops
     * sk->backend_data), and their records are the parent's to free. */
    epfd = kick_fd = -1;
    atomic_store(&attention, NULL);
    nready = 0;
}

const struct wsaio_backend wsaio_backend_epoll = {
    .name = "epoll",
    .init = ep_init,
    .start = ep_start,
    .cancel = ep_cancel,
    .ready = ep_ready,
    .sleep = ep_sleep,
    .reap = ep_reap,
    .kick = ep_kick,
};
