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

    UCHECK(pipe(fds) == 0 && saved >= 0);
    UCHECK(dup2(fds[1], 2) == 2);
    r = MessageBoxA(NULL, text, caption, type);
    UCHECK(dup2(saved, 2) == 2);
    close(saved);
    close(fds[1]);
    n = read(fds[0], out, size - 1);
    out[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    return r;
}

int main(void)
{
    char out[256];
    WCHAR wtext[] = {'w', 'i', 'd', 'e', 0}, wcap[] = {'W', 0};

    UCHECK_EQ(captured("Connection lost", "Echo", MB_OK | MB_ICONERROR, out, sizeof(out)), IDOK);
    UCHECK_EQ(strcmp(out, "Echo: Connection lost\n"), 0);
    UCHECK_EQ(captured("Retry?", "Echo", MB_RETRYCANCEL, out, sizeof(out)), IDRETRY);
    UCHECK_EQ(captured("Save?", "Echo", MB_YESNOCANCEL | MB_DEFBUTTON2, out, sizeof(out)), IDNO);
    SetLastError(0);
    UCHECK_EQ(captured("x", "y", 0xF, out, sizeof(out)), 0);
    UCHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    UCHECK_EQ(MessageBoxW(NULL, wtext, wcap, MB_OK), IDOK);
    return 0;
}
