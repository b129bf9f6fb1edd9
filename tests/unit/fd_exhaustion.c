/*
 * fd_exhaustion.c - resources wsaio creates on first use survive a transient shortage
 * (issue 9 item 3): the first overlapped call, the first WSAEventSelect and the first
 * address-change request, all made while no descriptor is free, fail with a transient
 * error (WSAEMFILE / WSAENOBUFS), and the same calls work once descriptors are free again,
 * on the backend a fresh process would have chosen. Then the same for the thread state of
 * completion routines, made while no pthread key is free.
 *
 * The exhaustion is real: the soft RLIMIT_NOFILE is lowered and the table filled with
 * dup(); PTHREAD_KEYS_MAX keys are taken with pthread_key_create().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "unit.h"

static int spare[512];
static int nspare;

/* Takes every free descriptor (under a limit of 256). */
static void fill_descriptors(void)
{
    struct rlimit rl;

    CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
    if (rl.rlim_cur > 256) {
        rl.rlim_cur = 256;
        CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
    }
    while (nspare < 512) {
        int fd = dup(0);

        if (fd < 0) {
            CHECK_EQ(errno, EMFILE);
            return;
        }
        spare[nspare++] = fd;
    }
    CHECK(!"the descriptor table did not fill up");
}

static void free_descriptors(void)
{
    while (nspare)
        close(spare[--nspare]);
}

static void check_transient(int rc)
{
    int err = WSAGetLastError();

    CHECK_EQ(rc, SOCKET_ERROR);
    if (err != WSAEMFILE && err != WSAENOBUFS) {
        fprintf(stderr, "expected WSAEMFILE or WSAENOBUFS, got %d\n", err);
        CHECK(!"a transient shortage gave a lasting error");
    }
}

/* A selection that failed selected nothing: a receive that leaves data behind records
 * nothing and sets no event. */
static void not_selected(SOCKET p[2], WSAEVENT ev)
{
    struct timeval t = {5, 0};
    fd_set rd;
    char buf[1];

    CHECK_EQ(send(p[0], "ww", 2, 0), 2); /* one segment: both bytes arrive together */
    FD_ZERO(&rd);
    FD_SET(p[1], &rd);
    CHECK_EQ(select(0, &rd, NULL, NULL, &t), 1);
    CHECK_EQ(recv(p[1], buf, 1, 0), 1);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ev, FALSE, 0, FALSE), WSA_WAIT_TIMEOUT);
    CHECK_EQ(recv(p[1], buf, 1, 0), 1);
}

static void descriptors(void)
{
    const char *backend = unit_expected_backend();
    SOCKET p[2], u = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    WSAEVENT ev = WSACreateEvent();
    WSAOVERLAPPED ov, cov;
    DWORD n = 5, flags = 0;
    char buf[1];
    WSABUF b = {1, buf};

    CHECK(u != INVALID_SOCKET);
    harness_tcp_pair(&p[0], &p[1]);
    memset(&ov, 0, sizeof(ov));
    memset(&cov, 0, sizeof(cov));
    cov.hEvent = WSACreateEvent();

    fill_descriptors();
    /* The first overlapped call of the process: the backend cannot be set up now. */
    check_transient(WSARecv(p[0], &b, 1, NULL, &flags, &ov, NULL));
    check_transient(WSARecv(p[0], &b, 1, NULL, &flags, &ov, NULL)); /* still short */
    /* The first selection: the watcher's epoll set cannot be made now. */
    check_transient(WSAEventSelect(p[1], ev, FD_READ));
    not_selected(p, ev);
    /* The first change request: the rtnetlink listener cannot be opened now. */
    check_transient(WSAIoctl(u, SIO_ADDRESS_LIST_CHANGE, NULL, 0, NULL, 0, &n, &cov, NULL));
    free_descriptors();

    unit_exercise_features(p, u, ev);
    CHECK(strcmp(wsaio_backend_name(), backend) == 0);       /* not a fallback chosen for good */
    if (strcmp(backend, "epoll") || getenv("WSAIO_BACKEND")) /* io_uring was not refused */
        CHECK(strcmp(wsaio_backend_refusal(), "") == 0);

    closesocket(p[0]);
    closesocket(p[1]);
    closesocket(u);
    WSACloseEvent(ev);
    WSACloseEvent(cov.hEvent);
}

static pthread_key_t keys[PTHREAD_KEYS_MAX];
static int nkeys, markers[PTHREAD_KEYS_MAX];
static int routine_ran;

static void CALLBACK routine(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    CHECK_EQ(err, 0);
    CHECK_EQ(bytes, 1);
    routine_ran++;
}

/* Completion routines need the thread's state, found through a pthread key made on first
 * use: with none free, the call fails for now, and nobody else's key is touched. */
static void thread_state(void)
{
    SOCKET p[2];
    WSAOVERLAPPED ov;
    WSABUF b;
    DWORD flags = 0;
    char buf[1];
    int rc;

    harness_tcp_pair(&p[0], &p[1]);
    while (nkeys < PTHREAD_KEYS_MAX && pthread_key_create(&keys[nkeys], NULL) == 0) {
        CHECK(pthread_setspecific(keys[nkeys], &markers[nkeys]) == 0);
        nkeys++;
    }
    memset(&ov, 0, sizeof(ov));
    b.len = 1;
    b.buf = buf;
    check_transient(WSARecv(p[0], &b, 1, NULL, &flags, &ov, routine));
    for (int i = 0; i < nkeys; i++)
        CHECK(pthread_getspecific(keys[i]) == &markers[i]);
    while (nkeys)
        CHECK(pthread_key_delete(keys[--nkeys]) == 0);

    memset(&ov, 0, sizeof(ov));
    rc = WSARecv(p[0], &b, 1, NULL, &flags, &ov, routine);
    CHECK_EQ(rc, SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSA_IO_PENDING);
    CHECK_EQ(send(p[1], "z", 1, 0), 1);
    CHECK_EQ(SleepEx(5000, TRUE), WAIT_IO_COMPLETION);
    CHECK_EQ(routine_ran, 1);
    closesocket(p[0]);
    closesocket(p[1]);
}

TEST(fd_exhaustion)
{

    harness_startup();
    descriptors();
    printf("descriptors: transient, then %s\n", wsaio_backend_name());
    thread_state();
    printf("thread state: transient, then routines run\n");
    CHECK(WSACleanup() == 0);
}
