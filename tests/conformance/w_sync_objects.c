/*
 * w_sync_objects.c - conformance section W (kernel32): mutexes, semaphores, wait-all over
 * them, SRW locks, condition variables, TLS slots and the Interlocked functions.
 *
 * What Windows does (Microsoft's pages for CreateMutex, ReleaseMutex, CreateSemaphore,
 * ReleaseSemaphore, the SRW lock and condition variable functions, TlsAlloc/TlsGetValue and
 * the Interlocked functions): a mutex is owned recursively by one thread; a semaphore wait
 * takes one unit; SRW locks and condition variables are one pointer wide; a condition
 * variable sleep that times out fails with ERROR_TIMEOUT. Covers items W.335 to W.341.
 */
#include "harness.h"

/* A wait on h from another thread, with a timeout: its result. */
struct probe {
    HANDLE h;
    DWORD timeout;
    DWORD result;
};

static DWORD WINAPI probe_wait(LPVOID p)
{
    struct probe *pr = (struct probe *)p;

    pr->result = WaitForSingleObject(pr->h, pr->timeout);
    if (pr->result == WAIT_OBJECT_0)
        ReleaseMutex(pr->h); /* a mutex taken by the probe goes back */
    return 0;
}

static DWORD wait_from_other_thread(HANDLE h, DWORD timeout)
{
    struct probe pr = {h, timeout, 0xdead};
    HANDLE t = harness_thread(probe_wait, &pr);

    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
    return pr.result;
}

TEST(w335_mutex_is_owned_recursively_by_one_thread)
{
    HANDLE m = CreateMutexA(NULL, TRUE, NULL);

    CHECK(m != NULL);
    CHECK_EQ(WaitForSingleObject(m, 0), WAIT_OBJECT_0); /* owner: depth 2 */
    CHECK_EQ(wait_from_other_thread(m, 0), WAIT_TIMEOUT);
    CHECK(ReleaseMutex(m));
    CHECK_EQ(wait_from_other_thread(m, 0), WAIT_TIMEOUT); /* still held once */
    CHECK(ReleaseMutex(m));
    CHECK_EQ(wait_from_other_thread(m, 5000), WAIT_OBJECT_0);
    SetLastError(0);
    CHECK(!ReleaseMutex(m)); /* nobody owns it now, certainly not this thread */
    CHECK_EQ(GetLastError(), ERROR_NOT_OWNER);
    CHECK(CloseHandle(m));
}

struct handover {
    HANDLE mutex, started;
    DWORD result;
};

static DWORD WINAPI wait_for_release(LPVOID p)
{
    struct handover *h = (struct handover *)p;

    SetEvent(h->started);
    h->result = WaitForSingleObject(h->mutex, 10000); /* blocks until main releases */
    if (h->result == WAIT_OBJECT_0)
        ReleaseMutex(h->mutex);
    return 0;
}

TEST(w335_mutex_waiter_gets_it_when_the_owner_releases)
{
    struct handover h;
    HANDLE t;

    h.mutex = CreateMutexA(NULL, TRUE, NULL);
    h.started = CreateEventA(NULL, TRUE, FALSE, NULL);
    h.result = 0xdead;
    CHECK(h.mutex != NULL && h.started != NULL);
    t = harness_thread(wait_for_release, &h);
    CHECK_EQ(WaitForSingleObject(h.started, 10000), WAIT_OBJECT_0);
    CHECK(ReleaseMutex(h.mutex)); /* the waiter, asleep or about to wait, gets it */
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CHECK_EQ(h.result, WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(h.mutex, 0), WAIT_OBJECT_0); /* released by the waiter */
    CHECK(ReleaseMutex(h.mutex));
    CloseHandle(t);
    CloseHandle(h.started);
    CloseHandle(h.mutex);
}

static DWORD WINAPI take_and_exit(LPVOID p)
{
    CHECK_EQ(WaitForSingleObject((HANDLE)p, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject((HANDLE)p, 0), WAIT_OBJECT_0); /* held twice, released never */
    return 0;
}

TEST(w335_mutex_of_an_exited_owner_is_abandoned)
{
    HANDLE m = CreateMutexA(NULL, FALSE, NULL), ev = CreateEventA(NULL, TRUE, TRUE, NULL);
    HANDLE both[2] = {ev, m}, t;

    CHECK(m != NULL && ev != NULL);
    t = harness_thread(take_and_exit, m);
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
    CHECK_EQ(WaitForSingleObject(m, 0), WAIT_ABANDONED_0); /* ours now, reported abandoned */
    CHECK(ReleaseMutex(m));
    CHECK(!ReleaseMutex(m)); /* owned once, not twice: the old recursion is gone */
    CHECK_EQ(WaitForSingleObject(m, 0), WAIT_OBJECT_0); /* abandoned only once */
    CHECK(ReleaseMutex(m));

    t = harness_thread(take_and_exit, m);
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
    CHECK_EQ(WaitForMultipleObjects(2, both, TRUE, 0), WAIT_ABANDONED_0); /* wait-all: no index */
    CHECK(ReleaseMutex(m));
    CloseHandle(m);
    CloseHandle(ev);
}

TEST(w336_semaphore_counts_and_limits)
{
    HANDLE s = CreateSemaphoreA(NULL, 2, 3, NULL);
    LONG prev = -1;

    CHECK(s != NULL);
    CHECK_EQ(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(s, 0), WAIT_TIMEOUT);
    CHECK(ReleaseSemaphore(s, 3, &prev));
    CHECK_EQ(prev, 0);
    SetLastError(0);
    CHECK(!ReleaseSemaphore(s, 1, &prev));
    CHECK_EQ(GetLastError(), ERROR_TOO_MANY_POSTS);
    CHECK_EQ(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    CHECK(ReleaseSemaphore(s, 1, &prev));
    CHECK_EQ(prev, 2);
    CHECK(CloseHandle(s));
}

TEST(w336_release_count_zero_is_invalid)
{
    HANDLE s = CreateSemaphoreA(NULL, 0, 5, NULL);
    LONG prev = -1;

    CHECK(s != NULL);
    SetLastError(0);
    CHECK(!ReleaseSemaphore(s, 0, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(!ReleaseSemaphore(s, -1, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(ReleaseSemaphore(s, 1, &prev));
    CHECK_EQ(prev, 0); /* the failed calls changed nothing */
    CHECK(CloseHandle(s));
}

TEST(w336_semaphore_bad_counts_are_invalid_parameters)
{
    SetLastError(0);
    CHECK(CreateSemaphoreA(NULL, -1, 1, NULL) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(CreateSemaphoreA(NULL, 2, 1, NULL) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(CreateSemaphoreA(NULL, 0, 0, NULL) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

static DWORD WINAPI hold_mutex_until(LPVOID p)
{
    HANDLE *h = (HANDLE *)p; /* h[0] mutex, h[1] "taken" event, h[2] "release" event */

    CHECK_EQ(WaitForSingleObject(h[0], 0), WAIT_OBJECT_0);
    SetEvent(h[1]);
    CHECK_EQ(WaitForSingleObject(h[2], 10000), WAIT_OBJECT_0);
    CHECK(ReleaseMutex(h[0]));
    return 0;
}

TEST(w337_wait_all_takes_mutex_semaphore_and_event_together)
{
    HANDLE m = CreateMutexA(NULL, FALSE, NULL);
    HANDLE s = CreateSemaphoreA(NULL, 1, 1, NULL);
    HANDLE e = CreateEventA(NULL, FALSE, TRUE, NULL);
    HANDLE taken = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE release = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE all[3] = {m, s, e}, hold[3] = {m, taken, release}, t;

    t = harness_thread(hold_mutex_until, hold);
    CHECK_EQ(WaitForSingleObject(taken, 10000), WAIT_OBJECT_0);
    /* The mutex is another thread's: nothing may be taken. */
    CHECK_EQ(WaitForMultipleObjects(3, all, TRUE, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(s, 0), WAIT_OBJECT_0); /* the semaphore still had its unit */
    CHECK(ReleaseSemaphore(s, 1, NULL));
    CHECK_EQ(WaitForSingleObject(e, 0), WAIT_OBJECT_0); /* the event was still set */
    CHECK(SetEvent(e));
    SetEvent(release);
    CHECK_EQ(WaitForMultipleObjects(3, all, TRUE, 10000), WAIT_OBJECT_0);
    /* All three taken: semaphore empty, event reset, mutex ours. */
    CHECK_EQ(WaitForSingleObject(s, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(e, 0), WAIT_TIMEOUT);
    CHECK(ReleaseMutex(m));
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
    CloseHandle(m);
    CloseHandle(s);
    CloseHandle(e);
    CloseHandle(taken);
    CloseHandle(release);
}

TEST(w338_srw_lock_exclusive_and_shared)
{
    SRWLOCK lock = SRWLOCK_INIT;

    CHECK_EQ(sizeof(SRWLOCK), sizeof(void *));
    CHECK_EQ(sizeof(CONDITION_VARIABLE), sizeof(void *));
    AcquireSRWLockExclusive(&lock);
    CHECK(!TryAcquireSRWLockExclusive(&lock));
    CHECK(!TryAcquireSRWLockShared(&lock));
    ReleaseSRWLockExclusive(&lock);
    AcquireSRWLockShared(&lock);
    CHECK(TryAcquireSRWLockShared(&lock));
    CHECK(!TryAcquireSRWLockExclusive(&lock));
    ReleaseSRWLockShared(&lock);
    ReleaseSRWLockShared(&lock);
    CHECK(TryAcquireSRWLockExclusive(&lock));
    ReleaseSRWLockExclusive(&lock);
    InitializeSRWLock(&lock);
    CHECK(TryAcquireSRWLockShared(&lock));
    ReleaseSRWLockShared(&lock);
}

TEST(w339_condition_variable_sleep_times_out)
{
    CONDITION_VARIABLE cv = CONDITION_VARIABLE_INIT;
    CRITICAL_SECTION cs;
    SRWLOCK lock = SRWLOCK_INIT;

    InitializeCriticalSection(&cs);
    EnterCriticalSection(&cs);
    SetLastError(0);
    CHECK(!SleepConditionVariableCS(&cv, &cs, 20));
    CHECK_EQ(GetLastError(), ERROR_TIMEOUT);
    CHECK(TryEnterCriticalSection(&cs)); /* re-entered: ours (recursively) */
    LeaveCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    DeleteCriticalSection(&cs);

    AcquireSRWLockShared(&lock);
    SetLastError(0);
    CHECK(!SleepConditionVariableSRW(&cv, &lock, 0, CONDITION_VARIABLE_LOCKMODE_SHARED));
    CHECK_EQ(GetLastError(), ERROR_TIMEOUT);
    CHECK(!TryAcquireSRWLockExclusive(&lock)); /* held shared again */
    ReleaseSRWLockShared(&lock);
}

struct cv_case {
    CONDITION_VARIABLE cv;
    SRWLOCK lock;
    int ready;
};

static DWORD WINAPI cv_signaller(LPVOID p)
{
    struct cv_case *c = (struct cv_case *)p;

    AcquireSRWLockExclusive(&c->lock);
    c->ready = 1;
    ReleaseSRWLockExclusive(&c->lock);
    WakeAllConditionVariable(&c->cv);
    return 0;
}

TEST(w339_condition_variable_wake_ends_the_sleep)
{
    struct cv_case c;
    HANDLE t;

    InitializeConditionVariable(&c.cv);
    InitializeSRWLock(&c.lock);
    c.ready = 0;
    AcquireSRWLockExclusive(&c.lock);
    t = harness_thread(cv_signaller, &c);
    while (!c.ready)
        CHECK(SleepConditionVariableSRW(&c.cv, &c.lock, 10000, 0));
    ReleaseSRWLockExclusive(&c.lock);
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
}

static DWORD tls_index;

static DWORD WINAPI tls_other_thread(LPVOID p)
{
    (void)p;
    SetLastError(1234);
    CHECK(TlsGetValue(tls_index) == NULL); /* another thread's value is not ours */
    CHECK_EQ(GetLastError(), ERROR_SUCCESS);
    CHECK(TlsSetValue(tls_index, (LPVOID)&tls_index));
    CHECK(TlsGetValue(tls_index) == (LPVOID)&tls_index);
    return 0;
}

TEST(w340_tls_values_are_per_thread)
{
    HANDLE t;

    tls_index = TlsAlloc();
    CHECK(tls_index != TLS_OUT_OF_INDEXES);
    SetLastError(1234);
    CHECK(TlsGetValue(tls_index) == NULL);
    CHECK_EQ(GetLastError(), ERROR_SUCCESS);
    CHECK(TlsSetValue(tls_index, (LPVOID)0x1234));
    t = harness_thread(tls_other_thread, NULL);
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
    CHECK(TlsGetValue(tls_index) == (LPVOID)0x1234);
    CHECK(TlsFree(tls_index));
    SetLastError(0);
    CHECK(TlsGetValue(5000) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK(!TlsSetValue(5000, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

TEST(w341_interlocked_return_values)
{
    volatile LONG v = 5;
    volatile LONG64 w = 5;
    PVOID volatile ptr = NULL;
    int a, b;

    CHECK_EQ(InterlockedIncrement(&v), 6);
    CHECK_EQ(InterlockedDecrement(&v), 5);
    CHECK_EQ(InterlockedExchange(&v, 9), 5);
    CHECK_EQ(InterlockedExchangeAdd(&v, 3), 9);
    CHECK_EQ(v, 12);
    CHECK_EQ(InterlockedCompareExchange(&v, 1, 11), 12); /* no match: unchanged */
    CHECK_EQ(InterlockedCompareExchange(&v, 1, 12), 12);
    CHECK_EQ(v, 1);
    CHECK_EQ(InterlockedOr(&v, 6), 1);
    CHECK_EQ(InterlockedAnd(&v, 3), 7);
    CHECK_EQ(InterlockedXor(&v, 1), 3);
    CHECK_EQ(v, 2);
    CHECK_EQ(InterlockedIncrement64(&w), 6);
    CHECK_EQ(InterlockedDecrement64(&w), 5);
    CHECK_EQ(InterlockedExchange64(&w, 1LL << 40), 5);
    CHECK_EQ(InterlockedExchangeAdd64(&w, 1), 1LL << 40);
    CHECK_EQ(InterlockedCompareExchange64(&w, 7, (1LL << 40) + 1), (1LL << 40) + 1);
    CHECK_EQ(w, 7);
    CHECK(InterlockedExchangePointer(&ptr, &a) == NULL);
    CHECK(InterlockedCompareExchangePointer(&ptr, &b, NULL) == &a); /* no match */
    CHECK(InterlockedCompareExchangePointer(&ptr, &b, &a) == &a);
    CHECK(ptr == &b);
    MemoryBarrier();
    YieldProcessor();
}
