/*
 * resources.c - lazy setup with retry, and the registry of wsaio's own descriptors
 * (resources.h).
 */
#include "base/resources.h"

#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include "base/lockorder.h"
#include "base/error.h"

/* Recursive: a setup may make a temporary descriptor of its own under the same lock. */
static pthread_mutex_t lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
/* Descriptors are set up once each (a handful: ring or epoll set and eventfd, watcher's
 * epoll set and eventfd, rtnetlink socket), so a small array does. */
static int own_fds[16];
static int nown;
/* The setups done (or refused) in this process, which a fork child must do again: one
 * entry per struct wsaio_lazy, a handful. */
static struct wsaio_lazy *done[16];
static int ndone;

bool wsaio_errno_transient(int err)
{
    return err == EMFILE || err == ENFILE || err == ENOMEM || err == ENOBUFS || err == EAGAIN;
}

int wsaio_lazy_setup(struct wsaio_lazy *l, int (*setup)(void))
{
    int st = atomic_load_explicit(&l->state, memory_order_acquire);

    if (st != 0)
        return st == 1 ? 0 : st;
    wsaio_lock(&lock, WSAIO_RANK_RESOURCES);
    st = atomic_load_explicit(&l->state, memory_order_relaxed);
    if (st == 0) {
        int rc = setup();

        if (rc < 0 && wsaio_errno_transient(-rc)) {
            wsaio_unlock(&lock, WSAIO_RANK_RESOURCES);
            return rc; /* not remembered: the next call tries again */
        }
        st = rc == 0 ? 1 : rc;
        atomic_store_explicit(&l->state, st, memory_order_release);
        if (!l->survives_fork && !l->listed && ndone < (int)(sizeof(done) / sizeof(done[0]))) {
            l->listed = true;
            done[ndone++] = l;
        }
    }
    wsaio_unlock(&lock, WSAIO_RANK_RESOURCES);
    return st == 1 ? 0 : st;
}

int wsaio_setup_error(int rc, int permanent)
{
    if (rc == -EMFILE || rc == -ENFILE)
        return WSAEMFILE;
    return wsaio_errno_transient(-rc) ? WSAENOBUFS : permanent;
}

void wsaio_resources_own_fd(int fd)
{
    wsaio_lock(&lock, WSAIO_RANK_RESOURCES);
    if (nown < (int)(sizeof(own_fds) / sizeof(own_fds[0])))
        own_fds[nown++] = fd;
    wsaio_unlock(&lock, WSAIO_RANK_RESOURCES);
}

void wsaio_resources_lock(void)
{
    wsaio_lock(&lock, WSAIO_RANK_RESOURCES);
}

void wsaio_resources_unlock(void)
{
    wsaio_unlock(&lock, WSAIO_RANK_RESOURCES);
}

bool wsaio_resources_is_own_fd(int fd)
{
    for (int i = 0; i < nown; i++)
        if (own_fds[i] == fd)
            return true;
    return false;
}

void wsaio_resources_fork_child(void)
{
    pthread_mutexattr_t attr;

    /* Another parent thread may have held it at fork: it is never unlocked here. */
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&lock, &attr);
    pthread_mutexattr_destroy(&attr);
    /* The child's copies only: the parent's ring or epoll set stays open in the parent. */
    for (int i = 0; i < nown; i++)
        close(own_fds[i]);
    nown = 0;
    /* A refusal is forgotten too: the child may decide anew (its fds, its limits). */
    for (int i = 0; i < ndone; i++)
        atomic_store(&done[i]->state, 0);
}
