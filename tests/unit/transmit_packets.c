/*
 * transmit_packets.c - TransmitPackets where wsaio says more than Windows does (api.md
 * 4.30): its export by name, the pieces of one datagram, and a file element
 * the program's handle of which is closed while the operation is pending.
 */
#include "unit.h"

#include <mswsock.h>

#include "tp_elements.h"

TEST(transmit_packets_by_name)
{
    TRANSMIT_PACKETS_ELEMENT el[2];
    char buf[6];
    SOCKET a, b;

    harness_startup();
    harness_tcp_pair(&a, &b);
    el[0] = tp_mem("abc", 3);
    el[1] = tp_mem("def", 3);
    CHECK(TransmitPackets(a, el, 2, 0, NULL, 0));
    harness_recv_all(b, buf, 6);
    CHECK(memcmp(buf, "abcdef", 6) == 0);
    closesocket(a);
    closesocket(b);
}

/* A datagram of more pieces than one sendmsg takes (api.md 5: 1024) is refused with
 * WSAENOBUFS, nothing sent; pieces adjacent in memory count as one (api.md 4.30 [Lib]). */
TEST(transmit_packets_datagram_pieces)
{
    static TRANSMIT_PACKETS_ELEMENT el[1025];
    static char data[2 * 1025];
    char buf[1100];
    SOCKET a, b;

    harness_startup();
    harness_udp_pair(&a, &b);
    for (int i = 0; i < 1025; i++) {
        data[2 * i] = (char)('a' + i % 26);
        el[i] = tp_mem(&data[2 * i], 1); /* apart: a piece each */
    }
    CHECK(!TransmitPackets(a, el, 1025, 0, NULL, 0));
    CHECK_EQ(WSAGetLastError(), WSAENOBUFS);
    harness_expect_no_data(b);
    CHECK(TransmitPackets(a, el, 1024, 0, NULL, 0));
    harness_wait_readable(b);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), 1024);
    CHECK(buf[0] == 'a' && buf[1023] == (char)('a' + 1023 % 26));
    for (int i = 0; i < 1025; i++)
        el[i] = tp_mem(&data[i], 1); /* adjacent: one piece */
    CHECK(TransmitPackets(a, el, 1025, 0, NULL, 0));
    harness_wait_readable(b);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), 1025);
    CHECK(memcmp(buf, data, 1025) == 0);
    closesocket(a);
    closesocket(b);
}

/* A memory element, then a whole-file element of an empty file: the memory bytes are not
 * held back for data that never comes (no MSG_MORE on a count unknown at the call). */
TEST(transmit_packets_empty_file_last)
{
    TRANSMIT_PACKETS_ELEMENT el[2];
    char path[64], buf[3];
    SOCKET a, b;
    HANDLE f;

    harness_startup();
    harness_tcp_pair(&a, &b);
    f = harness_make_file("transmit_packets", path, sizeof(path), 0);
    el[0] = tp_mem("abc", 3);
    el[1] = tp_file(f, 0, 0);
    CHECK(TransmitPackets(a, el, 2, 0, NULL, 0));
    harness_set_nonblocking(b, TRUE);
    /* Within 100 ms: far below the kernel's cork timer. */
    for (int i = 0; i < 100 && recv(b, buf, 3, MSG_PEEK) != 3; i++)
        Sleep(1);
    CHECK_EQ(recv(b, buf, 3, 0), 3);
    CHECK(memcmp(buf, "abc", 3) == 0);
    harness_remove_file(f, path);
    closesocket(a);
    closesocket(b);
}

/* The program closes a file element's handle while the operation waits for room: the
 * operation fails when it reaches that element (the handle is read then), and the bytes
 * before it still went out. */
TEST(transmit_packets_handle_closed_before_its_element)
{
    TRANSMIT_PACKETS_ELEMENT el[2];
    char path[64], buf[65536];
    WSAOVERLAPPED ov;
    DWORD n = 0, flags = 0;
    long left;
    SOCKET a, b;
    HANDLE f;

    harness_startup();
    harness_tcp_pair(&a, &b);
    f = harness_make_file("transmit_packets", path, sizeof(path), 100);
    el[0] = tp_mem("x", 1);
    el[1] = tp_file(f, 0, 0);
    left = harness_fill_send_buffer(a) + 1;
    harness_ov_init(&ov, TRUE);
    CHECK(!TransmitPackets(a, el, 2, 0, &ov, 0));
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK(CloseHandle(f));
    CHECK_EQ(remove(path), 0);
    while (left > 0) {
        int k = recv(b, buf, (int)sizeof(buf), 0);

        CHECK(k > 0);
        left -= k;
    }
    CHECK(harness_signalled(ov.hEvent, 5000));
    CHECK(!WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, 1); /* the memory element went out */
    harness_expect_no_data(b);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
}
