/*
 * nonblock.c - the socket's blocking mode and the library's loans of O_NONBLOCK
 * (nonblock.h).
 *
 * sk->nb_loans is bumped before a loan sets O_NONBLOCK and again after it has cleared it:
 * odd while a loan runs. A call that saw the descriptor non-blocking because of a loan
 * read an even mark before and finds another value after.
 */
#include "core/nonblock.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>

#include "core/socket.h"

int wsaio_nonblock_lend(struct wsaio_socket *sk)
{
    int fl = fcntl(sk->fd, F_GETFL);

    if (fl >= 0 && !(fl & O_NONBLOCK)) {
        atomic_fetch_add(&sk->nb_loans, 1);
        fcntl(sk->fd, F_SETFL, fl | O_NONBLOCK);
    }
    return fl;
}

void wsaio_nonblock_return(struct wsaio_socket *sk, int fl)
{
    if (fl >= 0 && !(fl & O_NONBLOCK)) {
        fcntl(sk->fd, F_SETFL, fl);
        atomic_fetch_add(&sk->nb_loans, 1);
    }
}

uint32_t wsaio_nonblock_mark(struct wsaio_socket *sk)
{
    return atomic_load(&sk->nb_loans);
}

bool wsaio_nonblock_lent(struct wsaio_socket *sk, uint32_t mark)
{
    uint32_t now = atomic_load(&sk->nb_loans);

    if (now == mark && !(mark & 1))
        return false;
    while (now & 1) { /* a loan lasts one non-blocking system call */
        sched_yield();
        now = atomic_load(&sk->nb_loans);
    }
    return true;
}

bool wsaio_nonblock_mode(struct wsaio_socket *sk)
{
    uint32_t mark = wsaio_nonblock_mark(sk);

    return (fcntl(sk->fd, F_GETFL) & O_NONBLOCK) && !wsaio_nonblock_lent(sk, mark);
}

int wsaio_nonblock_set(struct wsaio_socket *sk, bool on)
{
    int fl, rc = 0;

    wsaio_socket_lock(sk);
    fl = fcntl(sk->fd, F_GETFL);
    if (fl < 0 || fcntl(sk->fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0)
        rc = -errno;
    wsaio_socket_unlock(sk);
    return rc;
}
