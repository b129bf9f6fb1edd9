/*
 * handle.h - the table of kernel-style objects (events, threads, later completion ports).
 *
 * A HANDLE encodes a slot index and the slot's generation: (gen << 32) | (index << 2).
 * Values are multiples of 4 (bit 0 free for the hEvent low-bit convention), never 0 or -1,
 * and always >= 2^32, so they never equal a SOCKET (a Linux descriptor number).
 *
 * Each slot holds one 64-bit state word: generation, a closed flag and a reference count.
 * Taking a reference validates generation and closed flag in the same compare-and-swap, so
 * a stale or closed handle is refused without ever touching freed memory: slots live in
 * chunks that are never freed. The object is destroyed when the last reference goes, which
 * is what lets a thread keep waiting on an event that another thread closed.
 */
#ifndef WSAIO_BASE_HANDLE_H
#define WSAIO_BASE_HANDLE_H

#include <windows.h>

enum wsaio_obj_type {
    WSAIO_OBJ_EVENT = 1,
    WSAIO_OBJ_THREAD = 2,
    WSAIO_OBJ_PORT = 3,
    WSAIO_OBJ_SEMAPHORE = 4, /* src/sync/semaphore.c */
    WSAIO_OBJ_MUTEX = 5,     /* src/sync/mutex.c */
    WSAIO_OBJ_STDIO = 6,     /* src/win32/console.c: GetStdHandle */
    WSAIO_OBJ_FILE = 7,      /* src/win32/file.c: CreateFileA */
};

struct wsaio_object {
    uint32_t type;                             /* enum wsaio_obj_type */
    uint32_t slot;                             /* index in the handle table */
    void (*destroy)(struct wsaio_object *obj); /* called when the last reference goes */
};

/* Gives obj a handle holding one reference; NULL when the table is full. */
HANDLE wsaio_handle_create(struct wsaio_object *obj);

/* Takes a reference on the live object h names if it has the given type (0: any type).
 * NULL for a bad, stale or closed handle. */
struct wsaio_object *wsaio_handle_ref(HANDLE h, uint32_t type);

/* Another reference on an object the caller already holds one on. */
void wsaio_object_get(struct wsaio_object *obj);

/* Drops one reference; the last one destroys the object and frees the slot. */
void wsaio_object_put(struct wsaio_object *obj);

/* Closes h if it names a live object of the given type (0: any): later lookups fail and
 * the handle's reference is dropped. Returns 0, or -EBADF. */
int wsaio_handle_close(HANDLE h, uint32_t type);

/* Has fn run when a handle of the given type is closed, before the handle's reference is
 * dropped (a completion port releases its waiters). One hook per type; idempotent. */
void wsaio_handle_on_close(uint32_t type, void (*fn)(struct wsaio_object *obj));

/* Fork (fork.c): the table lock is held across fork, so that the free list is never
 * copied half updated; released in the parent, made anew in the child. Handles stay
 * valid in the child. */
void wsaio_handle_fork_prepare(void);
void wsaio_handle_fork_parent(void);
void wsaio_handle_fork_child(void);

#endif /* WSAIO_BASE_HANDLE_H */
