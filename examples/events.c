/*
 * demo.c - event objects and alertable waits at work, in plain Winsock C.
 *
 * Three workers finish at different times and signal their event; the main thread waits
 * for any of them (lowest signalled index first), then for all. Then completion routines:
 * workers queue routines to a consumer thread, which runs them only inside its alertable
 * waits, in order, never inside a non-alertable one.
 *
 * The same file builds on Windows (or with mingw-w64 for Wine) unchanged.
 */
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>

#define WORKERS 3

struct work {
    WSAEVENT done;
    DWORD delay_ms;
    int id;
};

static DWORD WINAPI worker(LPVOID p)
{
    struct work *w = p;

    Sleep(w->delay_ms);
    WSASetEvent(w->done);
    return 0;
}

static HANDLE consumer, consumer_ready;
static volatile LONG routines_run;

static void CALLBACK routine(ULONG_PTR n)
{
    printf("  routine %lu runs in the consumer's alertable wait (thread %lu)\n", (unsigned long)n,
           (unsigned long)GetCurrentThreadId());
    routines_run++;
}

static DWORD WINAPI consume(LPVOID p)
{
    DWORD r;

    (void)p;
    SetEvent(consumer_ready);
    printf("  consumer: non-alertable Sleep(100): routines stay queued\n");
    Sleep(100);
    printf("  consumer: after it, %ld routines have run\n", (long)routines_run);
    while (routines_run < 3) {
        r = SleepEx(INFINITE, TRUE);
        printf("  consumer: SleepEx(INFINITE, TRUE) returned 0x%lX (WAIT_IO_COMPLETION)\n",
               (unsigned long)r);
    }
    return 0;
}

int main(void)
{
    struct work w[WORKERS];
    WSAEVENT events[WORKERS], all[WORKERS];
    HANDLE threads[WORKERS];
    WSADATA data;
    DWORD r, t0;
    int i, left;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (WSAStartup(MAKEWORD(2, 2), &data) != 0) {
        printf("WSAStartup failed\n");
        return 1;
    }
    printf("WSAStartup: version %d.%d, %s\n", LOBYTE(data.wVersion), HIBYTE(data.wVersion),
           data.szDescription);

    printf("1. Three workers (300, 100, 200 ms) signal events; wait for any, one by one:\n");
    t0 = GetTickCount();
    for (i = 0; i < WORKERS; i++) {
        w[i].id = i;
        w[i].delay_ms = i == 0 ? 300 : i == 1 ? 100 : 200;
        w[i].done = events[i] = WSACreateEvent();
        threads[i] = CreateThread(NULL, 0, worker, &w[i], 0, NULL);
    }
    for (left = WORKERS; left > 0; left--) {
        int map[WORKERS], n = 0;

        for (i = 0; i < WORKERS; i++) /* wait only on the workers still running */
            if (w[i].done) {
                map[n] = i;
                events[n++] = w[i].done;
            }
        r = WSAWaitForMultipleEvents((DWORD)n, events, FALSE, WSA_INFINITE, FALSE);
        i = map[r - WSA_WAIT_EVENT_0];
        printf("  worker %d (%lu ms) signalled after ~%lu ms\n", i, (unsigned long)w[i].delay_ms,
               (unsigned long)(GetTickCount() - t0));
        WSAResetEvent(w[i].done); /* manual-reset: it stays set until reset */
        all[i] = w[i].done;
        w[i].done = NULL;
    }
    for (i = 0; i < WORKERS; i++)
        WSASetEvent(all[i]);
    r = WSAWaitForMultipleEvents(WORKERS, all, TRUE, 0, FALSE);
    printf("  all three set again: wait-all returns %lu (WSA_WAIT_EVENT_0)\n", (unsigned long)r);
    r = WaitForMultipleObjects(WORKERS, threads, TRUE, INFINITE);
    printf("  worker threads exited: WaitForMultipleObjects returns %lu\n", (unsigned long)r);

    printf("2. Completion routines run only in alertable waits of their thread:\n");
    consumer_ready = CreateEventA(NULL, FALSE, FALSE, NULL);
    consumer = CreateThread(NULL, 0, consume, NULL, 0, NULL);
    WaitForSingleObject(consumer_ready, INFINITE); /* routines queued to a thread that has
                                                      not started yet would run at its start */
    for (i = 1; i <= 3; i++)
        QueueUserAPC(routine, consumer, (ULONG_PTR)i);
    printf("  main (thread %lu) queued 3 routines to the consumer\n",
           (unsigned long)GetCurrentThreadId());
    WaitForSingleObject(consumer, INFINITE);
    printf("  %ld routines ran, in the order queued\n", (long)routines_run);

    for (i = 0; i < WORKERS; i++) {
        WSACloseEvent(all[i]);
        CloseHandle(threads[i]);
    }
    CloseHandle(consumer);
    CloseHandle(consumer_ready);
    WSACleanup();
    printf("done\n");
    return 0;
}
