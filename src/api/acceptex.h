/*
 * acceptex.h - what the rest of the API layer needs of AcceptEx (api/acceptex.c): its
 * socket options, and the extension-function pointers WSAIoctl hands out.
 */
#ifndef WSAIO_API_ACCEPTEX_H
#define WSAIO_API_ACCEPTEX_H

#include <stdbool.h>

#include "core/socket.h"

/* True for the options handled here (SOL_SOCKET: SO_UPDATE_ACCEPT_CONTEXT; SO_CONNECT_TIME is
 * netevents.c's). */
bool wsaio_acceptex_is_option(int level, int optname);

/* setsockopt/getsockopt of those options; 0 or the WSA error. */
int wsaio_acceptex_setsockopt(struct wsaio_socket *sk, int optname, const char *optval, int optlen);
int wsaio_acceptex_getsockopt(struct wsaio_socket *sk, int optname, char *optval, int *optlen);

#endif /* WSAIO_API_ACCEPTEX_H */
