/*
 * iocp_post_pool.c - a completion-port worker pool, written the way Windows programs are
 * written: one _beginthreadex worker per processor (GetSystemInfo), all blocked in
 * GetQueuedCompletionStatus on one port, fed with PostQueuedCompletionStatus, and stopped by
 * one posted packet per worker (key 0). Built unchanged against wsaio (as C and as C++) and
 * with mingw-w64 for Wine.
 *
 * Besides the posted work items, one connected socket is associated with the port: a
 * worker that dequeues its receive packet checks the bytes and posts the next receive,
 * so socket packets and posted packets travel through the same workers.
 *
 * Exit status 0 when every work item ran exactly once, every socket message came through
 * the port intact, and every worker stopped on its stop packet.
 */
#include <WinSock2.h>
#include <WS2tcpip.h>
#include <Windows.h>
#include <process.h>
#include <stdio.h>
#include <string.h>

#define ITEMS       2000
#define MESSAGES    50
#define MAX_WORKERS 16
#define KEY_STOP    0
#define KEY_WORK    1
#define KEY_SOCKET  2

typedef struct _WORK_ITEM {
    LONG Runs;
    LONG Value;
} WORK_ITEM;

typedef struct _RECV_CONTEXT {
    WSAOVERLAPPED Overlapped; /* first: the packet's lpOverlapped is the context */
    SOCKET Socket;
    CHAR Buffer[64];
    WSABUF DataBuf;
} RECV_CONTEXT;

static HANDLE g_Port;
static WORK_ITEM g_Items[ITEMS];
static volatile LONG g_Sum;
static volatile LONG g_Messages;
static volatile LONG g_Errors;
static volatile LONG g_Stopped;
static RECV_CONTEXT g_Recv;
static HANDLE g_AllMessages;

/* Reads a counter the workers change (a full barrier, as any Interlocked call). */
#define READ_COUNTER(x) InterlockedCompareExchange(&(x), 0, 0)

static void Fail(const char *What)
{
    printf("FAIL: %s (error %lu)\n", What, (unsigned long)GetLastError());
    InterlockedIncrement(&g_Errors);
}

static BOOL PostRecv(void)
{
    DWORD Flags = 0;

    memset(&g_Recv.Overlapped, 0, sizeof(g_Recv.Overlapped));
    g_Recv.DataBuf.len = sizeof(g_Recv.Buffer);
    g_Recv.DataBuf.buf = g_Recv.Buffer;
    if (WSARecv(g_Recv.Socket, &g_Recv.DataBuf, 1, NULL, &Flags, &g_Recv.Overlapped, NULL) ==
            SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        Fail("WSARecv");
        return FALSE;
    }
    return TRUE;
}

static unsigned __stdcall Worker(void *Arg)
{
    (void)Arg;
    for (;;) {
        DWORD Bytes = 0;
        ULONG_PTR Key = 0;
        LPOVERLAPPED Ov = NULL;

        if (!GetQueuedCompletionStatus(g_Port, &Bytes, &Key, &Ov, INFINITE)) {
            Fail("GetQueuedCompletionStatus");
            return 1;
        }
        if (Key == KEY_STOP) {
            InterlockedIncrement(&g_Stopped);
            return 0;
        }
        if (Key == KEY_WORK) {
            WORK_ITEM *Item = (WORK_ITEM *)Ov;

            InterlockedIncrement(&Item->Runs);
            InterlockedExchangeAdd(&g_Sum, Item->Value);
        } else if (Key == KEY_SOCKET) {
            /* One receive at a time: the next is posted only after this one is handled. */
            RECV_CONTEXT *Ctx = (RECV_CONTEXT *)Ov;
            char Expected[32];
            LONG N = READ_COUNTER(g_Messages);

            sprintf(Expected, "message %03ld;", (long)N);
            if (Bytes == 0) {
                Fail("socket closed early");
            } else if (Bytes != strlen(Expected) || memcmp(Ctx->Buffer, Expected, Bytes) != 0) {
                printf("FAIL: got %.*s, expected %s\n", (int)Bytes, Ctx->Buffer, Expected);
                InterlockedIncrement(&g_Errors);
            }
            if (InterlockedIncrement(&g_Messages) == MESSAGES)
                SetEvent(g_AllMessages);
            else
                PostRecv();
        } else {
            Fail("unknown key");
        }
    }
}

static BOOL MakePair(SOCKET *Client, SOCKET *Server)
{
    struct sockaddr_in Addr;
    int Len = sizeof(Addr);
    SOCKET Listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    memset(&Addr, 0, sizeof(Addr));
    Addr.sin_family = AF_INET;
    Addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (Listener == INVALID_SOCKET || bind(Listener, (struct sockaddr *)&Addr, sizeof(Addr)) ||
        listen(Listener, 1) || getsockname(Listener, (struct sockaddr *)&Addr, &Len))
        return FALSE;
    *Client = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (*Client == INVALID_SOCKET || connect(*Client, (struct sockaddr *)&Addr, sizeof(Addr)))
        return FALSE;
    *Server = accept(Listener, NULL, NULL);
    closesocket(Listener);
    return *Server != INVALID_SOCKET;
}

int main(void)
{
    WSADATA WsaData;
    SYSTEM_INFO Info;
    HANDLE Threads[MAX_WORKERS];
    DWORD Workers, i;
    LONG Expected = 0;
    SOCKET Peer;

    if (WSAStartup(MAKEWORD(2, 2), &WsaData) != 0) {
        printf("FAIL: WSAStartup\n");
        return 1;
    }
    GetSystemInfo(&Info);
    Workers = Info.dwNumberOfProcessors < 2 ? 2 : Info.dwNumberOfProcessors;
    if (Workers > MAX_WORKERS)
        Workers = MAX_WORKERS;
    g_Port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, Workers);
    g_AllMessages = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!g_Port || !g_AllMessages) {
        printf("FAIL: CreateIoCompletionPort/CreateEvent (error %lu)\n",
               (unsigned long)GetLastError());
        return 1;
    }
    for (i = 0; i < Workers; i++) {
        Threads[i] = (HANDLE)_beginthreadex(NULL, 0, Worker, NULL, 0, NULL);
        if (!Threads[i]) {
            printf("FAIL: _beginthreadex\n");
            return 1;
        }
    }

    if (!MakePair(&g_Recv.Socket, &Peer) ||
        CreateIoCompletionPort((HANDLE)g_Recv.Socket, g_Port, KEY_SOCKET, 0) != g_Port) {
        printf("FAIL: socket pair or association (error %lu)\n", (unsigned long)GetLastError());
        return 1;
    }
    PostRecv();

    for (i = 0; i < ITEMS; i++) {
        g_Items[i].Value = (LONG)(i % 97);
        Expected += g_Items[i].Value;
        if (!PostQueuedCompletionStatus(g_Port, 0, KEY_WORK, (LPOVERLAPPED)&g_Items[i]))
            Fail("PostQueuedCompletionStatus");
    }
    /* One message at a time: each is sent once the previous one has been received, so
     * the stream never joins two of them. */
    for (i = 0; i < MESSAGES; i++) {
        char Msg[32];
        int Len = sprintf(Msg, "message %03lu;", (unsigned long)i);

        while (READ_COUNTER(g_Messages) < (LONG)i && !READ_COUNTER(g_Errors))
            Sleep(1);
        if (send(Peer, Msg, Len, 0) != Len)
            Fail("send");
    }
    if (WaitForSingleObject(g_AllMessages, 10000) != WAIT_OBJECT_0)
        Fail("messages did not all arrive");

    for (i = 0; i < Workers; i++)
        if (!PostQueuedCompletionStatus(g_Port, 0, KEY_STOP, NULL))
            Fail("PostQueuedCompletionStatus (stop)");
    if (WaitForMultipleObjects(Workers, Threads, TRUE, 10000) != WAIT_OBJECT_0) {
        Fail("workers did not stop");
        return 1;
    }
    for (i = 0; i < Workers; i++)
        CloseHandle(Threads[i]);
    for (i = 0; i < ITEMS; i++)
        if (g_Items[i].Runs != 1) {
            printf("FAIL: item %lu ran %ld times\n", (unsigned long)i, (long)g_Items[i].Runs);
            g_Errors++;
        }
    if (g_Sum != Expected) {
        printf("FAIL: sum %ld, expected %ld\n", (long)g_Sum, (long)Expected);
        g_Errors++;
    }
    closesocket(Peer);
    closesocket(g_Recv.Socket);
    CloseHandle(g_AllMessages);
    CloseHandle(g_Port);
    WSACleanup();
    printf("%s: %lu workers, %d items, %ld messages, %ld stopped\n", g_Errors ? "FAILED" : "OK",
           (unsigned long)Workers, ITEMS, (long)g_Messages, (long)g_Stopped);
    return g_Errors ? 1 : 0;
}
