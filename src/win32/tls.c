/*
 * tls.c - thread local storage slots (TlsAlloc, TlsGetValue, TlsSetValue, TlsFree).
 *
 * 1088 slots (TLS_MINIMUM_AVAILABLE plus Windows' 1024 expansion slots). Each slot has a
 * generation that TlsAlloc bumps; a thread's value counts only if it was stored under the
 * slot's current generation, so a newly allocated index reads as 0 in every thread, as on
 * Windows. A thread's values live in a block freed when the thread exits.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdlib.h>

#include "base/error.h"
#include "base/lockorder.h"

#define SLOTS 1088

struct tls_value {
    uint32_t gen;
    LPVOID value;
};

static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static bool slot_used[SLOTS];
static _Atomic uint32_t slot_gen[SLOTS]; /* odd while allocated */
static pthread_key_t block_key;
static pthread_once_t block_once = PTHREAD_ONCE_INIT;
static __thread struct tls_value *block;

static void block_free(void *p)
{
    free(p);
    block = NULL; /* a destructor that runs later sees no values, not freed memory */
}

static void tls_make_key(void)
{
    pthread_key_create(&block_key, block_free);
}

/* Marks a slot used (TlsAlloc: the first free one, i ignored) or free (TlsFree: slot i, if
 * used), bumping its generation so that no thread's earlier value counts. Returns the slot,
 * or SLOTS when there is none to mark. */
static DWORD slot_mark(DWORD i, bool used)
{
    wsaio_lock(&slots_lock, WSAIO_RANK_LEAF);
    if (used)
        for (i = 0; i < SLOTS && slot_used[i]; i++)
            ;
    if (i < SLOTS && slot_used[i] != used) {
        slot_used[i] = used;
        atomic_fetch_add(&slot_gen[i], 1);
    } else {
        i = SLOTS;
    }
    wsaio_unlock(&slots_lock, WSAIO_RANK_LEAF);
    return i;
}

WSAIO_EXPORT DWORD WINAPI TlsAlloc(void)
{
    DWORD i = slot_mark(0, true);

    if (i == SLOTS) {
        wsaio_set_error(ERROR_NO_MORE_ITEMS);
        return TLS_OUT_OF_INDEXES;
    }
    return i;
}

/* Get and Set check only the range, as Windows does (documented: minimal validation). */
static bool slot_in_range(DWORD i)
{
    if (i < SLOTS)
        return true;
    wsaio_set_error(ERROR_INVALID_PARAMETER);
    return false;
}

WSAIO_EXPORT BOOL WINAPI TlsFree(DWORD dwTlsIndex)
{
    if (slot_mark(dwTlsIndex, false) == SLOTS) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}

WSAIO_EXPORT LPVOID WINAPI TlsGetValue(DWORD dwTlsIndex)
{
    if (!slot_in_range(dwTlsIndex))
        return NULL;
    wsaio_set_error(ERROR_SUCCESS); /* documented: lets a caller tell a stored NULL apart */
    if (!block || block[dwTlsIndex].gen != atomic_load(&slot_gen[dwTlsIndex]))
        return NULL;
    return block[dwTlsIndex].value;
}

WSAIO_EXPORT BOOL WINAPI TlsSetValue(DWORD dwTlsIndex, LPVOID lpTlsValue)
{
    if (!slot_in_range(dwTlsIndex))
        return FALSE;
    if (!block) {
        pthread_once(&block_once, tls_make_key);
        block = calloc(SLOTS, sizeof(*block));
        if (!block) {
            wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        pthread_setspecific(block_key, block);
    }
    block[dwTlsIndex].gen = atomic_load(&slot_gen[dwTlsIndex]);
    block[dwTlsIndex].value = lpTlsValue;
    return TRUE;
}
