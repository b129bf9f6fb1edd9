/*
 * sync_objects_stress.c - mutual exclusion under contention for the kernel32 locks: a
 * plain (non-atomic) counter incremented by several threads must come out exact when
 * guarded by a mutex (WaitForSingleObject/ReleaseMutex, taken recursively), a semaphore of
 * one unit, a wait-all over a mutex and a semaphore, an SRW lock, and a condition-variable
 * hand-off. Under TSan a lock that does not order its holders is also a reported race.
 * Then a mutex left by an exiting pthread must be abandoned. Runs with both wait
 * mechanisms (wsaio_wait_mechanism: futex_waitv and the broadcast fallback).
 */
#include <pthread.h>
#include <stdio.h>

#include "unit.h"

#define THREADS 4
#define ROUNDS  2000

static HANDLE mutex, sem;
static SRWLOCK srw = SRWLOCK_INIT;
static CONDITION_VARIABLE turn_changed = CONDITION_VARIABLE_INIT;
static CRITICAL_SECTION turn_cs;
static long counter;
static int turn;
static volatile LONG next_id;

static DWORD WINAPI with_mutex(LPVOID p)
{
    (void)p;
    for (int i = 0; i < ROUNDS; i++) {
        CHECK_EQ(WaitForSingleObject(mutex, INFINITE), WAIT_OBJECT_0);
        CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0); /* recursive */
        counter++;
        CHECK(ReleaseMutex(mutex));
        CHECK(ReleaseMutex(mutex));
    }
    return 0;
}

static DWORD WINAPI with_semaphore(LPVOID p)
{
    (void)p;
    for (int i = 0; i < ROUNDS; i++) {
        CHECK_EQ(WaitForSingleObject(sem, INFINITE), WAIT_OBJECT_0);
        counter++;
        CHECK(ReleaseSemaphore(sem, 1, NULL));
    }
    return 0;
}

static DWORD WINAPI with_wait_all(LPVOID p)
{
    HANDLE both[2] = {mutex, sem};

    (void)p;
    for (int i = 0; i < ROUNDS; i++) {
        /* Half the threads take only the mutex: they exclude the wait-all ones too. */
        if (i & 1) {
            CHECK_EQ(WaitForMultipleObjects(2, both, TRUE, INFINITE), WAIT_OBJECT_0);
            counter++;
            CHECK(ReleaseSemaphore(sem, 1, NULL));
            CHECK(ReleaseMutex(mutex));
        } else {
            CHECK_EQ(WaitForSingleObject(mutex, INFINITE), WAIT_OBJECT_0);
            counter++;
            CHECK(ReleaseMutex(mutex));
        }
    }
    return 0;
}

static DWORD WINAPI with_srw(LPVOID p)
{
    (void)p;
    for (int i = 0; i < ROUNDS; i++) {
        if (i % 4 == 0) { /* readers in between: they must not see a half-done write */
            AcquireSRWLockShared(&srw);
            CHECK(counter >= 0);
            ReleaseSRWLockShared(&srw);
        }
        AcquireSRWLockExclusive(&srw);
        counter++;
        ReleaseSRWLockExclusive(&srw);
    }
    return 0;
}

/* Threads take turns in id order, each waiting on the condition variable for its turn. */
static DWORD WINAPI with_turns(LPVOID p)
{
    int id = (int)InterlockedIncrement(&next_id) - 1;

    (void)p;
    for (int i = 0; i < ROUNDS / 10; i++) {
        EnterCriticalSection(&turn_cs);
        while (turn % THREADS != id)
            CHECK(SleepConditionVariableCS(&turn_changed, &turn_cs, INFINITE));
        counter++;
        turn++;
        LeaveCriticalSection(&turn_cs);
        WakeAllConditionVariable(&turn_changed);
    }
    return 0;
}

/* A thread wsaio did not start (pthread_create) that exits holding the mutex. */
static void *take_and_exit(void *p)
{
    CHECK_EQ(WaitForSingleObject((HANDLE)p, 0), WAIT_OBJECT_0);
    return NULL;
}

static void run(const char *name, LPTHREAD_START_ROUTINE fn, long expected)
{
    counter = 0;
    unit_run_threads(THREADS, fn, NULL);
    CHECK_EQ(counter, expected);
    printf("%s: %ld\n", name, counter);
}

TEST(sync_objects_stress)
{
    printf("wait mechanism: %s\n", wsaio_wait_mechanism());
    CHECK((mutex = CreateMutexA(NULL, FALSE, NULL)) != NULL);
    CHECK((sem = CreateSemaphoreA(NULL, 1, 1, NULL)) != NULL);
    InitializeCriticalSection(&turn_cs);
    run("mutex", with_mutex, (long)THREADS * ROUNDS);
    run("semaphore", with_semaphore, (long)THREADS * ROUNDS);
    run("wait-all", with_wait_all, (long)THREADS * ROUNDS);
    run("srw", with_srw, (long)THREADS * ROUNDS);
    run("condition variable", with_turns, (long)THREADS * (ROUNDS / 10));
    CHECK_EQ(WaitForSingleObject(sem, 0), WAIT_OBJECT_0);   /* the unit came back */
    CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_OBJECT_0); /* and nobody owns the mutex */
    CHECK(ReleaseMutex(mutex));
    {
        pthread_t t;

        CHECK(pthread_create(&t, NULL, take_and_exit, mutex) == 0);
        CHECK(pthread_join(t, NULL) == 0);
        CHECK_EQ(WaitForSingleObject(mutex, 0), WAIT_ABANDONED_0);
        CHECK(ReleaseMutex(mutex));
    }
    DeleteCriticalSection(&turn_cs);
    CloseHandle(mutex);
    CloseHandle(sem);
}
