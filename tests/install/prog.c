/*
 * prog.c - an unchanged Winsock program: only Windows headers, Windows calls. The install
 * test builds it against an installed wsaio with pkg-config (shared and static) and with
 * find_package(wsaio), runs it and compares its one line of output.
 */
/* Spelled as Microsoft's samples spell them (the file names ignore case on Windows). */
#include <WinSock2.h>
#include <Windows.h>
#include <WS2tcpip.h>
#include <StrSafe.h>

#include <stdio.h>

int main(void)
{
    WSADATA wsa;
    WSAEVENT ev;
    DWORD rc;
    char name[16];

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        printf("WSAStartup failed\n");
        return 1;
    }
    ev = WSACreateEvent();
    if (ev == WSA_INVALID_EVENT) {
        printf("WSACreateEvent failed: %d\n", WSAGetLastError());
        return 1;
    }
    if (!WSASetEvent(ev)) {
        printf("WSASetEvent failed: %d\n", WSAGetLastError());
        return 1;
    }
    rc = WSAWaitForMultipleEvents(1, &ev, FALSE, 1000, FALSE);
    WSACloseEvent(ev);
    WSACleanup();
    /* The C runtime additions link too (in C++ as well: extern "C"). */
    if (StringCchCopyA(name, _countof(name), "WINSOCK") != S_OK || _stricmp(name, "winsock") != 0)
        return 1;
    printf("%s %d.%d event wait: %s\n", _strlwr(name), LOBYTE(wsa.wVersion), HIBYTE(wsa.wVersion),
           rc == WSA_WAIT_EVENT_0 ? "WSA_WAIT_EVENT_0" : "unexpected");
    return rc == WSA_WAIT_EVENT_0 ? 0 : 1;
}
