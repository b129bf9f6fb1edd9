/*
 * windows.h - the subset of <windows.h> that Winsock programs use, for Linux.
 *
 * Base types (windef.h), error codes (winerror.h), the kernel32 subset (winbase.h) and the
 * completion-port functions (ioapiset.h). Winsock itself comes from <winsock2.h>.
 */
#ifndef WSAIO_WINDOWS_H
#define WSAIO_WINDOWS_H

#include <string.h> /* ZeroMemory and friends expand to memset/memcpy */

#include "windef.h"
#include "winerror.h"
#include "winbase.h"
#include "ioapiset.h"
/* kernel32 beyond sockets (src/win32): */
#include "synchapi.h"
#include "processthreadsapi.h"
#include "interlockedapi.h"
#include "heapapi.h"
#include "sysinfoapi.h"
#include "consoleapi.h"
#include "winuser.h"

#endif /* WSAIO_WINDOWS_H */
