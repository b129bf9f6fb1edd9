/*
 * port.h - I/O completion port objects (api.md 2.4, 4.17 to 4.21): a handle, a FIFO of
 * packets and a waitable that is signalled while the FIFO is not empty or the port is
 * closed.
 *
 * Packets of socket operations live in the operation record (op->packet), so a completion
 * allocates nothing; posted packets (PostQueuedCompletionStatus) come from a bounded pool.
 */
#ifndef WSAIO_CORE_PORT_H
#define WSAIO_CORE_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/handle.h"

struct wsaio_op;

/* One completion packet. */
struct wsaio_packet {
    struct wsaio_packet *next;
    ULONG_PTR key;
    LPOVERLAPPED ov;
    DWORD bytes;
    NTSTATUS status;
    bool in_op; /* embedded in a struct wsaio_op (freed with it), else from the post pool */
};

/* A new port handle, or NULL with the last error set (ERROR_NOT_ENOUGH_MEMORY);
 * concurrency 0 means the number of processors online. */
HANDLE wsaio_port_create(DWORD concurrency);

/* True when h names a live port. */
bool wsaio_port_is_live(HANDLE h);

/* Queues a posted packet on the port h names. 0, -EBADF (not a live port) or -ENOMEM
 * (the post pool is exhausted). */
int wsaio_port_post(HANDLE h, DWORD bytes, ULONG_PTR key, LPOVERLAPPED ov);

/* Removes up to max packets (FIFO) into out, waiting up to timeout ms (INFINITE: none) for
 * the first one; alertable waits run queued completion routines. Several waiting threads
 * are released last-in first-out, and no more of them at once than the port's concurrency
 * value while those released before have not come back (port.c). Returns the number
 * removed (>= 1), or 0 with *why set to WAIT_TIMEOUT, WAIT_IO_COMPLETION,
 * ERROR_ABANDONED_WAIT_0 (closed during the wait) or ERROR_INVALID_HANDLE. */
ULONG wsaio_port_get(HANDLE h, OVERLAPPED_ENTRY *out, ULONG max, DWORD timeout, bool alertable,
                     DWORD *why);

/* The completion hook of wsaio_loop_deliver for an operation without a routine: queues
 * op's packet on the port its socket is associated with, unless hEvent has bit 0 set
 * (api.md 2.5) or FILE_SKIP_COMPLETION_PORT_ON_SUCCESS skips an immediate completion
 * (armed: the operation had been reported pending). True when op now belongs to the port
 * (freed when its packet is dequeued or the port closed); false: the caller frees it. */
bool wsaio_port_complete(struct wsaio_op *op, bool armed);

/* Bytes one queued posted packet costs. */
size_t wsaio_port_packet_size(void);

/* Where the calling thread stands with the port that released it last: not counted in
 * its concurrency (none, or it came back), counted, or counted but asleep in a wait of
 * the loop (counted again when it runs). */
enum { WSAIO_PORT_NONE, WSAIO_PORT_COUNTED, WSAIO_PORT_ASLEEP };
extern __thread uint8_t wsaio_port_tstate __attribute__((tls_model("initial-exec")));

/* Around a sleep of the one wait loop (loop.c), for a thread whose wsaio_port_tstate is
 * not WSAIO_PORT_NONE: a thread a port released (and that has not come back to it) does
 * not count against that port's concurrency limit while it sleeps (true), and counts
 * again once it runs (false). */
void wsaio_port_thread_turns(bool sleeps);

/* Threads blocked in GetQueuedCompletionStatus(Ex) on the port h names, waiting for a
 * packet (0 for a handle that is not a live port): for tests. */
unsigned wsaio_port_waiting(HANDLE h);

#endif /* WSAIO_CORE_PORT_H */
