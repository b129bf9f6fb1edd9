/*
 * j_ioctl_basic.c - WSAIoctl FIONBIO, FIONREAD, SIOCATMARK and unsupported codes
 * (spec/conformance.md section J items 137-151, api.md 4.10.1-4.10.5).
 *
 * Windows requires lpcbBytesReturned even for an overlapped call, checks the buffers of
 * each code (too small: WSAEFAULT, nothing written), refuses to make a socket blocking
 * while WSAEventSelect is in force, reports the whole queued byte count for FIONREAD and
 * the Winsock meaning of SIOCATMARK (TRUE when no urgent data waits). Codes that finish at
 * once still deliver a completion indication with 0 bytes when overlapped. Unknown codes
 * give WSAEOPNOTSUPP with *lpcbBytesReturned 0.
 *
 * Items: 137-146, 148, 149, 151, 153 (without its port), and the rules of api.md 4.10.6.
 * Left for the completion-port issue: 147 and 150 ([D], need a completion port).
 */
#include "harness.h"

#include <mswsock.h>

static void ioctl_fails(SOCKET s, DWORD code, void *in, DWORD inlen, void *out, DWORD outlen,
                        LPDWORD ret, int err)
{
    WSASetLastError(0);
    CHECK_EQ(WSAIoctl(s, code, in, inlen, out, outlen, ret, NULL, NULL), SOCKET_ERROR);
    CHECK_ERR(err);
}

TEST(j137_fionbio_null_bytes_returned_efault)
{
    SOCKET s;
    u_long one = 1;

    harness_startup();
    s = harness_udp_socket(TRUE);
    ioctl_fails(s, FIONBIO, &one, sizeof(one), NULL, 0, NULL, WSAEFAULT);
    closesocket(s);
}

TEST(j138_overlapped_fionbio_null_bytes_returned_efault)
{
    SOCKET s;
    u_long one = 1;
    WSAOVERLAPPED ov;

    harness_startup();
    s = harness_udp_socket(TRUE);
    harness_ov_init(&ov, TRUE);
    WSASetLastError(0);
    CHECK_EQ(WSAIoctl(s, FIONBIO, &one, sizeof(one), NULL, 0, NULL, &ov, NULL), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    CHECK(!harness_signalled(ov.hEvent, 50));
    WSACloseEvent(ov.hEvent);
    closesocket(s);
}

TEST(j139_fionbio_bad_input_efault)
{
    SOCKET s;
    u_long one = 1;
    DWORD ret;

    harness_startup();
    s = harness_udp_socket(TRUE);
    ioctl_fails(s, FIONBIO, NULL, sizeof(one), NULL, 0, &ret, WSAEFAULT);
    ioctl_fails(s, FIONBIO, &one, 3, NULL, 0, &ret, WSAEFAULT);
    closesocket(s);
}

/* Which pointer of WSAIoctl gets a value no program can own. */
enum ioctl_arg { IOCTL_RETURNED, IOCTL_IN, IOCTL_OUT };

/* FIONBIO (input) or FIONREAD (output) with that bad pointer: WSAEFAULT (api.md 4.10.1),
 * the byte count untouched. */
static void ioctl_bad_pointer_efault(DWORD code, enum ioctl_arg arg)
{
    SOCKET s;
    u_long v = 1;
    DWORD ret = 0xDEADBEEF;

    harness_startup();
    s = harness_udp_socket(TRUE);
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        void *bad = harness_bad_ptr[i];

        ioctl_fails(s, code, code == FIONBIO ? (arg == IOCTL_IN ? bad : &v) : NULL,
                    code == FIONBIO ? sizeof(v) : 0,
                    code == FIONBIO ? NULL : (arg == IOCTL_OUT ? bad : &v),
                    code == FIONBIO ? 0 : sizeof(v), arg == IOCTL_RETURNED ? bad : &ret, WSAEFAULT);
        CHECK_EQ(ret, 0xDEADBEEF);
    }
    closesocket(s);
}

TEST(j137_bad_bytes_returned_pointer_efault)
{
    HARNESS_WINE_CRASHES("WSAIoctl with a bad lpcbBytesReturned");
    ioctl_bad_pointer_efault(FIONBIO, IOCTL_RETURNED);
}

TEST(j139_fionbio_bad_input_pointer_efault)
{
    ioctl_bad_pointer_efault(FIONBIO, IOCTL_IN);
}

TEST(j143_fionread_bad_output_pointer_efault)
{
    ioctl_bad_pointer_efault(FIONREAD, IOCTL_OUT);
}

TEST(j_api4_10_bad_overlapped_pointer_efault)
{
    SOCKET s;
    u_long v = 0;
    DWORD ret = 0xDEADBEEF;

    HARNESS_WINE_CRASHES("WSAIoctl with a bad lpOverlapped");
    harness_startup();
    s = harness_udp_socket(TRUE);
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        WSASetLastError(0);
        CHECK_EQ(WSAIoctl(s, FIONREAD, NULL, 0, &v, sizeof(v), &ret, harness_bad_ptr[i], NULL),
                 SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
    }
    closesocket(s);
}

TEST(j140_fionbio_makes_socket_nonblocking)
{
    SOCKET a, b;
    unsigned long long one = 1; /* 8 bytes: a larger cbInBuffer is fine */
    DWORD ret = 0xDEADBEEF;
    char buf[4];

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(WSAIoctl(a, FIONBIO, &one, 8, NULL, 0, &ret, NULL, NULL), 0);
    CHECK_EQ(ret, 0);
    WSASetLastError(0);
    CHECK_EQ(recv(a, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAEWOULDBLOCK);
    closesocket(a);
    closesocket(b);
}

TEST(j141_fionbio_blocking_refused_under_eventselect)
{
    SOCKET s;
    WSAEVENT e;
    u_long zero = 0;
    DWORD ret;

    harness_startup();
    s = harness_udp_socket(TRUE);
    e = WSACreateEvent();
    CHECK_EQ(WSAEventSelect(s, e, FD_READ), 0);
    ioctl_fails(s, FIONBIO, &zero, sizeof(zero), NULL, 0, &ret, WSAEINVAL);
    CHECK_EQ(WSAEventSelect(s, NULL, 0), 0);
    CHECK_EQ(WSAIoctl(s, FIONBIO, &zero, sizeof(zero), NULL, 0, &ret, NULL, NULL), 0);
    WSACloseEvent(e);
    closesocket(s);
}

TEST(j142_fionread_counts_stream_bytes)
{
    SOCKET a, b;
    u_long v = 0;
    DWORD ret = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(b, "12345", 5);
    harness_wait_queued(a, 5);
    CHECK_EQ(WSAIoctl(a, FIONREAD, NULL, 0, &v, sizeof(v), &ret, NULL, NULL), 0);
    CHECK_EQ(v, 5);
    CHECK_EQ(ret, 4);
    closesocket(a);
    closesocket(b);
}

TEST(j143_fionread_bad_output_efault)
{
    SOCKET s;
    u_long v;
    DWORD ret = 0xDEADBEEF;

    harness_startup();
    s = harness_udp_socket(TRUE);
    ioctl_fails(s, FIONREAD, NULL, 0, &v, 3, &ret, WSAEFAULT);
    CHECK_EQ(ret, 0xDEADBEEF);
    ioctl_fails(s, FIONREAD, NULL, 0, NULL, sizeof(v), &ret, WSAEFAULT);
    CHECK_EQ(ret, 0xDEADBEEF);
    closesocket(s);
}

TEST(j144_fionread_udp_counts_queued_datagrams)
{
    SOCKET a, b;
    u_long v = 0;
    DWORD ret = 0;

    harness_startup();
    harness_udp_pair(&a, &b);
    CHECK_EQ(send(b, "12345", 5, 0), 5);
    CHECK_EQ(send(b, "1234567", 7, 0), 7);
    Sleep(50); /* both datagrams queued: what FIONREAD says is the check itself */
    CHECK_EQ(WSAIoctl(a, FIONREAD, NULL, 0, &v, sizeof(v), &ret, NULL, NULL), 0);
    CHECK(v >= 5);
    SOFT_CHECK(v == 12);
    closesocket(a);
    closesocket(b);
}

TEST(j145_siocatmark_true_without_urgent_data)
{
    SOCKET a, b;
    u_long v = 0;
    DWORD ret = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(WSAIoctl(a, SIOCATMARK, NULL, 0, &v, sizeof(v), &ret, NULL, NULL), 0);
    CHECK(v != 0);
    CHECK_EQ(ret, 4);
    ioctl_fails(a, SIOCATMARK, NULL, 0, &v, 3, &ret, WSAEFAULT);
    closesocket(a);
    closesocket(b);
}

TEST(j146_siocatmark_false_with_urgent_inline)
{
    SOCKET a, b;
    u_long v = 1;
    DWORD ret = 0;
    int one = 1;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(setsockopt(a, SOL_SOCKET, SO_OOBINLINE, (const char *)&one, sizeof(one)), 0);
    harness_send_all(b, "ab", 2);
    CHECK_EQ(send(b, "u", 1, MSG_OOB), 1);
    Sleep(100); /* the urgent byte: its mark is what the case checks, no portable wait sees it */
    CHECK_EQ(WSAIoctl(a, SIOCATMARK, NULL, 0, &v, sizeof(v), &ret, NULL, NULL), 0);
    CHECK_EQ(v, 0);
    closesocket(a);
    closesocket(b);
}

static int fionbio_calls;
static DWORD fionbio_err = 0xDEADBEEF, fionbio_cb = 0xDEADBEEF;

static void CALLBACK fionbio_routine(DWORD err, DWORD cb, LPWSAOVERLAPPED ov, DWORD fl)
{
    (void)ov;
    (void)fl;
    fionbio_calls++;
    fionbio_err = err;
    fionbio_cb = cb;
}

TEST(j148_overlapped_fionbio_routine_zero_bytes)
{
    SOCKET s;
    u_long one = 1;
    DWORD ret = 0;
    WSAOVERLAPPED ov;

    harness_startup();
    s = harness_udp_socket(TRUE);
    harness_ov_init(&ov, FALSE);
    CHECK_EQ(WSAIoctl(s, FIONBIO, &one, sizeof(one), NULL, 0, &ret, &ov, fionbio_routine), 0);
    CHECK_EQ(fionbio_calls, 0);
    CHECK_EQ(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(fionbio_calls, 1);
    CHECK_EQ(fionbio_err, 0);
    CHECK_EQ(fionbio_cb, 0);
    closesocket(s);
}

TEST(j149_unknown_code_eopnotsupp)
{
    SOCKET s;
    DWORD ret = 0xDEADBEEF;

    harness_startup();
    s = harness_udp_socket(TRUE);
    ioctl_fails(s, 0xDEADBEEF, NULL, 0, NULL, 0, &ret, WSAEOPNOTSUPP);
    CHECK_EQ(ret, 0);
    closesocket(s);
}

TEST(j151_fioasync_sio_flush_eopnotsupp)
{
    SOCKET s;
    u_long one = 1;
    DWORD ret;

    harness_startup();
    s = harness_udp_socket(TRUE);
    ioctl_fails(s, FIOASYNC, &one, sizeof(one), NULL, 0, &ret, WSAEOPNOTSUPP);
    ioctl_fails(s, SIO_FLUSH, NULL, 0, NULL, 0, &ret, WSAEOPNOTSUPP);
    closesocket(s);
}

/* ---- SIO_GET_EXTENSION_FUNCTION_POINTER (api.md 4.10.6) ------------------------------- */

static const GUID j_accept_ex_guid = WSAID_ACCEPTEX;

TEST(j153_extension_unknown_guid_einval_untouched)
{
    GUID unknown = {0x12345678, 0x1234, 0x5678, {1, 2, 3, 4, 5, 6, 7, 8}};
    void *fn = (void *)(ULONG_PTR)0x1234;
    DWORD ret = 0xDEADBEEF;
    WSAOVERLAPPED ov;
    SOCKET s;

    harness_startup();
    s = harness_udp_socket(TRUE);
    ioctl_fails(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &unknown, sizeof(unknown), &fn, sizeof(fn),
                &ret, WSAEINVAL);
    CHECK(fn == (void *)(ULONG_PTR)0x1234);
    CHECK_EQ(ret, 0xDEADBEEF);
    harness_ov_init(&ov, TRUE);
    WSASetLastError(0);
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &unknown, sizeof(unknown), &fn,
                      sizeof(fn), &ret, &ov, NULL),
             SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    CHECK(fn == (void *)(ULONG_PTR)0x1234);
    CHECK_EQ(ret, 0xDEADBEEF);
    CHECK(!harness_signalled(ov.hEvent, 50));
    WSACloseEvent(ov.hEvent);
    closesocket(s);
}

TEST(j_api4_10_6_extension_pointer_written)
{
    GUID id = j_accept_ex_guid;
    void *fn = NULL;
    DWORD ret = 0;
    SOCKET s;

    harness_startup();
    s = harness_udp_socket(TRUE); /* any socket of the library, TCP or UDP */
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), &fn, sizeof(fn), &ret,
                      NULL, NULL),
             0);
    CHECK(fn != NULL);
    CHECK_EQ(ret, sizeof(fn));
    closesocket(s);
}

TEST(j_api4_10_6_extension_small_output_efault)
{
    GUID id = j_accept_ex_guid;
    void *fn = NULL;
    DWORD ret;
    SOCKET s;

    harness_startup();
    s = harness_udp_socket(TRUE);
    ioctl_fails(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), &fn, sizeof(fn) - 1, &ret,
                WSAEFAULT);
    CHECK(fn == NULL);
    closesocket(s);
}

TEST(j_api4_10_6_extension_null_output_efault)
{
    GUID id = j_accept_ex_guid;
    DWORD ret;
    SOCKET s;

    HARNESS_WINE_CRASHES("SIO_GET_EXTENSION_FUNCTION_POINTER with a NULL output");
    harness_startup();
    s = harness_udp_socket(TRUE);
    ioctl_fails(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), NULL, sizeof(void *), &ret,
                WSAEFAULT);
    closesocket(s);
}
