/*
 * overlapped_result.c - WSAGetOverlappedResult (api.md 4.9).
 */
#include "api/startup.h"
#include "api/io.h"
#include "sync/event.h"
#include "core/wait.h"

/* Waits, not alertably (api.md 4.9), until the event obj is signalled. The call never
 * changes the event's state (api.md 4.9 [Lib]): an auto-reset event's signal, taken by the
 * wait, is given back, or a second thread waiting on the same operation would sleep on. */
static void wait_event(struct wsaio_object *obj)
{
    struct wsaio_waitable *w = &((struct wsaio_event *)obj)->w;

    wsaio_wait(&w, 1, false, INFINITE, false);
    if (w->auto_reset)
        wsaio_waitable_set(w);
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
    if ((DWORD)__atomic_load_n(&lpOverlapped->Internal, __ATOMIC_ACQUIRE) == STATUS_PENDING) {
        HANDLE ev = (HANDLE)((uintptr_t)lpOverlapped->hEvent & ~(uintptr_t)1);
        struct wsaio_object *obj;

        if (!fWait) {
            wsaio_socket_put(sk);
            wsaio_set_error(WSA_IO_INCOMPLETE);
            return FALSE;
        }
        if (ev) { /* the wait is on hEvent & ~1, as Windows waits: it must be a live event */
            obj = wsaio_handle_ref(ev, WSAIO_OBJ_EVENT);
            if (!obj) {
                wsaio_socket_put(sk);
                wsaio_set_error(WSA_INVALID_HANDLE);
                return FALSE;
            }
            /* Whoever sets the event ends the wait, the program included; the OVERLAPPED
             * is then read as it is (still STATUS_PENDING: a success status, api.md 4.9).
             * The socket is not needed for it: a close meanwhile must not wait for us. */
            wsaio_socket_put(sk);
            sk = NULL;
            wait_event(obj);
            wsaio_object_put(obj);
        } else {
            /* No event: every completion on the socket pulses io_done. */
            wsaio_io_wait_done(sk, lpOverlapped);
        }
    }
    if (sk)
        wsaio_socket_put(sk);
    status = (NTSTATUS)(uint32_t)__atomic_load_n(&lpOverlapped->Internal, __ATOMIC_ACQUIRE);
    *lpcbTransfer = (DWORD)lpOverlapped->InternalHigh; /* also on failure (api.md 9 item 10) */
    if (lpdwFlags)
        *lpdwFlags = 0;
    if (status < 0) { /* NT_SUCCESS fails: errors and warnings (buffer overflow) */
        wsaio_set_error(wsaio_status_to_wsa(status));
        return FALSE;
    }
    wsaio_set_error(0);
    return TRUE;
}
