/*
 * mutex.h - what the thread code needs from the mutexes (mutex.c).
 */
#ifndef WSAIO_SYNC_MUTEX_H
#define WSAIO_SYNC_MUTEX_H

/* Abandons every mutex the calling thread owns (it is exiting): each becomes unowned and
 * signalled, and the next wait that takes it reports WAIT_ABANDONED. CreateThread threads
 * call it before their handle is signalled; other threads abandon theirs at exit. */
void wsaio_mutex_abandon_owned(void);

#endif /* WSAIO_SYNC_MUTEX_H */
