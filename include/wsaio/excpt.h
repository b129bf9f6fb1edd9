/*
 * excpt.h - structured exception handling words (__try, __except, __finally, __leave) for
 * programs compiled with gcc or clang on Linux.
 *
 * Only the normal path is kept: the __try block runs; an __except block never runs (its
 * filter is not evaluated), because no hardware exception (access violation, division by
 * zero) is turned into an SEH exception here - such a fault ends the process with its
 * signal, as an unhandled exception does on Windows; a __finally block runs after its
 * __try block completes normally or by __leave. Limits (docs/porting.md): leaving a __try
 * block by return, break, continue or goto skips its __finally block, and
 * GetExceptionCode()/AbnormalTermination() are 0. __leave needs gcc or clang (it jumps to a
 * block-local label, a GNU extension). A __try ... __finally that is itself the unbraced
 * body of an if, else or loop needs braces around it: the __finally block is a statement
 * of its own after the __try block.
 */
#ifndef WSAIO_EXCPT_H
#define WSAIO_EXCPT_H

#define EXCEPTION_EXECUTE_HANDLER    1
#define EXCEPTION_CONTINUE_SEARCH    0
#define EXCEPTION_CONTINUE_EXECUTION (-1)

#ifndef WSAIO_NO_SEH
/* clang-format knows __except as a keyword and would split `__except(filter)`. */
/* clang-format off */
/* The filter only has to compile: sizeof keeps it unevaluated. */
#define __try                                                                                      \
    if (1) {                                                                                       \
        __label__ wsaio_seh_leave_;                                                                \
        if (1)
#define __except(filter)                                                                           \
    wsaio_seh_leave_:                                                                              \
    __attribute__((__unused__));                                                                   \
    }                                                                                              \
    else if (sizeof(filter) == 0)
#define __finally                                                                                  \
    wsaio_seh_leave_:                                                                              \
    __attribute__((__unused__));                                                                   \
    }                                                                                              \
    if (1)
#define __leave goto wsaio_seh_leave_
/* clang-format on */

#define GetExceptionCode()        0
#define _exception_code()         0
#define GetExceptionInformation() ((void *)0)
#define _exception_info()         ((void *)0)
#define AbnormalTermination()     0
#define _abnormal_termination()   0
#endif

#endif /* WSAIO_EXCPT_H */
