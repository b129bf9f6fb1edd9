/*
 * nonblock.h - the socket's blocking mode, the program's, and the library's loans of
 * O_NONBLOCK.
 *
 * Linux has no per-call non-blocking flag for sendfile(2) nor connect(2), so a library
 * call of those on a socket in blocking mode sets O_NONBLOCK on the descriptor for that
 * one call (a loan, under the socket's lock). Two things keep the loan invisible to the
 * program: the program's own mode changes (FIONBIO, WSAEventSelect) take the same lock,
 * so a loan's return cannot undo them; and a blocking call of the program's that another
 * thread made during a loan, which fails with EAGAIN (or a blocking send that stops
 * short), sees that a loan was running (wsaio_nonblock_lent) and is made again, in the
 * program's mode.
 */
#ifndef WSAIO_CORE_NONBLOCK_H
#define WSAIO_CORE_NONBLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct wsaio_socket;

/* Lends sk's descriptor O_NONBLOCK for one system call, sk's lock held. Returns the
 * descriptor's flags before, for wsaio_nonblock_return. */
int wsaio_nonblock_lend(struct wsaio_socket *sk);

/* Ends the loan wsaio_nonblock_lend(sk) began (fl: what it returned). */
void wsaio_nonblock_return(struct wsaio_socket *sk, int fl);

/* The loan count, read before a blocking call, for wsaio_nonblock_lent after it. */
uint32_t wsaio_nonblock_mark(struct wsaio_socket *sk);

/* After a blocking call made at mark failed with EAGAIN or stopped short: true when a loan
 * began since mark (then it has waited for that loan to end: the call is to be made
 * again), false when the result is the program's mode's own. */
bool wsaio_nonblock_lent(struct wsaio_socket *sk, uint32_t mark);

/* Whether sk is in non-blocking mode, the program's: a loan running meanwhile does not
 * count. Instead of reading O_NONBLOCK. */
bool wsaio_nonblock_mode(struct wsaio_socket *sk);

/* Sets the program's mode of sk (FIONBIO, WSAEventSelect): 0 or -errno. Takes sk's lock. */
int wsaio_nonblock_set(struct wsaio_socket *sk, bool on);

#endif /* WSAIO_CORE_NONBLOCK_H */
