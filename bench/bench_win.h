/*
 * bench_win.h - clocks for the Winsock-source benchmarks (event_wake.c, pingpong.c), which
 * build against wsaio and with mingw-w64 alike.
 *
 * CPU time: the C clock() is process CPU time on wsaio; on Windows and Wine it is wall time
 * since process start, so there (and only there) GetProcessTimes is used.
 */
#ifndef WSAIO_BENCH_WIN_H
#define WSAIO_BENCH_WIN_H

#include <windows.h>

#include <time.h>

/* Nanoseconds per performance-counter tick, set by bench_clock_init(). */
static double ns_per_tick;

static void bench_clock_init(void)
{
    LARGE_INTEGER f;

    QueryPerformanceFrequency(&f);
    ns_per_tick = 1e9 / (double)f.QuadPart;
}

static LONGLONG ticks(void)
{
    LARGE_INTEGER c;

    QueryPerformanceCounter(&c);
    return c.QuadPart;
}

static double cpu_ns(void)
{
#ifdef _WIN32
    FILETIME created, exited, kernel, user;
    ULARGE_INTEGER k, u;

    GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user);
    k.LowPart = kernel.dwLowDateTime;
    k.HighPart = kernel.dwHighDateTime;
    u.LowPart = user.dwLowDateTime;
    u.HighPart = user.dwHighDateTime;
    return (double)(k.QuadPart + u.QuadPart) * 100.0;
#else
    return (double)clock() * (1e9 / CLOCKS_PER_SEC);
#endif
}

#endif /* WSAIO_BENCH_WIN_H */
