/*
 * netchange.h - SIO_ADDRESS_LIST_CHANGE and SIO_ROUTING_INTERFACE_CHANGE: requests that
 * complete at the next change of the local address list or of the routing table
 * (api.md 4.10.8, 4.10.10), seen through one rtnetlink listener for the process.
 *
 * A request is one of: an overlapped operation (completed with STATUS_SUCCESS, 0 bytes,
 * through the engine's delivery), a blocking call waiting in the caller's thread, or, for
 * a non-blocking socket, a one-shot FD_ADDRESS_LIST_CHANGE / FD_ROUTING_INTERFACE_CHANGE
 * record. Each request is satisfied by the first change after it was made, then it is gone.
 */
#ifndef WSAIO_CORE_NETCHANGE_H
#define WSAIO_CORE_NETCHANGE_H

#include <stdbool.h>

#include <winsock2.h>

struct wsaio_socket;
struct wsaio_op;

enum wsaio_change {
    WSAIO_CHANGE_ADDRESS = 1, /* local address list (of the socket's family) */
    WSAIO_CHANGE_ROUTE = 2,   /* routing table */
};

/* Queues op (an overlapped request on op->sk); it completes at the next change.
 * 0, or a WSA error (the listener could not start). */
int wsaio_netchange_queue_op(struct wsaio_op *op, enum wsaio_change what);

/* Blocks until the next change (non-overlapped request on a blocking socket), or until sk
 * is closed. 0, or WSAEINTR when the socket was closed meanwhile, or a WSA error. */
int wsaio_netchange_wait(struct wsaio_socket *sk, enum wsaio_change what);

/* Arms the one-shot FD_* record of a non-blocking request. 0 or a WSA error. */
int wsaio_netchange_arm_record(struct wsaio_socket *sk, enum wsaio_change what);

struct wsaio_cancel_match;

/* netchange's part of wsaio_cancel() (cancel.h): ends sk's requests that match m
 * (operations STATUS_CANCELLED unless !m->deliver; blocked calls and FD_* records only for
 * the match of everything). Returns how many operations matched. */
int wsaio_netchange_cancel(struct wsaio_socket *sk, const struct wsaio_cancel_match *m);

/* Fork child (fork.c): the parent's requests are forgotten (they never complete here);
 * the next request starts the child's own listener. */
void wsaio_netchange_fork_child(void);

#endif /* WSAIO_CORE_NETCHANGE_H */
