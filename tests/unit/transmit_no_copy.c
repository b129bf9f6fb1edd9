/*
 * transmit_no_copy.c - TransmitFile sends the file through the kernel (api.md 4.28 [Lib]):
 * its bytes go by sendfile(2), page cache to socket, and no read of the file brings them
 * into user space.
 *
 * The test program defines sendfile, read and pread64 itself, ahead of the C library's,
 * so the library's calls come here: they count and pass on (dlsym RTLD_NEXT).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

#include "unit.h"

#include <mswsock.h>

static _Atomic unsigned long long sendfile_bytes, file_read_bytes;

static bool is_file(int fd)
{
    struct stat st;

    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
    static ssize_t (*real)(int, int, off_t *, size_t);
    ssize_t n;

    if (!real)
        real = (ssize_t(*)(int, int, off_t *, size_t))dlsym(RTLD_NEXT, "sendfile");
    n = real(out_fd, in_fd, offset, count);
    if (n > 0)
        sendfile_bytes += (unsigned long long)n;
    return n;
}

ssize_t read(int fd, void *buf, size_t count)
{
    static ssize_t (*real)(int, void *, size_t);
    ssize_t n;

    if (!real)
        real = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
    n = real(fd, buf, count);
    if (n > 0 && is_file(fd))
        file_read_bytes += (unsigned long long)n;
    return n;
}

ssize_t pread64(int fd, void *buf, size_t count, off_t offset)
{
    static ssize_t (*real)(int, void *, size_t, off_t);
    ssize_t n;

    if (!real)
        real = (ssize_t(*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread64");
    n = real(fd, buf, count, offset);
    if (n > 0 && is_file(fd))
        file_read_bytes += (unsigned long long)n;
    return n;
}

/* 8 MiB from the file through an overlapped TransmitFile, drained by a thread: every
 * file byte went by sendfile, none was read. */
TEST(file_bytes_go_by_sendfile)
{
    const DWORD size = 8u << 20;
    char path[64], block[65536];
    WSAOVERLAPPED ov;
    DWORD n = 0, drained = 0, flags = 0;
    HANDLE f, t;
    SOCKET a, b;
    FILE *w;

    harness_startup();
    snprintf(path, sizeof(path), "transmit_no_copy_%d.tmp", (int)getpid());
    CHECK((w = fopen(path, "wb")) != NULL);
    memset(block, 'f', sizeof(block));
    for (DWORD i = 0; i < size; i += sizeof(block))
        CHECK_EQ(fwrite(block, 1, sizeof(block), w), sizeof(block));
    CHECK_EQ(fclose(w), 0);
    f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(f != INVALID_HANDLE_VALUE);
    harness_tcp_pair(&a, &b);
    t = CreateThread(NULL, 0, unit_drain, (LPVOID)(uintptr_t)b, 0, NULL);
    CHECK(t != NULL);
    sendfile_bytes = file_read_bytes = 0;
    harness_ov_init(&ov, TRUE);
    if (!TransmitFile(a, f, 0, 0, &ov, NULL, TF_DISCONNECT))
        CHECK_ERR(ERROR_IO_PENDING);
    CHECK(harness_signalled(ov.hEvent, 30000));
    CHECK(WSAGetOverlappedResult(a, &ov, &n, FALSE, &flags));
    CHECK_EQ(n, size);
    CHECK_EQ(WaitForSingleObject(t, 30000), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(t, &drained));
    CHECK_EQ(drained, size);
    CHECK_EQ(sendfile_bytes, size);
    CHECK_EQ(file_read_bytes, 0);
    CloseHandle(t);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(b);
    CHECK(CloseHandle(f));
    CHECK_EQ(remove(path), 0);
}
