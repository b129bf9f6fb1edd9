/*
 * iocp_server_run.c - runs examples/iocp_server.c (compiled into this program, its main
 * renamed) in a thread of this process and drives it as its clients would: many
 * connections echoing messages of many sizes (checked byte for byte), some reset abruptly
 * (SO_LINGER 0) while idle or while their echo is under way, a bulk transfer, graceful
 * closes, and connections still open when the server is stopped. The stop is the server's
 * own: its stop event, as Ctrl-C would set it. Twice: one worker with a pool of 2 AcceptEx,
 * then 4 workers with 8.
 *
 * Exit status 0 when every echo was right, the server returned 0 (its clean stop: every
 * record freed, every worker ended on its stop packet) and it served and closed every
 * connection. Under ASan, a record left behind is a leak report.
 */
#define IOCP_SERVER_MAIN IocpServerMain
#include "iocp_server.c"

#define CLIENTS     24
#define ROUNDS      6
#define RESET_IDLE  4 /* clients 0..3: reset while the server waits in WSARecv */
#define RESET_BUSY  4 /* clients 4..7: reset right after sending a large message */
#define KEEP_OPEN   6 /* the last 6: still open when the server stops */
#define BULK_VOLUME (16 * 1024 * 1024)

static volatile LONG g_Failures;

static void Fail(const char *What, long Detail)
{
    printf("FAIL: %s (%ld, WSAGetLastError %d)\n", What, Detail, WSAGetLastError());
    InterlockedIncrement(&g_Failures);
}

static unsigned char Pattern(int Client, int Round, size_t i)
{
    return (unsigned char)(Client * 31 + Round * 7 + i + (i >> 9));
}

/* Sends (Sending TRUE) or receives exactly Len bytes; FALSE on an error or the end. */
static BOOL Transfer(SOCKET s, char *Buf, int Len, BOOL Sending)
{
    while (Len > 0) {
        int n = Sending ? send(s, Buf, Len, 0) : recv(s, Buf, Len, 0);

        if (n <= 0)
            return FALSE;
        Buf += n;
        Len -= n;
    }
    return TRUE;
}

static SOCKET Connect(u_short Port)
{
    struct sockaddr_in Addr;
    DWORD Timeout = 20000; /* a server that stops answering fails the test, not hangs it */
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    memset(&Addr, 0, sizeof(Addr));
    Addr.sin_family = AF_INET;
    Addr.sin_port = htons(Port);
    Addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s == INVALID_SOCKET || connect(s, (struct sockaddr *)&Addr, sizeof(Addr))) {
        Fail("connect", 0);
        return s;
    }
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&Timeout, sizeof(Timeout));
    return s;
}

static void Reset(SOCKET s)
{
    struct linger Linger;

    Linger.l_onoff = 1;
    Linger.l_linger = 0;
    setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&Linger, sizeof(Linger));
    closesocket(s);
}

/* One message of Len bytes from Client in Round, sent and its echo checked. */
static void Echo(SOCKET s, int Client, int Round, int Len, char *Out, char *In)
{
    int i;

    for (i = 0; i < Len; i++)
        Out[i] = (char)Pattern(Client, Round, (size_t)i);
    if (!Transfer(s, Out, Len, TRUE) || !Transfer(s, In, Len, FALSE))
        Fail("echo send/recv", Client);
    else if (memcmp(Out, In, (size_t)Len) != 0)
        Fail("echo differs", Client);
}

typedef struct _BULK {
    SOCKET Socket;
    char *Buffer;
} BULK;

static DWORD WINAPI BulkSender(LPVOID Arg)
{
    BULK *Bulk = (BULK *)Arg;
    size_t i;

    for (i = 0; i < BULK_VOLUME; i++)
        Bulk->Buffer[i] = (char)Pattern(99, 0, i);
    if (!Transfer(Bulk->Socket, Bulk->Buffer, BULK_VOLUME, TRUE))
        Fail("bulk send", 0);
    return 0;
}

/* The echo of BULK_VOLUME bytes, sent by another thread while this one reads. */
static void BulkTransfer(u_short Port)
{
    BULK Bulk;
    char *In = (char *)malloc(65536);
    size_t Got = 0, i;
    HANDLE Sender;

    Bulk.Socket = Connect(Port);
    Bulk.Buffer = (char *)malloc(BULK_VOLUME);
    Sender = CreateThread(NULL, 0, BulkSender, &Bulk, 0, NULL);
    if (!In || !Bulk.Buffer || !Sender) {
        Fail("bulk set-up", 0);
        exit(1);
    }
    while (Got < BULK_VOLUME) {
        int n = recv(Bulk.Socket, In, 65536, 0);

        if (n <= 0) {
            Fail("bulk recv", (long)Got);
            break;
        }
        for (i = 0; i < (size_t)n; i++)
            if ((unsigned char)In[i] != Pattern(99, 0, Got + i)) {
                Fail("bulk byte differs at", (long)(Got + i));
                Got = BULK_VOLUME;
                break;
            }
        Got += (size_t)n;
    }
    WaitForSingleObject(Sender, INFINITE);
    CloseHandle(Sender);
    closesocket(Bulk.Socket);
    free(Bulk.Buffer);
    free(In);
}

static DWORD WINAPI ServerThread(LPVOID Arg)
{
    char **Argv = (char **)Arg;

    return (DWORD)IocpServerMain(8, Argv);
}

static void RunOnce(const char *Threads, const char *Accepts)
{
    char *Argv[] = {(char *)"iocp_server", (char *)"-t", (char *)Threads, (char *)"-a",
                    (char *)Accepts,       (char *)"-s", (char *)"0",     (char *)"0"};
    static char Out[70000], In[70000];
    SOCKET Clients[CLIENTS];
    DWORD Code = 1;
    HANDLE Server;
    u_short Port;
    int c, r, Expected;

    InterlockedExchange(&g_ListenPort, 0); /* the server sets it again once it listens */
    Server = CreateThread(NULL, 0, ServerThread, Argv, 0, NULL);
    if (!Server) {
        Fail("CreateThread", 0);
        exit(1);
    }
    for (r = 0; (Port = (u_short)InterlockedCompareExchange(&g_ListenPort, 0, 0)) == 0; r++) {
        if (r == 10000 || WaitForSingleObject(Server, 1) == WAIT_OBJECT_0) {
            Fail("the server did not start", r);
            exit(1);
        }
    }

    for (c = 0; c < CLIENTS; c++)
        Clients[c] = Connect(Port);
    /* Every client in turn, rounds of 1 byte to 64 KiB + 1 (two receives at least). */
    for (r = 0; r < ROUNDS; r++)
        for (c = 0; c < CLIENTS; c++) {
            static const int Sizes[ROUNDS] = {1, 64, 1000, 4096, 30000, 65537};

            Echo(Clients[c], c, r, Sizes[(r + c) % ROUNDS], Out, In);
        }
    for (c = 0; c < RESET_IDLE; c++)
        Reset(Clients[c]);
    for (; c < RESET_IDLE + RESET_BUSY; c++) {
        memset(Out, 'x', sizeof(Out));
        if (!Transfer(Clients[c], Out, (int)sizeof(Out), TRUE))
            Fail("send before reset", c);
        Reset(Clients[c]);
    }
    BulkTransfer(Port);
    /* Graceful closes: the server sees the end of the stream and closes its side. */
    for (; c < CLIENTS - KEEP_OPEN; c++) {
        shutdown(Clients[c], SD_SEND);
        if (recv(Clients[c], In, 1, 0) != 0)
            Fail("the server did not close after the client's end of stream", c);
        closesocket(Clients[c]);
    }
    /* One more echo on the ones left open, then stop with them open. */
    for (; c < CLIENTS; c++)
        Echo(Clients[c], c, 0, 100, Out, In);

    SetEvent(g_StopEvent);
    if (WaitForSingleObject(Server, 20000) != WAIT_OBJECT_0) {
        Fail("the server did not stop", 0);
        exit(1);
    }
    GetExitCodeThread(Server, &Code);
    CloseHandle(Server);
    if (Code != 0)
        Fail("server exit status", (long)Code);
    for (c = CLIENTS - KEEP_OPEN; c < CLIENTS; c++) {
        if (recv(Clients[c], In, 1, 0) > 0)
            Fail("data after the stop", c);
        closesocket(Clients[c]);
    }
    Expected = CLIENTS + 1; /* and the bulk connection */
    if (g_Accepted != Expected || g_Closed != Expected)
        Fail("connections served/closed", (long)g_Accepted * 1000 + g_Closed);
}

int main(void)
{
    WSADATA WsaData;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (WSAStartup(MAKEWORD(2, 2), &WsaData) != 0) {
        printf("FAIL: WSAStartup\n");
        return 1;
    }
    RunOnce("1", "2");
    RunOnce("4", "8");
    WSACleanup();
    printf("%s: %ld failures\n", g_Failures ? "FAILED" : "OK", (long)g_Failures);
    return g_Failures ? 1 : 0;
}
