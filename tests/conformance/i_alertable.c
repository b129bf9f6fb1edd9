/*
 * i_alertable.c - conformance section I (and L.192, L.193): alertable waits and the
 * delivery of completion routines, modelled with routines queued by QueueUserAPC.
 *
 * What Windows does: a completion routine is a user-mode APC queued to the thread that issued
 * the operation. It runs only while that thread is in an alertable wait (SleepEx(..., TRUE),
 * WSAWaitForMultipleEvents(..., TRUE)); non-alertable waits leave it queued, and an alertable
 * wait of another thread never runs it. An alertable wait that finds routines queued, at
 * entry or while it sleeps, runs all of them in the order they were queued (including those
 * queued meanwhile) and returns WAIT_IO_COMPLETION / WSA_WAIT_IO_COMPLETION (0xC0) instead of
 * waiting on; with nothing queued SleepEx(0, TRUE) returns 0 at once. A signalled event wins
 * over a queued routine at entry (the NT kernel's order; api.md 3.2 rule 4, spec item soft).
 * Routines do not nest unless a routine itself waits alertably, and routines still queued
 * to a thread that exits are discarded; so is one queued to a thread that has already exited.
 *
 * Covers conformance items I.123, I.124, I.125, I.133, I.134, I.135, L.192 and L.193 with
 * QueueUserAPC routines, and the alertable-wait side of I.121 (a sleeping thread is woken by a
 * routine queued later), I.126 (no nesting) and I.132 (a dead thread's routines are dropped).
 * The WSARecv/WSASend forms of items 121, 122, 126, 127, 128, 129, 130, 131, 132, 136 and
 * L.194 need the overlapped engine and come with it.
 */
#include "harness.h"

/* What the routines of a case saw; cases run one per process, so one static record. */
static struct {
    int runs;           /* routines run so far */
    int depth;          /* routines running now on the thread */
    int max_depth;      /* deepest nesting seen */
    ULONG_PTR order[8]; /* the dwData of each run, in run order */
    DWORD thread_id;    /* the thread that ran the last routine */
} seen;

/* Every case starts with a clean record (they also run one after another in one process). */
static void fresh_record(void)
{
    memset(&seen, 0, sizeof(seen));
}

/* Bookkeeping at the start and end of every routine of this file. */
static void routine_enter(ULONG_PTR data)
{
    seen.depth++;
    if (seen.depth > seen.max_depth)
        seen.max_depth = seen.depth;
    if (seen.runs < 8)
        seen.order[seen.runs] = data;
    seen.runs++;
    seen.thread_id = GetCurrentThreadId();
}

static void routine_exit(void)
{
    seen.depth--;
}

static void CALLBACK count_routine(ULONG_PTR data)
{
    routine_enter(data);
    routine_exit();
}

static void queue_to(HANDLE thread, PAPCFUNC fn, ULONG_PTR data)
{
    CHECK(QueueUserAPC(fn, thread, data) != 0);
}

static void queue_to_self(ULONG_PTR data)
{
    queue_to(GetCurrentThread(), count_routine, data);
}

static HANDLE started;

/*
 * Starts fn(arg) and returns once it has called worker_started(). A routine queued to a thread
 * that has not started yet runs as the thread starts (Windows runs them before the thread's
 * function), so the cases queue to a worker only after this handshake.
 */
static HANDLE start_worker(LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE t;

    if (!started)
        started = CreateEventA(NULL, FALSE, FALSE, NULL);
    CHECK(started != NULL);
    t = harness_thread(fn, arg);
    CHECK_EQ(WaitForSingleObject(started, 2000), WAIT_OBJECT_0);
    return t;
}

static void worker_started(void)
{
    SetEvent(started);
}

/* Startup, a new non-signalled event, and count_routine(1) queued to this thread. */
static WSAEVENT event_and_queued_routine(void)
{
    WSAEVENT ev;

    fresh_record();
    harness_startup();
    ev = WSACreateEvent();
    CHECK(ev != WSA_INVALID_EVENT);
    queue_to_self(1);
    return ev;
}

/* The routine queued by the case is still queued: an alertable SleepEx(0) runs it now. */
static void check_still_queued(int total_after)
{
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(seen.runs, total_after);
}

TEST(i123_nonalertable_waits_leave_routine_queued)
{
    WSAEVENT ev = event_and_queued_routine();

    CHECK_EQ(SleepEx(200, FALSE), 0);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 200, FALSE), WSA_WAIT_TIMEOUT);
    Sleep(10); /* time for a wrong run to show: an absence gives no signal */
    CHECK_EQ(seen.runs, 0);
    check_still_queued(1);
}

struct other_sleeper {
    DWORD result;
    DWORD thread_id;
};

static DWORD WINAPI sleep_500_alertable(LPVOID arg)
{
    struct other_sleeper *o = arg;

    o->thread_id = GetCurrentThreadId();
    o->result = SleepEx(500, TRUE);
    return 0;
}

TEST(i124_routine_not_run_by_other_thread)
{
    struct other_sleeper o = {0xBAD, 0};
    HANDLE t;

    fresh_record();
    queue_to_self(1);
    t = harness_thread(sleep_500_alertable, &o);
    CHECK_EQ(WaitForSingleObject(t, 2000), WAIT_OBJECT_0);
    CloseHandle(t);
    CHECK_EQ(o.result, 0);
    CHECK_EQ(seen.runs, 0);
    check_still_queued(1);
    CHECK_EQ(seen.thread_id, GetCurrentThreadId());
}

static DWORD WINAPI sleep_1000_alertable(LPVOID arg)
{
    struct other_sleeper *o = arg;

    o->thread_id = GetCurrentThreadId();
    worker_started();
    o->result = SleepEx(1000, TRUE);
    return 0;
}

TEST(i124_routine_runs_only_in_its_own_thread)
{
    struct other_sleeper o = {0xBAD, 0};
    HANDLE t;

    fresh_record();
    t = start_worker(sleep_1000_alertable, &o);
    queue_to(t, count_routine, 1);
    /* This thread's alertable wait must not run a routine queued to t. */
    CHECK_EQ(SleepEx(100, TRUE), 0);
    CHECK_EQ(WaitForSingleObject(t, 2000), WAIT_OBJECT_0);
    CloseHandle(t);
    CHECK_EQ(o.result, WAIT_IO_COMPLETION);
    CHECK_EQ(seen.runs, 1);
    CHECK_EQ(seen.thread_id, o.thread_id);
}

TEST(i125_sleepex0_runs_all_queued_apcs)
{
    fresh_record();
    queue_to_self(1);
    queue_to_self(2);
    queue_to_self(3);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(seen.runs, 3);
}

TEST(i125_queued_routines_run_in_fifo_order)
{
    int i;

    fresh_record();
    for (i = 0; i < 5; i++)
        queue_to_self(100 + i);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(seen.runs, 5);
    for (i = 0; i < 5; i++)
        CHECK_EQ(seen.order[i], (ULONG_PTR)(100 + i));
}

/* Queues count_routine to its own thread: what a routine issuing a new operation does. */
static void CALLBACK requeue_routine(ULONG_PTR left)
{
    routine_enter(left);
    if (left > 1)
        queue_to(GetCurrentThread(), requeue_routine, left - 1);
    routine_exit();
}

TEST(i125_routine_queued_by_routine_runs_in_same_wait)
{
    fresh_record();
    queue_to(GetCurrentThread(), requeue_routine, 2);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(seen.runs, 2);
    CHECK_EQ(SleepEx(0, TRUE), 0);
}

TEST(i126_routines_queued_by_routines_never_nest)
{
    fresh_record();
    queue_to(GetCurrentThread(), requeue_routine, 5);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(seen.runs, 5);
    CHECK_EQ(seen.max_depth, 1);
}

static DWORD inner_wait_result;

/* A routine that waits alertably itself, after queueing count_routine(next) if next != 0. */
static void CALLBACK waiting_routine(ULONG_PTR next)
{
    routine_enter(next);
    if (next)
        queue_to(GetCurrentThread(), count_routine, next);
    inner_wait_result = SleepEx(0, TRUE);
    routine_exit();
}

TEST(i126_alertable_wait_inside_routine_runs_queued_routine)
{
    /*
     * api.md 3.2 rule 5: routines nest only when a routine itself waits alertably; its wait is
     * an ordinary alertable wait (3.3) and runs the routine queued meanwhile, one level deep.
     */
    fresh_record();
    queue_to(GetCurrentThread(), waiting_routine, 1);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(inner_wait_result, WAIT_IO_COMPLETION);
    CHECK_EQ(seen.runs, 2);
    CHECK_EQ(seen.max_depth, 2);
    CHECK_EQ(SleepEx(0, TRUE), 0);
}

TEST(i126_alertable_wait_inside_routine_does_not_rerun_it)
{
    /* Nothing else queued: the routine's own SleepEx(0, TRUE) finds nothing and returns 0. */
    fresh_record();
    inner_wait_result = 0xBAD;
    queue_to(GetCurrentThread(), waiting_routine, 0);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(inner_wait_result, 0);
    CHECK_EQ(seen.runs, 1);
    CHECK_EQ(seen.max_depth, 1);
}

static DWORD WINAPI sleep_infinite_alertable(LPVOID arg)
{
    worker_started();
    *(DWORD *)arg = SleepEx(INFINITE, TRUE);
    return 0;
}

TEST(i121_sleepex_infinite_woken_by_routine_queued_later)
{
    DWORD result = 0xBAD;
    HANDLE t;
    double t0;

    fresh_record();
    t = start_worker(sleep_infinite_alertable, &result);
    Sleep(100); /* into SleepEx: nothing shows from outside that it sleeps there */
    CHECK_EQ(WaitForSingleObject(t, 0), WAIT_TIMEOUT); /* still asleep */
    t0 = harness_now_ms();
    queue_to(t, count_routine, 0x1234);
    CHECK_EQ(WaitForSingleObject(t, 2000), WAIT_OBJECT_0);
    CHECK_ELAPSED_LT(t0, 1000);
    CloseHandle(t);
    CHECK_EQ(result, WAIT_IO_COMPLETION);
    CHECK_EQ(seen.runs, 1);
    CHECK_EQ(seen.order[0], 0x1234);
}

static DWORD WINAPI return_at_once(LPVOID arg)
{
    (void)arg;
    return 0;
}

TEST(i132_routine_queued_to_exited_thread_never_runs)
{
    HANDLE t = harness_thread(return_at_once, NULL);

    fresh_record();
    CHECK_EQ(WaitForSingleObject(t, 2000), WAIT_OBJECT_0);
    /* It may fail (wsaio: ERROR_GEN_FAILURE) but must not crash or run the routine anywhere. */
    QueueUserAPC(count_routine, t, 1);
    CHECK_EQ(SleepEx(100, TRUE), 0);
    CloseHandle(t);
    CHECK_EQ(seen.runs, 0);
}

static DWORD WINAPI wait_then_exit(LPVOID arg)
{
    worker_started();
    WaitForSingleObject((HANDLE)arg, 2000);
    return 0;
}

TEST(i132_routine_still_queued_at_thread_exit_never_runs)
{
    HANDLE go = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE t;

    fresh_record();
    CHECK(go != NULL);
    t = start_worker(wait_then_exit, go);
    queue_to(t, count_routine, 1);
    CHECK(SetEvent(go)); /* t exits without an alertable wait */
    CHECK_EQ(WaitForSingleObject(t, 2000), WAIT_OBJECT_0);
    CHECK_EQ(SleepEx(100, TRUE), 0);
    CloseHandle(t);
    CloseHandle(go);
    CHECK_EQ(seen.runs, 0);
}

TEST(i133_sleepex_100_nonalertable_returns_0_routine_not_run)
{
    double t0;

    fresh_record();
    queue_to_self(1);
    t0 = harness_now_ms();
    CHECK_EQ(SleepEx(100, FALSE), 0);
    CHECK_ELAPSED_GE(t0, 100);
    CHECK_ELAPSED_LT(t0, 1500);
    CHECK_EQ(seen.runs, 0);
    check_still_queued(1);
}

TEST(i134_sleepex0_alertable_nothing_queued_returns_0)
{
    double t0 = harness_now_ms();

    fresh_record();
    CHECK_EQ(SleepEx(0, TRUE), 0);
    CHECK_ELAPSED_LT(t0, 100);
    CHECK_EQ(seen.runs, 0);
}

TEST(i135_signalled_event_wins_over_queued_routine)
{
    WSAEVENT ev = event_and_queued_routine();
    DWORD rc;

    CHECK(WSASetEvent(ev));
    rc = WSAWaitForMultipleEvents(1, &ev, FALSE, 0, TRUE);
    SOFT_CHECK(rc == WSA_WAIT_EVENT_0);
    SOFT_CHECK(seen.runs == 0);
    if (rc == WSA_WAIT_EVENT_0)
        check_still_queued(1);
}

TEST(l192_alertable_wait_runs_routine_returns_io_completion)
{
    WSAEVENT ev = event_and_queued_routine();
    double t0;

    t0 = harness_now_ms();
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 1000, TRUE), WSA_WAIT_IO_COMPLETION);
    CHECK_ELAPSED_LT(t0, 900);
    CHECK_EQ(seen.runs, 1);
}

TEST(l193_nonalertable_wait_times_out_routine_not_run)
{
    WSAEVENT ev = event_and_queued_routine();
    double t0;

    t0 = harness_now_ms();
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 100, FALSE), WSA_WAIT_TIMEOUT);
    CHECK_ELAPSED_GE(t0, 100);
    CHECK_EQ(seen.runs, 0);
    check_still_queued(1);
}
