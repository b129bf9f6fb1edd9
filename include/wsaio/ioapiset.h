/*
 * ioapiset.h - I/O completion ports, cancellation and overlapped results (desktop Winsock
 * extension, api.md 4.17 to 4.22 and 4.27).
 *
 * Declared now so that programs and tests can be written against the whole surface; the
 * functions are provided by the completion-port work. Until then a program that calls one
 * fails to link (it never links silently to something wrong).
 */
#ifndef WSAIO_IOAPISET_H
#define WSAIO_IOAPISET_H

#include "windef.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 0x1
#define FILE_SKIP_SET_EVENT_ON_HANDLE        0x2

/** CreateIoCompletionPort - creates a port and/or associates a socket with one. */
WSAIO_EXPORT HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                  ULONG_PTR CompletionKey,
                                                  DWORD NumberOfConcurrentThreads);
/** GetQueuedCompletionStatus - dequeues one completion packet (FIFO). */
WSAIO_EXPORT BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort,
                                                   LPDWORD lpNumberOfBytesTransferred,
                                                   PULONG_PTR lpCompletionKey,
                                                   LPOVERLAPPED *lpOverlapped,
                                                   DWORD dwMilliseconds);
/** GetQueuedCompletionStatusEx - dequeues up to ulCount packets, optionally alertable. */
WSAIO_EXPORT BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                                     LPOVERLAPPED_ENTRY lpCompletionPortEntries,
                                                     ULONG ulCount, PULONG ulNumEntriesRemoved,
                                                     DWORD dwMilliseconds, BOOL fAlertable);
/** PostQueuedCompletionStatus - posts a packet of the caller's own making. */
WSAIO_EXPORT BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort,
                                                    DWORD dwNumberOfBytesTransferred,
                                                    ULONG_PTR dwCompletionKey,
                                                    LPOVERLAPPED lpOverlapped);
/** CancelIoEx - cancels one (lpOverlapped) or all pending operations of a socket. */
WSAIO_EXPORT BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped);
/** CancelIo - cancels the calling thread's pending operations of a socket. */
WSAIO_EXPORT BOOL WINAPI CancelIo(HANDLE hFile);
/** GetOverlappedResult - result of an overlapped operation, Win32 error codes. */
WSAIO_EXPORT BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                             LPDWORD lpNumberOfBytesTransferred, BOOL bWait);
/** SetFileCompletionNotificationModes - FILE_SKIP_* modes of a socket. */
WSAIO_EXPORT BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags);

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_IOAPISET_H */
