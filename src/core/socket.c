/*
 * socket.c - the socket table (see socket.h).
 */
#include "core/socket.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#include "base/lockorder.h"
#include "base/refslot.h"
#include "base/resources.h"

#define CHUNK_SHIFT 10
#define CHUNK_SLOTS (1u << CHUNK_SHIFT)
#define MAX_CHUNKS  4096u /* descriptors below 4M */

struct slot {
    _Atomic uint64_t state;
    struct wsaio_socket *_Atomic sk;
};

static struct slot *_Atomic chunks[MAX_CHUNKS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER; /* creation, never lookups */

static struct slot *socket_slot_at(int fd, bool create)
{
    unsigned c = (unsigned)fd >> CHUNK_SHIFT;
    struct slot *chunk;

    if (fd < 0 || c >= MAX_CHUNKS)
        return NULL;
    chunk = atomic_load_explicit(&chunks[c], memory_order_acquire);
    if (!chunk && create) {
        wsaio_lock(&table_lock, WSAIO_RANK_SOCKET_TABLE);
        chunk = atomic_load_explicit(&chunks[c], memory_order_relaxed);
        if (!chunk) {
            chunk = calloc(CHUNK_SLOTS, sizeof(*chunk));
            /* Release: lookups that load the chunk see its zeroed slots. */
            if (chunk)
                atomic_store_explicit(&chunks[c], chunk, memory_order_release);
        }
        wsaio_unlock(&table_lock, WSAIO_RANK_SOCKET_TABLE);
    }
    return chunk ? &chunk[(unsigned)fd & (CHUNK_SLOTS - 1)] : NULL;
}

/* Installs a record in an empty slot (table_lock held). A live slot can only belong to
 * this very descriptor: its number is not reused before the slot is recycled. If another
 * thread adopted it first (a stale SOCKET value naming the number wsaio was just
 * registering), the record is taken over with what the creator knows. */
static int socket_install(struct slot *s, int fd, int af, int type, int protocol, bool overlapped,
                          bool adopted)
{
    uint64_t st = atomic_load(&s->state);
    struct wsaio_socket *sk;

    /* Closed but not yet recycled: the last reference is on its way to recycle the slot
     * and close the descriptor; nothing may move in before that. */
    if (st & REFSLOT_CLOSED)
        return -EBUSY;
    if (REFSLOT_REFS(st) != 0) {
        sk = atomic_load_explicit(&s->sk, memory_order_relaxed);
        if (!sk || !sk->adopted || adopted)
            return -EBUSY;
        /* Same kernel socket, so family, type and protocol already match; only what the
         * creator asked for is news. Other threads may be reading: atomic stores. */
        sk->overlapped = overlapped;
        sk->adopted = false;
        return 0;
    }
    sk = calloc(1, sizeof(*sk));
    if (!sk)
        return -ENOMEM;
    atomic_init(&sk->refs, 1); /* the slot's */
    pthread_mutex_init(&sk->lock, NULL);
    wsaio_waitable_init(&sk->io_done, false, false);
    sk->fd = fd;
    sk->af = af;
    sk->type = type;
    sk->protocol = protocol;
    sk->overlapped = overlapped;
    sk->adopted = adopted;
    atomic_store_explicit(&s->sk, sk, memory_order_relaxed);
    refslot_open(&s->state);
    return 0;
}

int wsaio_socket_add(int fd, int af, int type, int protocol, bool overlapped)
{
    struct slot *s = socket_slot_at(fd, true);
    int rc;

    if (!s)
        return -EMFILE;
    wsaio_lock(&table_lock, WSAIO_RANK_SOCKET_TABLE);
    rc = socket_install(s, fd, af, type, protocol, overlapped, false);
    wsaio_unlock(&table_lock, WSAIO_RANK_SOCKET_TABLE);
    return rc;
}

/*
 * A descriptor we never registered: adopt it if it is a socket and not one of wsaio's own
 * (api.md 1.1, socket()).
 * The check runs under table_lock, which every close of a registered descriptor also
 * holds, so the number cannot close between "it is a socket" and the install.
 */
static struct wsaio_socket *adopt(int fd)
{
    int type, proto = 0, af = 0;
    socklen_t len = sizeof(type);
    struct wsaio_socket *sk = NULL;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    struct slot *s = socket_slot_at(fd, true);

    if (!s)
        return NULL;
    wsaio_lock(&table_lock, WSAIO_RANK_SOCKET_TABLE);
    if (refslot_get(&s->state, 0)) {
        sk = atomic_load_explicit(&s->sk, memory_order_relaxed);
        wsaio_unlock(&table_lock, WSAIO_RANK_SOCKET_TABLE);
        return sk;
    }
    /* wsaio's own descriptors (the rtnetlink listener is a socket too) are not the
     * program's: the resources lock keeps one from opening unregistered meanwhile. */
    wsaio_resources_lock();
    if (!wsaio_resources_is_own_fd(fd) && getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0) {
        len = sizeof(proto);
        getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len);
        if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
            af = ss.ss_family;
        if (socket_install(s, fd, af, type, proto, true, true) == 0 && refslot_get(&s->state, 0))
            sk = atomic_load_explicit(&s->sk, memory_order_relaxed);
    }
    wsaio_resources_unlock();
    wsaio_unlock(&table_lock, WSAIO_RANK_SOCKET_TABLE);
    return sk;
}

struct wsaio_socket *wsaio_socket_ref(SOCKET s)
{
    struct slot *sl;

    if (s == 0 || s > (SOCKET)INT32_MAX)
        return NULL;
    sl = socket_slot_at((int)s, false);
    if (sl && refslot_get(&sl->state, 0))
        return atomic_load_explicit(&sl->sk, memory_order_relaxed);
    return adopt((int)s);
}

void wsaio_socket_hold(struct wsaio_socket *sk)
{
    atomic_fetch_add_explicit(&sk->refs, 1, memory_order_relaxed);
}

void wsaio_socket_release(struct wsaio_socket *sk)
{
    if (atomic_fetch_sub_explicit(&sk->refs, 1, memory_order_acq_rel) == 1) {
        pthread_mutex_destroy(&sk->lock);
        free(sk);
    }
}

bool wsaio_socket_never_connected(struct wsaio_socket *sk)
{
    struct tcp_info ti;
    socklen_t len = sizeof(ti);

    /* glibc's struct tcp_info has no segment counts. The receive space is sized when a
     * connection is established, actively or passively, and never before: a connect that
     * was refused or timed out has none (it has a receive MSS already, and an accepted
     * connection may have no round-trip sample yet). */
    memset(&ti, 0, sizeof(ti));
    return sk->type == SOCK_STREAM && getsockopt(sk->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
           ti.tcpi_rcv_space == 0;
}

bool wsaio_socket_is_closed(struct wsaio_socket *sk)
{
    struct slot *s = socket_slot_at(sk->fd, false);

    return (atomic_load(&s->state) & REFSLOT_CLOSED) != 0;
}

void wsaio_socket_put(struct wsaio_socket *sk)
{
    struct slot *s = socket_slot_at(sk->fd, false);

    if (!refslot_put(&s->state))
        return;
    /* Last call on a closed slot: now the number may be reused. Operations still in the
     * kernel hold the file, not the number, and their records hold sk. */
    if (sk->abortive && !sk->inherited) { /* a reset would also be the parent's */
        struct linger lg = {1, 0};

        setsockopt(sk->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    }
    wsaio_lock(&table_lock, WSAIO_RANK_SOCKET_TABLE);
    atomic_store_explicit(&s->sk, NULL, memory_order_relaxed);
    refslot_recycle(&s->state);
    close(sk->fd);
    wsaio_unlock(&table_lock, WSAIO_RANK_SOCKET_TABLE);
    wsaio_socket_release(sk);
}

int wsaio_socket_mark_closed(struct wsaio_socket *sk)
{
    struct slot *s = socket_slot_at(sk->fd, false);

    if (refslot_close(&s->state))
        return 0;
    wsaio_socket_put(sk);
    return -EBADF;
}

bool wsaio_socket_others_inside(struct wsaio_socket *sk)
{
    struct slot *s = socket_slot_at(sk->fd, false);

    /* The table's reference and the closing call's are the two expected ones. */
    return REFSLOT_REFS(atomic_load(&s->state)) > 2;
}

void wsaio_socket_fork_child(void)
{
    pthread_mutex_init(&table_lock, NULL);
    for (unsigned c = 0; c < MAX_CHUNKS; c++) {
        struct slot *chunk = atomic_load_explicit(&chunks[c], memory_order_relaxed);

        for (unsigned i = 0; chunk && i < CHUNK_SLOTS; i++) {
            struct slot *s = &chunk[i];
            struct wsaio_socket *sk = atomic_load_explicit(&s->sk, memory_order_relaxed);
            uint64_t st = atomic_load(&s->state);

            if (!sk)
                continue;
            pthread_mutex_init(&sk->lock, NULL);
            /* The parent's operations, in the parent's ring or epoll set: here they would
             * block the queues for good (and closesocket would wait for them). Their
             * records and references are left behind, a leak in the child only. */
            memset(&sk->rq, 0, sizeof(sk->rq));
            memset(&sk->sq, 0, sizeof(sk->sq));
            memset(&sk->aside, 0, sizeof(sk->aside));
            sk->backend_data = NULL;
            sk->ne.watched = false;
            sk->inherited = true;
            /* Only the table's reference is left: the parent's threads in calls are not
             * here to give theirs back (closesocket would take them for blocked calls on
             * this socket and shut the parent's connection down). A slot the parent was
             * closing just stays closed. */
            if (!(st & REFSLOT_CLOSED) && REFSLOT_REFS(st) > 1)
                atomic_store(&s->state, st - REFSLOT_REFS(st) + 1);
        }
    }
}

struct wsaio_socket *wsaio_socket_next(int *cursor)
{
    for (unsigned fd = (unsigned)*cursor; fd < MAX_CHUNKS * CHUNK_SLOTS; fd++) {
        struct slot *chunk = atomic_load_explicit(&chunks[fd >> CHUNK_SHIFT], memory_order_acquire);
        struct slot *s;

        if (!chunk) { /* skip the whole missing chunk */
            fd |= CHUNK_SLOTS - 1;
            continue;
        }
        s = &chunk[fd & (CHUNK_SLOTS - 1)];
        if (refslot_get(&s->state, 0)) {
            *cursor = (int)fd + 1;
            return atomic_load_explicit(&s->sk, memory_order_relaxed);
        }
    }
    *cursor = (int)(MAX_CHUNKS * CHUNK_SLOTS);
    return NULL;
}
