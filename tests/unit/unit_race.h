/*
 * unit_race.h - closesocket racing a call made by another thread on the same socket: the
 * loop shared by the close-race tests (close_vs_select, close_vs_change).
 */
#ifndef WSAIO_UNIT_RACE_H
#define WSAIO_UNIT_RACE_H

#include <stdatomic.h>

#include "unit.h"

static _Atomic int unit_race_go, unit_race_ready;

/* In the racing thread, before its call: says it runs and waits for the start. */
static inline void unit_race_start_line(void)
{
    unit_race_ready = 1;
    while (!unit_race_go) {
    }
}

/* One round: starts fn (which calls unit_race_start_line() first) on a thread, lets it go,
 * spins a little longer each round (round % 100) so that the close lands at every point
 * of fn's call, closes s and waits for the thread. */
static inline void unit_race_close(SOCKET s, int round, LPTHREAD_START_ROUTINE fn)
{
    HANDLE t;

    unit_race_go = unit_race_ready = 0;
    t = harness_thread(fn, NULL);
    while (!unit_race_ready) {
    }
    unit_race_go = 1;
    for (volatile int spin = 0; spin < (round % 100) * 30; spin++) {
    }
    closesocket(s);
    CHECK_EQ(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    CloseHandle(t);
}

#endif /* WSAIO_UNIT_RACE_H */
