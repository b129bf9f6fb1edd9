/*
 * j_address_route.c - SIO_ADDRESS_LIST_QUERY, SIO_ROUTING_INTERFACE_QUERY and the
 * immediate answers of the two change requests (conformance J.155-J.165).
 *
 * Windows lists the local unicast addresses of the socket's family on interfaces that are
 * up, not the loopback interface's, packed after the SOCKET_ADDRESS array; a NULL or empty
 * buffer reports the size needed with WSAEFAULT, 1 byte is WSAEINVAL with 0 reported. The
 * routing query answers the local address that would reach a destination, checking the
 * input (WSAEINVAL), its family (WSAEAFNOSUPPORT), the wildcard (WSAEINVAL) and the
 * output (WSAEFAULT with the size needed). A non-blocking change request fails with
 * WSAEWOULDBLOCK. J.157 needs a non-loopback IPv4 address and skips visibly without one.
 * The change items that need an actual change (J.166, J.167, J.169-J.172) are covered by
 * tests/unit/netchange.c, which makes real changes in a network namespace of its own;
 * J.159 and J.168 need a completion port (a later issue).
 */
#include "harness.h"

#include <stddef.h>

static SOCKET udp4(void)
{
    harness_startup();
    return harness_udp_socket(FALSE);
}

/* Bytes SIO_ADDRESS_LIST_QUERY needs for this host, from a first call. */
static DWORD list_size(SOCKET s)
{
    DWORD need = 0;

    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, NULL, 0, &need, NULL, NULL),
             SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    return need;
}

TEST(j155_address_list_null_output_reports_size)
{
    SOCKET s = udp4();
    DWORD need = list_size(s), again = 0;
    char buf[4];

    CHECK(need >= offsetof(SOCKET_ADDRESS_LIST, Address));
    /* The size is FIELD_OFFSET(Address[n]) plus n IPv4 addresses. */
    CHECK_EQ((need - offsetof(SOCKET_ADDRESS_LIST, Address)) %
                 (sizeof(SOCKET_ADDRESS) + sizeof(struct sockaddr_in)),
             0);
    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf, 0, &again, NULL, NULL),
             SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    CHECK_EQ(again, need);
    closesocket(s);
}

TEST(j156_address_list_one_byte_einval)
{
    SOCKET s = udp4();
    DWORD got = 0xDEADBEEF;
    char buf[4];

    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf, 1, &got, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    CHECK_EQ(got, 0);
    closesocket(s);
}

TEST(j157_address_list_header_only_efault_untouched)
{
    SOCKET s = udp4();
    DWORD need = list_size(s), got = 0;
    unsigned char buf[64];

    if (need == offsetof(SOCKET_ADDRESS_LIST, Address))
        SKIP("this host has no non-loopback IPv4 address");
    memset(buf, 0xCC, sizeof(buf));
    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf,
                      (DWORD)offsetof(SOCKET_ADDRESS_LIST, Address), &got, NULL, NULL),
             SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    CHECK_EQ(got, need);
    for (size_t i = 0; i < sizeof(buf); i++)
        CHECK_EQ(buf[i], 0xCC);
    closesocket(s);
}

TEST(j158_address_list_contents)
{
    SOCKET s = udp4();
    DWORD need = list_size(s), got = 0;
    char buf[4096];
    SOCKET_ADDRESS_LIST *list = (SOCKET_ADDRESS_LIST *)buf;

    CHECK(need <= sizeof(buf));
    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_QUERY, NULL, 0, buf, sizeof(buf), &got, NULL, NULL), 0);
    CHECK_EQ(got, need);
    for (int i = 0; i < list->iAddressCount; i++) {
        struct sockaddr_in *a = (struct sockaddr_in *)list->Address[i].lpSockaddr;

        CHECK((char *)a >= (char *)&list->Address[list->iAddressCount]);
        CHECK((char *)a + sizeof(*a) <= buf + got);
        CHECK_EQ(list->Address[i].iSockaddrLength, (INT)sizeof(struct sockaddr_in));
        CHECK_EQ(a->sin_family, AF_INET);
        CHECK(a->sin_addr.s_addr != htonl(INADDR_LOOPBACK));
    }
    closesocket(s);
}

/* SIO_ROUTING_INTERFACE_QUERY with an IPv4 destination and the given buffer sizes. */
static int route_query(SOCKET s, const void *in, DWORD inlen, void *out, DWORD outlen, DWORD *got)
{
    return WSAIoctl(s, SIO_ROUTING_INTERFACE_QUERY, (void *)in, inlen, out, outlen, got, NULL,
                    NULL);
}

TEST(j160_routing_query_loopback)
{
    SOCKET s = udp4();
    struct sockaddr_in dest = harness_loopback4(0), out;
    DWORD got = 0;

    dest.sin_port = htons(9);
    CHECK_EQ(route_query(s, &dest, sizeof(dest), &out, sizeof(out), &got), 0);
    CHECK_EQ(got, 16);
    CHECK_EQ(out.sin_family, AF_INET);
    CHECK_EQ(out.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    closesocket(s);
}

TEST(j161_routing_query_short_or_null_input_einval)
{
    SOCKET s = udp4();
    struct sockaddr_in dest = harness_loopback4(9), out;
    DWORD got = 0;

    CHECK_EQ(route_query(s, &dest, 8, &out, sizeof(out), &got), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    CHECK_EQ(route_query(s, NULL, sizeof(dest), &out, sizeof(out), &got), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    closesocket(s);
}

TEST(j162_routing_query_family_0_eafnosupport)
{
    SOCKET s = udp4();
    struct sockaddr_in dest = harness_loopback4(9), out;
    DWORD got = 0;

    dest.sin_family = AF_UNSPEC;
    CHECK_EQ(route_query(s, &dest, sizeof(dest), &out, sizeof(out), &got), SOCKET_ERROR);
    CHECK_ERR(WSAEAFNOSUPPORT);
    closesocket(s);
}

TEST(j163_routing_query_wildcard_einval)
{
    SOCKET s = udp4();
    struct sockaddr_in dest = harness_loopback4(9), out;
    DWORD got = 0;

    dest.sin_addr.s_addr = htonl(INADDR_ANY);
    CHECK_EQ(route_query(s, &dest, sizeof(dest), &out, sizeof(out), &got), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    closesocket(s);
}

TEST(j164_routing_query_output_checks)
{
    SOCKET s = udp4();
    struct sockaddr_in dest = harness_loopback4(9), out;
    DWORD got = 0;

    CHECK_EQ(route_query(s, &dest, sizeof(dest), NULL, sizeof(out), &got), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    CHECK_EQ(route_query(s, &dest, sizeof(dest), &out, 8, &got), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    CHECK_EQ(got, 16);
    closesocket(s);
}

TEST(j165_nonblocking_address_change_wouldblock)
{
    SOCKET s = udp4();
    struct sockaddr_in me = harness_loopback4(0);
    u_long one = 1;
    DWORD got = 0;

    CHECK_EQ(bind(s, (struct sockaddr *)&me, sizeof(me)), 0);
    CHECK_EQ(ioctlsocket(s, FIONBIO, &one), 0);
    CHECK_EQ(WSAIoctl(s, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &got, NULL, NULL),
             SOCKET_ERROR);
    CHECK_ERR(WSAEWOULDBLOCK);
    closesocket(s);
}
