/*
 * mutex.c - mutex objects (CreateMutex, ReleaseMutex): a waitable owned recursively by one
 * thread. The wait engine takes it (wait.c, waitable.h); this file creates and releases.
 *
 * Not done: a mutex whose owner exits stays owned (Windows hands it to the next waiter
 * with WAIT_ABANDONED). Named mutexes fail with ERROR_NOT_SUPPORTED, as named events do.
 */
#include <stdlib.h>
#include <unistd.h>

#include "core/error.h"
#include "sync/event.h"

int32_t wsaio_self_tid(void)
{
    static __thread int32_t tid;

    if (!tid)
        tid = (int32_t)gettid();
    return tid;
}

static void mutex_destroy(struct wsaio_object *obj)
{
    free(obj);
}

WSAIO_EXPORT HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                        LPCSTR lpName)
{
    struct wsaio_event *m;
    HANDLE h;

    (void)lpMutexAttributes;
    if (lpName) { /* a named mutex would need a cross-process namespace */
        wsaio_set_error(ERROR_NOT_SUPPORTED);
        return NULL;
    }
    m = malloc(sizeof(*m));
    if (!m) {
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    m->hdr.type = WSAIO_OBJ_MUTEX;
    m->hdr.destroy = mutex_destroy;
    wsaio_waitable_init(&m->w, true, !bInitialOwner);
    m->w.kind = WSAIO_KIND_MUTEX;
    if (bInitialOwner) {
        atomic_store(&m->w.owner, wsaio_self_tid());
        m->w.recursion = 1;
    }
    h = wsaio_handle_create(&m->hdr);
    if (!h) {
        free(m);
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
    }
    return h;
}

WSAIO_EXPORT HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                        LPCWSTR lpName)
{
    return CreateMutexA(lpMutexAttributes, bInitialOwner, (LPCSTR)lpName);
}

WSAIO_EXPORT HANDLE WINAPI CreateMutexExA(LPSECURITY_ATTRIBUTES lpMutexAttributes, LPCSTR lpName,
                                          DWORD dwFlags, DWORD dwDesiredAccess)
{
    (void)dwDesiredAccess;
    if (dwFlags & ~(DWORD)CREATE_MUTEX_INITIAL_OWNER) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return CreateMutexA(lpMutexAttributes, (dwFlags & CREATE_MUTEX_INITIAL_OWNER) != 0, lpName);
}

WSAIO_EXPORT HANDLE WINAPI CreateMutexExW(LPSECURITY_ATTRIBUTES lpMutexAttributes, LPCWSTR lpName,
                                          DWORD dwFlags, DWORD dwDesiredAccess)
{
    return CreateMutexExA(lpMutexAttributes, (LPCSTR)lpName, dwFlags, dwDesiredAccess);
}

WSAIO_EXPORT BOOL WINAPI ReleaseMutex(HANDLE hMutex)
{
    struct wsaio_object *obj = wsaio_handle_ref(hMutex, WSAIO_OBJ_MUTEX);
    struct wsaio_waitable *w;

    if (!obj) {
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    w = &((struct wsaio_event *)obj)->w;
    if (atomic_load(&w->owner) != wsaio_self_tid()) {
        wsaio_object_put(obj);
        wsaio_set_error(ERROR_NOT_OWNER);
        return FALSE;
    }
    if (--w->recursion == 0) {
        atomic_store(&w->owner, 0);
        wsaio_waitable_set(w); /* unowned: signalled, wakes the waiters */
    }
    wsaio_object_put(obj);
    return TRUE;
}
