/*
 * process.h - the C runtime's thread functions (_beginthreadex and friends) that Windows
 * programs use instead of CreateThread.
 */
#ifndef WSAIO_PROCESS_H
#define WSAIO_PROCESS_H

#include <stdint.h>

#include "winbase.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned(WINAPI *_beginthreadex_proc_type)(void *);
typedef void (*_beginthread_proc_type)(void *);

/**
 * _beginthreadex - starts start_address(arglist) as CreateThread does and returns its
 * handle (waitable, CloseHandle, GetExitCodeThread = the routine's return value), or 0 with
 * errno EINVAL (NULL routine, CREATE_SUSPENDED) or EAGAIN (no resources). *thrdaddr gets the
 * thread id.
 */
WSAIO_EXPORT uintptr_t _beginthreadex(void *security, unsigned stack_size,
                                      _beginthreadex_proc_type start_address, void *arglist,
                                      unsigned initflag, unsigned *thrdaddr);
/** _endthreadex - ends the calling thread with exit code retval. */
WSAIO_EXPORT void _endthreadex(unsigned retval) __attribute__((noreturn));
/**
 * _beginthread - starts start_address(arglist); the handle is closed by the thread when it
 * ends, so it is only good until then. (uintptr_t)-1 with errno on failure.
 */
WSAIO_EXPORT uintptr_t _beginthread(_beginthread_proc_type start_address, unsigned stack_size,
                                    void *arglist);
/** _endthread - ends a thread from _beginthread (closing its handle). */
WSAIO_EXPORT void _endthread(void) __attribute__((noreturn));

#ifndef _getpid
/** _getpid - the process id. */
#define _getpid() ((int)GetCurrentProcessId())
#endif

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_PROCESS_H */
