/*
 * internal_fds.c - wsaio's own descriptors are never taken for sockets (issue 9 item 4).
 *
 * After every feature that opens a descriptor for wsaio itself has run (the backend's
 * ring or epoll set and eventfd, the WSAEventSelect watcher's epoll set and eventfd, the
 * rtnetlink listener of address-change requests), every descriptor the test did not open
 * is one of those: each must be close-on-exec, and a SOCKET value naming it must get
 * WSAENOTSOCK from closesocket, getsockopt, select, WSARecv and WSAEventSelect (POLLNVAL
 * from WSAPoll) and stay open. The rtnetlink listener is a
 * real socket, so it is the case a "not a socket" check would miss. The features still
 * work afterwards.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* libc's getsockopt, before <winsock2.h> renames it to wsaio's. */
static int domain_of(int fd)
{
    int d = -1;
    socklen_t len = sizeof(d);

    return getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &d, &len) == 0 ? d : -1;
}

#include "unit.h"

#define MAXFD 1024

/* Marks the descriptors open now. */
static void open_fds(char open[MAXFD])
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;

    CHECK(d != NULL);
    memset(open, 0, MAXFD);
    while ((e = readdir(d))) {
        int fd = atoi(e->d_name);

        if (e->d_name[0] != '.' && fd != dirfd(d) && fd < MAXFD)
            open[fd] = 1;
    }
    closedir(d);
}

/* The other ways a SOCKET value reaches wsaio: select, WSAPoll, an overlapped call, a
 * selection. */
static void refused_elsewhere(int fd)
{
    struct timeval zero = {0, 0};
    WSAPOLLFD pfd = {(SOCKET)fd, POLLRDNORM, 0};
    WSAOVERLAPPED ov;
    fd_set rd;
    char buf[1];
    WSABUF b = {1, buf};
    DWORD flags = 0;

    FD_ZERO(&rd);
    FD_SET((SOCKET)fd, &rd);
    CHECK_EQ(select(0, &rd, NULL, NULL, &zero), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    CHECK_EQ(WSAPoll(&pfd, 1, 0), 1);
    CHECK_EQ(pfd.revents, POLLNVAL);
    memset(&ov, 0, sizeof(ov));
    CHECK_EQ(WSARecv((SOCKET)fd, &b, 1, NULL, &flags, &ov, NULL), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
    CHECK_EQ(WSAEventSelect((SOCKET)fd, NULL, 0), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
}

TEST(internal_fds)
{
    static char before[MAXFD], after[MAXFD];
    SOCKET p[2], u;
    WSAEVENT ev;
    int internal = 0, netlink = 0;

    open_fds(before);
    harness_startup();
    harness_tcp_pair(&p[0], &p[1]);
    u = WSASocketA(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    CHECK(u != INVALID_SOCKET);
    ev = WSACreateEvent();
    unit_exercise_features(p, u, ev);

    open_fds(after);
    for (int fd = 0; fd < MAXFD; fd++) {
        int type = 0, len = sizeof(type), flags;

        if (!after[fd] || before[fd] || fd == (int)p[0] || fd == (int)p[1] || fd == (int)u)
            continue;
        internal++;
        netlink += domain_of(fd) == AF_NETLINK;
        flags = fcntl(fd, F_GETFD);
        if (!(flags & FD_CLOEXEC))
            fprintf(stderr, "descriptor %d is inherited by exec\n", fd);
        CHECK(flags >= 0 && (flags & FD_CLOEXEC));
        CHECK_EQ(getsockopt((SOCKET)fd, SOL_SOCKET, SO_TYPE, (char *)&type, &len), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
        refused_elsewhere(fd);
        CHECK_EQ(closesocket((SOCKET)fd), SOCKET_ERROR);
        CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);
        CHECK(fcntl(fd, F_GETFD) >= 0); /* still open */
    }
    printf("%d internal descriptors (%d rtnetlink), all close-on-exec and refused\n", internal,
           netlink);
    CHECK(internal >= 3); /* the backend's, the watcher's, the listener's at least */
    CHECK_EQ(netlink, 1);

    unit_exercise_features(p, u, ev); /* everything still works */
    closesocket(p[0]);
    closesocket(p[1]);
    closesocket(u);
    WSACloseEvent(ev);
    CHECK(WSACleanup() == 0);
}
