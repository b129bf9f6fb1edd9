/*
 * error.h - the last-error slot and the translation of Linux errors and NTSTATUS values
 * into Winsock and Win32 codes.
 *
 * Internal functions return -errno (as liburing and libuv do); only public entry points
 * turn that into a Winsock error, through wsaio_errno_to_wsa(), and store it in the
 * per-thread slot that WSAGetLastError and GetLastError both read.
 */
#ifndef WSAIO_BASE_ERROR_H
#define WSAIO_BASE_ERROR_H

#include <winsock2.h>

/* One slot per thread; initial-exec TLS keeps the access a single instruction. */
extern __thread DWORD wsaio_last_error __attribute__((tls_model("initial-exec")));

static inline void wsaio_set_error(DWORD code)
{
    wsaio_last_error = code;
}

/* Stores code and returns SOCKET_ERROR, for the common `return wsaio_fail(WSAEFAULT);`. */
static inline int wsaio_fail(DWORD code)
{
    wsaio_last_error = code;
    return SOCKET_ERROR;
}

/* Maps a positive errno value to a Winsock error (spec/constants.md 12). */
int wsaio_errno_to_wsa(int err);

/* Maps a positive errno value of a finished operation to the NTSTATUS kept in
 * OVERLAPPED.Internal (constants.md 9; Wine's sock_errno_to_status is the precedent). */
NTSTATUS wsaio_errno_to_status(int err);

/* Maps an NTSTATUS kept in OVERLAPPED.Internal to the WSA code (WSAGetOverlappedResult). */
DWORD wsaio_status_to_wsa(NTSTATUS status);

/* Maps an NTSTATUS to the Win32 code (GetQueuedCompletionStatus, GetOverlappedResult). */
DWORD wsaio_status_to_win32(NTSTATUS status);

#endif /* WSAIO_BASE_ERROR_H */
