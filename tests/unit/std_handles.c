/*
 * std_handles.c - GetStdHandle and WriteFile/ReadFile/WriteConsole on it: one handle per
 * stream, reads from a pipe (data, then ERROR_BROKEN_PIPE once the writer closed, as
 * Windows reports a broken pipe), and CloseHandle is harmless: the handle is gone
 * (ERROR_INVALID_HANDLE) but the descriptor stays open for the C library.
 */
#include <string.h>
#include <unistd.h>

#include "unit.h"

TEST(std_handles)
{
    HANDLE in, out = GetStdHandle(STD_OUTPUT_HANDLE);
    int fds[2];
    char buf[16];
    DWORD n = 0;
    WCHAR wide[] = {'w', 'i', 'd', 'e', '\n'};

    CHECK(out != NULL && out != INVALID_HANDLE_VALUE);
    CHECK(GetStdHandle(STD_OUTPUT_HANDLE) == out);
    CHECK(GetStdHandle(STD_ERROR_HANDLE) != out);
    CHECK(WriteConsoleA(out, "console\n", 8, &n, NULL));
    CHECK_EQ(n, 8);
    CHECK(WriteConsoleW(out, wide, 5, &n, NULL));
    CHECK_EQ(n, 5);

    /* Standard input from a pipe. */
    CHECK(pipe(fds) == 0);
    CHECK(dup2(fds[0], 0) == 0);
    close(fds[0]);
    CHECK(write(fds[1], "abc", 3) == 3);
    close(fds[1]);
    in = GetStdHandle(STD_INPUT_HANDLE);
    CHECK(ReadFile(in, buf, sizeof(buf), &n, NULL));
    CHECK_EQ(n, 3);
    CHECK(memcmp(buf, "abc", 3) == 0);
    SetLastError(0);
    CHECK(!ReadFile(in, buf, sizeof(buf), &n, NULL));
    CHECK_EQ(GetLastError(), ERROR_BROKEN_PIPE);
    CHECK_EQ(n, 0);

    /* Overlapped I/O is refused on standard handles. */
    {
        OVERLAPPED ov = {0};

        SetLastError(0);
        CHECK(!WriteFile(out, "x", 1, &n, &ov));
        CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    }

    CHECK(CloseHandle(out));
    SetLastError(0);
    CHECK(!WriteFile(out, "x", 1, &n, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK(!CloseHandle(out));
    printf("std_handles: ok (stdout still works)\n");
}
