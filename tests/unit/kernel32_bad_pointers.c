/*
 * kernel32_bad_pointers.c - the kernel32 calls wsaio provides, given an output pointer no
 * program can own (api.md 0.6 [Lib]: reported as NULL would be, never with a crash).
 *
 * GetExitCodeThread, QueryPerformanceCounter and QueryPerformanceFrequency answer NULL
 * with FALSE and ERROR_NOACCESS; a pointer in the first 64 KiB or in the kernel's half
 * crashed them. CreateThread wrote the thread id through lpThreadId after starting the
 * thread: such a pointer now fails the call with ERROR_NOACCESS before any thread starts.
 * Linux-only (not a conformance case): Windows' user-mode parts of these calls fault.
 */
#include "unit.h"

static void *const bad[] = {(void *)(uintptr_t)0x10, (void *)(uintptr_t)0xFFFF800000001000ull};

static DWORD WINAPI quit(LPVOID arg)
{
    (void)arg;
    return 7;
}

TEST(kernel32_bad_pointers)
{
    HANDLE t = CreateThread(NULL, 0, quit, NULL, 0, NULL);

    CHECK(t != NULL);
    CHECK_EQ(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SetLastError(0);
        CHECK(!GetExitCodeThread(t, bad[i]));
        CHECK_EQ(GetLastError(), ERROR_NOACCESS);
        SetLastError(0);
        CHECK(!QueryPerformanceCounter(bad[i]));
        CHECK_EQ(GetLastError(), ERROR_NOACCESS);
        SetLastError(0);
        CHECK(!QueryPerformanceFrequency(bad[i]));
        CHECK_EQ(GetLastError(), ERROR_NOACCESS);
        SetLastError(0);
        CHECK(CreateThread(NULL, 0, quit, NULL, 0, bad[i]) == NULL);
        CHECK_EQ(GetLastError(), ERROR_NOACCESS);
    }
    CHECK(CloseHandle(t));
    printf("kernel32_bad_pointers: bad output pointers give ERROR_NOACCESS\n");
}
