/*
 * cancel_io.c - CancelIoEx and CancelIo on sockets (api.md 4.22), through the one cancel
 * path (core/cancel.c) that closesocket uses too.
 */
#include <stdint.h>

#include "base/error.h"
#include "core/cancel.h"
#include "core/socket.h"
#include "sync/waitable.h"

/* The socket a kernel32 handle names (a SOCKET cast to HANDLE), with a slot reference;
 * NULL (ERROR_INVALID_HANDLE set) for anything else. No WSAStartup needed. */
static struct wsaio_socket *socket_of_handle(HANDLE h)
{
    struct wsaio_socket *sk = wsaio_socket_ref((SOCKET)(uintptr_t)h); /* NULL for a HANDLE */

    if (!sk)
        wsaio_set_error(ERROR_INVALID_HANDLE);
    return sk;
}

WSAIO_EXPORT BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped)
{
    struct wsaio_cancel_match m = {.ov = lpOverlapped, .deliver = true};
    struct wsaio_socket *sk = socket_of_handle(hFile);
    int n;

    if (!sk)
        return FALSE;
    n = wsaio_cancel(sk, &m); /* asynchronous: each one completes through its indication */
    wsaio_socket_put(sk);
    if (!n) {
        wsaio_set_error(ERROR_NOT_FOUND);
        return FALSE;
    }
    return TRUE;
}

WSAIO_EXPORT BOOL WINAPI CancelIo(HANDLE hFile)
{
    struct wsaio_cancel_match m = {.tid = wsaio_self_tid(), .deliver = true};
    struct wsaio_socket *sk = socket_of_handle(hFile);

    if (!sk)
        return FALSE;
    wsaio_cancel(sk, &m); /* TRUE even when nothing of this thread's was pending */
    wsaio_socket_put(sk);
    return TRUE;
}
