/*
 * addr_reuse.h - Windows' address-sharing rules on Linux: bind over TIME_WAIT without any
 * option, SO_REUSEADDR (sharing, both sockets asking for it) and SO_EXCLUSIVEADDRUSE.
 */
#ifndef WSAIO_API_ADDR_REUSE_H
#define WSAIO_API_ADDR_REUSE_H

#include "core/socket.h"

/* bind() under Windows' rules; 0 or the WSA error (WSAEADDRINUSE, WSAEACCES, ...). */
int wsaio_addr_bind(struct wsaio_socket *sk, const struct sockaddr *name, socklen_t len);

/* Before listen(): what the connections it accepts must carry so that, once closed, their
 * TIME_WAIT does not hold the port against the next bind. */
void wsaio_addr_before_listen(struct wsaio_socket *sk);

/* True for the options handled here (level SOL_SOCKET, SO_REUSEADDR, SO_EXCLUSIVEADDRUSE). */
bool wsaio_addr_is_option(int level, int optname);

/* setsockopt/getsockopt of those options; 0 or the WSA error. */
int wsaio_addr_setsockopt(struct wsaio_socket *sk, int optname, const char *optval, int optlen);
int wsaio_addr_getsockopt(struct wsaio_socket *sk, int optname, char *optval, int *optlen);

#endif /* WSAIO_API_ADDR_REUSE_H */
