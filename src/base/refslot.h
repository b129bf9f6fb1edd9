/*
 * refslot.h - a reference-counted slot guarded by one 64-bit word, shared by the handle
 * table (events, threads) and the socket table.
 *
 * state = generation (bits 63..33) | closed (bit 32) | references (bits 31..0).
 * A lookup validates generation and closed flag and takes a reference in one compare-and-
 * swap, so it never takes a reference on an object that is being destroyed; slots live in
 * memory that is never freed, so reading a stale slot is always safe. The object goes when
 * the last reference does, after the slot was closed; then the generation moves on and a
 * stale handle or descriptor number can never reach the next object in that slot.
 */
#ifndef WSAIO_BASE_REFSLOT_H
#define WSAIO_BASE_REFSLOT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define REFSLOT_CLOSED   (1ull << 32)
#define REFSLOT_GEN(s)   ((uint32_t)((s) >> 33))
#define REFSLOT_REFS(s)  ((uint32_t)(s))
#define REFSLOT_GEN_MASK 0x7fffffffu

/* Takes a reference if the slot is live with generation gen (0: any live generation).
 * Returns the generation it validated, or 0. */
static inline uint32_t refslot_get(_Atomic uint64_t *state, uint32_t gen)
{
    uint64_t st = atomic_load_explicit(state, memory_order_acquire);

    do {
        if ((gen && REFSLOT_GEN(st) != gen) || (st & REFSLOT_CLOSED) || REFSLOT_REFS(st) == 0)
            return 0;
    } while (!atomic_compare_exchange_weak_explicit(state, &st, st + 1, memory_order_acquire,
                                                    memory_order_acquire));
    return REFSLOT_GEN(st);
}

/* One more reference; the caller already holds one. */
static inline void refslot_get_more(_Atomic uint64_t *state)
{
    atomic_fetch_add_explicit(state, 1, memory_order_relaxed);
}

/* Drops a reference. True when it was the last: the caller destroys the object, then
 * calls refslot_recycle(). */
static inline bool refslot_put(_Atomic uint64_t *state)
{
    return REFSLOT_REFS(atomic_fetch_sub_explicit(state, 1, memory_order_acq_rel)) == 1;
}

/* Marks the slot closed (the caller holds a reference). False if it already was. */
static inline bool refslot_close(_Atomic uint64_t *state)
{
    uint64_t st = atomic_load_explicit(state, memory_order_relaxed);

    do {
        if (st & REFSLOT_CLOSED)
            return false;
    } while (!atomic_compare_exchange_weak_explicit(state, &st, st | REFSLOT_CLOSED,
                                                    memory_order_acq_rel, memory_order_relaxed));
    return true;
}

/* Makes a live slot with one reference; returns its generation. */
static inline uint32_t refslot_open(_Atomic uint64_t *state)
{
    uint32_t gen = REFSLOT_GEN(atomic_load_explicit(state, memory_order_relaxed));

    if (gen == 0)
        gen = 1;
    /* Release: whoever validates the slot sees the object it now holds. */
    atomic_store_explicit(state, ((uint64_t)gen << 33) | 1, memory_order_release);
    return gen;
}

/* After the last reference: an empty slot of the next generation. */
static inline void refslot_recycle(_Atomic uint64_t *state)
{
    uint32_t gen =
        (REFSLOT_GEN(atomic_load_explicit(state, memory_order_relaxed)) + 1) & REFSLOT_GEN_MASK;

    atomic_store_explicit(state, (uint64_t)(gen ? gen : 1) << 33, memory_order_release);
}

#endif /* WSAIO_BASE_REFSLOT_H */
