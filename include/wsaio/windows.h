/*
 * windows.h - the subset of <windows.h> that Winsock programs use, for Linux.
 *
 * Base types (windef.h, winnt.h), the compiler's words (msvc_keywords.h, excpt.h for
 * __try/__except), error codes (winerror.h), the kernel32 subset (winbase.h), Microsoft's
 * C runtime additions (wsaio_crt.h: strcpy_s, _snprintf, localtime_s, ...) and the
 * completion-port functions (ioapiset.h). Winsock itself comes from <winsock2.h>.
 *
 * On Windows a program compiled with <windows.h> relies on the C library headers that its
 * headers pull in; the ones such programs use without including them come here too, so that
 * no function is implicitly declared.
 */
#ifndef WSAIO_WINDOWS_H
#define WSAIO_WINDOWS_H

#include "wsaio_features.h" /* first: before any system header */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h> /* also for ZeroMemory and friends (memset/memcpy) */
#include <wchar.h>

#include "windef.h"
#include "winnt.h"
#include "excpt.h"
#include "sal.h"
#include "winerror.h"
#include "winbase.h"
#include "wsaio_crt.h"
#include "ioapiset.h"
/* kernel32 beyond sockets (src/win32): */
#include "synchapi.h"
#include "processthreadsapi.h"
#include "interlockedapi.h"
#include "heapapi.h"
#include "sysinfoapi.h"
#include "consoleapi.h"
#include "fileapi.h"
#include "winuser.h"

#endif /* WSAIO_WINDOWS_H */
