/*
 * srv_common.h - what the Linux echo servers (srv_epoll.c, srv_uring.c, srv_libuv.c) share:
 * the command line, the listening TCP socket and the UDP socket, both on 127.0.0.1:PORT.
 *
 * Every server of bench/ does the same work, driven by loadgen.c: accept TCP connections
 * (TCP_NODELAY on each), read what arrives into a 64 KiB buffer and write it back; on the
 * UDP socket, send each datagram back to where it came from. One thread. The servers run
 * until killed (SIGTERM from run_all.sh), or for --secs seconds when given as a bound.
 */
#ifndef WSAIO_BENCH_SRV_COMMON_H
#define WSAIO_BENCH_SRV_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SRV_BUF   65536 /* per TCP connection: one read, then the same bytes written back */
#define SRV_DGRAM 2048

static void srv_die(const char *what)
{
    fprintf(stderr, "server: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* "PROG PORT": the port, or exits with a usage line. */
static int srv_port(int argc, char **argv)
{
    int port = argc == 2 ? atoi(argv[1]) : 0;

    if (port <= 0 || port > 65535) {
        fprintf(stderr, "usage: %s PORT (TCP and UDP echo on 127.0.0.1:PORT)\n", argv[0]);
        exit(2);
    }
    return port;
}

/* A socket of the given type bound to 127.0.0.1:port (listening, for TCP). */
static int srv_socket(int type, int port, int nonblocking)
{
    struct sockaddr_in a;
    int one = 1, s = socket(AF_INET, type | (nonblocking ? SOCK_NONBLOCK : 0), 0);

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s < 0)
        srv_die("socket");
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(s, (struct sockaddr *)&a, sizeof(a)) || (type == SOCK_STREAM && listen(s, 1024)))
        srv_die("bind/listen");
    return s;
}

static inline void srv_nodelay(int fd)
{
    int one = 1;

    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

#endif /* WSAIO_BENCH_SRV_COMMON_H */
