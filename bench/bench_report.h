/*
 * bench_report.h - the result line every wake-up benchmark prints, shared by the Winsock
 * source (event_wake.c, which also builds with mingw-w64) and the Linux peers
 * (peer_wake.c). Plain C and the C library only, so that both can include it.
 *
 * One line per measured case, key=value, parsed by run_events.sh:
 *
 *   RESULT system=wsaio case=pingpong-wsaevent n=20000 warm=2000 median_ns=... p99_ns=...
 *          ops_s=... cpu_ns_op=... cpu_pct=...
 *
 * Samples are nanoseconds per operation: one sample per round trip in the ping-pong cases,
 * one sample per batch (batch time / batch size) in the single-thread cases, where a clock
 * read per call would cost more than the call. ops_s is operations over the wall time of
 * the whole timed loop; cpu_ns_op is the process CPU time of that loop (all threads) per
 * operation and cpu_pct the same as a share of one core.
 */
#ifndef WSAIO_BENCH_REPORT_H
#define WSAIO_BENCH_REPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Sorts samples in place and prints the RESULT line. */
static void bench_report(const char *system, const char *name, long n, long warm, double *samples,
                         long nsamples, double wall_ns, double cpu_ns)
{
    double median, p99;
    long i99;

    qsort(samples, (size_t)nsamples, sizeof(*samples), bench_cmp_double);
    median = nsamples % 2 ? samples[nsamples / 2]
                          : (samples[nsamples / 2 - 1] + samples[nsamples / 2]) / 2;
    i99 = (long)((double)nsamples * 0.99);
    if (i99 >= nsamples)
        i99 = nsamples - 1;
    p99 = samples[i99];
    printf("RESULT system=%s case=%s n=%ld warm=%ld median_ns=%.1f p99_ns=%.1f ops_s=%.0f "
           "cpu_ns_op=%.1f cpu_pct=%.1f\n",
           system, name, n, warm, median, p99, (double)n * 1e9 / wall_ns, cpu_ns / (double)n,
           100.0 * cpu_ns / wall_ns);
    fflush(stdout);
}

/* Reports a ping-pong from n + 1 timestamps taken at the same point of each round trip:
 * sample i is the cycle from ts[i] to ts[i + 1], so the samples add up to the wall time. */
static void bench_report_ts(const char *system, const char *name, long n, long warm,
                            const long long *ts, double ns_per_tick, double cpu_ns)
{
    double *samples = malloc((size_t)n * sizeof(*samples));
    long i;

    if (!samples) {
        fprintf(stderr, "%s: out of memory\n", name);
        exit(1);
    }
    for (i = 0; i < n; i++)
        samples[i] = (double)(ts[i + 1] - ts[i]) * ns_per_tick;
    bench_report(system, name, n, warm, samples, n, (double)(ts[n] - ts[0]) * ns_per_tick, cpu_ns);
    free(samples);
}

/* Parses "--name value" pairs common to both programs; returns 0 or -1 on a bad argument. */
static int bench_args(int argc, char **argv, long *iters, long *ops, const char **only,
                      const char **system)
{
    int i;

    for (i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--iters"))
            *iters = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--ops"))
            *ops = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--case"))
            *only = argv[i + 1];
        else if (!strcmp(argv[i], "--system"))
            *system = argv[i + 1];
        else
            break;
    }
    if (i < argc || *iters < 100 || *ops < 1000) {
        fprintf(stderr,
                "usage: %s [--iters ROUND_TRIPS (>=100)] [--ops SINGLE_THREAD_OPS (>=1000)] "
                "[--case NAME_PREFIX] [--system LABEL]\n",
                argv[0]);
        return -1;
    }
    return 0;
}

/* True when case name should run: no --case given, or name starts with it ("pingpong"
 * selects every ping-pong case). */
static int bench_selected(const char *only, const char *name)
{
    return !only || !strncmp(only, name, strlen(only));
}

#endif /* WSAIO_BENCH_REPORT_H */
