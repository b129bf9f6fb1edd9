/*
 * select_counts.c - select with fd_count values whose sum does not fit 32 bits.
 *
 * The three counts were added in an unsigned int: readfds.fd_count 0xFFFFFFFF plus a
 * writefds of 1 made 0 (refused as an empty select, WSAEINVAL, though the sets name
 * sockets), plus 3 made 2, and the poll list allocated for 2 entries took one per socket
 * named: a heap overflow. The sum is counted in 64 bits now and the list holds at most one
 * entry per descriptor, so select reads the sets' entries in order and fails at the first
 * one that is not a socket (WSAENOTSOCK), as it does for any set.
 * Linux-only (not a conformance case): Wine's select adds the counts in 32 bits too.
 */
#include "unit.h"

/* readfds names three sockets then INVALID_SOCKET, with fd_count 0xFFFFFFFF; writefds
 * names w_count sockets. */
static void huge_read_count(const SOCKET *s, unsigned w_count)
{
    fd_set r, w;
    struct timeval tv = {0, 0};

    FD_ZERO(&r);
    FD_ZERO(&w);
    for (int i = 0; i < 3; i++) {
        r.fd_array[i] = s[i];
        w.fd_array[i] = s[i];
    }
    r.fd_array[3] = INVALID_SOCKET;
    r.fd_count = 0xFFFFFFFFu;
    w.fd_count = w_count;
    WSASetLastError(0);
    CHECK_EQ(select(0, &r, &w, NULL, &tv), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
}

TEST(select_counts)
{
    SOCKET s[4];

    harness_startup();
    harness_tcp_pair(&s[0], &s[1]);
    harness_tcp_pair(&s[2], &s[3]);
    huge_read_count(s, 1); /* sum 2^32: was 0, an "empty" select */
    huge_read_count(s, 3); /* sum 2^32 + 2: was 2, a poll list too short */
    for (int i = 0; i < 4; i++)
        closesocket(s[i]);
    WSACleanup();
    printf("select_counts: fd_count sums over 32 bits ok\n");
}
