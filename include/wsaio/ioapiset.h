/*
 * ioapiset.h - I/O completion ports, cancellation and overlapped results (desktop Winsock
 * extension, api.md 4.17 to 4.22 and 4.27).
 *
 * For now only the constants and types (OVERLAPPED_ENTRY is in windef.h): the functions
 * come with completion-port support.
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
 * The functions themselves (CreateIoCompletionPort, GetQueuedCompletionStatus(Ex),
 * PostQueuedCompletionStatus, CancelIo, CancelIoEx, GetOverlappedResult,
 * SetFileCompletionNotificationModes) come with completion-port support; they are not
 * declared until they are defined, so that every declared function links (tests/link).
 */

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_IOAPISET_H */
