/*
 * srv_epoll.c - TCP and UDP echo on hand-written epoll (srv_common.h says what every server
 * does). Non-blocking sockets, level-triggered, the way Redis's ae loop works: one read per
 * readiness event (the 64 KiB buffer takes everything a pipelined client sends), written
 * back at once; only a short write arms EPOLLOUT and stops reading until the rest is out.
 * UDP: recvfrom/sendto until EAGAIN.
 */
#include <stdint.h>
#include <sys/epoll.h>

#include "srv_common.h"

struct conn {
    int fd, off, len; /* bytes buf[off..len) still to write back */
    char buf[SRV_BUF];
};

static int ep;

static void arm(struct conn *c, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = c};

    if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev))
        srv_die("epoll_ctl");
}

static void drop(struct conn *c)
{
    close(c->fd); /* also leaves the epoll set */
    free(c);
}

/* Writes back what is left; 1 when all of it went out. */
static int flush_out(struct conn *c)
{
    while (c->off < c->len) {
        ssize_t w = write(c->fd, c->buf + c->off, (size_t)(c->len - c->off));

        if (w < 0)
            return errno == EAGAIN ? 0 : -1;
        c->off += (int)w;
    }
    return 1;
}

static void on_conn(struct conn *c, uint32_t events)
{
    int r;

    if (c->off < c->len) { /* waiting for EPOLLOUT */
        if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
            return;
        if ((r = flush_out(c)) < 0)
            drop(c);
        else if (r)
            arm(c, EPOLLIN);
        return;
    }
    ssize_t n = read(c->fd, c->buf, SRV_BUF);

    if (n <= 0) {
        if (n < 0 && errno == EAGAIN)
            return;
        drop(c);
        return;
    }
    c->off = 0;
    c->len = (int)n;
    if ((r = flush_out(c)) < 0)
        drop(c);
    else if (!r)
        arm(c, EPOLLOUT);
}

static void on_udp(int fd)
{
    char buf[SRV_DGRAM];
    struct sockaddr_storage from;

    for (;;) {
        socklen_t len = sizeof(from);
        ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);

        if (n < 0)
            return;
        sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
    }
}

int main(int argc, char **argv)
{
    int port = srv_port(argc, argv);
    int lfd = srv_socket(SOCK_STREAM, port, 1), ufd = srv_socket(SOCK_DGRAM, port, 1);
    struct epoll_event ev = {.events = EPOLLIN}, evs[256];

    if ((ep = epoll_create1(0)) < 0)
        srv_die("epoll_create1");
    ev.data.ptr = &lfd;
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    ev.data.ptr = &ufd;
    epoll_ctl(ep, EPOLL_CTL_ADD, ufd, &ev);
    for (;;) {
        int n = epoll_wait(ep, evs, 256, -1);

        if (n < 0 && errno != EINTR)
            srv_die("epoll_wait");
        for (int i = 0; i < n; i++) {
            if (evs[i].data.ptr == &ufd) {
                on_udp(ufd);
            } else if (evs[i].data.ptr == &lfd) {
                int fd;

                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    struct conn *c = malloc(sizeof(*c));

                    c->fd = fd;
                    c->off = c->len = 0;
                    srv_nodelay(fd);
                    ev.events = EPOLLIN;
                    ev.data.ptr = c;
                    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
                        srv_die("epoll_ctl");
                }
            } else {
                on_conn(evs[i].data.ptr, evs[i].events);
            }
        }
    }
}
