/*
 * netchange.c - SIO_ADDRESS_LIST_CHANGE / SIO_ROUTING_INTERFACE_CHANGE and the two
 * queries, with real changes (conformance J.158, J.160, J.165-J.167, J.169-J.172 and
 * closesocket cancelling a pending request).
 *
 * The test moves itself into a network namespace of its own (unshare(CLONE_NEWNET): only
 * the test process sees it, and it disappears with it), creates a veth pair there, and
 * makes the changes with ip(8): an IPv4 and an IPv6 address added and removed, a route
 * added. Without the privilege to do that (not root, or a sandbox that forbids new
 * namespaces), or with WSAIO_NETCHANGE_HOOK=1, it makes the changes through
 * wsaio_inject_network_change() instead (api.md 9 item 22) and says so; the two queries,
 * which need real addresses, are then left out with a printed note.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include "unit.h"

static int real; /* real changes in our own namespace, or the test hook */

static void ip(const char *cmd)
{
    char line[256];

    snprintf(line, sizeof(line), "ip %s >/dev/null 2>&1", cmd);
    CHECK(system(line) == 0);
}

/* One change: the ip(8) command when real, else the hook's equivalent. */
static void change(const char *cmd)
{
    if (real)
        ip(cmd);
    else
        wsaio_inject_network_change(strstr(cmd, "route") ? WSAIO_CHANGE_ROUTING
                                                         : WSAIO_CHANGE_ADDRESS_LIST);
}

static SOCKET udp(int af, BOOL overlapped)
{
    SOCKET s =
        WSASocketA(af, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, overlapped ? WSA_FLAG_OVERLAPPED : 0);
    struct sockaddr_storage ss;

    memset(&ss, 0, sizeof(ss));
    ss.ss_family = (sa_family_t)af;
    CHECK(s != INVALID_SOCKET);
    CHECK(bind(s, (struct sockaddr *)&ss,
               af == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) == 0);
    return s;
}

static BOOL signalled(WSAEVENT e, DWORD ms)
{
    return WSAWaitForMultipleEvents(1, &e, FALSE, ms, FALSE) == WSA_WAIT_EVENT_0;
}

/* J.167 (and the family filter): an overlapped request pends, completes with 0 bytes at
 * the next address change of its family, and only then. */
static void overlapped_address_change(void)
{
    SOCKET s4 = udp(AF_INET, TRUE), s6 = udp(AF_INET6, TRUE);
    WSAOVERLAPPED ov4, ov6;
    DWORD n = 7, flags;

    memset(&ov4, 0, sizeof(ov4));
    memset(&ov6, 0, sizeof(ov6));
    ov4.hEvent = WSACreateEvent();
    ov6.hEvent = WSACreateEvent();
    CHECK_EQ(WSAIoctl(s4, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, &ov4, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(WSAIoctl(s6, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, &ov6, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK(!signalled(ov4.hEvent, 100));
    change("addr add 10.77.0.1/24 dev wsaio0");
    CHECK(signalled(ov4.hEvent, 2000));
    CHECK(WSAGetOverlappedResult(s4, &ov4, &n, FALSE, &flags));
    CHECK_EQ(n, 0);
    if (real)                               /* the hook changes both families at once */
        CHECK(!signalled(ov6.hEvent, 100)); /* an IPv4 change is not an IPv6 one */
    change("addr add fd77::1/64 dev wsaio0 nodad");
    CHECK(signalled(ov6.hEvent, 2000));
    closesocket(s4);
    closesocket(s6);
    WSACloseEvent(ov4.hEvent);
    WSACloseEvent(ov6.hEvent);
}

/* J.158 and J.155-J.157: the list has the new address, not 127.0.0.1. */
static void address_query(void)
{
    SOCKET s = udp(AF_INET, TRUE);
    char buf[1024];
    SOCKET_ADDRESS_LIST *list = (SOCKET_ADDRESS_LIST *)buf;
    DWORD need = 0, got = 0;
    int found = 0;

    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, NULL, 0, &need, NULL, NULL),
             SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK(need >= offsetof(SOCKET_ADDRESS_LIST, Address) + 2 * sizeof(SOCKET_ADDRESS));
    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf, 1, &got, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(got, 0);
    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf, sizeof(buf), &got, NULL, NULL), 0);
    CHECK_EQ(got, need);
    for (int i = 0; i < list->iAddressCount; i++) {
        struct sockaddr_in *a = (struct sockaddr_in *)list->Address[i].lpSockaddr;

        CHECK((char *)a >= (char *)&list->Address[list->iAddressCount] && (char *)a < buf + got);
        CHECK_EQ(list->Address[i].iSockaddrLength, sizeof(struct sockaddr_in));
        CHECK_EQ(a->sin_family, AF_INET);
        CHECK(a->sin_addr.s_addr != htonl(INADDR_LOOPBACK));
        found += a->sin_addr.s_addr == inet_addr("10.77.0.1");
    }
    CHECK_EQ(found, 1);
    closesocket(s);
}

/* J.160, J.161-J.164: the routing query. */
static void routing_query(void)
{
    SOCKET s = udp(AF_INET, TRUE);
    struct sockaddr_in dest = {.sin_family = AF_INET}, out;
    DWORD got = 0;

    dest.sin_addr.s_addr = inet_addr("10.77.0.99");
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &dest, sizeof(dest), &out, sizeof(out), &got,
                      NULL, NULL),
             0);
    CHECK_EQ(got, sizeof(out));
    CHECK_EQ(out.sin_addr.s_addr, inet_addr("10.77.0.1"));
    dest.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &dest, sizeof(dest), &out, sizeof(out), &got,
                      NULL, NULL),
             0);
    CHECK_EQ(out.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    CHECK_EQ(
        WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &dest, 8, &out, sizeof(out), &got, NULL, NULL),
        SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(
        WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &dest, sizeof(dest), &out, 8, &got, NULL, NULL),
        SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(got, 16);
    dest.sin_addr.s_addr = htonl(INADDR_ANY);
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &dest, sizeof(dest), &out, sizeof(out), &got,
                      NULL, NULL),
             SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    dest.sin_family = AF_UNSPEC;
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, &dest, sizeof(dest), &out, sizeof(out), &got,
                      NULL, NULL),
             SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
    closesocket(s);
}

/* J.165, J.169, J.170: a non-blocking request fails with WSAEWOULDBLOCK and records
 * FD_ADDRESS_LIST_CHANGE once, only for the socket that asked. */
static void nonblocking_address_change(void)
{
    SOCKET a = udp(AF_INET, TRUE), b = udp(AF_INET, TRUE);
    WSAEVENT e2 = WSACreateEvent(), e3 = WSACreateEvent();
    WSANETWORKEVENTS ne;
    DWORD n;

    CHECK_EQ(WSAEventSelect(a, e2, FD_ADDRESS_LIST_CHANGE), 0); /* makes it non-blocking */
    CHECK_EQ(WSAEventSelect(b, e3, FD_ADDRESS_LIST_CHANGE), 0);
    CHECK_EQ(WSAIoctl(a, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, NULL, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    change("addr del 10.77.0.1/24 dev wsaio0");
    CHECK(signalled(e2, 2000));
    memset(&ne, 0, sizeof(ne));
    CHECK_EQ(WSAEnumNetworkEvents(a, e2, &ne), 0);
    CHECK_EQ(ne.lNetworkEvents, FD_ADDRESS_LIST_CHANGE);
    CHECK_EQ(ne.iErrorCode[FD_ADDRESS_LIST_CHANGE_BIT], 0);
    CHECK(!signalled(e3, 100));                 /* B made no request */
    change("addr add 10.77.0.1/24 dev wsaio0"); /* no new request from A: nothing */
    CHECK(!signalled(e2, 200));
    closesocket(a);
    closesocket(b);
    WSACloseEvent(e2);
    WSACloseEvent(e3);
}

static _Atomic int blocked_returned;

static DWORD WINAPI blocked_request(LPVOID arg)
{
    SOCKET s = (SOCKET)(uintptr_t)arg;
    DWORD n = 9;

    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, NULL, NULL), 0);
    CHECK_EQ(n, 0);
    atomic_store(&blocked_returned, 1);
    return 0;
}

/* J.166: a blocking request blocks until the change. */
static void blocking_address_change(void)
{
    SOCKET s = udp(AF_INET, FALSE);
    HANDLE t = CreateThread(NULL, 0, blocked_request, (LPVOID)(uintptr_t)s, 0, NULL);

    Sleep(300); /* into the request: nothing shows from outside that it blocks there */
    CHECK_EQ(atomic_load(&blocked_returned), 0);
    change("addr add 10.78.0.1/24 dev wsaio0");
    CHECK_EQ(WaitForSingleObject(t, 2000), WAIT_OBJECT_0);
    CHECK_EQ(atomic_load(&blocked_returned), 1);
    CloseHandle(t);
    closesocket(s);
}

/* J.171, J.172: routing change requests, overlapped and non-blocking. */
static void routing_change(void)
{
    SOCKET s = udp(AF_INET, TRUE), nb = udp(AF_INET, TRUE);
    struct sockaddr_in dest = {.sin_family = AF_INET};
    WSAOVERLAPPED ov;
    WSAEVENT e = WSACreateEvent();
    WSANETWORKEVENTS ne;
    DWORD n, flags;

    dest.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    CHECK_EQ(WSAIoctl(s, SIO_ROUTING_INTERFACE_CHANGE, &dest, sizeof(dest), NULL, 0, &n, &ov, NULL),
             SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(WSAEventSelect(nb, e, FD_ROUTING_INTERFACE_CHANGE), 0);
    CHECK_EQ(
        WSAIoctl(nb, SIO_ROUTING_INTERFACE_CHANGE, &dest, sizeof(dest), NULL, 0, &n, NULL, NULL),
        SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    change("route add 10.79.0.0/24 dev wsaio0");
    CHECK(signalled(ov.hEvent, 2000));
    CHECK(WSAGetOverlappedResult(s, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 0);
    CHECK(signalled(e, 2000));
    memset(&ne, 0, sizeof(ne));
    CHECK_EQ(WSAEnumNetworkEvents(nb, e, &ne), 0);
    CHECK_EQ(ne.lNetworkEvents, FD_ROUTING_INTERFACE_CHANGE);
    CHECK_EQ(ne.iErrorCode[FD_ROUTING_INTERFACE_CHANGE_BIT], 0);
    closesocket(s);
    closesocket(nb);
    WSACloseEvent(ov.hEvent);
    WSACloseEvent(e);
}

/* closesocket aborts a pending request: STATUS_CANCELLED, delivered before it returns. */
static void close_cancels_request(void)
{
    SOCKET s = udp(AF_INET, TRUE);
    WSAOVERLAPPED ov;
    DWORD n;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(closesocket(s), 0);
    CHECK(signalled(ov.hEvent, 0));
    CHECK_EQ((DWORD)ov.Internal, (DWORD)STATUS_CANCELLED);
    WSACloseEvent(ov.hEvent);
}

TEST(netchange)
{
    const char *why = NULL;

    if (getenv("WSAIO_NETCHANGE_HOOK"))
        why = "WSAIO_NETCHANGE_HOOK is set";
    else if (system("command -v ip >/dev/null 2>&1") != 0)
        why = "ip(8) is not installed (Debian: iproute2)";
    else if (unshare(CLONE_NEWNET) != 0)
        why = "cannot create a network namespace (needs root or CAP_SYS_ADMIN)";
    else if (system("ip link set lo up >/dev/null 2>&1") != 0 ||
             system("ip link add wsaio0 type veth peer name wsaio1 >/dev/null 2>&1") != 0)
        why = "cannot configure interfaces in the new namespace";
    real = why == NULL;
    if (real) {
        ip("link set wsaio0 up");
        ip("link set wsaio1 up");
        printf("netchange: real changes in a network namespace of our own\n");
    } else {
        printf("netchange: %s: changes come from wsaio_inject_network_change(); the address "
               "and routing queries are not run\n",
               why);
    }
    harness_startup();
    overlapped_address_change();
    if (real) {
        address_query();
        routing_query();
    }
    nonblocking_address_change();
    blocking_address_change();
    routing_change();
    close_cancels_request();
    WSACleanup();
    printf("netchange: ok\n");
}
