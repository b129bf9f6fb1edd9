/*
 * io.h - what WSARecv*, WSASend* and WSAIoctl share: turning the caller's WSABUF array
 * and indication arguments into an operation record, running the overlapped call through
 * the engine, and turning the engine's outcome into the Winsock return (api.md 1.3).
 */
#ifndef WSAIO_API_IO_H
#define WSAIO_API_IO_H

#include "api/startup.h" /* wsaio_socket_enter, there since the reshape */

#include "core/engine.h"
#include "base/userptr.h"

/* Largest WSABUF array accepted (api.md 5: at least 1024; Linux IOV_MAX). */
#define WSAIO_MAX_WSABUF 1024

/* WSAIO_MAX_TRANSFER and WSAIO_MAX_SEND: core/opkind.h. */

/* The WSABUF array checks every send and receive makes first (api.md 5): a bad array
 * pointer (wsaio_bad_ptr) WSAEFAULT, no buffer WSAEINVAL, more than WSAIO_MAX_WSABUF
 * WSAENOBUFS, a bad data buffer with a non-zero len WSAEFAULT; else 0. */
int wsaio_io_check_buffers(const WSABUF *bufs, DWORD nbufs);

/* True when the lengths of a send's buffers add up to at most WSAIO_MAX_SEND. */
bool wsaio_io_send_fits(const WSABUF *bufs, DWORD nbufs);

/* The length Windows requires of an address of family af: sockaddr_in6 or sockaddr_in. */
static inline int wsaio_io_addr_len(int af)
{
    return af == AF_INET6 ? (int)sizeof(struct sockaddr_in6) : (int)sizeof(struct sockaddr_in);
}

/* True when the socket fd has a peer (connected). */
static inline bool wsaio_io_has_peer(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    return getpeername(fd, (struct sockaddr *)&ss, &len) == 0;
}

/* Ends a send or receive on sk that fails before it starts: drops the reference the call
 * holds and returns SOCKET_ERROR with err. */
static inline int wsaio_io_refuse(struct wsaio_socket *sk, int err)
{
    wsaio_socket_put(sk);
    return wsaio_fail((DWORD)err);
}

/* The BSD recv or send on s with a bad buffer (a negative length): WSAEFAULT, after the
 * socket check as on Windows. */
static inline int wsaio_io_bad_buffer(SOCKET s)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);

    return sk ? wsaio_io_refuse(sk, WSAEFAULT) : SOCKET_ERROR;
}

/* A record for an overlapped call on sk: buffers copied, indication chosen (routine and
 * its thread, or hEvent & ~1). An extended record (op.h) when addressed (the call carries
 * an address or control data), when the kind needs one, or for more buffers than a plain
 * record holds. NULL with *err set when out of memory or too many buffers. */
struct wsaio_op *wsaio_io_op(struct wsaio_socket *sk, int kind, bool addressed, const WSABUF *bufs,
                             DWORD nbufs, LPWSAOVERLAPPED ov,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, int *err);

/* Builds a msghdr over the caller's buffers for a call of kind (WSAIO_OP_SEND or _RECV)
 * made on the spot (not overlapped). iov must hold nbufs entries. Returns the total length
 * (a receive's cut at WSAIO_MAX_TRANSFER). */
size_t wsaio_io_msg(struct msghdr *msg, struct iovec *iov, const WSABUF *bufs, DWORD nbufs,
                    int kind);

/* Moves msg's iovec window past n bytes transferred (fewer than it holds). */
void wsaio_io_msg_skip(struct msghdr *msg, size_t n);

/* Runs op through the engine and returns what the overlapped call returns: 0 (done, the
 * indication delivered, *bytes and *flags written), or SOCKET_ERROR with WSA_IO_PENDING or
 * the failure. A socket without the overlapped attribute completes the call before
 * returning, as Windows does (api.md 1.2). */
int wsaio_io_run(struct wsaio_op *op, LPDWORD bytes, LPDWORD flags);

/* Runs op, an extension's operation issued without the program's OVERLAPPED, with the
 * call's own one (own: hEvent 1, no port packet), until it has ended: 0 with *bytes, or
 * the Winsock error. The caller still holds its reference on the socket. */
int wsaio_io_run_own(struct wsaio_op *op, LPWSAOVERLAPPED own, DWORD *bytes);

/* Waits, not alertably, until the operation behind ov has completed on sk. */
void wsaio_io_wait_done(struct wsaio_socket *sk, LPWSAOVERLAPPED ov);

/* The same, for at most timeout ms, alertably or not: WAIT_OBJECT_0 (completed),
 * WAIT_TIMEOUT, or WAIT_IO_COMPLETION (routines ran). */
DWORD wsaio_io_wait_done_for(struct wsaio_socket *sk, LPWSAOVERLAPPED ov, DWORD timeout,
                             bool alertable);

/* The Winsock error for a failed non-overlapped socket call (errno given): EAGAIN on a
 * blocking socket is a SO_RCVTIMEO/SO_SNDTIMEO expiry, WSAETIMEDOUT; ECONNREFUSED on a
 * datagram socket is a port unreachable, WSAECONNRESET (api.md 4.5). */
int wsaio_io_sync_error(struct wsaio_socket *sk, int err);

#endif /* WSAIO_API_IO_H */
