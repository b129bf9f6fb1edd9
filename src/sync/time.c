/*
 * time.c - tick counts and the performance counter, all from CLOCK_MONOTONIC.
 */
#include <time.h>

#include "base/error.h"
#include "base/userptr.h"

static uint64_t mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

WSAIO_EXPORT ULONGLONG WINAPI GetTickCount64(void)
{
    return mono_ns() / 1000000ull;
}

WSAIO_EXPORT DWORD WINAPI GetTickCount(void)
{
    return (DWORD)GetTickCount64();
}

WSAIO_EXPORT BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount)
{
    if (wsaio_bad_ptr(lpPerformanceCount)) {
        wsaio_set_error(ERROR_NOACCESS);
        return FALSE;
    }
    lpPerformanceCount->QuadPart = (LONGLONG)mono_ns();
    return TRUE;
}

WSAIO_EXPORT BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency)
{
    if (wsaio_bad_ptr(lpFrequency)) {
        wsaio_set_error(ERROR_NOACCESS);
        return FALSE;
    }
    lpFrequency->QuadPart = 1000000000LL;
    return TRUE;
}
