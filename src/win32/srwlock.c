/*
 * srwlock.c - slim reader/writer locks in the program's SRWLOCK (one pointer, zero is
 * unlocked). The futex word holds WRITER, WAITERS and the reader count; a release that
 * sees WAITERS wakes every sleeper, which then compete again (SRW locks are not fair on
 * Windows either). Not recursive, as on Windows.
 */
#include "win32/futex_word.h"

#define WRITER  0x80000000u
#define WAITERS 0x40000000u
#define READERS 0x3FFFFFFFu

WSAIO_EXPORT void WINAPI InitializeSRWLock(PSRWLOCK SRWLock)
{
    SRWLock->Ptr = NULL;
}

/* One attempt: takes the lock if `busy` bits are clear, else marks WAITERS and sleeps. */
static void acquire(_Atomic uint32_t *w, uint32_t busy, uint32_t add)
{
    uint32_t v = atomic_load(w);

    for (;;) {
        if (!(v & busy)) {
            if (atomic_compare_exchange_weak(w, &v, v + add))
                return;
            continue;
        }
        if (!(v & WAITERS) && !atomic_compare_exchange_weak(w, &v, v | WAITERS))
            continue;
        wsaio_futex_wait(w, v | WAITERS, NULL);
        v = atomic_load(w);
    }
}

static BOOLEAN try_acquire(_Atomic uint32_t *w, uint32_t busy, uint32_t add)
{
    uint32_t v = atomic_load(w);

    while (!(v & busy))
        if (atomic_compare_exchange_weak(w, &v, v + add))
            return TRUE;
    return FALSE;
}

WSAIO_EXPORT void WINAPI AcquireSRWLockExclusive(PSRWLOCK SRWLock)
{
    acquire(wsaio_word_of(&SRWLock->Ptr), WRITER | READERS, WRITER);
}

WSAIO_EXPORT void WINAPI AcquireSRWLockShared(PSRWLOCK SRWLock)
{
    /* A sleeping writer (WAITERS) holds new readers back, so readers cannot starve it. */
    acquire(wsaio_word_of(&SRWLock->Ptr), WRITER | WAITERS, 1);
}

WSAIO_EXPORT BOOLEAN WINAPI TryAcquireSRWLockExclusive(PSRWLOCK SRWLock)
{
    return try_acquire(wsaio_word_of(&SRWLock->Ptr), WRITER | READERS, WRITER);
}

WSAIO_EXPORT BOOLEAN WINAPI TryAcquireSRWLockShared(PSRWLOCK SRWLock)
{
    return try_acquire(wsaio_word_of(&SRWLock->Ptr), WRITER | WAITERS, 1);
}

WSAIO_EXPORT void WINAPI ReleaseSRWLockExclusive(PSRWLOCK SRWLock)
{
    _Atomic uint32_t *w = wsaio_word_of(&SRWLock->Ptr);

    if (atomic_exchange(w, 0) & WAITERS)
        wsaio_futex_wake(w, INT_MAX);
}

WSAIO_EXPORT void WINAPI ReleaseSRWLockShared(PSRWLOCK SRWLock)
{
    _Atomic uint32_t *w = wsaio_word_of(&SRWLock->Ptr);
    uint32_t v = atomic_load(w), next;

    do {
        next = v - 1;
        if (!(next & READERS))
            next &= ~WAITERS; /* the last reader wakes the sleepers */
    } while (!atomic_compare_exchange_weak(w, &v, next));
    if ((v & WAITERS) && !(next & WAITERS))
        wsaio_futex_wake(w, INT_MAX);
}
