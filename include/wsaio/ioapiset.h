/*
 * ioapiset.h - I/O completion ports, cancellation and overlapped results (desktop Winsock
 * extension, api.md 4.17 to 4.22 and 4.27).
 *
 * OVERLAPPED_ENTRY is in windef.h. Port handles are process-local and released by
 * CloseHandle (winbase.h): its waiters then return ERROR_ABANDONED_WAIT_0.
 */
#ifndef WSAIO_IOAPISET_H
#define WSAIO_IOAPISET_H

#include "windef.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 0x1
#define FILE_SKIP_SET_EVENT_ON_HANDLE        0x2

/*
 * CreateIoCompletionPort (api.md 4.17): FileHandle INVALID_HANDLE_VALUE and
 * ExistingCompletionPort NULL create a port; a socket (cast to HANDLE) with NULL creates a
 * port and associates the socket with it, with CompletionKey; a socket with a port
 * associates it with that port and returns the port. NumberOfConcurrentThreads is accepted
 * and advisory. Errors (NULL): ERROR_INVALID_PARAMETER (INVALID_HANDLE_VALUE with a port;
 * a socket already associated), ERROR_INVALID_HANDLE (not a socket, not a port),
 * ERROR_NOT_ENOUGH_MEMORY. Completion ports need no WSAStartup.
 */
WSAIO_EXPORT HANDLE WINAPI CreateIoCompletionPort(HANDLE FileHandle, HANDLE ExistingCompletionPort,
                                                  ULONG_PTR CompletionKey,
                                                  DWORD NumberOfConcurrentThreads);

/*
 * GetQueuedCompletionStatus (api.md 4.18): dequeues the oldest packet, waiting up to
 * dwMilliseconds (INFINITE: no limit), not alertably. TRUE for a posted packet or one of a
 * successful operation; FALSE with *lpOverlapped non-NULL for a failed operation (last
 * error: its Win32 code); FALSE with *lpOverlapped NULL and the other outputs untouched
 * for WAIT_TIMEOUT, ERROR_ABANDONED_WAIT_0 (the port was closed) and ERROR_INVALID_HANDLE.
 * A NULL output pointer: FALSE, ERROR_INVALID_PARAMETER.
 */
WSAIO_EXPORT BOOL WINAPI GetQueuedCompletionStatus(HANDLE CompletionPort,
                                                   LPDWORD lpNumberOfBytesTransferred,
                                                   PULONG_PTR lpCompletionKey,
                                                   LPOVERLAPPED *lpOverlapped,
                                                   DWORD dwMilliseconds);

/*
 * GetQueuedCompletionStatusEx (api.md 4.19): waits for at least one packet, then removes
 * up to ulCount at once in FIFO order (Internal: the operation's NTSTATUS). TRUE with
 * *ulNumEntriesRemoved >= 1; else FALSE, *ulNumEntriesRemoved 0, last error WAIT_TIMEOUT,
 * WAIT_IO_COMPLETION (fAlertable: completion routines ran), ERROR_ABANDONED_WAIT_0,
 * ERROR_INVALID_HANDLE or ERROR_INVALID_PARAMETER (ulCount 0, NULL pointers).
 */
WSAIO_EXPORT BOOL WINAPI GetQueuedCompletionStatusEx(HANDLE CompletionPort,
                                                     LPOVERLAPPED_ENTRY lpCompletionPortEntries,
                                                     ULONG ulCount, PULONG ulNumEntriesRemoved,
                                                     DWORD dwMilliseconds, BOOL fAlertable);

/*
 * PostQueuedCompletionStatus (api.md 4.20): queues a packet with these three values and a
 * success status; lpOverlapped is never dereferenced. FALSE with ERROR_INVALID_HANDLE (not
 * a live port) or ERROR_NOT_ENOUGH_MEMORY (too many posted packets queued).
 */
WSAIO_EXPORT BOOL WINAPI PostQueuedCompletionStatus(HANDLE CompletionPort,
                                                    DWORD dwNumberOfBytesTransferred,
                                                    ULONG_PTR dwCompletionKey,
                                                    LPOVERLAPPED lpOverlapped);

/*
 * SetFileCompletionNotificationModes (api.md 2.6) for a socket: with
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS an operation that finishes during its call queues
 * no packet; FILE_SKIP_SET_EVENT_ON_HANDLE is accepted (wsaio never signals a socket
 * handle). FALSE with ERROR_INVALID_HANDLE (not a socket) or ERROR_INVALID_PARAMETER
 * (other flags).
 */
WSAIO_EXPORT BOOL WINAPI SetFileCompletionNotificationModes(HANDLE FileHandle, UCHAR Flags);

/*
 * CancelIoEx (api.md 4.22): asks the operations on the socket hFile issued with
 * lpOverlapped (NULL: all of them, whichever thread issued them) to end. Asynchronous:
 * each later completes through its own indication with STATUS_CANCELLED
 * (ERROR_OPERATION_ABORTED, 0 bytes), or with its real result if it finished first.
 * Blocking calls in other threads are not affected. TRUE when at least one matched; FALSE
 * with ERROR_NOT_FOUND when none did, ERROR_INVALID_HANDLE when hFile is not a socket.
 */
WSAIO_EXPORT BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped);

/* CancelIo (api.md 4.22): CancelIoEx for the operations the calling thread issued on
 * hFile; TRUE even when there were none. */
WSAIO_EXPORT BOOL WINAPI CancelIo(HANDLE hFile);

/*
 * GetOverlappedResult (api.md 4.27): WSAGetOverlappedResult with Win32 codes and no
 * flags output, on a socket handle, without WSAStartup. A pending operation: FALSE with
 * ERROR_IO_INCOMPLETE unless bWait, which waits on hEvent (low bit masked) or, without
 * one, for the operation. A failed one: FALSE with its Win32 code (ERROR_NETNAME_DELETED,
 * ERROR_OPERATION_ABORTED, ERROR_MORE_DATA, ...), *lpNumberOfBytesTransferred written.
 * ERROR_INVALID_HANDLE for a handle that is not a socket.
 */
WSAIO_EXPORT BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                             LPDWORD lpNumberOfBytesTransferred, BOOL bWait);

/* GetOverlappedResultEx: the same, waiting at most dwMilliseconds (0: not at all), and
 * alertably when bAlertable: FALSE with WAIT_TIMEOUT or WAIT_IO_COMPLETION as last error
 * when the wait ends without the operation. */
WSAIO_EXPORT BOOL WINAPI GetOverlappedResultEx(HANDLE hFile, LPOVERLAPPED lpOverlapped,
                                               LPDWORD lpNumberOfBytesTransferred,
                                               DWORD dwMilliseconds, BOOL bAlertable);

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_IOAPISET_H */
