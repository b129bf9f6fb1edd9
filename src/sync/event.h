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

/* Signals the event h names, for the engine's completion path (no last-error change).
 * Returns false if h is not a live event: a closed event is silently ignored. */
bool wsaio_event_signal(HANDLE h);

/* Resets the event h names (the start of an overlapped operation). */
bool wsaio_event_clear(HANDLE h);

#endif /* WSAIO_SYNC_EVENT_H */
