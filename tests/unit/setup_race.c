/*
 * setup_race.c - the lazy setup retried by many threads at once (issue 9 item 3, review):
 * 16 threads make their first overlapped calls together while no descriptor is free, and
 * keep calling while descriptors come back. Each call either fails with a transient error
 * (WSAEMFILE / WSAENOBUFS) or is accepted; once they are accepted, exactly one backend
 * exists (one io_uring ring, or one epoll set and its eventfd), one progress thread was
 * started, no descriptor of a failed attempt is left open, and every call completes.
 * Meanwhile another thread asks wsaio_backend_refusal() and wsaio_backend_name(): the
 * refusal text, rewritten by each retried attempt, was read unlocked (a data race that
 * ThreadSanitizer reported here). Then WSACleanup and WSAStartup again: the same resources
 * serve, none is made twice, and the program's new sockets work.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "unit.h"

#define THREADS 16

static SOCKET pairs[THREADS][2];
static int spare[512];
static int nspare;
static _Atomic int failed_calls, started;
static pthread_barrier_t go;

/* Counts the descriptors whose link names kind ("anon_inode:[io_uring]", ...), or all of
 * them (NULL). */
static int count_fds(const char *kind)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    char path[300], link[64];
    int n = 0;

    CHECK(d != NULL);
    while ((e = readdir(d))) {
        ssize_t len;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
        len = readlink(path, link, sizeof(link) - 1);
        if (len < 0)
            continue;
        link[len] = 0;
        n += !kind || strcmp(link, kind) == 0;
    }
    closedir(d);
    return n;
}

/* The threads of the process. */
static int count_threads(void)
{
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int n = 0;

    CHECK(d != NULL);
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* An overlapped one-byte receive on s into buf (ov zeroed, with an event): the error. */
static int post_receive(SOCKET s, WSAOVERLAPPED *ov, char *buf)
{
    WSABUF b = {1, buf};
    DWORD flags = 0;

    CHECK_EQ(WSARecv(s, &b, 1, NULL, &flags, ov, NULL), SOCKET_ERROR);
    return WSAGetLastError();
}

/* The peer's byte completes the pending receive on s; its event is closed. */
static void complete_receive(SOCKET s, SOCKET peer, WSAOVERLAPPED *ov)
{
    DWORD n = 0, flags = 0;

    CHECK_EQ(send(peer, "x", 1, 0), 1);
    CHECK_EQ(WSAWaitForMultipleEvents(1, &ov->hEvent, FALSE, 10000, FALSE), WSA_WAIT_EVENT_0);
    CHECK(WSAGetOverlappedResult(s, ov, &n, FALSE, &flags));
    CHECK_EQ(n, 1);
    WSACloseEvent(ov->hEvent);
}

static void *caller(void *arg)
{
    int i = (int)(intptr_t)arg, err;
    WSAOVERLAPPED ov;
    char buf[1];

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    CHECK(ov.hEvent != NULL);
    pthread_barrier_wait(&go);
    while ((err = post_receive(pairs[i][0], &ov, buf)) != WSA_IO_PENDING) {
        if (err != WSAEMFILE && err != WSAENOBUFS) {
            fprintf(stderr, "thread %d: error %d\n", i, err);
            CHECK(!"a transient shortage gave a lasting error");
        }
        atomic_fetch_add(&failed_calls, 1);
        sched_yield();
    }
    atomic_fetch_add(&started, 1);
    complete_receive(pairs[i][0], pairs[i][1], &ov);
    return NULL;
}

static void fill_descriptors(void)
{
    struct rlimit rl;
    int fd;

    CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0);
    if (rl.rlim_cur > 256) {
        rl.rlim_cur = 256;
        CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
    }
    while ((fd = dup(0)) >= 0) {
        CHECK(nspare < 512);
        spare[nspare++] = fd;
    }
    CHECK_EQ(errno, EMFILE);
}

/* Every thread starts its calls before descriptors come back: the setup is retried by
 * all of them at once, and succeeds while the others still try. */
/* A thread that asks what wsaio runs on while the setup is retried: the answers are read
 * while other threads' attempts rewrite them. */
static _Atomic int asking;

static void *asker(void *arg)
{
    size_t sum = 0;

    (void)arg;
    pthread_barrier_wait(&go);
    while (atomic_load(&asking))
        sum += strlen(wsaio_backend_refusal()) + strlen(wsaio_backend_name());
    return (void *)sum;
}

static void *nothing(void *arg)
{
    return arg;
}

static void first_calls_together(void)
{
    pthread_t t[THREADS], a;
    int threads_before;

    /* A sanitizer's runtime starts a thread of its own with the first one: before counting. */
    CHECK(pthread_create(&t[0], NULL, nothing, NULL) == 0);
    CHECK(pthread_join(t[0], NULL) == 0);
    threads_before = count_threads();

    fill_descriptors();
    CHECK(pthread_barrier_init(&go, NULL, THREADS + 2) == 0);
    atomic_store(&asking, 1);
    CHECK(pthread_create(&a, NULL, asker, NULL) == 0);
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, caller, (void *)(intptr_t)i) == 0);
    pthread_barrier_wait(&go);
    while (atomic_load(&failed_calls) < 4 * THREADS)
        sched_yield();
    /* Back a few at a time: the first attempts that find some free may still fail. */
    while (nspare) {
        close(spare[--nspare]);
        sched_yield();
    }
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    atomic_store(&asking, 0);
    CHECK(pthread_join(a, NULL) == 0);
    pthread_barrier_destroy(&go);
    CHECK_EQ(atomic_load(&started), THREADS);
    printf("%d transient failures, then %s\n", atomic_load(&failed_calls), wsaio_backend_name());
    if (!strcmp(wsaio_backend_name(), "uring")) {
        CHECK_EQ(count_fds("anon_inode:[io_uring]"), 1);
        CHECK_EQ(count_fds("anon_inode:[eventpoll]"), 0);
    } else {
        CHECK_EQ(count_fds("anon_inode:[io_uring]"), 0);
        CHECK_EQ(count_fds("anon_inode:[eventpoll]"), 1);
        CHECK_EQ(count_fds("anon_inode:[eventfd]"), 1);
    }
    /* The callers are joined (gone from /proc once the kernel has reaped them): what is
     * left is this thread and the progress thread, never two. */
    for (int tries = 0; count_threads() > threads_before + 1 && tries < 5000; tries++)
        usleep(1000);
    CHECK(count_threads() <= threads_before + 1);
}

TEST(setup_race)
{
    SOCKET p[2], u;
    WSAEVENT ev;
    int fds = 0, threads = 0;

    harness_startup();
    for (int i = 0; i < THREADS; i++)
        harness_tcp_pair(&pairs[i][0], &pairs[i][1]);
    first_calls_together();

    /* WSACleanup closes every socket; each WSAStartup after it finds what was set up
     * (backend, progress thread, watcher, listener) working, and nothing is made again:
     * after the first round, the same descriptors and threads remain at each cleanup. */
    CHECK(WSACleanup() == 0);
    for (int round = 0; round < 4; round++) {
        harness_startup();
        harness_tcp_pair(&p[0], &p[1]);
        u = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
        CHECK(u != INVALID_SOCKET);
        ev = WSACreateEvent();
        unit_exercise_features(p, u, ev);
        WSACloseEvent(ev);
        CHECK(WSACleanup() == 0);
        if (round == 0) {
            fds = count_fds(NULL);
            threads = count_threads();
        }
        CHECK_EQ(count_fds(NULL), fds);
        CHECK(count_threads() <= threads);
    }
    printf("4 rounds of WSAStartup, every feature, WSACleanup: %d descriptors each time\n", fds);
}
