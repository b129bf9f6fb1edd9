/*
 * wait.h - waits on objects, one kind of waiter of the loop (see wait.c).
 */
#ifndef WSAIO_CORE_WAIT_H
#define WSAIO_CORE_WAIT_H

#include <stdbool.h>

#include "sync/thread.h"
#include "sync/waitable.h"

/*
 * Waits on n (0..64) objects: any or all, timeout in ms (INFINITE: none), alertable or
 * not. Returns WAIT_OBJECT_0 + index, WAIT_TIMEOUT or WAIT_IO_COMPLETION (routines ran).
 * With n == 0 it is SleepEx.
 */
DWORD wsaio_wait(struct wsaio_waitable *const *objs, unsigned n, bool wait_all, DWORD timeout,
                 bool alertable);

/* As wsaio_wait, with the set sequences the objects had when the caller last looked
 * (NULL: at entry): a manual object set since then satisfies the wait. */
DWORD wsaio_wait_from(struct wsaio_waitable *const *objs, unsigned n, const uint32_t *seq_start,
                      bool wait_all, DWORD timeout, bool alertable);

#endif /* WSAIO_CORE_WAIT_H */
