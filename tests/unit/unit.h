/*
 * unit.h - tiny assertion helpers for the internal tests (Linux-only, unlike the portable
 * conformance harness). A failed check prints both sides and aborts the process.
 */
#ifndef WSAIO_UNIT_H
#define WSAIO_UNIT_H

#include <winsock2.h>
#include <windows.h>
#include <wsaio.h>

#include <stdio.h>
#include <stdlib.h>

#define UCHECK(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define UCHECK_EQ(a, b)                                                                            \
    do {                                                                                           \
        long long ua_ = (long long)(a), ub_ = (long long)(b);                                      \
        if (ua_ != ub_) {                                                                          \
            fprintf(stderr, "%s:%d: %s == %s: got %lld, expected %lld\n", __FILE__, __LINE__, #a,  \
                    #b, ua_, ub_);                                                                 \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Runs fn(arg) on n threads made with CreateThread and waits for all of them. */
static inline void unit_run_threads(int n, LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE t[64] = {0};

    UCHECK(n <= 64);
    for (int i = 0; i < n; i++)
        UCHECK((t[i] = CreateThread(NULL, 0, fn, arg, 0, NULL)) != NULL);
    UCHECK_EQ(WaitForMultipleObjects((DWORD)n, t, TRUE, 60000), WAIT_OBJECT_0);
    for (int i = 0; i < n; i++)
        UCHECK(CloseHandle(t[i]));
}

/* A connected TCP pair on loopback, both overlapped: out[0] connected, out[1] accepted. */
static inline void unit_tcp_pair(SOCKET out[2])
{
    SOCKET l = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    struct sockaddr_in a = {.sin_family = AF_INET};
    int len = sizeof(a);

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    UCHECK(l != INVALID_SOCKET);
    UCHECK(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0);
    UCHECK(listen(l, 1) == 0);
    UCHECK(getsockname(l, (struct sockaddr *)&a, &len) == 0);
    out[0] = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    UCHECK(out[0] != INVALID_SOCKET);
    UCHECK(connect(out[0], (struct sockaddr *)&a, sizeof(a)) == 0);
    UCHECK((out[1] = accept(l, NULL, NULL)) != INVALID_SOCKET);
    UCHECK(closesocket(l) == 0);
}

#endif /* WSAIO_UNIT_H */
