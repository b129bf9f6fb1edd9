/*
 * engine_stress.c - many threads posting receives and sends and closing sockets at random
 * for a bounded time; every operation that was accepted (returned 0 or WSA_IO_PENDING)
 * must be indicated exactly once, on the thread that issued it, and no operation that
 * failed at the call may ever be indicated.
 *
 * Completion routines carry the count (an event can be set twice without anyone seeing
 * it). WSAIO_STRESS_SECONDS sets the duration. The build also runs it with
 * WSAIO_URING_ENTRIES=2: 32 operations in flight through a completion queue of 4 entries,
 * so the ring is full and overflowing all the time, and still nothing may be lost. By default
 * workers use SOCKET values that another thread may have closed and reused meanwhile, as a buggy
 * program would; under ThreadSanitizer (which reports exactly that as a descriptor race, rightly
 * for a program) they hold the pair lock while issuing (WSAIO_STRESS_NO_STALE=1 asks for that
 * elsewhere), which keeps every race inside wsaio (closesocket against completion, reaping, thread
 * hand-over) in play.
 */
#include <stdatomic.h>
#include <string.h>

#include "unit.h"

#define THREADS 4
#define PAIRS   8
#define MAXOPS  200000

struct op {
    WSAOVERLAPPED ov; /* first: the routine gets &ov */
    char buf[96];
    WSABUF wb;
    DWORD issuer;
    _Atomic int indications;
    int accepted;
};

static struct op *ops;
static _Atomic int nops;
static SOCKET _Atomic pairs[PAIRS][2];
static CRITICAL_SECTION pair_lock;
static _Atomic int stop;
static _Atomic int wrong_thread;
static int no_stale;

static void CALLBACK routine(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct op *o = (struct op *)ov;

    (void)err;
    (void)n;
    (void)flags;
    if (o->issuer != GetCurrentThreadId())
        atomic_fetch_add(&wrong_thread, 1);
    atomic_fetch_add(&o->indications, 1);
}

static void make_pair(int i)
{
    SOCKET a, b;

    harness_tcp_pair(&a, &b);
    atomic_store(&pairs[i][0], a);
    atomic_store(&pairs[i][1], b);
}

static DWORD WINAPI worker(LPVOID arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg * 7919u + 1;

    while (!atomic_load(&stop)) {
        unsigned k = (seed = seed * 1103515245u + 12345u) >> 8;
        int p = (int)(k % PAIRS), side = (int)((k >> 4) & 1);
        SOCKET s = atomic_load(&pairs[p][side]);
        int idx, rc;
        struct op *o;
        DWORD n, fl = 0;

        switch ((k >> 6) % 8) {
        case 0: /* close one side and replace the pair */
            EnterCriticalSection(&pair_lock);
            closesocket(atomic_load(&pairs[p][0]));
            closesocket(atomic_load(&pairs[p][1]));
            make_pair(p);
            LeaveCriticalSection(&pair_lock);
            break;
        case 1:
        case 2:
            SleepEx(0, TRUE);
            break;
        default:
            idx = atomic_fetch_add(&nops, 1);
            if (idx >= MAXOPS) {
                atomic_store(&stop, 1);
                break;
            }
            o = &ops[idx];
            o->issuer = GetCurrentThreadId();
            o->wb.buf = o->buf;
            o->wb.len = 1 + (k >> 10) % sizeof(o->buf);
            if (no_stale) {
                EnterCriticalSection(&pair_lock);
                s = atomic_load(&pairs[p][side]);
            }
            if ((k >> 9) & 1)
                rc = WSASend(s, &o->wb, 1, &n, 0, &o->ov, routine);
            else
                rc = WSARecv(s, &o->wb, 1, &n, &fl, &o->ov, routine);
            o->accepted = rc == 0 || WSAGetLastError() == WSA_IO_PENDING;
            if (no_stale)
                LeaveCriticalSection(&pair_lock);
            break;
        }
    }
    return 0;
}

static void collect(DWORD self)
{
    for (int round = 0; round < 500; round++) {
        int missing = 0;

        for (int i = 0; i < atomic_load(&nops) && i < MAXOPS; i++)
            if (ops[i].accepted && ops[i].issuer == self && atomic_load(&ops[i].indications) == 0)
                missing++;
        if (!missing)
            return;
        SleepEx(10, TRUE);
    }
}

static DWORD WINAPI worker_and_collect(LPVOID arg)
{
    worker(arg);
    /* Wait until every pair is closed (main does it) and run the routines. */
    while (atomic_load(&stop) < 2)
        SleepEx(5, TRUE);
    collect(GetCurrentThreadId());
    return 0;
}

TEST(engine_stress)
{
    const char *env = getenv("WSAIO_STRESS_SECONDS");
    DWORD seconds = env ? (DWORD)atoi(env) : 3;
    HANDLE t[THREADS];
    int accepted = 0, failed = 0, doubled = 0, lost = 0;

    no_stale = getenv("WSAIO_STRESS_NO_STALE") != NULL;
#if defined(__SANITIZE_THREAD__)
    no_stale = 1; /* gcc -fsanitize=thread */
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
    no_stale = 1; /* clang -fsanitize=thread */
#endif
#endif
    harness_startup();
    ops = calloc(MAXOPS, sizeof(*ops));
    InitializeCriticalSection(&pair_lock);
    for (int i = 0; i < PAIRS; i++)
        make_pair(i);
    for (int i = 0; i < THREADS; i++)
        t[i] = CreateThread(NULL, 0, worker_and_collect, (LPVOID)(uintptr_t)(i + 1), 0, NULL);
    Sleep(seconds * 1000); /* the run's length */
    atomic_store(&stop, 1);
    Sleep(50); /* the workers leave their loop between two calls: nothing counts them out */
    EnterCriticalSection(&pair_lock);
    for (int i = 0; i < PAIRS; i++) {
        closesocket(atomic_load(&pairs[i][0]));
        closesocket(atomic_load(&pairs[i][1]));
    }
    LeaveCriticalSection(&pair_lock);
    atomic_store(&stop, 2);
    CHECK_EQ(WaitForMultipleObjects(THREADS, t, TRUE, 60000), WAIT_OBJECT_0);
    for (int i = 0; i < atomic_load(&nops) && i < MAXOPS; i++) {
        int got = atomic_load(&ops[i].indications);

        if (ops[i].accepted) {
            accepted++;
            lost += got == 0;
            doubled += got > 1;
        } else {
            failed++;
            doubled += got != 0; /* a failed call must never be indicated */
        }
    }
    printf("engine_stress: %d operations accepted, %d failed at the call; %d lost, %d doubled, "
           "%d routines on a wrong thread\n",
           accepted, failed, lost, doubled, atomic_load(&wrong_thread));
    CHECK_EQ(lost, 0);
    CHECK_EQ(doubled, 0);
    CHECK_EQ(atomic_load(&wrong_thread), 0);
    for (int i = 0; i < THREADS; i++)
        CloseHandle(t[i]);
    DeleteCriticalSection(&pair_lock);
    free(ops);
    WSACleanup();
}
