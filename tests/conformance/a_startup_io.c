/*
 * a_startup_io.c - conformance section A, the items that need socket I/O.
 *
 * What Windows does: the WSACleanup that brings the startup count to 0 cancels every pending
 * overlapped operation of the process: its OVERLAPPED.Internal becomes STATUS_CANCELLED, and,
 * as documented, its event is not signalled (item A.9, a SHOULD). Since Windows 10 1809 the
 * send/receive/ioctl family sets the last error to 0 when it succeeds, so a value the program
 * left in the slot (here 0xDEADBEEF) does not survive a successful WSASend, WSARecv or
 * WSAIoctl(FIONBIO) (item A.12; Wine's sock.c measures it on Windows).
 *
 * Covers conformance items A.9 and A.12. They use overlapped WSARecv/WSASend, which come with
 * wsaio's overlapped engine; the rest of section A is in a_startup.c.
 */
#include "harness.h"

#ifndef STATUS_CANCELLED
#define STATUS_CANCELLED ((DWORD)0xC0000120)
#endif

/* A datagram from a is readable on b (waits up to 1 s). */
static void send_and_wait_readable(SOCKET a, SOCKET b)
{
    fd_set rd;
    struct timeval tv = {1, 0};

    CHECK_EQ(send(a, "ping", 4, 0), 4);
    FD_ZERO(&rd);
    FD_SET(b, &rd);
    CHECK_EQ(select(0, &rd, NULL, NULL, &tv), 1);
}

TEST(a9_last_cleanup_cancels_pending_recv_without_event)
{
    static char buf[64];
    static WSAOVERLAPPED ov;
    WSABUF wb = {sizeof(buf), buf};
    DWORD flags = 0;
    SOCKET a, b;
    WSAEVENT ev;

    harness_startup();
    harness_udp_pair(&a, &b);
    ev = WSACreateEvent();
    CHECK(ev != WSA_INVALID_EVENT);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = ev;
    CHECK_EQ(WSARecv(b, &wb, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSA_IO_PENDING);
    CHECK_EQ(WSACleanup(), 0);
    /* The event must stay non-signalled; the wait also gives the cancellation time. */
    SOFT_CHECK(WSAWaitForMultipleEvents(1, &ev, FALSE, 200, FALSE) == WSA_WAIT_TIMEOUT);
    if ((DWORD)ov.Internal != (DWORD)STATUS_CANCELLED)
        harness_soft_fail(__FILE__, __LINE__, "OVERLAPPED.Internal is 0x%lx, expected 0x%lx",
                          (unsigned long)ov.Internal, (unsigned long)(DWORD)STATUS_CANCELLED);
    CHECK(WSACloseEvent(ev));
}

TEST(a12_wsasend_success_clears_last_error)
{
    WSABUF wb = {4, (char *)"ping"};
    DWORD sent = 0;
    SOCKET a, b;

    harness_startup();
    harness_udp_pair(&a, &b);
    WSASetLastError((int)0xDEADBEEF);
    CHECK_EQ(WSASend(a, &wb, 1, &sent, 0, NULL, NULL), 0);
    CHECK_EQ(sent, 4);
    CHECK_ERR(0);
}

TEST(a12_wsasend_overlapped_immediate_success_clears_last_error)
{
    WSABUF wb = {4, (char *)"ping"};
    WSAOVERLAPPED ov;
    DWORD sent = 0;
    SOCKET a, b;

    harness_startup();
    harness_udp_pair(&a, &b);
    memset(&ov, 0, sizeof(ov));
    WSASetLastError((int)0xDEADBEEF);
    CHECK_EQ(WSASend(a, &wb, 1, &sent, 0, &ov, NULL), 0);
    CHECK_ERR(0);
}

TEST(a12_wsarecv_success_clears_last_error)
{
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    DWORD got = 0, flags = 0;
    SOCKET a, b;

    harness_startup();
    harness_udp_pair(&a, &b);
    send_and_wait_readable(a, b);
    WSASetLastError((int)0xDEADBEEF);
    CHECK_EQ(WSARecv(b, &wb, 1, &got, &flags, NULL, NULL), 0);
    CHECK_EQ(got, 4);
    CHECK_ERR(0);
}

TEST(a12_wsarecv_overlapped_immediate_success_clears_last_error)
{
    char buf[16];
    WSABUF wb = {sizeof(buf), buf};
    WSAOVERLAPPED ov;
    DWORD got = 0, flags = 0;
    SOCKET a, b;

    harness_startup();
    harness_udp_pair(&a, &b);
    send_and_wait_readable(a, b);
    memset(&ov, 0, sizeof(ov));
    WSASetLastError((int)0xDEADBEEF);
    CHECK_EQ(WSARecv(b, &wb, 1, &got, &flags, &ov, NULL), 0);
    CHECK_ERR(0);
}

TEST(a12_wsaioctl_fionbio_success_clears_last_error)
{
    u_long on = 1;
    DWORD ret = 0;
    SOCKET a, b;

    harness_startup();
    harness_udp_pair(&a, &b);
    WSASetLastError((int)0xDEADBEEF);
    CHECK_EQ(WSAIoctl(a, FIONBIO, &on, sizeof(on), NULL, 0, &ret, NULL, NULL), 0);
    CHECK_ERR(0);
}
