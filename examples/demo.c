/*
 * demo.c - an overlapped echo server and client on loopback, in plain Winsock C.
 *
 * The server thread accepts three connections and serves them with completion routines:
 * each finished WSARecv queues a routine that echoes the bytes with WSASend, whose routine
 * posts the next WSARecv. Routines run only while the server sleeps alertably in
 * SleepEx(INFINITE, TRUE). The client (main thread) drives its three connections with
 * event objects: overlapped WSASend and WSARecv, WSAWaitForMultipleEvents over the three
 * receive events, WSAGetOverlappedResult for the byte counts.
 *
 * The same file builds on Windows, or with mingw-w64 to run under Wine.
 */
#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <string.h>

#define CLIENTS 3
#define ROUNDS  5

struct conn { /* one server-side connection; ov must stay first (routines get &ov) */
    WSAOVERLAPPED ov;
    SOCKET s;
    char buf[256];
    WSABUF wb;
    int id;
};

static SOCKET listener;
static struct conn conns[CLIENTS];
static volatile LONG open_conns, routines_run, echoed_bytes;
static DWORD server_tid;

static void CALLBACK on_recv(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags);

static void post_recv(struct conn *c)
{
    DWORD flags = 0;

    memset(&c->ov, 0, sizeof(c->ov));
    c->wb.buf = c->buf;
    c->wb.len = sizeof(c->buf);
    if (WSARecv(c->s, &c->wb, 1, NULL, &flags, &c->ov, on_recv) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING) {
        printf("  server: WSARecv failed: %d\n", WSAGetLastError());
        closesocket(c->s);
        open_conns--;
    }
}

static void CALLBACK on_send(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct conn *c = (struct conn *)ov;

    (void)flags;
    routines_run++;
    if (err != 0) {
        printf("  server: send on connection %d failed: %lu\n", c->id, (unsigned long)err);
        return;
    }
    echoed_bytes += (LONG)n;
    post_recv(c); /* a routine may issue new overlapped operations */
}

static void CALLBACK on_recv(DWORD err, DWORD n, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct conn *c = (struct conn *)ov;

    (void)flags;
    routines_run++;
    if (err != 0 || n == 0) { /* the client closed: 0 bytes is end of stream */
        printf("  server: connection %d closed (routine on thread %lu, the issuing thread: %s)\n",
               c->id, (unsigned long)GetCurrentThreadId(),
               GetCurrentThreadId() == server_tid ? "yes" : "NO");
        closesocket(c->s);
        open_conns--;
        return;
    }
    memset(&c->ov, 0, sizeof(c->ov));
    c->wb.len = n;
    if (WSASend(c->s, &c->wb, 1, NULL, 0, &c->ov, on_send) == SOCKET_ERROR &&
        WSAGetLastError() != WSA_IO_PENDING)
        printf("  server: WSASend failed: %d\n", WSAGetLastError());
}

static DWORD WINAPI server(LPVOID arg)
{
    int i;

    (void)arg;
    server_tid = GetCurrentThreadId();
    for (i = 0; i < CLIENTS; i++) {
        conns[i].id = i;
        conns[i].s = accept(listener, NULL, NULL);
        open_conns++;
        post_recv(&conns[i]);
    }
    while (open_conns > 0)
        SleepEx(INFINITE, TRUE); /* completion routines run here, and only here */
    return 0;
}

int main(void)
{
    struct sockaddr_in addr;
    int len = sizeof(addr), i, r, immediate = 0, pending = 0;
    SOCKET c[CLIENTS];
    WSAOVERLAPPED rov[CLIENTS], sov[CLIENTS];
    WSAEVENT revents[CLIENTS];
    char out[CLIENTS][64], in[CLIENTS][64];
    WSABUF sb, rb;
    DWORD n, flags, t0;
    HANDLE srv;
    WSADATA d;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (WSAStartup(MAKEWORD(2, 2), &d) != 0)
        return 1;
    listener = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener, (struct sockaddr *)&addr, sizeof(addr));
    listen(listener, CLIENTS);
    getsockname(listener, (struct sockaddr *)&addr, &len);
    printf("overlapped echo server on 127.0.0.1:%u, %d clients, %d rounds each\n",
           ntohs(addr.sin_port), CLIENTS, ROUNDS);
    srv = CreateThread(NULL, 0, server, NULL, 0, NULL);

    for (i = 0; i < CLIENTS; i++) {
        c[i] = WSASocketA(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
        if (connect(c[i], (struct sockaddr *)&addr, sizeof(addr)) != 0) {
            printf("connect failed: %d\n", WSAGetLastError());
            return 1;
        }
        revents[i] = WSACreateEvent();
        memset(&sov[i], 0, sizeof(sov[i]));
        sov[i].hEvent = WSACreateEvent();
    }
    t0 = GetTickCount();
    for (int round = 0; round < ROUNDS; round++) {
        for (i = 0; i < CLIENTS; i++) { /* send on every connection, then post the receive */
            sprintf(out[i], "client %d round %d", i, round);
            sb.buf = out[i];
            sb.len = (ULONG)strlen(out[i]);
            r = WSASend(c[i], &sb, 1, &n, 0, &sov[i], NULL);
            if (r == 0)
                immediate++;
            else if (WSAGetLastError() == WSA_IO_PENDING)
                pending++;
            memset(&rov[i], 0, sizeof(rov[i]));
            rov[i].hEvent = revents[i];
            memset(in[i], 0, sizeof(in[i]));
            rb.buf = in[i];
            rb.len = (ULONG)strlen(out[i]); /* the whole echo, or a first part of it */
            flags = 0;
            r = WSARecv(c[i], &rb, 1, &n, &flags, &rov[i], NULL);
            if (r == 0)
                immediate++;
            else if (WSAGetLastError() == WSA_IO_PENDING)
                pending++;
        }
        for (int left = CLIENTS; left > 0; left--) { /* whichever echo comes first */
            r = (int)WSAWaitForMultipleEvents(CLIENTS, revents, FALSE, 5000, FALSE);
            if (r == (int)WSA_WAIT_TIMEOUT) {
                printf("timed out waiting for echoes\n");
                return 1;
            }
            i = r - (int)WSA_WAIT_EVENT_0;
            WSAGetOverlappedResult(c[i], &rov[i], &n, FALSE, &flags);
            WSAResetEvent(revents[i]);
            if (round == 0 || round == ROUNDS - 1)
                printf("  client %d got %2lu bytes back: \"%s\"\n", i, (unsigned long)n, in[i]);
        }
        for (i = 0; i < CLIENTS; i++) { /* the sends' indications came too */
            WSAWaitForMultipleEvents(1, &sov[i].hEvent, FALSE, 5000, FALSE);
            WSAResetEvent(sov[i].hEvent);
        }
    }
    printf("%d round trips in %lu ms; %d calls completed at once, %d pended\n", CLIENTS * ROUNDS,
           (unsigned long)(GetTickCount() - t0), immediate, pending);
    for (i = 0; i < CLIENTS; i++) {
        closesocket(c[i]);
        WSACloseEvent(revents[i]);
        WSACloseEvent(sov[i].hEvent);
    }
    WaitForSingleObject(srv, 5000);
    printf("server: echoed %ld bytes, %ld completion routines ran on its thread\n",
           (long)echoed_bytes, (long)routines_run);
    CloseHandle(srv);
    closesocket(listener);
    WSACleanup();
    printf("done\n");
    return 0;
}
