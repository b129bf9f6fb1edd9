/*
 * completion_routine_echo.c - an echo server on overlapped I/O with completion routines,
 * written the way Windows programs are written (after Microsoft's classic completion-routine
 * sample), built unchanged against wsaio (as C and as C++) and with mingw-w64 for Wine.
 *
 * What it does: an acceptor thread hands each accepted socket to a worker thread through
 * an event; the worker waits alertably (WSAWaitForMultipleEvents with fAlertable) and runs
 * the completion routines of its WSARecv/WSASend calls there. Per-socket contexts come from
 * a private heap (HeapCreate, freed at once by HeapDestroy). Clients report to main under
 * an SRW lock and a condition variable; a connection to a closed port is reported through
 * FormatMessage; messages are built with StringCchPrintf. Ctrl-C (pressed by the program itself,
 * see PressCtrlC) stops the worker, which closes what is left.
 *
 * Exit status 0 when every echo came back intact and the worker stopped through Ctrl-C.
 */
#include <WinSock2.h>
#include <WS2tcpip.h>
#include <Windows.h>
#include <process.h>
#include <tchar.h>
#include <strsafe.h>
#include <stdio.h>
#include <string.h>
#ifndef _WIN32
#include <signal.h>
#endif

#define DATA_BUFSIZE 256
#define CLIENTS      3
#define ROUNDS       40

typedef struct _SOCKET_INFORMATION {
    WSAOVERLAPPED Overlapped; /* first: the routine gets the context from lpOverlapped */
    SOCKET Socket;
    CHAR Buffer[DATA_BUFSIZE];
    WSABUF DataBuf;
    DWORD BytesSEND;
    DWORD BytesRECV;
} SOCKET_INFORMATION, *LPSOCKET_INFORMATION;

static HANDLE g_hContextHeap;
static SOCKET g_AcceptSocket = INVALID_SOCKET;
static WSAEVENT g_AcceptEvent;
static HANDLE g_hStopEvent;
static volatile LONG g_lOpen;
static volatile LONG g_lCtrlC;
static DWORD g_dwCompletions; /* completion routines run on the worker thread only */
static USHORT g_usPort;

static SRWLOCK g_Lock = SRWLOCK_INIT;
static CONDITION_VARIABLE g_ClientsDone = CONDITION_VARIABLE_INIT;
static int g_nClientsDone, g_nClientsFailed;

static void PrintError(LPCTSTR pszWhat, DWORD dwError)
{
    TCHAR szMessage[512];

    if (!FormatMessage(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                           FORMAT_MESSAGE_MAX_WIDTH_MASK,
                       NULL, dwError, 0, szMessage, _countof(szMessage), NULL))
        StringCchCopy(szMessage, _countof(szMessage), _T("(no text)"));
    _ftprintf(stderr, _T("%s: error %lu: %s\n"), pszWhat, (unsigned long)dwError, szMessage);
}

static BOOL WINAPI ConsoleCtrlHandler(DWORD dwCtrlType)
{
    if (dwCtrlType != CTRL_C_EVENT)
        return FALSE;
    InterlockedIncrement(&g_lCtrlC);
    SetEvent(g_hStopEvent);
    return TRUE;
}

static void FreeSocketInformation(LPSOCKET_INFORMATION SI)
{
    closesocket(SI->Socket);
    HeapFree(g_hContextHeap, 0, SI);
    InterlockedDecrement(&g_lOpen);
}

static void PostRecv(LPSOCKET_INFORMATION SI);

static void CALLBACK WorkerRoutine(DWORD Error, DWORD BytesTransferred, LPWSAOVERLAPPED Overlapped,
                                   DWORD InFlags)
{
    LPSOCKET_INFORMATION SI = (LPSOCKET_INFORMATION)Overlapped;
    DWORD SendBytes;

    UNREFERENCED_PARAMETER(InFlags);
    g_dwCompletions++;
    if (Error != 0 || BytesTransferred == 0) {
        if (Error != 0 && Error != WSAECONNRESET)
            PrintError(_T("I/O operation"), Error);
        FreeSocketInformation(SI);
        return;
    }
    if (SI->BytesRECV == 0) { /* a receive completed: send it back */
        SI->BytesRECV = BytesTransferred;
        SI->BytesSEND = 0;
    } else {
        SI->BytesSEND += BytesTransferred;
    }
    if (SI->BytesRECV > SI->BytesSEND) {
        ZeroMemory(&SI->Overlapped, sizeof(WSAOVERLAPPED));
        SI->DataBuf.buf = SI->Buffer + SI->BytesSEND;
        SI->DataBuf.len = SI->BytesRECV - SI->BytesSEND;
        if (WSASend(SI->Socket, &SI->DataBuf, 1, &SendBytes, 0, &SI->Overlapped, WorkerRoutine) ==
                SOCKET_ERROR &&
            WSAGetLastError() != WSA_IO_PENDING) {
            PrintError(_T("WSASend"), WSAGetLastError());
            FreeSocketInformation(SI);
        }
        return;
    }
    SI->BytesRECV = 0;
    PostRecv(SI);
}

static void PostRecv(LPSOCKET_INFORMATION SI)
{
    DWORD Flags = 0, RecvBytes;

    ZeroMemory(&SI->Overlapped, sizeof(WSAOVERLAPPED));
    SI->DataBuf.len = DATA_BUFSIZE;
    SI->DataBuf.buf = SI->Buffer;
    if (WSARecv(SI->Socket, &SI->DataBuf, 1, &RecvBytes, &Flags, &SI->Overlapped, WorkerRoutine) ==
            SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        PrintError(_T("WSARecv"), WSAGetLastError());
        FreeSocketInformation(SI);
    }
}

static unsigned __stdcall WorkerThread(void *pv)
{
    WSAEVENT EventArray[2];

    UNREFERENCED_PARAMETER(pv);
    EventArray[0] = g_hStopEvent;
    EventArray[1] = g_AcceptEvent;
    for (;;) {
        DWORD Index = WSAWaitForMultipleEvents(2, EventArray, FALSE, WSA_INFINITE, TRUE);
        LPSOCKET_INFORMATION SI;

        if (Index == WSA_WAIT_FAILED) {
            PrintError(_T("WSAWaitForMultipleEvents"), WSAGetLastError());
            return 1;
        }
        if (Index == WAIT_IO_COMPLETION)
            continue; /* completion routines ran */
        if (Index == WSA_WAIT_EVENT_0)
            break; /* Ctrl-C */
        SI = (LPSOCKET_INFORMATION)HeapAlloc(g_hContextHeap, HEAP_ZERO_MEMORY,
                                             sizeof(SOCKET_INFORMATION));
        if (SI == NULL) {
            closesocket(g_AcceptSocket);
            WSAResetEvent(g_AcceptEvent);
            continue;
        }
        SI->Socket = g_AcceptSocket;
        WSAResetEvent(g_AcceptEvent); /* taken: the acceptor may hand over the next one */
        InterlockedIncrement(&g_lOpen);
        PostRecv(SI);
    }
    return 0;
}

static unsigned __stdcall AcceptThread(void *pvListen)
{
    SOCKET ListenSocket = (SOCKET)(ULONG_PTR)pvListen;

    for (int i = 0; i < CLIENTS; i++) {
        SOCKET s = accept(ListenSocket, NULL, NULL);

        if (s == INVALID_SOCKET) {
            PrintError(_T("accept"), WSAGetLastError());
            return 1;
        }
        /* One hand-over at a time: the worker resets the event once it has taken it. */
        while (WaitForSingleObject(g_AcceptEvent, 0) == WAIT_OBJECT_0)
            Sleep(1);
        g_AcceptSocket = s;
        WSASetEvent(g_AcceptEvent);
    }
    return 0;
}

static SOCKET ConnectTo(USHORT usPort)
{
    struct sockaddr_in addr;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    ZeroMemory(&addr, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(usPort);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR) {
        DWORD dwError = WSAGetLastError();

        closesocket(s);
        WSASetLastError(dwError);
        return INVALID_SOCKET;
    }
    return s;
}

static unsigned __stdcall ClientThread(void *pvNumber)
{
    SOCKET s = ConnectTo(g_usPort);
    BOOL bOk = s != INVALID_SOCKET;
    char szMessage[DATA_BUFSIZE], szReply[DATA_BUFSIZE];

    for (int i = 0; bOk && i < ROUNDS; i++) {
        size_t cch;
        int nGot = 0;

        StringCchPrintfA(szMessage, _countof(szMessage), "client %d round %d %s",
                         (int)(INT_PTR)pvNumber, i, "payload");
        StringCchLengthA(szMessage, _countof(szMessage), &cch);
        bOk = send(s, szMessage, (int)cch, 0) == (int)cch;
        while (bOk && nGot < (int)cch) {
            int n = recv(s, szReply + nGot, (int)cch - nGot, 0);

            bOk = n > 0;
            nGot += n > 0 ? n : 0;
        }
        bOk = bOk && memcmp(szMessage, szReply, cch) == 0;
    }
    if (s != INVALID_SOCKET)
        closesocket(s);
    AcquireSRWLockExclusive(&g_Lock);
    g_nClientsDone++;
    g_nClientsFailed += !bOk;
    ReleaseSRWLockExclusive(&g_Lock);
    WakeConditionVariable(&g_ClientsDone);
    return bOk ? 0 : 1;
}

/* Ctrl-C as a user presses it (on Windows without a console, see event_echo_server.c). */
static void PressCtrlC(void)
{
#ifdef _WIN32
    if (!GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0)) {
        PrintError(_T("GenerateConsoleCtrlEvent (no console: calling the handler)"),
                   GetLastError());
        ConsoleCtrlHandler(CTRL_C_EVENT);
    }
#else
    raise(SIGINT);
#endif
}

int _tmain(int argc, _TCHAR *argv[])
{
    WSADATA wsaData;
    SOCKET ListenSocket, s;
    struct sockaddr_in addr;
    int nAddrLen = sizeof(addr), nRet = 0;
    HANDLE hWorker, hAcceptor, hClients[CLIENTS];
    ULONGLONG ullStart = GetTickCount64();

    UNREFERENCED_PARAMETER(argc);
    UNREFERENCED_PARAMETER(argv);
    if (WSAStartup(MAKEWORD(2, 2), &wsaData) != 0)
        return 1;
    g_hContextHeap = HeapCreate(0, 0, 0);
    g_hStopEvent = CreateEvent(NULL, TRUE, FALSE, NULL);
    g_AcceptEvent = WSACreateEvent();
    SetConsoleCtrlHandler(ConsoleCtrlHandler, TRUE);

    ListenSocket = WSASocket(AF_INET, SOCK_STREAM, 0, NULL, 0, WSA_FLAG_OVERLAPPED);
    ZeroMemory(&addr, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ListenSocket, (PSOCKADDR)&addr, sizeof(addr)) == SOCKET_ERROR ||
        listen(ListenSocket, 5) == SOCKET_ERROR ||
        getsockname(ListenSocket, (PSOCKADDR)&addr, &nAddrLen) == SOCKET_ERROR) {
        PrintError(_T("bind/listen"), WSAGetLastError());
        return 1;
    }
    g_usPort = ntohs(addr.sin_port);

    /* A port nobody listens on: the refusal is reported with the system's text. */
    {
        SOCKET Probe = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        struct sockaddr_in a;
        int nLen = sizeof(a);
        USHORT usClosed;

        ZeroMemory(&a, sizeof(a));
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(Probe, (PSOCKADDR)&a, sizeof(a));
        getsockname(Probe, (PSOCKADDR)&a, &nLen);
        usClosed = ntohs(a.sin_port);
        closesocket(Probe); /* bound, never listened, now closed: nobody is there */
        s = ConnectTo(usClosed);
        if (s != INVALID_SOCKET || WSAGetLastError() != WSAECONNREFUSED) {
            _ftprintf(stderr, _T("a connection to a closed port did not fail as refused\n"));
            return 1;
        }
        PrintError(_T("connect to a closed port (expected)"), WSAECONNREFUSED);
    }

    hWorker = (HANDLE)_beginthreadex(NULL, 0, WorkerThread, NULL, 0, NULL);
    hAcceptor =
        (HANDLE)_beginthreadex(NULL, 0, AcceptThread, (void *)(ULONG_PTR)ListenSocket, 0, NULL);
    for (int i = 0; i < CLIENTS; i++)
        hClients[i] = (HANDLE)_beginthreadex(NULL, 0, ClientThread, (void *)(INT_PTR)i, 0, NULL);

    AcquireSRWLockExclusive(&g_Lock);
    while (g_nClientsDone < CLIENTS)
        if (!SleepConditionVariableSRW(&g_ClientsDone, &g_Lock, 60000, 0)) {
            _ftprintf(stderr, _T("clients did not finish\n"));
            return 1;
        }
    nRet = g_nClientsFailed;
    ReleaseSRWLockExclusive(&g_Lock);
    WaitForMultipleObjects(CLIENTS, hClients, TRUE, INFINITE);
    for (int i = 0; i < CLIENTS; i++)
        CloseHandle(hClients[i]);
    WaitForSingleObject(hAcceptor, INFINITE);
    CloseHandle(hAcceptor);

    PressCtrlC();
    if (WaitForSingleObject(hWorker, 30000) != WAIT_OBJECT_0) {
        _ftprintf(stderr, _T("the worker did not stop on Ctrl-C\n"));
        return 1;
    }
    CloseHandle(hWorker);
    _tprintf(_T("%d clients x %d rounds echoed in %llu ms, %lu completions, %ld open at stop, ")
             _T("%d failed\n"),
             CLIENTS, ROUNDS, (unsigned long long)(GetTickCount64() - ullStart),
             (unsigned long)g_dwCompletions, (long)g_lOpen, nRet);
    closesocket(ListenSocket);
    WSACloseEvent(g_AcceptEvent);
    CloseHandle(g_hStopEvent);
    /* WSACleanup closes the connections still open, and so ends their pending receives,
     * whose OVERLAPPEDs live in the contexts: only then may the heap go (on Windows too, the
     * aborted receive writes its status into its OVERLAPPED; TSan caught the heap freed first). */
    WSACleanup();
    HeapDestroy(g_hContextHeap); /* contexts of connections still open go with it */
    return (nRet == 0 && g_lCtrlC == 1 && g_dwCompletions >= CLIENTS * ROUNDS * 2) ? 0 : 1;
}
