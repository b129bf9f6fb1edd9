/*
 * connect_reuse.c - ConnectEx and DisconnectEx beyond the conformance cases (sections R,
 * S), on wsaio's own terms: TF_REUSE_SOCKET gives the same SOCKET a fresh kernel socket
 * (api.md 4.26 [Lib]) that a new ConnectEx can use; a first buffer larger than the socket
 * buffers makes the send stage pend in the kernel; SO_CONNECT_TIME follows the connection.
 */
#include "unit.h"

#include <mswsock.h>

static SOCKET bound_tcp(void)
{
    struct sockaddr_in a = harness_loopback4(0);
    SOCKET s = harness_tcp_socket();

    CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    return s;
}

static DWORD connect_time(SOCKET s)
{
    DWORD v = 0x12345678;
    int len = sizeof(v);

    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_CONNECT_TIME, (char *)&v, &len), 0);
    CHECK_EQ(len, sizeof(v));
    return v;
}

/* ConnectEx(c -> la) with data; pends or completes; *ov has an event. */
static void connect_ex(SOCKET c, const struct sockaddr_in *la, const char *data, DWORD len,
                       WSAOVERLAPPED *ov)
{
    DWORD n = 0;

    harness_ov_init(ov, TRUE);
    if (!ConnectEx(c, (const struct sockaddr *)la, sizeof(*la), (PVOID)data, len, &n, ov))
        CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
}

static void expect_done(SOCKET s, WSAOVERLAPPED *ov, DWORD bytes)
{
    DWORD n = 0xDEADBEEF;

    CHECK(harness_signalled(ov->hEvent, 5000));
    CHECK(GetOverlappedResult((HANDLE)s, ov, &n, FALSE));
    CHECK_EQ(n, bytes);
    WSACloseEvent(ov->hEvent);
}

/* The connection a-b carries data in both directions. */
static void carries_both_ways(SOCKET a, SOCKET b)
{
    const char *msg[2] = {"ping", "pong"};
    SOCKET from[2] = {a, b}, to[2] = {b, a};
    char buf[4];

    for (int i = 0; i < 2; i++) {
        harness_send_all(from[i], msg[i], 4);
        harness_recv_all(to[i], buf, 4);
        CHECK(memcmp(buf, msg[i], 4) == 0);
    }
}

TEST(reuse_then_connectex_again)
{
    struct sockaddr_in la;
    WSAOVERLAPPED ov;
    SOCKET l, c, s;
    char buf[4];
    int len = sizeof(la);

    harness_startup();
    harness_listener(&l, &la);
    c = bound_tcp();
    CHECK_EQ(connect_time(c), 0xFFFFFFFF);
    connect_ex(c, &la, "hi", 2, &ov);
    expect_done(c, &ov, 2);
    CHECK_NE(connect_time(c), 0xFFFFFFFF);
    CHECK((s = accept(l, NULL, NULL)) != INVALID_SOCKET);
    harness_recv_all(s, buf, 2);
    CHECK(memcmp(buf, "hi", 2) == 0);

    /* TF_REUSE_SOCKET waits for the peer's side of the close. */
    harness_ov_init(&ov, TRUE);
    CHECK(!DisconnectEx(c, &ov, TF_REUSE_SOCKET, 0));
    CHECK_EQ(WSAGetLastError(), ERROR_IO_PENDING);
    CHECK(!harness_signalled(ov.hEvent, 100));
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), 0);
    closesocket(s);
    expect_done(c, &ov, 0);

    /* A fresh socket: unbound, never connected; bound again, it connects again. */
    CHECK_EQ(getsockname(c, (struct sockaddr *)&la, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    CHECK_EQ(connect_time(c), 0xFFFFFFFF);
    len = sizeof(la);
    CHECK_EQ(getsockname(l, (struct sockaddr *)&la, &len), 0);
    {
        struct sockaddr_in a = harness_loopback4(0);

        CHECK_EQ(bind(c, (struct sockaddr *)&a, sizeof(a)), 0);
    }
    connect_ex(c, &la, NULL, 0, &ov);
    expect_done(c, &ov, 0);
    CHECK((s = accept(l, NULL, NULL)) != INVALID_SOCKET);
    carries_both_ways(s, c);
    closesocket(s);
    closesocket(c);
    closesocket(l);
}

TEST(reuse_keeps_port_association)
{
    struct sockaddr_in la, a = harness_loopback4(0);
    WSAOVERLAPPED ov;
    DWORD n;
    ULONG_PTR key;
    LPOVERLAPPED o;
    HANDLE port;
    SOCKET l, c, s;

    harness_startup();
    harness_listener(&l, &la);
    c = bound_tcp();
    port = CreateIoCompletionPort((HANDLE)c, NULL, 77, 0);
    CHECK(port != NULL);
    connect_ex(c, &la, NULL, 0, &ov);
    CHECK(GetQueuedCompletionStatus(port, &n, &key, &o, 5000));
    CHECK(o == &ov && key == 77);
    WSACloseEvent(ov.hEvent);
    CHECK((s = accept(l, NULL, NULL)) != INVALID_SOCKET);
    closesocket(s); /* the peer closes first: the synchronous reuse returns at once */
    CHECK(DisconnectEx(c, NULL, TF_REUSE_SOCKET, 0));
    /* No packet for the synchronous call. */
    CHECK(!GetQueuedCompletionStatus(port, &n, &key, &o, 0));
    CHECK_EQ(GetLastError(), WAIT_TIMEOUT);
    CHECK_EQ(bind(c, (struct sockaddr *)&a, sizeof(a)), 0);
    connect_ex(c, &la, NULL, 0, &ov);
    CHECK(GetQueuedCompletionStatus(port, &n, &key, &o, 5000));
    CHECK(o == &ov && key == 77 && n == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(l);
    CloseHandle(port);
}

TEST(first_buffer_larger_than_socket_buffers)
{
    enum { BIG = 8 << 20 };
    struct sockaddr_in la;
    WSAOVERLAPPED ov;
    SOCKET l, c, s;
    char *data = malloc(BIG), *got = malloc(BIG);

    CHECK(data && got);
    for (int i = 0; i < BIG; i++)
        data[i] = (char)(i * 7);
    harness_startup();
    harness_listener(&l, &la);
    c = bound_tcp();
    connect_ex(c, &la, data, BIG, &ov);
    CHECK((s = accept(l, NULL, NULL)) != INVALID_SOCKET);
    harness_recv_all(s, got, BIG);
    CHECK(memcmp(data, got, BIG) == 0);
    expect_done(c, &ov, BIG);
    closesocket(s);
    closesocket(c);
    closesocket(l);
    free(data);
    free(got);
}

TEST(connectex_cancelled_by_closesocket)
{
    struct sockaddr_in la;
    WSAOVERLAPPED ov;
    SOCKET fill[16], l, c;
    int nfill = 0;

    harness_startup();
    harness_listener(&l, &la);
    CHECK_EQ(listen(l, 0), 0); /* never accepts: the queue fills, SYNs are dropped */
    for (;;) {
        c = bound_tcp();
        connect_ex(c, &la, NULL, 0, &ov);
        if (!harness_signalled(ov.hEvent, 300))
            break; /* stays in progress */
        WSACloseEvent(ov.hEvent);
        fill[nfill++] = c;
        if (nfill == 16)
            SKIP("no connection stayed in progress towards a full backlog");
    }
    closesocket(c);
    CHECK(harness_signalled(ov.hEvent, 5000));
    /* The handle is gone: the OVERLAPPED says how it ended. */
    CHECK_EQ((DWORD)ov.Internal, (DWORD)STATUS_CANCELLED);
    CHECK_EQ(ov.InternalHigh, 0);
    WSACloseEvent(ov.hEvent);
    for (int i = 0; i < nfill; i++)
        closesocket(fill[i]);
    closesocket(l);
}

TEST(extension_pointer_size_and_unknown_guid)
{
    GUID connect_id = WSAID_CONNECTEX, unknown = {0x12345678, 1, 2, {3, 4, 5, 6, 7, 8, 9, 10}};
    GUID accept_id = WSAID_ACCEPTEX, packets_id = WSAID_TRANSMITPACKETS;
    void *fn[2] = {NULL, NULL};
    DWORD n = 0;
    SOCKET s;

    harness_startup();
    s = harness_tcp_socket();
    /* An output smaller than a pointer: WSAEFAULT (api.md 4.10.6); a larger one is fine. */
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &connect_id, sizeof(connect_id), fn,
                      sizeof(fn[0]) - 1, &n, NULL, NULL),
             SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK(fn[0] == NULL);
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &connect_id, sizeof(connect_id), fn,
                      sizeof(fn), &n, NULL, NULL),
             0);
    CHECK_EQ(n, sizeof(fn[0]));
    fn[0] = NULL;
    /* A GUID Windows does not know: WSAEINVAL. */
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &unknown, sizeof(unknown), fn,
                      sizeof(fn[0]), &n, NULL, NULL),
             SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);
    /* TransmitPackets, the last extension to come: its export too. */
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &packets_id, sizeof(packets_id), fn,
                      sizeof(fn[0]), &n, NULL, NULL),
             0);
    CHECK(fn[0] == (void *)TransmitPackets);
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept_id, sizeof(accept_id), fn,
                      sizeof(fn[0]), &n, NULL, NULL),
             0);
    CHECK(fn[0] == (void *)AcceptEx);
    /* The pointer is the export. */
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &connect_id, sizeof(connect_id), fn,
                      sizeof(fn[0]), &n, NULL, NULL),
             0);
    CHECK_EQ(n, sizeof(fn[0]));
    CHECK(fn[0] == (void *)ConnectEx);
    closesocket(s);
}
