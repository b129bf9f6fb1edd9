/*
 * harness.c - case registry, checks and socket helpers of the portable conformance suite
 * (see harness.h). Only Winsock/Win32 and the C library are used here.
 */
#include "harness.h"

#include <stdarg.h>

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

void harness_tcp_pair(SOCKET *a, SOCKET *b)
{
    struct sockaddr_in addr;
    int len = sizeof(addr);
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    CHECK(l != INVALID_SOCKET);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(bind(l, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CHECK_EQ(listen(l, 1), 0);
    CHECK_EQ(getsockname(l, (struct sockaddr *)&addr, &len), 0);
    *a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(*a != INVALID_SOCKET);
    CHECK_EQ(connect(*a, (struct sockaddr *)&addr, sizeof(addr)), 0);
    *b = accept(l, NULL, NULL);
    CHECK(*b != INVALID_SOCKET);
    closesocket(l);
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
}

HANDLE harness_thread(LPTHREAD_START_ROUTINE fn, void *arg)
{
    HANDLE h = CreateThread(NULL, 0, fn, arg, 0, NULL);

    CHECK(h != NULL);
    return h;
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
