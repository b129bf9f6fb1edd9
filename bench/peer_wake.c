/*
 * peer_wake.c - the Linux peers of event_wake.c: the same two-thread ping-pong built on
 * what a Linux programmer would use instead of event objects, printing the same RESULT
 * lines (bench_report.h).
 *
 * Cases:
 *   pingpong-futex      the lower bound: two private futex words. A stores 1 to w1 and
 *                       FUTEX_WAKEs it, then FUTEX_WAITs while w2 == 0 and clears w2; B does
 *                       the mirror image. The wake is unconditional (no waiter count): the
 *                       bare kernel hand-off with nothing around it.
 *   pingpong-condvar    one pthread mutex, two condition variables, two flags.
 *   pingpong-uvasync    libuv (built with HAVE_LIBUV): two uv loops, one per thread, each
 *                       with a uv_async_t; each callback uv_async_sends to the other loop.
 *   futexwake-nowaiter  single thread: FUTEX_WAKE on a word nobody waits on (what one
 *                       system call costs; event_wake's no-waiter set should avoid it).
 *   condsignal-nowaiter single thread: pthread_cond_signal with nobody waiting.
 *
 * Threads are not pinned (event_wake.c cannot pin through wsaio, and all systems are
 * measured alike). CPU time is the process CPU time (clock(), all threads) of the timed
 * loop. Timestamps are CLOCK_MONOTONIC nanoseconds.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_LIBUV
#include <uv.h>
#endif

#include "bench_report.h"

#define BATCH 100 /* single-thread operations per sample */

static const char *sys_name = "linux";

static long long now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static double cpu_ns(void)
{
    return (double)clock() * (1e9 / CLOCKS_PER_SEC);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);

    if (!p) {
        fprintf(stderr, "peer_wake: out of memory\n");
        exit(1);
    }
    return p;
}

/* ---- Threaded ping-pong driver: ping() runs on the timing thread, pong() on the other. */

struct peer {
    void (*ping)(struct peer *p); /* signal B, wait for B's answer */
    void (*pong)(struct peer *p); /* wait for A, answer */
    long count;
    /* futex pair. Sequentially consistent stores and loads: a waiter that sees 0 sleeps
     * with FUTEX_WAIT(expected 0), which the kernel re-checks under its bucket lock, so a
     * store + FUTEX_WAKE that comes in between is never lost. */
    _Atomic uint32_t w1, w2;
    /* condition-variable pair, both flags under mu */
    pthread_mutex_t mu;
    pthread_cond_t c1, c2;
    int f1, f2;
};

static void futex_wake(_Atomic uint32_t *w)
{
    syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void futex_wait_set(_Atomic uint32_t *w)
{
    while (atomic_load(w) == 0)
        syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    atomic_store(w, 0);
}

static void futex_ping(struct peer *p)
{
    atomic_store(&p->w1, 1);
    futex_wake(&p->w1);
    futex_wait_set(&p->w2);
}

static void futex_pong(struct peer *p)
{
    futex_wait_set(&p->w1);
    atomic_store(&p->w2, 1);
    futex_wake(&p->w2);
}

static void cond_ping(struct peer *p)
{
    pthread_mutex_lock(&p->mu);
    p->f1 = 1;
    pthread_cond_signal(&p->c1);
    while (!p->f2)
        pthread_cond_wait(&p->c2, &p->mu);
    p->f2 = 0;
    pthread_mutex_unlock(&p->mu);
}

static void cond_pong(struct peer *p)
{
    pthread_mutex_lock(&p->mu);
    while (!p->f1)
        pthread_cond_wait(&p->c1, &p->mu);
    p->f1 = 0;
    p->f2 = 1;
    pthread_cond_signal(&p->c2);
    pthread_mutex_unlock(&p->mu);
}

static void *pong_thread(void *arg)
{
    struct peer *p = arg;
    long i;

    for (i = 0; i < p->count; i++)
        p->pong(p);
    return NULL;
}

static void pingpong(const char *name, void (*ping)(struct peer *), void (*pong)(struct peer *),
                     long n, long warm)
{
    struct peer *p = xmalloc(sizeof(*p));
    long long *ts = xmalloc((size_t)(n + 1) * sizeof(*ts));
    double cpu0 = 0, cpu1;
    pthread_t thread;
    long i;

    memset(p, 0, sizeof(*p));
    p->ping = ping;
    p->pong = pong;
    p->count = warm + n;
    atomic_init(&p->w1, 0);
    atomic_init(&p->w2, 0);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->c1, NULL);
    pthread_cond_init(&p->c2, NULL);
    if (pthread_create(&thread, NULL, pong_thread, p)) {
        fprintf(stderr, "peer_wake: pthread_create failed\n");
        exit(1);
    }
    for (i = 0; i < warm + n; i++) {
        if (i == warm)
            cpu0 = cpu_ns();
        if (i >= warm)
            ts[i - warm] = now_ns();
        p->ping(p);
    }
    ts[n] = now_ns();
    cpu1 = cpu_ns();
    pthread_join(thread, NULL);
    bench_report_ts(sys_name, name, n, warm, ts, 1.0, cpu1 - cpu0);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->c1);
    pthread_cond_destroy(&p->c2);
    free(ts);
    free(p);
}

/* ---- libuv: two loops, each on its own thread, talking through uv_async_t. */

#ifdef HAVE_LIBUV
struct uvpp {
    uv_loop_t la, lb; /* la runs on the timing (main) thread, lb on its own thread */
    uv_async_t aa, ab;
    long done, warm, n;
    long long *ts;
    double cpu0, cpu1;
    atomic_int stop; /* set by A before its last send to B: B closes its handle */
};

/* On loop B: answer A, or close so that uv_run(lb) returns. */
static void uv_b_cb(uv_async_t *h)
{
    struct uvpp *u = h->data;

    if (atomic_load(&u->stop))
        uv_close((uv_handle_t *)h, NULL);
    else
        uv_async_send(&u->aa);
}

/* On loop A: one round trip is complete; time it and start the next. */
static void uv_a_cb(uv_async_t *h)
{
    struct uvpp *u = h->data;

    u->done++;
    if (u->done == u->warm)
        u->cpu0 = cpu_ns();
    if (u->done >= u->warm)
        u->ts[u->done - u->warm] = now_ns();
    if (u->done == u->warm + u->n) {
        u->cpu1 = cpu_ns();
        atomic_store(&u->stop, 1);
        uv_close((uv_handle_t *)h, NULL);
    }
    uv_async_send(&u->ab);
}

static void *uv_b_thread(void *arg)
{
    struct uvpp *u = arg;

    uv_run(&u->lb, UV_RUN_DEFAULT);
    return NULL;
}

static void pingpong_uv(long n, long warm)
{
    struct uvpp *u = xmalloc(sizeof(*u));
    pthread_t thread;

    memset(u, 0, sizeof(*u));
    u->n = n;
    u->warm = warm;
    u->ts = xmalloc((size_t)(n + 1) * sizeof(*u->ts));
    atomic_init(&u->stop, 0);
    /* Both handles are set up before either loop runs, so no loop is touched from a thread
     * other than its own once it is running (uv_async_send is the only cross-thread call). */
    if (uv_loop_init(&u->la) || uv_loop_init(&u->lb) || uv_async_init(&u->la, &u->aa, uv_a_cb) ||
        uv_async_init(&u->lb, &u->ab, uv_b_cb)) {
        fprintf(stderr, "peer_wake: libuv setup failed\n");
        exit(1);
    }
    u->aa.data = u;
    u->ab.data = u;
    if (pthread_create(&thread, NULL, uv_b_thread, u)) {
        fprintf(stderr, "peer_wake: pthread_create failed\n");
        exit(1);
    }
    uv_async_send(&u->ab); /* the first ping */
    uv_run(&u->la, UV_RUN_DEFAULT);
    pthread_join(thread, NULL);
    uv_loop_close(&u->la);
    uv_loop_close(&u->lb);
    bench_report_ts(sys_name, "pingpong-uvasync", n, warm, u->ts, 1.0, u->cpu1 - u->cpu0);
    free(u->ts);
    free(u);
}
#endif

/* ---- Single-thread costs with nobody waiting. */

enum single_op { FUTEXWAKE, CONDSIGNAL };

static void single(const char *name, enum single_op op, long ops)
{
    long nb = ops / BATCH, warm = nb / 10, b, j;
    double *samples = xmalloc((size_t)nb * sizeof(*samples));
    double cpu0 = 0, cpu1;
    long long t, first = 0;
    _Atomic uint32_t word = 0;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;

    for (b = 0; b < warm + nb; b++) {
        if (b == warm) {
            cpu0 = cpu_ns();
            first = now_ns();
        }
        t = now_ns();
        if (op == FUTEXWAKE) {
            for (j = 0; j < BATCH; j++)
                futex_wake(&word);
        } else {
            for (j = 0; j < BATCH; j++)
                pthread_cond_signal(&c);
        }
        if (b >= warm)
            samples[b - warm] = (double)(now_ns() - t) / BATCH;
    }
    t = now_ns();
    cpu1 = cpu_ns();
    pthread_cond_destroy(&c);
    bench_report(sys_name, name, nb * BATCH, warm * BATCH, samples, nb, (double)(t - first),
                 cpu1 - cpu0);
    free(samples);
}

int main(int argc, char **argv)
{
    long iters = 20000, ops = 200000;
    const char *only = NULL;

    if (bench_args(argc, argv, &iters, &ops, &only, &sys_name))
        return 2;
    printf("# peer_wake iters=%ld ops=%ld unpinned\n", iters, ops);
    if (bench_selected(only, "pingpong-futex"))
        pingpong("pingpong-futex", futex_ping, futex_pong, iters, iters / 10);
    if (bench_selected(only, "pingpong-condvar"))
        pingpong("pingpong-condvar", cond_ping, cond_pong, iters, iters / 10);
#ifdef HAVE_LIBUV
    if (bench_selected(only, "pingpong-uvasync"))
        pingpong_uv(iters, iters / 10);
#else
    if (bench_selected(only, "pingpong-uvasync"))
        printf("# SKIP pingpong-uvasync: built without libuv (pkg-config libuv not found)\n");
#endif
    if (bench_selected(only, "futexwake-nowaiter"))
        single("futexwake-nowaiter", FUTEXWAKE, ops);
    if (bench_selected(only, "condsignal-nowaiter"))
        single("condsignal-nowaiter", CONDSIGNAL, ops);
    return 0;
}
