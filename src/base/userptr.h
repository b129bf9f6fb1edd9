/*
 * userptr.h - the one check of a pointer argument before wsaio reads or writes through it.
 *
 * Windows answers a pointer its system calls cannot use with WSAEFAULT (they probe user
 * pointers and catch the fault), never with a crash. wsaio reads most arguments in user
 * space, where a bad pointer would crash the program instead, so every pointer argument
 * that wsaio itself dereferences goes through wsaio_bad_ptr() first. The test rejects the
 * values that can never be a user address: the first 64 KiB (NULL and small integers;
 * Windows never maps them) and the kernel's half of the address space. It costs one
 * compare, so it stays on every call. A pointer into unmapped user memory still passes; a
 * data buffer is left to the kernel, which fails the call with EFAULT (WSAEFAULT).
 */
#ifndef WSAIO_BASE_USERPTR_H
#define WSAIO_BASE_USERPTR_H

#include <stdbool.h>
#include <stdint.h>

#define WSAIO_FIRST_USER_ADDR 0x10000u /* Windows keeps the first 64 KiB unmapped */

/* True when p can never be a user address (NULL included). */
static inline bool wsaio_bad_ptr(const void *p)
{
    uintptr_t a = (uintptr_t)p;

#if defined(__aarch64__)
    /* Bit 55 selects the kernel's half; the top byte may carry a tag (TBI, MTE). */
    return a < WSAIO_FIRST_USER_ADDR || ((a >> 55) & 1);
#elif UINTPTR_MAX > 0xffffffffu
    /* The kernel's half has the top bit set (x86-64 LAM tags use bits 48-62 only). One
     * unsigned compare covers both ends. */
    return a - WSAIO_FIRST_USER_ADDR > (UINTPTR_MAX >> 1) - WSAIO_FIRST_USER_ADDR;
#else
    /* 32-bit: a 64-bit kernel gives a 32-bit process all 4 GiB, so only the low end. */
    return a < WSAIO_FIRST_USER_ADDR;
#endif
}

/* The same for an optional pointer: NULL is fine (the caller handles it). */
static inline bool wsaio_bad_opt_ptr(const void *p)
{
    return p && wsaio_bad_ptr(p);
}

#endif /* WSAIO_BASE_USERPTR_H */
