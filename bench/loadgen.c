/*
 * loadgen.c - load generator for the echo servers of bench/ (srv_*.c), loopback only.
 *
 *   loadgen --port P --mode echo|bulk|udp|idle [--conns N] [--depth D] [--size S]
 *           [--secs T] [--warm W] [--volume BYTES] [--pid PID[,PID...]]
 *           [--system LABEL] [--case NAME] [--rss 1]
 *
 * echo  N TCP connections, each keeping D messages of S bytes in flight (TCP_NODELAY, like
 *       the servers): a message is re-sent as soon as its echo is back. Every message
 *       carries its send time in its first 8 bytes, so the echo gives its latency without
 *       any bookkeeping. Ping-pong is echo with N = 1, D = 1.
 * bulk  one TCP connection: a thread writes --volume bytes in 64 KiB writes while the main
 *       thread reads the echo back; GB/s is echoed bytes over the time until the last byte
 *       is back (the server echoes, it does not discard: every server does the same
 *       read-then-write-back work in every scenario).
 * udp   N connected UDP sockets, each keeping D datagrams of S bytes in flight; a socket
 *       that hears nothing for 50 ms counts its in-flight datagrams lost and sends D anew.
 * idle  the server's resident memory (VmRSS) with 0 and with N connections, each of which
 *       has made one round trip (so the server has a receive pending on it): per connection.
 *       echo --rss 1 measures the same before its load and adds it to its RESULT line
 *       (rss0_kb= rss1_kb= bytes_per_conn=): the scale curve of run_all.sh.
 *
 * Connections (TCP) are made in batches of DIAL_BATCH, each connection making one round
 * trip before the next batch: the server has accepted a batch before the next one comes, so
 * that 10,000 connections never overflow its listen backlog (a connection refused there
 * waits for the SYN to be sent again, 1 s and more). Up to MAX_CONNS connections, as many
 * as RLIMIT_NOFILE allows: loadgen raises its soft limit to the hard one, and says which
 * limit stopped it.
 *
 * One thread and epoll (level-triggered) drive every connection, so that the client costs
 * the same for every server; it runs for W seconds unmeasured, then T seconds measured.
 * The server's CPU time is utime + stime from /proc/PID/stat over the measured T seconds,
 * summed over the given pids (Wine: the program and the wineserver). Output, one line, the
 * key=value style of bench_report.h:
 *
 *   RESULT system=... case=... conns= depth= size= secs= reqs= req_s= MB_s= p50_us= p99_us=
 *          p999_us= lost= srv_cpu_ms= srv_cpu_pct= srv_cpu_us_req= other_pct=
 *
 * other_pct is the CPU time other programs took meanwhile (from /proc/stat), in % of one
 * core: a benchmark on a shared machine says when it was not alone.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS  65536
#define DIAL_BATCH 256 /* connections dialled before each makes its priming round trip */
#define PRIME      64  /* bytes of that round trip */
#define PRIME_WAIT 10  /* s: the longest wait for that echo */
#define MAX_DEPTH  64
#define MAX_SIZE   65536
#define BULK_CHUNK 65536

static int port = 0, conns = 1, depth = 1, size = 64, want_rss = 0;
static double secs = 2, warm = 0.3;
static long long volume = 1LL << 30;
static const char *mode = "echo", *system_ = "?", *case_ = NULL, *pids = NULL;

static void die(const char *what)
{
    fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
    exit(1);
}

static long long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Server CPU time in ns: utime + stime of every pid in the comma-separated list. */
static long long server_cpu_ns(void)
{
    long long total = 0;
    long tck = sysconf(_SC_CLK_TCK);
    const char *p = pids;

    while (p && *p) {
        char path[64], buf[1024], *q;
        unsigned long ut = 0, st = 0;
        int pid = atoi(p);
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%d/stat", pid);
        if ((f = fopen(path, "r"))) {
            if (fgets(buf, sizeof(buf), f) && (q = strrchr(buf, ')')))
                /* After "pid (comm)": state is field 3; utime and stime are 14 and 15. */
                sscanf(q + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
            fclose(f);
        }
        total += (long long)(ut + st) * (1000000000LL / tck);
        p = strchr(p, ',');
        p = p ? p + 1 : NULL;
    }
    return total;
}

/* CPU time of the whole machine that neither the server nor this process used, in ns, so
 * far: busy time from /proc/stat minus the server's minus our own. A measurement during
 * which other programs ran is reported as such (other_pct), and run_all.sh repeats it. */
static long long other_cpu_ns(long long server_ns)
{
    unsigned long long v[8] = {0}, busy;
    struct timespec own;
    FILE *f = fopen("/proc/stat", "r");

    if (!f)
        return 0;
    if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4],
               &v[5], &v[6], &v[7]) != 8)
        memset(v, 0, sizeof(v));
    fclose(f);
    busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]; /* all but idle and iowait */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &own);
    return (long long)busy * (1000000000LL / sysconf(_SC_CLK_TCK)) - server_ns -
           (own.tv_sec * 1000000000LL + own.tv_nsec);
}

/* Resident set of the first pid, in bytes. */
static long long server_rss(void)
{
    char path[64], line[256];
    long long kb = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", pids ? atoi(pids) : 0);
    if (!(f = fopen(path, "r")))
        return -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %lld kB", &kb) == 1)
            break;
    fclose(f);
    return kb * 1024;
}

static struct sockaddr_in server_addr(void)
{
    struct sockaddr_in a;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int dial(int type)
{
    struct sockaddr_in a = server_addr();
    int one = 1, s = socket(AF_INET, type, 0);

    if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)))
        die("connect");
    if (type == SOCK_STREAM)
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return s;
}

/* Raises the soft RLIMIT_NOFILE to the hard limit; exits, saying which limit, when that is
 * still too few descriptors for n connections. */
static void raise_nofile(int n)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl))
        die("getrlimit");
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl); /* may fail (hard limit RLIM_INFINITY): the check says */
    if (getrlimit(RLIMIT_NOFILE, &rl))
        die("getrlimit");
    if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)n + 16 > rl.rlim_cur) {
        fprintf(stderr,
                "loadgen: %d connections need %d descriptors; RLIMIT_NOFILE allows %llu "
                "(hard limit %llu)\n",
                n, n + 16, (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
        exit(3);
    }
}

/* n TCP connections into fds, made DIAL_BATCH at a time; each makes one round trip of
 * PRIME bytes before the next batch is dialled, so the server has accepted them all (and
 * has a receive pending on each) when this returns. A server that has not echoed within
 * PRIME_WAIT seconds ends the run, saying so, rather than hang it. */
static void dial_primed(int *fds, int n)
{
    struct timeval wait = {.tv_sec = PRIME_WAIT}, forever = {0};
    char m[PRIME] = {0};

    for (int b = 0; b < n; b += DIAL_BATCH) {
        int e = n - b > DIAL_BATCH ? b + DIAL_BATCH : n, i;

        for (i = b; i < e; i++) {
            fds[i] = dial(SOCK_STREAM);
            if (write(fds[i], m, PRIME) != PRIME)
                die("priming write");
        }
        for (i = b; i < e; i++) {
            setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait));
            for (int have = 0; have < PRIME;) {
                ssize_t r = read(fds[i], m + have, PRIME - (size_t)have);

                if (r <= 0) {
                    fprintf(stderr, "loadgen: connection %d of %d: %s\n", i + 1, n,
                            r == 0            ? "closed by the server"
                            : errno == EAGAIN ? "no echo of its first message in time"
                                              : strerror(errno));
                    exit(1);
                }
                have += (int)r;
            }
            setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &forever, sizeof(forever));
        }
    }
}

/* Server RSS in bytes, after letting it settle for ms milliseconds. */
static long long settled_rss(int ms)
{
    usleep((useconds_t)ms * 1000);
    return server_rss();
}

/* ---- Latency samples --------------------------------------------------------------------- */

static uint32_t *lat; /* ns, one per measured echo */
static long nlat, caplat;

static void record(long long ns)
{
    if (nlat == caplat) {
        caplat = caplat ? caplat * 2 : 1 << 20;
        if (!(lat = realloc(lat, (size_t)caplat * sizeof(*lat))))
            die("realloc");
    }
    lat[nlat++] = ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

static double pct_us(double q)
{
    long i = (long)((double)nlat * q);

    if (!nlat)
        return 0;
    if (i >= nlat)
        i = nlat - 1;
    return lat[i] / 1000.0;
}

static long long other0;          /* other_cpu_ns() when the measurement began */
static long long rss0 = -1, rss1; /* echo --rss 1: server RSS before and after connecting */

static void report(long long reqs, long long bytes, double wall_ns, long long cpu, long lost)
{
    long long other = other_cpu_ns(server_cpu_ns()) - other0;

    qsort(lat, (size_t)nlat, sizeof(*lat), cmp_u32);
    printf("RESULT system=%s case=%s conns=%d depth=%d size=%d secs=%.2f reqs=%lld req_s=%.0f "
           "MB_s=%.1f p50_us=%.1f p99_us=%.1f p999_us=%.1f lost=%ld srv_cpu_ms=%.0f "
           "srv_cpu_pct=%.1f srv_cpu_us_req=%.2f other_pct=%.0f",
           system_, case_, conns, depth, size, wall_ns / 1e9, reqs, reqs * 1e9 / wall_ns,
           bytes * 1e3 / wall_ns, pct_us(0.5), pct_us(0.99), pct_us(0.999), lost, cpu / 1e6,
           100.0 * cpu / wall_ns, reqs ? cpu / 1e3 / reqs : 0.0, 100.0 * other / wall_ns);
    if (rss0 >= 0)
        printf(" rss0_kb=%lld rss1_kb=%lld bytes_per_conn=%.0f", rss0 / 1024, rss1 / 1024,
               (double)(rss1 - rss0) / conns);
    printf("\n");
    fflush(stdout);
}

/* ---- echo and udp: one epoll loop over every connection ----------------------------------- */

struct conn {
    int fd, inflight, have; /* messages in flight, bytes of a partial message received */
    long long last_rx;      /* udp: time of the last datagram, for the loss timeout */
    char *rx;               /* tcp: depth * size bytes, all that can be in flight */
};

static struct conn *cs;

/* Sends k messages stamped with the time now (one write: k * size bytes, or k datagrams). */
static void send_msgs(struct conn *c, int k, int udp)
{
    static char tx[MAX_DEPTH * 1024];
    long long t = now_ns();
    int i;

    for (i = 0; i < k; i++) {
        char *m = udp ? tx : tx + (size_t)i * size;

        memcpy(m, &t, sizeof(t));
        if (udp && send(c->fd, tx, size, 0) != size)
            die("send (udp)");
    }
    if (!udp && write(c->fd, tx, (size_t)k * size) != k * size)
        die("write (the socket buffer always holds depth * size bytes)");
    c->inflight += k;
}

static void run_echo(int udp)
{
    struct epoll_event evs[256];
    long long start, t0 = 0, t_end, cpu0 = 0, reqs = 0, now;
    long lost = 0;
    int ep = epoll_create1(0), measuring = 0, i;

    static char udp_rx[MAX_SIZE];
    size_t rxcap = (size_t)depth * (size_t)size;
    char *rx;
    int *fds;

    if (size < 8 || size > (udp ? 1024 : MAX_SIZE / MAX_DEPTH) || depth > MAX_DEPTH) {
        fprintf(stderr, "loadgen: size 8..%d, depth <= %d\n", udp ? 1024 : MAX_SIZE / MAX_DEPTH,
                MAX_DEPTH);
        exit(2);
    }
    cs = calloc((size_t)conns, sizeof(*cs));
    fds = calloc((size_t)conns, sizeof(*fds));
    rx = malloc((size_t)conns * rxcap);
    if (!cs || !fds || !rx)
        die("calloc");
    if (want_rss)
        rss0 = settled_rss(200);
    if (!udp)
        dial_primed(fds, conns);
    if (want_rss)
        rss1 = settled_rss(100);
    for (i = 0; i < conns; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &cs[i]};

        cs[i].fd = udp ? dial(SOCK_DGRAM) : fds[i];
        cs[i].rx = udp ? udp_rx : rx + (size_t)i * rxcap;
        if (epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev))
            die("epoll_ctl");
    }
    start = now_ns();
    t_end = start + (long long)((warm + secs) * 1e9);
    for (i = 0; i < conns; i++) {
        cs[i].last_rx = start;
        send_msgs(&cs[i], depth, udp);
    }
    for (;;) {
        int n = epoll_wait(ep, evs, 256, udp ? 10 : 1000);

        now = now_ns();
        if (!measuring && now - start >= (long long)(warm * 1e9)) {
            measuring = 1;
            t0 = now;
            cpu0 = server_cpu_ns();
            other0 = other_cpu_ns(cpu0);
        }
        if (now >= t_end)
            break;
        if (n < 0 && errno != EINTR)
            die("epoll_wait");
        if (n == 0 && !udp) {
            fprintf(stderr, "loadgen: no echo for 1 s\n");
            exit(1);
        }
        for (i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            int back = 0;

            if (udp) {
                /* Drain the socket: one datagram is one echo. */
                for (;;) {
                    long long t;
                    ssize_t r = recv(c->fd, udp_rx, MAX_SIZE, MSG_DONTWAIT);

                    if (r < 0)
                        break;
                    memcpy(&t, udp_rx, sizeof(t));
                    if (measuring)
                        record(now - t);
                    back++;
                }
            } else {
                char *p;
                ssize_t r = read(c->fd, c->rx + c->have, rxcap - (size_t)c->have);

                if (r <= 0) {
                    fprintf(stderr, "loadgen: server closed a connection\n");
                    exit(1);
                }
                c->have += (int)r;
                for (p = c->rx; c->have >= size; p += size, c->have -= size, back++) {
                    long long t;

                    memcpy(&t, p, sizeof(t));
                    if (measuring)
                        record(now - t);
                }
                memmove(c->rx, p, (size_t)c->have);
            }
            if (measuring)
                reqs += back;
            if (back > c->inflight) /* late echoes of datagrams counted lost */
                back = c->inflight;
            c->inflight -= back;
            c->last_rx = now;
            if (back)
                send_msgs(c, back, udp);
        }
        if (udp)
            for (i = 0; i < conns; i++)
                if (now - cs[i].last_rx > 50000000LL) {
                    lost += cs[i].inflight;
                    cs[i].inflight = 0;
                    cs[i].last_rx = now;
                    send_msgs(&cs[i], depth, udp);
                }
    }
    report(reqs, reqs * size, (double)(now - t0), server_cpu_ns() - cpu0, lost);
    for (i = 0; i < conns; i++)
        close(cs[i].fd);
    close(ep);
    free(rx);
    free(fds);
}

/* ---- bulk: fixed volume, 64 KiB writes, echo read back ------------------------------------ */

static int bulk_fd;

static void *bulk_writer(void *arg)
{
    static char buf[BULK_CHUNK];
    long long left = volume;

    (void)arg;
    memset(buf, 'b', sizeof(buf));
    while (left > 0) {
        ssize_t w = write(bulk_fd, buf, left < BULK_CHUNK ? (size_t)left : BULK_CHUNK);

        if (w <= 0)
            die("bulk write");
        left -= w;
    }
    return NULL;
}

static void run_bulk(void)
{
    static char buf[BULK_CHUNK];
    long long got = 0, t0, t1, cpu0, limit;
    pthread_t w;

    bulk_fd = dial(SOCK_STREAM);
    cpu0 = server_cpu_ns();
    other0 = other_cpu_ns(cpu0);
    t0 = now_ns();
    limit = t0 + (long long)((warm + secs) * 4e9); /* a bound, should the server stall */
    pthread_create(&w, NULL, bulk_writer, NULL);
    while (got < volume) {
        ssize_t r = read(bulk_fd, buf, sizeof(buf));

        if (r <= 0)
            die("bulk read");
        got += r;
        if ((got & ((1 << 24) - 1)) < r && now_ns() > limit) {
            fprintf(stderr, "loadgen: bulk did not finish in time\n");
            exit(1);
        }
    }
    t1 = now_ns();
    pthread_join(w, NULL);
    size = BULK_CHUNK;
    report(got / BULK_CHUNK, got, (double)(t1 - t0), server_cpu_ns() - cpu0, 0);
    close(bulk_fd);
}

/* ---- idle: memory per connection ---------------------------------------------------------- */

static void run_idle(void)
{
    int i, *fds = calloc((size_t)conns, sizeof(int));

    if (!fds)
        die("calloc");
    rss0 = settled_rss(200);
    dial_primed(fds, conns);
    rss1 = settled_rss(300);
    printf("RESULT system=%s case=%s conns=%d rss0_kb=%lld rss1_kb=%lld bytes_per_conn=%.0f\n",
           system_, case_, conns, rss0 / 1024, rss1 / 1024, (double)(rss1 - rss0) / conns);
    fflush(stdout);
    for (i = 0; i < conns; i++)
        close(fds[i]);
    free(fds);
}

int main(int argc, char **argv)
{
    int i;

    for (i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];

        if (!strcmp(k, "--port"))
            port = atoi(v);
        else if (!strcmp(k, "--mode"))
            mode = v;
        else if (!strcmp(k, "--conns"))
            conns = atoi(v);
        else if (!strcmp(k, "--depth"))
            depth = atoi(v);
        else if (!strcmp(k, "--size"))
            size = atoi(v);
        else if (!strcmp(k, "--secs"))
            secs = atof(v);
        else if (!strcmp(k, "--warm"))
            warm = atof(v);
        else if (!strcmp(k, "--volume"))
            volume = atoll(v);
        else if (!strcmp(k, "--pid"))
            pids = v;
        else if (!strcmp(k, "--system"))
            system_ = v;
        else if (!strcmp(k, "--case"))
            case_ = v;
        else if (!strcmp(k, "--rss"))
            want_rss = atoi(v);
        else
            break;
    }
    if (i < argc || port <= 0 || conns < 1 || conns > MAX_CONNS || depth < 1 || secs <= 0 ||
        secs > 30 || warm < 0 || warm > 10) {
        fprintf(stderr,
                "usage: %s --port P --mode echo|bulk|udp|idle [--conns N<=%d] [--depth D] "
                "[--size S] [--secs T<=30] [--warm W] [--volume BYTES] [--pid PID,...] "
                "[--system LABEL] [--case NAME] [--rss 1]\n",
                argv[0], MAX_CONNS);
        return 2;
    }
    raise_nofile(conns);
    if (!case_)
        case_ = mode;
    if (!strcmp(mode, "echo"))
        run_echo(0);
    else if (!strcmp(mode, "udp"))
        run_echo(1);
    else if (!strcmp(mode, "bulk"))
        run_bulk();
    else if (!strcmp(mode, "idle"))
        run_idle();
    else
        return 2;
    return 0;
}
