/*
 * event.c - event objects: WSACreateEvent/WSASetEvent/WSAResetEvent/WSACloseEvent and the
 * kernel32 forms (api.md 4.11). They need no WSAStartup (api.md 0.4).
 */
#include <stdlib.h>

#include "base/error.h"
#include "sync/event.h"

static void event_destroy(struct wsaio_object *obj)
{
    free(obj);
}

static HANDLE event_create(bool manual, bool initial)
{
    struct wsaio_event *ev = malloc(sizeof(*ev));
    HANDLE h;

    if (!ev) {
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    ev->hdr.type = WSAIO_OBJ_EVENT;
    ev->hdr.destroy = event_destroy;
    wsaio_waitable_init(&ev->w, !manual, initial);
    h = wsaio_handle_create(&ev->hdr);
    if (!h) {
        free(ev);
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
    }
    return h;
}

bool wsaio_event_signal(HANDLE h)
{
    struct wsaio_object *obj = wsaio_handle_ref(h, WSAIO_OBJ_EVENT);

    if (!obj)
        return false;
    wsaio_waitable_set(&((struct wsaio_event *)obj)->w);
    wsaio_object_put(obj);
    return true;
}

bool wsaio_event_clear(HANDLE h)
{
    struct wsaio_object *obj = wsaio_handle_ref(h, WSAIO_OBJ_EVENT);

    if (!obj)
        return false;
    wsaio_waitable_reset(&((struct wsaio_event *)obj)->w);
    wsaio_object_put(obj);
    return true;
}

WSAIO_EXPORT WSAEVENT WSAAPI WSACreateEvent(void)
{
    return event_create(true, false);
}

/* The Winsock and kernel32 forms share these (WSA_INVALID_HANDLE is ERROR_INVALID_HANDLE);
 * static, so the hot path makes no call through the exported, interposable symbols. */
static BOOL set_event(HANDLE h)
{
    if (!wsaio_event_signal(h)) {
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

static BOOL reset_event(HANDLE h)
{
    if (!wsaio_event_clear(h)) {
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

WSAIO_EXPORT BOOL WSAAPI WSASetEvent(WSAEVENT hEvent)
{
    return set_event(hEvent);
}

WSAIO_EXPORT BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent)
{
    return reset_event(hEvent);
}

WSAIO_EXPORT BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent)
{
    if (wsaio_handle_close(hEvent, WSAIO_OBJ_EVENT) < 0) {
        wsaio_set_error(WSA_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

WSAIO_EXPORT HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                        BOOL bInitialState, LPCSTR lpName)
{
    (void)lpEventAttributes;
    if (lpName) { /* named (shared) events would need a cross-process namespace */
        wsaio_set_error(ERROR_NOT_SUPPORTED);
        return NULL;
    }
    return event_create(bManualReset, bInitialState);
}

WSAIO_EXPORT HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                        BOOL bInitialState, LPCWSTR lpName)
{
    return CreateEventA(lpEventAttributes, bManualReset, bInitialState, (LPCSTR)lpName);
}

WSAIO_EXPORT HANDLE WINAPI CreateEventExA(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCSTR lpName,
                                          DWORD dwFlags, DWORD dwDesiredAccess)
{
    (void)dwDesiredAccess;
    if (dwFlags & ~(DWORD)(CREATE_EVENT_MANUAL_RESET | CREATE_EVENT_INITIAL_SET)) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return CreateEventA(lpEventAttributes, (dwFlags & CREATE_EVENT_MANUAL_RESET) != 0,
                        (dwFlags & CREATE_EVENT_INITIAL_SET) != 0, lpName);
}

WSAIO_EXPORT HANDLE WINAPI CreateEventExW(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCWSTR lpName,
                                          DWORD dwFlags, DWORD dwDesiredAccess)
{
    return CreateEventExA(lpEventAttributes, (LPCSTR)lpName, dwFlags, dwDesiredAccess);
}

WSAIO_EXPORT BOOL WINAPI SetEvent(HANDLE hEvent)
{
    return set_event(hEvent);
}

WSAIO_EXPORT BOOL WINAPI ResetEvent(HANDLE hEvent)
{
    return reset_event(hEvent);
}
