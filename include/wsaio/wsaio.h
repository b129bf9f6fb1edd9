/*
 * wsaio.h - wsaio's own additions, outside the Windows API: what the library runs on and
 * why. Everything else a program needs is in <winsock2.h>, <ws2tcpip.h>, <mswsock.h> and
 * <windows.h>.
 */
#ifndef WSAIO_WSAIO_H
#define WSAIO_WSAIO_H

#include "windef.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WSAIO_VERSION_MAJOR 0
#define WSAIO_VERSION_MINOR 1
#define WSAIO_VERSION_PATCH 0

/** wsaio_version - the library's version as "major.minor.patch". */
WSAIO_EXPORT const char *wsaio_version(void);

/**
 * wsaio_wait_mechanism - how multi-object waits sleep: "futex_waitv" (Linux 5.16+) or
 * "futex-broadcast" (older kernels, or WSAIO_NO_FUTEX_WAITV=1 in the environment).
 */
WSAIO_EXPORT const char *wsaio_wait_mechanism(void);

/**
 * wsaio_backend_name - the kernel interface overlapped operations run on: "uring"
 * (io_uring, used when it can be set up), "epoll" (where io_uring is refused: seccomp,
 * kernel.io_uring_disabled, ENOSYS), or "none" when none could be set up (overlapped calls
 * then fail with WSAENETDOWN; while no descriptor or memory is free it is "none" for the
 * moment, and they fail with WSAEMFILE or WSAENOBUFS, until the next call sets it up).
 * WSAIO_BACKEND=uring|epoll in the environment forces one; a
 * forced backend that cannot be set up gives "none", not the other one. WSAIO_DEBUG=1 logs
 * a line to stderr when io_uring is refused and epoll is used.
 * wsaio_backend_refusal() says why io_uring was refused, or why no backend could be set up
 * ("" when neither happened, e.g. io_uring in use or epoll forced); its text is the
 * calling thread's copy, valid until that thread asks again. Both set the backend up if
 * that has not happened yet.
 */
WSAIO_EXPORT const char *wsaio_backend_name(void);
WSAIO_EXPORT const char *wsaio_backend_refusal(void);

/** What wsaio_inject_network_change() simulates. */
#define WSAIO_CHANGE_ADDRESS_LIST 1 /* the local address list (of both families) */
#define WSAIO_CHANGE_ROUTING      2 /* the routing table */

/**
 * wsaio_inject_network_change - test hook (api.md 9 item 22): acts as if the kernel had
 * reported an address-list or routing change, completing the pending
 * SIO_ADDRESS_LIST_CHANGE / SIO_ROUTING_INTERFACE_CHANGE requests as a real change would.
 * Lets tests run where changing the system's addresses is not allowed.
 */
WSAIO_EXPORT void wsaio_inject_network_change(int what);

/**
 * wsaio_memory_info - bytes of memory one pending overlapped operation costs (its record,
 * of the plain class: see wsaio_op_memory_info; records are pooled and reused) and one
 * open socket (its record and table slot). Either pointer may be NULL.
 */
WSAIO_EXPORT void wsaio_memory_info(size_t *per_pending_op, size_t *per_socket);

/**
 * wsaio_op_memory_info - bytes of memory one pending overlapped operation costs, by the
 * class of its record: plain (WSARecv, WSASend, WSARecvFrom / WSASendTo without an
 * address, a zero-byte receive, DisconnectEx, WSAIoctl: at most 2 buffers) or extended
 * (with an address or control data: WSARecvFrom, WSASendTo, WSARecvMsg, WSASendMsg; and
 * ConnectEx, AcceptEx, TransmitFile, or more than 2 buffers). Either pointer may be NULL.
 */
WSAIO_EXPORT void wsaio_op_memory_info(size_t *per_plain_op, size_t *per_extended_op);

/**
 * wsaio_port_memory_info - bytes of memory the completion-port side costs, as
 * wsaio_memory_info reports the rest: one pending AcceptEx (its operation record, an
 * extended one; the accept socket is the program's own, counted per socket); one queued
 * completion packet of a socket operation (the packet lives in the operation's record,
 * which stays in use until the packet is dequeued: the whole record, a plain one; an
 * extended operation's packet costs the extended figure of wsaio_op_memory_info); one
 * queued posted packet
 * (PostQueuedCompletionStatus: a pooled record of its own). Any pointer may be NULL.
 */
WSAIO_EXPORT void wsaio_port_memory_info(size_t *per_pending_acceptex,
                                         size_t *per_completion_packet, size_t *per_posted_packet);

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_WSAIO_H */
