/*
 * s_disconnectex.c - DisconnectEx (spec/conformance.md section S, api.md 4.26).
 *
 * DisconnectEx closes the connection of a connected stream socket gracefully: the peer reads
 * the end of the stream, this side can no longer send. Without an OVERLAPPED it is
 * synchronous (and may be repeated); with one it pends or completes at once, with 0 bytes,
 * and posts a port packet. dwFlags is 0 or TF_REUSE_SOCKET, dwReserved 0. With
 * TF_REUSE_SOCKET the socket becomes fresh again: it can be the accept socket of a new
 * AcceptEx.
 *
 * Programs get it through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER, WSAID_DISCONNECTEX);
 * wsaio also exports it by name (mswsock.dll does not: that case skips on Windows).
 *
 * Items: 305-312.
 */
#include "harness.h"

#include <mswsock.h>

static LPFN_DISCONNECTEX disconnect_ex;

/* Startup, and DisconnectEx as a program gets it: from WSAIoctl on a TCP socket. */
static void setup(void)
{
    harness_startup_extension((GUID)WSAID_DISCONNECTEX, &disconnect_ex, sizeof(disconnect_ex));
}

/* The peer of a disconnected socket reads the end of the stream (within 2 s). */
static void check_peer_eof(SOCKET peer)
{
    struct timeval tv = {2, 0};
    fd_set r;
    char buf[4];

    FD_ZERO(&r);
    FD_SET(peer, &r);
    CHECK_EQ(select(0, &r, NULL, NULL, &tv), 1);
    CHECK_EQ(recv(peer, buf, sizeof(buf), 0), 0);
}

/*
 * fn(s, &ov, flags, 0) with an event: pends or completes at once; either way it ends with
 * success and 0 bytes. A peer given is checked for the end of the stream and closed before
 * the wait, for a DisconnectEx that waits for the whole close.
 */
static void disconnect_overlapped(LPFN_DISCONNECTEX fn, SOCKET s, DWORD flags, SOCKET peer)
{
    WSAOVERLAPPED ov;
    DWORD n = 0xDEADBEEF;

    harness_ov_init(&ov, TRUE);
    if (!fn(s, &ov, flags, 0))
        CHECK_ERR(ERROR_IO_PENDING);
    if (peer != INVALID_SOCKET) {
        check_peer_eof(peer);
        closesocket(peer);
    }
    CHECK(harness_signalled(ov.hEvent, 2000));
    CHECK(GetOverlappedResult((HANDLE)s, &ov, &n, FALSE));
    CHECK_EQ(n, 0);
    WSACloseEvent(ov.hEvent);
}

TEST(s305_invalid_socket_enotsock)
{
    setup();
    CHECK(!disconnect_ex(INVALID_SOCKET, NULL, 0, 0));
    CHECK_ERR(WSAENOTSOCK);
}

TEST(s306_not_connected_enotconn)
{
    SOCKET s;

    setup();
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(s != INVALID_SOCKET);
    CHECK(!disconnect_ex(s, NULL, 0, 0));
    CHECK_ERR(WSAENOTCONN);
    closesocket(s);
}

/* Item 307 through fn (the WSAIoctl pointer, or the export). */
static void disconnect_pair(LPFN_DISCONNECTEX fn)
{
    SOCKET a, b;

    harness_tcp_pair(&a, &b);
    disconnect_overlapped(fn, a, 0, INVALID_SOCKET);
    check_peer_eof(b);
    closesocket(a);
    closesocket(b);
}

TEST(s307_overlapped_completes_with_0_peer_sees_eof)
{
    setup();
    disconnect_pair(disconnect_ex);
}

TEST(s307_disconnectex_by_name)
{
#ifdef _WIN32
    SKIP("mswsock.dll exports no DisconnectEx: Windows programs get it through WSAIoctl only");
#else
    harness_startup();
    disconnect_pair(DisconnectEx);
#endif
}

TEST(s308_synchronous_twice_true)
{
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    CHECK(disconnect_ex(a, NULL, 0, 0));
    CHECK(disconnect_ex(a, NULL, 0, 0));
    check_peer_eof(b);
    closesocket(a);
    closesocket(b);
}

TEST(s309_bad_flags_or_reserved_einval)
{
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    CHECK(!disconnect_ex(a, NULL, 0x80, 0));
    CHECK_ERR(WSAEINVAL);
    CHECK(!disconnect_ex(a, NULL, 0, 1));
    CHECK_ERR(WSAEINVAL);
    /* Nothing happened to the connection. */
    harness_expect_no_data(b);
    harness_send_all(a, "x", 1);
    closesocket(a);
    closesocket(b);
}

TEST(s310_after_disconnect_send_eshutdown_connect_eisconn)
{
    struct sockaddr_in to;
    int len = sizeof(to);
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(getpeername(a, (struct sockaddr *)&to, &len), 0);
    disconnect_overlapped(disconnect_ex, a, 0, INVALID_SOCKET);
    CHECK_EQ(send(a, "x", 1, 0), SOCKET_ERROR);
    CHECK_ERR(WSAESHUTDOWN);
    CHECK_EQ(connect(a, (struct sockaddr *)&to, sizeof(to)), SOCKET_ERROR);
    CHECK_ERR(WSAEISCONN);
    closesocket(a);
    closesocket(b);
}

TEST(s311_reuse_socket_as_acceptex_socket)
{
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    disconnect_overlapped(disconnect_ex, a, TF_REUSE_SOCKET, b);
    harness_accept_into(a);
    closesocket(a);
}

TEST(s312_port_packet_with_0_bytes)
{
    WSAOVERLAPPED ov;
    DWORD n = 0xDEADBEEF;
    ULONG_PTR key = 0;
    LPOVERLAPPED o = NULL;
    HANDLE port;
    SOCKET a, b;

    setup();
    harness_tcp_pair(&a, &b);
    port = CreateIoCompletionPort((HANDLE)a, NULL, 31, 0);
    CHECK(port != NULL);
    harness_ov_init(&ov, FALSE);
    if (!disconnect_ex(a, &ov, 0, 0))
        CHECK_ERR(ERROR_IO_PENDING);
    CHECK(GetQueuedCompletionStatus(port, &n, &key, &o, 2000));
    CHECK(o == &ov);
    CHECK_EQ(n, 0);
    CHECK_EQ(key, 31);
    check_peer_eof(b);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}
