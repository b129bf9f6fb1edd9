/*
 * eventselect.c - WSAEventSelect and WSAEnumNetworkEvents (api.md 4.14, 4.15); the record
 * model lives in core/netevents.c.
 */
#include "api/startup.h"
#include "base/handle.h"
#include "core/socket.h"
#include "base/userptr.h"

/* A non-NULL event must be a live one ([Lib] WSAEINVAL). */
static bool event_ok(HANDLE event)
{
    struct wsaio_object *obj;

    if (!event)
        return true;
    obj = wsaio_handle_ref(event, WSAIO_OBJ_EVENT);
    if (obj)
        wsaio_object_put(obj);
    return obj != NULL;
}

WSAIO_EXPORT int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    int err;

    if (!sk)
        return SOCKET_ERROR;
    err = event_ok(hEventObject)
              ? wsaio_ne_select(sk, hEventObject, (uint32_t)lNetworkEvents & FD_ALL_EVENTS)
              : WSAEINVAL;
    wsaio_socket_put(sk);
    if (err)
        return wsaio_fail((DWORD)err);
    wsaio_set_error(0);
    return 0;
}

WSAIO_EXPORT int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
                                             LPWSANETWORKEVENTS lpNetworkEvents)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    int err = 0;

    if (!sk)
        return SOCKET_ERROR;
    if (wsaio_bad_ptr(lpNetworkEvents))
        err = WSAEFAULT;
    else if (!event_ok(hEventObject))
        err = WSAEINVAL;
    else
        wsaio_ne_enumerate(sk, hEventObject, lpNetworkEvents);
    wsaio_socket_put(sk);
    if (err)
        return wsaio_fail((DWORD)err);
    wsaio_set_error(0);
    return 0;
}
