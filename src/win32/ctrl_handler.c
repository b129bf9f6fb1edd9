/*
 * ctrl_handler.c - console control handlers (SetConsoleCtrlHandler) fed by signals.
 *
 * The signal handler only writes the event to a pipe (async-signal-safe); a dispatcher
 * thread reads it and, as Windows does, runs the handler chain on a new thread: most
 * recently added first, until one returns TRUE. If none does, the default handler ends the
 * process: the signal's default action is restored and the signal raised again, so the
 * parent sees the process killed by it. A CTRL_CLOSE_EVENT ends the process after its
 * handler returns, whatever it returned (Windows terminates the process then too).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/lockorder.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static PHANDLER_ROUTINE *chain; /* in the order added */
static size_t chain_len, chain_cap;
static bool ignore_ctrl_c; /* SetConsoleCtrlHandler(NULL, TRUE) */
static bool installed;     /* signal handlers and dispatcher set up */
static int event_pipe[2] = {-1, -1};

static const int signals[] = {SIGINT, SIGQUIT, SIGHUP, SIGTERM};

static DWORD event_of(int sig)
{
    return sig == SIGINT ? CTRL_C_EVENT : sig == SIGQUIT ? CTRL_BREAK_EVENT : CTRL_CLOSE_EVENT;
}

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;

    if (write(event_pipe[1], &b, 1) < 0) {
        /* the pipe is full: events are already pending, this one is dropped */
    }
    errno = saved;
}

/* Ends the process as sig's default action would. */
static void die_by(int sig)
{
    struct sigaction sa = {0};
    sigset_t set;

    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), sig);
    for (;;)
        pause();
}

static void *run_chain(void *p)
{
    int sig = (int)(intptr_t)p;
    DWORD event = event_of(sig);
    PHANDLER_ROUTINE *copy;
    size_t n;
    bool handled = false;

    wsaio_lock(&lock, WSAIO_RANK_LEAF);
    n = chain_len;
    copy = malloc((n ? n : 1) * sizeof(*copy));
    if (copy && n)
        memcpy(copy, chain, n * sizeof(*copy));
    wsaio_unlock(&lock, WSAIO_RANK_LEAF);
    for (size_t i = n; copy && i-- > 0 && !handled;)
        handled = copy[i](event) != FALSE;
    free(copy);
    if (!handled || event == CTRL_CLOSE_EVENT)
        die_by(sig);
    return NULL;
}

static void *dispatcher(void *p)
{
    unsigned char b;

    (void)p;
    for (;;) {
        ssize_t r = read(event_pipe[0], &b, 1);
        pthread_attr_t attr;
        pthread_t t;

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return NULL;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, run_chain, (void *)(intptr_t)b) != 0)
            run_chain((void *)(intptr_t)b); /* no thread: run it here rather than lose it */
        pthread_attr_destroy(&attr);
    }
}

/* Points sig at on_signal, or at SIG_IGN for an ignored Ctrl-C (caller holds lock). */
static void route(int sig)
{
    struct sigaction sa = {0};

    sa.sa_handler = (sig == SIGINT && ignore_ctrl_c) ? SIG_IGN : on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* Sets up the pipe, the dispatcher and the signal handlers once (caller holds lock). */
static bool ctrl_install(void)
{
    pthread_attr_t attr;
    pthread_t t;
    sigset_t all, old;
    int rc;

    if (installed)
        return true;
    if (pipe2(event_pipe, O_CLOEXEC) < 0)
        return false;
    fcntl(event_pipe[1], F_SETFL, O_NONBLOCK);
    /* The dispatcher never takes the signals itself: they stay with the program's threads. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&t, &attr, dispatcher, NULL);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        close(event_pipe[0]);
        close(event_pipe[1]);
        return false;
    }
    for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
        route(signals[i]);
    installed = true;
    return true;
}

/* The Ctrl-C setting alone: SIGINT ignored, or back to the handlers (or the default). */
static BOOL set_ignore(BOOL ignore)
{
    struct sigaction sa = {0};

    ignore_ctrl_c = ignore != FALSE;
    if (installed) {
        route(SIGINT);
    } else {
        sa.sa_handler = ignore ? SIG_IGN : SIG_DFL;
        sigaction(SIGINT, &sa, NULL);
    }
    return TRUE;
}

static BOOL remove_handler(PHANDLER_ROUTINE fn)
{
    for (size_t i = chain_len; i-- > 0;) {
        if (chain[i] == fn) {
            memmove(chain + i, chain + i + 1, (chain_len - i - 1) * sizeof(*chain));
            chain_len--;
            return TRUE;
        }
    }
    wsaio_set_error(ERROR_INVALID_PARAMETER);
    return FALSE;
}

static BOOL add_handler(PHANDLER_ROUTINE fn)
{
    if (chain_len == chain_cap) {
        size_t cap = chain_cap ? chain_cap * 2 : 8;
        PHANDLER_ROUTINE *p = realloc(chain, cap * sizeof(*p));

        if (!p) {
            wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        chain = p;
        chain_cap = cap;
    }
    if (!ctrl_install()) {
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    chain[chain_len++] = fn;
    return TRUE;
}

WSAIO_EXPORT BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add)
{
    BOOL ok;

    wsaio_lock(&lock, WSAIO_RANK_LEAF);
    if (!HandlerRoutine)
        ok = set_ignore(Add);
    else if (Add)
        ok = add_handler(HandlerRoutine);
    else
        ok = remove_handler(HandlerRoutine);
    wsaio_unlock(&lock, WSAIO_RANK_LEAF);
    return ok;
}

WSAIO_EXPORT BOOL WINAPI GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId)
{
    int sig = dwCtrlEvent == CTRL_C_EVENT ? SIGINT : dwCtrlEvent == CTRL_BREAK_EVENT ? SIGQUIT : 0;

    if (!sig) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (kill(dwProcessGroupId ? -(pid_t)dwProcessGroupId : 0, sig) < 0) {
        wsaio_set_error(errno == EPERM ? ERROR_ACCESS_DENIED : ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}
