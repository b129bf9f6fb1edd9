/*
 * fault.c - the __wrap_ functions of fault.h. Each one asks its schedule whether this call
 * fails; if so it sets errno (or returns the error, for the calls that return one) without
 * calling the system, else it calls __real_<symbol>. Lock-free: the library's background
 * threads (progress, reaper, watcher) call these too.
 */
#include "fault.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#ifdef WSAIO_HAVE_LIBURING
#include <liburing.h>
#endif

struct schedule {
    _Atomic int armed;      /* 0 off, 1 counted, 2 random */
    _Atomic unsigned skip;  /* counted: calls still let through */
    _Atomic unsigned count; /* counted: calls still to fail */
    _Atomic unsigned permille;
    _Atomic int err;
    _Atomic int this_thread;
    pthread_t thread;
    _Atomic unsigned long calls, failed;
};

static struct schedule sched[F_COUNT];
static _Atomic uint64_t rng = 0x9e3779b97f4a7c15ull;

static const char *const names[F_COUNT] = {
    "socket",          "accept4",
    "eventfd",         "epoll_create1",
    "epoll_ctl",       "epoll_pwait2",
    "epoll_wait",      "recvmsg",
    "sendmsg",         "malloc",
    "calloc",          "realloc",
    "pthread_create",  "io_uring_queue_init_params",
    "io_uring_submit",
};

const char *fault_name(enum fault_point p)
{
    return names[p];
}

void fault_seed(uint64_t seed)
{
    atomic_store(&rng, seed * 2 + 1);
}

/* splitmix64 over one shared word: good enough, and safe from any thread. */
static uint64_t draw(void)
{
    uint64_t z = atomic_fetch_add(&rng, 0x9e3779b97f4a7c15ull) + 0x9e3779b97f4a7c15ull;

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void fault_arm(enum fault_point p, unsigned skip, unsigned count, int err, int this_thread)
{
    struct schedule *s = &sched[p];

    atomic_store(&s->armed, 0);
    s->thread = pthread_self();
    atomic_store(&s->this_thread, this_thread);
    atomic_store(&s->skip, skip);
    atomic_store(&s->count, count);
    atomic_store(&s->err, err);
    atomic_store(&s->armed, 1);
}

void fault_random(enum fault_point p, unsigned permille, int err)
{
    struct schedule *s = &sched[p];

    atomic_store(&s->armed, 0);
    atomic_store(&s->permille, permille);
    atomic_store(&s->err, err);
    atomic_store(&s->this_thread, 0);
    atomic_store(&s->armed, 2);
}

void fault_clear(enum fault_point p)
{
    atomic_store(&sched[p].armed, 0);
}

void fault_clear_all(void)
{
    for (int p = 0; p < F_COUNT; p++)
        fault_clear((enum fault_point)p);
}

unsigned long fault_calls(enum fault_point p)
{
    return atomic_load(&sched[p].calls);
}

unsigned long fault_failed(enum fault_point p)
{
    return atomic_load(&sched[p].failed);
}

/* 0: make the real call; else the errno to fail with. */
static int hit(enum fault_point p)
{
    struct schedule *s = &sched[p];
    int armed = atomic_load(&s->armed);
    unsigned n;

    atomic_fetch_add_explicit(&s->calls, 1, memory_order_relaxed);
    if (!armed)
        return 0;
    if (armed == 2) {
        if (draw() % 1000 >= atomic_load(&s->permille))
            return 0;
    } else {
        if (atomic_load(&s->this_thread) && !pthread_equal(s->thread, pthread_self()))
            return 0;
        n = atomic_load(&s->skip);
        while (n && !atomic_compare_exchange_weak(&s->skip, &n, n - 1))
            ;
        if (n)
            return 0;
        n = atomic_load(&s->count);
        do {
            if (!n)
                return 0;
        } while (!atomic_compare_exchange_weak(&s->count, &n, n - 1));
    }
    atomic_fetch_add_explicit(&s->failed, 1, memory_order_relaxed);
    return atomic_load(&s->err);
}

/* Fails with -1/errno, or makes the real call. */
#define WRAP_ERRNO(point, type, name, params, args)                                                \
    type __real_##name params;                                                                     \
    type __wrap_##name params;                                                                     \
    type __wrap_##name params                                                                      \
    {                                                                                              \
        int fault_e_ = hit(point);                                                                 \
        if (fault_e_) {                                                                            \
            errno = fault_e_;                                                                      \
            return (type)-1;                                                                       \
        }                                                                                          \
        return __real_##name args;                                                                 \
    }

WRAP_ERRNO(F_SOCKET, int, socket, (int d, int t, int p), (d, t, p))
WRAP_ERRNO(F_ACCEPT4, int, accept4, (int fd, struct sockaddr *a, socklen_t *l, int f),
           (fd, a, l, f))
WRAP_ERRNO(F_EVENTFD, int, eventfd, (unsigned v, int f), (v, f))
WRAP_ERRNO(F_EPOLL_CREATE1, int, epoll_create1, (int f), (f))
/* Only EPOLL_CTL_ADD allocates in the kernel (ENOMEM, ENOSPC for max_user_watches); a MOD
 * or DEL of a registered descriptor does not fail, so it is not made to. */
int __real_epoll_ctl(int e, int op, int fd, struct epoll_event *ev);
int __wrap_epoll_ctl(int e, int op, int fd, struct epoll_event *ev);
int __wrap_epoll_ctl(int e, int op, int fd, struct epoll_event *ev)
{
    int err = op == EPOLL_CTL_ADD ? hit(F_EPOLL_CTL) : 0;

    if (err) {
        errno = err;
        return -1;
    }
    return __real_epoll_ctl(e, op, fd, ev);
}
WRAP_ERRNO(F_EPOLL_PWAIT2, int, epoll_pwait2,
           (int e, struct epoll_event *ev, int n, const struct timespec *t, const sigset_t *m),
           (e, ev, n, t, m))
WRAP_ERRNO(F_EPOLL_WAIT, int, epoll_wait, (int e, struct epoll_event *ev, int n, int t),
           (e, ev, n, t))
WRAP_ERRNO(F_RECVMSG, ssize_t, recvmsg, (int fd, struct msghdr *m, int f), (fd, m, f))
WRAP_ERRNO(F_SENDMSG, ssize_t, sendmsg, (int fd, const struct msghdr *m, int f), (fd, m, f))

/* The allocators fail with NULL and ENOMEM, whatever err says. */
void *__real_malloc(size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_malloc(size_t n)
{
    if (hit(F_MALLOC)) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_malloc(n);
}

void *__real_calloc(size_t n, size_t m);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_calloc(size_t n, size_t m)
{
    if (hit(F_CALLOC)) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_calloc(n, m);
}

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n)
{
    if (hit(F_REALLOC)) {
        errno = ENOMEM;
        return NULL;
    }
    return __real_realloc(p, n);
}

/* These return the error instead of setting errno. */
int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
    int e = hit(F_PTHREAD_CREATE);

    return e ? e : __real_pthread_create(t, a, fn, arg);
}

#ifdef WSAIO_HAVE_LIBURING
int __real_io_uring_queue_init_params(unsigned n, struct io_uring *r, struct io_uring_params *p);
int __wrap_io_uring_queue_init_params(unsigned n, struct io_uring *r, struct io_uring_params *p);
int __wrap_io_uring_queue_init_params(unsigned n, struct io_uring *r, struct io_uring_params *p)
{
    int e = hit(F_URING_INIT);

    return e ? -e : __real_io_uring_queue_init_params(n, r, p);
}

/* A refused submission leaves the prepared entries in the ring, as a failing
 * io_uring_enter does: they go to the kernel with the next submission that succeeds. */
int __real_io_uring_submit(struct io_uring *r);
int __wrap_io_uring_submit(struct io_uring *r);
int __wrap_io_uring_submit(struct io_uring *r)
{
    int e = hit(F_URING_SUBMIT);

    return e ? -e : __real_io_uring_submit(r);
}
#endif /* WSAIO_HAVE_LIBURING */
