/*
 * transmit_file_edges.c - TransmitFile's file part at its edges (api.md 4.28): a file
 * handle closed while the operation is pending (the operation holds its own descriptor),
 * and a sparse file past 4 GiB read from an OVERLAPPED offset with OffsetHigh.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>

#include "unit.h"

#include <mswsock.h>

/* A file of size bytes whose byte at i is (char)(i % 251), written at offset off only
 * (the rest a hole). */
static HANDLE make_file(char *path, size_t len, const char *name, long long size, long long off,
                        unsigned n)
{
    char buf[4096];
    int fd;

    snprintf(path, len, "%s_%d.tmp", name, (int)getpid());
    CHECK((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
    CHECK_EQ(ftruncate(fd, (off_t)size), 0);
    for (unsigned done = 0; done < n;) {
        unsigned k = n - done < sizeof(buf) ? n - done : (unsigned)sizeof(buf);

        for (unsigned i = 0; i < k; i++)
            buf[i] = (char)((unsigned long long)(off + done + i) % 251);
        CHECK_EQ(pwrite(fd, buf, k, (off_t)(off + done)), (ssize_t)k);
        done += k;
    }
    CHECK_EQ(close(fd), 0);
    return CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
}

/* Receives n bytes on s and checks them against the pattern from offset off. */
static void expect_pattern(SOCKET s, long long off, unsigned n)
{
    static char buf[65536];
    unsigned got = 0;

    while (got < n) {
        int k = recv(s, buf, (int)(n - got < sizeof(buf) ? n - got : sizeof(buf)), 0);

        CHECK(k > 0);
        for (int i = 0; i < k; i++)
            CHECK_EQ((unsigned char)buf[i],
                     (unsigned char)((unsigned long long)(off + got + (unsigned)i) % 251));
        got += (unsigned)k;
    }
}

/* The pending TransmitFile of ov on a completes with n bytes; the event is closed. */
static void check_done(SOCKET a, WSAOVERLAPPED *ov, DWORD n)
{
    DWORD got = 0, flags = 0;

    CHECK(harness_signalled(ov->hEvent, 30000));
    CHECK(WSAGetOverlappedResult(a, ov, &got, FALSE, &flags));
    CHECK_EQ(got, n);
    WSACloseEvent(ov->hEvent);
}

/* CloseHandle of the file while the TransmitFile is pending (the peer not reading yet):
 * every byte still arrives. */
TEST(file_closed_while_pending)
{
    const unsigned size = 8u << 20;
    char path[64];
    WSAOVERLAPPED ov;
    SOCKET a, b;
    HANDLE f;

    harness_startup();
    f = make_file(path, sizeof(path), "transmit_edges_close", size, 0, size);
    CHECK(f != INVALID_HANDLE_VALUE);
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    CHECK(!TransmitFile(a, f, 0, 0, &ov, NULL, 0));
    CHECK_ERR(ERROR_IO_PENDING);
    CHECK(CloseHandle(f));
    CHECK_EQ(remove(path), 0);
    expect_pattern(b, 0, size);
    check_done(a, &ov, size);
    closesocket(a);
    closesocket(b);
}

/* A sparse 5 GiB file: 1000 bytes from 4 GiB + 100, by Offset 100 and OffsetHigh 1. */
TEST(offset_past_4_gib)
{
    const long long base = (1ll << 32) + 100;
    char path[64];
    WSAOVERLAPPED ov;
    SOCKET a, b;
    HANDLE f;
    DWORD high = 0;

    harness_startup();
    f = make_file(path, sizeof(path), "transmit_edges_sparse", 5ll << 30, base, 1000);
    if (f == INVALID_HANDLE_VALUE)
        SKIP("no sparse 5 GiB file here");
    CHECK_EQ(GetFileSize(f, &high), 1u << 30);
    CHECK_EQ(high, 1);
    harness_tcp_pair(&a, &b);
    harness_ov_init(&ov, TRUE);
    ov.Offset = 100;
    ov.OffsetHigh = 1;
    if (!TransmitFile(a, f, 1000, 0, &ov, NULL, 0))
        CHECK_ERR(ERROR_IO_PENDING);
    expect_pattern(b, base, 1000);
    check_done(a, &ov, 1000);
    closesocket(a);
    closesocket(b);
    CHECK(CloseHandle(f));
    CHECK_EQ(remove(path), 0);
}
