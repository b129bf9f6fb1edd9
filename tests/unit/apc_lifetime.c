/*
 * apc_lifetime.c - routines queued to threads: FIFO from many producers, never run after
 * the target thread exited, never leaked (LeakSanitizer checks the drop path), and an
 * alertable wait woken by a routine queued from another thread.
 */
#include <stdatomic.h>

#include "unit.h"

#define PRODUCERS    4
#define PER_PRODUCER 2000

static _Atomic int ran_after_exit;
static int last_seen[PRODUCERS];
static HANDLE consumer;
static _Atomic int consumed;

static void CALLBACK must_not_run(ULONG_PTR p)
{
    (void)p;
    atomic_fetch_add(&ran_after_exit, 1);
}

static DWORD WINAPI exits_at_once(LPVOID arg)
{
    (void)arg;
    return 3;
}

static void dead_thread(void)
{
    HANDLE t = CreateThread(NULL, 0, exits_at_once, NULL, 0, NULL);

    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    for (int i = 0; i < 100; i++)
        CHECK_EQ(QueueUserAPC(must_not_run, t, 0), 0); /* dropped, not leaked */
    CHECK_EQ(GetLastError(), ERROR_GEN_FAILURE);
    CloseHandle(t);
    CHECK_EQ(atomic_load(&ran_after_exit), 0);
}

static void CALLBACK ordered(ULONG_PTR p)
{
    int producer = (int)(p >> 20), seq = (int)(p & 0xfffff);

    CHECK_EQ(seq, last_seen[producer] + 1); /* each producer's routines run in order */
    last_seen[producer] = seq;
    atomic_fetch_add(&consumed, 1);
}

static DWORD WINAPI producer(LPVOID arg)
{
    static _Atomic int next_id;
    int id = atomic_fetch_add(&next_id, 1);

    (void)arg;
    for (int i = 1; i <= PER_PRODUCER; i++)
        CHECK_EQ(QueueUserAPC(ordered, consumer, ((ULONG_PTR)id << 20) | (ULONG_PTR)i), 1);
    return 0;
}

static DWORD WINAPI consume(LPVOID arg)
{
    (void)arg;
    while (atomic_load(&consumed) < PRODUCERS * PER_PRODUCER)
        CHECK(SleepEx(10000, TRUE) == WAIT_IO_COMPLETION);
    return 0;
}

static void fifo_many_producers(void)
{
    for (int i = 0; i < PRODUCERS; i++)
        last_seen[i] = 0;
    consumer = CreateThread(NULL, 0, consume, NULL, 0, NULL);
    unit_run_threads(PRODUCERS, producer, NULL);
    CHECK_EQ(WaitForSingleObject(consumer, 20000), WAIT_OBJECT_0);
    CloseHandle(consumer);
}

static DWORD WINAPI exits_with_queue(LPVOID arg)
{
    HANDLE *ready = arg;

    SetEvent(ready[0]);
    WaitForSingleObject(ready[1], 10000); /* non-alertable: queued routines never run */
    return 0;
}

static void exit_with_pending(void)
{
    HANDLE ready[2] = {CreateEventA(NULL, TRUE, FALSE, NULL),
                       CreateEventA(NULL, TRUE, FALSE, NULL)};
    HANDLE t = CreateThread(NULL, 0, exits_with_queue, ready, 0, NULL);

    WaitForSingleObject(ready[0], 10000);
    for (int i = 0; i < 50; i++)
        CHECK_EQ(QueueUserAPC(must_not_run, t, 0), 1);
    SetEvent(ready[1]);
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CHECK_EQ(atomic_load(&ran_after_exit), 0);
    CloseHandle(t);
    CloseHandle(ready[0]);
    CloseHandle(ready[1]);
}

TEST(apc_lifetime)
{
    dead_thread();
    fifo_many_producers();
    exit_with_pending();
    printf("apc_lifetime: ok\n");
}
