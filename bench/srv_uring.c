/*
 * srv_uring.c - TCP and UDP echo on hand-written liburing, no library between (srv_common.h
 * says what every server does). Written the way liburing's own examples are:
 *
 * - one ring, set up with IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN (Linux
 *   6.1, liburing 2.3 headers have both) when the kernel takes them, else COOP_TASKRUN
 *   (5.19), else plain;
 * - a multishot accept (io_uring_prep_multishot_accept: Linux 5.19, liburing 2.2), re-armed
 *   when a completion comes without IORING_CQE_F_MORE;
 * - per connection one 64 KiB buffer and one request in flight: recv, then send of what
 *   arrived (a short send sends the rest), then recv again;
 * - UDP: UDP_SLOTS recvmsg requests in flight, each followed by a sendmsg to the source;
 * - batching: requests are only queued while the completions of one io_uring_enter are
 *   handled (io_uring_for_each_cqe, one io_uring_cq_advance), and all go to the kernel in
 *   the next io_uring_submit_and_wait, which also waits for the next completion.
 *
 * Not used, though Debian 12's liburing 2.3 has them: multishot recv with provided buffers
 * (needs the buffer ring set up by hand, io_uring_setup_buf_ring came in 2.4) and SEND_ZC
 * (no gain under 64 KiB, and none on loopback).
 */
#include <liburing.h>

#include "srv_common.h"

#define UDP_SLOTS 16

enum kind { ACCEPT, CONN, UDP };

struct conn {
    enum kind kind;
    int fd, sending, off, len; /* sending: buf[off..len) is being written back */
    char buf[SRV_BUF];
};

struct udp_slot {
    enum kind kind;
    int fd, sending;
    struct sockaddr_storage from;
    struct iovec iov;
    struct msghdr msg;
    char buf[SRV_DGRAM];
};

static struct io_uring ring;

static struct io_uring_sqe *sqe(void)
{
    struct io_uring_sqe *e = io_uring_get_sqe(&ring);

    if (!e) { /* the submission queue is full: hand it over and take a fresh one */
        io_uring_submit(&ring);
        e = io_uring_get_sqe(&ring);
    }
    return e;
}

static void queue_recv(struct conn *c)
{
    struct io_uring_sqe *e = sqe();

    c->sending = 0;
    io_uring_prep_recv(e, c->fd, c->buf, SRV_BUF, 0);
    io_uring_sqe_set_data(e, c);
}

static void queue_send(struct conn *c)
{
    struct io_uring_sqe *e = sqe();

    c->sending = 1;
    io_uring_prep_send(e, c->fd, c->buf + c->off, (size_t)(c->len - c->off), MSG_NOSIGNAL);
    io_uring_sqe_set_data(e, c);
}

static void queue_udp(struct udp_slot *u, int send)
{
    struct io_uring_sqe *e = sqe();

    u->sending = send;
    if (send) {
        io_uring_prep_sendmsg(e, u->fd, &u->msg, 0);
    } else {
        u->iov.iov_len = SRV_DGRAM;
        u->msg.msg_namelen = sizeof(u->from);
        io_uring_prep_recvmsg(e, u->fd, &u->msg, 0);
    }
    io_uring_sqe_set_data(e, u);
}

static void queue_accept(int *lfd)
{
    struct io_uring_sqe *e = sqe();

    io_uring_prep_multishot_accept(e, lfd[1], NULL, NULL, 0);
    io_uring_sqe_set_data(e, lfd);
}

static void on_conn(struct conn *c, int res)
{
    if (res <= 0) { /* end of stream or error: the connection is done */
        close(c->fd);
        free(c);
        return;
    }
    if (!c->sending) {
        c->off = 0;
        c->len = res;
        queue_send(c);
    } else if ((c->off += res) < c->len) {
        queue_send(c);
    } else {
        queue_recv(c);
    }
}

static int setup(void)
{
    static const unsigned flags[] = {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
                                     IORING_SETUP_COOP_TASKRUN, 0};

    for (unsigned i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        struct io_uring_params p;

        memset(&p, 0, sizeof(p));
        p.flags = flags[i] | IORING_SETUP_CQSIZE;
        p.cq_entries = 8192;
        if (io_uring_queue_init_params(2048, &ring, &p) == 0)
            return 0;
    }
    return -1;
}

int main(int argc, char **argv)
{
    int port = srv_port(argc, argv);
    /* lfd[0] is the kind tag of the accept request's user_data, lfd[1] the descriptor. */
    int lfd[2] = {ACCEPT, srv_socket(SOCK_STREAM, port, 0)};
    int ufd = srv_socket(SOCK_DGRAM, port, 0);
    static struct udp_slot slots[UDP_SLOTS];

    if (setup())
        srv_die("io_uring_queue_init_params");
    queue_accept(lfd);
    for (int i = 0; i < UDP_SLOTS; i++) {
        struct udp_slot *u = &slots[i];

        u->kind = UDP;
        u->fd = ufd;
        u->iov.iov_base = u->buf;
        u->msg.msg_name = &u->from;
        u->msg.msg_iov = &u->iov;
        u->msg.msg_iovlen = 1;
        queue_udp(u, 0);
    }
    for (;;) {
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        int r = io_uring_submit_and_wait(&ring, 1);

        if (r < 0 && r != -EINTR) {
            errno = -r;
            srv_die("io_uring_submit_and_wait");
        }
        io_uring_for_each_cqe(&ring, head, cqe)
        {
            enum kind *k = io_uring_cqe_get_data(cqe);

            seen++;
            if (*k == CONN) {
                on_conn((struct conn *)k, cqe->res);
            } else if (*k == UDP) {
                struct udp_slot *u = (struct udp_slot *)k;

                if (!u->sending && cqe->res >= 0)
                    u->iov.iov_len = (size_t)cqe->res;
                queue_udp(u, !u->sending && cqe->res >= 0);
            } else {
                if (cqe->res >= 0) {
                    struct conn *c = malloc(sizeof(*c));

                    c->kind = CONN;
                    c->fd = cqe->res;
                    srv_nodelay(c->fd);
                    queue_recv(c);
                }
                if (!(cqe->flags & IORING_CQE_F_MORE))
                    queue_accept(lfd);
            }
        }
        io_uring_cq_advance(&ring, seen);
    }
}
