/*
 * select.c - select() with Windows fd_set semantics (a count and an array of SOCKETs,
 * FD_SETSIZE 64 unless the program says otherwise) and WSAPoll, both over poll(2).
 *
 * Windows' meanings (select documentation): readable covers data, a pending connection on
 * a listener, and a closed or reset connection; writable covers a completed connect and
 * buffer space; "except" covers urgent data and a connect that failed. nfds is ignored.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "api/startup.h"
#include "core/socket.h"
#include "base/userptr.h"

static unsigned count_of(const wsaio_fd_set *set)
{
    return set ? set->fd_count : 0;
}

/* Adds s with events to the poll list of room entries (merging duplicates); index or -1
 * if full. */
static int select_add(struct pollfd *p, SOCKET *owner, unsigned *n, unsigned room, SOCKET s,
                      short events)
{
    for (unsigned i = 0; i < *n; i++)
        if (owner[i] == s) {
            p[i].events |= events;
            return (int)i;
        }
    if (*n == room)
        return -1;
    owner[*n] = s;
    p[*n].fd = (int)s;
    p[*n].events = events;
    p[*n].revents = 0;
    return (int)(*n)++;
}

/* The most poll entries a select needs: one per descriptor the process may have. */
static unsigned max_entries(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur > UINT_MAX / 2)
        return UINT_MAX / 2;
    return (unsigned)rl.rlim_cur;
}

/* A stream socket whose non-blocking connect ended in an error (not a broken
 * connection: that one was connected). */
static bool failed_connect(struct wsaio_socket *sk)
{
    bool failed;

    wsaio_socket_lock(sk);
    failed = sk->type == SOCK_STREAM && !sk->ne.connected &&
             (sk->ne.connecting || (sk->ne.connect_done && sk->ne.connect_err));
    wsaio_socket_unlock(sk);
    return failed;
}

/* Ends the calls' use of the n sockets held during the wait. */
static void put_all(struct wsaio_socket **held, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (held[i])
            wsaio_socket_put(held[i]);
}

/* Keeps in set only the sockets whose poll result matches. */
static int keep(wsaio_fd_set *set, const struct pollfd *p, const SOCKET *owner, unsigned n,
                short want)
{
    unsigned out = 0;

    if (!set)
        return 0;
    for (unsigned i = 0; i < set->fd_count; i++)
        for (unsigned j = 0; j < n; j++)
            if (owner[j] == set->fd_array[i] && (p[j].revents & want)) {
                set->fd_array[out++] = set->fd_array[i];
                break;
            }
    set->fd_count = out;
    return (int)out;
}

WSAIO_EXPORT int WSAAPI wsaio_select(int nfds, wsaio_fd_set *readfds, wsaio_fd_set *writefds,
                                     wsaio_fd_set *exceptfds, const struct timeval *timeout)
{
    unsigned total, n = 0;
    uint64_t sum;
    wsaio_fd_set *sets[3] = {readfds, writefds, exceptfds};
    static const short ev[3] = {POLLIN, POLLOUT, POLLPRI};
    struct wsaio_socket **held;
    struct pollfd *p;
    SOCKET *owner;
    int ms, rc, ready = 0;

    (void)nfds;
    if (!wsaio_initialised())
        return wsaio_fail(WSANOTINITIALISED);
    if (wsaio_bad_opt_ptr(readfds) || wsaio_bad_opt_ptr(writefds) || wsaio_bad_opt_ptr(exceptfds) ||
        wsaio_bad_opt_ptr(timeout))
        return wsaio_fail(WSAEFAULT); /* "not part of the user address space" */
    /* Summed in 64 bits: three counts can wrap 32 (to 0, or to a list too short). */
    sum = (uint64_t)count_of(readfds) + count_of(writefds) + count_of(exceptfds);
    if (sum == 0) /* Windows refuses an empty select (use Sleep) */
        return wsaio_fail(WSAEINVAL);
    /* The list holds each socket once, so it never needs more entries than descriptors. */
    total = sum <= 1024 || sum < max_entries() ? (unsigned)sum : max_entries();
    if (timeout && (timeout->tv_sec < 0 || timeout->tv_usec < 0))
        return wsaio_fail(WSAEINVAL);
    p = calloc(total, sizeof(*p));
    owner = calloc(total, sizeof(*owner));
    held = calloc(total, sizeof(*held));
    if (!p || !owner || !held) {
        free(p);
        free(owner);
        free(held);
        return wsaio_fail(WSAENOBUFS);
    }
    /* Each socket is held for the whole wait, as a call on it: another thread's
     * closesocket then wakes the wait with a shutdown (api.md 4.4 rule 4), and the
     * descriptor number cannot go to a new socket while poll still watches it. */
    rc = 0;
    for (int k = 0; k < 3 && !rc; k++)
        for (unsigned i = 0; i < count_of(sets[k]) && !rc; i++) {
            SOCKET s = sets[k]->fd_array[i];
            struct wsaio_socket *sk = wsaio_socket_ref(s);
            unsigned before = n;
            int at;

            if (!sk) {
                rc = WSAENOTSOCK;
                break;
            }
            at = select_add(p, owner, &n, total, s, ev[k]);
            if (at < 0) { /* more sockets than descriptors: a limit lowered meanwhile */
                wsaio_socket_put(sk);
                rc = WSAENOBUFS;
                break;
            }
            if (n > before)
                held[at] = sk;
            else
                wsaio_socket_put(sk); /* listed already, and held */
        }
    ms = !timeout ? -1 : (int)(timeout->tv_sec * 1000 + (timeout->tv_usec + 999) / 1000);
    while (!rc && poll(p, n, ms) < 0)
        if (errno != EINTR)
            rc = wsaio_errno_to_wsa(errno);
    if (!rc) {
        /* A connect that failed shows on Linux as error, hang-up and writable; Windows
         * lists it in the except set only. Any other pending error (a reset, a UDP port
         * unreachable) is the next receive's to report: readable, as Windows says; its
         * except set is for urgent data and failed connects. A socket closed meanwhile
         * shows as hung up: readable, as Windows reports it. */
        for (unsigned i = 0; i < n; i++) {
            if (!(p[i].revents & (POLLERR | POLLHUP)))
                continue;
            if (failed_connect(held[i]))
                p[i].revents = POLLERR;
            else if (p[i].revents & POLLERR)
                p[i].revents = (short)((p[i].revents & ~POLLERR) | POLLIN);
        }
        ready = keep(readfds, p, owner, n, POLLIN | POLLHUP) +
                keep(writefds, p, owner, n, POLLOUT) +
                keep(exceptfds, p, owner, n, POLLPRI | POLLERR);
    }
    put_all(held, n);
    free(p);
    free(owner);
    free(held);
    return rc ? wsaio_fail((DWORD)rc) : ready;
}

/*
 * Windows' WSAPoll vocabulary: POLLIN is POLLRDNORM|POLLRDBAND and POLLOUT is POLLWRNORM.
 * <winsock2.h> keeps Linux's values for these shared names, where POLLIN and POLLOUT are
 * bits of their own, so both aliases are reported together: a program that tests either
 * name sees the condition. POLLPRI is not a WSAPoll request (Microsoft's WSAPoll page);
 * urgent data is POLLRDBAND.
 */
#define WSAPOLL_READ  (POLLIN | POLLRDNORM | POLLRDBAND)
#define WSAPOLL_WRITE (POLLOUT | POLLWRNORM)

static short wsapoll_events(short want)
{
    short ev = 0;

    if (want & (POLLIN | POLLRDNORM))
        ev |= POLLIN;
    if (want & (POLLIN | POLLRDBAND))
        ev |= POLLPRI; /* Linux reports urgent data as POLLPRI */
    if (want & WSAPOLL_WRITE)
        ev |= POLLOUT;
    return ev;
}

static short wsapoll_revents(short want, short got)
{
    short re = got & (POLLERR | POLLHUP | POLLNVAL);

    if ((got & POLLIN) && (want & (POLLIN | POLLRDNORM)))
        re |= POLLRDNORM | POLLIN;
    if ((got & POLLPRI) && (want & (POLLIN | POLLRDBAND)))
        re |= POLLRDBAND | POLLIN;
    if ((got & POLLOUT) && (want & WSAPOLL_WRITE))
        re |= POLLWRNORM | POLLOUT;
    return re;
}

WSAIO_EXPORT int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)
{
    struct wsaio_socket **held;
    struct pollfd *p;
    int rc, err;

    if (!wsaio_initialised())
        return wsaio_fail(WSANOTINITIALISED);
    if (wsaio_bad_ptr(fdArray))
        return wsaio_fail(WSAEFAULT);
    if (fds == 0)
        return wsaio_fail(WSAEINVAL);
    for (ULONG i = 0; i < fds; i++)
        if (fdArray[i].events & ~(WSAPOLL_READ | WSAPOLL_WRITE | POLLWRBAND))
            return wsaio_fail(WSAEINVAL); /* POLLPRI and unknown bits */
    p = calloc(fds, sizeof(*p));
    held = calloc(fds, sizeof(*held));
    if (!p || !held) {
        free(p);
        free(held);
        return wsaio_fail(WSAENOBUFS);
    }
    for (ULONG i = 0; i < fds; i++) {
        /* Held for the whole wait, as in select. Not a socket: POLLNVAL for that entry,
         * as Windows reports it. */
        held[i] = wsaio_socket_ref(fdArray[i].fd);
        p[i].fd = held[i] ? held[i]->fd : -1;
        p[i].events = wsapoll_events(fdArray[i].events);
    }
    err = 0;
    while (!err && poll(p, fds, timeout < 0 ? -1 : timeout) < 0) /* no wait after a failure */
        if (errno != EINTR)
            err = wsaio_errno_to_wsa(errno);
    rc = 0;
    for (ULONG i = 0; i < fds && !err; i++) {
        /* A socket another thread closed meanwhile is no socket any more (Windows). */
        bool gone = !held[i] || wsaio_socket_is_closed(held[i]);

        fdArray[i].revents = gone ? POLLNVAL : wsapoll_revents(fdArray[i].events, p[i].revents);
        rc += fdArray[i].revents != 0;
    }
    put_all(held, (unsigned)fds);
    free(p);
    free(held);
    return err ? wsaio_fail((DWORD)err) : rc;
}
