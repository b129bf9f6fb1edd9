/*
 * iocp_server.c - a TCP echo server on an I/O completion port, written the way a Windows
 * server is written. Start from it when porting one: it builds unchanged against wsaio and
 * with mingw-w64 (run under Wine or on Windows).
 *
 *   iocp_server [-t THREADS] [-a ACCEPTS] [-s SECONDS] [PORT]
 *
 * It listens on 127.0.0.1:PORT (0 or none: a port the system picks; the first line printed
 * names it) and sends back every byte it receives on every connection.
 *
 *   -t THREADS  worker threads (default: one per processor, from GetSystemInfo)
 *   -a ACCEPTS  AcceptEx calls kept pending on the listener (default 32)
 *   -s SECONDS  stop after SECONDS; -s 0: only Ctrl-C (or SIGTERM) stops it. Without -s, a
 *               line on standard input, the end of it, or Ctrl-C stops it.
 *
 * How it works:
 *  - One completion port. The listener is associated with it under KEY_LISTENER; every
 *    accepted connection under the address of its CONNECTION record, so a worker finds the
 *    record from the packet's completion key.
 *  - A pool of AcceptEx calls (the function pointer comes from WSAIoctl with
 *    SIO_GET_EXTENSION_FUNCTION_POINTER, as it must on Windows), each on a socket made in
 *    advance. When one completes, the socket gets SO_UPDATE_ACCEPT_CONTEXT, becomes a
 *    connection, and the ACCEPT_CONTEXT is posted again with a fresh socket.
 *  - Worker threads block in GetQueuedCompletionStatus. Every OVERLAPPED is the first member
 *    of an IO_CONTEXT saying which operation it was; CONTAINING_RECORD gets from one to the
 *    other. A connection has one operation at a time: WSARecv, then WSASend of what came
 *    (again for the rest after a partial send), then WSARecv again.
 *  - A CONNECTION counts its references with Interlocked*: one per pending operation, one
 *    for whoever is working on it. The last release closes the socket and frees the record,
 *    exactly once, however the connection ended: end of stream, a reset by the client
 *    (ERROR_NETNAME_DELETED, ERROR_CONNECTION_ABORTED), or a cancel when the server stops.
 *  - Stop: every pending operation is cancelled with CancelIoEx; when the last one has come
 *    back (g_Outstanding reaches 0), one KEY_STOP packet per worker is posted with
 *    PostQueuedCompletionStatus, each worker returns on its packet, and main cleans up.
 *    Exit status 0 after a clean stop.
 *
 * Errors are reported with FormatMessage's text; nothing is printed per request.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A test that runs the server in a thread of its own process renames main. */
#ifndef IOCP_SERVER_MAIN
#define IOCP_SERVER_MAIN main
#endif

#define BUFFER_SIZE     65536 /* per connection: one receive, then the same bytes sent back */
#define DEFAULT_ACCEPTS 32
#define MAX_WORKERS     MAXIMUM_WAIT_OBJECTS            /* main waits for all of them at once */
#define ADDRESS_SPACE   (sizeof(SOCKADDR_STORAGE) + 16) /* what AcceptEx wants per address */

/* Completion keys: a connection's key is its record's address, never 0 or 1. */
#define KEY_STOP     0
#define KEY_LISTENER 1

typedef enum _IO_OPERATION { OP_ACCEPT, OP_RECV, OP_SEND } IO_OPERATION;

typedef struct _IO_CONTEXT { /* per operation: what a packet's lpOverlapped leads to */
    OVERLAPPED Overlapped;
    IO_OPERATION Operation;
} IO_CONTEXT;

typedef struct _ACCEPT_CONTEXT { /* one AcceptEx of the pool */
    IO_CONTEXT Io;
    SOCKET Socket;                     /* the socket that becomes the connection */
    char Addresses[2 * ADDRESS_SPACE]; /* AcceptEx writes both addresses here */
} ACCEPT_CONTEXT;

typedef struct _CONNECTION { /* one accepted connection; its completion key */
    IO_CONTEXT Io;           /* its one operation at a time */
    SOCKET Socket;
    volatile LONG References;
    struct _CONNECTION *Prev, *Next; /* in g_Connections, so that a stop reaches it */
    DWORD Length, Sent;              /* Buffer[0..Length) came in; Sent of it went back */
    char Buffer[BUFFER_SIZE];
} CONNECTION;

static HANDLE g_Port;
static SOCKET g_Listener;
static LPFN_ACCEPTEX g_AcceptEx;
static HANDLE g_StopEvent;          /* set by Ctrl-C, standard input or the -s timer */
static HANDLE g_DrainedEvent;       /* set when g_Outstanding reaches 0 */
static volatile LONG g_Stopping;    /* 1 once the stop has begun: start nothing new */
static volatile LONG g_Outstanding; /* pending accepts + open connections + 1 for main */
static volatile LONG g_ListenPort;  /* set once the server accepts connections */
static volatile LONG g_Accepted, g_Closed;
static CRITICAL_SECTION g_ConnectionsLock;
static CONNECTION *g_Connections;

static void ReportError(const char *What, DWORD Error)
{
    char *Text = NULL;
    size_t Len;

    if (!FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                            FORMAT_MESSAGE_IGNORE_INSERTS,
                        NULL, Error, 0, (LPSTR)&Text, 0, NULL) ||
        !Text) {
        fprintf(stderr, "iocp_server: %s failed: error %lu\n", What, (unsigned long)Error);
        return;
    }
    for (Len = strlen(Text); Len > 0 && (Text[Len - 1] == '\n' || Text[Len - 1] == '\r');)
        Text[--Len] = '\0';
    fprintf(stderr, "iocp_server: %s failed: error %lu: %s\n", What, (unsigned long)Error, Text);
    LocalFree(Text);
}

/* How a connection ends when its client goes away, or when the server stops: not worth a
 * report. Packets carry Win32 codes, a call that fails at once Winsock codes. */
static BOOL IsConnectionEnd(DWORD Error)
{
    return Error == ERROR_NETNAME_DELETED || Error == ERROR_CONNECTION_ABORTED ||
           Error == ERROR_OPERATION_ABORTED || Error == WSAECONNRESET || Error == WSAECONNABORTED ||
           Error == WSAESHUTDOWN;
}

static BOOL Stopping(void)
{
    return InterlockedCompareExchange(&g_Stopping, 0, 0) != 0;
}

static void OutstandingDone(void)
{
    if (InterlockedDecrement(&g_Outstanding) == 0)
        SetEvent(g_DrainedEvent);
}

/* Called right after an operation was started. The stop sets g_Stopping and then cancels
 * every pending operation; an operation started meanwhile may have been missed, so its
 * starter cancels it. (Both sides use Interlocked calls: one of them sees the other.) */
static void CancelIfStopping(SOCKET Socket, OVERLAPPED *Overlapped)
{
    if (Stopping())
        CancelIoEx((HANDLE)Socket, Overlapped);
}

/* ---- Connections ------------------------------------------------------------------- */

static void ReleaseConnection(CONNECTION *Conn)
{
    if (InterlockedDecrement(&Conn->References) != 0)
        return;
    EnterCriticalSection(&g_ConnectionsLock);
    if (Conn->Prev)
        Conn->Prev->Next = Conn->Next;
    else
        g_Connections = Conn->Next;
    if (Conn->Next)
        Conn->Next->Prev = Conn->Prev;
    LeaveCriticalSection(&g_ConnectionsLock);
    closesocket(Conn->Socket);
    HeapFree(GetProcessHeap(), 0, Conn);
    InterlockedIncrement(&g_Closed);
    OutstandingDone();
}

/* Starts Conn's next operation: a receive, or the send of Buffer[Sent..Length). It holds
 * a reference until its packet has been handled; one that fails at once has no packet. */
static void PostConnectionIo(CONNECTION *Conn, IO_OPERATION Operation)
{
    WSABUF Buf;
    DWORD Flags = 0;
    int Rc;

    memset(&Conn->Io.Overlapped, 0, sizeof(Conn->Io.Overlapped));
    Conn->Io.Operation = Operation;
    InterlockedIncrement(&Conn->References);
    if (Operation == OP_RECV) {
        Buf.buf = Conn->Buffer;
        Buf.len = BUFFER_SIZE;
        Rc = WSARecv(Conn->Socket, &Buf, 1, NULL, &Flags, &Conn->Io.Overlapped, NULL);
    } else {
        Buf.buf = Conn->Buffer + Conn->Sent;
        Buf.len = Conn->Length - Conn->Sent;
        Rc = WSASend(Conn->Socket, &Buf, 1, NULL, 0, &Conn->Io.Overlapped, NULL);
    }
    if (Rc == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING) {
        if (!IsConnectionEnd((DWORD)WSAGetLastError()))
            ReportError(Operation == OP_RECV ? "WSARecv" : "WSASend", (DWORD)WSAGetLastError());
        ReleaseConnection(Conn);
        return;
    }
    CancelIfStopping(Conn->Socket, &Conn->Io.Overlapped);
}

/* A packet of Conn: Error is 0 for a success with Bytes transferred. The packet's
 * reference is released last, after the next operation (if any) holds its own. */
static void OnConnectionIo(CONNECTION *Conn, IO_CONTEXT *Io, DWORD Error, DWORD Bytes)
{
    if (Error) {
        if (!IsConnectionEnd(Error))
            ReportError(Io->Operation == OP_RECV ? "WSARecv" : "WSASend", Error);
    } else if (Stopping()) {
        /* start nothing: the connection closes with its last reference */
    } else if (Io->Operation == OP_RECV) {
        if (Bytes > 0) { /* 0 bytes: the client closed its side */
            Conn->Length = Bytes;
            Conn->Sent = 0;
            PostConnectionIo(Conn, OP_SEND);
        }
    } else {
        Conn->Sent += Bytes; /* a partial send: send the rest before receiving again */
        PostConnectionIo(Conn, Conn->Sent < Conn->Length ? OP_SEND : OP_RECV);
    }
    ReleaseConnection(Conn);
}

/* Makes a CONNECTION of an accepted socket and starts its first receive. */
static void OpenConnection(SOCKET Socket)
{
    /* Only the header is cleared: the buffer is written by the receives. */
    CONNECTION *Conn = (CONNECTION *)HeapAlloc(GetProcessHeap(), 0, sizeof(CONNECTION));

    if (!Conn) {
        ReportError("HeapAlloc", ERROR_NOT_ENOUGH_MEMORY);
        closesocket(Socket);
        return;
    }
    memset(Conn, 0, offsetof(CONNECTION, Buffer));
    Conn->Socket = Socket;
    Conn->References = 1; /* ours, until the first receive is started */
    if (CreateIoCompletionPort((HANDLE)Socket, g_Port, (ULONG_PTR)Conn, 0) != g_Port) {
        ReportError("CreateIoCompletionPort (connection)", GetLastError());
        closesocket(Socket);
        HeapFree(GetProcessHeap(), 0, Conn);
        return;
    }
    InterlockedIncrement(&g_Outstanding);
    InterlockedIncrement(&g_Accepted);
    EnterCriticalSection(&g_ConnectionsLock);
    Conn->Next = g_Connections;
    if (g_Connections)
        g_Connections->Prev = Conn;
    g_Connections = Conn;
    LeaveCriticalSection(&g_ConnectionsLock);
    PostConnectionIo(Conn, OP_RECV);
    ReleaseConnection(Conn);
}

/* ---- The AcceptEx pool --------------------------------------------------------------- */

/* Starts Accept's AcceptEx with a fresh socket. FALSE when that failed. */
static BOOL PostAccept(ACCEPT_CONTEXT *Accept)
{
    DWORD Bytes = 0;

    Accept->Socket = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (Accept->Socket == INVALID_SOCKET) {
        ReportError("WSASocket", (DWORD)WSAGetLastError());
        return FALSE;
    }
    memset(&Accept->Io.Overlapped, 0, sizeof(Accept->Io.Overlapped));
    Accept->Io.Operation = OP_ACCEPT;
    /* No receive data (0): the connection is handed over as soon as it is accepted. */
    if (!g_AcceptEx(g_Listener, Accept->Socket, Accept->Addresses, 0, ADDRESS_SPACE, ADDRESS_SPACE,
                    &Bytes, &Accept->Io.Overlapped) &&
        WSAGetLastError() != ERROR_IO_PENDING) {
        ReportError("AcceptEx", (DWORD)WSAGetLastError());
        closesocket(Accept->Socket);
        return FALSE;
    }
    CancelIfStopping(g_Listener, &Accept->Io.Overlapped);
    return TRUE;
}

/* An AcceptEx of the pool ended: the socket becomes a connection, and the context takes
 * the next one (it leaves the pool when the server stops or no socket can be made). */
static void OnAccept(ACCEPT_CONTEXT *Accept, DWORD Error)
{
    BOOL NoDelay = TRUE;

    if (Error == 0 && !Stopping()) {
        /* Gives the socket the listener's properties; getpeername and shutdown work after
         * it. Associating it with the port comes after, in OpenConnection. */
        if (setsockopt(Accept->Socket, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&g_Listener,
                       sizeof(g_Listener)) == SOCKET_ERROR) {
            ReportError("setsockopt(SO_UPDATE_ACCEPT_CONTEXT)", (DWORD)WSAGetLastError());
            closesocket(Accept->Socket);
        } else {
            setsockopt(Accept->Socket, IPPROTO_TCP, TCP_NODELAY, (char *)&NoDelay, sizeof(NoDelay));
            OpenConnection(Accept->Socket);
        }
    } else {
        /* Cancelled by the stop, or a client that reset before it was accepted. */
        if (Error && !IsConnectionEnd(Error))
            ReportError("AcceptEx", Error);
        closesocket(Accept->Socket);
    }
    if (Stopping() || !PostAccept(Accept)) {
        HeapFree(GetProcessHeap(), 0, Accept);
        OutstandingDone();
    }
}

/* ---- Workers and the stop ------------------------------------------------------------ */

static DWORD WINAPI Worker(LPVOID Unused)
{
    (void)Unused;
    for (;;) {
        DWORD Bytes = 0, Error;
        ULONG_PTR Key = 0;
        LPOVERLAPPED Overlapped = NULL;
        IO_CONTEXT *Io;
        BOOL Ok = GetQueuedCompletionStatus(g_Port, &Bytes, &Key, &Overlapped, INFINITE);

        Error = Ok ? 0 : GetLastError();
        if (Ok && Key == KEY_STOP)
            return 0;
        if (!Overlapped) { /* no packet: the port itself failed */
            ReportError("GetQueuedCompletionStatus", Error);
            return 1;
        }
        /* A packet of an operation, failed (Ok FALSE) or not. */
        Io = CONTAINING_RECORD(Overlapped, IO_CONTEXT, Overlapped);
        if (Key == KEY_LISTENER)
            OnAccept(CONTAINING_RECORD(Io, ACCEPT_CONTEXT, Io), Error);
        else
            OnConnectionIo((CONNECTION *)Key, Io, Error, Bytes);
    }
}

static BOOL WINAPI CtrlHandler(DWORD CtrlType)
{
    (void)CtrlType;
    SetEvent(g_StopEvent);
    return TRUE;
}

static DWORD WINAPI StdinWatcher(LPVOID Unused)
{
    char Line[64];
    char *Got = fgets(Line, sizeof(Line), stdin); /* NULL at the end of input: stop too */

    (void)Unused;
    (void)Got;
    SetEvent(g_StopEvent);
    return 0;
}

/* Cancels everything pending, waits until every operation has come back (so no packet is
 * left for nobody), then stops the workers with one posted packet each. */
static void StopServer(HANDLE *Workers, DWORD NumWorkers)
{
    CONNECTION *Conn;
    DWORD i;

    InterlockedExchange(&g_Stopping, 1);
    CancelIoEx((HANDLE)g_Listener, NULL);
    EnterCriticalSection(&g_ConnectionsLock);
    for (Conn = g_Connections; Conn; Conn = Conn->Next)
        CancelIoEx((HANDLE)Conn->Socket, NULL);
    LeaveCriticalSection(&g_ConnectionsLock);
    OutstandingDone(); /* main's own count */
    WaitForSingleObject(g_DrainedEvent, INFINITE);
    for (i = 0; i < NumWorkers; i++)
        if (!PostQueuedCompletionStatus(g_Port, 0, KEY_STOP, NULL))
            ReportError("PostQueuedCompletionStatus", GetLastError());
    WaitForMultipleObjects(NumWorkers, Workers, TRUE, INFINITE);
}

static int Usage(const char *Program)
{
    fprintf(stderr, "usage: %s [-t THREADS] [-a ACCEPTS] [-s SECONDS] [PORT]\n", Program);
    return 2;
}

int IOCP_SERVER_MAIN(int argc, char **argv)
{
    GUID AcceptExGuid = WSAID_ACCEPTEX;
    HANDLE Workers[MAX_WORKERS];
    SYSTEM_INFO Info;
    WSADATA WsaData;
    struct sockaddr_in Addr;
    int AddrLen = sizeof(Addr), Port = 0, Seconds = -1, Accepts = DEFAULT_ACCEPTS, i;
    DWORD NumWorkers = 0, Bytes, Status = 0;

    for (i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "-t") == 0)
            NumWorkers = (DWORD)atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "-a") == 0)
            Accepts = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "-s") == 0)
            Seconds = atoi(argv[++i]);
        else if (argv[i][0] >= '0' && argv[i][0] <= '9')
            Port = atoi(argv[i]);
        else
            return Usage(argv[0]);
    }
    if (Port < 0 || Port > 65535 || Accepts < 1 || NumWorkers > MAX_WORKERS)
        return Usage(argv[0]);
    if (NumWorkers == 0) {
        GetSystemInfo(&Info);
        NumWorkers =
            Info.dwNumberOfProcessors < MAX_WORKERS ? Info.dwNumberOfProcessors : MAX_WORKERS;
    }
    if ((i = WSAStartup(MAKEWORD(2, 2), &WsaData)) != 0) {
        ReportError("WSAStartup", (DWORD)i);
        return 1;
    }
    g_Stopping = 0;
    g_Outstanding = 1;
    g_Accepted = g_Closed = 0;
    g_Connections = NULL;
    InitializeCriticalSection(&g_ConnectionsLock);
    g_StopEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    g_DrainedEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    g_Port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, NumWorkers);
    if (!g_StopEvent || !g_DrainedEvent || !g_Port) {
        ReportError("CreateEvent/CreateIoCompletionPort", GetLastError());
        return 1;
    }

    /* The listener, its port association, and AcceptEx as Windows hands it out. */
    memset(&Addr, 0, sizeof(Addr));
    Addr.sin_family = AF_INET;
    Addr.sin_port = htons((u_short)Port);
    Addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_Listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (g_Listener == INVALID_SOCKET || bind(g_Listener, (struct sockaddr *)&Addr, sizeof(Addr)) ||
        listen(g_Listener, SOMAXCONN) ||
        getsockname(g_Listener, (struct sockaddr *)&Addr, &AddrLen) ||
        WSAIoctl(g_Listener, SIO_GET_EXTENSION_FUNCTION_POINTER, &AcceptExGuid,
                 sizeof(AcceptExGuid), &g_AcceptEx, sizeof(g_AcceptEx), &Bytes, NULL, NULL)) {
        ReportError("listening socket", (DWORD)WSAGetLastError());
        return 1;
    }
    if (CreateIoCompletionPort((HANDLE)g_Listener, g_Port, KEY_LISTENER, 0) != g_Port) {
        ReportError("CreateIoCompletionPort (listener)", GetLastError());
        return 1;
    }

    for (i = 0; i < (int)NumWorkers; i++) {
        Workers[i] = CreateThread(NULL, 0, Worker, NULL, 0, NULL);
        if (!Workers[i]) {
            ReportError("CreateThread", GetLastError());
            return 1;
        }
    }
    for (i = 0; i < Accepts; i++) {
        ACCEPT_CONTEXT *Accept =
            (ACCEPT_CONTEXT *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*Accept));

        if (!Accept)
            break;
        InterlockedIncrement(&g_Outstanding);
        if (!PostAccept(Accept)) {
            HeapFree(GetProcessHeap(), 0, Accept);
            OutstandingDone();
            break;
        }
    }
    printf("iocp_server: %lu worker threads, %d AcceptEx pending, listening on 127.0.0.1:%u\n",
           (unsigned long)NumWorkers, i, (unsigned)ntohs(Addr.sin_port));
    fflush(stdout);
    InterlockedExchange(&g_ListenPort, ntohs(Addr.sin_port));

    SetConsoleCtrlHandler(CtrlHandler, TRUE);
    if (Seconds < 0) {
        HANDLE Watcher = CreateThread(NULL, 0, StdinWatcher, NULL, 0, NULL);

        if (Watcher)
            CloseHandle(Watcher);
    }
    WaitForSingleObject(g_StopEvent, Seconds > 0 ? (DWORD)Seconds * 1000 : INFINITE);

    StopServer(Workers, NumWorkers);
    for (i = 0; i < (int)NumWorkers; i++) {
        DWORD Code = 1;

        GetExitCodeThread(Workers[i], &Code);
        Status |= Code;
        CloseHandle(Workers[i]);
    }
    SetConsoleCtrlHandler(CtrlHandler, FALSE);
    printf("iocp_server: stopped; %ld connections served, %ld closed\n", (long)g_Accepted,
           (long)g_Closed);
    closesocket(g_Listener);
    CloseHandle(g_Port);
    CloseHandle(g_DrainedEvent);
    CloseHandle(g_StopEvent); /* a watcher still reading stdin ends with the process */
    DeleteCriticalSection(&g_ConnectionsLock);
    WSACleanup();
    return Status == 0 && g_Accepted == g_Closed ? 0 : 1;
}
