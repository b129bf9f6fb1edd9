/*
 * waitable.h - the state every waitable object (event, thread) shares: one futex word.
 *
 * word = (set sequence << 2) | reserved | signalled. Every transition to signalled bumps
 * the sequence, so a waiter that slept while the object was set and reset again still sees
 * that it was released (a manual-reset set releases everyone waiting at that moment, as
 * on Windows), and a wait-all can prove that all its objects were signalled at one instant
 * by reading every word twice and finding them unchanged.
 *
 * reserved marks a signalled auto-reset object that a wait-all is in the middle of taking
 * together with its other objects: nobody else may take it, and a thread that meets it
 * waits for the outcome (consumed, or still signalled) instead of answering early, so the
 * wait-all is atomic to every observer.
 *
 * waiters counts threads asleep on the object's word, ring_waiters a reaper asleep in the
 * backend (io_uring, epoll) whose wait includes the object; a set with neither makes no
 * system call, and a set kicks the reaper only when it waits on that object.
 *
 * Set and wait order their accesses with sequentially consistent atomics: a setter
 * writes word then reads the counts, a waiter increments a count then reads word, so at
 * least one of them sees the other.
 */
#ifndef WSAIO_SYNC_WAITABLE_H
#define WSAIO_SYNC_WAITABLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct wsaio_waitable {
    _Atomic uint32_t word;
    _Atomic uint32_t waiters;      /* threads asleep on word */
    _Atomic uint32_t ring_waiters; /* a reaper asleep in the backend, waiting on this too */
    bool auto_reset;               /* auto-reset events: a successful wait consumes the signal */
    uint8_t kind;                  /* enum wsaio_waitable_kind: how a wait takes the object */
    _Atomic int32_t owner;         /* mutex: the owning thread's id, 0 when unowned */
    uint32_t recursion;            /* mutex: owner only, how many times it holds it */
    _Atomic uint32_t abandoned;    /* mutex: its owner exited holding it, not taken since */
};

/*
 * Objects a successful wait takes (auto_reset is true for all three):
 * - an auto-reset event: clears SIGNALLED;
 * - a semaphore: the word's upper 30 bits hold the count instead of a set sequence
 *   (SIGNALLED == count > 0) and a wait takes one unit;
 * - a mutex: SIGNALLED == unowned; a wait takes ownership, and its owner's waits on it
 *   succeed at once (recursive ownership).
 */
enum wsaio_waitable_kind { WSAIO_KIND_EVENT = 0, WSAIO_KIND_SEMAPHORE = 1, WSAIO_KIND_MUTEX = 2 };

#define WSAIO_SIGNALLED 1u
#define WSAIO_RESERVED  2u
#define WSAIO_SEQ_ONE   4u /* one step of the set sequence */
#define WSAIO_SEQ(word) ((word) >> 2)

static inline void wsaio_waitable_init(struct wsaio_waitable *w, bool auto_reset, bool signalled)
{
    atomic_init(&w->word, signalled ? (WSAIO_SEQ_ONE | WSAIO_SIGNALLED) : 0u);
    atomic_init(&w->waiters, 0);
    atomic_init(&w->ring_waiters, 0);
    w->auto_reset = auto_reset;
    w->kind = WSAIO_KIND_EVENT;
    atomic_init(&w->owner, 0);
    w->recursion = 0;
    atomic_init(&w->abandoned, 0);
}

/* The word after one successful wait took the object whose word was `word`. */
static inline uint32_t wsaio_waitable_taken(const struct wsaio_waitable *w, uint32_t word)
{
    if (w->kind == WSAIO_KIND_SEMAPHORE) {
        word -= WSAIO_SEQ_ONE;
        return WSAIO_SEQ(word) ? word : (word & ~WSAIO_SIGNALLED);
    }
    return word & ~WSAIO_SIGNALLED;
}

/* The calling thread's id as mutexes record it (defined in mutex.c). */
int32_t wsaio_self_tid(void);

/* True when w is a mutex that the calling thread owns. */
static inline bool wsaio_waitable_owned(struct wsaio_waitable *w)
{
    return w->kind == WSAIO_KIND_MUTEX && atomic_load(&w->owner) == wsaio_self_tid();
}

/* After a wait took the mutex w (its word already updated): records the calling thread as
 * its owner, or one more level of ownership. True when its previous owner had exited
 * holding it: the wait then reports WAIT_ABANDONED (defined in mutex.c). */
bool wsaio_mutex_took(struct wsaio_waitable *w);

/* After a wait took w: see wsaio_mutex_took (other objects: nothing to record). */
static inline bool wsaio_waitable_took(struct wsaio_waitable *w)
{
    return w->kind == WSAIO_KIND_MUTEX && wsaio_mutex_took(w);
}

/* Wakes the waiters of w after its word changed (waitable.c). */
void wsaio_waitable_wake(struct wsaio_waitable *w);

/* Signals w and wakes its waiters. */
void wsaio_waitable_set(struct wsaio_waitable *w);

/* Bumps w's sequence without signalling it and wakes its waiters: a waiter that slept
 * since a given sequence sees the change (an "it happened" counter). */
void wsaio_waitable_pulse(struct wsaio_waitable *w);

/* Wakes ts if it sleeps in an alertable wait (called after queueing it a routine). */
struct wsaio_tstate;
void wsaio_waitable_kick_thread(struct wsaio_tstate *ts);

/* Registers how to wake a reaper asleep in the backend (the loop, once at its setup):
 * called by a set of an object with ring_waiters and a kick of a thread with in_ring. */
void wsaio_waitable_set_ring_kick(void (*kick)(void));

/* True when futex_waitv sleeps on many words; false: the broadcast fallback (a multi-word
 * waiter joins it and sleeps on its word, which every set bumps while anybody joined). */
bool wsaio_waitable_use_waitv(void);
_Atomic uint32_t *wsaio_waitable_bcast_word(void);
void wsaio_waitable_bcast_join(bool join); /* true: join, false: leave */

/* Leaves every join of the calling thread still in force: for a thread that exits inside
 * its waits (core/loop.c), which never leave them themselves. */
void wsaio_waitable_bcast_leave_all(void);

/* Wakes every thread sleeping on the broadcast word. */
void wsaio_waitable_bcast_kick(void);

/* Makes w non-signalled. */
static inline void wsaio_waitable_reset(struct wsaio_waitable *w)
{
    atomic_fetch_and(&w->word, ~WSAIO_SIGNALLED);
}

#endif /* WSAIO_SYNC_WAITABLE_H */
