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

struct wsaio_event *wsaio_event_alloc(size_t size, uint32_t type, const void *name)
{
    struct wsaio_event *ev;

    if (name) { /* a named (shared) object would need a cross-process namespace */
        wsaio_set_error(ERROR_NOT_SUPPORTED);
        return NULL;
    }
    ev = malloc(size);
    if (!ev) {
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    ev->hdr.type = type;
    ev->hdr.destroy = event_destroy;
    return ev;
}

HANDLE wsaio_event_publish(struct wsaio_event *ev)
{
    HANDLE h = wsaio_handle_create(&ev->hdr);

    if (!h) {
        free(ev);
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
    }
    return h;
}

static HANDLE event_create(bool manual, bool initial, const void *name)
{
    struct wsaio_event *ev = wsaio_event_alloc(sizeof(*ev), WSAIO_OBJ_EVENT, name);

    if (!ev)
        return NULL;
    wsaio_waitable_init(&ev->w, !manual, initial);
    return wsaio_event_publish(ev);
}

/* Sets (set) or resets the waitable of the event h names; false if h is not a live event.
 * Inline, so each caller's branch folds away on the completion path. */
static inline bool event_change(HANDLE h, bool set)
{
    struct wsaio_object *obj = wsaio_handle_ref(h, WSAIO_OBJ_EVENT);

    if (!obj)
        return false;
    if (set)
        wsaio_waitable_set(&((struct wsaio_event *)obj)->w);
    else
        wsaio_waitable_reset(&((struct wsaio_event *)obj)->w);
    wsaio_object_put(obj);
    return true;
}

bool wsaio_event_signal(HANDLE h)
{
    return event_change(h, true);
}

bool wsaio_event_clear(HANDLE h)
{
    return event_change(h, false);
}

WSAIO_EXPORT WSAEVENT WSAAPI WSACreateEvent(void)
{
    return event_create(true, false, NULL);
}

/* The Winsock and kernel32 forms share these (WSA_INVALID_HANDLE is ERROR_INVALID_HANDLE);
 * static, so the hot path makes no call through the exported, interposable symbols. */
static BOOL handle_result(bool ok)
{
    if (!ok)
        wsaio_set_error(ERROR_INVALID_HANDLE);
    return ok ? TRUE : FALSE;
}

static BOOL set_event(HANDLE h)
{
    return handle_result(wsaio_event_signal(h));
}

static BOOL reset_event(HANDLE h)
{
    return handle_result(wsaio_event_clear(h));
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
    return event_create(bManualReset, bInitialState, lpName);
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
