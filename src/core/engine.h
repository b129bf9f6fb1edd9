/*
 * engine.h - the overlapped engine: per-socket queues, immediate completion, delivery of
 * completion indications, and abort on closesocket (DESIGN.md layers 3, 4 and 6).
 *
 * Ordering (api.md 6): each socket has one queue of receives and one of sends, and only
 * the head of a queue is ever in the kernel. io_uring alone would serve two receives of one
 * socket in any order and may complete a send short; one operation per direction at a time
 * makes "filled in the order posted" and "sent whole, in the order supplied" true by
 * construction. When the head finishes, the next one is tried at once (data may already be
 * queued) and otherwise handed to the backend.
 */
#ifndef WSAIO_CORE_ENGINE_H
#define WSAIO_CORE_ENGINE_H

#include "core/op.h"

/* Per-socket limit of outstanding operations per direction (api.md 9 item 24). */
#define WSAIO_MAX_PENDING_PER_SOCKET 1024

/* What happened to an operation handed to wsaio_engine_issue(). */
struct wsaio_issue {
    enum { WSAIO_DONE_NOW, WSAIO_PENDING, WSAIO_FAILED } outcome;
    NTSTATUS status; /* WSAIO_DONE_NOW: the final status (the indication is delivered) */
    uint32_t bytes;  /* WSAIO_DONE_NOW: bytes transferred */
    int wsa_error;   /* WSAIO_FAILED: the error for the caller; no indication */
};

/*
 * Issues a prepared operation (op->sk holds a record reference; op->ov, indication and
 * buffers set). Sets Internal to STATUS_PENDING, resets the event, then completes the
 * operation during the call when it can (api.md 1.3 outcome a), queues it (outcome b), or
 * fails it without any indication (outcome c: op is freed).
 */
struct wsaio_issue wsaio_engine_issue(struct wsaio_op *op);

struct wsaio_cancel_match;

/* The engine's part of wsaio_cancel() (cancel.h): the queued and in-kernel operations of
 * sk that match m. Returns how many matched. */
int wsaio_engine_cancel(struct wsaio_socket *sk, const struct wsaio_cancel_match *m);

/* closesocket: nothing new starts on sk, and a finished operation starts no next one. */
void wsaio_engine_shut(struct wsaio_socket *sk);

/* Marks op's OVERLAPPED pending and resets its event (unless it has a routine), before
 * anything could complete it: what an initiating call does (api.md 2.2). */
void wsaio_engine_arm(struct wsaio_op *op);

/* Waits (up to 5 s, not alertably) until the operations aborted on sk have been
 * delivered: closesocket then returns with every OVERLAPPED written and every event set
 * (api.md 4.4 rule 3); routines are queued and wait for an alertable wait. */
void wsaio_engine_wait_aborted(struct wsaio_socket *sk);

/* Sets the backend and the progress thread up if that has not happened yet: 0, or -errno
 * (a shortage, EMFILE/ENFILE/ENOMEM/EAGAIN, is tried again by the next call; any other
 * failure is final). */
int wsaio_engine_setup(void);

/* The backend, set up on first use (wsaio_engine_setup()); NULL if it could not be. */
const struct wsaio_backend *wsaio_engine_backend(void);

/* Why io_uring was refused, or why no backend could be set up ("" if neither): the calling
 * thread's copy, valid until it asks again. */
const char *wsaio_engine_refusal(void);

#endif /* WSAIO_CORE_ENGINE_H */
