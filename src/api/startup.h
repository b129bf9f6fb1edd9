/*
 * startup.h - the process-wide WSAStartup count (api.md 0.4, 4.1).
 */
#ifndef WSAIO_API_STARTUP_H
#define WSAIO_API_STARTUP_H

#include <stdbool.h>
#include <stdatomic.h>

#include <winsock2.h>

extern _Atomic int wsaio_startup_count;

/* True between a successful WSAStartup and the WSACleanup that balances the last one. */
static inline bool wsaio_initialised(void)
{
    return atomic_load_explicit(&wsaio_startup_count, memory_order_acquire) > 0;
}

struct wsaio_socket;

/* Every socket call's entry check: WSANOTINITIALISED, then WSAENOTSOCK (api.md 0.6 steps
 * 1 and 2). Returns sk with a slot reference, or NULL with the last error set. */
struct wsaio_socket *wsaio_socket_enter(SOCKET s);

/* Fork child (api/fork.c): the startup lock made anew. */
void wsaio_startup_fork_child(void);

#endif /* WSAIO_API_STARTUP_H */
