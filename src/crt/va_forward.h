/*
 * va_forward.h - the body of a variadic function that only hands its arguments to its
 * va_list form (sprintf_s to vsprintf_s, StringCchPrintfA to StringCchVPrintfA, ...).
 */
#ifndef WSAIO_CRT_VA_FORWARD_H
#define WSAIO_CRT_VA_FORWARD_H

#include <stdarg.h>

/* Returns vcall, an expression of type `type` that takes the arguments after `last` as `ap`. */
#define WSAIO_VA_FORWARD(type, last, vcall)                                                        \
    do {                                                                                           \
        va_list ap;                                                                                \
        type result_;                                                                              \
                                                                                                   \
        va_start(ap, last);                                                                        \
        result_ = (vcall);                                                                         \
        va_end(ap);                                                                                \
        return result_;                                                                            \
    } while (0)

#endif /* WSAIO_CRT_VA_FORWARD_H */
