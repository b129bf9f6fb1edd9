/*
 * futex_word.h - the 32-bit futex word kept in the first half of a pointer-sized Windows
 * lock (SRWLOCK, CONDITION_VARIABLE). Those types are { PVOID Ptr; } as on Windows, and
 * SRWLOCK_INIT / CONDITION_VARIABLE_INIT (all zero) are their initial state.
 */
#ifndef WSAIO_WIN32_FUTEX_WORD_H
#define WSAIO_WIN32_FUTEX_WORD_H

#include <stdbool.h>

#include <windows.h>

#include "base/futex.h"

typedef _Atomic uint32_t __attribute__((may_alias)) wsaio_word_t;

/* The futex word inside a { PVOID Ptr; } lock (its first four bytes). */
static inline _Atomic uint32_t *wsaio_word_of(PVOID *ptr)
{
    return (_Atomic uint32_t *)(wsaio_word_t *)(void *)ptr;
}

#endif /* WSAIO_WIN32_FUTEX_WORD_H */
