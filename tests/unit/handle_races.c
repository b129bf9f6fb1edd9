/*
 * handle_races.c - the handle table under concurrent create, close and use.
 *
 * Threads keep creating and closing events while others signal, reset and close handles
 * picked at random from a shared array that holds live, closed and recycled values. Every
 * call on a dead handle must fail with ERROR_INVALID_HANDLE and never touch freed memory
 * (run under ASan); a recycled slot must never answer to an old handle value.
 */
#include <stdatomic.h>
#include <string.h>

#include "unit.h"

#define NSLOTS 64
#define ROUNDS 20000

static HANDLE _Atomic shared[NSLOTS];
static _Atomic int stale_ok;

static DWORD WINAPI churn(LPVOID arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u + (unsigned)GetCurrentThreadId();

    for (int i = 0; i < ROUNDS; i++) {
        unsigned k = (seed = seed * 1103515245u + 12345u) >> 8;
        HANDLE h = atomic_load(&shared[k % NSLOTS]);

        switch (k % 5) {
        case 0: { /* replace the slot's handle with a fresh event, close the old one */
            HANDLE fresh = WSACreateEvent();

            CHECK(fresh != NULL);
            h = atomic_exchange(&shared[k % NSLOTS], fresh);
            if (h)
                WSACloseEvent(h); /* may race with another closer: either wins once */
            break;
        }
        case 1:
            if (h && !WSASetEvent(h)) {
                CHECK_EQ(WSAGetLastError(), WSA_INVALID_HANDLE);
                atomic_fetch_add(&stale_ok, 1);
            }
            break;
        case 2:
            if (h && !WSAResetEvent(h))
                CHECK_EQ(WSAGetLastError(), WSA_INVALID_HANDLE);
            break;
        case 3:
            if (h) {
                DWORD r = WSAWaitForMultipleEvents(1, &h, FALSE, 0, FALSE);

                CHECK(r == WSA_WAIT_EVENT_0 || r == WSA_WAIT_TIMEOUT ||
                      (r == WSA_WAIT_FAILED && WSAGetLastError() == WSA_INVALID_HANDLE));
            }
            break;
        default:
            if (h && !CloseHandle(h))
                CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
            break;
        }
    }
    return 0;
}

static void handle_shape(void)
{
    HANDLE a = WSACreateEvent(), b;

    CHECK(a != NULL && a != INVALID_HANDLE_VALUE);
    CHECK(((uintptr_t)a & 3) == 0);      /* multiple of 4: bit 0 free for the caller */
    CHECK((uintptr_t)a >= (1ull << 32)); /* never a descriptor number (SOCKET) */
    CHECK(WSACloseEvent(a));
    b = WSACreateEvent(); /* likely the same slot: must be a new value */
    CHECK(b != a);
    CHECK(!WSASetEvent(a));
    CHECK_EQ(WSAGetLastError(), WSA_INVALID_HANDLE);
    CHECK(WSASetEvent(b));
    CHECK(!WSACloseEvent((HANDLE)((uintptr_t)b | 1))); /* a tagged value is not a handle */
    CHECK(!WSACloseEvent((HANDLE)(uintptr_t)3));
    CHECK(WSACloseEvent(b));
}

TEST(handle_races)
{
    handle_shape();
    unit_run_threads(4, churn, NULL);
    for (int i = 0; i < NSLOTS; i++)
        if (shared[i])
            WSACloseEvent(shared[i]); /* may have been closed by CloseHandle already */
    printf("handle_races: ok (%d stale handles refused)\n", atomic_load(&stale_ok));
}
