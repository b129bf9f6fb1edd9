/*
 * synchapi.h - mutexes, semaphores, slim reader/writer locks and condition variables.
 *
 * Mutex and semaphore handles are waitable with WaitForSingleObject(Ex) and
 * WaitForMultipleObjects(Ex) like events (a wait-all takes them atomically with the other
 * objects) and closed with CloseHandle. Named objects are not supported (a non-NULL name
 * fails with ERROR_NOT_SUPPORTED). A mutex whose owner thread exits holding it is
 * abandoned: the next wait that takes it returns WAIT_ABANDONED_0 + its index (a wait-all:
 * WAIT_ABANDONED_0).
 *
 * SRWLOCK and CONDITION_VARIABLE are one pointer wide, as on Windows, and live in the
 * program's memory: zero (SRWLOCK_INIT, CONDITION_VARIABLE_INIT) is the initial state and
 * there is nothing to delete.
 */
#ifndef WSAIO_SYNCHAPI_H
#define WSAIO_SYNCHAPI_H

#include "winbase.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CREATE_MUTEX_INITIAL_OWNER 0x00000001
#define MUTEX_ALL_ACCESS           0x1F0001
#define MUTEX_MODIFY_STATE         0x0001
#define SEMAPHORE_ALL_ACCESS       0x1F0003
#define SEMAPHORE_MODIFY_STATE     0x0002
#ifndef MAXLONG
#define MAXLONG 0x7fffffff
#endif

/* ---- Mutexes ----------------------------------------------------------------------- */

/** CreateMutexA/W - an unnamed mutex, owned by the caller if bInitialOwner. */
WSAIO_EXPORT HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                        LPCSTR lpName);
WSAIO_EXPORT HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                        LPCWSTR lpName);
/** CreateMutexExA/W - as CreateMutex, with CREATE_MUTEX_INITIAL_OWNER in dwFlags. */
WSAIO_EXPORT HANDLE WINAPI CreateMutexExA(LPSECURITY_ATTRIBUTES lpMutexAttributes, LPCSTR lpName,
                                          DWORD dwFlags, DWORD dwDesiredAccess);
WSAIO_EXPORT HANDLE WINAPI CreateMutexExW(LPSECURITY_ATTRIBUTES lpMutexAttributes, LPCWSTR lpName,
                                          DWORD dwFlags, DWORD dwDesiredAccess);
/** ReleaseMutex - gives up one level of ownership; ERROR_NOT_OWNER if the caller is not the owner.
 */
WSAIO_EXPORT BOOL WINAPI ReleaseMutex(HANDLE hMutex);

/* ---- Semaphores -------------------------------------------------------------------- */

/**
 * CreateSemaphoreA/W - an unnamed semaphore with a count in 0..lMaximumCount; each
 * successful wait takes one. ERROR_INVALID_PARAMETER unless 0 <= initial <= maximum and
 * maximum > 0. Counts are kept up to 0x3FFFFFFF (a larger maximum is capped there).
 */
WSAIO_EXPORT HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                            LONG lInitialCount, LONG lMaximumCount, LPCSTR lpName);
WSAIO_EXPORT HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                            LONG lInitialCount, LONG lMaximumCount, LPCWSTR lpName);
/** CreateSemaphoreExA/W - as CreateSemaphore; dwFlags must be 0. */
WSAIO_EXPORT HANDLE WINAPI CreateSemaphoreExA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                              LONG lInitialCount, LONG lMaximumCount, LPCSTR lpName,
                                              DWORD dwFlags, DWORD dwDesiredAccess);
WSAIO_EXPORT HANDLE WINAPI CreateSemaphoreExW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                              LONG lInitialCount, LONG lMaximumCount,
                                              LPCWSTR lpName, DWORD dwFlags, DWORD dwDesiredAccess);
/**
 * ReleaseSemaphore - adds lReleaseCount (> 0, else ERROR_INVALID_PARAMETER) and stores the
 * previous count; past the maximum it fails with ERROR_TOO_MANY_POSTS and changes nothing.
 */
WSAIO_EXPORT BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount,
                                          LPLONG lpPreviousCount);

/* ---- Slim reader/writer locks ------------------------------------------------------ */

typedef struct _RTL_SRWLOCK {
    PVOID Ptr;
} SRWLOCK, *PSRWLOCK, RTL_SRWLOCK, *PRTL_SRWLOCK;
#define SRWLOCK_INIT                                                                               \
    {                                                                                              \
        0                                                                                          \
    }

/** InitializeSRWLock - sets the lock to its unlocked state (same as SRWLOCK_INIT). */
WSAIO_EXPORT void WINAPI InitializeSRWLock(PSRWLOCK SRWLock);
/** AcquireSRWLockExclusive - takes the lock for writing (not recursive). */
WSAIO_EXPORT void WINAPI AcquireSRWLockExclusive(PSRWLOCK SRWLock);
/** AcquireSRWLockShared - takes the lock for reading, with other readers. */
WSAIO_EXPORT void WINAPI AcquireSRWLockShared(PSRWLOCK SRWLock);
/** TryAcquireSRWLockExclusive - takes it for writing without waiting; TRUE on success. */
WSAIO_EXPORT BOOLEAN WINAPI TryAcquireSRWLockExclusive(PSRWLOCK SRWLock);
/** TryAcquireSRWLockShared - takes it for reading without waiting; TRUE on success. */
WSAIO_EXPORT BOOLEAN WINAPI TryAcquireSRWLockShared(PSRWLOCK SRWLock);
/** ReleaseSRWLockExclusive - releases a lock taken for writing. */
WSAIO_EXPORT void WINAPI ReleaseSRWLockExclusive(PSRWLOCK SRWLock);
/** ReleaseSRWLockShared - releases a lock taken for reading. */
WSAIO_EXPORT void WINAPI ReleaseSRWLockShared(PSRWLOCK SRWLock);

/* ---- Condition variables ----------------------------------------------------------- */

typedef struct _RTL_CONDITION_VARIABLE {
    PVOID Ptr;
} CONDITION_VARIABLE, *PCONDITION_VARIABLE, RTL_CONDITION_VARIABLE, *PRTL_CONDITION_VARIABLE;
#define CONDITION_VARIABLE_INIT                                                                    \
    {                                                                                              \
        0                                                                                          \
    }
#define CONDITION_VARIABLE_LOCKMODE_SHARED 0x1

/** InitializeConditionVariable - sets it to its initial state (CONDITION_VARIABLE_INIT). */
WSAIO_EXPORT void WINAPI InitializeConditionVariable(PCONDITION_VARIABLE ConditionVariable);
/**
 * SleepConditionVariableCS - releases the critical section, sleeps until woken or
 * dwMilliseconds pass, re-enters it. FALSE with ERROR_TIMEOUT on timeout. Wake-ups may be
 * spurious, as on Windows.
 */
WSAIO_EXPORT BOOL WINAPI SleepConditionVariableCS(PCONDITION_VARIABLE ConditionVariable,
                                                  PCRITICAL_SECTION CriticalSection,
                                                  DWORD dwMilliseconds);
/**
 * SleepConditionVariableSRW - as above with an SRW lock held exclusively, or shared with
 * CONDITION_VARIABLE_LOCKMODE_SHARED in Flags (other flags: ERROR_INVALID_PARAMETER).
 */
WSAIO_EXPORT BOOL WINAPI SleepConditionVariableSRW(PCONDITION_VARIABLE ConditionVariable,
                                                   PSRWLOCK SRWLock, DWORD dwMilliseconds,
                                                   ULONG Flags);
/** WakeConditionVariable - wakes one sleeper (if any). */
WSAIO_EXPORT void WINAPI WakeConditionVariable(PCONDITION_VARIABLE ConditionVariable);
/** WakeAllConditionVariable - wakes every sleeper. */
WSAIO_EXPORT void WINAPI WakeAllConditionVariable(PCONDITION_VARIABLE ConditionVariable);

#ifdef UNICODE
#define CreateMutex       CreateMutexW
#define CreateMutexEx     CreateMutexExW
#define CreateSemaphore   CreateSemaphoreW
#define CreateSemaphoreEx CreateSemaphoreExW
#else
#define CreateMutex       CreateMutexA
#define CreateMutexEx     CreateMutexExA
#define CreateSemaphore   CreateSemaphoreA
#define CreateSemaphoreEx CreateSemaphoreExA
#endif

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_SYNCHAPI_H */
