/*
 * renew.h - DisconnectEx(TF_REUSE_SOCKET): a fresh kernel socket behind the same SOCKET.
 *
 * Linux cannot take a TCP socket that had a connection back to its fresh state (AcceptEx
 * needs an unbound accept socket, ConnectEx binds it again), so the descriptor number is
 * given a new kernel socket of the same family, type and protocol (api.md 4.26 [Lib]). The
 * record stays: the handle, its completion port and key, its overlapped attribute, its
 * event selection and its non-blocking mode. Options set on the old kernel socket
 * (SO_LINGER, buffer sizes, ...) do not carry over.
 */
#ifndef WSAIO_CORE_RENEW_H
#define WSAIO_CORE_RENEW_H

#include "core/socket.h"

/* Replaces sk's kernel socket (sk->lock held; no request of sk is in the backend: the old
 * kernel socket must not be named by one). 0 or -errno, sk unchanged on failure. */
int wsaio_socket_renew(struct wsaio_socket *sk);

#endif /* WSAIO_CORE_RENEW_H */
