/*
 * thread_exhaustion.c - wsaio's threads and mappings made on first use survive a
 * transient shortage of address space (issue 9 item 3, its other resources): with
 * RLIMIT_AS just above what the process maps, no thread stack and no io_uring ring can be
 * mapped. The first overlapped call (the ring, or on epoll the progress thread), the first
 * WSAEventSelect (the watcher thread) and the first address-change request (the listener
 * thread) then fail with WSAENOBUFS, and again when tried again, leaving no descriptor
 * behind; once the limit is lifted the same calls work, on the backend a fresh process
 * would choose.
 *
 * A sanitizer's runtime maps memory of its own at any time, so under AddressSanitizer or
 * ThreadSanitizer the test skips, saying so.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "unit.h"

static struct rlimit saved;

static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    CHECK(d != NULL);
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* Grows the stack now, so that the calls below never need to while the limit holds. */
static void __attribute__((noinline)) touch_stack(void)
{
    volatile char deep[256 * 1024];

    memset((char *)deep, 1, sizeof(deep));
}

/* Limits the address space to what is mapped now plus 16 KB: no thread stack fits. */
static void squeeze(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0;
    struct rlimit rl;

    CHECK(f != NULL);
    CHECK(fscanf(f, "%ld", &pages) == 1);
    fclose(f);
    CHECK(getrlimit(RLIMIT_AS, &saved) == 0);
    rl = saved;
    rl.rlim_cur = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + 16 * 1024;
    CHECK(setrlimit(RLIMIT_AS, &rl) == 0);
}

static void release(void)
{
    CHECK(setrlimit(RLIMIT_AS, &saved) == 0);
}

static void check_enobufs(int rc)
{
    CHECK_EQ(rc, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOBUFS);
}

TEST(thread_exhaustion)
{
    SOCKET p[2], u;
    WSAOVERLAPPED ov, cov;
    WSAEVENT ev;
    WSABUF b;
    DWORD n = 0, flags = 0;
    char buf[1];
    int fds = 0;

#ifdef UNIT_SANITIZED
    SKIP("a sanitizer's runtime maps memory of its own; RLIMIT_AS would stop it");
#endif
    harness_startup();
    harness_tcp_pair(&p[0], &p[1]);
    u = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(u != INVALID_SOCKET);
    ev = WSACreateEvent();
    memset(&ov, 0, sizeof(ov));
    memset(&cov, 0, sizeof(cov));
    ov.hEvent = WSACreateEvent();
    cov.hEvent = WSACreateEvent();
    b.len = 1;
    b.buf = buf;
    touch_stack();

    for (int round = 0; round < 2; round++) {
        squeeze();
        check_enobufs(WSARecv(p[0], &b, 1, NULL, &flags, &ov, NULL));
        check_enobufs(WSAEventSelect(p[1], ev, FD_READ));
        check_enobufs(WSAIoctl(u, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, &cov, NULL));
        release();
        /* A failed setup closes what it opened (a backend that was set up stays, when only
         * the progress thread is missing): trying again leaves nothing behind either. */
        if (round == 0)
            fds = open_fds();
        CHECK_EQ(open_fds(), fds);
    }

    unit_exercise_features(p, u, ev);
    CHECK(strcmp(wsaio_backend_name(), unit_expected_backend()) == 0);
    printf("no address space: WSAENOBUFS; then %s, the watcher and the listener\n",
           wsaio_backend_name());

    closesocket(p[0]);
    closesocket(p[1]);
    closesocket(u);
    WSACloseEvent(ev);
    WSACloseEvent(ov.hEvent);
    WSACloseEvent(cov.hEvent);
    CHECK(WSACleanup() == 0);
}
