/*
 * thread.c - CreateThread and thread handles: a pthread whose thread object is signalled,
 * with its exit code kept, when the routine returns or calls ExitThread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/error.h"
#include "base/userptr.h"
#include "sync/event.h"
#include "sync/thread.h"
#include "sync/mutex.h"

/* The calling thread's object, when it was started by CreateThread (for ExitThread). */
static __thread struct wsaio_thread *self_thread __attribute__((tls_model("initial-exec")));

static void thread_destroy(struct wsaio_object *obj)
{
    struct wsaio_thread *t = (struct wsaio_thread *)obj;

    wsaio_tstate_put(t->ts);
    free(t);
}

/* Runs when the routine returns or ExitThread unwinds: drop the APC queue, then signal. */
static void thread_finish(void *p)
{
    struct wsaio_thread *t = p;

    /* Drop the APC queue and abandon the mutexes first: once the handle is signalled, the
     * thread is gone. */
    wsaio_tstate_exit_self();
    wsaio_mutex_abandon_owned();
    wsaio_waitable_set(&t->done);
    wsaio_object_put(&t->hdr);
}

static void *thread_main(void *p)
{
    struct wsaio_thread *t = p;
    DWORD code;

    wsaio_tstate_adopt(t->ts);
    wsaio_tstate_get(t->ts); /* the adopted state's own reference; the object keeps its */
    self_thread = t;
    /* Windows runs the routines queued before the thread began running first of all
     * (QueueUserAPC documentation). */
    wsaio_apc_run_all(t->ts, NULL);
    pthread_cleanup_push(thread_finish, t);
    code = t->start(t->arg);
    t->exit_code = code;
    pthread_cleanup_pop(1);
    return NULL;
}

WSAIO_EXPORT HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes,
                                        SIZE_T dwStackSize, LPTHREAD_START_ROUTINE lpStartAddress,
                                        LPVOID lpParameter, DWORD dwCreationFlags,
                                        LPDWORD lpThreadId)
{
    struct wsaio_thread *t;
    pthread_attr_t attr;
    pthread_t pt;
    HANDLE h;
    int rc;

    (void)lpThreadAttributes;
    if (!lpStartAddress) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (wsaio_bad_opt_ptr(lpThreadId)) { /* refused before a thread starts (api.md 0.6) */
        wsaio_set_error(ERROR_NOACCESS);
        return NULL;
    }
    if (dwCreationFlags & CREATE_SUSPENDED) {
        wsaio_set_error(ERROR_NOT_SUPPORTED);
        return NULL;
    }
    t = calloc(1, sizeof(*t));
    if (!t || !(t->ts = wsaio_tstate_new())) {
        free(t);
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    t->hdr.type = WSAIO_OBJ_THREAD;
    t->hdr.destroy = thread_destroy;
    t->start = lpStartAddress;
    t->arg = lpParameter;
    t->exit_code = STILL_ACTIVE;
    wsaio_waitable_init(&t->done, false, false);
    h = wsaio_handle_create(&t->hdr);
    if (!h) {
        wsaio_tstate_put(t->ts);
        free(t);
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    wsaio_object_get(&t->hdr); /* the running thread's reference */

    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (dwStackSize)
        pthread_attr_setstacksize(&attr, dwStackSize < 65536 ? 65536 : dwStackSize);
    rc = pthread_create(&pt, &attr, thread_main, t);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        wsaio_object_put(&t->hdr);
        wsaio_handle_close(h, WSAIO_OBJ_THREAD);
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (lpThreadId) {
        /* The kernel id is only known inside the thread; wait for it to start. */
        while (!__atomic_load_n(&t->ts->tid, __ATOMIC_ACQUIRE))
            sched_yield();
        *lpThreadId = (DWORD)t->ts->tid;
    }
    return h;
}

WSAIO_EXPORT BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode)
{
    struct wsaio_object *obj = wsaio_handle_ref(hThread, WSAIO_OBJ_THREAD);
    struct wsaio_thread *t = (struct wsaio_thread *)obj;

    if (!obj) {
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (wsaio_bad_ptr(lpExitCode)) {
        wsaio_object_put(obj);
        wsaio_set_error(ERROR_NOACCESS);
        return FALSE;
    }
    *lpExitCode = (atomic_load(&t->done.word) & WSAIO_SIGNALLED) ? t->exit_code : STILL_ACTIVE;
    wsaio_object_put(obj);
    return TRUE;
}

WSAIO_EXPORT void WINAPI ExitThread(DWORD dwExitCode)
{
    if (self_thread)
        self_thread->exit_code = dwExitCode;
    pthread_exit(NULL);
}

WSAIO_EXPORT DWORD WINAPI GetCurrentThreadId(void)
{
    return (DWORD)gettid();
}

WSAIO_EXPORT DWORD WINAPI GetCurrentProcessId(void)
{
    return (DWORD)getpid();
}

WSAIO_EXPORT BOOL WINAPI CloseHandle(HANDLE hObject)
{
    struct wsaio_object *obj = wsaio_handle_ref(hObject, 0);
    uint32_t type;

    if (!obj) {
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    type = obj->type;
    wsaio_object_put(obj);
    if (wsaio_handle_close(hObject, type) < 0) {
        wsaio_set_error(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}
