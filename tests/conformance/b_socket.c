/*
 * b_socket.c - WSASocket and socket (spec/conformance.md section B, api.md 4.3 and 1.1).
 *
 * Windows checks the arguments of WSASocket in a fixed order (type, then family, then
 * protocol), picks the type from the protocol when the type is 0, refuses socket groups and
 * multipoint flags, and gives a socket the overlapped attribute when it comes from socket()
 * or from WSASocket with WSA_FLAG_OVERLAPPED. A socket without the attribute still accepts
 * an OVERLAPPED but then performs the call synchronously. New sockets are blocking.
 *
 * Items: 13-26, 27 (Linux only: it needs the descriptor limit to be low, see the case).
 */
#include "harness.h"

TEST(b13_wsasocket_overlapped_tcp_is_stream)
{
    SOCKET s;
    int type = -1, len = sizeof(type);

    harness_startup();
    s = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(s != INVALID_SOCKET);
    CHECK(s != 0);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len), 0);
    CHECK_EQ(type, SOCK_STREAM);
    closesocket(s);
}

TEST(b14_bad_family_eafnosupport)
{
    harness_startup();
    WSASetLastError(0);
    CHECK(WSASocketA(0xdead, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED) ==
          INVALID_SOCKET);
    CHECK_ERR(WSAEAFNOSUPPORT);
}

TEST(b15_bad_type_esocktnosupport)
{
    harness_startup();
    WSASetLastError(0);
    CHECK(WSASocketA(AF_INET, 0xdead, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED) == INVALID_SOCKET);
    CHECK_ERR(WSAESOCKTNOSUPPORT);
}

TEST(b16_bad_protocol_eprotonosupport)
{
    harness_startup();
    WSASetLastError(0);
    CHECK(WSASocketA(AF_INET, SOCK_STREAM, 0xdead, NULL, 0, WSA_FLAG_OVERLAPPED) == INVALID_SOCKET);
    CHECK_ERR(WSAEPROTONOSUPPORT);
}

TEST(b17_check_order_type_family_protocol)
{
    harness_startup();
    WSASetLastError(0);
    CHECK(WSASocketA(0xdead, 0xdead, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED) == INVALID_SOCKET);
    CHECK_ERR(WSAESOCKTNOSUPPORT);
    WSASetLastError(0);
    CHECK(WSASocketA(0xdead, SOCK_STREAM, 0xdead, NULL, 0, WSA_FLAG_OVERLAPPED) == INVALID_SOCKET);
    CHECK_ERR(WSAEAFNOSUPPORT);
}

TEST(b18_mismatched_protocol_eprotonosupport)
{
    harness_startup();
    WSASetLastError(0);
    CHECK(WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED) ==
          INVALID_SOCKET);
    CHECK_ERR(WSAEPROTONOSUPPORT);
    WSASetLastError(0);
    CHECK(WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED) ==
          INVALID_SOCKET);
    CHECK_ERR(WSAEPROTONOSUPPORT);
}

TEST(b19_type_zero_chosen_from_protocol)
{
    SOCKET s;
    int type, len;

    harness_startup();
    s = WSASocketA(AF_INET, 0, 0, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(s != INVALID_SOCKET);
    type = -1;
    len = sizeof(type);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len), 0);
    CHECK_EQ(type, SOCK_STREAM);
    closesocket(s);

    s = WSASocketA(AF_INET, 0, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(s != INVALID_SOCKET);
    type = -1;
    len = sizeof(type);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len), 0);
    CHECK_EQ(type, SOCK_DGRAM);
    closesocket(s);
}

TEST(b20_af_unspec_needs_protocol)
{
    SOCKET s;

    harness_startup();
    WSASetLastError(0);
    CHECK(WSASocketA(AF_UNSPEC, SOCK_STREAM, 0, NULL, 0, WSA_FLAG_OVERLAPPED) == INVALID_SOCKET);
    CHECK_ERR(WSAEINVAL);
    WSASetLastError(0);
    CHECK(WSASocketA(AF_UNSPEC, 0, 0, NULL, 0, WSA_FLAG_OVERLAPPED) == INVALID_SOCKET);
    CHECK_ERR(WSAEINVAL);
    s = WSASocketA(AF_UNSPEC, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(s != INVALID_SOCKET);
    closesocket(s);
}

TEST(b21_group_einval)
{
    harness_startup();
    WSASetLastError(0);
    CHECK(WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, SG_UNCONSTRAINED_GROUP,
                     WSA_FLAG_OVERLAPPED) == INVALID_SOCKET);
    CHECK_ERR(WSAEINVAL);
}

TEST(b22_multipoint_flag_einval)
{
    harness_startup();
    WSASetLastError(0);
    CHECK(WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0,
                     WSA_FLAG_OVERLAPPED | WSA_FLAG_MULTIPOINT_C_ROOT) == INVALID_SOCKET);
    CHECK_ERR(WSAEINVAL);
}

TEST(b23_socket_from_socket_is_overlapped)
{
    SOCKET a, b;
    WSAOVERLAPPED ov;
    char buf[8];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    harness_recv_pending(a, &ov, buf, sizeof(buf), NULL);
    closesocket(a);
    CHECK(harness_signalled(ov.hEvent, 1000));
    WSACloseEvent(ov.hEvent);
    closesocket(b);
}

/* A socket without WSA_FLAG_OVERLAPPED, non-blocking, connected; the server side in *srv. */
static SOCKET nonoverlapped_nonblocking_client(SOCKET *srv)
{
    SOCKET c = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0);

    CHECK(c != INVALID_SOCKET);
    *srv = harness_tcp_connect(c);
    harness_set_nonblocking(c, TRUE);
    return c;
}

TEST(b24_nonoverlapped_socket_with_overlapped_blocks)
{
    SOCKET c, srv;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0;
    HANDLE t;
    int rc;

    harness_startup();
    c = nonoverlapped_nonblocking_client(&srv);
    harness_ov_init(&ov, TRUE);
    t = harness_delayed_send(srv, "abcd", 4, 200);
    rc = WSARecv(c, &wb, 1, &n, &flags, &ov, NULL);
    SOFT_CHECK(rc == 0);
    if (rc == 0) {
        CHECK_EQ(n, 4);
        CHECK_EQ(ov.InternalHigh, 4);
        CHECK(memcmp(buf, "abcd", 4) == 0);
    } else {
        /* Not the observed Windows behaviour; the operation must still finish. */
        CHECK_ERR(WSA_IO_PENDING);
        CHECK(harness_signalled(ov.hEvent, 2000));
        CHECK(WSAGetOverlappedResult(c, &ov, &n, FALSE, &flags));
        CHECK_EQ(n, 4);
    }
    harness_join(t);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(srv);
}

TEST(b25_nonoverlapped_socket_wouldblock_leaves_overlapped)
{
    SOCKET c, srv;
    WSAOVERLAPPED ov;
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0, n = 0;

    harness_startup();
    c = nonoverlapped_nonblocking_client(&srv);
    memset(&ov, 0, sizeof(ov));
    ov.Internal = 0x12345678;
    CHECK_EQ(WSARecv(c, &wb, 1, &n, &flags, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEWOULDBLOCK);
    CHECK_EQ(ov.Internal, 0x12345678);
    closesocket(c);
    closesocket(srv);
}

TEST(b26_new_socket_is_blocking)
{
    SOCKET a, b;
    HANDLE t;
    char buf[16];
    double start;

    harness_startup();
    harness_tcp_pair(&a, &b);
    t = harness_delayed_send(b, "late", 4, 200);
    start = harness_now_ms();
    CHECK_EQ(recv(a, buf, sizeof(buf), 0), 4);
    CHECK_ELAPSED_GE(start, 150);
    CHECK(memcmp(buf, "late", 4) == 0);
    harness_join(t);
    closesocket(a);
    closesocket(b);
}

/*
 * Item 27 asks for RLIMIT_NOFILE to be lowered, which neither <windows.h> nor <winsock2.h>
 * can do. On Linux the case instead uses up the descriptors by opening sockets, which is
 * only quick when the limit is already low: with more than 4096 descriptors it skips; the
 * native suite also runs it under `prlimit --nofile=256` (test ...emfile.nofile256), where it
 * runs for real. Windows has no such limit: skipped.
 */
TEST(b27_no_free_descriptor_emfile)
{
#ifdef _WIN32
    SKIP("no per-process descriptor limit on Windows (RLIMIT_NOFILE is a Linux limit)");
#else
    enum { MAX_OPEN = 4096 };
    static SOCKET open_sockets[MAX_OPEN];
    int n = 0, err = 0, i;

    harness_startup();
    while (n < MAX_OPEN) {
        SOCKET s = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);

        if (s == INVALID_SOCKET) {
            err = WSAGetLastError();
            break;
        }
        open_sockets[n++] = s;
    }
    for (i = 0; i < n; i++)
        closesocket(open_sockets[i]);
    if (n == MAX_OPEN)
        SKIP("descriptor limit above %d; run under `prlimit --nofile=256` to test", MAX_OPEN);
    SOFT_CHECK(err == WSAEMFILE);
#endif
}

/* ---- Pointer arguments no program can own (api.md 0.6 [Lib]): WSAEFAULT, as Windows'
 * probes give, never a crash ------------------------------------------------------------ */

TEST(b_api4_3_bad_protocol_info_pointer_efault)
{
    HARNESS_WINE_CRASHES("WSASocket with a bad lpProtocolInfo");
    harness_startup();
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        WSASetLastError(0);
        CHECK_EQ(WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, harness_bad_ptr[i], 0, 0),
                 INVALID_SOCKET);
        CHECK_ERR(WSAEFAULT);
        WSASetLastError(0);
        CHECK_EQ(WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, harness_bad_ptr[i], 0, 0),
                 INVALID_SOCKET);
        CHECK_ERR(WSAEFAULT);
    }
}

/* setsockopt's optval (an option wsaio converts, one the kernel reads), getsockopt's optval
 * and optlen (an option wsaio answers itself, one the kernel answers). */
TEST(b_api0_6_sockopt_bad_pointers_efault)
{
    SOCKET s;
    int v = 0, len = sizeof(v);

    harness_startup();
    s = harness_tcp_socket();
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        void *bad = harness_bad_ptr[i];

        WSASetLastError(0);
        CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, bad, sizeof(DWORD)), SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
        WSASetLastError(0);
        CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, bad, sizeof(int)), SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
        for (int opt = 0; opt < 2; opt++) {
            int name = opt ? SO_TYPE : SO_ERROR;

            WSASetLastError(0);
            CHECK_EQ(getsockopt(s, SOL_SOCKET, name, bad, &len), SOCKET_ERROR);
            CHECK_ERR(WSAEFAULT);
            WSASetLastError(0);
            CHECK_EQ(getsockopt(s, SOL_SOCKET, name, (char *)&v, bad), SOCKET_ERROR);
            CHECK_ERR(WSAEFAULT);
        }
    }
    closesocket(s);
}

/* bind and connect's name; getsockname and getpeername's name and namelen; gethostname. */
TEST(b_api0_6_address_bad_pointers_efault)
{
    SOCKET a, b, c;
    struct sockaddr_in sin;
    int len = sizeof(sin);

    HARNESS_WINE_CRASHES("bind with a bad name");
    harness_startup();
    harness_tcp_pair(&a, &b);
    c = harness_tcp_socket();
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        void *bad = harness_bad_ptr[i];

        WSASetLastError(0);
        CHECK_EQ(bind(c, bad, sizeof(sin)), SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
        WSASetLastError(0);
        CHECK_EQ(connect(c, bad, sizeof(sin)), SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
        for (int peer = 0; peer < 2; peer++) {
            WSASetLastError(0);
            CHECK_EQ(peer ? getpeername(a, bad, &len) : getsockname(a, bad, &len), SOCKET_ERROR);
            CHECK_ERR(WSAEFAULT);
            WSASetLastError(0);
            CHECK_EQ(peer ? getpeername(a, (struct sockaddr *)&sin, bad)
                          : getsockname(a, (struct sockaddr *)&sin, bad),
                     SOCKET_ERROR);
            CHECK_ERR(WSAEFAULT);
        }
        WSASetLastError(0);
        CHECK_EQ(gethostname(bad, 256), SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
    }
    closesocket(a);
    closesocket(b);
    closesocket(c);
}

/* accept's addr and addrlen: WSAEFAULT before anything is accepted, so the queued
 * connection is still there for the next accept. */
TEST(b_api0_6_accept_bad_pointers_efault)
{
    SOCKET l, c, got;
    struct sockaddr_in sin = harness_loopback4(0);
    int len = sizeof(sin);

    harness_startup();
    harness_listener(&l, &sin);
    c = harness_connect_to(&sin);
    harness_set_nonblocking(l, TRUE); /* a missed check must not hang the case */
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        WSASetLastError(0);
        CHECK_EQ(accept(l, harness_bad_ptr[i], &len), INVALID_SOCKET);
        CHECK_ERR(WSAEFAULT);
        WSASetLastError(0);
        CHECK_EQ(accept(l, (struct sockaddr *)&sin, harness_bad_ptr[i]), INVALID_SOCKET);
        CHECK_ERR(WSAEFAULT);
    }
    got = accept(l, NULL, NULL);
    CHECK(got != INVALID_SOCKET);
    closesocket(got);
    closesocket(c);
    closesocket(l);
}
