/*
 * prog.c - an unchanged Winsock program: only Windows headers, Windows calls. The install
 * test builds it against an installed wsaio with pkg-config (shared and static) and with
 * find_package(wsaio), runs it and compares its one line of output.
 */
/* Spelled as Microsoft's samples spell them (the file names ignore case on Windows). */
#include <WinSock2.h>
#include <Windows.h>
#include <WS2tcpip.h>

#include <stdio.h>

int main(void)
{
    WSADATA wsa;
    WSAEVENT ev;
    DWORD rc;

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
    printf("winsock %d.%d event wait: %s\n", LOBYTE(wsa.wVersion), HIBYTE(wsa.wVersion),
           rc == WSA_WAIT_EVENT_0 ? "WSA_WAIT_EVENT_0" : "unexpected");
    return rc == WSA_WAIT_EVENT_0 ? 0 : 1;
}
