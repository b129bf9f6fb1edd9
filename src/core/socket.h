/*
 * socket.h - the socket table: SOCKET (the Linux descriptor number) -> per-socket record.
 *
 * Sockets made through wsaio (WSASocket, socket, accept) are registered at creation; any
 * other socket descriptor the program hands us is adopted on first use, with the
 * overlapped attribute, as socket() would give it. The slot of a descriptor is a refslot
 * (refslot.h): every call holds a slot reference for its duration, and the descriptor is
 * closed only when closesocket has run and the last such call has returned, so the kernel
 * cannot hand the number to a new socket while an old call still uses it.
 */
#ifndef WSAIO_CORE_SOCKET_H
#define WSAIO_CORE_SOCKET_H

#include <stdbool.h>

#include "core/error.h"

struct wsaio_socket {
    int fd;
    int af, type, protocol;
    bool overlapped; /* the overlapped attribute (api.md 1.1) */
    bool abortive;   /* closing resets the connection (WSACleanup) */
};

/* Registers fd, just created by wsaio, as a socket. Returns 0 or -errno. */
int wsaio_socket_add(int fd, int af, int type, int protocol, bool overlapped);

/* The live socket s names, with a slot reference; NULL when s is not a socket. */
struct wsaio_socket *wsaio_socket_ref(SOCKET s);

/* Ends the call's use of sk (the reference from wsaio_socket_ref). */
void wsaio_socket_put(struct wsaio_socket *sk);

/* closesocket: no new call can find sk; the descriptor closes once the calls in progress
 * return. The caller's reference is consumed. Returns 0 or -EBADF (closed meanwhile). */
int wsaio_socket_close(struct wsaio_socket *sk);

/* WSACleanup: closes every registered socket abortively. */
void wsaio_socket_close_all(void);

/* Common entry check: WSANOTINITIALISED, then WSAENOTSOCK (api.md 0.6 steps 1 and 2).
 * On failure sets the last error and returns NULL. */
struct wsaio_socket *wsaio_socket_enter(SOCKET s);

#endif /* WSAIO_CORE_SOCKET_H */
