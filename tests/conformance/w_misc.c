/*
 * w_misc.c - conformance section W (kernel32): GetSystemInfo, lstr*, _beginthreadex and
 * standard handles.
 *
 * What Windows does (Microsoft's GetSystemInfo, lstrcmp, lstrcpyn, _beginthreadex and
 * GetStdHandle/WriteFile pages): dwNumberOfProcessors counts the bits of the active
 * processor mask and the allocation granularity is 64 KiB; lstrcmp sorts words, letters
 * before case; _beginthreadex returns a thread handle with the routine's exit code.
 * Covers items W.345 to W.348.
 */
#include <process.h>

#include "harness.h"

TEST(w345_system_info)
{
    SYSTEM_INFO si;
    DWORD bits = 0;
    DWORD_PTR m;

    memset(&si, 0xAB, sizeof(si));
    GetSystemInfo(&si);
    CHECK(si.dwNumberOfProcessors >= 1);
    for (m = si.dwActiveProcessorMask; m; m &= m - 1)
        bits++;
    CHECK_EQ(bits, si.dwNumberOfProcessors);
    CHECK(si.dwPageSize >= 4096 && (si.dwPageSize & (si.dwPageSize - 1)) == 0);
    CHECK_EQ(si.dwAllocationGranularity, 65536u);
    CHECK(si.lpMinimumApplicationAddress < si.lpMaximumApplicationAddress);
    GetNativeSystemInfo(&si);
    CHECK(si.dwNumberOfProcessors >= 1);
}

TEST(w346_lstr_functions)
{
    char buf[16];

    CHECK_EQ(lstrlenA(NULL), 0);
    CHECK_EQ(lstrlenA("abc"), 3);
    CHECK(lstrcpynA(buf, "abcdef", 4) == buf);
    CHECK_EQ(strcmp(buf, "abc"), 0);
    CHECK(lstrcpyA(buf, "ab") == buf);
    CHECK(lstrcatA(buf, "cd") == buf);
    CHECK_EQ(strcmp(buf, "abcd"), 0);
    CHECK_EQ(lstrcmpiA("HeLLo", "hello"), 0);
    CHECK(lstrcmpiA("apple", "BANANA") < 0);
    CHECK(lstrcmpA("apple", "Banana") < 0); /* alphabetical, not ASCII order */
    CHECK(lstrcmpA("a", "A") < 0);          /* then lower case first */
    CHECK_EQ(lstrcmpA("same", "same"), 0);
}

static unsigned __stdcall returns_seven(void *arg)
{
    (void)arg;
    return 7;
}

static unsigned __stdcall ends_with_nine(void *arg)
{
    *(volatile int *)arg = 1;
    _endthreadex(9);
    return 0;
}

TEST(w347_beginthreadex_handle_and_exit_code)
{
    unsigned id = 0;
    volatile int ran = 0;
    HANDLE h = (HANDLE)_beginthreadex(NULL, 0, returns_seven, NULL, 0, &id);
    DWORD code = 0;

    CHECK(h != NULL);
    CHECK(id != 0);
    CHECK_EQ(WaitForSingleObject(h, 10000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(h, &code));
    CHECK_EQ(code, 7u);
    CHECK(CloseHandle(h));
    h = (HANDLE)_beginthreadex(NULL, 0, ends_with_nine, (void *)&ran, 0, NULL);
    CHECK(h != NULL);
    CHECK_EQ(WaitForSingleObject(h, 10000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(h, &code));
    CHECK_EQ(code, 9u);
    CHECK(ran);
    CHECK(CloseHandle(h));
}

TEST(w348_std_handle_write_file)
{
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD n = 0;

    CHECK(out != NULL && out != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(out, "w348 line\n", 10, &n, NULL));
    CHECK_EQ(n, 10u);
    CHECK(GetStdHandle((DWORD)-99) == INVALID_HANDLE_VALUE);
}
