/*
 * harness.c - case registry, checks and socket helpers of the portable conformance suite
 * (see harness.h). Only Winsock/Win32 and the C library are used here.
 */
#include "harness.h"

#include <stdarg.h>

#include <mswsock.h>

#define HARNESS_MAX_CASES 512

static struct {
    const char *name;
    harness_fn fn;
} cases[HARNESS_MAX_CASES];
static int ncases;
static const char *current;

void harness_register(const char *name, harness_fn fn)
{
    if (ncases == HARNESS_MAX_CASES) {
        fprintf(stderr, "harness: too many cases\n");
        exit(2);
    }
    cases[ncases].name = name;
    cases[ncases].fn = fn;
    ncases++;
}

void harness_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "FAIL %s at %s:%d: ", current ? current : "?", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    exit(1);
}

void harness_soft_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "SOFT-FAIL %s at %s:%d: ", current ? current : "?", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void harness_skip(const char *fmt, ...)
{
    va_list ap;

    printf("SKIP %s: ", current ? current : "?");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    exit(77);
}

double harness_now_ms(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER now;

    if (freq.QuadPart == 0)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&now);
    return (double)now.QuadPart * 1000.0 / (double)freq.QuadPart;
}

void *const harness_bad_ptr[HARNESS_BAD_PTRS] = {(void *)(ULONG_PTR)0x10,
                                                 (void *)(ULONG_PTR)0xFFFF800000001000ull};

void harness_check_efault_untouched(const WSAOVERLAPPED *ov, ULONG_PTR internal)
{
    CHECK_ERR(WSAEFAULT);
    CHECK_EQ(ov->Internal, internal);
    CHECK(!harness_signalled(ov->hEvent, 0));
}

BOOL harness_on_wine(void)
{
#ifdef _WIN32
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");

    return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
#else
    return FALSE;
#endif
}

void harness_startup(void)
{
    WSADATA d;
    int rc = WSAStartup(MAKEWORD(2, 2), &d);

    if (rc != 0)
        harness_fail(__FILE__, __LINE__, "WSAStartup returned %d", rc);
}

void harness_listener(SOCKET *l, struct sockaddr_in *addr)
{
    struct sockaddr_in sin = harness_loopback4(0);
    int len = sizeof(sin);

    *l = harness_tcp_socket();
    CHECK_EQ(bind(*l, (struct sockaddr *)&sin, sizeof(sin)), 0);
    CHECK_EQ(listen(*l, 5), 0);
    CHECK_EQ(getsockname(*l, (struct sockaddr *)&sin, &len), 0);
    if (addr)
        *addr = sin;
}

SOCKET harness_connect_to(const struct sockaddr_in *addr)
{
    SOCKET c = harness_tcp_socket();

    if (connect(c, (const struct sockaddr *)addr, sizeof(*addr)) != 0)
        harness_fail(__FILE__, __LINE__, "connect failed, error %d", WSAGetLastError());
    return c;
}

void harness_extension(const GUID *id, void *fn, DWORD size)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    GUID guid = *id;
    DWORD bytes = 0;

    CHECK(s != INVALID_SOCKET);
    CHECK_EQ(WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), fn, size, &bytes,
                      NULL, NULL),
             0);
    CHECK_EQ(bytes, size);
    CHECK(*(void **)fn != NULL);
    closesocket(s);
}

void harness_startup_extension(GUID id, void *fn, DWORD size)
{
    harness_startup();
    harness_extension(&id, fn, size);
}

void harness_accept_into(SOCKET a)
{
    GUID guid = WSAID_ACCEPTEX;
    LPFN_ACCEPTEX accept_ex = NULL;
    struct sockaddr_in la = harness_loopback4(0);
    int len = sizeof(la);
    char out[2 * (sizeof(struct sockaddr_in) + 16)], buf[4];
    WSAOVERLAPPED ov;
    DWORD n = 0;
    SOCKET l, c;

    harness_extension(&guid, &accept_ex, sizeof(accept_ex));
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(l != INVALID_SOCKET);
    CHECK_EQ(bind(l, (struct sockaddr *)&la, sizeof(la)), 0);
    CHECK_EQ(listen(l, 4), 0);
    CHECK_EQ(getsockname(l, (struct sockaddr *)&la, &len), 0);
    harness_ov_init(&ov, TRUE);
    if (!accept_ex(l, a, out, 0, sizeof(out) / 2, sizeof(out) / 2, &n, &ov))
        CHECK_ERR(ERROR_IO_PENDING);
    c = harness_connect_to(&la);
    CHECK(harness_signalled(ov.hEvent, 2000));
    CHECK(GetOverlappedResult((HANDLE)l, &ov, &n, FALSE));
    harness_send_all(c, "ping", 4);
    harness_recv_all(a, buf, 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(l);
}

void harness_tcp_pair(SOCKET *a, SOCKET *b)
{
    struct sockaddr_in addr;
    SOCKET l;

    harness_listener(&l, &addr);
    *a = harness_connect_to(&addr);
    *b = accept(l, NULL, NULL);
    if (*b == INVALID_SOCKET)
        harness_fail(__FILE__, __LINE__, "accept failed, error %d", WSAGetLastError());
    closesocket(l);
}

/* Receive and drop every datagram already queued on s, without changing its mode. */
static void drain_datagrams(SOCKET s)
{
    char junk[2048];

    for (;;) {
        struct timeval zero = {0, 0};
        fd_set r;

        FD_ZERO(&r);
        FD_SET(s, &r);
        if (select(0, &r, NULL, NULL, &zero) != 1)
            return;
        if (recv(s, junk, sizeof(junk), 0) == SOCKET_ERROR && WSAGetLastError() != WSAEMSGSIZE)
            return;
    }
}

void harness_udp_pair(SOCKET *a, SOCKET *b)
{
    struct sockaddr_in aa, bb;
    int len;

    memset(&aa, 0, sizeof(aa));
    aa.sin_family = AF_INET;
    aa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bb = aa;
    *a = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    *b = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    CHECK(*a != INVALID_SOCKET && *b != INVALID_SOCKET);
    CHECK_EQ(bind(*a, (struct sockaddr *)&aa, sizeof(aa)), 0);
    CHECK_EQ(bind(*b, (struct sockaddr *)&bb, sizeof(bb)), 0);
    len = sizeof(aa);
    CHECK_EQ(getsockname(*a, (struct sockaddr *)&aa, &len), 0);
    len = sizeof(bb);
    CHECK_EQ(getsockname(*b, (struct sockaddr *)&bb, &len), 0);
    CHECK_EQ(connect(*a, (struct sockaddr *)&bb, sizeof(bb)), 0);
    CHECK_EQ(connect(*b, (struct sockaddr *)&aa, sizeof(aa)), 0);
    /* Between bind and connect either port could take a datagram that a test running in
     * parallel sent to a port it had just closed (the kernel hands the number out again).
     * Connecting does not drop what is already queued, so drop it here: from now on only
     * the peer's datagrams get in. */
    drain_datagrams(*a);
    drain_datagrams(*b);
}

HANDLE harness_thread(LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE h = CreateThread(NULL, 0, fn, arg, 0, NULL);

    CHECK(h != NULL);
    return h;
}

/* ---- Overlapped-I/O helpers ------------------------------------------------------------ */

struct sockaddr_in harness_loopback4(unsigned short port)
{
    struct sockaddr_in a;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
}

SOCKET harness_udp_socket(BOOL bound)
{
    struct sockaddr_in a = harness_loopback4(0);
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    CHECK(s != INVALID_SOCKET);
    if (bound)
        CHECK_EQ(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    return s;
}

SOCKET harness_tcp_socket(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    if (s == INVALID_SOCKET)
        harness_fail(__FILE__, __LINE__, "socket failed, error %d", WSAGetLastError());
    return s;
}

SOCKET harness_tcp_connect(SOCKET client)
{
    struct sockaddr_in addr;
    SOCKET l, srv;

    harness_listener(&l, &addr);
    CHECK_EQ(connect(client, (struct sockaddr *)&addr, sizeof(addr)), 0);
    srv = accept(l, NULL, NULL);
    CHECK(srv != INVALID_SOCKET);
    closesocket(l);
    return srv;
}

BOOL harness_signalled(WSAEVENT ev, DWORD ms)
{
    return WSAWaitForMultipleEvents(1, &ev, FALSE, ms, FALSE) == WSA_WAIT_EVENT_0;
}

void harness_send_all(SOCKET s, const char *buf, int len)
{
    while (len > 0) {
        int n = send(s, buf, len, 0);

        if (n <= 0)
            harness_fail(__FILE__, __LINE__, "send returned %d, error %d", n, WSAGetLastError());
        buf += n;
        len -= n;
    }
}

void harness_recv_all(SOCKET s, char *buf, int len)
{
    while (len > 0) {
        int n = recv(s, buf, len, 0);

        if (n <= 0)
            harness_fail(__FILE__, __LINE__, "recv returned %d, error %d (%d bytes missing)", n,
                         WSAGetLastError(), len);
        buf += n;
        len -= n;
    }
}

struct harness_delayed {
    SOCKET s;
    DWORD delay;
    int len;
    char data[256];
};

static DWORD WINAPI harness_delayed_main(LPVOID arg)
{
    struct harness_delayed *d = arg;

    Sleep(d->delay); /* the delay is the point (the receiver must be waiting) */
    harness_send_all(d->s, d->data, d->len);
    free(d);
    return 0;
}

HANDLE harness_delayed_send(SOCKET s, const char *data, int len, DWORD delay_ms)
{
    struct harness_delayed *d = calloc(1, sizeof(*d));

    CHECK(d != NULL && len >= 0 && len <= (int)sizeof(d->data));
    d->s = s;
    d->delay = delay_ms;
    d->len = len;
    memcpy(d->data, data, (size_t)len);
    return harness_thread(harness_delayed_main, d);
}

BOOL harness_wait_until(BOOL (*cond)(void *arg), void *arg, DWORD timeout_ms)
{
    double start = harness_now_ms();

    while (!cond(arg)) {
        if (harness_now_ms() - start >= (double)timeout_ms)
            return cond(arg);
        Sleep(1);
    }
    return TRUE;
}

BOOL harness_ov_completed(void *ov)
{
    return HasOverlappedIoCompleted((WSAOVERLAPPED *)ov);
}

void harness_wait_queued(SOCKET s, u_long n)
{
    double start = harness_now_ms();
    u_long q = 0;

    for (;;) {
        CHECK_EQ(ioctlsocket(s, FIONREAD, &q), 0);
        if (q >= n)
            return;
        if (harness_now_ms() - start > 5000)
            harness_fail(__FILE__, __LINE__, "only %lu of %lu bytes arrived in 5 s",
                         (unsigned long)q, (unsigned long)n);
        Sleep(1);
    }
}

void harness_wait_readable(SOCKET s)
{
    fd_set rs;
    struct timeval tv = {5, 0};

    FD_ZERO(&rs);
    FD_SET(s, &rs);
    CHECK_EQ(select(0, &rs, NULL, NULL, &tv), 1);
}

void harness_join(HANDLE thread)
{
    CHECK_EQ(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    CloseHandle(thread);
}

void harness_ov_init(WSAOVERLAPPED *ov, BOOL with_event)
{
    memset(ov, 0, sizeof(*ov));
    if (with_event) {
        ov->hEvent = WSACreateEvent();
        CHECK(ov->hEvent != WSA_INVALID_EVENT);
    }
}

/* lpFlags must stay valid while a receive is pending (api.md 1.4): one static word. */
static DWORD harness_pending_flags;

void harness_recv_pending(SOCKET s, WSAOVERLAPPED *ov, char *buf, ULONG len,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE fn)
{
    WSABUF wb;
    DWORD n = 0xDEADBEEF;
    int rc;

    wb.len = len;
    wb.buf = buf;
    harness_pending_flags = 0;
    rc = WSARecv(s, &wb, 1, &n, &harness_pending_flags, ov, fn);
    if (rc != SOCKET_ERROR || WSAGetLastError() != WSA_IO_PENDING)
        harness_fail(__FILE__, __LINE__, "WSARecv returned %d, error %d; expected WSA_IO_PENDING",
                     rc, WSAGetLastError());
    CHECK_EQ(n, 0xDEADBEEF);
}

void harness_set_nonblocking(SOCKET s, BOOL on)
{
    u_long v = on ? 1 : 0;

    CHECK_EQ(ioctlsocket(s, FIONBIO, &v), 0);
}

void harness_reset_close(SOCKET s)
{
    struct linger lg;

    lg.l_onoff = 1;
    lg.l_linger = 0;
    CHECK_EQ(setsockopt(s, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof(lg)), 0);
    CHECK_EQ(closesocket(s), 0);
}

SOCKET harness_reset_reported(void)
{
    SOCKET a, b;
    char buf[8];

    harness_tcp_pair(&a, &b);
    harness_reset_close(a);
    WSASetLastError(0);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    return b;
}

long harness_fill_send_buffer(SOCKET s)
{
    static char chunk[65536];
    long total = 0;

    harness_set_nonblocking(s, TRUE);
    for (;;) {
        int n = send(s, chunk, sizeof(chunk), 0);

        if (n > 0) {
            total += n;
            continue;
        }
        CHECK_EQ(n, SOCKET_ERROR);
        CHECK_ERR(WSAEWOULDBLOCK);
        /* Loopback may free a little more space right away; stop after a quiet moment. */
        Sleep(20);
        n = send(s, chunk, sizeof(chunk), 0);
        if (n > 0) {
            total += n;
            continue;
        }
        return total;
    }
}

void harness_expect_no_data(SOCKET s)
{
    char buf[16];

    Sleep(50); /* time for wrong data to show: an absence gives no signal */
    harness_set_nonblocking(s, TRUE);
    WSASetLastError(0);
    CHECK_EQ(recv(s, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAEWOULDBLOCK);
}

static struct {
    HANDLE thread, stop;
    DWORD ms;
    const char *what;
} watchdog;

static DWORD WINAPI watchdog_main(LPVOID arg)
{
    (void)arg;
    if (WaitForSingleObject(watchdog.stop, watchdog.ms) != WAIT_OBJECT_0)
        harness_fail(__FILE__, __LINE__, "%s did not return within %lu ms", watchdog.what,
                     (unsigned long)watchdog.ms);
    return 0;
}

void harness_watchdog_start(DWORD ms, const char *what)
{
    CHECK(watchdog.thread == NULL);
    watchdog.ms = ms;
    watchdog.what = what;
    watchdog.stop = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(watchdog.stop != NULL);
    watchdog.thread = harness_thread(watchdog_main, NULL);
}

void harness_watchdog_stop(void)
{
    CHECK(watchdog.thread != NULL);
    CHECK(SetEvent(watchdog.stop));
    CHECK_EQ(WaitForSingleObject(watchdog.thread, INFINITE), WAIT_OBJECT_0);
    CloseHandle(watchdog.thread);
    CloseHandle(watchdog.stop);
    watchdog.thread = NULL;
}

static int run_case(int i)
{
    current = cases[i].name;
    /* The first line of every run: output without it means the program never reached
     * main (cmake/wine-run.sh tells such a start-up failure from a test failure). */
    printf("RUN %s\n", current);
    cases[i].fn();
    printf("PASS %s\n", current);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    int i;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "--list") == 0) {
        for (i = 0; i < ncases; i++)
            printf("%s\n", cases[i].name);
        return 0;
    }
    if (argc > 1) {
        for (i = 0; i < ncases; i++)
            if (strcmp(argv[1], cases[i].name) == 0)
                return run_case(i);
        fprintf(stderr, "no case named %s\n", argv[1]);
        return 2;
    }
    /* No name: every case in this process, in order (a failure stops the run). */
    for (i = 0; i < ncases; i++)
        run_case(i);
    return 0;
}

void harness_check_done(SOCKET s, WSAOVERLAPPED *ov, DWORD n)
{
    DWORD got = 0xDEADBEEF, flags = 0;

    CHECK(harness_signalled(ov->hEvent, 5000));
    CHECK(WSAGetOverlappedResult(s, ov, &got, FALSE, &flags));
    CHECK_EQ(got, n);
}

void harness_check_peer_eof(SOCKET peer)
{
    char c;

    harness_wait_readable(peer);
    CHECK_EQ(recv(peer, &c, 1, 0), 0);
}

char harness_file_byte(DWORD i)
{
    return (char)((i * 7 + i / 251) & 0xFF);
}

HANDLE harness_make_file(const char *prefix, char *path, size_t room, DWORD size)
{
    static int serial;
    char block[4096];
    FILE *f;
    HANDLE h;

    snprintf(path, room, "%s_%lu_%d.tmp", prefix, (unsigned long)GetCurrentProcessId(), ++serial);
    f = fopen(path, "wb");
    CHECK(f != NULL);
    for (DWORD done = 0; done < size;) {
        DWORD n = size - done < sizeof(block) ? size - done : (DWORD)sizeof(block);

        for (DWORD i = 0; i < n; i++)
            block[i] = harness_file_byte(done + i);
        CHECK_EQ(fwrite(block, 1, n, f), n);
        done += n;
    }
    CHECK_EQ(fclose(f), 0);
    h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL,
                    NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    return h;
}

void harness_remove_file(HANDLE h, const char *path)
{
    CHECK(CloseHandle(h));
    CHECK_EQ(remove(path), 0);
}

void harness_recv_file_part(SOCKET s, DWORD from, DWORD n)
{
    char buf[8192];

    while (n) {
        int want = n < sizeof(buf) ? (int)n : (int)sizeof(buf);

        harness_recv_all(s, buf, want);
        for (int i = 0; i < want; i++)
            if (buf[i] != harness_file_byte(from + (DWORD)i)) {
                CHECK_EQ(buf[i], harness_file_byte(from + (DWORD)i));
                return;
            }
        from += (DWORD)want;
        n -= (DWORD)want;
    }
}

void harness_file_fixture_open(struct harness_file_fixture *x, const char *prefix, DWORD size)
{
    harness_tcp_pair(&x->a, &x->b);
    x->f = harness_make_file(prefix, x->path, sizeof(x->path), size);
}

void harness_file_fixture_close(struct harness_file_fixture *x)
{
    closesocket(x->a);
    closesocket(x->b);
    harness_remove_file(x->f, x->path);
}

void harness_check_port_packet(HANDLE port, WSAOVERLAPPED *ov, ULONG_PTR key, DWORD n)
{
    DWORD got = 0xDEADBEEF;
    ULONG_PTR k = 0;
    LPOVERLAPPED o = NULL;

    CHECK(GetQueuedCompletionStatus(port, &got, &k, &o, 5000));
    CHECK(o == ov);
    CHECK_EQ(got, n);
    CHECK_EQ(k, key);
}

void harness_check_cancel_aborts(SOCKET s, WSAOVERLAPPED *ov)
{
    DWORD n, flags = 0;

    CHECK(CancelIoEx((HANDLE)s, ov));
    CHECK(harness_signalled(ov->hEvent, 2000));
    CHECK(!WSAGetOverlappedResult(s, ov, &n, FALSE, &flags));
    CHECK_ERR(WSA_OPERATION_ABORTED);
}

void harness_check_close_aborts(SOCKET s, WSAOVERLAPPED *ov)
{
    CHECK_EQ(closesocket(s), 0);
    CHECK(harness_signalled(ov->hEvent, 2000));
    CHECK(ov->Internal != STATUS_SUCCESS && ov->Internal != STATUS_PENDING);
}

void harness_check_reused(SOCKET a, SOCKET b, WSAOVERLAPPED *ov, const char *data, int n)
{
    char buf[64];

    CHECK(n <= (int)sizeof(buf));
    harness_recv_all(b, buf, n);
    CHECK(memcmp(buf, data, (size_t)n) == 0);
    harness_check_peer_eof(b);
    closesocket(b);
    harness_check_done(a, ov, (DWORD)n);
    harness_accept_into(a);
    closesocket(a);
}
