/*
 * thread.h - per-thread state: the APC queue that completion routines and QueueUserAPC
 * feed, and the thread objects behind CreateThread handles.
 *
 * Every thread that touches wsaio gets a wsaio_tstate on first use (threads from
 * CreateThread get theirs before they start, so an APC can be queued to them at once).
 * The queue is a lock-free LIFO push list (any thread pushes, one compare-and-swap); the
 * owner takes the whole list at once and reverses it, so routines run in the order they
 * were queued. When the thread exits, the list is swapped for a CLOSED marker: routines
 * queued earlier or later are dropped (their drop callback runs, never the routine).
 */
#ifndef WSAIO_SYNC_THREAD_H
#define WSAIO_SYNC_THREAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>

#include "base/handle.h"
#include "sync/waitable.h"

struct wsaio_apc {
    struct wsaio_apc *next;
    void (*run)(struct wsaio_apc *apc);  /* runs the routine; owns apc afterwards */
    void (*drop)(struct wsaio_apc *apc); /* the thread is gone: release apc, never run */
};

struct wsaio_tstate {
    struct wsaio_apc *_Atomic apc_head; /* pushed by anyone; WSAIO_APC_CLOSED once dead */
    _Atomic uint32_t apc_seq;           /* bumped on every push: the alertable futex word */
    _Atomic uint32_t alertable;         /* owner sleeps on apc_seq in an alertable wait */
    _Atomic uint32_t in_ring;           /* owner reaps in the backend in an alertable wait */
    _Atomic uint32_t refs;
    struct wsaio_apc *fifo; /* owner only: taken, not yet run, in order */
    pid_t tid;
};

/* The calling thread's state, created on first use (NULL only if out of memory). */
struct wsaio_tstate *wsaio_tstate_self(void);

/* A state for a thread not started yet (one reference; NULL when out of memory or of
 * pthread keys), and its installation as the
 * calling thread's state; wsaio_tstate_exit_self() ends it early (CreateThread threads). */
struct wsaio_tstate *wsaio_tstate_new(void);
void wsaio_tstate_adopt(struct wsaio_tstate *ts);
void wsaio_tstate_exit_self(void);

/* Sets fn, which every thread that has a state runs when it exits, on that thread, before
 * its routines are dropped. The loop's, set when the library loads: a thread that calls
 * ExitThread from a routine run by an alertable wait leaves that wait there (it never
 * returns), and the loop forgets it as a waiter. */
void wsaio_tstate_set_exit_hook(void (*fn)(void));

void wsaio_tstate_get(struct wsaio_tstate *ts);
void wsaio_tstate_put(struct wsaio_tstate *ts);

/* Queues apc to ts; false (and apc dropped) if that thread has exited. */
bool wsaio_apc_queue(struct wsaio_tstate *ts, struct wsaio_apc *apc);

/* True when the calling thread has routines waiting to run. */
bool wsaio_apc_pending(struct wsaio_tstate *ts);

/* Runs every routine queued to the calling thread, including those queued meanwhile;
 * before it takes those, between() (if not NULL) may queue more: the caller's chance to
 * deliver what completed meanwhile, as Windows queues it in the order it completes.
 * Returns true if at least one ran. */
bool wsaio_apc_run_all(struct wsaio_tstate *ts, void (*between)(void));

/* Thread object behind a CreateThread handle; the waitable is set when the thread ends. */
struct wsaio_thread {
    struct wsaio_object hdr;
    struct wsaio_waitable done;
    DWORD exit_code;
    struct wsaio_tstate *ts; /* reference held */
    LPTHREAD_START_ROUTINE start;
    void *arg;
};

#endif /* WSAIO_SYNC_THREAD_H */
