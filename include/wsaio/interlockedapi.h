/*
 * interlockedapi.h - the Interlocked* family, MemoryBarrier and YieldProcessor, as inline
 * functions over the compiler's __atomic builtins. Every operation is a full barrier
 * (sequentially consistent), as the Windows functions are. Nothing here is exported: the
 * code is in the program.
 *
 * Return values follow Windows: Increment/Decrement/Add return the new value; Exchange,
 * ExchangeAdd, CompareExchange, And, Or and Xor return the value before the operation.
 */
#ifndef WSAIO_INTERLOCKEDAPI_H
#define WSAIO_INTERLOCKEDAPI_H

#include "windef.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WSAIO_SC __ATOMIC_SEQ_CST

/** InterlockedIncrement - ++*Addend, atomically; returns the new value. */
static inline LONG InterlockedIncrement(LONG volatile *Addend)
{
    return __atomic_add_fetch(Addend, 1, WSAIO_SC);
}
/** InterlockedDecrement - --*Addend, atomically; returns the new value. */
static inline LONG InterlockedDecrement(LONG volatile *Addend)
{
    return __atomic_sub_fetch(Addend, 1, WSAIO_SC);
}
/** InterlockedExchange - stores Value; returns the old value. */
static inline LONG InterlockedExchange(LONG volatile *Target, LONG Value)
{
    return __atomic_exchange_n(Target, Value, WSAIO_SC);
}
/** InterlockedExchangeAdd - adds Value; returns the old value. */
static inline LONG InterlockedExchangeAdd(LONG volatile *Addend, LONG Value)
{
    return __atomic_fetch_add(Addend, Value, WSAIO_SC);
}
/** InterlockedAdd - adds Value; returns the new value. */
static inline LONG InterlockedAdd(LONG volatile *Addend, LONG Value)
{
    return __atomic_add_fetch(Addend, Value, WSAIO_SC);
}
/** InterlockedCompareExchange - stores Exchange if *Destination == Comperand; returns the old
 * value. */
static inline LONG InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange,
                                              LONG Comperand)
{
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, WSAIO_SC, WSAIO_SC);
    return Comperand;
}
/** InterlockedAnd - *Destination &= Value; returns the old value. */
static inline LONG InterlockedAnd(LONG volatile *Destination, LONG Value)
{
    return __atomic_fetch_and(Destination, Value, WSAIO_SC);
}
/** InterlockedOr - *Destination |= Value; returns the old value. */
static inline LONG InterlockedOr(LONG volatile *Destination, LONG Value)
{
    return __atomic_fetch_or(Destination, Value, WSAIO_SC);
}
/** InterlockedXor - *Destination ^= Value; returns the old value. */
static inline LONG InterlockedXor(LONG volatile *Destination, LONG Value)
{
    return __atomic_fetch_xor(Destination, Value, WSAIO_SC);
}

/** InterlockedIncrement16/Decrement16/CompareExchange16 - the SHORT forms. */
static inline SHORT InterlockedIncrement16(SHORT volatile *Addend)
{
    return __atomic_add_fetch(Addend, 1, WSAIO_SC);
}
static inline SHORT InterlockedDecrement16(SHORT volatile *Addend)
{
    return __atomic_sub_fetch(Addend, 1, WSAIO_SC);
}
static inline SHORT InterlockedCompareExchange16(SHORT volatile *Destination, SHORT Exchange,
                                                 SHORT Comperand)
{
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, WSAIO_SC, WSAIO_SC);
    return Comperand;
}

/** InterlockedIncrement64 and the other 64-bit forms - as above on LONG64. */
static inline LONG64 InterlockedIncrement64(LONG64 volatile *Addend)
{
    return __atomic_add_fetch(Addend, 1, WSAIO_SC);
}
static inline LONG64 InterlockedDecrement64(LONG64 volatile *Addend)
{
    return __atomic_sub_fetch(Addend, 1, WSAIO_SC);
}
static inline LONG64 InterlockedExchange64(LONG64 volatile *Target, LONG64 Value)
{
    return __atomic_exchange_n(Target, Value, WSAIO_SC);
}
static inline LONG64 InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value)
{
    return __atomic_fetch_add(Addend, Value, WSAIO_SC);
}
static inline LONG64 InterlockedAdd64(LONG64 volatile *Addend, LONG64 Value)
{
    return __atomic_add_fetch(Addend, Value, WSAIO_SC);
}
static inline LONG64 InterlockedCompareExchange64(LONG64 volatile *Destination, LONG64 Exchange,
                                                  LONG64 Comperand)
{
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, WSAIO_SC, WSAIO_SC);
    return Comperand;
}
static inline LONG64 InterlockedAnd64(LONG64 volatile *Destination, LONG64 Value)
{
    return __atomic_fetch_and(Destination, Value, WSAIO_SC);
}
static inline LONG64 InterlockedOr64(LONG64 volatile *Destination, LONG64 Value)
{
    return __atomic_fetch_or(Destination, Value, WSAIO_SC);
}
static inline LONG64 InterlockedXor64(LONG64 volatile *Destination, LONG64 Value)
{
    return __atomic_fetch_xor(Destination, Value, WSAIO_SC);
}

/** InterlockedExchangePointer - stores Value; returns the old pointer. */
static inline PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value)
{
    return __atomic_exchange_n(Target, Value, WSAIO_SC);
}
/** InterlockedCompareExchangePointer - stores Exchange if *Destination == Comperand; returns the
 * old pointer. */
static inline PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange,
                                                      PVOID Comperand)
{
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, WSAIO_SC, WSAIO_SC);
    return Comperand;
}

/* The acquire/release/no-fence variants are the full-barrier forms (stronger is correct). */
#define InterlockedIncrementAcquire         InterlockedIncrement
#define InterlockedIncrementRelease         InterlockedIncrement
#define InterlockedDecrementAcquire         InterlockedDecrement
#define InterlockedDecrementRelease         InterlockedDecrement
#define InterlockedCompareExchangeAcquire   InterlockedCompareExchange
#define InterlockedCompareExchangeRelease   InterlockedCompareExchange
#define InterlockedCompareExchangeNoFence   InterlockedCompareExchange
#define InterlockedExchangeAcquire          InterlockedExchange
#define InterlockedExchangeNoFence          InterlockedExchange
#define InterlockedCompareExchangeAcquire64 InterlockedCompareExchange64
#define InterlockedCompareExchangeRelease64 InterlockedCompareExchange64
#define InterlockedExchangePointerAcquire   InterlockedExchangePointer
#define InterlockedExchangePointerNoFence   InterlockedExchangePointer
/* The compiler-intrinsic spellings (<intrin.h>) some programs call directly. */
#define _InterlockedIncrement              InterlockedIncrement
#define _InterlockedDecrement              InterlockedDecrement
#define _InterlockedExchange               InterlockedExchange
#define _InterlockedExchangeAdd            InterlockedExchangeAdd
#define _InterlockedCompareExchange        InterlockedCompareExchange
#define _InterlockedAnd                    InterlockedAnd
#define _InterlockedOr                     InterlockedOr
#define _InterlockedXor                    InterlockedXor
#define _InterlockedIncrement64            InterlockedIncrement64
#define _InterlockedDecrement64            InterlockedDecrement64
#define _InterlockedExchange64             InterlockedExchange64
#define _InterlockedExchangeAdd64          InterlockedExchangeAdd64
#define _InterlockedCompareExchange64      InterlockedCompareExchange64
#define _InterlockedExchangePointer        InterlockedExchangePointer
#define _InterlockedCompareExchangePointer InterlockedCompareExchangePointer

/** MemoryBarrier - a full hardware and compiler memory barrier. */
#if defined(__SANITIZE_THREAD__)
/* gcc refuses fences under ThreadSanitizer (-Wtsan); a sequentially consistent
 * read-modify-write is a full barrier on the hardware as well. */
static __attribute__((unused)) LONG wsaio_barrier_word;
#define MemoryBarrier() ((void)__atomic_fetch_add(&wsaio_barrier_word, 0, __ATOMIC_SEQ_CST))
#else
#define MemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif

/** YieldProcessor - a spin-wait hint to the processor (x86 pause, Arm yield). */
#if defined(__x86_64__) || defined(__i386__)
#define YieldProcessor() __builtin_ia32_pause()
#elif defined(__aarch64__) || defined(__arm__)
#define YieldProcessor() __asm__ __volatile__("yield" ::: "memory")
#else
#define YieldProcessor() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#endif

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_INTERLOCKEDAPI_H */
