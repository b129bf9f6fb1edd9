/*
 * close_vs_change.c - closesocket racing an overlapped address-change request
 * (WSAIoctl SIO_ADDRESS_LIST_CHANGE) made by another thread on the same socket. Once both
 * calls have returned, a request that was accepted (WSA_IO_PENDING) must have been ended
 * by the close (api.md 4.4 rule 3: closesocket returns with every OVERLAPPED written); a
 * request added to netchange's list after closesocket's cancel would stay pending until
 * the next network change.
 */
#include "unit_race.h"

static SOCKET victim;
static WSAOVERLAPPED change_ov;
static int change_rc, change_err;

static DWORD WINAPI ask_change(LPVOID arg)
{
    DWORD bytes = 0;

    (void)arg;
    unit_race_start_line();
    change_rc =
        WSAIoctl(victim, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &bytes, &change_ov, NULL);
    change_err = change_rc ? WSAGetLastError() : 0;
    return 0;
}

TEST(close_vs_change_request)
{
    int pending = 0, stuck = 0;

    harness_startup();
    for (int i = 0; i < 3000; i++) {
        victim = socket(AF_INET, SOCK_DGRAM, 0);
        CHECK(victim != INVALID_SOCKET);
        memset(&change_ov, 0, sizeof(change_ov));
        change_ov.hEvent = WSACreateEvent();
        unit_race_close(victim, i, ask_change);
        if (change_rc == SOCKET_ERROR && change_err == WSA_IO_PENDING) {
            pending++;
            if ((DWORD)change_ov.Internal == STATUS_PENDING) {
                stuck++;
                /* closesocket returned, the request is still pending: nothing will end it
                 * but a network change. Leave its OVERLAPPED and event alive. */
                continue;
            }
        }
        WSACloseEvent(change_ov.hEvent);
    }
    printf("close_vs_change: %d requests pending at the close, %d left pending after it\n", pending,
           stuck);
    CHECK_EQ(stuck, 0);
    WSACleanup();
}
