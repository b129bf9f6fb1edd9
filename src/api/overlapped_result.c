/*
 * overlapped_result.c - WSAGetOverlappedResult (api.md 4.9) and kernel32's
 * GetOverlappedResult(Ex) (4.27): one wait and one read of the OVERLAPPED; they differ
 * only in their error words (WSA or Win32), the flags output and the startup check.
 */
#include "api/startup.h"
#include "api/io.h"
#include "sync/event.h"
#include "core/wait.h"

/* Waits, not alertably (api.md 4.9), until the event obj is signalled. The call never
 * changes the event's state (api.md 4.9 [Lib]): an auto-reset event's signal, taken by the
 * wait, is given back, or a second thread waiting on the same operation would sleep on. */
static DWORD wait_event(struct wsaio_object *obj, DWORD timeout, bool alertable)
{
    struct wsaio_waitable *w = &((struct wsaio_event *)obj)->w;
    DWORD r = wsaio_wait(&w, 1, false, timeout, alertable);

    if (r == WAIT_OBJECT_0 && w->auto_reset)
        wsaio_waitable_set(w);
    return r;
}

/* What the wait ended with, when it did not end with the operation. */
enum result_wait {
    RESULT_READ,
    RESULT_INCOMPLETE,
    RESULT_BAD_EVENT,
    RESULT_NO_SOCKET, /* the wait needs the socket (no hEvent) and the handle names none */
    RESULT_TIMEOUT,
    RESULT_APC
};

/*
 * Waits for ov's operation on sk (the caller's slot reference is consumed; sk may be NULL)
 * when it is still pending and timeout is not 0: on hEvent & ~1 when it has one, as Windows
 * waits (whoever sets it ends the wait, the program included: the OVERLAPPED is then read
 * as it is), else on the socket's completions. RESULT_READ: read the OVERLAPPED now.
 */
static enum result_wait wait_for(struct wsaio_socket *sk, LPWSAOVERLAPPED ov, DWORD timeout,
                                 bool alertable)
{
    HANDLE ev = (HANDLE)((uintptr_t)ov->hEvent & ~(uintptr_t)1);
    enum result_wait rw = RESULT_READ;
    struct wsaio_object *obj;
    DWORD r = WAIT_OBJECT_0;

    if ((DWORD)__atomic_load_n(&ov->Internal, __ATOMIC_ACQUIRE) != STATUS_PENDING) {
        /* done: read it */
    } else if (timeout == 0) {
        rw = RESULT_INCOMPLETE;
    } else if (ev) {
        /* The socket is not needed for the wait: a close meanwhile must not wait for us. */
        if (sk)
            wsaio_socket_put(sk);
        sk = NULL;
        obj = wsaio_handle_ref(ev, WSAIO_OBJ_EVENT);
        if (!obj)
            return RESULT_BAD_EVENT;
        r = wait_event(obj, timeout, alertable);
        wsaio_object_put(obj);
    } else if (!sk) {
        rw = RESULT_NO_SOCKET;
    } else if (timeout == INFINITE && !alertable) {
        wsaio_io_wait_done(sk, ov); /* every completion on the socket pulses io_done */
    } else {
        r = wsaio_io_wait_done_for(sk, ov, timeout, alertable);
    }
    if (sk)
        wsaio_socket_put(sk);
    if (rw != RESULT_READ)
        return rw;
    return r == WAIT_TIMEOUT ? RESULT_TIMEOUT : r == WAIT_IO_COMPLETION ? RESULT_APC : RESULT_READ;
}

/* The status and byte count of a completed (or, after a wait ended by the program's own
 * set, still pending) operation. */
static NTSTATUS read_result(LPWSAOVERLAPPED ov, LPDWORD bytes)
{
    NTSTATUS status = (NTSTATUS)(uint32_t)__atomic_load_n(&ov->Internal, __ATOMIC_ACQUIRE);

    *bytes = (DWORD)ov->InternalHigh; /* also on failure (api.md 9 item 10) */
    return status;
}

WSAIO_EXPORT BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped,
                                                LPDWORD lpcbTransfer, BOOL fWait, LPDWORD lpdwFlags)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    NTSTATUS status;

    if (!sk)
        return FALSE;
    if (wsaio_bad_ptr(lpOverlapped) || wsaio_bad_ptr(lpcbTransfer) ||
        wsaio_bad_opt_ptr(lpdwFlags)) { /* api.md 9 item 9 */
        wsaio_socket_put(sk);
        wsaio_set_error(WSAEFAULT);
        return FALSE;
    }
    switch (wait_for(sk, lpOverlapped, fWait ? INFINITE : 0, false)) {
    case RESULT_INCOMPLETE:
        wsaio_set_error(WSA_IO_INCOMPLETE);
        return FALSE;
    case RESULT_BAD_EVENT: /* the wait is on hEvent & ~1: it must be a live event */
        wsaio_set_error(WSA_INVALID_HANDLE);
        return FALSE;
    default:
        break;
    }
    status = read_result(lpOverlapped, lpcbTransfer);
    if (lpdwFlags)
        *lpdwFlags = 0;
    if (status < 0) { /* NT_SUCCESS fails: errors and warnings (buffer overflow) */
        wsaio_set_error(wsaio_status_to_wsa(status));
        return FALSE;
    }
    wsaio_set_error(0);
    return TRUE;
}

/* kernel32's form: a socket handle without WSAStartup, Win32 codes; with a timeout and an
 * alertable wait for the Ex form (WAIT_TIMEOUT, WAIT_IO_COMPLETION as last errors). */
static BOOL overlapped_result(HANDLE h, LPOVERLAPPED ov, LPDWORD bytes, DWORD timeout,
                              bool alertable)
{
    struct wsaio_socket *sk;
    NTSTATUS status;

    if (wsaio_bad_ptr(ov) || wsaio_bad_ptr(bytes)) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    /* As Windows does, the handle is used only to wait on (no hEvent): a finished
     * operation's result is read whatever hFile is. */
    sk = wsaio_socket_ref((SOCKET)(uintptr_t)h); /* NULL for anything but a socket */
    switch (wait_for(sk, ov, timeout, alertable)) {
    case RESULT_INCOMPLETE:
        wsaio_set_error(ERROR_IO_INCOMPLETE);
        return FALSE;
    case RESULT_BAD_EVENT:
    case RESULT_NO_SOCKET:
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return FALSE;
    case RESULT_TIMEOUT:
        wsaio_set_error(WAIT_TIMEOUT);
        return FALSE;
    case RESULT_APC:
        wsaio_set_error(WAIT_IO_COMPLETION);
        return FALSE;
    default:
        break;
    }
    status = read_result(ov, bytes); /* STATUS_PENDING after the program's own set: success */
    if (status < 0) {
        wsaio_set_error(wsaio_status_to_win32(status));
        return FALSE;
    }
    return TRUE;
}

WSAIO_EXPORT BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                             LPDWORD lpNumberOfBytesTransferred, BOOL bWait)
{
    return overlapped_result(hFile, lpOverlapped, lpNumberOfBytesTransferred, bWait ? INFINITE : 0,
                             false);
}

WSAIO_EXPORT BOOL WINAPI GetOverlappedResultEx(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                               LPDWORD lpNumberOfBytesTransferred,
                                               DWORD dwMilliseconds, BOOL bAlertable)
{
    return overlapped_result(hFile, lpOverlapped, lpNumberOfBytesTransferred, dwMilliseconds,
                             bAlertable != FALSE);
}
