/*
 * messagebox.c - MessageBoxA/W without a window system: "caption: text" on standard error
 * and the default button of the box as the answer; an unknown button set is an invalid
 * parameter.
 */
#include <string.h>
#include <unistd.h>

#include "unit.h"

/* Runs MessageBoxA with standard error captured; returns its answer, the text in out. */
static int captured(LPCSTR text, LPCSTR caption, UINT type, char *out, size_t size)
{
    int fds[2], saved = dup(2), r;
    ssize_t n;

    CHECK(pipe(fds) == 0 && saved >= 0);
    CHECK(dup2(fds[1], 2) == 2);
    r = MessageBoxA(NULL, text, caption, type);
    CHECK(dup2(saved, 2) == 2);
    close(saved);
    close(fds[1]);
    n = read(fds[0], out, size - 1);
    out[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    return r;
}

TEST(messagebox)
{
    char out[256];
    WCHAR wtext[] = {'w', 'i', 'd', 'e', 0}, wcap[] = {'W', 0};

    CHECK_EQ(captured("Connection lost", "Echo", MB_OK | MB_ICONERROR, out, sizeof(out)), IDOK);
    CHECK_EQ(strcmp(out, "Echo: Connection lost\n"), 0);
    CHECK_EQ(captured("Retry?", "Echo", MB_RETRYCANCEL, out, sizeof(out)), IDRETRY);
    CHECK_EQ(captured("Save?", "Echo", MB_YESNOCANCEL | MB_DEFBUTTON2, out, sizeof(out)), IDNO);
    SetLastError(0);
    CHECK_EQ(captured("x", "y", 0xF, out, sizeof(out)), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(MessageBoxW(NULL, wtext, wcap, MB_OK), IDOK);
}
