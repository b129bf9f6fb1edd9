/*
 * accept_op.h - the AcceptEx kind of operation (api.md 4.23): its entry of the table of
 * kinds (opkind.c) and the link between an accept socket and the listener its AcceptEx
 * waits on.
 *
 * The operation belongs to the listener: it waits in the listener's receive queue, so
 * several AcceptEx are served in issue order (api.md 4.23 [Lib]), and it reports through
 * the listener's event and port. Step 0 accepts (WSAIO_KCALL_ACCEPT on the listener); the
 * new descriptor is then moved onto the accept socket's number (dup3), so the program's
 * SOCKET is the connection. With a receive length, step 1 (op->stage) waits for the first
 * data on the accept socket (WSAIO_KCALL_RECVMSG on its descriptor), aside from the
 * listener's queue (engine.c): the next AcceptEx takes the next connection meanwhile, and
 * one client that connects and sends nothing holds no other. The addresses are
 * stored in the output buffer after the data, each area as an int length and the address
 * (wsaio_accept_areas() reads them back for GetAcceptExSockaddrs).
 *
 * Limitation: a listener in blocking mode is accepted from by poll() then accept4(); a
 * thread's blocking accept() on the same listener taking the connection in between makes
 * that accept4() wait for the next one.
 */
#ifndef WSAIO_CORE_ACCEPT_OP_H
#define WSAIO_CORE_ACCEPT_OP_H

#include <stdbool.h>

struct wsaio_op;
struct wsaio_socket;

/* The table entry's functions (opkind.h describes each). */
long wsaio_accept_try(struct wsaio_op *op);
void wsaio_accept_prep(struct wsaio_op *op);
int wsaio_accept_finish(struct wsaio_op *op, long res);
void wsaio_accept_release(struct wsaio_op *op);

/* Makes acc the accept socket of op (an AcceptEx on listener op->sk, op->ov set): 0, or
 * -EINVAL when another AcceptEx already uses acc (api.md 4.23). */
int wsaio_accept_claim(struct wsaio_op *op, struct wsaio_socket *acc);

/* True while an AcceptEx waits with acc as its accept socket (connect: WSAEINVAL). */
bool wsaio_accept_pending(struct wsaio_socket *acc);

/* closesocket(acc): cancels the AcceptEx that waits with acc as its accept socket, on its
 * listener (delivered unless deliver is false), before acc's descriptor can close. */
void wsaio_accept_abort(struct wsaio_socket *acc, bool deliver);

#endif /* WSAIO_CORE_ACCEPT_OP_H */
