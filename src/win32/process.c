/*
 * process.c - _beginthreadex/_beginthread and their ends, over CreateThread: the handle
 * is the thread's, so it is waitable and keeps the exit code.
 */
#include <errno.h>
#include <stdatomic.h>
#include <process.h>
#include <stdlib.h>

#include "base/error.h"

struct start {
    _beginthreadex_proc_type ex;  /* _beginthreadex */
    _beginthread_proc_type plain; /* _beginthread */
    void *arg;
    _Atomic(HANDLE) handle; /* _beginthread: closed by the thread when it ends */
};

/* The handle a _beginthread thread closes as it ends. */
static __thread struct start *plain_self;

static void close_own_handle(struct start *s)
{
    HANDLE h;

    /* The creator stores the handle right after CreateThread returns. */
    while (!(h = atomic_load(&s->handle)))
        SleepEx(0, FALSE);
    CloseHandle(h);
    free(s);
}

static DWORD WINAPI trampoline(LPVOID p)
{
    struct start *s = p;

    if (s->ex) {
        _beginthreadex_proc_type fn = s->ex;
        void *arg = s->arg;

        free(s);
        return fn(arg);
    }
    plain_self = s;
    s->plain(s->arg);
    plain_self = NULL;
    close_own_handle(s);
    return 0;
}

static HANDLE start(struct start *s, unsigned stack_size, unsigned initflag, unsigned *thrdaddr)
{
    DWORD id;
    HANDLE h;

    if (initflag & CREATE_SUSPENDED) {
        free(s);
        errno = EINVAL;
        return NULL;
    }
    h = CreateThread(NULL, stack_size, trampoline, s, 0, thrdaddr ? &id : NULL);
    if (!h) {
        free(s);
        errno = EAGAIN;
        return NULL;
    }
    if (thrdaddr)
        *thrdaddr = id;
    return h;
}

WSAIO_EXPORT uintptr_t _beginthreadex(void *security, unsigned stack_size,
                                      _beginthreadex_proc_type start_address, void *arglist,
                                      unsigned initflag, unsigned *thrdaddr)
{
    struct start *s;

    (void)security;
    if (!start_address) {
        errno = EINVAL;
        return 0;
    }
    if (!(s = calloc(1, sizeof(*s)))) {
        errno = EAGAIN;
        return 0;
    }
    s->ex = start_address;
    s->arg = arglist;
    return (uintptr_t)start(s, stack_size, initflag, thrdaddr);
}

WSAIO_EXPORT void _endthreadex(unsigned retval)
{
    ExitThread(retval);
}

WSAIO_EXPORT uintptr_t _beginthread(_beginthread_proc_type start_address, unsigned stack_size,
                                    void *arglist)
{
    struct start *s;
    HANDLE h;

    if (!start_address) {
        errno = EINVAL;
        return (uintptr_t)-1;
    }
    if (!(s = calloc(1, sizeof(*s)))) {
        errno = EAGAIN;
        return (uintptr_t)-1;
    }
    s->plain = start_address;
    s->arg = arglist;
    h = start(s, stack_size, 0, NULL);
    if (!h)
        return (uintptr_t)-1;
    atomic_store(&s->handle, h);
    return (uintptr_t)h;
}

WSAIO_EXPORT void _endthread(void)
{
    struct start *s = plain_self;

    if (s) {
        plain_self = NULL;
        close_own_handle(s);
    }
    ExitThread(0);
}
