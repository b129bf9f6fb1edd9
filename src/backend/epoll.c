/*
 * epoll.c - the epoll backend: readiness only, for hosts where io_uring is refused
 * (Docker's default seccomp profile, kernel.io_uring_disabled, ENOSYS). It waits until a
 * request can progress and reports it (WSAIO_KREQ_READY, or the revents mask of a POLLIN
 * request); the core then makes the system call itself, through the same path as its
 * immediate attempt, and calls start() again when the call would still block.
 *
 * One epoll instance for the process, level-triggered. Per descriptor, while it has a
 * request here, a struct ep_reg is registered with data.ptr pointing to it and kept in the
 * request's registration slot (kreq->reg); its interest is exactly what the armed requests
 * wait for (EPOLLIN for the receive, zero-byte receive or accept, EPOLLOUT for the send or
 * a connect, EPOLLRDHUP for a disconnect; events_of()), so a level-triggered event always
 * means "an armed request can make progress". A request is disarmed when it is reported.
 *
 * Locking: ep_lock guards every ep_reg and the registration slots; nothing here takes a
 * socket's lock. start() and cancel() come with the socket's lock held and take ep_lock
 * inside it; reap() takes ep_lock alone and drops it before each upcall, which takes the
 * socket's lock. Under ep_lock a request is either armed (cancel() takes it) or taken by
 * reap() for a readiness report (cancel() leaves it; the core sees the cancel when the
 * report comes), never both: a cancel and a readiness report never report one request.
 *
 * Lifetimes, and where each is enforced:
 * - The descriptor: the core closes it only after every request here was reported, and
 *   a reported request may be followed by the close at once. So the registration is
 *   removed (EPOLL_CTL_DEL) when the last armed request leaves, before it is reported or
 *   handed to reap() as cancelled (set_interest()), while the descriptor is certainly open;
 *   a late DEL by number could remove a new socket's registration instead.
 * - The registration slot lives in the socket record, which every armed or cancelled
 *   request keeps alive (the core holds a record reference per request): the slot is
 *   cleared when the ep_reg retires, before its last request is reported.
 * - The ep_reg: epoll_wait results name it, so it is freed only by the reaper-token holder
 *   (the only thread that calls epoll_wait), at the end of reap(), when the batch of
 *   results is consumed, and only once it is retired: removed from epoll (the DEL returned
 *   before `retired` was set, so no later epoll_wait can return it) and out of its slot.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "backend/backend.h"
#include "base/lockorder.h"
#include "base/pool.h"
#include "base/resources.h"

#define MAX_EVENTS 256

enum { RD, WR };

struct ep_reg {
    int fd;
    void **slot;                     /* the requests' registration slot (kreq->reg) */
    struct wsaio_kreq *armed[2];     /* [RD] receive, [WR] send, waiting for readiness */
    struct wsaio_kreq *cancelled[2]; /* taken by cancel(), for reap() to report */
    uint32_t events;                 /* interest registered now (0: not registered) */
    bool retired;                    /* out of epoll and of its slot: reap() frees it */
    bool listed;                     /* on the attention list */
    struct ep_reg *next;             /* attention list link */
};

static struct wsaio_pool reg_pool = WSAIO_POOL_INIT(sizeof(struct ep_reg), NULL);
static pthread_mutex_t ep_lock = PTHREAD_MUTEX_INITIALIZER;
static int epfd = -1;
static int kick_fd = -1;
/* ep_regs with cancelled requests to report or retired ones to free (ep_lock). */
static struct ep_reg *attention;
/* Read without the lock by ready()/sleep(): set with attention under ep_lock (seq_cst). */
static _Atomic bool attention_any;
/* The last epoll_wait's results, not yet handled; only the token holder touches them. */
static struct epoll_event ready_ev[MAX_EVENTS];
static int nready;

/* The send direction holds sends and the waits of ConnectEx and DisconnectEx. */
static int dir_of(const struct wsaio_kreq *r)
{
    return r->call == WSAIO_KCALL_RECVMSG || r->call == WSAIO_KCALL_POLLIN ||
                   r->call == WSAIO_KCALL_ACCEPT
               ? RD
               : WR;
}

/* The readiness r waits for (0 for none armed). */
static uint32_t events_of(const struct wsaio_kreq *r)
{
    if (!r)
        return 0;
    if (r->call == WSAIO_KCALL_DISCONNECT)
        return EPOLLRDHUP; /* the peer's end of stream */
    return dir_of(r) == RD ? EPOLLIN : EPOLLOUT;
}

/* Puts es on the attention list (ep_lock held). */
static void attend(struct ep_reg *es)
{
    if (es->listed)
        return;
    es->listed = true;
    es->next = attention;
    attention = es;
    atomic_store(&attention_any, true);
}

/*
 * Makes the registered interest match the armed requests (ep_lock held, es not retired,
 * so the descriptor is open). With none left the registration is removed and es retired:
 * this runs before the last request is reported or handed to reap() as cancelled, i.e.
 * before the descriptor can close.
 */
static int set_interest(struct ep_reg *es)
{
    uint32_t want = events_of(es->armed[RD]) | events_of(es->armed[WR]);
    struct epoll_event ev = {.events = want, .data.ptr = es};

    if (want == es->events)
        return 0;
    if (!want) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, es->fd, &ev);
        es->events = 0;
        es->retired = true;
        *es->slot = NULL;
        attend(es);
        return 0;
    }
    if (epoll_ctl(epfd, es->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, es->fd, &ev) < 0)
        return -errno;
    es->events = want;
    return 0;
}

int wsaio_epoll_with_eventfd(int *ep, int *ev_fd, void *tag)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = tag};
    int rc;

    *ev_fd = -1;
    *ep = epoll_create1(EPOLL_CLOEXEC);
    if (*ep < 0)
        return -errno;
    *ev_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (*ev_fd >= 0 && epoll_ctl(*ep, EPOLL_CTL_ADD, *ev_fd, &ev) == 0)
        return 0;
    rc = -errno;
    if (*ev_fd >= 0)
        close(*ev_fd);
    close(*ep);
    *ep = *ev_fd = -1;
    return rc;
}

static int ep_init(void)
{
    int rc = wsaio_epoll_with_eventfd(&epfd, &kick_fd, &kick_fd);

    if (rc < 0)
        return rc;
    wsaio_resources_own_fd(epfd);
    wsaio_resources_own_fd(kick_fd);
    return 0;
}

/* Arms r. The first request of a descriptor creates its ep_reg. */
static int ep_start(struct wsaio_kreq *r)
{
    struct ep_reg *es;
    int dir = dir_of(r), rc;

    wsaio_lock(&ep_lock, WSAIO_RANK_BACKEND);
    es = *r->reg;
    if (!es) {
        es = wsaio_pool_get(&reg_pool); /* no allocation once the pool is warm */
        if (!es) {
            wsaio_unlock(&ep_lock, WSAIO_RANK_BACKEND);
            return -ENOMEM;
        }
        memset(es, 0, sizeof(*es));
        es->fd = r->fd;
        es->slot = r->reg;
        *r->reg = es;
    }
    es->armed[dir] = r;
    rc = set_interest(es);
    if (rc < 0) {
        es->armed[dir] = NULL;
        if (!es->events && !es->listed) { /* never registered: no epoll result names it */
            *es->slot = NULL;
            wsaio_pool_put(&reg_pool, es);
        }
    }
    wsaio_unlock(&ep_lock, WSAIO_RANK_BACKEND);
    return rc;
}

/*
 * An armed r is disarmed and handed to reap() through the attention list (its report
 * must come from reap(): the upcall takes the socket lock the caller holds). Disarming
 * under ep_lock means no readiness report can name it afterwards, and the interest goes
 * (set_interest()) while the descriptor is still open. A request reap() has taken is left
 * alone: its readiness report comes, and the core ends it as cancelled.
 */
static void ep_cancel(struct wsaio_kreq *r)
{
    struct ep_reg *es;
    int dir = dir_of(r);

    wsaio_lock(&ep_lock, WSAIO_RANK_BACKEND);
    es = *r->reg;
    if (!es || es->armed[dir] != r) {
        wsaio_unlock(&ep_lock, WSAIO_RANK_BACKEND);
        return;
    }
    es->armed[dir] = NULL;
    es->cancelled[dir] = r;
    /* A failed MOD leaves a direction registered with nothing armed; handle() retries. */
    (void)set_interest(es);
    attend(es);
    wsaio_unlock(&ep_lock, WSAIO_RANK_BACKEND);
    wsaio_backend_kick_eventfd(kick_fd);
}

/* One epoll result: takes the armed requests that can progress, then reports them
 * (outside the lock). Returns how many it reported. */
static int handle(struct ep_reg *es, uint32_t revents)
{
    struct wsaio_kreq *done_r[2];
    int done_res[2], n = 0;

    wsaio_lock(&ep_lock, WSAIO_RANK_BACKEND);
    if (es->retired) { /* reported before its DEL; cancel() or an earlier result emptied it */
        wsaio_unlock(&ep_lock, WSAIO_RANK_BACKEND);
        return 0;
    }
    for (int dir = RD; dir <= WR; dir++) {
        struct wsaio_kreq *r = es->armed[dir];
        if (!r || !(revents & (events_of(r) | EPOLLERR | EPOLLHUP)))
            continue;
        es->armed[dir] = NULL;
        done_r[n] = r;
        /* A zero-byte receive completes on readiness: the mask, as io_uring's poll. */
        done_res[n++] = r->call == WSAIO_KCALL_POLLIN
                            ? (int)(revents & (EPOLLIN | EPOLLPRI | EPOLLERR | EPOLLHUP))
                            : WSAIO_KREQ_READY;
    }
    /* Also after a failed MOD in cancel(): the interest follows the armed requests. The
     * registration goes before the requests are reported (see the top of the file). */
    (void)set_interest(es);
    wsaio_unlock(&ep_lock, WSAIO_RANK_BACKEND);
    for (int i = 0; i < n; i++)
        wsaio_backend_done(done_r[i], done_res[i], false);
    return n;
}

/* Reports the cancelled requests and frees the retired ep_regs on the attention list
 * (the epoll results are all handled: none names a retired ep_reg any more). */
static int attend_all(void)
{
    struct ep_reg *es, *next;
    int done = 0;

    if (!atomic_load(&attention_any))
        return 0;
    wsaio_lock(&ep_lock, WSAIO_RANK_BACKEND);
    es = attention;
    attention = NULL;
    atomic_store(&attention_any, false);
    wsaio_unlock(&ep_lock, WSAIO_RANK_BACKEND);
    for (; es; es = next) {
        struct wsaio_kreq *c[2];
        bool retired;

        /* `listed` is cleared under the lock after `next` is read: attend() may list es
         * again at once, rewriting next. */
        wsaio_lock(&ep_lock, WSAIO_RANK_BACKEND);
        next = es->next;
        es->listed = false;
        c[RD] = es->cancelled[RD];
        c[WR] = es->cancelled[WR];
        es->cancelled[RD] = es->cancelled[WR] = NULL;
        retired = es->retired; /* out of its slot: never armed, cancelled or listed again */
        wsaio_unlock(&ep_lock, WSAIO_RANK_BACKEND);
        for (int dir = RD; dir <= WR; dir++) {
            if (c[dir]) {
                wsaio_backend_done(c[dir], -ECANCELED, false);
                done++;
            }
        }
        /* Retired: out of its slot, out of epoll, never armed again. */
        if (retired)
            wsaio_pool_put(&reg_pool, es);
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

/* Cancels to report only: the kernel's ready list would take a system call (the holder
 * handles all that one epoll_wait returns before it lets the token go). */
static bool ep_queued(void)
{
    return atomic_load(&attention_any);
}

static bool ep_ready(void)
{
    if (nready > 0 || atomic_load(&attention_any))
        return true;
    poll_events(0, NULL);
    return nready > 0;
}

/* cancel() kicks the eventfd after its push to the attention list: a push this load
 * misses wakes the epoll_wait. */
static void ep_sleep(const struct timespec *deadline)
{
    if (nready > 0 || atomic_load(&attention_any))
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
    /* Both descriptors are closed already (resources.c). The ep_regs of the parent's
     * requests are left as they are: nothing reaches them any more (socket.c drops the
     * registration slots), and their records are the parent's to free. */
    epfd = kick_fd = -1;
    pthread_mutex_init(&ep_lock, NULL);
    attention = NULL;
    atomic_store(&attention_any, false);
    nready = 0;
}

WSAIO_BACKEND_DEFINE(wsaio_backend_epoll, "epoll", ep, false);
