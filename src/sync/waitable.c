/*
 * waitable.c - the setter's side of a waitable's futex word (see waitable.h): set, pulse
 * and wake, the broadcast word of the fallback wait mechanism, and the kick of a thread
 * that has routines to run.
 *
 * Kernels without futex_waitv (before 5.16, or WSAIO_NO_FUTEX_WAITV=1) use one process-wide
 * broadcast word for waits on more than one word: every set bumps it when somebody sleeps
 * on it. Correct, but a set wakes every such waiter, so it is only the fallback.
 *
 * A reaper asleep in the backend does not see futex words: a set of an object it registered
 * for (ring_waiters), or a routine queued to it (in_ring), calls the ring kick that the
 * loop registered at its setup. sync/ knows nothing of the loop beyond that pointer.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/futex.h"
#include "sync/thread.h"
#include "sync/waitable.h"

static _Atomic uint32_t bcast_word;    /* bumped by every set while bcast_waiters != 0 */
static _Atomic uint32_t bcast_waiters; /* threads sleeping on bcast_word */
static _Atomic int waitv_state;        /* 0 unknown, 1 futex_waitv works, 2 broadcast */
/* Set once by the loop before any reaper registers; read only after a registration was
 * seen (seq_cst), which orders the read after the store. */
static void (*_Atomic ring_kick)(void);

bool wsaio_waitable_use_waitv(void)
{
    int st = atomic_load_explicit(&waitv_state, memory_order_relaxed);

    if (st == 0) {
        const char *env = getenv("WSAIO_NO_FUTEX_WAITV");

        if (env && *env && strcmp(env, "0") != 0) {
            st = 2;
        } else {
            /* An empty vector is EINVAL where the call exists, ENOSYS where it does not. */
            st = wsaio_futex_waitv(NULL, 0, NULL) == -ENOSYS ? 2 : 1;
        }
        atomic_store_explicit(&waitv_state, st, memory_order_relaxed);
    }
    return st == 1;
}

WSAIO_EXPORT const char *wsaio_wait_mechanism(void)
{
    return wsaio_waitable_use_waitv() ? "futex_waitv" : "futex-broadcast";
}

_Atomic uint32_t *wsaio_waitable_bcast_word(void)
{
    return &bcast_word;
}

/* The calling thread's joins in force (its waits in progress on the fallback). Counted
 * here, on the fallback's path only, so that the waits with futex_waitv pay nothing. */
static __thread unsigned bcast_joined __attribute__((tls_model("initial-exec")));

void wsaio_waitable_bcast_join(bool join)
{
    if (join) {
        atomic_fetch_add(&bcast_waiters, 1);
        bcast_joined++;
    } else {
        atomic_fetch_sub(&bcast_waiters, 1);
        bcast_joined--;
    }
}

void wsaio_waitable_bcast_leave_all(void)
{
    while (bcast_joined)
        wsaio_waitable_bcast_join(false);
}

void wsaio_waitable_bcast_kick(void)
{
    if (atomic_load(&bcast_waiters)) {
        atomic_fetch_add(&bcast_word, 1);
        wsaio_futex_wake(&bcast_word, INT_MAX);
    }
}

void wsaio_waitable_set_ring_kick(void (*kick)(void))
{
    atomic_store_explicit(&ring_kick, kick, memory_order_release);
}

static void kick_ring(void)
{
    void (*kick)(void) = atomic_load_explicit(&ring_kick, memory_order_acquire);

    if (kick)
        kick();
}

/* After w's word changed: wakes whoever sleeps on it. seq_cst change before, seq_cst loads
 * here: pairs with the waiter's registration then read (a sleeper on the word, or a reaper
 * in the backend that registered in ring_waiters). Nobody waiting: no system call. */
static void wake_waiters(struct wsaio_waitable *w)
{
    if (atomic_load(&w->waiters))
        wsaio_futex_wake(&w->word, INT_MAX);
    wsaio_waitable_bcast_kick();
    if (atomic_load(&w->ring_waiters))
        kick_ring();
}

void wsaio_waitable_set(struct wsaio_waitable *w)
{
    uint32_t old = atomic_load_explicit(&w->word, memory_order_relaxed);

    do {
        if (old & WSAIO_SIGNALLED)
            return;
    } while (
        !atomic_compare_exchange_weak(&w->word, &old, (old + WSAIO_SEQ_ONE) | WSAIO_SIGNALLED));
    wake_waiters(w);
}

void wsaio_waitable_wake(struct wsaio_waitable *w)
{
    wake_waiters(w);
}

void wsaio_waitable_pulse(struct wsaio_waitable *w)
{
    atomic_fetch_add(&w->word, WSAIO_SEQ_ONE);
    wake_waiters(w);
}

void wsaio_waitable_kick_thread(struct wsaio_tstate *ts)
{
    if (atomic_load(&ts->alertable)) {
        wsaio_futex_wake(&ts->apc_seq, 1);
        wsaio_waitable_bcast_kick();
    }
    /* The thread may be the reaper, asleep in the backend in an alertable wait. */
    if (atomic_load(&ts->in_ring))
        kick_ring();
}
