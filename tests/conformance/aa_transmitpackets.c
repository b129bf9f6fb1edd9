/*
 * aa_transmitpackets.c - TransmitPackets (spec/conformance.md section AA, api.md 4.30).
 *
 * TransmitPackets sends, on a connected stream socket, an array of elements in order:
 * memory buffers and parts of files (cLength 0: to the end of the file; nFileOffset -1:
 * from the file pointer), in order with the socket's other sends. Without an OVERLAPPED it
 * returns when done; with one it pends or completes at once, and completes through the
 * event and a port packet with the count of all bytes sent. TP_DISCONNECT ends the
 * connection after the data, TP_REUSE_SOCKET also makes the socket fresh for AcceptEx.
 * CancelIoEx and closesocket abort a pending one.
 *
 * Programs get it through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER,
 * WSAID_TRANSMITPACKETS) only (mswsock.dll does not export it by name; wsaio does, which
 * tests/unit/transmit_packets.c checks).
 *
 * Items: 389-403.
 */
#include "harness.h"

#include <stddef.h>

#include <mswsock.h>

#include "tp_elements.h"

static LPFN_TRANSMITPACKETS transmit_packets;

/* Startup, and TransmitPackets as a program gets it: from WSAIoctl on a TCP socket. */
static void setup(void)
{
    harness_startup_extension((GUID)WSAID_TRANSMITPACKETS, &transmit_packets,
                              sizeof(transmit_packets));
}

/* A connected pair a-b and a file f of harness_file_byte() bytes (harness.h). */
static void fixture_open(struct harness_file_fixture *x, DWORD size)
{
    setup();
    harness_file_fixture_open(x, "aa_transmitpackets", size);
}

/* An overlapped TransmitPackets of the n elements el on x->a, with an event in ov: it
 * pends or completes at once. */
static void packets_start(struct harness_file_fixture *x, TRANSMIT_PACKETS_ELEMENT *el, DWORD n,
                          WSAOVERLAPPED *ov, DWORD flags)
{
    harness_ov_init(ov, TRUE);
    if (!transmit_packets(x->a, el, n, 0, ov, flags))
        CHECK_ERR(ERROR_IO_PENDING);
}

/* The call just made on a (peer b) was refused with err, and nothing was sent. */
static void check_refused(SOCKET b, int err)
{
    CHECK_ERR(err);
    harness_expect_no_data(b);
}

TEST(aa389_invalid_socket_enotsock)
{
    TRANSMIT_PACKETS_ELEMENT el = tp_mem("x", 1);

    setup();
    CHECK(!transmit_packets(INVALID_SOCKET, &el, 1, 0, NULL, 0));
    CHECK_ERR(WSAENOTSOCK);
}

TEST(aa390_not_connected_enotconn)
{
    TRANSMIT_PACKETS_ELEMENT el = tp_mem("x", 1);
    SOCKET s;

    setup();
    s = harness_tcp_socket();
    CHECK(!transmit_packets(s, &el, 1, 0, NULL, 0));
    CHECK_ERR(WSAENOTCONN);
    closesocket(s);
}

TEST(aa391_unknown_flags_einval)
{
    TRANSMIT_PACKETS_ELEMENT el = tp_mem("x", 1);
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    CHECK(!transmit_packets(a, &el, 1, 0, NULL, 0x100));
    check_refused(b, WSAEINVAL);
    el.dwElFlags = TP_ELEMENT_MEMORY | 0x80;
    CHECK(!transmit_packets(a, &el, 1, 0, NULL, 0));
    check_refused(b, WSAEINVAL);
    el.dwElFlags = TP_ELEMENT_MEMORY | TP_ELEMENT_FILE;
    CHECK(!transmit_packets(a, &el, 1, 0, NULL, 0));
    check_refused(b, WSAEINVAL);
    el.dwElFlags = TP_ELEMENT_EOP;
    CHECK(!transmit_packets(a, &el, 1, 0, NULL, 0));
    check_refused(b, WSAEINVAL);
    closesocket(a);
    closesocket(b);
}

TEST(aa392_bad_pointers_efault)
{
    TRANSMIT_PACKETS_ELEMENT el[2] = {tp_mem("ok", 2), tp_mem(NULL, 4)};
    SOCKET a, b;

    HARNESS_WINE_CRASHES("TransmitPackets with a bad lpPacketArray");
    setup();
    harness_tcp_pair(&a, &b);
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        CHECK(!transmit_packets(a, harness_bad_ptr[i], 1, 0, NULL, 0));
        check_refused(b, WSAEFAULT);
        el[1].pBuffer = harness_bad_ptr[i];
        CHECK(!transmit_packets(a, el, 2, 0, NULL, 0));
        check_refused(b, WSAEFAULT); /* not even the first element */
    }
    closesocket(a);
    closesocket(b);
}

TEST(aa393_file_element_not_a_file_einval)
{
    TRANSMIT_PACKETS_ELEMENT el[2] = {tp_mem("ok", 2), {0}};
    HANDLE ev;
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(ev != NULL);
    el[1] = tp_file(ev, 0, 1);
    CHECK(!transmit_packets(a, el, 2, 0, NULL, 0));
    check_refused(b, WSAEINVAL);
    CloseHandle(ev);
    closesocket(a);
    closesocket(b);
}

TEST(aa394_no_elements)
{
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    /* Nothing to send and no disconnect: refused. */
    CHECK(!transmit_packets(a, NULL, 0, 0, NULL, 0));
    check_refused(b, WSAEINVAL);
    /* With TP_DISCONNECT: only the end of the stream. */
    CHECK(transmit_packets(a, NULL, 0, 0, NULL, TP_DISCONNECT));
    harness_check_peer_eof(b);
    closesocket(a);
    closesocket(b);
}

TEST(aa395_memory_elements_in_order_blocking)
{
    TRANSMIT_PACKETS_ELEMENT el[4] = {tp_mem("one,", 4), tp_mem("", 0), tp_mem("two,", 4),
                                      tp_mem("three", 5)};
    char buf[13];
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    el[2].dwElFlags |= TP_ELEMENT_EOP; /* a send boundary: the same bytes on a stream */
    CHECK(transmit_packets(a, el, 4, 0, NULL, 0));
    CHECK_EQ(WSAGetLastError(), 0);
    harness_recv_all(b, buf, 13);
    CHECK(memcmp(buf, "one,two,three", 13) == 0);
    harness_expect_no_data(b);
    closesocket(a);
    closesocket(b);
}

TEST(aa396_memory_and_file_elements_overlapped)
{
    struct harness_file_fixture x;
    TRANSMIT_PACKETS_ELEMENT el[4];
    WSAOVERLAPPED ov;
    char buf[4];

    fixture_open(&x, 5000);
    el[0] = tp_mem("HEAD", 4);
    el[1] = tp_file(x.f, 10, 100); /* 100 bytes from offset 10 */
    el[2] = tp_file(x.f, 4000, 0); /* cLength 0: the rest of the file, 1000 bytes */
    el[3] = tp_mem("TAIL", 4);
    packets_start(&x, el, 4, &ov, 0);
    harness_recv_all(x.b, buf, 4);
    CHECK(memcmp(buf, "HEAD", 4) == 0);
    harness_recv_file_part(x.b, 10, 100);
    harness_recv_file_part(x.b, 4000, 1000);
    harness_recv_all(x.b, buf, 4);
    CHECK(memcmp(buf, "TAIL", 4) == 0);
    harness_check_done(x.a, &ov, 1108);
    harness_expect_no_data(x.b);
    /* Explicit offsets leave the file pointer alone. */
    CHECK_EQ(SetFilePointer(x.f, 0, NULL, FILE_CURRENT), 0);
    WSACloseEvent(ov.hEvent);
    harness_file_fixture_close(&x);
}

TEST(aa397_offset_minus_one_is_file_pointer)
{
    struct harness_file_fixture x;
    TRANSMIT_PACKETS_ELEMENT el[2];

    fixture_open(&x, 3000);
    CHECK_EQ(SetFilePointer(x.f, 500, NULL, FILE_BEGIN), 500);
    el[0] = tp_file(x.f, -1, 200);
    el[1] = tp_file(x.f, -1, 300); /* goes on where the first ended */
    CHECK(transmit_packets(x.a, el, 2, 0, NULL, 0));
    harness_recv_file_part(x.b, 500, 500);
    harness_expect_no_data(x.b);
    CHECK_EQ(SetFilePointer(x.f, 0, NULL, FILE_CURRENT), 1000);
    harness_file_fixture_close(&x);
}

TEST(aa398_large_file_in_order_with_other_sends)
{
    const DWORD size = 3 * 1024 * 1024 + 17;
    WSAOVERLAPPED o1, o2, o3;
    WSABUF w1 = {1, "<"}, w3 = {1, ">"};
    TRANSMIT_PACKETS_ELEMENT el[3];
    struct harness_file_fixture x;
    char buf[3];
    DWORD n;

    fixture_open(&x, size);
    el[0] = tp_mem("[", 1);
    el[1] = tp_file(x.f, 0, 0);
    el[2] = tp_mem("]", 1);
    harness_ov_init(&o1, TRUE);
    harness_ov_init(&o3, TRUE);
    if (WSASend(x.a, &w1, 1, &n, 0, &o1, NULL) != 0)
        CHECK_ERR(WSA_IO_PENDING);
    packets_start(&x, el, 3, &o2, 0);
    if (WSASend(x.a, &w3, 1, &n, 0, &o3, NULL) != 0)
        CHECK_ERR(WSA_IO_PENDING);
    harness_recv_all(x.b, buf, 2);
    CHECK(memcmp(buf, "<[", 2) == 0);
    harness_recv_file_part(x.b, 0, size);
    harness_recv_all(x.b, buf, 2);
    CHECK(memcmp(buf, "]>", 2) == 0);
    harness_check_done(x.a, &o1, 1);
    harness_check_done(x.a, &o2, size + 2);
    harness_check_done(x.a, &o3, 1);
    WSACloseEvent(o1.hEvent);
    WSACloseEvent(o2.hEvent);
    WSACloseEvent(o3.hEvent);
    harness_file_fixture_close(&x);
}

TEST(aa399_disconnect_peer_reads_eof)
{
    TRANSMIT_PACKETS_ELEMENT el = tp_mem("bye", 3);
    char buf[3];
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    CHECK(transmit_packets(a, &el, 1, 0, NULL, TP_DISCONNECT));
    harness_recv_all(b, buf, 3);
    CHECK(memcmp(buf, "bye", 3) == 0);
    harness_check_peer_eof(b);
    closesocket(a);
    closesocket(b);
}

TEST(aa400_reuse_socket_as_acceptex_socket)
{
    TRANSMIT_PACKETS_ELEMENT el = tp_mem("last", 4);
    WSAOVERLAPPED ov;
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    if (!transmit_packets(a, &el, 1, 0, &ov, TP_DISCONNECT | TP_REUSE_SOCKET))
        CHECK_ERR(ERROR_IO_PENDING);
    harness_check_reused(a, b, &ov, "last", 4);
    WSACloseEvent(ov.hEvent);
}

TEST(aa401_port_packet_with_all_bytes)
{
    TRANSMIT_PACKETS_ELEMENT el[3];
    struct harness_file_fixture x;
    WSAOVERLAPPED ov;
    char buf[2];
    HANDLE port;

    fixture_open(&x, 3000);
    el[0] = tp_mem("hd", 2);
    el[1] = tp_file(x.f, 0, 0);
    el[2] = tp_mem("tl", 2);
    port = CreateIoCompletionPort((HANDLE)x.a, NULL, 43, 0);
    CHECK(port != NULL);
    harness_ov_init(&ov, FALSE);
    if (!transmit_packets(x.a, el, 3, 0, &ov, 0))
        CHECK_ERR(ERROR_IO_PENDING);
    harness_check_port_packet(port, &ov, 43, 3004);
    harness_recv_all(x.b, buf, 2);
    harness_recv_file_part(x.b, 0, 3000);
    harness_recv_all(x.b, buf, 2);
    CHECK(memcmp(buf, "tl", 2) == 0);
    harness_file_fixture_close(&x);
    CloseHandle(port);
}

/* A 4 MiB TransmitPackets pending on x->a (ov; el holds its one element): x->b never
 * reads. */
static void packets_blocked(struct harness_file_fixture *x, TRANSMIT_PACKETS_ELEMENT *el,
                            WSAOVERLAPPED *ov)
{
    fixture_open(x, 4 * 1024 * 1024);
    harness_fill_send_buffer(x->a);
    *el = tp_file(x->f, 0, 0);
    harness_ov_init(ov, TRUE);
    CHECK(!transmit_packets(x->a, el, 1, 0, ov, 0));
    CHECK_ERR(ERROR_IO_PENDING);
    CHECK(!harness_signalled(ov->hEvent, 100));
}

TEST(aa402_cancelioex_aborts)
{
    TRANSMIT_PACKETS_ELEMENT el;
    struct harness_file_fixture x;
    WSAOVERLAPPED ov;

    packets_blocked(&x, &el, &ov);
    harness_check_cancel_aborts(x.a, &ov);
    WSACloseEvent(ov.hEvent);
    harness_file_fixture_close(&x);
}

TEST(aa402_closesocket_aborts)
{
    TRANSMIT_PACKETS_ELEMENT el;
    struct harness_file_fixture x;
    WSAOVERLAPPED ov;

    packets_blocked(&x, &el, &ov);
    harness_check_close_aborts(x.a, &ov);
    WSACloseEvent(ov.hEvent);
    closesocket(x.b);
    harness_remove_file(x.f, x.path);
}

TEST(aa403_element_layout)
{
    /* Windows' layout: two ULONGs, then the union of {LARGE_INTEGER, HANDLE} and a pointer. */
    CHECK_EQ(offsetof(TRANSMIT_PACKETS_ELEMENT, dwElFlags), 0);
    CHECK_EQ(offsetof(TRANSMIT_PACKETS_ELEMENT, cLength), 4);
    CHECK_EQ(offsetof(TRANSMIT_PACKETS_ELEMENT, nFileOffset), 8);
    CHECK_EQ(offsetof(TRANSMIT_PACKETS_ELEMENT, pBuffer), 8);
    CHECK_EQ(offsetof(TRANSMIT_PACKETS_ELEMENT, hFile), 16);
    CHECK_EQ(sizeof(TRANSMIT_PACKETS_ELEMENT), 24); /* 32-bit too: 8-byte alignment */
    CHECK_EQ(TP_ELEMENT_MEMORY, 1);
    CHECK_EQ(TP_ELEMENT_FILE, 2);
    CHECK_EQ(TP_ELEMENT_EOP, 4);
    CHECK_EQ(TP_DISCONNECT, TF_DISCONNECT);
    CHECK_EQ(TP_REUSE_SOCKET, TF_REUSE_SOCKET);
    CHECK_EQ(TP_USE_SYSTEM_THREAD, 0x10);
    CHECK_EQ(TP_USE_KERNEL_APC, 0x20);
    CHECK_EQ(TP_USE_DEFAULT_WORKER, 0);
}
