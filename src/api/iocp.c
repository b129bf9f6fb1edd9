/*
 * iocp.c - the completion-port entry points (api.md 2.4 to 2.6, 4.17 to 4.20); the port
 * object itself is core/port.c. They need no WSAStartup, as on Windows (kernel32).
 */
#include <errno.h>

#include "base/error.h"
#include "base/userptr.h"
#include "core/port.h"
#include "core/socket.h"

/* A kernel32 call's end: TRUE, or FALSE with err as the last error. */
static BOOL iocp_result(DWORD err)
{
    if (!err)
        return TRUE;
    wsaio_set_error(err);
    return FALSE;
}

/* CreateIoCompletionPort's failure: NULL, with err (0: set already) as the last error. */
static HANDLE iocp_no_port(struct wsaio_socket *sk, DWORD err)
{
    if (sk)
        wsaio_socket_put(sk);
    if (err)
        wsaio_set_error(err);
    return NULL;
}

/* Associates sk with the port h, with key: 0, or a Win32 error. Once only (api.md 4.17). */
static DWORD associate(struct wsaio_socket *sk, HANDLE h, ULONG_PTR key)
{
    DWORD err = 0;

    wsaio_socket_lock(sk);
    if (atomic_load(&sk->port)) {
        err = ERROR_INVALID_PARAMETER;
    } else {
        sk->port_key = key;
        atomic_store_explicit(&sk->port, h, memory_order_release);
    }
    wsaio_socket_unlock(sk);
    return err;
}

WSAIO_EXPORT HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                  ULONG_PTR CompletionKey,
                                                  DWORD NumberOfConcurrentThreads)
{
    struct wsaio_socket *sk;
    HANDLE port = ExistingCompletionPort;
    DWORD err;

    if (FileHandle == INVALID_HANDLE_VALUE) {
        if (ExistingCompletionPort)
            return iocp_no_port(NULL, ERROR_INVALID_PARAMETER);
        return wsaio_port_create(NumberOfConcurrentThreads);
    }
    sk = wsaio_socket_ref((SOCKET)(uintptr_t)FileHandle);
    if (!sk || (port && !wsaio_port_is_live(port)))
        return iocp_no_port(sk, ERROR_INVALID_HANDLE);
    if (atomic_load(&sk->port)) /* before creating a port that would only leak */
        return iocp_no_port(sk, ERROR_INVALID_PARAMETER);
    if (!port && !(port = wsaio_port_create(NumberOfConcurrentThreads)))
        return iocp_no_port(sk, 0);
    err = associate(sk, port, CompletionKey);
    if (err && !ExistingCompletionPort) /* lost a race with another association */
        CloseHandle(port);
    if (err)
        return iocp_no_port(sk, err);
    wsaio_socket_put(sk);
    return port;
}

WSAIO_EXPORT BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort,
                                                   LPDWORD lpNumberOfBytesTransferred,
                                                   PULONG_PTR lpCompletionKey,
                                                   LPOVERLAPPED *lpOverlapped, DWORD dwMilliseconds)
{
    OVERLAPPED_ENTRY e;
    DWORD why;

    if (wsaio_bad_ptr(lpNumberOfBytesTransferred) || wsaio_bad_ptr(lpCompletionKey) ||
        wsaio_bad_ptr(lpOverlapped))
        return iocp_result(ERROR_INVALID_PARAMETER);
    if (!wsaio_port_get(CompletionPort, &e, 1, dwMilliseconds, false, &why)) {
        *lpOverlapped = NULL;
        return iocp_result(why);
    }
    *lpNumberOfBytesTransferred = e.dwNumberOfBytesTransferred;
    *lpCompletionKey = e.lpCompletionKey;
    *lpOverlapped = e.lpOverlapped;
    return iocp_result(
        (NTSTATUS)e.Internal == STATUS_SUCCESS ? 0 : wsaio_status_to_win32((NTSTATUS)e.Internal));
}

WSAIO_EXPORT BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                                     LPOVERLAPPED_ENTRY lpCompletionPortEntries,
                                                     ULONG ulCount, PULONG ulNumEntriesRemoved,
                                                     DWORD dwMilliseconds, BOOL fAlertable)
{
    DWORD why;
    ULONG n;

    if (!ulCount || wsaio_bad_ptr(lpCompletionPortEntries) || wsaio_bad_ptr(ulNumEntriesRemoved)) {
        if (!wsaio_bad_ptr(ulNumEntriesRemoved))
            *ulNumEntriesRemoved = 0;
        return iocp_result(ERROR_INVALID_PARAMETER);
    }
    n = wsaio_port_get(CompletionPort, lpCompletionPortEntries, ulCount, dwMilliseconds,
                       fAlertable != FALSE, &why);
    *ulNumEntriesRemoved = n;
    return iocp_result(n ? 0 : why);
}

WSAIO_EXPORT BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort,
                                                    DWORD dwNumberOfBytesTransferred,
                                                    ULONG_PTR dwCompletionKey,
                                                    LPOVERLAPPED lpOverlapped)
{
    int rc =
        wsaio_port_post(CompletionPort, dwNumberOfBytesTransferred, dwCompletionKey, lpOverlapped);

    return iocp_result(rc == 0         ? 0
                       : rc == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY
                                       : ERROR_INVALID_HANDLE);
}

WSAIO_EXPORT BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags)
{
    struct wsaio_socket *sk;

    if (Flags & ~(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE))
        return iocp_result(ERROR_INVALID_PARAMETER);
    sk = wsaio_socket_ref((SOCKET)(uintptr_t)FileHandle);
    if (!sk)
        return iocp_result(ERROR_INVALID_HANDLE);
    atomic_fetch_or(&sk->port_modes, Flags);
    wsaio_socket_put(sk);
    return TRUE;
}
