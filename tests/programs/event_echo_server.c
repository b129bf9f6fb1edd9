/*
 * event_echo_server.c - an echo server written the way Windows programs are written, built
 * unchanged against wsaio (as C and as C++) and with mingw-w64 for Wine.
 *
 * What it does: _tmain starts Winsock, installs a console Ctrl-C handler, and runs a
 * WSAEventSelect server on a _beginthreadex thread: one event per socket, connection
 * records from HeapAlloc, errors reported through FormatMessage. Client threads (as many
 * as GetSystemInfo says there are processors, 2..8) echo messages through it, counting
 * with InterlockedIncrement and logging under a mutex; a semaphore limits how many connect
 * at once, and each client keeps its number in a TLS slot. Then the program presses Ctrl-C
 * on itself (what a user at the console would do; see PressCtrlC for Wine): the handler,
 * on its own thread, sets the stop event, and the server closes everything and returns its
 * connection count as the thread's exit code.
 *
 * Exit status 0 when every echo came back intact and the server stopped through Ctrl-C.
 */
#include <WinSock2.h>
#include <WS2tcpip.h>
#include <Windows.h>
#include <process.h>
#include <tchar.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <signal.h>
#endif

#define MESSAGES_PER_CLIENT 50
#define MAX_CLIENTS         8
#define MAX_CONNECTIONS     (WSA_MAXIMUM_WAIT_EVENTS - 2)

typedef struct _CONNECTION {
    SOCKET sock;
    WSAEVENT hEvent;
    DWORD dwEchoed;
} CONNECTION, *PCONNECTION;

static HANDLE g_hStopEvent;       /* set by the console control handler */
static HANDLE g_hLogMutex;        /* one line of output at a time */
static HANDLE g_hConnectSlots;    /* semaphore: clients connecting at once */
static DWORD g_dwTlsClientNumber; /* each client thread's number */
static volatile LONG g_lEchoes;
static volatile LONG g_lCtrlC;
static USHORT g_usPort;

static void Log(LPCTSTR pszFormat, ...)
{
    va_list args;

    WaitForSingleObject(g_hLogMutex, INFINITE);
    va_start(args, pszFormat);
    _vftprintf(stdout, pszFormat, args);
    va_end(args);
    fflush(stdout);
    ReleaseMutex(g_hLogMutex);
}

/* "<what> failed with error <n>: <system text>" on standard error. */
static void PrintError(LPCTSTR pszWhat, DWORD dwError)
{
    LPTSTR pszMessage = NULL;

    if (FormatMessage(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                          FORMAT_MESSAGE_IGNORE_INSERTS,
                      NULL, dwError, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPTSTR)&pszMessage,
                      0, NULL) == 0)
        pszMessage = NULL;
    _ftprintf(stderr, _T("%s failed with error %lu: %s"), pszWhat, (unsigned long)dwError,
              pszMessage ? pszMessage : _T("(no text)\n"));
    if (pszMessage)
        LocalFree(pszMessage);
}

static BOOL WINAPI ConsoleCtrlHandler(DWORD dwCtrlType)
{
    switch (dwCtrlType) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
        InterlockedIncrement(&g_lCtrlC);
        SetEvent(g_hStopEvent);
        return TRUE; /* handled: the process goes on and shuts down cleanly */
    default:
        return FALSE;
    }
}

static void CloseConnection(PCONNECTION pConn)
{
    closesocket(pConn->sock);
    WSACloseEvent(pConn->hEvent);
    HeapFree(GetProcessHeap(), 0, pConn);
}

/* Echoes what is readable: 1 when it echoed some, 0 when nothing is readable now, -1 when
 * the connection is finished (closed by the peer, or failed). */
static int EchoSome(PCONNECTION pConn)
{
    char buf[1024];
    int nRead = recv(pConn->sock, buf, sizeof(buf), 0);

    if (nRead == SOCKET_ERROR)
        return WSAGetLastError() == WSAEWOULDBLOCK ? 0 : -1;
    if (nRead == 0)
        return -1;
    for (int nSent = 0; nSent < nRead;) {
        int n = send(pConn->sock, buf + nSent, nRead - nSent, 0);

        if (n == SOCKET_ERROR) {
            if (WSAGetLastError() != WSAEWOULDBLOCK) {
                PrintError(_T("send"), WSAGetLastError());
                return -1;
            }
            Sleep(1); /* the peer is slow to read; small messages make this rare */
            continue;
        }
        nSent += n;
    }
    pConn->dwEchoed += (DWORD)nRead;
    return 1;
}

static unsigned __stdcall ServerThread(void *pvListen)
{
    SOCKET sListen = (SOCKET)(ULONG_PTR)pvListen;
    WSAEVENT hEvents[WSA_MAXIMUM_WAIT_EVENTS];
    PCONNECTION pConns[WSA_MAXIMUM_WAIT_EVENTS];
    DWORD dwCount = 2, dwAccepted = 0;
    WSAEVENT hListenEvent = WSACreateEvent();

    hEvents[0] = g_hStopEvent;
    hEvents[1] = hListenEvent;
    if (WSAEventSelect(sListen, hListenEvent, FD_ACCEPT) == SOCKET_ERROR) {
        PrintError(_T("WSAEventSelect"), WSAGetLastError());
        return (unsigned)-1;
    }
    for (;;) {
        DWORD dwIndex = WSAWaitForMultipleEvents(dwCount, hEvents, FALSE, WSA_INFINITE, FALSE);
        WSANETWORKEVENTS ne;

        if (dwIndex == WSA_WAIT_FAILED) {
            PrintError(_T("WSAWaitForMultipleEvents"), WSAGetLastError());
            break;
        }
        dwIndex -= WSA_WAIT_EVENT_0;
        if (dwIndex == 0)
            break; /* Ctrl-C */
        if (dwIndex == 1) {
            WSAEnumNetworkEvents(sListen, hListenEvent, &ne);
            if ((ne.lNetworkEvents & FD_ACCEPT) && dwCount < MAX_CONNECTIONS + 2) {
                SOCKET s = accept(sListen, NULL, NULL);
                PCONNECTION pConn;

                if (s == INVALID_SOCKET) {
                    PrintError(_T("accept"), WSAGetLastError());
                    continue;
                }
                pConn =
                    (PCONNECTION)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(CONNECTION));
                if (pConn == NULL) {
                    closesocket(s);
                    continue;
                }
                pConn->sock = s;
                pConn->hEvent = WSACreateEvent();
                WSAEventSelect(s, pConn->hEvent, FD_READ | FD_CLOSE);
                hEvents[dwCount] = pConn->hEvent;
                pConns[dwCount++] = pConn;
                dwAccepted++;
            }
            continue;
        }
        WSAEnumNetworkEvents(pConns[dwIndex]->sock, hEvents[dwIndex], &ne);
        if ((ne.lNetworkEvents & FD_READ) && !(ne.lNetworkEvents & FD_CLOSE) &&
            EchoSome(pConns[dwIndex]) >= 0)
            continue;
        if (ne.lNetworkEvents & (FD_READ | FD_CLOSE)) {
            while (EchoSome(pConns[dwIndex]) > 0)
                ; /* what the peer sent before it closed */
            CloseConnection(pConns[dwIndex]);
            dwCount--;
            hEvents[dwIndex] = hEvents[dwCount];
            pConns[dwIndex] = pConns[dwCount];
        }
    }
    while (dwCount > 2)
        CloseConnection(pConns[--dwCount]);
    WSACloseEvent(hListenEvent);
    closesocket(sListen);
    return dwAccepted;
}

static unsigned __stdcall ClientThread(void *pvNumber)
{
    struct sockaddr_in addr;
    SOCKET s;
    char szMessage[64], szReply[64];
    unsigned uResult = 0;

    TlsSetValue(g_dwTlsClientNumber, pvNumber);
    WaitForSingleObject(g_hConnectSlots, INFINITE);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ZeroMemory(&addr, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(g_usPort);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR) {
        PrintError(_T("connect"), WSAGetLastError());
        ReleaseSemaphore(g_hConnectSlots, 1, NULL);
        closesocket(s);
        return 1;
    }
    ReleaseSemaphore(g_hConnectSlots, 1, NULL);
    for (int i = 0; i < MESSAGES_PER_CLIENT && uResult == 0; i++) {
        int nLen = sprintf(szMessage, "client %d message %d",
                           (int)(INT_PTR)TlsGetValue(g_dwTlsClientNumber), i);
        int nGot = 0;

        if (send(s, szMessage, nLen, 0) != nLen) {
            PrintError(_T("send"), WSAGetLastError());
            uResult = 1;
            break;
        }
        while (nGot < nLen) {
            int n = recv(s, szReply + nGot, nLen - nGot, 0);

            if (n <= 0) {
                PrintError(_T("recv"), n == 0 ? WSAECONNRESET : WSAGetLastError());
                uResult = 1;
                break;
            }
            nGot += n;
        }
        if (uResult == 0 && memcmp(szMessage, szReply, (size_t)nLen) != 0)
            uResult = 1;
        else
            InterlockedIncrement(&g_lEchoes);
    }
    shutdown(s, SD_SEND);
    closesocket(s);
    Log(_T("client %d done\n"), (int)(INT_PTR)TlsGetValue(g_dwTlsClientNumber));
    return uResult;
}

/*
 * What a user does to stop a console server: press Ctrl-C. On Linux that is SIGINT. On
 * Windows it is GenerateConsoleCtrlEvent, which needs a console: run by CTest under Wine
 * there is none (ERROR_INVALID_ACCESS), and the program says so and delivers the event
 * to its handler itself, as the console would have.
 */
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
    SYSTEM_INFO si;
    SOCKET sListen;
    struct sockaddr_in addr;
    int nAddrLen = sizeof(addr), nClients, nFailed = 0;
    HANDLE hServer, hClients[MAX_CLIENTS];
    DWORD dwExit = 0;

    UNREFERENCED_PARAMETER(argc);
    UNREFERENCED_PARAMETER(argv);
    if (WSAStartup(MAKEWORD(2, 2), &wsaData) != 0) {
        PrintError(_T("WSAStartup"), WSAGetLastError());
        return 1;
    }
    g_hStopEvent = CreateEvent(NULL, TRUE, FALSE, NULL);
    g_hLogMutex = CreateMutex(NULL, FALSE, NULL);
    g_hConnectSlots = CreateSemaphore(NULL, 2, 2, NULL);
    g_dwTlsClientNumber = TlsAlloc();
    if (!g_hStopEvent || !g_hLogMutex || !g_hConnectSlots ||
        g_dwTlsClientNumber == TLS_OUT_OF_INDEXES) {
        PrintError(_T("setup"), GetLastError());
        return 1;
    }
    if (!SetConsoleCtrlHandler(ConsoleCtrlHandler, TRUE)) {
        PrintError(_T("SetConsoleCtrlHandler"), GetLastError());
        return 1;
    }

    sListen = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ZeroMemory(&addr, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(sListen, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR ||
        listen(sListen, SOMAXCONN) == SOCKET_ERROR ||
        getsockname(sListen, (struct sockaddr *)&addr, &nAddrLen) == SOCKET_ERROR) {
        PrintError(_T("bind/listen"), WSAGetLastError());
        return 1;
    }
    g_usPort = ntohs(addr.sin_port);
    hServer = (HANDLE)_beginthreadex(NULL, 0, ServerThread, (void *)(ULONG_PTR)sListen, 0, NULL);

    GetSystemInfo(&si);
    nClients = (int)max(2, min(si.dwNumberOfProcessors, MAX_CLIENTS));
    for (int i = 0; i < nClients; i++)
        hClients[i] = (HANDLE)_beginthreadex(NULL, 0, ClientThread, (void *)(INT_PTR)i, 0, NULL);
    if (WaitForMultipleObjects((DWORD)nClients, hClients, TRUE, 60000) != WAIT_OBJECT_0) {
        _ftprintf(stderr, _T("clients did not finish\n"));
        return 1;
    }
    for (int i = 0; i < nClients; i++) {
        DWORD dwCode = 1;

        GetExitCodeThread(hClients[i], &dwCode);
        nFailed += dwCode != 0;
        CloseHandle(hClients[i]);
    }

    PressCtrlC();
    if (WaitForSingleObject(hServer, 30000) != WAIT_OBJECT_0) {
        _ftprintf(stderr, _T("the server did not stop on Ctrl-C\n"));
        return 1;
    }
    GetExitCodeThread(hServer, &dwExit);
    CloseHandle(hServer);
    Log(_T("%d clients, %ld echoes, %lu connections, Ctrl-C seen %ld time(s)\n"), nClients,
        (long)g_lEchoes, (unsigned long)dwExit, (long)g_lCtrlC);

    SetConsoleCtrlHandler(ConsoleCtrlHandler, FALSE);
    TlsFree(g_dwTlsClientNumber);
    CloseHandle(g_hConnectSlots);
    CloseHandle(g_hLogMutex);
    CloseHandle(g_hStopEvent);
    WSACleanup();
    return (nFailed == 0 && g_lEchoes == (LONG)nClients * MESSAGES_PER_CLIENT &&
            dwExit == (DWORD)nClients && g_lCtrlC == 1)
               ? 0
               : 1;
}
