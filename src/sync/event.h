/*
 * event.h - event objects (WSACreateEvent, CreateEvent): a waitable behind a handle.
 */
#ifndef WSAIO_SYNC_EVENT_H
#define WSAIO_SYNC_EVENT_H

#include "base/handle.h"
#include "sync/waitable.h"

struct wsaio_event {
    struct wsaio_object hdr;
    struct wsaio_waitable w;
};

/* The start of a new event, mutex or semaphore (size bytes, its struct wsaio_event first):
 * the header set to type and a destructor that frees it, the waitable left to the caller.
 * NULL with the last error set when name is not NULL (a named object would need a
 * cross-process namespace: ERROR_NOT_SUPPORTED) or without memory. */
struct wsaio_event *wsaio_event_alloc(size_t size, uint32_t type, const void *name);

/* A handle for ev, made by wsaio_event_alloc and set up; without a handle ev is freed and
 * the result is NULL with ERROR_NOT_ENOUGH_MEMORY. */
HANDLE wsaio_event_publish(struct wsaio_event *ev);

/* Signals the event h names, for the engine's completion path (no last-error change).
 * Returns false if h is not a live event: a closed event is silently ignored. */
bool wsaio_event_signal(HANDLE h);

/* Resets the event h names (the start of an overlapped operation). */
bool wsaio_event_clear(HANDLE h);

#endif /* WSAIO_SYNC_EVENT_H */
