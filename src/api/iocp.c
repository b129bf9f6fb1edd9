/*
 * iocp.c - the completion-port entry points (api.md 2.4 to 2.6, 4.17 to 4.20); the port
 * object itself is core/port.c. They need no WSAStartup, as on Windows (kernel32).
 */
#include <errno.h>

#include "base/error.h"
#include "base/userptr.h"
#include "core/port.h"
#include "core/socket.h"

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
        if (ExistingCompletionPort) {
            wsaio_set_error(ERROR_INVALID_PARAMETER);
            return NULL;
        }
        return wsaio_port_create(NumberOfConcurrentThreads);
    }
    sk = wsaio_socket_ref((SOCKET)(uintptr_t)FileHandle);
    if (!sk || (port && !wsaio_port_is_live(port))) {
        if (sk)
            wsaio_socket_put(sk);
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return NULL;
    }
    if (atomic_load(&sk->port)) { /* before creating a port that would only leak */
        wsaio_socket_put(sk);
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (!port && !(port = wsaio_port_create(NumberOfConcurrentThreads))) {
        wsaio_socket_put(sk);
        return NULL;
    }
    err = associate(sk, port, CompletionKey);
    wsaio_socket_put(sk);
    if (err) {
        if (!ExistingCompletionPort) /* lost a race with another association */
            CloseHandle(port);
        wsaio_set_error(err);
        return NULL;
    }
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
        wsaio_bad_ptr(lpOverlapped)) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!wsaio_port_get(CompletionPort, &e, 1, dwMilliseconds, false, &why)) {
        *lpOverlapped = NULL;
        wsaio_set_error(why);
        return FALSE;
    }
    *lpNumberOfBytesTransferred = e.dwNumberOfBytesTransferred;
    *lpCompletionKey = e.lpCompletionKey;
    *lpOverlapped = e.lpOverlapped;
    if ((NTSTATUS)e.Internal != STATUS_SUCCESS) {
        wsaio_set_error(wsaio_status_to_win32((NTSTATUS)e.Internal));
        return FALSE;
    }
    return TRUE;
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
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    n = wsaio_port_get(CompletionPort, lpCompletionPortEntries, ulCount, dwMilliseconds,
                       fAlertable != FALSE, &why);
    *ulNumEntriesRemoved = n;
    if (!n) {
        wsaio_set_error(why);
        return FALSE;
    }
    return TRUE;
}

WSAIO_EXPORT BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort,
                                                    DWORD dwNumberOfBytesTransferred,
                                                    ULONG_PTR dwCompletionKey,
                                                    LPOVERLAPPED lpOverlapped)
{
    int rc =
        wsaio_port_post(CompletionPort, dwNumberOfBytesTransferred, dwCompletionKey, lpOverlapped);

    if (rc < 0) {
        wsaio_set_error(rc == -ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

WSAIO_EXPORT BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags)
{
    struct wsaio_socket *sk;

    if (Flags & ~(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE)) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    sk = wsaio_socket_ref((SOCKET)(uintptr_t)FileHandle);
    if (!sk) {
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    atomic_fetch_or(&sk->port_modes, Flags);
    wsaio_socket_put(sk);
    return TRUE;
}
