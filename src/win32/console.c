/*
 * console.c - standard handles (GetStdHandle) and WriteFile/ReadFile/WriteConsole on them.
 * Each standard handle is an object in the handle table naming descriptor 0, 1 or 2; the
 * object is created on first use, and closing it leaves the descriptor open.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/handle.h"
#include "win32/utf16.h"

struct stdio_object {
    struct wsaio_object hdr;
    int fd;
};

static _Atomic(HANDLE) std_handles[3];

static void stdio_destroy(struct wsaio_object *obj)
{
    free(obj);
}

WSAIO_EXPORT HANDLE WINAPI GetStdHandle(DWORD nStdHandle)
{
    int fd = nStdHandle == STD_INPUT_HANDLE    ? 0
             : nStdHandle == STD_OUTPUT_HANDLE ? 1
             : nStdHandle == STD_ERROR_HANDLE  ? 2
                                               : -1;
    struct stdio_object *o;
    HANDLE h, expect = NULL;

    if (fd < 0) {
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return INVALID_HANDLE_VALUE;
    }
    if ((h = atomic_load(&std_handles[fd])))
        return h;
    if (!(o = malloc(sizeof(*o)))) {
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return INVALID_HANDLE_VALUE;
    }
    o->hdr.type = WSAIO_OBJ_STDIO;
    o->hdr.destroy = stdio_destroy;
    o->fd = fd;
    if (!(h = wsaio_handle_create(&o->hdr))) {
        free(o);
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return INVALID_HANDLE_VALUE;
    }
    if (!atomic_compare_exchange_strong(&std_handles[fd], &expect, h)) {
        wsaio_handle_close(h, WSAIO_OBJ_STDIO); /* another thread made it first */
        h = expect;
    }
    return h;
}

/* The descriptor behind a standard handle, with a reference in *obj; -1 (error set) else. */
static int fd_of(HANDLE h, struct wsaio_object **obj)
{
    *obj = wsaio_handle_ref(h, WSAIO_OBJ_STDIO);
    if (!*obj) {
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return -1;
    }
    return ((struct stdio_object *)*obj)->fd;
}

static DWORD win32_error(int err)
{
    switch (err) {
    case EPIPE:
        return ERROR_NO_DATA; /* the pipe is being closed */
    case EBADF:
        return ERROR_INVALID_HANDLE;
    case ENOSPC:
        return ERROR_HANDLE_DISK_FULL;
    case EFAULT:
        return ERROR_NOACCESS;
    default:
        return ERROR_GEN_FAILURE;
    }
}

static BOOL write_all(HANDLE h, const void *buf, DWORD n, LPDWORD done, LPOVERLAPPED ov)
{
    struct wsaio_object *obj;
    int fd;
    DWORD off = 0;

    if (done)
        *done = 0;
    if (ov) { /* standard handles are not opened for overlapped I/O */
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if ((fd = fd_of(h, &obj)) < 0)
        return FALSE;
    while (off < n) {
        ssize_t r = write(fd, (const char *)buf + off, n - off);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            wsaio_object_put(obj);
            wsaio_set_error(win32_error(errno));
            if (done)
                *done = off;
            return FALSE;
        }
        off += (DWORD)r;
    }
    wsaio_object_put(obj);
    if (done)
        *done = off;
    return TRUE;
}

WSAIO_EXPORT BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                   LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped)
{
    return write_all(hFile, lpBuffer, nNumberOfBytesToWrite, lpNumberOfBytesWritten, lpOverlapped);
}

WSAIO_EXPORT BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                  LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped)
{
    struct wsaio_object *obj;
    struct stat st;
    ssize_t r;
    int fd;

    if (lpNumberOfBytesRead)
        *lpNumberOfBytesRead = 0;
    if (lpOverlapped) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if ((fd = fd_of(hFile, &obj)) < 0)
        return FALSE;
    do
        r = read(fd, lpBuffer, nNumberOfBytesToRead);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        wsaio_object_put(obj);
        wsaio_set_error(win32_error(errno));
        return FALSE;
    }
    if (r == 0 && nNumberOfBytesToRead && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) {
        wsaio_object_put(obj);
        wsaio_set_error(ERROR_BROKEN_PIPE); /* the writer closed its end */
        return FALSE;
    }
    wsaio_object_put(obj);
    if (lpNumberOfBytesRead)
        *lpNumberOfBytesRead = (DWORD)r;
    return TRUE;
}

WSAIO_EXPORT BOOL WINAPI WriteConsoleA(HANDLE hConsoleOutput, const VOID *lpBuffer,
                                       DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten,
                                       LPVOID lpReserved)
{
    (void)lpReserved;
    return write_all(hConsoleOutput, lpBuffer, nNumberOfCharsToWrite, lpNumberOfCharsWritten, NULL);
}

WSAIO_EXPORT BOOL WINAPI WriteConsoleW(HANDLE hConsoleOutput, const VOID *lpBuffer,
                                       DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten,
                                       LPVOID lpReserved)
{
    char *text = wsaio_utf16_to_utf8((LPCWSTR)lpBuffer, (int)nNumberOfCharsToWrite);
    BOOL ok;

    (void)lpReserved;
    if (!text) {
        wsaio_set_error(lpBuffer ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ok = write_all(hConsoleOutput, text, (DWORD)strlen(text), NULL, NULL);
    free(text);
    if (ok && lpNumberOfCharsWritten)
        *lpNumberOfCharsWritten = nNumberOfCharsToWrite;
    return ok;
}

WSAIO_EXPORT BOOL WINAPI ReadConsoleA(HANDLE hConsoleInput, LPVOID lpBuffer,
                                      DWORD nNumberOfCharsToRead, LPDWORD lpNumberOfCharsRead,
                                      LPVOID pInputControl)
{
    (void)pInputControl;
    return ReadFile(hConsoleInput, lpBuffer, nNumberOfCharsToRead, lpNumberOfCharsRead, NULL);
}
