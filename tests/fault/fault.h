/*
 * fault.h - failures on command at wsaio's boundary to the kernel, for the fault-injection
 * tests. The test program is linked against the static library with -Wl,--wrap=<symbol>
 * for every kernel-facing call wsaio makes (fault.c, tests/fault/CMakeLists.txt); each
 * __wrap_<symbol> fails when its schedule says so, and calls the real function otherwise.
 */
#ifndef WSAIO_TEST_FAULT_H
#define WSAIO_TEST_FAULT_H

#include <stdint.h>

enum fault_point {
    F_SOCKET,
    F_ACCEPT4,
    F_EVENTFD,
    F_EPOLL_CREATE1,
    F_EPOLL_CTL,
    F_EPOLL_PWAIT2,
    F_EPOLL_WAIT,
    F_RECVMSG,
    F_SENDMSG,
    F_MALLOC,
    F_CALLOC,
    F_REALLOC,
    F_PTHREAD_CREATE,
    F_URING_INIT,   /* io_uring_queue_init_params */
    F_URING_SUBMIT, /* io_uring_submit */
    F_COUNT
};

/* Fails `count` calls of p with errno err, after letting `skip` calls through. With
 * this_thread set, only calls made by the calling thread count (background threads of the
 * library pass untouched), which keeps a schedule deterministic. */
void fault_arm(enum fault_point p, unsigned skip, unsigned count, int err, int this_thread);

/* Fails each call of p with probability permille/1000, with err, from any thread, until
 * cleared. The draws come from one generator seeded by fault_seed(). */
void fault_random(enum fault_point p, unsigned permille, int err);
void fault_seed(uint64_t seed);

/* Disarms p (or every point with fault_clear_all). */
void fault_clear(enum fault_point p);
void fault_clear_all(void);

/* Calls of p seen, and calls failed on purpose, since the start of the program. */
unsigned long fault_calls(enum fault_point p);
unsigned long fault_failed(enum fault_point p);

/* The name of p, for messages. */
const char *fault_name(enum fault_point p);

#endif /* WSAIO_TEST_FAULT_H */
