/*
 * j_select_poll.c - select() with Windows fd_set semantics, and WSAPoll.
 *
 * What Windows does (Microsoft's select and WSAPoll pages): an fd_set is a count and an
 * array of SOCKETs, not a bitmap; FD_SETSIZE is 64 unless the program defines it before
 * including winsock2.h (this file defines 128, and select then takes sets of more than 64
 * sockets; the default of 64 is checked in j_select_default_setsize.c, which must not
 * define it). nfds is ignored. select fails with WSAEINVAL when the three sets are all NULL
 * or all empty (Windows has no "sleep with select"), and with WSAENOTSOCK when a set holds
 * something that is not a socket. On return each set keeps only its ready sockets and the
 * result is the number of entries kept, over the three sets. Readable: data queued, a
 * connection queued on a listener, a connection closed or reset by the peer. Writable: a
 * connected socket with buffer space, a non-blocking connect that succeeded. Except: urgent
 * data with SO_OOBINLINE off, a non-blocking connect that failed (only there, not in the
 * write set). A time-out returns 0 with the sets emptied.
 *
 * WSAPoll returns the number of entries whose revents is non-zero (0 on time-out): POLLRDNORM
 * for data or a queued connection, POLLWRNORM for space, POLLRDBAND for urgent data,
 * POLLHUP for a reset connection, POLLNVAL for an entry that is not a socket; error
 * conditions (POLLHUP, POLLERR) are reported even when not requested. Only POLLRDNORM,
 * POLLRDBAND, POLLWRNORM (POLLIN, POLLOUT) may be requested: POLLPRI, documented as not
 * supported by the Microsoft provider, makes the call fail with WSAEINVAL; a NULL array is
 * WSAEFAULT.
 *
 * No conformance.md item covers these functions yet, so the cases are named j_select_... and
 * j_wsapoll_... after their section (J, next to the ioctls) and the documented behaviour.
 * Left out: WSAPoll with no valid socket at all (the documentation says WSAEINVAL, real
 * Windows versions differ), negative fd entries (SOCKET is unsigned; not portable).
 */
#define FD_SETSIZE 128
#include "harness.h"

/*
 * On Windows POLLOUT is POLLWRNORM and POLLIN is POLLRDNORM|POLLRDBAND. wsaio keeps Linux's
 * own values for these names (bits of their own) and reports them alongside the Windows
 * flags; comparing without them is an identity on Windows.
 */
#define SANS_ALIASES(re)                                                                           \
    ((SHORT)((re) & ~((POLLIN | POLLOUT) & ~(POLLRDNORM | POLLRDBAND | POLLWRNORM))))

#define WAIT_MS 1000

static struct timeval tv_ms(long ms)
{
    struct timeval tv;

    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return tv;
}

/* select() on at most one socket per set (INVALID_SOCKET: that set is NULL); *ready[i]
 * says whether the socket stayed in set i. Returns select's result. */
static int select1(SOCKET r, SOCKET w, SOCKET x, long ms, BOOL ready[3])
{
    fd_set sets[3];
    SOCKET s[3];
    struct timeval tv = tv_ms(ms);
    int i, rc;

    s[0] = r;
    s[1] = w;
    s[2] = x;
    for (i = 0; i < 3; i++) {
        FD_ZERO(&sets[i]);
        if (s[i] != INVALID_SOCKET)
            FD_SET(s[i], &sets[i]);
    }
    rc = select(0, r != INVALID_SOCKET ? &sets[0] : NULL, w != INVALID_SOCKET ? &sets[1] : NULL,
                x != INVALID_SOCKET ? &sets[2] : NULL, &tv);
    for (i = 0; i < 3; i++) {
        ready[i] = s[i] != INVALID_SOCKET && FD_ISSET(s[i], &sets[i]);
        if (rc == 0 && s[i] != INVALID_SOCKET)
            CHECK_EQ(sets[i].fd_count, 0); /* a time-out empties the sets */
    }
    return rc;
}

/* A TCP socket bound to 127.0.0.1:ephemeral, listening or not (a port where nothing
 * listens while it stays open); *addr gets its address. */
static SOCKET bound_tcp(struct sockaddr_in *addr, BOOL listening)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int len = sizeof(*addr);

    CHECK(l != INVALID_SOCKET);
    *addr = harness_loopback4(0);
    CHECK_EQ(bind(l, (struct sockaddr *)addr, sizeof(*addr)), 0);
    if (listening)
        CHECK_EQ(listen(l, 5), 0);
    CHECK_EQ(getsockname(l, (struct sockaddr *)addr, &len), 0);
    return l;
}

/* A non-blocking TCP socket whose connect to addr is under way (or done). */
static SOCKET start_connect(const struct sockaddr_in *addr)
{
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int rc;

    CHECK(c != INVALID_SOCKET);
    harness_set_nonblocking(c, TRUE);
    WSASetLastError(0);
    rc = connect(c, (const struct sockaddr *)addr, sizeof(*addr));
    if (rc != 0) {
        CHECK_EQ(rc, SOCKET_ERROR);
        CHECK_ERR(WSAEWOULDBLOCK);
    }
    return c;
}

/* ---- select: arguments and fd_set ----------------------------------------------------- */

TEST(j_select_all_sets_null_einval)
{
    struct timeval tv = tv_ms(0);

    harness_startup();
    WSASetLastError(0);
    CHECK_EQ(select(0, NULL, NULL, NULL, &tv), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
}

TEST(j_select_all_sets_empty_einval)
{
    fd_set r, w, x;
    struct timeval tv = tv_ms(0);

    harness_startup();
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&x);
    WSASetLastError(0);
    CHECK_EQ(select(0, &r, &w, &x, &tv), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
}

/* A set or timeout pointer no program can own: WSAEFAULT ("not part of the user address
 * space", Microsoft's select page), whatever the other arguments. */
TEST(j_select_bad_pointer_efault)
{
    SOCKET a, b;
    fd_set r;
    struct timeval tv = tv_ms(0);

    HARNESS_WINE_CRASHES("select with a bad fd_set");
    harness_startup();
    harness_tcp_pair(&a, &b);
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        void *bad = harness_bad_ptr[i];

        for (int arg = 0; arg < 4; arg++) {
            FD_ZERO(&r);
            FD_SET(a, &r);
            WSASetLastError(0);
            CHECK_EQ(select(0, arg == 0 ? bad : &r, arg == 1 ? bad : NULL, arg == 2 ? bad : NULL,
                            arg == 3 ? bad : &tv),
                     SOCKET_ERROR);
            CHECK_ERR(WSAEFAULT);
        }
    }
    closesocket(a);
    closesocket(b);
}

TEST(j_select_not_a_socket_enotsock)
{
    SOCKET s;
    fd_set r;
    struct timeval tv = tv_ms(0);

    harness_startup();
    s = harness_udp_socket(TRUE);
    FD_ZERO(&r);
    FD_SET(s, &r);
    FD_SET(INVALID_SOCKET, &r);
    WSASetLastError(0);
    CHECK_EQ(select(0, &r, NULL, NULL, &tv), SOCKET_ERROR);
    CHECK_ERR(WSAENOTSOCK);
    closesocket(s);
}

TEST(j_select_fd_set_is_count_and_array)
{
    fd_set set;
    SOCKET a, b, c;

    harness_startup();
    a = harness_udp_socket(FALSE);
    b = harness_udp_socket(FALSE);
    c = harness_udp_socket(FALSE);
    FD_ZERO(&set);
    CHECK_EQ(set.fd_count, 0);
    FD_SET(a, &set);
    FD_SET(b, &set);
    FD_SET(a, &set); /* already there: not added twice */
    FD_SET(c, &set);
    CHECK_EQ(set.fd_count, 3);
    CHECK(set.fd_array[0] == a && set.fd_array[1] == b && set.fd_array[2] == c);
    CHECK(FD_ISSET(b, &set));
    FD_CLR(b, &set); /* the rest moves down, order kept */
    CHECK_EQ(set.fd_count, 2);
    CHECK(set.fd_array[0] == a && set.fd_array[1] == c);
    CHECK(!FD_ISSET(b, &set));
    closesocket(a);
    closesocket(b);
    closesocket(c);
}

TEST(j_select_fd_setsize_defined_by_program)
{
    fd_set set;
    unsigned i;

    CHECK_EQ(FD_SETSIZE, 128);
    CHECK_EQ(sizeof(set.fd_array) / sizeof(set.fd_array[0]), 128);
    FD_ZERO(&set);
    for (i = 1; i <= 200; i++) /* FD_SET stops at FD_SETSIZE entries */
        FD_SET((SOCKET)(i * 4), &set);
    CHECK_EQ(set.fd_count, 128);
    CHECK(set.fd_array[127] == (SOCKET)(128 * 4));
}

TEST(j_select_more_than_64_sockets)
{
    enum { N = 100 };
    SOCKET s[N], tx;
    fd_set r;
    struct timeval tv = tv_ms(WAIT_MS);
    struct sockaddr_in to;
    int i, len = sizeof(to);

    harness_startup();
    FD_ZERO(&r);
    for (i = 0; i < N; i++) {
        s[i] = harness_udp_socket(TRUE);
        FD_SET(s[i], &r);
    }
    CHECK_EQ(r.fd_count, N);
    tx = harness_udp_socket(TRUE);
    CHECK_EQ(getsockname(s[N - 3], (struct sockaddr *)&to, &len), 0);
    CHECK_EQ(sendto(tx, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
    CHECK_EQ(select(0, &r, NULL, NULL, &tv), 1);
    CHECK_EQ(r.fd_count, 1);
    CHECK(r.fd_array[0] == s[N - 3]);
    for (i = 0; i < N; i++)
        closesocket(s[i]);
    closesocket(tx);
}

/* ---- select: readable, writable, except ----------------------------------------------- */

TEST(j_select_timeout_returns_0_and_empties_sets)
{
    SOCKET a, b;
    BOOL ready[3];
    double start;

    harness_startup();
    harness_tcp_pair(&a, &b);
    start = harness_now_ms();
    CHECK_EQ(select1(b, INVALID_SOCKET, b, 100, ready), 0);
    CHECK_ELAPSED_GE(start, 90);
    closesocket(a);
    closesocket(b);
}

TEST(j_select_readable_when_data_queued)
{
    SOCKET a, b;
    BOOL ready[3];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(a, "hello", 5);
    CHECK_EQ(select1(b, INVALID_SOCKET, b, WAIT_MS, ready), 1);
    CHECK(ready[0] && !ready[2]);
    closesocket(a);
    closesocket(b);
}

TEST(j_select_readable_when_connection_queued)
{
    struct sockaddr_in addr;
    SOCKET l, c;
    BOOL ready[3];

    harness_startup();
    l = bound_tcp(&addr, TRUE);
    c = harness_tcp_socket();
    CHECK_EQ(connect(c, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CHECK_EQ(select1(l, INVALID_SOCKET, INVALID_SOCKET, WAIT_MS, ready), 1);
    CHECK(ready[0]);
    closesocket(c);
    closesocket(l);
}

TEST(j_select_readable_after_peer_close)
{
    SOCKET a, b;
    BOOL ready[3];
    char buf[4];

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(closesocket(a), 0);
    CHECK_EQ(select1(b, INVALID_SOCKET, INVALID_SOCKET, WAIT_MS, ready), 1);
    CHECK(ready[0]);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), 0);
    closesocket(b);
}

TEST(j_select_readable_after_peer_reset)
{
    SOCKET a, b;
    BOOL ready[3];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_reset_close(a);
    CHECK_EQ(select1(b, INVALID_SOCKET, INVALID_SOCKET, WAIT_MS, ready), 1);
    CHECK(ready[0]);
    closesocket(b);
}

/* After a receive reported the reset: still readable, and the next receive fails again
 * (a reset socket stays reset, api.md 4.5). */
TEST(j_select_readable_after_reset_was_reported)
{
    SOCKET b;
    BOOL ready[3];
    char buf[8];

    harness_startup();
    b = harness_reset_reported();
    CHECK_EQ(select1(b, INVALID_SOCKET, INVALID_SOCKET, WAIT_MS, ready), 1);
    CHECK(ready[0]);
    WSASetLastError(0);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(b);
}

TEST(j_select_writable_when_connected)
{
    SOCKET a, b;
    BOOL ready[3];

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(select1(INVALID_SOCKET, a, a, 0, ready), 1);
    CHECK(ready[1] && !ready[2]);
    closesocket(a);
    closesocket(b);
}

TEST(j_select_counts_entries_of_every_set)
{
    SOCKET a, b;
    BOOL ready[3];

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(a, "hello", 5);
    CHECK_EQ(select1(b, b, INVALID_SOCKET, WAIT_MS, ready), 2);
    CHECK(ready[0] && ready[1]);
    closesocket(a);
    closesocket(b);
}

TEST(j_select_nonblocking_connect_success_writable)
{
    struct sockaddr_in addr;
    SOCKET l, c;
    BOOL ready[3];

    harness_startup();
    l = bound_tcp(&addr, TRUE);
    c = start_connect(&addr);
    CHECK_EQ(select1(INVALID_SOCKET, c, c, WAIT_MS, ready), 1);
    CHECK(ready[1] && !ready[2]);
    closesocket(c);
    closesocket(l);
}

TEST(j_select_nonblocking_connect_failure_in_except_only)
{
    struct sockaddr_in addr;
    SOCKET holder, c;
    BOOL ready[3];
    int err = 0, len = sizeof(err);

    harness_startup();
    holder = bound_tcp(&addr, FALSE);
    c = start_connect(&addr);
    /* Windows retries a refused SYN for about 1 s; Linux and Wine refuse at once. */
    CHECK_EQ(select1(INVALID_SOCKET, INVALID_SOCKET, c, 2500, ready), 1);
    /* Once it has failed, the socket is in the except set only. */
    CHECK_EQ(select1(c, c, c, 0, ready), 1);
    CHECK(ready[2] && !ready[1] && !ready[0]);
    CHECK_EQ(getsockopt(c, SOL_SOCKET, SO_ERROR, (char *)&err, &len), 0);
    CHECK_EQ(err, WSAECONNREFUSED);
    closesocket(c);
    closesocket(holder);
}

TEST(j_select_except_when_urgent_data)
{
    SOCKET a, b;
    BOOL ready[3];
    char c = 0;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(send(a, "!", 1, MSG_OOB), 1);
    CHECK_EQ(select1(INVALID_SOCKET, INVALID_SOCKET, b, WAIT_MS, ready), 1);
    CHECK(ready[2]);
    CHECK_EQ(recv(b, &c, 1, MSG_OOB), 1);
    CHECK_EQ(c, '!');
    closesocket(a);
    closesocket(b);
}

/* ---- WSAPoll -------------------------------------------------------------------------- */

/* WSAPoll on one socket; returns its result, *revents the entry's revents. */
static int poll1(SOCKET s, SHORT events, INT ms, SHORT *revents)
{
    WSAPOLLFD p;
    int rc;

    p.fd = s;
    p.events = events;
    p.revents = 0x7777;
    rc = WSAPoll(&p, 1, ms);
    *revents = p.revents;
    return rc;
}

TEST(j_wsapoll_timeout_returns_0)
{
    SOCKET a, b;
    SHORT re;
    double start;

    harness_startup();
    harness_tcp_pair(&a, &b);
    start = harness_now_ms();
    CHECK_EQ(poll1(b, POLLRDNORM, 100, &re), 0);
    CHECK_ELAPSED_GE(start, 90);
    CHECK_EQ(re, 0);
    closesocket(a);
    closesocket(b);
}

TEST(j_wsapoll_rdnorm_when_data_queued)
{
    SOCKET a, b;
    SHORT re;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_send_all(a, "hello", 5);
    CHECK_EQ(poll1(b, POLLIN, WAIT_MS, &re), 1);
    CHECK(re & POLLRDNORM);
    closesocket(a);
    closesocket(b);
}

TEST(j_wsapoll_rdnorm_when_connection_queued)
{
    struct sockaddr_in addr;
    SOCKET l, c;
    SHORT re;

    harness_startup();
    l = bound_tcp(&addr, TRUE);
    c = harness_tcp_socket();
    CHECK_EQ(connect(c, (struct sockaddr *)&addr, sizeof(addr)), 0);
    CHECK_EQ(poll1(l, POLLRDNORM, WAIT_MS, &re), 1);
    CHECK(re & POLLRDNORM);
    closesocket(c);
    closesocket(l);
}

TEST(j_wsapoll_wrnorm_when_connected)
{
    SOCKET a, b;
    SHORT re;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(poll1(a, POLLOUT, 0, &re), 1);
    CHECK_EQ(SANS_ALIASES(re), POLLWRNORM);
    closesocket(a);
    closesocket(b);
}

TEST(j_wsapoll_rdband_when_urgent_data)
{
    SOCKET a, b;
    SHORT re;

    harness_startup();
    harness_tcp_pair(&a, &b);
    CHECK_EQ(send(a, "!", 1, MSG_OOB), 1);
    CHECK_EQ(poll1(b, POLLRDBAND, WAIT_MS, &re), 1);
    CHECK(re & POLLRDBAND);
    closesocket(a);
    closesocket(b);
}

TEST(j_wsapoll_hup_after_reset_even_unrequested)
{
    SOCKET a, b;
    SHORT re;

    harness_startup();
    harness_tcp_pair(&a, &b);
    harness_reset_close(a);
    CHECK_EQ(poll1(b, 0, WAIT_MS, &re), 1);
    CHECK(re & POLLHUP);
    closesocket(b);
}

TEST(j_wsapoll_hup_after_reset_was_reported)
{
    SOCKET b;
    SHORT re;
    char buf[8];

    harness_startup();
    b = harness_reset_reported();
    CHECK_EQ(poll1(b, POLLRDNORM, WAIT_MS, &re), 1);
    CHECK(re & POLLHUP);
    WSASetLastError(0);
    CHECK_EQ(recv(b, buf, sizeof(buf), 0), SOCKET_ERROR);
    CHECK_ERR(WSAECONNRESET);
    closesocket(b);
}

TEST(j_wsapoll_count_is_entries_with_revents)
{
    SOCKET a, b, u;
    WSAPOLLFD p[3];

    harness_startup();
    harness_tcp_pair(&a, &b);
    u = harness_udp_socket(TRUE);
    harness_send_all(a, "hello", 5);
    p[0].fd = u; /* nothing */
    p[0].events = POLLRDNORM;
    p[1].fd = b; /* data and space: one entry */
    p[1].events = POLLRDNORM | POLLWRNORM;
    p[2].fd = a; /* space */
    p[2].events = POLLWRNORM;
    CHECK_EQ(WSAPoll(p, 3, WAIT_MS), 2);
    CHECK_EQ(p[0].revents, 0);
    CHECK_EQ(SANS_ALIASES(p[1].revents), POLLRDNORM | POLLWRNORM);
    CHECK_EQ(SANS_ALIASES(p[2].revents), POLLWRNORM);
    closesocket(a);
    closesocket(b);
    closesocket(u);
}

TEST(j_wsapoll_closed_socket_entry_pollnval)
{
    SOCKET a, b, gone;
    WSAPOLLFD p[2];

    harness_startup();
    harness_tcp_pair(&a, &b);
    gone = harness_udp_socket(FALSE);
    CHECK_EQ(closesocket(gone), 0);
    p[0].fd = a;
    p[0].events = POLLWRNORM;
    p[1].fd = gone;
    p[1].events = POLLRDNORM;
    CHECK_EQ(WSAPoll(p, 2, 0), 2);
    CHECK_EQ(SANS_ALIASES(p[0].revents), POLLWRNORM);
    CHECK_EQ(p[1].revents, POLLNVAL);
    closesocket(a);
    closesocket(b);
}

TEST(j_wsapoll_pollpri_requested_einval)
{
    SOCKET a, b;
    SHORT re;

    harness_startup();
    harness_tcp_pair(&a, &b);
    WSASetLastError(0);
    CHECK_EQ(poll1(a, POLLPRI | POLLWRNORM, 0, &re), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    closesocket(a);
    closesocket(b);
}

TEST(j_wsapoll_null_array_efault)
{
    harness_startup();
    WSASetLastError(0);
    CHECK_EQ(WSAPoll(NULL, 1, 0), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
}

TEST(j_wsapoll_bad_array_pointer_efault)
{
    HARNESS_WINE_CRASHES("WSAPoll with a bad array");
    harness_startup();
    for (int i = 0; i < HARNESS_BAD_PTRS; i++) {
        WSASetLastError(0);
        CHECK_EQ(WSAPoll(harness_bad_ptr[i], 1, 0), SOCKET_ERROR);
        CHECK_ERR(WSAEFAULT);
    }
}
