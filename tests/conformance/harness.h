/*
 * harness.h - the portable test harness of the conformance suite.
 *
 * Conformance tests are plain Winsock C: they include only Winsock/Win32 headers and the C
 * library, so the same file builds against wsaio on Linux and with mingw-w64 for Windows
 * (and runs under Wine). Each TEST(name) is one behaviour; its name starts with the
 * spec/conformance.md item it covers (k173_..., l184_...). CTest runs every case alone in
 * its own process (`prog NAME`) with a timeout; `prog` alone runs all cases in turn and
 * `prog --list` lists them. The build discovers cases by scanning for lines that start with
 * `TEST(`.
 *
 * Outcomes: a case passes by returning; a failed CHECK prints both sides and exits 1;
 * SKIP(reason) prints the reason and exits 77 (shown as skipped, never as passed);
 * SOFT_CHECK reports a failed SHOULD item (spec "(soft)") as a "SOFT-FAIL" warning line
 * and lets the case continue.
 */
#ifndef WSAIO_TEST_HARNESS_H
#define WSAIO_TEST_HARNESS_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*harness_fn)(void);

void harness_register(const char *name, harness_fn fn);
void harness_fail(const char *file, int line, const char *fmt, ...);
void harness_soft_fail(const char *file, int line, const char *fmt, ...);
void harness_skip(const char *fmt, ...);

/* Declares and registers one test case. */
#define TEST(name)                                                                                 \
    static void name(void);                                                                        \
    static void __attribute__((constructor)) harness_reg_##name(void)                              \
    {                                                                                              \
        harness_register(#name, name);                                                             \
    }                                                                                              \
    static void name(void)

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            harness_fail(__FILE__, __LINE__, "CHECK(%s) failed", #cond);                           \
    } while (0)

/* Compares with C's ==, prints both sides in decimal and hex when they differ. */
#define CHECK_EQ(actual, expected)                                                                 \
    do {                                                                                           \
        if (!((actual) == (expected)))                                                             \
            harness_fail(__FILE__, __LINE__, "%s == %s: got %lld (0x%llx), expected %lld (0x%llx)", \
                         #actual, #expected, (long long)(actual), (unsigned long long)(actual),    \
                         (long long)(expected), (unsigned long long)(expected));                   \
    } while (0)

#define CHECK_NE(actual, unexpected)                                                               \
    do {                                                                                           \
        if ((actual) == (unexpected))                                                              \
            harness_fail(__FILE__, __LINE__, "%s != %s: both are %lld (0x%llx)", #actual,          \
                         #unexpected, (long long)(actual), (unsigned long long)(actual));          \
    } while (0)

/* The calling thread's last error must be `expected`. */
#define CHECK_ERR(expected) CHECK_EQ(WSAGetLastError(), (expected))

/* Elapsed-time checks; times come from the performance counter, in milliseconds. */
#define CHECK_ELAPSED_GE(start_ms, min_ms)                                                         \
    do {                                                                                           \
        double harness_el_ = harness_now_ms() - (start_ms);                                        \
        if (harness_el_ < (double)(min_ms))                                                        \
            harness_fail(__FILE__, __LINE__, "elapsed %.1f ms, expected at least %d ms",           \
                         harness_el_, (int)(min_ms));                                              \
    } while (0)
#define CHECK_ELAPSED_LT(start_ms, max_ms)                                                         \
    do {                                                                                           \
        double harness_el_ = harness_now_ms() - (start_ms);                                        \
        if (harness_el_ >= (double)(max_ms))                                                       \
            harness_fail(__FILE__, __LINE__, "elapsed %.1f ms, expected less than %d ms",          \
                         harness_el_, (int)(max_ms));                                              \
    } while (0)

/* A SHOULD item: failure is a visible warning, the case goes on. */
#define SOFT_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            harness_soft_fail(__FILE__, __LINE__, "SOFT_CHECK(%s) failed", #cond);                 \
    } while (0)

#define SKIP(...) harness_skip(__VA_ARGS__)

/* Milliseconds from the performance counter (monotonic, sub-millisecond). */
double harness_now_ms(void);

/* TRUE when running under Wine (ntdll exports wine_get_version). */
BOOL harness_on_wine(void);

/* WSAStartup(2.2) that must succeed; the harness never calls it implicitly. */
void harness_startup(void);

/* Connected loopback TCP pair made with socket(); a is the connecting side. */
void harness_tcp_pair(SOCKET *a, SOCKET *b);

/* Two UDP sockets on 127.0.0.1, each connected to the other. */
void harness_udp_pair(SOCKET *a, SOCKET *b);

/* Starts fn(arg) on a new thread with CreateThread; the caller closes the handle. */
HANDLE harness_thread(LPTHREAD_START_ROUTINE fn, void *arg);

/*
 * Watchdog for a call that must return: harness_watchdog_start(ms, what) starts a thread that
 * fails the case ("<what> did not return within <ms> ms") unless harness_watchdog_stop() is
 * called first. It creates its handles at start, so a case can close a handle after starting
 * it and be sure no new handle reuses the value. One watchdog at a time.
 */
void harness_watchdog_start(DWORD ms, const char *what);
void harness_watchdog_stop(void);

#endif /* WSAIO_TEST_HARNESS_H */
