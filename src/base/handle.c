/*
 * handle.c - the table of kernel-style object handles (see handle.h and refslot.h).
 */
#include "base/handle.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "base/lockorder.h"
#include "base/refslot.h"

#define CHUNK_SHIFT 12
#define CHUNK_SLOTS (1u << CHUNK_SHIFT)
#define MAX_CHUNKS  1024u /* 4M live handles */

struct slot {
    _Atomic uint64_t state;
    struct wsaio_object *_Atomic obj;
    uint32_t next_free; /* free-list link, guarded by table.lock */
};

static struct {
    struct slot *_Atomic chunks[MAX_CHUNKS];
    pthread_mutex_t lock; /* guards creation and the free list, never lookups */
    uint32_t used;        /* slots handed out at least once */
    uint32_t free_head;   /* index + 1 of the first free slot, 0 when empty */
} table = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The lock is a leaf (nothing else is taken under it): fork may take it last. */
void wsaio_handle_fork_prepare(void)
{
    pthread_mutex_lock(&table.lock); /* not ranked: see base/lockorder.h */
}

void wsaio_handle_fork_parent(void)
{
    pthread_mutex_unlock(&table.lock);
}

void wsaio_handle_fork_child(void)
{
    pthread_mutex_init(&table.lock, NULL); /* held by this thread since prepare */
}

static struct slot *handle_slot_at(uint32_t idx)
{
    struct slot *chunk;

    if (idx >= MAX_CHUNKS * CHUNK_SLOTS)
        return NULL;
    /* Acquire pairs with the release store that published the chunk. */
    chunk = atomic_load_explicit(&table.chunks[idx >> CHUNK_SHIFT], memory_order_acquire);
    return chunk ? &chunk[idx & (CHUNK_SLOTS - 1)] : NULL;
}

/* A free slot index, from the free list or a fresh one (table.lock held). */
static int take_slot(uint32_t *idx)
{
    if (table.free_head) {
        *idx = table.free_head - 1;
        table.free_head = handle_slot_at(*idx)->next_free;
        return 0;
    }
    *idx = table.used;
    if (*idx >= MAX_CHUNKS * CHUNK_SLOTS)
        return -ENFILE;
    if (!table.chunks[*idx >> CHUNK_SHIFT]) {
        struct slot *chunk = calloc(CHUNK_SLOTS, sizeof(*chunk));

        if (!chunk)
            return -ENOMEM;
        atomic_store_explicit(&table.chunks[*idx >> CHUNK_SHIFT], chunk, memory_order_release);
    }
    table.used++;
    return 0;
}

HANDLE wsaio_handle_create(struct wsaio_object *obj)
{
    struct slot *s;
    uint32_t idx, gen;
    int rc;

    wsaio_lock(&table.lock, WSAIO_RANK_HANDLES);
    rc = take_slot(&idx);
    wsaio_unlock(&table.lock, WSAIO_RANK_HANDLES);
    if (rc < 0)
        return NULL;
    s = handle_slot_at(idx);
    obj->slot = idx;
    atomic_store_explicit(&s->obj, obj, memory_order_relaxed);
    gen = refslot_open(&s->state);
    return (HANDLE)(((uintptr_t)gen << 32) | ((uintptr_t)idx << 2));
}

struct wsaio_object *wsaio_handle_ref(HANDLE h, uint32_t type)
{
    uintptr_t v = (uintptr_t)h;
    uint32_t gen = (uint32_t)(v >> 32);
    struct wsaio_object *obj;
    struct slot *s;

    if ((v & 3) || gen == 0 || gen > REFSLOT_GEN_MASK)
        return NULL;
    s = handle_slot_at((uint32_t)(v & 0xffffffffu) >> 2);
    if (!s || !refslot_get(&s->state, gen))
        return NULL;
    obj = atomic_load_explicit(&s->obj, memory_order_relaxed);
    if (type && obj->type != type) {
        wsaio_object_put(obj);
        return NULL;
    }
    return obj;
}

void wsaio_object_get(struct wsaio_object *obj)
{
    refslot_get_more(&handle_slot_at(obj->slot)->state);
}

void wsaio_object_put(struct wsaio_object *obj)
{
    uint32_t idx = obj->slot;
    struct slot *s = handle_slot_at(idx);

    if (!refslot_put(&s->state))
        return;
    obj->destroy(obj);
    wsaio_lock(&table.lock, WSAIO_RANK_HANDLES);
    atomic_store_explicit(&s->obj, NULL, memory_order_relaxed);
    refslot_recycle(&s->state);
    s->next_free = table.free_head;
    table.free_head = idx + 1;
    wsaio_unlock(&table.lock, WSAIO_RANK_HANDLES);
}

/* Close hooks by object type (wsaio_handle_on_close). */
static void (*_Atomic close_hooks[8])(struct wsaio_object *obj);

void wsaio_handle_on_close(uint32_t type, void (*fn)(struct wsaio_object *obj))
{
    if (type < 8)
        atomic_store_explicit(&close_hooks[type], fn, memory_order_release);
}

int wsaio_handle_close(HANDLE h, uint32_t type)
{
    void (*hook)(struct wsaio_object * obj);

    struct wsaio_object *obj = wsaio_handle_ref(h, type);

    if (!obj)
        return -EBADF;
    if (!refslot_close(&handle_slot_at(obj->slot)->state)) {
        wsaio_object_put(obj); /* another thread closed it first */
        return -EBADF;
    }
    hook =
        obj->type < 8 ? atomic_load_explicit(&close_hooks[obj->type], memory_order_acquire) : NULL;
    if (hook)
        hook(obj);
    wsaio_object_put(obj); /* ours */
    wsaio_object_put(obj); /* the handle's */
    return 0;
}
