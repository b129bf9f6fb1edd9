/*
 * x_transmitfile.c - TransmitFile and the file handles it sends from (spec/conformance.md
 * section X, api.md 4.28).
 *
 * TransmitFile sends, on a connected stream socket, a head buffer, a part of a file (or the
 * whole file from its pointer), then a tail buffer, in order with the socket's other sends.
 * Without an OVERLAPPED it returns when done; with one it pends or completes at once, and
 * completes through the event and a port packet with head + file + tail bytes.
 * TF_DISCONNECT ends the connection after the data, TF_REUSE_SOCKET also makes the socket
 * fresh for AcceptEx. CancelIoEx and closesocket abort a pending one.
 *
 * Programs get it through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_TRANSMITFILE);
 * mswsock.dll also exports it by name, and so does wsaio.
 *
 * Items: 349-366.
 */
#include "harness.h"

#include <mswsock.h>

static LPFN_TRANSMITFILE transmit_file;

/* Startup, and TransmitFile as a program gets it: from WSAIoctl on a TCP socket. */
static void setup(void)
{
    harness_startup_extension((GUID)WSAID_TRANSMITFILE, &transmit_file, sizeof(transmit_file));
}

/* The test files (harness.h), named after this file. */
static HANDLE make_file(char *path, size_t room, DWORD size)
{
    return harness_make_file("x_transmitfile", path, room, size);
}

TEST(x349_invalid_socket_enotsock)
{
    setup();
    CHECK(!transmit_file(INVALID_SOCKET, NULL, 0, 0, NULL, NULL, 0));
    CHECK_ERR(WSAENOTSOCK);
}

TEST(x350_not_connected_enotconn)
{
    TRANSMIT_FILE_BUFFERS tb = {"head", 4, NULL, 0};
    SOCKET s;

    setup();
    s = harness_tcp_socket();
    CHECK(!transmit_file(s, NULL, 0, 0, NULL, &tb, 0));
    CHECK_ERR(WSAENOTCONN);
    closesocket(s);
}

TEST(x351_unknown_flag_einval)
{
    TRANSMIT_FILE_BUFFERS tb = {"head", 4, NULL, 0};
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    CHECK(!transmit_file(a, NULL, 0, 0, NULL, &tb, 0x100));
    CHECK_ERR(WSAEINVAL);
    harness_expect_no_data(b);
    closesocket(a);
    closesocket(b);
}

TEST(x352_handle_not_a_file_einval)
{
    TRANSMIT_FILE_BUFFERS tb = {"head", 4, NULL, 0};
    HANDLE ev;
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(ev != NULL);
    CHECK(!transmit_file(a, ev, 0, 0, NULL, &tb, 0));
    CHECK_ERR(WSAEINVAL);
    CloseHandle(ev);
    closesocket(a);
    closesocket(b);
}

TEST(x353_bad_pointers_efault)
{
    TRANSMIT_FILE_BUFFERS tb = {NULL, 4, NULL, 0};
    SOCKET a, b;

    HARNESS_WINE_CRASHES("TransmitFile with a bad lpTransmitBuffers");
    setup();
    harness_tcp_pair(&a, &b);
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        CHECK(!transmit_file(a, NULL, 0, 0, NULL, harness_bad_ptr[i], 0));
        CHECK_ERR(WSAEFAULT);
        tb.Head = harness_bad_ptr[i];
        CHECK(!transmit_file(a, NULL, 0, 0, NULL, &tb, 0));
        CHECK_ERR(WSAEFAULT);
    }
    harness_expect_no_data(b);
    closesocket(a);
    closesocket(b);
}

/* Item 354 through fn (the WSAIoctl pointer, or the export). */
static void head_tail_only(LPFN_TRANSMITFILE fn)
{
    TRANSMIT_FILE_BUFFERS tb = {"head", 4, "tail", 4};
    char buf[8];
    SOCKET a, b;

    harness_tcp_pair(&a, &b);
    CHECK(fn(a, NULL, 0, 0, NULL, &tb, 0));
    harness_recv_all(b, buf, 8);
    CHECK(memcmp(buf, "headtail", 8) == 0);
    closesocket(a);
    closesocket(b);
}

TEST(x354_no_file_head_and_tail)
{
    setup();
    head_tail_only(transmit_file);
}

TEST(x354_transmitfile_by_name)
{
    harness_startup();
    head_tail_only(TransmitFile);
}

/* A connected pair a-b and a file f of harness_file_byte() bytes (harness.h). */
static void fixture_open(struct harness_file_fixture *x, DWORD size)
{
    setup();
    harness_file_fixture_open(x, "x_transmitfile", size);
}

/* An overlapped TransmitFile of count file bytes from offset, with an event in ov: it
 * pends or completes at once. */
static void transmit_start(struct harness_file_fixture *x, DWORD offset, DWORD count,
                           WSAOVERLAPPED *ov, TRANSMIT_FILE_BUFFERS *tb)
{
    harness_ov_init(ov, TRUE);
    ov->Offset = offset;
    if (!transmit_file(x->a, x->f, count, 0, ov, tb, 0))
        CHECK_ERR(ERROR_IO_PENDING);
}

TEST(x355_whole_file_from_file_pointer)
{
    struct harness_file_fixture x;

    fixture_open(&x, 5000);
    CHECK_EQ(SetFilePointer(x.f, 1000, NULL, FILE_BEGIN), 1000);
    CHECK(transmit_file(x.a, x.f, 0, 0, NULL, NULL, 0));
    harness_recv_file_part(x.b, 1000, 4000);
    harness_expect_no_data(x.b);
    /* The file pointer follows the bytes sent. */
    CHECK_EQ(SetFilePointer(x.f, 0, NULL, FILE_CURRENT), 5000);
    harness_file_fixture_close(&x);
}

TEST(x356_part_from_overlapped_offset)
{
    struct harness_file_fixture x;
    WSAOVERLAPPED ov;

    fixture_open(&x, 5000);
    transmit_start(&x, 10, 100, &ov, NULL);
    harness_check_done(x.a, &ov, 100);
    harness_recv_file_part(x.b, 10, 100);
    harness_expect_no_data(x.b);
    WSACloseEvent(ov.hEvent);
    harness_file_fixture_close(&x);
}

TEST(x357_large_file)
{
    const DWORD size = 3 * 1024 * 1024 + 17;
    struct harness_file_fixture x;
    WSAOVERLAPPED ov;

    fixture_open(&x, size);
    transmit_start(&x, 0, 0, &ov, NULL);
    harness_recv_file_part(x.b, 0, size);
    harness_check_done(x.a, &ov, size);
    WSACloseEvent(ov.hEvent);
    harness_file_fixture_close(&x);
}

TEST(x358_head_file_tail_in_order)
{
    TRANSMIT_FILE_BUFFERS tb = {"HEAD", 4, "TAIL", 4};
    struct harness_file_fixture x;
    WSAOVERLAPPED ov;
    char buf[4];

    fixture_open(&x, 70000);
    transmit_start(&x, 0, 0, &ov, &tb);
    harness_recv_all(x.b, buf, 4);
    CHECK(memcmp(buf, "HEAD", 4) == 0);
    harness_recv_file_part(x.b, 0, 70000);
    harness_recv_all(x.b, buf, 4);
    CHECK(memcmp(buf, "TAIL", 4) == 0);
    harness_check_done(x.a, &ov, 70008);
    WSACloseEvent(ov.hEvent);
    harness_file_fixture_close(&x);
}

TEST(x359_in_order_with_other_sends)
{
    WSAOVERLAPPED o1, o2, o3;
    WSABUF w1 = {1, "<"}, w3 = {1, ">"};
    struct harness_file_fixture x;
    DWORD n;
    char c;

    fixture_open(&x, 200000);
    harness_ov_init(&o1, TRUE);
    harness_ov_init(&o3, TRUE);
    if (WSASend(x.a, &w1, 1, &n, 0, &o1, NULL) != 0)
        CHECK_ERR(WSA_IO_PENDING);
    transmit_start(&x, 0, 0, &o2, NULL);
    if (WSASend(x.a, &w3, 1, &n, 0, &o3, NULL) != 0)
        CHECK_ERR(WSA_IO_PENDING);
    harness_recv_all(x.b, &c, 1);
    CHECK_EQ(c, '<');
    harness_recv_file_part(x.b, 0, 200000);
    harness_recv_all(x.b, &c, 1);
    CHECK_EQ(c, '>');
    harness_check_done(x.a, &o1, 1);
    harness_check_done(x.a, &o2, 200000);
    harness_check_done(x.a, &o3, 1);
    WSACloseEvent(o1.hEvent);
    WSACloseEvent(o2.hEvent);
    WSACloseEvent(o3.hEvent);
    harness_file_fixture_close(&x);
}

TEST(x360_disconnect_peer_reads_eof)
{
    TRANSMIT_FILE_BUFFERS tb = {"bye", 3, NULL, 0};
    char buf[3];
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    CHECK(transmit_file(a, NULL, 0, 0, NULL, &tb, TF_DISCONNECT));
    harness_recv_all(b, buf, 3);
    CHECK(memcmp(buf, "bye", 3) == 0);
    harness_check_peer_eof(b);
    closesocket(a);
    closesocket(b);
}

TEST(x361_reuse_socket_as_acceptex_socket)
{
    TRANSMIT_FILE_BUFFERS tb = {"last", 4, NULL, 0};
    WSAOVERLAPPED ov;
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    if (!transmit_file(a, NULL, 0, 0, &ov, &tb, TF_DISCONNECT | TF_REUSE_SOCKET))
        CHECK_ERR(ERROR_IO_PENDING);
    harness_check_reused(a, b, &ov, "last", 4);
    WSACloseEvent(ov.hEvent);
}

TEST(x362_port_packet_with_all_bytes)
{
    TRANSMIT_FILE_BUFFERS tb = {"hd", 2, "tl", 2};
    struct harness_file_fixture x;
    WSAOVERLAPPED ov;
    char buf[2];
    HANDLE port;

    fixture_open(&x, 3000);
    port = CreateIoCompletionPort((HANDLE)x.a, NULL, 41, 0);
    CHECK(port != NULL);
    harness_ov_init(&ov, FALSE);
    if (!transmit_file(x.a, x.f, 0, 0, &ov, &tb, 0))
        CHECK_ERR(ERROR_IO_PENDING);
    harness_check_port_packet(port, &ov, 41, 3004);
    harness_recv_all(x.b, buf, 2);
    harness_recv_file_part(x.b, 0, 3000);
    harness_recv_all(x.b, buf, 2);
    CHECK(memcmp(buf, "tl", 2) == 0);
    harness_file_fixture_close(&x);
    CloseHandle(port);
}

/* A 4 MiB TransmitFile pending on x.a (ov): x.b never reads. */
static void transmit_blocked(struct harness_file_fixture *x, WSAOVERLAPPED *ov)
{
    fixture_open(x, 4 * 1024 * 1024);
    harness_fill_send_buffer(x->a);
    harness_ov_init(ov, TRUE);
    CHECK(!transmit_file(x->a, x->f, 0, 0, ov, NULL, 0));
    CHECK_ERR(ERROR_IO_PENDING);
    CHECK(!harness_signalled(ov->hEvent, 100));
}

TEST(x363_cancelioex_aborts)
{
    struct harness_file_fixture x;
    WSAOVERLAPPED ov;

    transmit_blocked(&x, &ov);
    harness_check_cancel_aborts(x.a, &ov);
    WSACloseEvent(ov.hEvent);
    harness_file_fixture_close(&x);
}

TEST(x364_closesocket_aborts)
{
    struct harness_file_fixture x;
    WSAOVERLAPPED ov;

    transmit_blocked(&x, &ov);
    harness_check_close_aborts(x.a, &ov);
    WSACloseEvent(ov.hEvent);
    closesocket(x.b);
    harness_remove_file(x.f, x.path);
}

TEST(x365_file_size_and_pointer)
{
    LARGE_INTEGER size, to, now;
    LONG high = 0;
    DWORD size_high = 7;
    char path[64];
    HANDLE f;

    harness_startup();
    f = make_file(path, sizeof(path), 12345);
    CHECK_EQ(GetFileSize(f, &size_high), 12345);
    CHECK_EQ(size_high, 0);
    CHECK(GetFileSizeEx(f, &size));
    CHECK_EQ(size.QuadPart, 12345);
    CHECK_EQ(SetFilePointer(f, 100, &high, FILE_BEGIN), 100);
    CHECK_EQ(high, 0);
    CHECK_EQ(SetFilePointer(f, 20, NULL, FILE_CURRENT), 120);
    to.QuadPart = -45;
    CHECK(SetFilePointerEx(f, to, &now, FILE_END));
    CHECK_EQ(now.QuadPart, 12300);
    to.QuadPart = -1;
    SetLastError(0);
    CHECK(!SetFilePointerEx(f, to, &now, FILE_BEGIN));
    CHECK_EQ(GetLastError(), ERROR_NEGATIVE_SEEK);
    harness_remove_file(f, path);
}

TEST(x366_createfile_missing_file_not_found)
{
    HANDLE f;

    harness_startup();
    SetLastError(0);
    f = CreateFileA("x_transmitfile_no_such_file.tmp", GENERIC_READ, FILE_SHARE_READ, NULL,
                    OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    CHECK(f == INVALID_HANDLE_VALUE);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
    SetLastError(0);
    CHECK_EQ(GetFileSize(INVALID_HANDLE_VALUE, NULL), INVALID_FILE_SIZE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}
