/*
 * lock_order.c - the debug builds' lock-order check (base/lockorder.h) catches a nesting
 * against the order, and lets the documented ones through.
 *
 * Each bad nesting runs in a child process, which must die of the abort and print the
 * ranks; the good nestings (outer before inner, the recursive resources lock taken again)
 * run in this process. Release builds (NDEBUG) have no check: the case skips there.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include "unit.h"

#include "base/lockorder.h"

#ifndef NDEBUG
static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER, inner = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t rec = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

/* Runs take(first) then take(second) in a child; true when the child aborted. */
static int child_aborts(enum wsaio_lock_rank first, enum wsaio_lock_rank second)
{
    int status;
    pid_t pid = fork();

    CHECK(pid >= 0);
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);

        dup2(devnull, 2); /* the report is expected */
        wsaio_lock(&outer, first);
        wsaio_lock(&inner, second);
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

#endif

TEST(lock_order)
{
#ifdef NDEBUG
    SKIP("release build: the lock order is checked only without NDEBUG");
#else
    /* Outer before inner, released in any order. */
    wsaio_lock(&outer, WSAIO_RANK_SOCKET_TABLE);
    wsaio_lock(&inner, WSAIO_RANK_SOCKET);
    wsaio_unlock(&outer, WSAIO_RANK_SOCKET_TABLE);
    wsaio_unlock(&inner, WSAIO_RANK_SOCKET);
    CHECK_EQ(wsaio_ranks_held, 0);

    /* The recursive resources lock, taken again under itself, and a pool under it. */
    wsaio_lock(&rec, WSAIO_RANK_RESOURCES);
    wsaio_lock(&rec, WSAIO_RANK_RESOURCES);
    wsaio_lock(&inner, WSAIO_RANK_POOL);
    wsaio_unlock(&inner, WSAIO_RANK_POOL);
    wsaio_unlock(&rec, WSAIO_RANK_RESOURCES);
    CHECK(wsaio_ranks_held != 0); /* still held once */
    wsaio_unlock(&rec, WSAIO_RANK_RESOURCES);
    CHECK_EQ(wsaio_ranks_held, 0);

    /* Against the order: inner before outer, and two locks of one rank. */
    CHECK(child_aborts(WSAIO_RANK_SOCKET, WSAIO_RANK_SOCKET_TABLE));
    CHECK(child_aborts(WSAIO_RANK_BACKEND, WSAIO_RANK_SOCKET));
    CHECK(child_aborts(WSAIO_RANK_SOCKET, WSAIO_RANK_SOCKET));
    CHECK(child_aborts(WSAIO_RANK_HANDLES, WSAIO_RANK_POOL));
    /* And one the order allows, through the same path: the child exits cleanly. */
    CHECK(!child_aborts(WSAIO_RANK_SOCKET, WSAIO_RANK_BACKEND));
    printf("lock order: 4 nestings against the order aborted, the allowed ones passed\n");
#endif
}
