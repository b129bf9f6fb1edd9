/*
 * reset.h - a stream connection that failed stays failed: the peer reset it, or it timed
 * out (api.md 4.5, 4.7).
 *
 * Linux reports such a failure (ECONNRESET, ETIMEDOUT, ...) to one call only, whichever
 * reads the socket's error first (a receive, a send, a getsockopt(SO_ERROR)), and end of
 * stream to every receive after it. Windows fails every later receive and send with the
 * same error, so a program never takes a broken connection for a graceful close with all
 * data delivered. The socket record remembers the first failure (sk->broken) from the call
 * that sees it; a receive that reads end of stream asks the connection's state, for a
 * failure that another call consumed. The mark is cleared only when
 * DisconnectEx(TF_REUSE_SOCKET) gives the socket a fresh kernel socket (renew.c).
 */
#ifndef WSAIO_CORE_RESET_H
#define WSAIO_CORE_RESET_H

#include "core/socket.h"

/* Notes the error a receive or send on sk got from the kernel (errno sys_err, Winsock
 * wsa_error): a stream connection's failure is remembered; a time-out only when the
 * connection timed out (ETIMEDOUT), not a SO_RCVTIMEO/SO_SNDTIMEO expiry. */
void wsaio_reset_note(struct wsaio_socket *sk, int sys_err, DWORD wsa_error);

/* The Winsock error of sk's connection failure once one has been seen, else 0. */
DWORD wsaio_reset_error(struct wsaio_socket *sk);

/* For a stream receive that read end of stream (0 bytes): the error it stands for, as an
 * errno, or 0 for a true end of stream: the connection's failure when one was seen before,
 * or ECONNRESET when its state tells of one (a reset leaves it CLOSED where the peer's FIN
 * leaves it CLOSE_WAIT), remembered from then on; ENOTCONN when a connect failed (also
 * CLOSED). */
int wsaio_reset_eof_errno(struct wsaio_socket *sk);

#endif /* WSAIO_CORE_RESET_H */
