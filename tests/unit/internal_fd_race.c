/*
 * internal_fd_race.c - the short-lived descriptors wsaio opens during a call are its own
 * too (issue 9 item 4, the same mistake in the ioctls): SIO_ROUTING_INTERFACE_QUERY asks
 * the kernel's route lookup through a temporary datagram socket, SIO_ADDRESS_LIST_QUERY
 * reads the addresses through glibc's netlink socket. While one thread makes those calls
 * in a loop, another calls closesocket on the descriptor number they get (the lowest
 * free one), as a program with a stale SOCKET value would: that must never succeed, and
 * the queries must never fail.
 */
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#define QUERIES 20000

static SOCKET u;
static _Atomic int done;

static DWORD WINAPI queries(LPVOID arg)
{
    struct sockaddr_in dest = {.sin_family = AF_INET}, out;
    char list[1024];
    DWORD got;

    (void)arg;
    dest.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < QUERIES; i++) {
        CHECK_EQ(WSAIoctl(u, SIO_ROUTING_INTERFACE_QUERY, &dest, sizeof(dest), &out, sizeof(out),
                          &got, NULL, NULL),
                 0);
        if (i % 8 == 0)
            CHECK_EQ(
                WSAIoctl(u, SIO_ADDRESS_LIST_QUERY, NULL, 0, list, sizeof(list), &got, NULL, NULL),
                0);
    }
    atomic_store(&done, 1);
    return 0;
}

TEST(internal_fd_race)
{
    HANDLE t;
    int next, taken = 0, tries = 0;

    harness_startup();
    u = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(u != INVALID_SOCKET);
    next = dup(0); /* the number the temporary descriptors get */
    CHECK(next >= 0);
    close(next);
    t = CreateThread(NULL, 0, queries, NULL, 0, NULL);
    CHECK(t != NULL);
    while (!atomic_load(&done)) {
        tries++;
        if (closesocket((SOCKET)next) == 0)
            taken++;
        else
            CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    }
    CHECK_EQ(WaitForSingleObject(t, 60000), WAIT_OBJECT_0);
    CloseHandle(t);
    printf("%d closesocket calls on the temporary descriptors' number, %d succeeded\n", tries,
           taken);
    CHECK_EQ(taken, 0);
    closesocket(u);
    CHECK(WSACleanup() == 0);
}
