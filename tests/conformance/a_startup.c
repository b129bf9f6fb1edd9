/*
 * a_startup.c - conformance section A: WSAStartup, WSACleanup and the last-error slot.
 *
 * What Windows does: WSAStartup negotiates the version (major 0 is refused with
 * WSAVERNOTSUPPORTED, anything above 2.2 is granted as 2.2, wHighVersion is always 2.2),
 * returns its error code as its value and counts the users of ws2_32; the WSACleanup that
 * brings the count to 0 closes every socket of the process, so that a later closesocket of an
 * old handle fails with WSANOTINITIALISED, or WSAENOTSOCK after a new WSAStartup. A socket
 * function called before any WSAStartup fails with WSANOTINITIALISED. The last-error slot is
 * one per-thread value read and written by WSAGetLastError/GetLastError and
 * WSASetLastError/SetLastError; a new thread starts with 0.
 *
 * Covers conformance items A.1 to A.8, A.10 and A.11. A.9 and A.12 need overlapped
 * WSARecv/WSASend and live in a_startup_io.c. Each case runs alone in its own process, so the
 * startup count is 0 when a case begins; the A.1 and A.7 cases deliberately never call
 * WSAStartup before the call they check.
 */
#include "harness.h"

/* Ends the case's own startups; the count must be back to 0 afterwards. */
static void cleanup_to_zero(int startups)
{
    while (startups-- > 0)
        CHECK_EQ(WSACleanup(), 0);
    CHECK_EQ(WSACleanup(), SOCKET_ERROR);
    CHECK_ERR(WSANOTINITIALISED);
}

TEST(a1_wsasocket_without_startup_fails)
{
    SOCKET s;

    WSASetLastError(0);
    s = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(s == INVALID_SOCKET);
    CHECK_ERR(WSANOTINITIALISED);
}

TEST(a1_socket_without_startup_fails)
{
    SOCKET s;

    WSASetLastError(0);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    CHECK(s == INVALID_SOCKET);
    CHECK_ERR(WSANOTINITIALISED);
}

/* WSAStartup(requested) succeeds and grants 2.2 (wVersion and wHighVersion). */
static void check_granted_22(WORD requested)
{
    WSADATA d;

    memset(&d, 0xcc, sizeof(d));
    CHECK_EQ(WSAStartup(requested, &d), 0);
    CHECK_EQ(d.wVersion, 0x0202);
    CHECK_EQ(d.wHighVersion, 0x0202);
    cleanup_to_zero(1);
}

TEST(a2_startup_22_grants_22)
{
    check_granted_22(MAKEWORD(2, 2));
}

TEST(a3_startup_major_0_not_supported)
{
    WSADATA d;

    CHECK_EQ(WSAStartup(MAKEWORD(0, 1), &d), WSAVERNOTSUPPORTED);
    /* A refused request is not counted. */
    cleanup_to_zero(0);
}

TEST(a3_startup_major_0_not_supported_after_startup)
{
    WSADATA d;

    harness_startup();
    CHECK_EQ(WSAStartup(MAKEWORD(0, 1), &d), WSAVERNOTSUPPORTED);
    cleanup_to_zero(1);
}

TEST(a4_startup_30_grants_22)
{
    check_granted_22(MAKEWORD(3, 0));
}

TEST(a5_startup_null_wsadata_efault)
{
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), NULL), WSAEFAULT);
    /* A failed WSAStartup is not counted. */
    cleanup_to_zero(0);
}

/* A WSADATA pointer no program can own: WSAEFAULT as for NULL (api.md 0.6 [Lib]). */
TEST(a5_startup_bad_wsadata_pointer_efault)
{
    HARNESS_WINE_CRASHES("WSAStartup with a bad WSADATA");
    for (int i = 0; i < HARNESS_BAD_PTRS; i++)
        CHECK_EQ(WSAStartup(MAKEWORD(2, 2), harness_bad_ptr[i]), WSAEFAULT);
    cleanup_to_zero(0);
}

/* A socket of a process whose last WSACleanup has run. */
static SOCKET socket_then_last_cleanup(void)
{
    SOCKET s;

    harness_startup();
    s = harness_tcp_socket();
    CHECK_EQ(WSACleanup(), 0);
    return s;
}

TEST(a6_last_cleanup_closes_sockets_enotsock_after_restart)
{
    SOCKET s = socket_then_last_cleanup();

    harness_startup();
    WSASetLastError(0);
    CHECK_EQ(closesocket(s), SOCKET_ERROR);
    CHECK_ERR(WSAENOTSOCK);
    cleanup_to_zero(1);
}

TEST(a6_socket_after_last_cleanup_notinitialised)
{
    SOCKET s = socket_then_last_cleanup();

    WSASetLastError(0);
    CHECK_EQ(closesocket(s), SOCKET_ERROR);
    CHECK_ERR(WSANOTINITIALISED);
}

TEST(a7_cleanup_without_startup_fails)
{
    WSASetLastError(0);
    CHECK_EQ(WSACleanup(), SOCKET_ERROR);
    CHECK_ERR(WSANOTINITIALISED);
}

TEST(a7_cleanup_more_than_startup_fails)
{
    harness_startup();
    CHECK_EQ(WSACleanup(), 0);
    WSASetLastError(0);
    CHECK_EQ(WSACleanup(), SOCKET_ERROR);
    CHECK_ERR(WSANOTINITIALISED);
}

TEST(a8_cleanup_with_count_2_keeps_sockets)
{
    SOCKET s;
    int type = -1, len = sizeof(type);

    harness_startup();
    harness_startup();
    s = harness_tcp_socket();
    CHECK_EQ(WSACleanup(), 0);
    CHECK_EQ(getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len), 0);
    CHECK_EQ(type, SOCK_STREAM);
    CHECK_EQ(closesocket(s), 0);
    cleanup_to_zero(1);
}

TEST(a10_wsasetlasterror_read_by_both_getters)
{
    WSASetLastError(12345);
    CHECK_EQ(WSAGetLastError(), 12345);
    CHECK_EQ(GetLastError(), 12345);
}

TEST(a10_setlasterror_read_by_wsagetlasterror)
{
    WSASetLastError(12345);
    SetLastError(7);
    CHECK_EQ(WSAGetLastError(), 7);
}

TEST(a10_any_32bit_value_round_trips)
{
    SetLastError(0xDEADBEEF);
    CHECK_EQ((DWORD)WSAGetLastError(), 0xDEADBEEF);
    CHECK_EQ(GetLastError(), 0xDEADBEEF);
}

static DWORD WINAPI read_last_error(LPVOID arg)
{
    DWORD *out = arg;

    out[0] = (DWORD)WSAGetLastError();
    out[1] = GetLastError();
    return 0;
}

TEST(a11_new_thread_starts_with_last_error_0)
{
    DWORD seen[2] = {0xFFFFFFFF, 0xFFFFFFFF};
    HANDLE t;

    WSASetLastError(12345);
    t = harness_thread(read_last_error, seen);
    CHECK_EQ(WaitForSingleObject(t, 2000), WAIT_OBJECT_0);
    CloseHandle(t);
    CHECK_EQ(seen[0], 0);
    CHECK_EQ(seen[1], 0);
}
