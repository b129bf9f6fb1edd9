/*
 * pingpong_one_thread.c - one thread, two connected loopback TCP sockets, 64-byte messages
 * sent back and forth with WSASend + WSARecv(MSG_WAITALL) and event objects, waited for in
 * WSAWaitForMultipleEvents. No second thread: under callgrind the instruction count of
 * wsaio's wait, reap and delivery path is the same from run to run, so two builds compare.
 *
 *   valgrind --tool=callgrind build/gcc/bench/pingpong_one_thread [ROUND_TRIPS (20000)]
 */
#include <winsock2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG 64

static WSAEVENT send_done, recv_done;

static void die(const char *what)
{
    fprintf(stderr, "pingpong_one_thread: %s failed (WSAGetLastError %d)\n", what,
            WSAGetLastError());
    exit(1);
}

/* One message from `from` to `to`: the receive is posted first, both complete, then both
 * events are waited for and reset. */
static void hop(SOCKET from, SOCKET to, char *buf)
{
    WSAOVERLAPPED sov, rov;
    WSABUF sb = {MSG, buf}, rb = {MSG, buf + MSG};
    DWORD n, flags = MSG_WAITALL;

    memset(&sov, 0, sizeof(sov));
    memset(&rov, 0, sizeof(rov));
    sov.hEvent = send_done;
    rov.hEvent = recv_done;
    if (WSARecv(to, &rb, 1, NULL, &flags, &rov, NULL) && WSAGetLastError() != WSA_IO_PENDING)
        die("WSARecv");
    if (WSASend(from, &sb, 1, NULL, 0, &sov, NULL) && WSAGetLastError() != WSA_IO_PENDING)
        die("WSASend");
    if (WSAWaitForMultipleEvents(1, &recv_done, FALSE, WSA_INFINITE, FALSE) != WSA_WAIT_EVENT_0 ||
        WSAWaitForMultipleEvents(1, &send_done, FALSE, WSA_INFINITE, FALSE) != WSA_WAIT_EVENT_0)
        die("WSAWaitForMultipleEvents");
    if (!WSAGetOverlappedResult(to, &rov, &n, FALSE, &flags) || n != MSG)
        die("WSAGetOverlappedResult");
    WSAResetEvent(send_done);
    WSAResetEvent(recv_done);
}

int main(int argc, char **argv)
{
    long iters = argc > 1 ? atol(argv[1]) : 20000;
    struct sockaddr_in addr;
    int len = sizeof(addr);
    char buf[2 * MSG];
    SOCKET l, a, b;
    WSADATA wsa;

    if (WSAStartup(MAKEWORD(2, 2), &wsa))
        die("WSAStartup");
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l, (struct sockaddr *)&addr, sizeof(addr)) || listen(l, 4) ||
        getsockname(l, (struct sockaddr *)&addr, &len))
        die("listen");
    a = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (connect(a, (struct sockaddr *)&addr, sizeof(addr)))
        die("connect");
    b = accept(l, NULL, NULL);
    if (b == INVALID_SOCKET)
        die("accept");
    send_done = WSACreateEvent();
    recv_done = WSACreateEvent();
    memset(buf, 'p', sizeof(buf));
    for (long i = 0; i < iters; i++) {
        hop(a, b, buf);
        hop(b, a, buf);
    }
    printf("round trips: %ld\n", iters);
    WSACloseEvent(send_done);
    WSACloseEvent(recv_done);
    closesocket(a);
    closesocket(b);
    closesocket(l);
    WSACleanup();
    return 0;
}
