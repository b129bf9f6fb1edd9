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

#include "core/cancel.h"
#include "core/socket.h"
#include "sync/waitable.h"

static SOCKET client, server;

static void make_pair(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int len = sizeof(a);
    SOCKET l = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);

    UCHECK(l != INVALID_SOCKET);
    UCHECK(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0);
    UCHECK(listen(l, 1) == 0);
    UCHECK(getsockname(l, (struct sockaddr *)&a, &len) == 0);
    client = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    UCHECK(client != INVALID_SOCKET);
    UCHECK(connect(client, (struct sockaddr *)&a, sizeof(a)) == 0);
    server = accept(l, NULL, NULL);
    UCHECK(server != INVALID_SOCKET);
    closesocket(l);
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
    UCHECK(WSARecv(client, &r->buf, 1, NULL, &flags, &r->ov, NULL) == SOCKET_ERROR);
    UCHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
}

static int cancel(SOCKET s, LPWSAOVERLAPPED ov, int32_t tid)
{
    struct wsaio_cancel_match m = {.ov = ov, .tid = tid, .deliver = true};
    struct wsaio_socket *sk = wsaio_socket_ref(s);
    int n;

    UCHECK(sk);
    n = wsaio_cancel(sk, &m);
    wsaio_socket_put(sk);
    return n;
}

/* Waits for r; returns its error (0: success) and checks the byte when it succeeded. */
static int finish(struct rx *r, char want)
{
    DWORD bytes = 99, flags = 0;
    int err = 0;

    UCHECK_EQ(WSAWaitForMultipleEvents(1, &r->ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    if (!WSAGetOverlappedResult(client, &r->ov, &bytes, FALSE, &flags))
        err = WSAGetLastError();
    else {
        UCHECK_EQ(bytes, 1);
        UCHECK_EQ(r->byte, want);
    }
    /* Delivered once: the event is not set again. */
    WSAResetEvent(r->ov.hEvent);
    UCHECK_EQ(WSAWaitForMultipleEvents(1, &r->ov.hEvent, FALSE, 20, FALSE), WSA_WAIT_TIMEOUT);
    WSACloseEvent(r->ov.hEvent);
    return err;
}

static void send_byte(char c)
{
    UCHECK_EQ(send(server, &c, 1, 0), 1);
}

static void cancel_one_of_several(void)
{
    struct rx r[3];

    for (int i = 0; i < 3; i++)
        post_recv(&r[i]);
    UCHECK_EQ(cancel(client, &r[1].ov, 0), 1);
    UCHECK_EQ(finish(&r[1], 0), WSA_OPERATION_ABORTED);
    UCHECK_EQ(cancel(client, &r[1].ov, 0), 0); /* gone: not found */
    send_byte('a');
    send_byte('b');
    UCHECK_EQ(finish(&r[0], 'a'), 0);
    UCHECK_EQ(finish(&r[2], 'b'), 0);
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
    UCHECK(t);
    UCHECK_EQ(WaitForSingleObject(t, 5000), WAIT_OBJECT_0);
    CloseHandle(t);
    UCHECK_EQ(cancel(client, NULL, other_tid), 1);
    UCHECK_EQ(finish(&other_rx, 0), WSA_OPERATION_ABORTED);
    send_byte('c');
    UCHECK_EQ(finish(&mine, 'c'), 0);
}

static void cancel_in_kernel(void)
{
    struct rx r;

    post_recv(&r); /* alone: the head, handed to the backend */
    UCHECK_EQ(cancel(client, &r.ov, 0), 1);
    UCHECK_EQ(finish(&r, 0), WSA_OPERATION_ABORTED);
    post_recv(&r); /* the socket stays usable */
    send_byte('d');
    UCHECK_EQ(finish(&r, 'd'), 0);
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
    UCHECK_EQ(cancel(client, &ov, 0), 1);
    UCHECK_EQ(WSAWaitForMultipleEvents(1, &ov.hEvent, FALSE, 5000, FALSE), WSA_WAIT_EVENT_0);
    UCHECK(!WSAGetOverlappedResult(client, &ov, &bytes, FALSE, &flags));
    UCHECK_EQ(WSAGetLastError(), WSA_OPERATION_ABORTED);
    UCHECK_EQ(cancel(client, &ov, 0), 0);
    WSACloseEvent(ov.hEvent);
}

int main(void)
{
    WSADATA d;

    UCHECK(WSAStartup(MAKEWORD(2, 2), &d) == 0);
    make_pair();
    cancel_one_of_several();
    cancel_one_thread();
    cancel_in_kernel();
    cancel_change_request();
    closesocket(client);
    closesocket(server);
    WSACleanup();
    printf("cancel_paths: ok\n");
    return 0;
}
