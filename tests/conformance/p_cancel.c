/*
 * p_cancel.c - CancelIoEx and CancelIo on sockets (spec/conformance.md section P, api.md
 * 4.22).
 *
 * CancelIoEx(s, &ov) asks the operation issued with ov on s to stop; CancelIoEx(s, NULL)
 * asks every overlapped operation pending on s, whichever thread issued it. It returns TRUE
 * when it found one, else FALSE with ERROR_NOT_FOUND; it does not wait. A cancelled
 * operation completes through its normal indication with STATUS_CANCELLED and 0 bytes.
 * CancelIo(s) asks only the operations the calling thread issued, and returns TRUE even when
 * there were none. An AcceptEx belongs to the listening socket, not to its accept socket.
 *
 * Items: 267-273.
 */
#include "harness.h"

#include <mswsock.h>

/* The operation of ov ended cancelled: FALSE, WSA_OPERATION_ABORTED, 0 bytes. */
static void check_aborted(SOCKET s, WSAOVERLAPPED *ov)
{
    DWORD n = 0xDEADBEEF, flags = 0;

    CHECK(!WSAGetOverlappedResult(s, ov, &n, FALSE, &flags));
    CHECK_ERR(WSA_OPERATION_ABORTED);
    CHECK_EQ(n, 0);
    CHECK_STATUS(ov, STATUS_CANCELLED);
}

TEST(p267_nothing_pending_not_found)
{
    SOCKET a, b;

    harness_startup();
    harness_tcp_pair(&a, &b);
    SetLastError(0xDEADBEEF);
    CHECK(!CancelIoEx((HANDLE)a, NULL));
    CHECK_EQ(GetLastError(), ERROR_NOT_FOUND);
    closesocket(a);
    closesocket(b);
}

TEST(p268_cancel_one_of_two_receives)
{
    SOCKET a, b;
    WSAOVERLAPPED ov1, ov2;
    char buf1[8], buf2[8];
    DWORD n = 0, flags = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov1, TRUE);
    harness_ov_init(&ov2, TRUE);
    harness_recv_pending(a, &ov1, buf1, sizeof(buf1), NULL);
    harness_recv_pending(a, &ov2, buf2, sizeof(buf2), NULL);
    CHECK(CancelIoEx((HANDLE)a, &ov1));
    CHECK(harness_signalled(ov1.hEvent, 2000));
    check_aborted(a, &ov1);
    /* ov2 is untouched: still pending, and it is the one that gets the data. */
    CHECK(!harness_signalled(ov2.hEvent, 100));
    CHECK(!HasOverlappedIoCompleted(&ov2));
    harness_send_all(b, "data", 4);
    CHECK(harness_signalled(ov2.hEvent, 2000));
    CHECK(WSAGetOverlappedResult(a, &ov2, &n, FALSE, &flags));
    CHECK_EQ(n, 4);
    CHECK(memcmp(buf2, "data", 4) == 0);
    WSACloseEvent(ov1.hEvent);
    WSACloseEvent(ov2.hEvent);
    closesocket(a);
    closesocket(b);
}

/* Thread A of items 269 and 270: issues receives on s, then waits (a thread that exits may
 * take its operations with it on old systems); in item 270 it cancels its own on request. */
struct issuer {
    SOCKET s;
    int count;
    WSAOVERLAPPED ov[2];
    char buf[2][8];
    HANDLE issued, go, cancelled;
    BOOL cancel_rc;
};

static DWORD WINAPI issuer_main(LPVOID arg)
{
    struct issuer *is = arg;
    int i;

    for (i = 0; i < is->count; i++)
        harness_recv_pending(is->s, &is->ov[i], is->buf[i], sizeof(is->buf[i]), NULL);
    SetEvent(is->issued);
    CHECK_EQ(WaitForSingleObject(is->go, 5000), WAIT_OBJECT_0);
    if (is->cancelled) {
        is->cancel_rc = CancelIo((HANDLE)is->s);
        SetEvent(is->cancelled);
    }
    return 0;
}

static HANDLE issuer_start(struct issuer *is, SOCKET s, int count, BOOL with_event)
{
    HANDLE t;
    int i;

    is->s = s;
    is->count = count;
    for (i = 0; i < count; i++)
        harness_ov_init(&is->ov[i], with_event);
    is->issued = CreateEventA(NULL, TRUE, FALSE, NULL);
    is->go = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(is->issued != NULL && is->go != NULL);
    t = harness_thread(issuer_main, is);
    CHECK_EQ(WaitForSingleObject(is->issued, 5000), WAIT_OBJECT_0);
    return t;
}

TEST(p269_other_thread_cancels_all_through_port)
{
    SOCKET a, b;
    struct issuer is = {0};
    HANDLE port, t;
    DWORD n;
    ULONG_PTR key;
    LPOVERLAPPED o, seen[2];
    int i;

    harness_startup();
    harness_tcp_pair(&a, &b);
    port = CreateIoCompletionPort((HANDLE)a, NULL, 77, 0);
    CHECK(port != NULL);
    t = issuer_start(&is, a, 2, FALSE);
    CHECK(CancelIoEx((HANDLE)a, NULL));
    for (i = 0; i < 2; i++) {
        n = 0xDEADBEEF;
        key = 0;
        o = NULL;
        SetLastError(0);
        CHECK(!GetQueuedCompletionStatus(port, &n, &key, &o, 2000));
        CHECK_EQ(GetLastError(), ERROR_OPERATION_ABORTED);
        CHECK(o == &is.ov[0] || o == &is.ov[1]);
        CHECK_EQ(n, 0);
        CHECK_EQ(key, 77);
        CHECK_STATUS(o, STATUS_CANCELLED);
        seen[i] = o;
    }
    CHECK(seen[0] != seen[1]);
    SetEvent(is.go);
    harness_join(t);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}

TEST(p270_cancelio_only_calling_thread)
{
    SOCKET a, b;
    struct issuer is = {0};
    HANDLE t;

    harness_startup();
    harness_tcp_pair(&a, &b);
    is.cancelled = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(is.cancelled != NULL);
    t = issuer_start(&is, a, 1, TRUE);
    /* This thread issued nothing on a: TRUE, and A's receive goes on. */
    CHECK(CancelIo((HANDLE)a));
    CHECK(!harness_signalled(is.ov[0].hEvent, 200));
    CHECK(!HasOverlappedIoCompleted(&is.ov[0]));
    SetEvent(is.go);
    CHECK_EQ(WaitForSingleObject(is.cancelled, 5000), WAIT_OBJECT_0);
    CHECK(is.cancel_rc);
    CHECK(harness_signalled(is.ov[0].hEvent, 2000));
    check_aborted(a, &is.ov[0]);
    harness_join(t);
    WSACloseEvent(is.ov[0].hEvent);
    closesocket(a);
    closesocket(b);
}

TEST(p271_overlapped_not_in_use_not_found)
{
    SOCKET a, b;
    WSAOVERLAPPED pending, other, done;
    char buf[8], buf2[8];
    WSABUF wb = {sizeof(buf2), buf2};
    DWORD n = 0, flags = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    /* One that already completed... */
    harness_send_all(b, "x", 1);
    Sleep(50);
    harness_ov_init(&done, TRUE);
    if (WSARecv(a, &wb, 1, &n, &flags, &done, NULL) != 0)
        CHECK_ERR(WSA_IO_PENDING);
    CHECK(harness_signalled(done.hEvent, 2000));
    /* ...one never used, while another receive is pending on a. */
    harness_ov_init(&pending, TRUE);
    harness_ov_init(&other, FALSE);
    harness_recv_pending(a, &pending, buf, sizeof(buf), NULL);
    SetLastError(0);
    CHECK(!CancelIoEx((HANDLE)a, &other));
    CHECK_EQ(GetLastError(), ERROR_NOT_FOUND);
    SetLastError(0);
    CHECK(!CancelIoEx((HANDLE)a, &done));
    CHECK_EQ(GetLastError(), ERROR_NOT_FOUND);
    CHECK(!harness_signalled(pending.hEvent, 100));
    CHECK(!HasOverlappedIoCompleted(&pending));
    closesocket(a);
    harness_signalled(pending.hEvent, 2000);
    WSACloseEvent(pending.hEvent);
    WSACloseEvent(done.hEvent);
    closesocket(b);
}

TEST(p272_acceptex_belongs_to_listener)
{
    GUID guid = WSAID_ACCEPTEX;
    LPFN_ACCEPTEX accept_ex = NULL;
    struct sockaddr_in addr = harness_loopback4(0);
    char out[2 * (sizeof(struct sockaddr_in) + 16)];
    DWORD bytes = 0, n = 0xDEADBEEF;
    WSAOVERLAPPED ov;
    SOCKET l, acc;

    harness_startup();
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    acc = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(l != INVALID_SOCKET && acc != INVALID_SOCKET);
    WSASetLastError(0);
    if (WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &accept_ex,
                 sizeof(accept_ex), &bytes, NULL, NULL) != 0) {
        /* Windows always provides it; an implementation without AcceptEx cannot run this. */
        CHECK_ERR(WSAEOPNOTSUPP);
        SKIP("AcceptEx is not provided (SIO_GET_EXTENSION_FUNCTION_POINTER: WSAEOPNOTSUPP)");
    }
    CHECK(accept_ex != NULL);
    CHECK_EQ(bind(l, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CHECK_EQ(listen(l, 4), 0);
    harness_ov_init(&ov, TRUE);
    CHECK(!accept_ex(l, acc, out, 0, sizeof(out) / 2, sizeof(out) / 2, &bytes, &ov));
    CHECK_ERR(ERROR_IO_PENDING);
    SetLastError(0);
    CHECK(!CancelIoEx((HANDLE)acc, &ov));
    CHECK_EQ(GetLastError(), ERROR_NOT_FOUND);
    CHECK(!harness_signalled(ov.hEvent, 100));
    CHECK(CancelIoEx((HANDLE)l, &ov));
    CHECK(harness_signalled(ov.hEvent, 2000));
    SetLastError(0);
    CHECK(!GetOverlappedResult((HANDLE)l, &ov, &n, FALSE));
    CHECK_EQ(GetLastError(), ERROR_OPERATION_ABORTED);
    CHECK_EQ(n, 0);
    WSACloseEvent(ov.hEvent);
    closesocket(acc);
    closesocket(l);
}

TEST(p273_invalid_handle)
{
    harness_startup();
    SetLastError(0);
    CHECK(!CancelIoEx((HANDLE)(ULONG_PTR)0xdead, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}
