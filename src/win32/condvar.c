/*
 * condvar.c - condition variables in the program's CONDITION_VARIABLE (one pointer, zero
 * is the initial state). The futex word is a wake sequence: a sleeper reads it, releases
 * its lock, and sleeps while it is unchanged; a wake bumps it. Wakes that come before the
 * sleeper reads the word are not owed to it, and a wake may release more than one sleeper
 * (Windows also allows spurious wake-ups: callers re-check their predicate).
 */
#include <time.h>

#include "base/error.h"
#include "win32/futex_word.h"

WSAIO_EXPORT void WINAPI InitializeConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    ConditionVariable->Ptr = NULL;
}

/* Sleeps on cv's sequence `seen` for up to ms; false on timeout. */
static bool condvar_sleep(_Atomic uint32_t *w, uint32_t seen, DWORD ms)
{
    struct timespec d;

    if (ms == INFINITE) {
        wsaio_futex_wait(w, seen, NULL);
        return true;
    }
    clock_gettime(CLOCK_MONOTONIC, &d);
    d.tv_sec += ms / 1000;
    d.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (d.tv_nsec >= 1000000000L) {
        d.tv_sec++;
        d.tv_nsec -= 1000000000L;
    }
    return wsaio_futex_wait(w, seen, &d) != -ETIMEDOUT;
}

static BOOL timed_out(void)
{
    wsaio_set_error(ERROR_TIMEOUT);
    return FALSE;
}

WSAIO_EXPORT BOOL WINAPI SleepConditionVariableCS(PCONDITION_VARIABLE ConditionVariable,
                                                  PCRITICAL_SECTION CriticalSection,
                                                  DWORD dwMilliseconds)
{
    _Atomic uint32_t *w = wsaio_word_of(&ConditionVariable->Ptr);
    uint32_t seen = atomic_load(w);
    bool woken;

    LeaveCriticalSection(CriticalSection);
    woken = condvar_sleep(w, seen, dwMilliseconds);
    EnterCriticalSection(CriticalSection);
    return woken ? TRUE : timed_out();
}

WSAIO_EXPORT BOOL WINAPI SleepConditionVariableSRW(PCONDITION_VARIABLE ConditionVariable,
                                                   PSRWLOCK SRWLock, DWORD dwMilliseconds,
                                                   ULONG Flags)
{
    _Atomic uint32_t *w = wsaio_word_of(&ConditionVariable->Ptr);
    uint32_t seen;
    bool woken;

    if (Flags & ~(ULONG)CONDITION_VARIABLE_LOCKMODE_SHARED) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    seen = atomic_load(w);
    if (Flags & CONDITION_VARIABLE_LOCKMODE_SHARED)
        ReleaseSRWLockShared(SRWLock);
    else
        ReleaseSRWLockExclusive(SRWLock);
    woken = condvar_sleep(w, seen, dwMilliseconds);
    if (Flags & CONDITION_VARIABLE_LOCKMODE_SHARED)
        AcquireSRWLockShared(SRWLock);
    else
        AcquireSRWLockExclusive(SRWLock);
    return woken ? TRUE : timed_out();
}

WSAIO_EXPORT void WINAPI WakeConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    _Atomic uint32_t *w = wsaio_word_of(&ConditionVariable->Ptr);

    atomic_fetch_add(w, 1);
    wsaio_futex_wake(w, 1);
}

WSAIO_EXPORT void WINAPI WakeAllConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    _Atomic uint32_t *w = wsaio_word_of(&ConditionVariable->Ptr);

    atomic_fetch_add(w, 1);
    wsaio_futex_wake(w, INT_MAX);
}
