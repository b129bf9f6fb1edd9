/*
 * accept_connect.c - WSAAccept (with its condition function) and WSAConnect.
 *
 * WSAConnect is connect: TCP carries no connect data on Windows either (the caller data is
 * not sent, the callee data comes back empty) and quality of service is ignored.
 *
 * WSAAccept takes the next connection from the kernel and asks the condition function:
 * CF_ACCEPT hands it out as accept() would, CF_REJECT resets it (WSAECONNREFUSED), CF_DEFER
 * keeps it (WSATRY_AGAIN) for the next WSAAccept on the same listener. Linux cannot put a
 * connection back in the listen queue, so a deferred one waits here, in `deferred`, holding
 * a reference to its listener's record; it is offered again before the kernel's queue by
 * WSAAccept (not by accept(), and select/WSAPoll do not count it: docs/deviations.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/startup.h"
#include "base/lockorder.h"
#include "core/socket.h"

/* A connection the condition function deferred. */
struct deferred_conn {
    struct deferred_conn *next;
    struct wsaio_socket *listener; /* record reference */
    int fd;
    socklen_t len;
    struct sockaddr_storage peer;
};

static pthread_mutex_t deferred_lock = PTHREAD_MUTEX_INITIALIZER;
static struct deferred_conn *deferred;

/* Resets a connection nobody will use: the peer sees WSAECONNRESET, as on Windows. */
static void reset_close(int fd)
{
    struct linger lg = {1, 0};

    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    close(fd);
}

/* Takes the connection deferred on sk, if any; drops those of closed listeners. */
static struct deferred_conn *take_deferred(struct wsaio_socket *sk)
{
    struct deferred_conn **p, *d, *found = NULL, *dead = NULL;

    wsaio_lock(&deferred_lock, WSAIO_RANK_DEFERRED);
    for (p = &deferred; (d = *p);) {
        if (!found && d->listener == sk) {
            *p = d->next;
            found = d;
        } else if (wsaio_socket_is_closed(d->listener)) {
            *p = d->next;
            d->next = dead;
            dead = d;
        } else {
            p = &d->next;
        }
    }
    wsaio_unlock(&deferred_lock, WSAIO_RANK_DEFERRED);
    while ((d = dead)) {
        dead = d->next;
        reset_close(d->fd);
        wsaio_socket_release(d->listener);
        free(d);
    }
    return found;
}

/* Keeps d to be offered first by the next WSAAccept on its listener. */
static void put_deferred(struct deferred_conn *d)
{
    wsaio_lock(&deferred_lock, WSAIO_RANK_DEFERRED);
    d->next = deferred;
    deferred = d;
    wsaio_unlock(&deferred_lock, WSAIO_RANK_DEFERRED);
}

/* The next connection of listener sk: a deferred one, else the kernel's (blocking as the
 * socket does). NULL with the last error set on failure. */
static struct deferred_conn *next_connection(struct wsaio_socket *sk)
{
    struct deferred_conn *d = take_deferred(sk);
    int err;

    if (d)
        return d;
    if (!(d = calloc(1, sizeof(*d)))) {
        wsaio_set_error(WSAENOBUFS);
        return NULL;
    }
    d->len = sizeof(d->peer);
    do
        d->fd = accept4(sk->fd, (struct sockaddr *)&d->peer, &d->len, 0);
    while (d->fd < 0 && errno == EINTR);
    if (d->fd >= 0) {
        wsaio_socket_hold(sk);
        d->listener = sk;
        return d;
    }
    err = errno;
    if (wsaio_socket_is_closed(sk))
        err = EINTR; /* closed by another thread while we waited (api.md 4.4 rule 4) */
    free(d);
    wsaio_set_error((DWORD)wsaio_errno_to_wsa(err));
    return NULL;
}

/* Hands the connection out as accept() does (a registered socket that inherits the
 * listener's attribute and event selection). Consumes d. */
static SOCKET hand_out(struct wsaio_socket *sk, struct deferred_conn *d, struct sockaddr *addr,
                       LPINT addrlen)
{
    struct wsaio_socket *accepted;
    int fd = d->fd;

    if (wsaio_socket_add(fd, sk->af, sk->type, sk->protocol, sk->overlapped) < 0 ||
        !(accepted = wsaio_socket_ref((SOCKET)fd))) {
        reset_close(fd);
        fd = -1;
    } else {
        wsaio_ne_after_accept(sk, accepted); /* FD_ACCEPT re-enabled (api.md 4.14.2) */
        wsaio_socket_put(accepted);
        if (addr) {
            memcpy(addr, &d->peer, d->len);
            *addrlen = (int)d->len;
        }
    }
    wsaio_socket_release(d->listener);
    free(d);
    if (fd < 0) {
        wsaio_set_error(WSAENOBUFS);
        return INVALID_SOCKET;
    }
    return (SOCKET)fd;
}

WSAIO_EXPORT SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
                                     LPCONDITIONPROC lpfnCondition, DWORD_PTR dwCallbackData)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    struct sockaddr_storage local;
    socklen_t local_len = sizeof(local);
    struct deferred_conn *d;
    WSABUF caller_id, caller_data = {0, NULL}, callee_id, callee_data = {0, NULL};
    GROUP g = 0;
    SOCKET result = INVALID_SOCKET;
    int verdict;

    if (!sk)
        return INVALID_SOCKET;
    /* The address buffer is checked before any connection is taken, as accept() does. */
    if (addr && (!addrlen || *addrlen < (sk->af == AF_INET6 ? (int)sizeof(struct sockaddr_in6)
                                                            : (int)sizeof(struct sockaddr_in)))) {
        wsaio_socket_put(sk);
        wsaio_set_error(WSAEFAULT);
        return INVALID_SOCKET;
    }
    if (!(d = next_connection(sk))) {
        wsaio_socket_put(sk);
        return INVALID_SOCKET;
    }
    if (!lpfnCondition) {
        result = hand_out(sk, d, addr, addrlen);
        wsaio_socket_put(sk);
        return result;
    }
    /* Caller and callee ids are the peer's and the local address; TCP has no connect data:
     * both data buffers are empty (len 0), never NULL; no quality of service, no group. */
    caller_id.buf = (CHAR *)&d->peer;
    caller_id.len = (ULONG)d->len;
    if (getsockname(d->fd, (struct sockaddr *)&local, &local_len) != 0)
        local_len = 0;
    callee_id.buf = (CHAR *)&local;
    callee_id.len = (ULONG)local_len;
    verdict = lpfnCondition(&caller_id, &caller_data, NULL, NULL, &callee_id, &callee_data, &g,
                            dwCallbackData);
    switch (verdict) {
    case CF_ACCEPT:
        result = hand_out(sk, d, addr, addrlen);
        break;
    case CF_DEFER:
        put_deferred(d); /* FD_ACCEPT is not re-enabled (api.md 4.14.3 table) */
        wsaio_set_error(WSATRY_AGAIN);
        break;
    default: /* CF_REJECT, or a value that is none of the three (Windows: WSAEINVAL) */
        reset_close(d->fd);
        wsaio_socket_release(d->listener);
        free(d);
        wsaio_set_error(verdict == CF_REJECT ? WSAECONNREFUSED : WSAEINVAL);
        break;
    }
    wsaio_socket_put(sk);
    return result;
}

WSAIO_EXPORT int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen,
                                   LPWSABUF lpCallerData, LPWSABUF lpCalleeData, LPQOS lpSQOS,
                                   LPQOS lpGQOS)
{
    (void)lpCallerData; /* not sent: TCP/IP has no connect data on Windows either */
    (void)lpSQOS;
    (void)lpGQOS;
    if (wsaio_connect(s, name, namelen) != 0)
        return SOCKET_ERROR;
    if (lpCalleeData)
        lpCalleeData->len = 0; /* nothing came back */
    return 0;
}
