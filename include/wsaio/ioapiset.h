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
 * Still to come with AcceptEx/ConnectEx support: CancelIo, CancelIoEx, GetOverlappedResult.
 */

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_IOAPISET_H */
