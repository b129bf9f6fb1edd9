/*
 * netchange.c - address-list and routing change requests over one rtnetlink listener
 * (see netchange.h).
 *
 * The listener thread joins RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR, RTMGRP_IPV4_ROUTE and
 * RTMGRP_IPV6_ROUTE (unprivileged), reads whole datagrams, and for each kind of change it
 * saw (address of a family, route) takes every matching request off the list and
 * completes it outside the list lock. Requests hold a reference on their socket record.
 */
#include "core/netchange.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wsaio.h>

#include "base/lockorder.h"
#include "core/cancel.h"
#include "core/engine.h"
#include "core/loop.h"
#include "core/netevents.h"
#include "base/resources.h"
#include "core/socket.h"
#include "core/wait.h"

enum { REQ_OP, REQ_WAIT, REQ_RECORD };

struct request {
    struct request *next;
    int kind;
    enum wsaio_change what;
    int family;              /* address changes: only the socket's family counts */
    struct wsaio_socket *sk; /* record reference held */
    struct wsaio_op *op;     /* REQ_OP */
    struct wsaio_waitable w; /* REQ_WAIT: set when done */
    int result;              /* REQ_WAIT: 0, or WSAEINTR when the socket closed */
    _Atomic int refs;        /* REQ_WAIT: the waiter's and the completer's */
};

static void put_request(struct request *r)
{
    if (r->kind != REQ_WAIT || atomic_fetch_sub(&r->refs, 1) == 1)
        free(r);
}

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct request *requests;
static struct wsaio_lazy listener_lazy;
static _Atomic int listener_fd = -1; /* read by closesocket to skip the list when unused */

/* Completes r. The socket record reference goes before the waiter is woken: the waiter
 * still holds its call's reference, and may leave at once. */
static void complete(struct request *r, bool changed, bool deliver)
{
    struct wsaio_socket *sk = r->sk;

    switch (r->kind) {
    case REQ_OP:
        if (!deliver)
            r->op->silent = true;
        wsaio_loop_deliver(r->op, changed ? STATUS_SUCCESS : STATUS_CANCELLED);
        wsaio_socket_release(sk);
        break;
    case REQ_WAIT:
        wsaio_socket_release(sk);
        r->result = changed ? 0 : WSAEINTR;
        wsaio_waitable_set(&r->w);
        break;
    default:
        if (changed)
            wsaio_ne_record(sk,
                            r->what == WSAIO_CHANGE_ADDRESS ? FD_ADDRESS_LIST_CHANGE_BIT
                                                            : FD_ROUTING_INTERFACE_CHANGE_BIT,
                            0);
        wsaio_socket_release(sk);
        break;
    }
    put_request(r);
}

/* Takes the requests that match off the list; the caller completes them. */
static struct request *take(bool (*match)(const struct request *, const void *), const void *arg)
{
    struct request *taken = NULL, **p;

    wsaio_lock(&list_lock, WSAIO_RANK_NETCHANGE);
    for (p = &requests; *p;) {
        struct request *r = *p;

        if (match(r, arg)) {
            *p = r->next;
            r->next = taken;
            taken = r;
        } else {
            p = &r->next;
        }
    }
    wsaio_unlock(&list_lock, WSAIO_RANK_NETCHANGE);
    return taken;
}

struct change {
    enum wsaio_change what;
    int family;
};

static bool matches_change(const struct request *r, const void *arg)
{
    const struct change *c = arg;

    return r->what == c->what && (c->what != WSAIO_CHANGE_ADDRESS || r->family == c->family);
}

static void changed(enum wsaio_change what, int family)
{
    struct change c = {what, family};
    struct request *r = take(matches_change, &c), *next;

    for (; r; r = next) {
        next = r->next;
        complete(r, true, true);
    }
}

static void *listener_main(void *arg)
{
    char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));

    (void)arg;
    for (;;) {
        ssize_t n = recv(listener_fd, buf, sizeof(buf), 0);
        bool addr4 = false, addr6 = false, route = false;

        if (n < 0) {
            if (errno == ENOBUFS) /* messages were lost: something changed */
                addr4 = addr6 = route = true;
            else if (errno != EINTR)
                continue;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; n > 0 && NLMSG_OK(h, (size_t)n);
             h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == RTM_NEWADDR || h->nlmsg_type == RTM_DELADDR) {
                const struct ifaddrmsg *ifa = NLMSG_DATA(h);

                addr4 |= ifa->ifa_family == AF_INET;
                addr6 |= ifa->ifa_family == AF_INET6;
            } else if (h->nlmsg_type == RTM_NEWROUTE || h->nlmsg_type == RTM_DELROUTE) {
                route = true;
            }
        }
        if (addr4)
            changed(WSAIO_CHANGE_ADDRESS, AF_INET);
        if (addr6)
            changed(WSAIO_CHANGE_ADDRESS, AF_INET6);
        if (route)
            changed(WSAIO_CHANGE_ROUTE, 0);
    }
    return NULL;
}

/* Opens the rtnetlink socket and starts the listener: 0 or -errno, nothing left behind on
 * failure (a shortage is tried again at the next request). */
static int listener_start(void)
{
    struct sockaddr_nl sa = {
        .nl_family = AF_NETLINK,
        .nl_groups =
            RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE,
    };
    pthread_attr_t attr;
    pthread_t t;
    sigset_t all, old;
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), rc;

    if (fd < 0)
        return -errno;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        rc = -errno;
        close(fd);
        return rc;
    }
    atomic_store_explicit(&listener_fd, fd, memory_order_release);
    sigfillset(&all); /* the listener takes no signals meant for the program */
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&t, &attr, listener_main, NULL) == 0 ? 0 : -ENOMEM; /* EAGAIN */
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc < 0) {
        close(fd);
        atomic_store_explicit(&listener_fd, -1, memory_order_relaxed);
        return rc;
    }
    wsaio_resources_own_fd(fd); /* a socket, but never the program's */
    return 0;
}

void wsaio_netchange_fork_child(void)
{
    /* The listener's socket is closed already (resources.c); the parent's requests stay
     * pending in the child for good, as its other operations do. */
    atomic_store(&listener_fd, -1);
    pthread_mutex_init(&list_lock, NULL);
    requests = NULL;
}

static int add(struct request *r)
{
    int rc = wsaio_lazy_setup(&listener_lazy, listener_start);

    if (rc < 0)
        return wsaio_setup_error(rc, WSAENETDOWN);
    wsaio_socket_hold(r->sk);
    wsaio_lock(&list_lock, WSAIO_RANK_NETCHANGE);
    /* closesocket marks the slot closed, then takes the socket's requests under this lock:
     * a request added after that take would outlive the close (api.md 4.4 rule 3). */
    if (wsaio_socket_is_closed(r->sk)) {
        wsaio_unlock(&list_lock, WSAIO_RANK_NETCHANGE);
        wsaio_socket_release(r->sk);
        return r->kind == REQ_WAIT ? WSAEINTR : WSAENOTSOCK;
    }
    r->next = requests;
    requests = r;
    wsaio_unlock(&list_lock, WSAIO_RANK_NETCHANGE);
    return 0;
}

static struct request *new_request(struct wsaio_socket *sk, int kind, enum wsaio_change what)
{
    struct request *r = calloc(1, sizeof(*r));

    if (r) {
        r->kind = kind;
        r->what = what;
        r->family = sk->af;
        r->sk = sk;
    }
    return r;
}

/* A new request of kind on sk, added to the list: 0 or a WSA error. */
static int add_new(struct wsaio_socket *sk, int kind, enum wsaio_change what, struct wsaio_op *op)
{
    struct request *r = new_request(sk, kind, what);
    int err;

    if (!r)
        return WSAENOBUFS;
    r->op = op;
    err = add(r);
    if (err)
        free(r);
    return err;
}

int wsaio_netchange_queue_op(struct wsaio_op *op, enum wsaio_change what)
{
    return add_new(op->sk, REQ_OP, what, op);
}

int wsaio_netchange_arm_record(struct wsaio_socket *sk, enum wsaio_change what)
{
    return add_new(sk, REQ_RECORD, what, NULL);
}

int wsaio_netchange_wait(struct wsaio_socket *sk, enum wsaio_change what)
{
    struct request *r = new_request(sk, REQ_WAIT, what);
    struct wsaio_waitable *objs[1];
    int err;

    if (!r)
        return WSAENOBUFS;
    wsaio_waitable_init(&r->w, false, false);
    atomic_init(&r->refs, 2);
    objs[0] = &r->w;
    err = add(r);
    if (err) {
        free(r);
        return err;
    }
    /* A blocking Winsock call waits alertably: routines queued meanwhile run, and the call
     * keeps waiting for its own result (api.md 0.8). */
    while (wsaio_wait(objs, 1, false, INFINITE, true) != WAIT_OBJECT_0)
        ;
    err = r->result;
    put_request(r);
    return err;
}

struct cancel {
    struct wsaio_socket *sk;
    const struct wsaio_cancel_match *m;
};

/* An operation that fits the match; a blocked call or an FD_* record only when the socket
 * closes (CancelIo and CancelIoEx leave blocking calls alone, api.md 4.22). */
static bool matches_cancel(const struct request *r, const void *arg)
{
    const struct cancel *c = arg;

    if (r->sk != c->sk)
        return false;
    if (r->kind == REQ_OP)
        return wsaio_cancel_matches(c->m, r->op->ov, r->op->tid);
    return c->m->closing;
}

int wsaio_netchange_cancel(struct wsaio_socket *sk, const struct wsaio_cancel_match *m)
{
    struct cancel c = {sk, m};
    struct request *r, *next;
    int n = 0;

    if (atomic_load_explicit(&listener_fd, memory_order_acquire) < 0)
        return 0; /* no request was ever made */
    for (r = take(matches_cancel, &c); r; r = next) {
        next = r->next;
        n += r->kind == REQ_OP;
        complete(r, false, m->deliver);
    }
    return n;
}

WSAIO_EXPORT void wsaio_inject_network_change(int what)
{
    if (what == WSAIO_CHANGE_ADDRESS_LIST) {
        changed(WSAIO_CHANGE_ADDRESS, AF_INET);
        changed(WSAIO_CHANGE_ADDRESS, AF_INET6);
    } else if (what == WSAIO_CHANGE_ROUTING) {
        changed(WSAIO_CHANGE_ROUTE, 0);
    }
}
