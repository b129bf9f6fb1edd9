/*
 * critsec.c - critical sections: a recursive futex lock kept in the CRITICAL_SECTION the
 * program owns (LockCount is the futex word: 0 free, 1 held, 2 held with sleepers;
 * OwningThread the owner's id; RecursionCount the depth).
 */
#include <unistd.h>

#include "base/error.h"
#include "base/futex.h"

static pid_t self_tid(void)
{
    static __thread pid_t tid __attribute__((tls_model("initial-exec")));

    if (!tid)
        tid = gettid();
    return tid;
}

static _Atomic uint32_t *word_of(LPCRITICAL_SECTION cs)
{
    return (_Atomic uint32_t *)(void *)&cs->LockCount;
}

static uintptr_t owner_of(LPCRITICAL_SECTION cs)
{
    return __atomic_load_n((uintptr_t *)&cs->OwningThread, __ATOMIC_RELAXED);
}

static void set_owner(LPCRITICAL_SECTION cs, uintptr_t owner)
{
    __atomic_store_n((uintptr_t *)&cs->OwningThread, owner, __ATOMIC_RELAXED);
}

WSAIO_EXPORT BOOL WINAPI InitializeCriticalSectionEx(LPCRITICAL_SECTION cs, DWORD dwSpinCount,
                                                     DWORD Flags)
{
    (void)Flags;
    memset(cs, 0, sizeof(*cs));
    cs->SpinCount = dwSpinCount;
    return TRUE;
}

WSAIO_EXPORT BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION cs,
                                                               DWORD dwSpinCount)
{
    return InitializeCriticalSectionEx(cs, dwSpinCount, 0);
}

WSAIO_EXPORT void WINAPI InitializeCriticalSection(LPCRITICAL_SECTION cs)
{
    InitializeCriticalSectionEx(cs, 0, 0);
}

WSAIO_EXPORT BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION cs)
{
    uintptr_t me = (uintptr_t)self_tid();
    uint32_t expect = 0;

    if (owner_of(cs) == me) {
        cs->RecursionCount++;
        return TRUE;
    }
    if (!atomic_compare_exchange_strong(word_of(cs), &expect, 1))
        return FALSE;
    set_owner(cs, me);
    cs->RecursionCount = 1;
    return TRUE;
}

WSAIO_EXPORT void WINAPI EnterCriticalSection(LPCRITICAL_SECTION cs)
{
    _Atomic uint32_t *w = word_of(cs);
    uintptr_t me = (uintptr_t)self_tid();
    uint32_t c = 0;

    if (owner_of(cs) == me) {
        cs->RecursionCount++;
        return;
    }
    for (ULONG_PTR spin = cs->SpinCount; spin > 0; spin--) {
        c = 0;
        if (atomic_compare_exchange_weak(w, &c, 1))
            goto owned;
    }
    c = 0;
    if (!atomic_compare_exchange_strong(w, &c, 1)) {
        /* Classic three-state mutex: mark contended, sleep until we take it as 2. */
        if (c != 2)
            c = atomic_exchange(w, 2);
        while (c != 0) {
            wsaio_futex_wait(w, 2, NULL);
            c = atomic_exchange(w, 2);
        }
    }
owned:
    set_owner(cs, me);
    cs->RecursionCount = 1;
}

WSAIO_EXPORT void WINAPI LeaveCriticalSection(LPCRITICAL_SECTION cs)
{
    if (--cs->RecursionCount > 0)
        return;
    set_owner(cs, 0);
    if (atomic_exchange(word_of(cs), 0) == 2)
        wsaio_futex_wake(word_of(cs), 1);
}

WSAIO_EXPORT void WINAPI DeleteCriticalSection(LPCRITICAL_SECTION cs)
{
    memset(cs, 0, sizeof(*cs));
}
