/*
 * futex.h - thin wrappers over futex(2) and futex_waitv(2).
 *
 * All words are process-private. Deadlines are absolute CLOCK_MONOTONIC times, so that a
 * wait that is woken early and sleeps again never stretches its timeout.
 *
 * futex_waitv (Linux 5.16) lets one thread sleep on up to 128 words at once; that is how
 * a WaitForMultipleObjects over 64 events plus the thread's APC word sleeps without any
 * lock. Older kernels (ENOSYS) fall back to one process-wide broadcast word (sync/waitable.c).
 */
#ifndef WSAIO_BASE_FUTEX_H
#define WSAIO_BASE_FUTEX_H

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#ifndef FUTEX_32
#define FUTEX_32 2
#endif
#ifndef FUTEX_PRIVATE_FLAG
#define FUTEX_PRIVATE_FLAG 128
#endif

struct wsaio_futex_waitv {
    uint64_t val;
    uint64_t uaddr;
    uint32_t flags;
    uint32_t reserved;
};

/* Wakes up to n threads sleeping on word. */
static inline void wsaio_futex_wake(_Atomic uint32_t *word, int n)
{
    syscall(SYS_futex, word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, n, NULL, NULL, 0);
}

/* Sleeps while *word == expected, until woken or the deadline (NULL: none).
 * Returns 0 (woken or value changed) or -ETIMEDOUT. */
static inline int wsaio_futex_wait(_Atomic uint32_t *word, uint32_t expected,
                                   const struct timespec *deadline)
{
    long rc = syscall(SYS_futex, word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG, expected, deadline,
                      NULL, FUTEX_BITSET_MATCH_ANY);

    return (rc < 0 && errno == ETIMEDOUT) ? -ETIMEDOUT : 0;
}

/* Sleeps on several words. Returns 0 (woken or a value differed), -ETIMEDOUT or -ENOSYS. */
static inline int wsaio_futex_waitv(struct wsaio_futex_waitv *w, unsigned n,
                                    const struct timespec *deadline)
{
    long rc = syscall(SYS_futex_waitv, w, n, 0, deadline, CLOCK_MONOTONIC);

    if (rc >= 0)
        return 0;
    if (errno == ETIMEDOUT || errno == ENOSYS)
        return -errno;
    return 0; /* EAGAIN (a value changed), EINTR: the caller re-checks */
}

static inline void wsaio_waitv_entry(struct wsaio_futex_waitv *e, _Atomic uint32_t *word,
                                     uint32_t expected)
{
    e->val = expected;
    e->uaddr = (uint64_t)(uintptr_t)word;
    e->flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
    e->reserved = 0;
}

#endif /* WSAIO_BASE_FUTEX_H */
