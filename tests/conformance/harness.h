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

/*
 * Compares with C's ==, prints both sides in decimal and hex when they differ. Each side is
 * evaluated exactly once (CHECK_EQ(WSARecv(...), 0) must not call WSARecv again to print).
 */
#define CHECK_EQ(actual, expected)                                                                 \
    do {                                                                                           \
        __typeof__(actual) harness_a_ = (actual);                                                  \
        __typeof__(expected) harness_e_ = (expected);                                              \
        int harness_eq_;                                                                           \
        /* the copies lose the "constant" exemption of -Wsign-compare; == is unchanged */          \
        _Pragma("GCC diagnostic push");                                                            \
        _Pragma("GCC diagnostic ignored \"-Wsign-compare\"");                                      \
        harness_eq_ = harness_a_ == harness_e_;                                                    \
        _Pragma("GCC diagnostic pop");                                                             \
        if (!harness_eq_)                                                                          \
            harness_fail(__FILE__, __LINE__,                                                       \
                         "%s == %s: got %lld (0x%llx), expected %lld (0x%llx)", #actual,           \
                         #expected, (long long)harness_a_, (unsigned long long)harness_a_,         \
                         (long long)harness_e_, (unsigned long long)harness_e_);                   \
    } while (0)

#define CHECK_NE(actual, unexpected)                                                               \
    do {                                                                                           \
        __typeof__(actual) harness_a_ = (actual);                                                  \
        int harness_eq_;                                                                           \
        _Pragma("GCC diagnostic push");                                                            \
        _Pragma("GCC diagnostic ignored \"-Wsign-compare\"");                                      \
        harness_eq_ = harness_a_ == (unexpected);                                                  \
        _Pragma("GCC diagnostic pop");                                                             \
        if (harness_eq_)                                                                           \
            harness_fail(__FILE__, __LINE__, "%s != %s: both are %lld (0x%llx)", #actual,          \
                         #unexpected, (long long)harness_a_, (unsigned long long)harness_a_);      \
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

/* A Microsoft extension function as programs get it: WSAIoctl(SIO_GET_EXTENSION_FUNCTION_
 * POINTER) with *id on a TCP socket, written to *fn (a function pointer of size bytes). */
void harness_extension(const GUID *id, void *fn, DWORD size);

/* The setup() of a file that tests one extension function: harness_startup(), then the
 * function id names into *fn as harness_extension() gets it. id is passed by value so that
 * a caller can write the WSAID_ initializer as a compound literal: (GUID)WSAID_CONNECTEX. */
void harness_startup_extension(GUID id, void *fn, DWORD size);

/* Connected loopback TCP pair made with socket(); a is the connecting side. */
void harness_tcp_pair(SOCKET *a, SOCKET *b);

/* A TCP socket (socket()) listening on 127.0.0.1:ephemeral with a backlog of 5; *addr, when
 * not NULL, gets its address. A case that needs a full accept queue makes its own. */
void harness_listener(SOCKET *l, struct sockaddr_in *addr);

/* A blocking TCP socket (socket()) connected to addr (queued on the listener there). */
SOCKET harness_connect_to(const struct sockaddr_in *addr);

/* Makes a (a fresh TCP socket, e.g. after a reuse disconnect) the accept socket of an
 * AcceptEx (from WSAIoctl) on a new listener, connects a client and checks that the same
 * SOCKET value a is now that connection (data sent by the client arrives on a). */
void harness_accept_into(SOCKET a);

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

/* Pointer values no program can own: one in the first page, one in the kernel's half of
 * the address space. Windows fails a call given one with WSAEFAULT (its system calls probe
 * user pointers) instead of crashing. */
#define HARNESS_BAD_PTRS 2
extern void *const harness_bad_ptr[HARNESS_BAD_PTRS];

/* Wine 8 has no probe of user pointers: it crashes (an unhandled page fault) or hangs on
 * most of them, so such a case can neither pass nor be expected to fail there. Skips the
 * case under Wine, saying why (listed in wine-deviations.txt); natively it runs. */
#define HARNESS_WINE_CRASHES(what)                                                                 \
    do {                                                                                           \
        if (harness_on_wine())                                                                     \
            SKIP("Wine deviation: %s crashes Wine 8 (no probe of user pointers)", what);           \
    } while (0)

/* The call just made failed at its argument checks with WSAEFAULT and no side effect
 * (api.md 0.6): ov->Internal still `internal`, ov's event not signalled. */
void harness_check_efault_untouched(const WSAOVERLAPPED *ov, ULONG_PTR internal);

/* ---- Overlapped-I/O helpers (sections B-J, T) ------------------------------------------ */

/*
 * NTSTATUS values kept in OVERLAPPED.Internal (constants.md 9). mingw-w64's <windows.h>
 * leaves most of them to <ntstatus.h>; wsaio's headers define them all.
 */
#ifndef STATUS_SUCCESS
#define STATUS_SUCCESS 0x00000000
#endif
#ifndef STATUS_PENDING
#define STATUS_PENDING 0x00000103
#endif
#ifndef STATUS_BUFFER_OVERFLOW
#define STATUS_BUFFER_OVERFLOW 0x80000005
#endif
#ifndef STATUS_CANCELLED
#define STATUS_CANCELLED 0xC0000120
#endif
#ifndef STATUS_CONNECTION_RESET
#define STATUS_CONNECTION_RESET 0xC000020D
#endif
#ifndef STATUS_CONNECTION_ABORTED
#define STATUS_CONNECTION_ABORTED 0xC0000241
#endif

/* The low 32 bits of OVERLAPPED.Internal: the status, whatever the sign of NTSTATUS. Read
 * atomically, as HasOverlappedIoCompleted reads it: a pending operation may complete on
 * another thread meanwhile (a plain read is a data race to ThreadSanitizer). */
#define HARNESS_STATUS(ov)       ((DWORD)__atomic_load_n(&(ov)->Internal, __ATOMIC_ACQUIRE))
#define CHECK_STATUS(ov, status) CHECK_EQ(HARNESS_STATUS(ov), (DWORD)(status))

/* Loopback IPv4 address with the given port (host order); 0 = any port. */
struct sockaddr_in harness_loopback4(unsigned short port);

/* UDP socket made with socket(); bound to 127.0.0.1:ephemeral when bound is TRUE. */
SOCKET harness_udp_socket(BOOL bound);

/* TCP socket made with socket(), neither bound nor connected. */
SOCKET harness_tcp_socket(void);

/* Connects `client` (any TCP socket, e.g. from WSASocket) to a fresh loopback listener and
 * returns the accepted server side. */
SOCKET harness_tcp_connect(SOCKET client);

/* TRUE when ev becomes signalled within ms (a non-alertable wait). */
BOOL harness_signalled(WSAEVENT ev, DWORD ms);

/* Blocking send of all len bytes (loops over short sends); fails the case on error. */
void harness_send_all(SOCKET s, const char *buf, int len);

/* Blocking receive of exactly len bytes; fails the case on error or early end. */
void harness_recv_all(SOCKET s, char *buf, int len);

/* A thread that sleeps delay_ms and then sends a copy of data[0..len) on s (len <= 256);
 * returns its handle: harness_join() it before the case ends. */
HANDLE harness_delayed_send(SOCKET s, const char *data, int len, DWORD delay_ms);

/* ---- Waiting for a condition instead of a fixed Sleep() -------------------------------- */

/* Waits up to timeout_ms for cond(arg) to return TRUE, asking every millisecond; returns
 * TRUE as soon as it does, FALSE on time-out (the caller CHECKs it). */
BOOL harness_wait_until(BOOL (*cond)(void *arg), void *arg, DWORD timeout_ms);

/* A condition for harness_wait_until: the WSAOVERLAPPED at ov has completed. */
BOOL harness_ov_completed(void *ov);

/* Waits (up to 5 s, else fails the case) until at least n bytes are queued on the stream
 * socket s (FIONREAD): data sent by the peer has arrived. */
void harness_wait_queued(SOCKET s, u_long n);

/* Waits (up to 5 s, else fails the case) until select() calls s readable: data, a datagram,
 * a connection, the end of the stream or a reset has arrived. */
void harness_wait_readable(SOCKET s);

/* Waits up to 5 s for a thread and closes its handle; fails the case on time-out. */
void harness_join(HANDLE thread);

/* Zeroes *ov and gives it a new event (with_event) or none (hEvent NULL). */
void harness_ov_init(WSAOVERLAPPED *ov, BOOL with_event);

/* Posts an overlapped one-buffer WSARecv (flags 0) that must return WSA_IO_PENDING. */
void harness_recv_pending(SOCKET s, WSAOVERLAPPED *ov, char *buf, ULONG len,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE fn);

/* FIONBIO through ioctlsocket. */
void harness_set_nonblocking(SOCKET s, BOOL on);

/* Abortive close (SO_LINGER {1, 0}): the peer sees a reset. */
void harness_reset_close(SOCKET s);

/* One end of a TCP pair whose other end was closed abortively, after its first receive has
 * reported the reset (WSAECONNRESET): Linux no longer holds the error then. */
SOCKET harness_reset_reported(void);

/* Fills s's send path (s non-blocking afterwards, the peer never reads): sends until
 * WSAEWOULDBLOCK. Returns the number of bytes accepted. */
long harness_fill_send_buffer(SOCKET s);

/* Nothing arrives on s: after 50 ms a non-blocking recv still fails with WSAEWOULDBLOCK
 * (s is non-blocking afterwards). For "the peer receives nothing" checks. */
void harness_expect_no_data(SOCKET s);

/* The overlapped call ov on s completed with success and n bytes (within 5 s). */
void harness_check_done(SOCKET s, WSAOVERLAPPED *ov, DWORD n);

/* The peer reads the end of the stream (within 2 s). */
void harness_check_peer_eof(SOCKET peer);

/* ---- Files to send (TransmitFile, TransmitPackets: sections X, AA) ---------------------- */

/* The byte at offset i of every test file: no period that a misplaced block would hide. */
char harness_file_byte(DWORD i);

/* A file of size bytes of harness_file_byte() in the current directory, its name (made of
 * prefix, the process and a serial) in path, opened with CreateFileA for reading; the case
 * removes it with harness_remove_file(). */
HANDLE harness_make_file(const char *prefix, char *path, size_t room, DWORD size);

/* Closes h and removes the file at path. */
void harness_remove_file(HANDLE h, const char *path);

/* Receives n bytes on s and checks they are the test file's bytes from offset `from`. */
void harness_recv_file_part(SOCKET s, DWORD from, DWORD n);

/* A connected TCP pair a-b (harness_tcp_pair) and a test file f of size bytes
 * (harness_make_file with prefix, named in path). */
struct harness_file_fixture {
    SOCKET a, b;
    HANDLE f;
    char path[64];
};
void harness_file_fixture_open(struct harness_file_fixture *x, const char *prefix, DWORD size);
void harness_file_fixture_close(struct harness_file_fixture *x);

/* A packet for ov with key and n bytes is dequeued from port within 5 s. */
void harness_check_port_packet(HANDLE port, WSAOVERLAPPED *ov, ULONG_PTR key, DWORD n);

/* CancelIoEx(s, ov) ends the pending operation ov: its event (ov has one) is signalled
 * within 2 s and it failed with WSA_OPERATION_ABORTED. */
void harness_check_cancel_aborts(SOCKET s, WSAOVERLAPPED *ov);

/* closesocket(s) ends the pending operation ov: its event is signalled within 2 s and its
 * status is a failure. */
void harness_check_close_aborts(SOCKET s, WSAOVERLAPPED *ov);

/* The end of a send with TF_/TP_REUSE_SOCKET pending on a (ov, with an event) whose data
 * is the n bytes data: the peer b receives them and the end of the stream and closes; then
 * ov completes with n bytes and a serves an AcceptEx (harness_accept_into). Closes both. */
void harness_check_reused(SOCKET a, SOCKET b, WSAOVERLAPPED *ov, const char *data, int n);

#endif /* WSAIO_TEST_HARNESS_H */
