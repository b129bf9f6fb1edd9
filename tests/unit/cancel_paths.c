/*
 * cancel_paths.c - the one cancel path (core/cancel.h), through its internal entry point:
 * one pending receive among several by its OVERLAPPED (the others still complete, with
 * the data, in order), the operations of one thread only, a pending address-change
 * request, and an operation in the kernel whose socket stays open (a new receive works
 * after it). Each operation is delivered once (loop.c asserts it too).
 */
#include <netinet/in.h>
#include <sys/socket.h>

#include "unit.h"

#include "unit_cancel.h"
#include "sync/waitable.h"

static SOCKET client, server;

static void make_pair(void)
{
    harness_tcp_pair(&client, &server);
}

struct rx {
    WSAOVERLAPPED ov;
    char byte;
    WSABUF buf;
};

static void post_recv(struct rx *r)
{
    DWORD flags = 0;

    memset(&r->ov, 0, sizeof(r->ov));
    r->ov.hEvent = WSACreateEvent();
    r->byte = 0;
    r->buf.len = 1;
    r->buf.buf = &r->byte;
    CHECK(WSARecv(client, &r->buf, 1, NULL, &flags, &r->ov, NULL) == SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
}

/* Waits for r; returns its error (0: success) and checks the byte when it succeeded. */
static int finish(struct rx *r, char want)
{
    DWORD bytes = 99, flags = 0;
    int err = 0;

    CHECK_EQ(WSAWaitForMultipleEvents(1, &r->ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    if (!WSAGetOverlappedResult(client, &r->ov, &bytes, FALSE, &flags))
        err = WSAGetLastError();
    else {
        CHECK_EQ(bytes, 1);
        CHECK_EQ(r->byte, want);
    }
    /* Delivered once: the event is not set again. */
    WSAResetEvent(r->ov.hEvent);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &r->ov.hEvent, FALSE, 20, FALSE), WSA_WAIT_TIMEOUT);
    WSACloseEvent(r->ov.hEvent);
    return err;
}

static void send_byte(char c)
{
    CHECK_EQ(send(server, &c, 1, 0), 1);
}

static void cancel_one_of_several(void)
{
    struct rx r[3];

    for (int i = 0; i < 3; i++)
        post_recv(&r[i]);
    CHECK_EQ(unit_cancel(client, &r[1].ov, 0), 1);
    CHECK_EQ(finish(&r[1], 0), WSA_OPERATION_ABORTED);
    CHECK_EQ(unit_cancel(client, &r[1].ov, 0), 0); /* gone: not found */
    send_byte('a');
    send_byte('b');
    CHECK_EQ(finish(&r[0], 'a'), 0);
    CHECK_EQ(finish(&r[2], 'b'), 0);
}

static struct rx other_rx;
static _Atomic int32_t other_tid;

static DWORD WINAPI other_thread(void *arg)
{
    (void)arg;
    post_recv(&other_rx);
    other_tid = wsaio_self_tid();
    return 0;
}

static void cancel_one_thread(void)
{
    struct rx mine;
    HANDLE t;

    post_recv(&mine);
    t = CreateThread(NULL, 0, other_thread, NULL, 0, NULL);
    CHECK(t);
    CHECK_EQ(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    CloseHandle(t);
    CHECK_EQ(unit_cancel(client, NULL, other_tid), 1);
    CHECK_EQ(finish(&other_rx, 0), WSA_OPERATION_ABORTED);
    send_byte('c');
    CHECK_EQ(finish(&mine, 'c'), 0);
}

static void cancel_in_kernel(void)
{
    struct rx r;

    post_recv(&r); /* alone: the head, handed to the backend */
    CHECK_EQ(unit_cancel(client, &r.ov, 0), 1);
    CHECK_EQ(finish(&r, 0), WSA_OPERATION_ABORTED);
    post_recv(&r); /* the socket stays usable */
    send_byte('d');
    CHECK_EQ(finish(&r, 'd'), 0);
}

static void cancel_change_request(void)
{
    WSAOVERLAPPED ov;
    DWORD bytes = 0, flags = 0;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    if (WSAIoctl(client, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &bytes, &ov, NULL) == 0 ||
        WSAGetLastError() != WSA_IO_PENDING) {
        printf("address-change request not available (%d): case skipped\n", WSAGetLastError());
        WSACloseEvent(ov.hEvent);
        return;
    }
    CHECK_EQ(unit_cancel(client, &ov, 0), 1);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    CHECK(!WSAGetOverlappedResult(client, &ov, &bytes, FALSE, &flags));
    CHECK_EQ(WSAGetLastError(), WSA_OPERATION_ABORTED);
    CHECK_EQ(unit_cancel(client, &ov, 0), 0);
    WSACloseEvent(ov.hEvent);
}

TEST(cancel_paths)
{
    harness_startup();
    make_pair();
    cancel_one_of_several();
    cancel_one_thread();
    cancel_in_kernel();
    cancel_change_request();
    closesocket(client);
    closesocket(server);
    WSACleanup();
    printf("cancel_paths: ok\n");
}
