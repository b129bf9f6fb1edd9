/*
 * renew.c - a fresh kernel socket behind a SOCKET (renew.h).
 */
#include "core/renew.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/netevents.h"

int wsaio_socket_renew(struct wsaio_socket *sk)
{
    int fl = fcntl(sk->fd, F_GETFL), fdfl = fcntl(sk->fd, F_GETFD);
    int fresh =
        socket(sk->af, sk->type | SOCK_CLOEXEC | (fl > 0 && (fl & O_NONBLOCK) ? SOCK_NONBLOCK : 0),
               sk->protocol);
    int err;

    if (fresh < 0)
        return -errno;
    wsaio_ne_forget_connection(sk); /* the watcher's registration names the old socket */
    /* dup3 swaps the kernel socket under the number in one step: no other socket can be
     * given the number in between. The old socket closes (its FIN was sent already). */
    if (dup3(fresh, sk->fd, fdfl >= 0 && (fdfl & FD_CLOEXEC) ? O_CLOEXEC : 0) < 0) {
        err = errno;
        close(fresh);
        wsaio_ne_rewatch(sk);
        return -err;
    }
    close(fresh);
    sk->shut_rd = sk->shut_wr = false;
    atomic_store(&sk->broken, 0); /* reset.h: a new connection, no failure yet */
    /* engine.c's would-block hint: nothing known of the new connection either. */
    sk->blocked_at[0] = sk->blocked_at[1] = 0;
    sk->wrong_at[0] = sk->wrong_at[1] = 0;
    atomic_store(&sk->known_bound, false);
    sk->so_error = 0;
    wsaio_ne_rewatch(sk);
    return 0;
}
