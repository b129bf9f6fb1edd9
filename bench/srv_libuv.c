/*
 * srv_libuv.c - TCP and UDP echo on libuv (Debian's libuv1-dev; srv_common.h says what
 * every server does). As a libuv user writes it for speed: uv_tcp_nodelay on each
 * connection, a 64 KiB buffer per connection handed out by the alloc callback, the echo
 * written with uv_try_write (no request, no allocation when the socket takes it all, which
 * it does for every message here) and only a short write copied into a uv_write request,
 * with reading stopped until it is done. UDP: uv_udp_recv_start and uv_udp_try_send.
 */
#include <uv.h>

#include "srv_common.h"

struct conn {
    uv_tcp_t tcp;
    uv_write_t req;
    char buf[SRV_BUF];
};

static uv_loop_t *loop;
static char udp_buf[SRV_DGRAM];

static void on_close(uv_handle_t *h)
{
    free(h);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
    (void)hint;
    *b = uv_buf_init(((struct conn *)h)->buf, SRV_BUF);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b);

static void on_written(uv_write_t *req, int status)
{
    struct conn *c = (struct conn *)req->handle;

    if (status < 0)
        uv_close((uv_handle_t *)c, on_close);
    else
        uv_read_start((uv_stream_t *)c, on_alloc, on_read);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    struct conn *c = (struct conn *)s;
    uv_buf_t rest;
    int w;

    if (n < 0) {
        uv_close((uv_handle_t *)s, on_close);
        return;
    }
    if (n == 0)
        return;
    rest = uv_buf_init(b->base, (unsigned)n);
    w = uv_try_write(s, &rest, 1);
    if (w == n)
        return;
    if (w < 0 && w != UV_EAGAIN) {
        uv_close((uv_handle_t *)s, on_close);
        return;
    }
    /* A short write: the rest goes out through a request from the same buffer (moved to
     * its start), and reading waits for it, since the next read would reuse the buffer. */
    if (w < 0)
        w = 0;
    memmove(c->buf, b->base + w, (size_t)(n - w));
    rest = uv_buf_init(c->buf, (unsigned)(n - w));
    uv_read_stop(s);
    uv_write(&c->req, s, &rest, 1, on_written);
}

static void on_connection(uv_stream_t *server, int status)
{
    struct conn *c;

    if (status < 0)
        return;
    c = malloc(sizeof(*c));
    uv_tcp_init(loop, &c->tcp);
    if (uv_accept(server, (uv_stream_t *)&c->tcp)) {
        uv_close((uv_handle_t *)c, on_close);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    uv_read_start((uv_stream_t *)c, on_alloc, on_read);
}

static void on_udp_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
    (void)h;
    (void)hint;
    *b = uv_buf_init(udp_buf, sizeof(udp_buf));
}

static void on_udp(uv_udp_t *u, ssize_t n, const uv_buf_t *b, const struct sockaddr *from,
                   unsigned flags)
{
    uv_buf_t out;

    (void)flags;
    if (n <= 0 || !from)
        return;
    out = uv_buf_init(b->base, (unsigned)n);
    uv_udp_try_send(u, &out, 1, from);
}

int main(int argc, char **argv)
{
    int port = srv_port(argc, argv);
    static uv_tcp_t server;
    static uv_udp_t udp;

    loop = uv_default_loop();
    uv_tcp_init(loop, &server);
    uv_udp_init(loop, &udp);
    /* The sockets come from srv_common.h, the same as the other servers'. */
    if (uv_tcp_open(&server, srv_socket(SOCK_STREAM, port, 1)) ||
        uv_listen((uv_stream_t *)&server, 1024, on_connection) ||
        uv_udp_open(&udp, srv_socket(SOCK_DGRAM, port, 1)) ||
        uv_udp_recv_start(&udp, on_udp_alloc, on_udp))
        srv_die("libuv listen");
    return uv_run(loop, UV_RUN_DEFAULT);
}
