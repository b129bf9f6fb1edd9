/*
 * cancel.h - one cancel path for overlapped operations: one operation (by its
 * OVERLAPPED), all of a socket's, or all those a given thread issued, whether queued,
 * in the kernel, or an address-change request (netchange.c). closesocket uses it
 * (core/close.c); CancelIo / CancelIoEx will.
 */
#ifndef WSAIO_CORE_CANCEL_H
#define WSAIO_CORE_CANCEL_H

#include <stdbool.h>
#include <stdint.h>

#include <winsock2.h>

struct wsaio_socket;

/* Which operations of a socket a cancel ends. */
struct wsaio_cancel_match {
    LPWSAOVERLAPPED ov; /* this operation only, or NULL for any */
    int32_t tid;        /* those this thread issued (wsaio_self_tid()), or 0 for any */
    bool deliver;       /* false (WSACleanup): end them without any indication */
    bool closing;       /* closesocket: also the calls blocked in the socket's requests */
};

/* True when an operation issued with ov by thread tid fits m. */
static inline bool wsaio_cancel_matches(const struct wsaio_cancel_match *m, LPWSAOVERLAPPED ov,
                                        int32_t tid)
{
    return (!m->ov || m->ov == ov) && (!m->tid || m->tid == tid);
}

/*
 * Cancels sk's operations that match m: queued ones end now with STATUS_CANCELLED; those
 * in the kernel are cancelled there and end with STATUS_CANCELLED when the backend
 * reports them (or with their result, when they finished first), after which the
 * socket's queue goes on unless it is closed; address-change requests end now. Returns
 * how many operations matched (0: CancelIoEx's ERROR_NOT_FOUND).
 */
int wsaio_cancel(struct wsaio_socket *sk, const struct wsaio_cancel_match *m);

#endif /* WSAIO_CORE_CANCEL_H */
