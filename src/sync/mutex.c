/*
 * mutex.c - mutex objects (CreateMutex, ReleaseMutex): a waitable owned recursively by one
 * thread. The wait engine takes it (wait.c, waitable.h); this file creates and releases,
 * and keeps each thread's list of the mutexes it owns (each with a reference) so that a
 * thread that exits holding some abandons them: they become signalled and the next wait
 * that takes one returns WAIT_ABANDONED, as on Windows. Named mutexes fail with
 * ERROR_NOT_SUPPORTED, as named events do.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/error.h"
#include "sync/event.h"
#include "sync/mutex.h"

/* The calling thread's owned mutexes (owner only). */
static __thread struct {
    struct wsaio_event **m;
    size_t n, cap;
} owned;
static pthread_key_t owned_key; /* its destructor abandons them at thread exit */
static pthread_once_t owned_once = PTHREAD_ONCE_INIT;

int32_t wsaio_self_tid(void)
{
    static __thread int32_t tid __attribute__((tls_model("initial-exec")));

    if (!tid)
        tid = (int32_t)gettid();
    return tid;
}

void wsaio_mutex_abandon_owned(void)
{
    while (owned.n > 0) {
        struct wsaio_event *m = owned.m[--owned.n];

        atomic_store(&m->w.abandoned, 1);
        m->w.recursion = 0;
        atomic_store(&m->w.owner, 0);
        wsaio_waitable_set(&m->w);
        wsaio_object_put(&m->hdr);
    }
    free(owned.m);
    owned.m = NULL;
    owned.cap = 0;
}

static void owned_exit(void *p)
{
    (void)p;
    wsaio_mutex_abandon_owned();
}

static void mutex_make_key(void)
{
    pthread_key_create(&owned_key, owned_exit);
}

/* Adds m to the calling thread's owned list. Without memory the mutex is owned all the
 * same, only not abandoned if the thread exits holding it. */
static void remember(struct wsaio_event *m)
{
    if (owned.n == owned.cap) {
        size_t cap = owned.cap ? owned.cap * 2 : 8;
        struct wsaio_event **p = realloc(owned.m, cap * sizeof(*p));

        if (!p)
            return;
        if (!owned.m) { /* the first: make sure the exit destructor runs */
            pthread_once(&owned_once, mutex_make_key);
            pthread_setspecific(owned_key, &owned);
        }
        owned.m = p;
        owned.cap = cap;
    }
    wsaio_object_get(&m->hdr);
    owned.m[owned.n++] = m;
}

static void forget(struct wsaio_event *m)
{
    for (size_t i = owned.n; i-- > 0;) {
        if (owned.m[i] == m) {
            owned.m[i] = owned.m[--owned.n];
            wsaio_object_put(&m->hdr);
            return;
        }
    }
}

bool wsaio_mutex_took(struct wsaio_waitable *w)
{
    struct wsaio_event *m = (struct wsaio_event *)((char *)w - offsetof(struct wsaio_event, w));

    if (atomic_load(&w->owner) == wsaio_self_tid()) {
        w->recursion++;
        return false;
    }
    atomic_store(&w->owner, wsaio_self_tid());
    w->recursion = 1;
    remember(m);
    return atomic_exchange(&w->abandoned, 0) != 0;
}

WSAIO_EXPORT HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner,
                                        LPCSTR lpName)
{
    struct wsaio_event *m;
    HANDLE h;

    (void)lpMutexAttributes;
    m = wsaio_event_alloc(sizeof(*m), WSAIO_OBJ_MUTEX, lpName);
    if (!m)
        return NULL;
    wsaio_waitable_init(&m->w, true, !bInitialOwner);
    m->w.kind = WSAIO_KIND_MUTEX;
    if (bInitialOwner) {
        atomic_store(&m->w.owner, wsaio_self_tid());
        m->w.recursion = 1;
    }
    h = wsaio_event_publish(m);
    if (h && bInitialOwner)
        remember(m);
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
        forget((struct wsaio_event *)obj);
        atomic_store(&w->owner, 0);
        wsaio_waitable_set(w); /* unowned: signalled, wakes the waiters */
    }
    wsaio_object_put(obj);
    return TRUE;
}
