/*
 * transmit_blocking_mode.c - a TransmitFile on a socket in blocking mode leaves that mode
 * to the program (api.md 4.28 [Lib]). Linux's sendfile has no per-call non-blocking flag,
 * so the library lends the descriptor O_NONBLOCK for each sendfile call; meanwhile:
 *  - the program's own ioctlsocket(FIONBIO) is not undone by the library's restore;
 *  - another thread's blocking send still takes every byte, and its blocking recv still
 *    waits for data (neither fails with WSAETIMEDOUT nor returns short).
 * A TransmitFile thread sends a file over and over (its OVERLAPPED at offset 0) while the
 * main thread makes the other calls.
 * Also: sendfile raises SIGPIPE (no per-call MSG_NOSIGNAL); none is left to the program.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "unit.h"

#include <mswsock.h>

#define FILE_SIZE (1u << 20)

static struct {
    SOCKET a, b;
    HANDLE file;
    char path[64];
    HANDLE sender, drainer;
    _Atomic bool stop;
    _Atomic unsigned rounds;
} fx;

/* TransmitFile of the whole file from offset 0 until told to stop. */
static DWORD WINAPI transmit_loop(LPVOID arg)
{
    WSAOVERLAPPED ov;
    DWORD n, flags;

    (void)arg;
    harness_ov_init(&ov, TRUE);
    while (!fx.stop) {
        ov.Offset = ov.OffsetHigh = 0;
        if (!TransmitFile(fx.a, fx.file, 0, 0, &ov, NULL, 0))
            CHECK_ERR(ERROR_IO_PENDING);
        CHECK(WSAGetOverlappedResult(fx.a, &ov, &n, TRUE, &flags));
        CHECK_EQ(n, FILE_SIZE);
        fx.rounds++;
    }
    WSACloseEvent(ov.hEvent);
    return 0;
}

static void start(void)
{
    static char block[65536];
    FILE *w;

    harness_startup();
    snprintf(fx.path, sizeof(fx.path), "transmit_blocking_%d.tmp", (int)getpid());
    CHECK((w = fopen(fx.path, "wb")) != NULL);
    memset(block, 'f', sizeof(block));
    for (unsigned i = 0; i < FILE_SIZE; i += sizeof(block))
        CHECK_EQ(fwrite(block, 1, sizeof(block), w), sizeof(block));
    CHECK_EQ(fclose(w), 0);
    fx.file = CreateFileA(fx.path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(fx.file != INVALID_HANDLE_VALUE);
    harness_tcp_pair(&fx.a, &fx.b);
    fx.stop = false;
    fx.rounds = 0;
    CHECK((fx.drainer = CreateThread(NULL, 0, unit_drain, (LPVOID)(uintptr_t)fx.b, 0, NULL)));
    CHECK((fx.sender = CreateThread(NULL, 0, transmit_loop, NULL, 0, NULL)));
}

static void stop(void)
{
    fx.stop = true;
    CHECK_EQ(WaitForSingleObject(fx.sender, 30000), WAIT_OBJECT_0);
    CHECK_EQ(shutdown(fx.a, SD_SEND), 0);
    CHECK_EQ(WaitForSingleObject(fx.drainer, 30000), WAIT_OBJECT_0);
    CloseHandle(fx.sender);
    CloseHandle(fx.drainer);
    closesocket(fx.a);
    closesocket(fx.b);
    CHECK(CloseHandle(fx.file));
    CHECK_EQ(remove(fx.path), 0);
}

/* Waits until the TransmitFile thread has made two more calls. */
static void two_more_rounds(void)
{
    unsigned r = fx.rounds;

    while (fx.rounds < r + 2)
        Sleep(0);
}

/* FIONBIO 1 made while a sendfile has the descriptor non-blocking stays made. */
TEST(fionbio_during_transmit_holds)
{
    u_long on = 1, off = 0;
    int lost = 0;

    start();
    for (int i = 0; i < 300; i++) {
        CHECK_EQ(ioctlsocket(fx.a, FIONBIO, &off), 0);
        for (volatile int spin = 0; spin < (i % 16) * 1000; spin++)
            ;
        CHECK_EQ(ioctlsocket(fx.a, FIONBIO, &on), 0);
        two_more_rounds();
        if (!(fcntl((int)fx.a, F_GETFL) & O_NONBLOCK))
            lost++;
    }
    CHECK_EQ(ioctlsocket(fx.a, FIONBIO, &off), 0);
    stop();
    CHECK_EQ(lost, 0);
}

/* Blocking sends of another thread take all their bytes, every time. */
TEST(blocking_send_during_transmit)
{
    static char buf[65536];
    int failed = 0, shorts = 0;

    start();
    for (int i = 0; i < 3000; i++) {
        int n = send(fx.a, buf, (int)sizeof(buf), 0);

        if (n == SOCKET_ERROR)
            failed++;
        else if (n != (int)sizeof(buf))
            shorts++;
    }
    stop();
    CHECK_EQ(failed, 0);
    CHECK_EQ(shorts, 0);
}

static _Atomic unsigned got;

/* Starts the fixture, and fn on a thread of its own as the peer's sender. */
static HANDLE peer_start(LPTHREAD_START_ROUTINE fn)
{
    HANDLE t;

    start();
    got = 0;
    CHECK((t = CreateThread(NULL, 0, fn, NULL, 0, NULL)));
    return t;
}

/* Stops the peer's sender t, then the fixture. */
static void peer_stop(HANDLE t)
{
    fx.stop = true;
    CHECK_EQ(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CloseHandle(t);
    stop();
}

/* Sends one byte from the peer each time the main thread has taken the one before. */
static DWORD WINAPI ping_loop(LPVOID arg)
{
    (void)arg;
    for (unsigned i = 0; i < 2000; i++) {
        while (got < i && !fx.stop)
            Sleep(0);
        for (volatile int spin = 0; spin < (int)(i % 8) * 500; spin++)
            ;
        CHECK_EQ(send(fx.b, "p", 1, 0), 1);
    }
    return 0;
}

/* Blocking receives of another thread wait for the data, every time. */
TEST(blocking_recv_during_transmit)
{
    HANDLE pinger;
    char c;
    int failed = 0;

    pinger = peer_start(ping_loop);
    while (got < 2000) {
        if (recv(fx.a, &c, 1, 0) == 1)
            got++;
        else if (++failed > 100)
            break;
    }
    peer_stop(pinger);
    CHECK_EQ(failed, 0);
}

/* Windows raises no SIGPIPE: a TransmitFile whose sendfile meets a broken pipe leaves none
 * pending, also in a thread that blocks SIGPIPE itself (it would come at the program's next
 * sigwait or unblock). */
TEST(no_sigpipe_left_pending)
{
    static char block[4096];
    sigset_t pipe_set, pending;
    char path[64];
    HANDLE f;
    SOCKET a, b;
    FILE *w;

    harness_startup();
    snprintf(path, sizeof(path), "transmit_sigpipe_%d.tmp", (int)getpid());
    CHECK((w = fopen(path, "wb")) != NULL);
    CHECK_EQ(fwrite(block, 1, sizeof(block), w), sizeof(block));
    CHECK_EQ(fclose(w), 0);
    f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(f != INVALID_HANDLE_VALUE);
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    CHECK_EQ(pthread_sigmask(SIG_BLOCK, &pipe_set, NULL), 0);
    harness_tcp_pair(&a, &b);
    /* After our own shutdown, sendfile meets EPIPE (WSAESHUTDOWN). */
    CHECK_EQ(shutdown(a, SD_SEND), 0);
    for (int i = 0; i < 3; i++) {
        CHECK(!TransmitFile(a, f, 0, 0, NULL, NULL, 0));
        CHECK_ERR(WSAESHUTDOWN);
    }
    CHECK_EQ(sigpending(&pending), 0);
    CHECK(!sigismember(&pending, SIGPIPE));
    /* The program's own pending SIGPIPE stays. */
    CHECK_EQ(pthread_kill(pthread_self(), SIGPIPE), 0);
    CHECK(!TransmitFile(a, f, 0, 0, NULL, NULL, 0));
    CHECK_EQ(sigpending(&pending), 0);
    CHECK(sigismember(&pending, SIGPIPE));
    CHECK_EQ(sigtimedwait(&pipe_set, NULL, &(struct timespec){0, 0}), SIGPIPE);
    CHECK_EQ(pthread_sigmask(SIG_UNBLOCK, &pipe_set, NULL), 0);
    closesocket(a);
    closesocket(b);
    CHECK(CloseHandle(f));
    CHECK_EQ(remove(path), 0);
}

/* Sends 4 KiB from the peer in 256-byte pieces, each time the main thread has taken the
 * 4 KiB before. */
static DWORD WINAPI pieces_loop(LPVOID arg)
{
    static char piece[256];

    (void)arg;
    for (unsigned i = 0; i < 1000; i++) {
        while (got < i && !fx.stop)
            Sleep(0);
        for (int k = 0; k < 16; k++) {
            CHECK_EQ(send(fx.b, piece, (int)sizeof(piece), 0), (int)sizeof(piece));
            for (volatile int spin = 0; spin < ((int)i + k) % 4 * 300; spin++)
                ;
        }
    }
    return 0;
}

/* A blocking MSG_WAITALL receive of another thread returns all its bytes, every time. */
TEST(blocking_waitall_during_transmit)
{
    static char buf[4096];
    HANDLE sender;
    int shorts = 0;

    sender = peer_start(pieces_loop);
    while (got < 1000) {
        int n = recv(fx.a, buf, (int)sizeof(buf), MSG_WAITALL);

        if (n == (int)sizeof(buf))
            got++;
        else if (n <= 0) {
            fprintf(stderr, "recv: %d, error %d\n", n, WSAGetLastError());
            break;
        } else if (++shorts > 100)
            break;
    }
    peer_stop(sender);
    CHECK_EQ(shorts, 0);
    CHECK_EQ(got, 1000);
}
