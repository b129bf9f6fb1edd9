/*
 * semaphore.c - semaphore objects (CreateSemaphore, ReleaseSemaphore). The count lives in
 * the waitable's word (waitable.h), so a wait takes one unit with the same compare-and-swap
 * that takes an auto-reset event, and a wait-all takes it atomically with the others.
 *
 * The word holds 30 bits of count: a maximum above 0x3FFFFFFF (programs often pass
 * MAXLONG) is kept as 0x3FFFFFFF, so only a count beyond that fails with
 * ERROR_TOO_MANY_POSTS earlier than on Windows.
 */
#include "base/error.h"
#include "sync/event.h"

#define COUNT_LIMIT 0x3FFFFFFF

struct wsaio_semaphore {
    struct wsaio_event ev; /* first: the wait engine sees the event layout */
    uint32_t max;
};

WSAIO_EXPORT HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                            LONG lInitialCount, LONG lMaximumCount, LPCSTR lpName)
{
    struct wsaio_semaphore *s;

    (void)lpSemaphoreAttributes;
    if (lMaximumCount <= 0 || lInitialCount < 0 || lInitialCount > lMaximumCount) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    s = (struct wsaio_semaphore *)wsaio_event_alloc(sizeof(*s), WSAIO_OBJ_SEMAPHORE, lpName);
    if (!s)
        return NULL;
    s->max = lMaximumCount > COUNT_LIMIT ? COUNT_LIMIT : (uint32_t)lMaximumCount;
    wsaio_waitable_init(&s->ev.w, true, false);
    s->ev.w.kind = WSAIO_KIND_SEMAPHORE;
    if (lInitialCount > COUNT_LIMIT)
        lInitialCount = COUNT_LIMIT;
    atomic_store(&s->ev.w.word, ((uint32_t)lInitialCount * WSAIO_SEQ_ONE) |
                                    (lInitialCount ? WSAIO_SIGNALLED : 0u));
    return wsaio_event_publish(&s->ev);
}

WSAIO_EXPORT HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                            LONG lInitialCount, LONG lMaximumCount, LPCWSTR lpName)
{
    return CreateSemaphoreA(lpSemaphoreAttributes, lInitialCount, lMaximumCount, (LPCSTR)lpName);
}

WSAIO_EXPORT HANDLE WINAPI CreateSemaphoreExA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                              LONG lInitialCount, LONG lMaximumCount, LPCSTR lpName,
                                              DWORD dwFlags, DWORD dwDesiredAccess)
{
    (void)dwDesiredAccess;
    if (dwFlags) { /* reserved, must be 0 */
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return CreateSemaphoreA(lpSemaphoreAttributes, lInitialCount, lMaximumCount, lpName);
}

WSAIO_EXPORT HANDLE WINAPI CreateSemaphoreExW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes,
                                              LONG lInitialCount, LONG lMaximumCount,
                                              LPCWSTR lpName, DWORD dwFlags, DWORD dwDesiredAccess)
{
    return CreateSemaphoreExA(lpSemaphoreAttributes, lInitialCount, lMaximumCount, (LPCSTR)lpName,
                              dwFlags, dwDesiredAccess);
}

WSAIO_EXPORT BOOL WINAPI ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount,
                                          LPLONG lpPreviousCount)
{
    struct wsaio_object *obj = wsaio_handle_ref(hSemaphore, WSAIO_OBJ_SEMAPHORE);
    struct wsaio_semaphore *s = (struct wsaio_semaphore *)obj;
    uint32_t cur, count, next;

    if (!obj) {
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (lReleaseCount <= 0) {
        wsaio_object_put(obj);
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    cur = atomic_load(&s->ev.w.word);
    do {
        count = WSAIO_SEQ(cur);
        if ((uint32_t)lReleaseCount > s->max - count) {
            wsaio_object_put(obj);
            wsaio_set_error(ERROR_TOO_MANY_POSTS);
            return FALSE;
        }
        /* keep RESERVED: a wait-all may be taking one unit of the old count */
        next = ((count + (uint32_t)lReleaseCount) * WSAIO_SEQ_ONE) | (cur & WSAIO_RESERVED) |
               WSAIO_SIGNALLED;
    } while (!atomic_compare_exchange_weak(&s->ev.w.word, &cur, next));
    wsaio_waitable_wake(&s->ev.w);
    if (lpPreviousCount)
        *lpPreviousCount = (LONG)count;
    wsaio_object_put(obj);
    return TRUE;
}
