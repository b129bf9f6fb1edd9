/*
 * fork.c - the fork child handler (fork.h).
 *
 * The child has one thread, the one that called fork; the handler runs in it before fork
 * returns, so nothing else touches wsaio's state while it is rewritten. Each module resets
 * its own part; the order matters only for the descriptors: they are closed (and their
 * numbers forgotten) first, before a module could reuse a number.
 */
#include "api/fork.h"

#include <pthread.h>

#include "api/startup.h"
#include "backend/backend.h"
#include "base/handle.h"
#include "core/netchange.h"
#include "core/netevents.h"
#include "base/pool.h"
#include "core/loop.h"
#include "base/resources.h"
#include "core/socket.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The free lists (record pools, handle table) are the state that another thread rewrites
 * most often: their locks are held across fork so that the child never copies one half
 * updated. The other locks are only made anew in the child: taking them all here would
 * need one global order for them. */
static void prepare(void)
{
    wsaio_pool_fork_prepare();
    wsaio_handle_fork_prepare(); /* a leaf lock: last */
}

static void parent(void)
{
    wsaio_handle_fork_parent();
    wsaio_pool_fork_parent();
}

static void child(void)
{
    wsaio_resources_fork_child(); /* descriptors closed, lazy setups not done */
    wsaio_uring_fork_child();
    wsaio_epoll_fork_child();
    wsaio_loop_fork_child();
    wsaio_netevents_fork_child();
    wsaio_netchange_fork_child();
    wsaio_socket_fork_child();
    wsaio_pool_fork_child();
    wsaio_handle_fork_child();
    wsaio_startup_fork_child();
}

static void fork_install(void)
{
    pthread_atfork(prepare, parent, child);
}

void wsaio_fork_watch(void)
{
    pthread_once(&once, fork_install);
}

/* When the library loads, before wsaio can make a thread or a descriptor: the lowest layer
 * (base/resources.c), which makes them, then needs no call up here. */
__attribute__((constructor)) static void fork_watch_at_load(void)
{
    wsaio_fork_watch();
}
