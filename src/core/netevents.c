/*
 * netevents.c - the WSAEventSelect record model and its watcher thread (netevents.h).
 *
 * The watcher owns one epoll set in edge-triggered mode: every new arrival of data (or of
 * a connection, urgent data, a FIN, free buffer space after a blocked send) wakes it once;
 * it then looks at the socket and records what holds, under the socket's lock.
 *
 * Lifetimes: a registration holds a reference on the socket record. It is removed from
 * the epoll set (EPOLL_CTL_DEL) while the descriptor is certainly open (by closesocket,
 * which holds a slot reference), but the record reference
 * is dropped only by the watcher itself, after it has handled the batch of events it was
 * working on: a batch may still name a socket that was removed meanwhile.
 */
#include "core/netevents.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "backend/backend.h"
#include "base/lockorder.h"
#include "core/nonblock.h"
#include "core/reset.h"
#include "base/resources.h"
#include "core/socket.h"
#include "sync/event.h"

#define NE_BIT(b)      (1u << (b))
#define FIONREAD_LINUX 0x541B /* <winsock2.h> gives FIONREAD its Windows value */

static struct wsaio_lazy watcher_lazy;
static int watch_fd = -1, wake_fd = -1;
static pthread_mutex_t release_lock = PTHREAD_MUTEX_INITIALIZER;
static struct wsaio_socket **releases; /* records whose registration was removed */
static size_t nreleases, release_cap;

void wsaio_netevents_fork_child(void)
{
    /* Both descriptors are closed already (resources.c); the records waiting for release
     * keep their references (a leak of the parent's, in the child only). */
    watch_fd = wake_fd = -1;
    pthread_mutex_init(&release_lock, NULL);
    nreleases = 0;
}

/* ---- The record model (sk->lock held) ------------------------------------------------ */

static void record(struct wsaio_socket *sk, int bit, int err)
{
    struct wsaio_netevents *ne = &sk->ne;

    ne->pending |= NE_BIT(bit);
    ne->err[bit] = err;
    if ((ne->mask & NE_BIT(bit)) && ne->event)
        wsaio_event_signal(ne->event);
}

static short poll_now(int fd, short events)
{
    struct pollfd p = {.fd = fd, .events = events};

    return poll(&p, 1, 0) == 1 ? p.revents : 0;
}

/* Whether data waits to be read. A stream socket is asked with FIONREAD: a peek would
 * consume a pending error (a refused connect's ECONNREFUSED) that FD_CONNECT or FD_CLOSE
 * still has to read from SO_ERROR. */
static bool data_queued(struct wsaio_socket *sk)
{
    int n = 0;
    char c;

    /* A datagram socket's pending error (a port unreachable) is the next receive's to
     * report, as Windows does (FD_READ); a peek would consume it. */
    if (sk->type != SOCK_STREAM && (poll_now(sk->fd, POLLIN) & POLLERR))
        return true;
    if (sk->type != SOCK_STREAM) /* a zero-length datagram is data too */
        return recv(sk->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT | MSG_TRUNC) >= 0;
    return ioctl(sk->fd, FIONREAD_LINUX, &n) == 0 && n > 0;
}

static bool urgent_queued(struct wsaio_socket *sk)
{
    int inline_oob = 0;
    socklen_t len = sizeof(inline_oob);
    char c;

    if (sk->type != SOCK_STREAM)
        return false;
    getsockopt(sk->fd, SOL_SOCKET, SO_OOBINLINE, &inline_oob, &len);
    return !inline_oob && recv(sk->fd, &c, 1, MSG_OOB | MSG_PEEK | MSG_DONTWAIT) == 1;
}

/* The TCP state of sk: tells a reset (TCP_CLOSE) from a FIN without reading SO_ERROR,
 * which would consume the error the program's next receive is due to report. */
static int tcp_state(struct wsaio_socket *sk)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);

    memset(&ti, 0, sizeof(ti));
    return getsockopt(sk->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 ? ti.tcpi_state : -1;
}

/* The peer's FIN or reset, once per connection (FD_CLOSE). A reset reports
 * WSAECONNABORTED, as Windows does (api.md 9 item 1). */
static void check_close(struct wsaio_socket *sk, short revents)
{
    struct wsaio_netevents *ne = &sk->ne;
    bool reset;

    if (!ne->connected || ne->close_recorded || !(revents & (POLLRDHUP | POLLHUP | POLLERR)))
        return;
    /* After our own shutdown(SD_SEND) the peer's FIN ends the connection CLOSED too (via
     * TIME_WAIT or LAST_ACK): only a reset that some call saw counts then (reset.h). Our
     * shutdown itself never hangs up: SD_RECEIVE stays out of the kernel, SD_SEND sends
     * a FIN without shutting our receive side (bsd.c). */
    reset = (revents & POLLERR) || wsaio_reset_error(sk) ||
            (!sk->shut_wr && tcp_state(sk) == TCP_CLOSE);
    ne->close_recorded = true;
    record(sk, FD_CLOSE_BIT, reset ? WSAECONNABORTED : 0);
}

/* A non-blocking connect finished: FD_CONNECT with its result, and FD_WRITE on success.
 * A failure's error has to be read from SO_ERROR, which consumes it; it is kept on the
 * socket for the program's own getsockopt(SO_ERROR) (wsaio_socket_take_error). */
static void check_connect(struct wsaio_socket *sk, short revents)
{
    struct wsaio_netevents *ne = &sk->ne;
    int soerr = 0;
    socklen_t len = sizeof(soerr);

    if (!ne->connecting || !(revents & (POLLOUT | POLLERR | POLLHUP)))
        return;
    if ((revents & (POLLERR | POLLHUP)) || tcp_state(sk) != TCP_ESTABLISHED) {
        getsockopt(sk->fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
        if (!soerr && tcp_state(sk) == TCP_SYN_SENT)
            return; /* not finished after all */
        sk->so_error = soerr ? wsaio_errno_to_wsa(soerr) : 0;
    }
    ne->connecting = false;
    ne->connect_done = true;
    ne->connect_err = soerr ? wsaio_errno_to_wsa(soerr) : 0;
    ne->connected = soerr == 0;
    if (ne->connected && !ne->connected_ms)
        ne->connected_ms = GetTickCount64();
}

/* Records the one-shot and "state" events that hold now (sk->lock held). */
static void record_state(struct wsaio_socket *sk)
{
    struct wsaio_netevents *ne = &sk->ne;

    if (ne->connect_done) {
        ne->connect_done = false;
        record(sk, FD_CONNECT_BIT, ne->connect_err);
    }
    if (!ne->write_once && (ne->connected || (sk->type != SOCK_STREAM && sk->known_bound))) {
        ne->write_once = true;
        record(sk, FD_WRITE_BIT, 0);
    }
}

/*
 * Records what revents says happened. The watcher passes what epoll reported, so that an
 * unrelated wake-up (buffer space, say) never records FD_READ again for data that was
 * already reported and not read; a selection passes the levels that hold now, as a record
 * kept from creation would show them.
 */
static void record_ready(struct wsaio_socket *sk, short rev)
{
    check_connect(sk, rev);
    record_state(sk);
    if (sk->ne.listening) {
        /* A connection a pending AcceptEx takes is never recorded (api.md 4.23): the edge
         * may be older than the AcceptEx that took the connection (m212 failed 10 runs in
         * 150 on epoll), so a connection must still be queued now, as for FD_READ. */
        if ((rev & POLLIN) && sk->rq.count == 0 && (poll_now(sk->fd, POLLIN) & POLLIN))
            record(sk, FD_ACCEPT_BIT, 0);
        return;
    }
    check_close(sk, rev); /* first: a peek below would consume a pending reset error */
    /* Data a pending overlapped receive is about to take is never recorded (api.md
     * 4.14.3); the receive queue is guarded by the lock held here. */
    if ((rev & (sk->type == SOCK_STREAM ? POLLIN : POLLIN | POLLERR)) && sk->rq.count == 0 &&
        data_queued(sk))
        record(sk, FD_READ_BIT, 0);
    if ((rev & POLLPRI) && urgent_queued(sk))
        record(sk, FD_OOB_BIT, 0);
    if (sk->ne.write_blocked && (rev & POLLOUT)) {
        sk->ne.write_blocked = false;
        record(sk, FD_WRITE_BIT, 0);
    }
}

static void record_levels(struct wsaio_socket *sk)
{
    record_ready(sk, poll_now(sk->fd, POLLIN | POLLOUT | POLLPRI | POLLRDHUP));
}

/* epoll's bits are poll's bits for these events. */
static short revents_of(uint32_t events)
{
    return (short)(events & (EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP | EPOLLHUP | EPOLLERR));
}

/* ---- The watcher ----------------------------------------------------------------------- */

static void drain_releases(void)
{
    struct wsaio_socket **list;
    size_t n;
    uint64_t v;

    if (read(wake_fd, &v, sizeof(v)) < 0) { /* nothing to drain: fine */
    }
    wsaio_lock(&release_lock, WSAIO_RANK_NE_RELEASE);
    list = releases;
    n = nreleases;
    releases = NULL;
    nreleases = release_cap = 0;
    wsaio_unlock(&release_lock, WSAIO_RANK_NE_RELEASE);
    for (size_t i = 0; i < n; i++)
        wsaio_socket_release(list[i]);
    free(list);
}

static void *watcher_main(void *arg)
{
    struct epoll_event ev[64];

    (void)arg;
    for (;;) {
        int n = epoll_wait(watch_fd, ev, 64, -1);

        for (int i = 0; i < n; i++) {
            struct wsaio_socket *sk = ev[i].data.ptr;

            if (!sk)
                continue; /* the wake-up eventfd */
            wsaio_socket_lock(sk);
            if (sk->ne.watched) /* removed meanwhile: only its reference is left */
                record_ready(sk, revents_of(ev[i].events));
            wsaio_socket_unlock(sk);
        }
        drain_releases(); /* after the batch: nothing in it names a released record */
    }
    return NULL;
}

/* Makes the epoll set and its wake-up eventfd and starts the watcher: 0 or -errno, with
 * nothing left behind on failure (a shortage is tried again at the next selection). */
static int watcher_start(void)
{
    pthread_attr_t attr;
    pthread_t t;
    sigset_t all, old;
    int rc = wsaio_epoll_with_eventfd(&watch_fd, &wake_fd, NULL);

    if (rc == 0) {
        sigfillset(&all); /* the watcher takes no signals meant for the program */
        pthread_sigmask(SIG_SETMASK, &all, &old);
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 64 * 1024);
        if (pthread_create(&t, &attr, watcher_main, NULL) != 0)
            rc = -ENOMEM; /* EAGAIN: no thread for now */
        pthread_attr_destroy(&attr);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (rc < 0) { /* no thread: both descriptors were made */
        if (wake_fd >= 0) {
            close(wake_fd);
            close(watch_fd);
        }
        watch_fd = wake_fd = -1;
        return rc;
    }
    wsaio_resources_own_fd(watch_fd);
    wsaio_resources_own_fd(wake_fd);
    return 0;
}

/* Registers sk (sk->lock held); false when the watcher could not start. */
static bool watch(struct wsaio_socket *sk)
{
    struct epoll_event ev = {
        .events = EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP | EPOLLET,
        .data.ptr = sk,
    };

    if (sk->ne.watched)
        return true;
    if (wsaio_lazy_setup(&watcher_lazy, watcher_start) < 0)
        return false;
    wsaio_socket_hold(sk); /* the registration's reference */
    if (epoll_ctl(watch_fd, EPOLL_CTL_ADD, sk->fd, &ev) != 0) {
        wsaio_socket_release(sk);
        return false;
    }
    sk->ne.watched = true;
    return true;
}

/* Removes sk's registration while its descriptor is open (sk->lock held). */
static void unwatch(struct wsaio_socket *sk)
{
    uint64_t one = 1;

    if (!sk->ne.watched)
        return;
    sk->ne.watched = false;
    epoll_ctl(watch_fd, EPOLL_CTL_DEL, sk->fd, NULL);
    wsaio_lock(&release_lock, WSAIO_RANK_NE_RELEASE);
    if (nreleases == release_cap) {
        size_t cap = release_cap ? 2 * release_cap : 16;
        struct wsaio_socket **grown = realloc(releases, cap * sizeof(*grown));

        if (grown) {
            releases = grown;
            release_cap = cap;
        }
    }
    if (nreleases < release_cap)
        releases[nreleases++] = sk;
    else
        wsaio_socket_hold(sk); /* out of memory: leak one record rather than free it early */
    wsaio_unlock(&release_lock, WSAIO_RANK_NE_RELEASE);
    if (write(wake_fd, &one, sizeof(one)) < 0) { /* counter full: a wake-up is pending */
    }
}

/* ---- Entry points ---------------------------------------------------------------------- */

/*
 * The record is kept from the first selection on, whatever the later masks (0 included):
 * the socket stays watched until closesocket. At the first selection, what holds already
 * is recorded, which is what a record kept from the socket's creation would hold; after
 * that, only arrivals and re-enabling calls change it ("select the same mask again:
 * nothing new").
 */
int wsaio_ne_select(struct wsaio_socket *sk, HANDLE event, uint32_t mask)
{
    /* The socket becomes non-blocking, whatever the mask (api.md 4.14.2 rule 1). */
    int rc = wsaio_nonblock_set(sk, true);

    if (rc < 0)
        return wsaio_errno_to_wsa(-rc);
    wsaio_socket_lock(sk);
    /* closesocket ran meanwhile and has removed the selection already (close.c): a
     * registration now would hold the record for good (unit.close_vs_select). */
    if (wsaio_socket_is_closed(sk)) {
        wsaio_socket_unlock(sk);
        return WSAENOTSOCK;
    }
    if (!sk->ne.watched && !watch(sk)) {
        /* No watcher (a shortage, tried again next time): no selection is made, so the
         * next call starts afresh and records what holds then. Never selected before, so
         * a deselection has nothing to undo. */
        wsaio_socket_unlock(sk);
        return (mask & FD_ALL_EVENTS) ? WSAENOBUFS : 0;
    }
    sk->ne.event = event;
    sk->ne.mask = mask & FD_ALL_EVENTS;
    if (!sk->ne.used)
        record_levels(sk);
    __atomic_store_n(&sk->ne.used, true, __ATOMIC_RELAXED); /* read unlocked by the hooks */
    if ((sk->ne.pending & sk->ne.mask) && sk->ne.event)
        wsaio_event_signal(sk->ne.event);
    wsaio_socket_unlock(sk);
    return 0;
}

void wsaio_ne_enumerate(struct wsaio_socket *sk, HANDLE event, WSANETWORKEVENTS *out)
{
    uint32_t bits;

    wsaio_socket_lock(sk);
    bits = sk->ne.pending & sk->ne.mask;
    out->lNetworkEvents = (LONG)bits;
    for (int b = 0; b < FD_MAX_EVENTS; b++)
        if (bits & NE_BIT(b)) /* codes of unreported bits are not written */
            out->iErrorCode[b] = sk->ne.err[b];
    sk->ne.pending &= ~bits;
    /* Under the lock that every Record takes: no event is lost between copy and reset. */
    if (event)
        wsaio_event_clear(event);
    wsaio_socket_unlock(sk);
}

bool wsaio_ne_selected(struct wsaio_socket *sk)
{
    bool selected;

    wsaio_socket_lock(sk);
    selected = sk->ne.mask != 0;
    wsaio_socket_unlock(sk);
    return selected;
}

/* Re-enable(b): remove b, then record it again if its condition still holds. */
void wsaio_ne_after_recv(struct wsaio_socket *sk, bool oob)
{
    if (!__atomic_load_n(&sk->ne.used, __ATOMIC_RELAXED))
        return; /* never selected: nothing is recorded for it */
    wsaio_socket_lock(sk);
    if (oob) {
        sk->ne.pending &= ~NE_BIT(FD_OOB_BIT);
        if (urgent_queued(sk))
            record(sk, FD_OOB_BIT, 0);
    } else {
        sk->ne.pending &= ~NE_BIT(FD_READ_BIT);
        if (data_queued(sk))
            record(sk, FD_READ_BIT, 0);
    }
    wsaio_socket_unlock(sk);
}

void wsaio_ne_after_accept(struct wsaio_socket *listener, struct wsaio_socket *accepted)
{
    HANDLE event = NULL;
    uint32_t mask = 0;

    if (__atomic_load_n(&listener->ne.used, __ATOMIC_RELAXED)) {
        wsaio_socket_lock(listener);
        listener->ne.pending &= ~NE_BIT(FD_ACCEPT_BIT);
        if (poll_now(listener->fd, POLLIN) & POLLIN) /* more connections queued */
            record(listener, FD_ACCEPT_BIT, 0);
        event = listener->ne.event;
        mask = listener->ne.mask;
        wsaio_socket_unlock(listener);
    }
    wsaio_socket_lock(accepted);
    accepted->ne.connected = true;
    accepted->ne.connected_ms = GetTickCount64();
    wsaio_socket_unlock(accepted);
    /* The accepted socket inherits the selection (api.md 4.14.2 rule 5). */
    if (mask)
        wsaio_ne_select(accepted, event, mask);
}

void wsaio_ne_send_blocked(struct wsaio_socket *sk)
{
    wsaio_socket_lock(sk);
    sk->ne.write_blocked = true;
    if (sk->ne.used && (poll_now(sk->fd, POLLOUT) & POLLOUT)) { /* space came back already */
        sk->ne.write_blocked = false;
        record(sk, FD_WRITE_BIT, 0);
    }
    wsaio_socket_unlock(sk);
}

void wsaio_ne_listening(struct wsaio_socket *sk)
{
    wsaio_socket_lock(sk);
    sk->ne.listening = true;
    wsaio_socket_unlock(sk);
}

void wsaio_ne_connect(struct wsaio_socket *sk, int wsa_err)
{
    wsaio_socket_lock(sk);
    if (wsa_err == WSAEWOULDBLOCK) {
        /* The watcher sees it finish; but on loopback it may have finished already, its
         * edge gone by before this flag was set: look once now. */
        sk->ne.connecting = true;
        check_connect(sk, poll_now(sk->fd, POLLOUT));
    } else if (wsa_err != WSAEALREADY && wsa_err != WSAEISCONN) {
        sk->ne.connect_done = true;
        sk->ne.connect_err = wsa_err;
        sk->ne.connected = wsa_err == 0 && sk->type == SOCK_STREAM;
        if (sk->ne.connected)
            sk->ne.connected_ms = GetTickCount64();
        if (sk->type != SOCK_STREAM && wsa_err == 0)
            sk->known_bound = true; /* connect binds a datagram socket */
    }
    if (sk->ne.used)
        record_state(sk);
    wsaio_socket_unlock(sk);
}

void wsaio_ne_connected_locked(struct wsaio_socket *sk, int wsa_err)
{
    sk->ne.connecting = false; /* ours, not the watcher's, to report */
    sk->ne.connect_done = true;
    sk->ne.connect_err = wsa_err;
    sk->ne.connected = wsa_err == 0;
    if (wsa_err == 0)
        sk->ne.connected_ms = GetTickCount64();
    if (sk->ne.used)
        record_state(sk);
}

void wsaio_ne_forget_connection(struct wsaio_socket *sk)
{
    struct wsaio_netevents *ne = &sk->ne;

    unwatch(sk); /* by descriptor number: while it still names the old socket */
    ne->pending = 0;
    ne->listening = ne->connected = ne->connecting = ne->connect_done = false;
    ne->write_once = ne->write_blocked = ne->close_recorded = false;
    ne->connected_ms = 0;
}

void wsaio_ne_rewatch(struct wsaio_socket *sk)
{
    if (sk->ne.used)
        watch(sk);
}

DWORD wsaio_ne_connect_time(struct wsaio_socket *sk)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    uint64_t now = GetTickCount64();
    DWORD v = 0xFFFFFFFF;

    wsaio_socket_lock(sk);
    if (getpeername(sk->fd, (struct sockaddr *)&ss, &len) == 0) {
        uint64_t accepted = atomic_load(&sk->connected_at);

        if (!sk->ne.connected_ms && accepted) /* an AcceptEx connected it */
            sk->ne.connected_ms = accepted - 1;
        /* Connected in a way no hook saw (a non-blocking connect never selected): from
         * now on. */
        if (!sk->ne.connected_ms)
            sk->ne.connected_ms = now;
        v = (DWORD)((now - sk->ne.connected_ms) / 1000);
    }
    wsaio_socket_unlock(sk);
    return v;
}

void wsaio_ne_bound(struct wsaio_socket *sk)
{
    wsaio_socket_lock(sk);
    if (sk->type != SOCK_STREAM) {
        sk->known_bound = true;
        if (sk->ne.used)
            record_state(sk);
    }
    wsaio_socket_unlock(sk);
}

void wsaio_ne_record(struct wsaio_socket *sk, int bit, int err)
{
    wsaio_socket_lock(sk);
    record(sk, bit, err);
    wsaio_socket_unlock(sk);
}

void wsaio_ne_close(struct wsaio_socket *sk)
{
    wsaio_socket_lock(sk);
    unwatch(sk);
    sk->ne.mask = 0;
    sk->ne.event = NULL;
    wsaio_socket_unlock(sk);
}
