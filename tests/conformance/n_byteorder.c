/*
 * n_byteorder.c - conformance section N: WSAHtonl, WSAHtons, WSANtohl, WSANtohs.
 *
 * What Windows does: the extended byte-order routines convert between host order and the
 * network order of the socket's protocol, which is big-endian for TCP and UDP over IPv4 and
 * IPv6, so they give the same results as htonl/htons/ntohl/ntohs: in memory the converted
 * value is most significant byte first. Unlike those, they need WSAStartup
 * (WSANOTINITIALISED) and a live socket (WSAENOTSOCK), then a non-NULL output pointer
 * (WSAEFAULT), in that order; the output is written only on success, and a success sets the
 * last error to 0 (api.md 0.3).
 *
 * Covers conformance items N.234 to N.240. Wine does not check the socket (api.md 9.27), so
 * the N.238 cases are expected to fail there.
 */
#include "harness.h"

enum conv { HTONL, HTONS, NTOHL, NTOHS };

/* Calls one of the four routines; `out` points to a u_long (l forms) or u_short (s forms). */
static int convert(enum conv which, SOCKET s, u_long v, void *out)
{
    switch (which) {
    case HTONL:
        return WSAHtonl(s, v, out);
    case HTONS:
        return WSAHtons(s, (u_short)v, out);
    case NTOHL:
        return WSANtohl(s, v, out);
    default:
        return WSANtohs(s, (u_short)v, out);
    }
}

static SOCKET tcp_socket(void)
{
    harness_startup();
    return harness_tcp_socket();
}

/* The call must fail with `error` and leave the output untouched (u_short forms: 0xBEEF). */
static void check_conv_fails(enum conv which, SOCKET s, void *out, int error)
{
    WSASetLastError(0);
    CHECK_EQ(convert(which, s, 0x1234, out), SOCKET_ERROR);
    CHECK_ERR(error);
}

static void check_null_output(enum conv which)
{
    check_conv_fails(which, tcp_socket(), NULL, WSAEFAULT);
}

static void check_invalid_socket(enum conv which)
{
    u_long l = 0xDEADBEEF;
    u_short sh = 0xBEEF;
    int is_long = which == HTONL || which == NTOHL;

    harness_startup();
    check_conv_fails(which, INVALID_SOCKET, is_long ? (void *)&l : (void *)&sh, WSAENOTSOCK);
    CHECK_EQ(l, 0xDEADBEEF);
    CHECK_EQ(sh, 0xBEEF);
}

TEST(n234_wsahtonl_gives_big_endian_bytes)
{
    static const unsigned char want[4] = {0x12, 0x34, 0x56, 0x78};
    u_long x = 0;

    CHECK_EQ(WSAHtonl(tcp_socket(), 0x12345678, &x), 0);
    CHECK_EQ(memcmp(&x, want, 4), 0);
}

TEST(n234_success_sets_last_error_0)
{
    u_long x = 0;
    SOCKET s = tcp_socket();

    WSASetLastError((int)0xDEADBEEF);
    CHECK_EQ(WSAHtonl(s, 0x12345678, &x), 0);
    CHECK_ERR(0);
}

TEST(n235_wsahtons_gives_big_endian_bytes)
{
    static const unsigned char want[2] = {0x12, 0x34};
    u_short y = 0;

    CHECK_EQ(WSAHtons(tcp_socket(), 0x1234, &y), 0);
    CHECK_EQ(memcmp(&y, want, 2), 0);
}

TEST(n236_wsantohl_inverts_wsahtonl)
{
    SOCKET s = tcp_socket();
    u_long n = 0, x = 0;

    CHECK_EQ(WSAHtonl(s, 0xA1B2C3D4, &n), 0);
    CHECK_EQ(WSANtohl(s, n, &x), 0);
    CHECK_EQ(x, 0xA1B2C3D4);
}

TEST(n236_wsantohs_inverts_wsahtons)
{
    SOCKET s = tcp_socket();
    u_short n = 0, x = 0;

    CHECK_EQ(WSAHtons(s, 0xA1B2, &n), 0);
    CHECK_EQ(WSANtohs(s, n, &x), 0);
    CHECK_EQ(x, 0xA1B2);
}

TEST(n237_wsahtonl_null_output_efault)
{
    check_null_output(HTONL);
}

TEST(n237_wsahtons_null_output_efault)
{
    check_null_output(HTONS);
}

TEST(n237_wsantohl_null_output_efault)
{
    check_null_output(NTOHL);
}

TEST(n237_wsantohs_null_output_efault)
{
    check_null_output(NTOHS);
}

/* An output pointer no program can own fails as NULL does (api.md 0.6 [Lib]). */
TEST(n237_bad_output_pointer_efault)
{
    SOCKET s = tcp_socket();

    HARNESS_WINE_CRASHES("WSAHtonl with a bad output");
    for (int i = 0; i < HARNESS_BAD_PTRS; i++)
        for (int which = HTONL; which <= NTOHS; which++)
            check_conv_fails((enum conv)which, s, harness_bad_ptr[i], WSAEFAULT);
    closesocket(s);
}

TEST(n238_wsahtonl_invalid_socket_enotsock)
{
    check_invalid_socket(HTONL);
}

TEST(n238_wsahtons_invalid_socket_enotsock)
{
    check_invalid_socket(HTONS);
}

TEST(n238_wsantohl_invalid_socket_enotsock)
{
    check_invalid_socket(NTOHL);
}

TEST(n238_wsantohs_invalid_socket_enotsock)
{
    check_invalid_socket(NTOHS);
}

TEST(n238_invalid_socket_reported_before_null_output)
{
    /* api.md 0.6: the socket is checked before the arguments. */
    harness_startup();
    check_conv_fails(HTONL, INVALID_SOCKET, NULL, WSAENOTSOCK);
}

TEST(n239_wsahtonl_without_startup_notinitialised)
{
    u_long x = 0xDEADBEEF;

    /* No harness_startup(); no socket can exist, so any value will do. */
    check_conv_fails(HTONL, INVALID_SOCKET, &x, WSANOTINITIALISED);
    CHECK_EQ(x, 0xDEADBEEF);
}

TEST(n239_wsahtonl_after_last_cleanup_notinitialised)
{
    u_long x = 0xDEADBEEF;
    SOCKET s = tcp_socket();

    CHECK_EQ(WSACleanup(), 0);
    check_conv_fails(HTONL, s, &x, WSANOTINITIALISED);
    CHECK_EQ(x, 0xDEADBEEF);
}

/* 1000 pseudo-random values (fixed seed) through all four routines, against the BSD ones. */
static void check_random_values(SOCKET s)
{
    unsigned long long seed = 0x9E3779B97F4A7C15ull;
    int i;

    for (i = 0; i < 1000; i++) {
        u_long v, l = 0;
        u_short h, sh = 0;

        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        v = (u_long)(seed >> 32);
        h = (u_short)(seed >> 16);
        CHECK_EQ(WSAHtonl(s, v, &l), 0);
        CHECK_EQ(l, htonl(v));
        CHECK_EQ(WSANtohl(s, v, &l), 0);
        CHECK_EQ(l, ntohl(v));
        CHECK_EQ(WSAHtons(s, h, &sh), 0);
        CHECK_EQ(sh, htons(h));
        CHECK_EQ(WSANtohs(s, h, &sh), 0);
        CHECK_EQ(sh, ntohs(h));
    }
}

TEST(n240_udp_ipv4_matches_bsd_routines)
{
    SOCKET s;

    harness_startup();
    s = harness_udp_socket(FALSE);
    check_random_values(s);
}

TEST(n240_tcp_ipv6_matches_bsd_routines)
{
    SOCKET s;

    harness_startup();
    s = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET)
        SKIP("no IPv6 TCP socket (error %d)", WSAGetLastError());
    check_random_values(s);
}
