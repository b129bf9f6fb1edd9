/*
 * reset.h - a stream connection that the peer reset stays reset (api.md 4.5, 4.7).
 *
 * Linux reports a reset (ECONNRESET) to one call only, whichever reads the socket's error
 * first (a receive, a send, a getsockopt(SO_ERROR)), and end of stream to every receive
 * after it. Windows fails every later receive and send with WSAECONNRESET, so a program
 * never takes a reset for a graceful close with all data delivered. The socket record
 * remembers the reset (sk->reset) from the first call that sees it; a receive that reads
 * end of stream asks the connection's state, for a reset that another call consumed.
 * The mark is never cleared: a socket is never connected again here (no DisconnectEx
 * with TF_REUSE_SOCKET); whatever reconnects a socket one day must clear it.
 */
#ifndef WSAIO_CORE_RESET_H
#define WSAIO_CORE_RESET_H

#include "core/socket.h"

/* Notes the Winsock error a call on sk got from the kernel: a stream reset is remembered. */
void wsaio_reset_note(struct wsaio_socket *sk, DWORD wsa_error);

/* True once a reset of sk's connection has been seen. */
bool wsaio_reset_known(struct wsaio_socket *sk);

/* For a stream receive that read end of stream (0 bytes): the Winsock error it stands for,
 * or 0 for a true end of stream. WSAECONNRESET when the connection was in fact reset, seen
 * before or told by its state (a reset leaves it CLOSED where the peer's FIN leaves it
 * CLOSE_WAIT), remembered from then on; WSAENOTCONN when a connect failed (also CLOSED). */
int wsaio_reset_eof_error(struct wsaio_socket *sk);

#endif /* WSAIO_CORE_RESET_H */
