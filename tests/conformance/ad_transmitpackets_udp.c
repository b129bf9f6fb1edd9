/*
 * ad_transmitpackets_udp.c - TransmitPackets on connected datagram sockets
 * (spec/conformance.md section AD, api.md 4.30).
 *
 * On a connected UDP socket the elements become datagrams: the bytes of consecutive
 * elements go into one datagram until an element with TP_ELEMENT_EOP, the last element,
 * or nSendSize bytes (when not 0); memory and file elements alike. A datagram larger than
 * a datagram can be fails with WSAEMSGSIZE, as a send of that size. The operation keeps
 * its place among the socket's sends and completes, as on a stream, with the count of all
 * bytes sent. An unconnected socket gets WSAENOTCONN; TP_DISCONNECT and TP_REUSE_SOCKET,
 * for connection-oriented sockets only, WSAEOPNOTSUPP.
 *
 * Items: 406-414.
 */
#include "harness.h"

#include <stdlib.h>

#include <mswsock.h>

#include "tp_elements.h"

static LPFN_TRANSMITPACKETS transmit_packets;

/* Startup, and TransmitPackets as a program gets it: from WSAIoctl on a TCP socket. */
static void setup(void)
{
    harness_startup_extension((GUID)WSAID_TRANSMITPACKETS, &transmit_packets,
                              sizeof(transmit_packets));
}

/* A connected UDP pair a-b, after setup(). */
static void udp_fixture(SOCKET *a, SOCKET *b)
{
    setup();
    harness_udp_pair(a, b);
}

/* The next datagram on b is the n bytes data (within 5 s). */
static void expect_datagram(SOCKET b, const char *data, int n)
{
    char buf[2048];

    harness_wait_readable(b);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), n);
    CHECK(memcmp(buf, data, (size_t)n) == 0);
}

/* b receives the n datagrams want (strings) in order and nothing more; closes a and b. */
static void expect_datagrams_then_close(SOCKET a, SOCKET b, const char *const *want, int n)
{
    for (int i = 0; i < n; i++)
        expect_datagram(b, want[i], (int)strlen(want[i]));
    harness_expect_no_data(b);
    closesocket(a);
    closesocket(b);
}

/* The next datagram on b is the n bytes of the test file from offset `from`, after the
 * head bytes hd (nhd of them). */
static void expect_file_datagram(SOCKET b, const char *hd, int nhd, DWORD from, int n)
{
    char buf[2048];

    harness_wait_readable(b);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), nhd + n);
    CHECK(memcmp(buf, hd, (size_t)nhd) == 0);
    for (int i = 0; i < n; i++)
        if (buf[nhd + i] != harness_file_byte(from + (DWORD)i)) {
            CHECK_EQ(buf[nhd + i], harness_file_byte(from + (DWORD)i));
            return;
        }
}

/* An overlapped TransmitPackets of the n elements el on a (nSendSize size), with an event
 * in ov: it pends or completes at once. */
static void packets_start(SOCKET a, TRANSMIT_PACKETS_ELEMENT *el, DWORD n, DWORD size,
                          WSAOVERLAPPED *ov)
{
    harness_ov_init(ov, TRUE);
    if (!transmit_packets(a, el, n, size, ov, 0))
        CHECK_ERR(ERROR_IO_PENDING);
}

TEST(ad406_unconnected_enotconn_disconnect_eopnotsupp)
{
    TRANSMIT_PACKETS_ELEMENT el = tp_mem("x", 1);
    SOCKET s, a, b;

    setup();
    s = harness_udp_socket(TRUE);
    CHECK(!transmit_packets(s, &el, 1, 0, NULL, 0));
    CHECK_ERR(WSAENOTCONN);
    closesocket(s);
    harness_udp_pair(&a, &b);
    for (int i = 0; i < 2; i++) { /* connection-oriented sockets only */
        CHECK(!transmit_packets(a, &el, 1, 0, NULL,
                                i ? TP_DISCONNECT | TP_REUSE_SOCKET : TP_DISCONNECT));
        CHECK_ERR(WSAEOPNOTSUPP);
    }
    expect_datagrams_then_close(a, b, NULL, 0);
}

TEST(ad407_elements_without_eop_one_datagram)
{
    TRANSMIT_PACKETS_ELEMENT el[4] = {tp_mem("ab", 2), tp_mem("", 0), tp_mem("cd", 2),
                                      tp_mem("ef", 2)};
    SOCKET a, b;

    udp_fixture(&a, &b);
    CHECK(transmit_packets(a, el, 4, 0, NULL, 0));
    CHECK_EQ(WSAGetLastError(), 0);
    expect_datagrams_then_close(a, b, (const char *[]){"abcdef"}, 1);
}

TEST(ad408_eop_ends_each_datagram)
{
    TRANSMIT_PACKETS_ELEMENT el[5] = {tp_mem("one", 3), tp_mem("", 0), tp_mem("tw", 2),
                                      tp_mem("o", 1), tp_mem("three", 5)};
    SOCKET a, b;

    udp_fixture(&a, &b);
    el[0].dwElFlags |= TP_ELEMENT_EOP;
    el[1].dwElFlags |= TP_ELEMENT_EOP; /* an empty datagram's worth: nothing is sent */
    el[3].dwElFlags |= TP_ELEMENT_EOP;
    CHECK(transmit_packets(a, el, 5, 0xFFFFFFFF, NULL, 0));
    expect_datagrams_then_close(a, b, (const char *[]){"one", "two", "three"}, 3);
}

TEST(ad409_send_size_cuts_datagrams)
{
    TRANSMIT_PACKETS_ELEMENT el[3] = {tp_mem("abcdef", 6), tp_mem("gh", 2), tp_mem("ijk", 3)};
    SOCKET a, b;

    udp_fixture(&a, &b);
    el[1].dwElFlags |= TP_ELEMENT_EOP;
    CHECK(transmit_packets(a, el, 3, 4, NULL, 0));
    expect_datagrams_then_close(a, b, (const char *[]){"abcd", "efgh", "ijk"}, 3);
}

TEST(ad410_file_elements_overlapped)
{
    TRANSMIT_PACKETS_ELEMENT el[3];
    WSAOVERLAPPED ov;
    char path[64];
    HANDLE f;
    SOCKET a, b;

    udp_fixture(&a, &b);
    f = harness_make_file("ad_transmitpackets_udp", path, sizeof(path), 3000);
    el[0] = tp_mem("HDR:", 4);
    el[1] = tp_file(f, 10, 100);
    el[1].dwElFlags |= TP_ELEMENT_EOP;
    el[2] = tp_file(f, 0, 0); /* the whole file, in blocks of nSendSize */
    packets_start(a, el, 3, 1000, &ov);
    expect_file_datagram(b, "HDR:", 4, 10, 100);
    expect_file_datagram(b, "", 0, 0, 1000);
    expect_file_datagram(b, "", 0, 1000, 1000);
    expect_file_datagram(b, "", 0, 2000, 1000);
    harness_check_done(a, &ov, 3104);
    harness_expect_no_data(b);
    /* Explicit offsets leave the file pointer alone. */
    CHECK_EQ(SetFilePointer(f, 0, NULL, FILE_CURRENT), 0);
    WSACloseEvent(ov.hEvent);
    harness_remove_file(f, path);
    closesocket(a);
    closesocket(b);
}

TEST(ad411_offset_minus_one_is_file_pointer)
{
    TRANSMIT_PACKETS_ELEMENT el[2];
    char path[64];
    HANDLE f;
    SOCKET a, b;

    udp_fixture(&a, &b);
    f = harness_make_file("ad_transmitpackets_udp", path, sizeof(path), 3000);
    CHECK_EQ(SetFilePointer(f, 500, NULL, FILE_BEGIN), 500);
    el[0] = tp_file(f, -1, 200);
    el[0].dwElFlags |= TP_ELEMENT_EOP;
    el[1] = tp_file(f, -1, 300); /* goes on where the first ended */
    CHECK(transmit_packets(a, el, 2, 0, NULL, 0));
    expect_file_datagram(b, "", 0, 500, 200);
    expect_file_datagram(b, "", 0, 700, 300);
    harness_expect_no_data(b);
    CHECK_EQ(SetFilePointer(f, 0, NULL, FILE_CURRENT), 1000);
    harness_remove_file(f, path);
    closesocket(a);
    closesocket(b);
}

TEST(ad412_too_large_datagram_emsgsize)
{
    const ULONG big = 70000;
    char *data = calloc(1, big);
    TRANSMIT_PACKETS_ELEMENT el[2] = {tp_mem("ok", 2), tp_mem(data, big)};
    WSAOVERLAPPED ov;
    DWORD n = 0, flags = 0;
    SOCKET a, b;

    CHECK(data != NULL);
    udp_fixture(&a, &b);
    /* Alone: refused at the call, nothing sent. */
    CHECK(!transmit_packets(a, &el[1], 1, 0, NULL, 0));
    CHECK_ERR(WSAEMSGSIZE);
    harness_expect_no_data(b);
    /* After a datagram that went out: the operation ends with the error, that one sent. */
    el[0].dwElFlags |= TP_ELEMENT_EOP;
    harness_ov_init(&ov, TRUE);
    if (!transmit_packets(a, el, 2, 0, &ov, 0))
        CHECK(WSAGetLastError() == WSAEMSGSIZE || WSAGetLastError() == ERROR_IO_PENDING);
    CHECK(harness_signalled(ov.hEvent, 5000));
    CHECK(!WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_ERR(WSAEMSGSIZE);
    CHECK_EQ(n, 2);
    expect_datagram(b, "ok", 2);
    harness_expect_no_data(b);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
    free(data);
}

TEST(ad413_in_order_with_wsasend)
{
    TRANSMIT_PACKETS_ELEMENT el[2] = {tp_mem("a", 1), tp_mem("b", 1)};
    WSABUF w1 = {1, "<"}, w3 = {1, ">"};
    WSAOVERLAPPED o1, o2, o3;
    SOCKET a, b;
    DWORD n;

    udp_fixture(&a, &b);
    el[0].dwElFlags |= TP_ELEMENT_EOP;
    harness_ov_init(&o1, TRUE);
    harness_ov_init(&o3, TRUE);
    if (WSASend(a, &w1, 1, &n, 0, &o1, NULL) != 0)
        CHECK_ERR(WSA_IO_PENDING);
    packets_start(a, el, 2, 0, &o2);
    if (WSASend(a, &w3, 1, &n, 0, &o3, NULL) != 0)
        CHECK_ERR(WSA_IO_PENDING);
    for (int i = 0; i < 4; i++)
        expect_datagram(b, &"<ab>"[i], 1);
    harness_check_done(a, &o1, 1);
    harness_check_done(a, &o2, 2);
    harness_check_done(a, &o3, 1);
    WSACloseEvent(o1.hEvent);
    WSACloseEvent(o2.hEvent);
    WSACloseEvent(o3.hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(ad414_port_packet_with_all_bytes)
{
    TRANSMIT_PACKETS_ELEMENT el[3] = {tp_mem("12", 2), tp_mem("345", 3), tp_mem("6789", 4)};
    WSAOVERLAPPED ov;
    HANDLE port;
    SOCKET a, b;

    udp_fixture(&a, &b);
    el[1].dwElFlags |= TP_ELEMENT_EOP;
    port = CreateIoCompletionPort((HANDLE)a, NULL, 44, 0);
    CHECK(port != NULL);
    harness_ov_init(&ov, FALSE);
    if (!transmit_packets(a, el, 3, 0, &ov, 0))
        CHECK_ERR(ERROR_IO_PENDING);
    harness_check_port_packet(port, &ov, 44, 9);
    expect_datagrams_then_close(a, b, (const char *[]){"12345", "6789"}, 2);
    CloseHandle(port);
}
