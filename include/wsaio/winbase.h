/*
 * winbase.h - the kernel32 subset that socket programs use: last error, event objects,
 * waits (alertable or not), asynchronous procedure calls, threads, critical sections,
 * tick counts and the performance counter.
 *
 * Handles returned here (events, threads, later completion ports) are never 0, never
 * INVALID_HANDLE_VALUE, have bit 0 clear and are multiples of 4; they never equal a SOCKET.
 * GetLastError and WSAGetLastError read the same per-thread slot.
 */
#ifndef WSAIO_WINBASE_H
#define WSAIO_WINBASE_H

#include "windef.h"
#include "winerror.h"

#include <stdarg.h> /* FormatMessage takes a va_list * */

#ifdef __cplusplus
extern "C" {
#endif

/* Wait results and limits. */
#define WAIT_OBJECT_0        ((DWORD)0x00000000)
#define WAIT_ABANDONED       ((DWORD)0x00000080)
#define WAIT_ABANDONED_0     ((DWORD)0x00000080)
#define WAIT_IO_COMPLETION   ((DWORD)0x000000C0)
#define WAIT_FAILED          ((DWORD)0xFFFFFFFF)
#define INFINITE             ((DWORD)0xFFFFFFFF)
#define MAXIMUM_WAIT_OBJECTS 64
#ifndef WAIT_TIMEOUT
#define WAIT_TIMEOUT 258
#endif

#define STATUS_PENDING_VALUE 0x00000103 /* kept numeric for HasOverlappedIoCompleted */
/* An acquire load, paired with the release store that completes an operation: a program
 * that polls this macro and then reads InternalHigh or its buffers sees what the
 * completing thread wrote (and the compiler cannot hoist the load out of a polling loop). */
#define HasOverlappedIoCompleted(lpOverlapped)                                                     \
    (((DWORD)__atomic_load_n(&(lpOverlapped)->Internal, __ATOMIC_ACQUIRE)) !=                      \
     (DWORD)STATUS_PENDING_VALUE)

/* Pseudo handles. */
#define GetCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#define GetCurrentThread()  ((HANDLE)(LONG_PTR)-2)

/* CreateThread flags. */
#define CREATE_SUSPENDED                  0x00000004
#define STACK_SIZE_PARAM_IS_A_RESERVATION 0x00010000
#define STILL_ACTIVE                      259

/* CreateEventEx flags. */
#define CREATE_EVENT_MANUAL_RESET 0x00000001
#define CREATE_EVENT_INITIAL_SET  0x00000002
#define EVENT_ALL_ACCESS          0x1F0003
#define EVENT_MODIFY_STATE        0x0002
#define SYNCHRONIZE               0x00100000
#define THREAD_ALL_ACCESS         0x1FFFFF
#define THREAD_SET_CONTEXT        0x0010
#define THREAD_QUERY_INFORMATION  0x0040

/* ---- Last error -------------------------------------------------------------------- */

/** GetLastError - the calling thread's last-error slot (shared with WSAGetLastError). */
WSAIO_EXPORT DWORD WINAPI GetLastError(void);
/** SetLastError - writes the calling thread's last-error slot. */
WSAIO_EXPORT void WINAPI SetLastError(DWORD dwErrCode);

/* ---- Event objects ----------------------------------------------------------------- */

/**
 * CreateEventA/W - creates an unnamed event, manual- or auto-reset, initially signalled or
 * not. Named events are not supported: a non-NULL name fails with ERROR_NOT_SUPPORTED.
 * Returns NULL with ERROR_NOT_ENOUGH_MEMORY when no handle can be allocated.
 */
WSAIO_EXPORT HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                        BOOL bInitialState, LPCSTR lpName);
WSAIO_EXPORT HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                        BOOL bInitialState, LPCWSTR lpName);
/** CreateEventExA/W - as CreateEvent, with CREATE_EVENT_* flags. */
WSAIO_EXPORT HANDLE WINAPI CreateEventExA(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCSTR lpName,
                                          DWORD dwFlags, DWORD dwDesiredAccess);
WSAIO_EXPORT HANDLE WINAPI CreateEventExW(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCWSTR lpName,
                                          DWORD dwFlags, DWORD dwDesiredAccess);
/**
 * SetEvent - signals the event. A manual-reset event releases every waiter and stays
 * signalled; an auto-reset event releases exactly one waiter (or stays signalled until one
 * comes). No system call when nobody waits. FALSE with ERROR_INVALID_HANDLE for a handle
 * that is not a live event.
 */
WSAIO_EXPORT BOOL WINAPI SetEvent(HANDLE hEvent);
/** ResetEvent - puts the event in the non-signalled state. */
WSAIO_EXPORT BOOL WINAPI ResetEvent(HANDLE hEvent);

/* ---- Waits ------------------------------------------------------------------------- */

/**
 * WaitForSingleObject(Ex) - waits for an event, a thread (signalled when it exits), a
 * mutex (taken) or a semaphore (one unit taken; synchapi.h). Returns WAIT_OBJECT_0,
 * WAIT_ABANDONED (a mutex whose owner exited holding it), WAIT_TIMEOUT, WAIT_IO_COMPLETION
 * (alertable wait that ran completion routines / APCs) or WAIT_FAILED with
 * ERROR_INVALID_HANDLE.
 */
WSAIO_EXPORT DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
WSAIO_EXPORT DWORD WINAPI WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds,
                                                BOOL bAlertable);
/**
 * WaitForMultipleObjects(Ex) - waits for any (lowest signalled index wins) or all of 1..64
 * events and thread handles. A wait-all acquires auto-reset events atomically: all of them
 * or none. Errors: WAIT_FAILED with ERROR_INVALID_PARAMETER (count 0 or > 64, NULL array,
 * a duplicate handle in a wait-all) or ERROR_INVALID_HANDLE.
 */
WSAIO_EXPORT DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles,
                                                 BOOL bWaitAll, DWORD dwMilliseconds);
WSAIO_EXPORT DWORD WINAPI WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles,
                                                   BOOL bWaitAll, DWORD dwMilliseconds,
                                                   BOOL bAlertable);

/* ---- Asynchronous procedure calls --------------------------------------------------- */

typedef void(CALLBACK *PAPCFUNC)(ULONG_PTR dwParam);

/**
 * QueueUserAPC - queues pfnAPC(dwData) to the thread hThread (a CreateThread handle or
 * GetCurrentThread()). It runs only inside an alertable wait of that thread, in FIFO order
 * with that thread's other APCs and completion routines. Returns 0 with
 * ERROR_INVALID_HANDLE for a bad handle, ERROR_GEN_FAILURE if the thread has exited (the
 * routine is then never run).
 */
WSAIO_EXPORT DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData);
/**
 * SleepEx - sleeps dwMilliseconds (INFINITE: forever). Alertable: returns
 * WAIT_IO_COMPLETION (0xC0) as soon as queued routines have been run, else 0.
 */
WSAIO_EXPORT DWORD WINAPI SleepEx(DWORD dwMilliseconds, BOOL bAlertable);
/** Sleep - a non-alertable SleepEx. */
WSAIO_EXPORT void WINAPI Sleep(DWORD dwMilliseconds);

/* ---- Handles ----------------------------------------------------------------------- */

/**
 * CloseHandle - closes an event (as WSACloseEvent), a thread handle (the thread keeps
 * running), a mutex, a semaphore or a standard handle (consoleapi.h). FALSE with
 * ERROR_INVALID_HANDLE for anything else. A thread waiting on a closed
 * event keeps waiting on the object until it is signalled by another path or times out.
 */
WSAIO_EXPORT BOOL WINAPI CloseHandle(HANDLE hObject);

/* ---- Threads ----------------------------------------------------------------------- */

typedef DWORD(WINAPI *LPTHREAD_START_ROUTINE)(LPVOID lpThreadParameter);

/**
 * CreateThread - starts a thread running lpStartAddress(lpParameter); the handle is
 * signalled when the thread exits and its exit code is kept for GetExitCodeThread.
 * dwStackSize 0 uses the default. CREATE_SUSPENDED is not supported (ERROR_NOT_SUPPORTED).
 * An lpThreadId no program can own fails the call (ERROR_NOACCESS) before a thread starts.
 */
WSAIO_EXPORT HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes,
                                        SIZE_T dwStackSize, LPTHREAD_START_ROUTINE lpStartAddress,
                                        LPVOID lpParameter, DWORD dwCreationFlags,
                                        LPDWORD lpThreadId);
/** GetExitCodeThread - STILL_ACTIVE while running, else the routine's return value. */
WSAIO_EXPORT BOOL WINAPI GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode);
/** GetCurrentThreadId - the calling thread's system-wide id (the Linux TID). */
WSAIO_EXPORT DWORD WINAPI GetCurrentThreadId(void);
/** GetCurrentProcessId - the process id. */
WSAIO_EXPORT DWORD WINAPI GetCurrentProcessId(void);
/** ExitThread - ends the calling thread with dwExitCode (threads from CreateThread only). */
WSAIO_EXPORT void WINAPI ExitThread(DWORD dwExitCode) __attribute__((noreturn));

/* ---- Time -------------------------------------------------------------------------- */

/** GetTickCount - milliseconds since an arbitrary start (monotonic), wrapping at 2^32. */
WSAIO_EXPORT DWORD WINAPI GetTickCount(void);
/** GetTickCount64 - milliseconds since an arbitrary start (monotonic). */
WSAIO_EXPORT ULONGLONG WINAPI GetTickCount64(void);
/** QueryPerformanceCounter - monotonic counter in units of QueryPerformanceFrequency. */
WSAIO_EXPORT BOOL WINAPI QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount);
/** QueryPerformanceFrequency - counts per second (1e9 here: the counter is nanoseconds). */
WSAIO_EXPORT BOOL WINAPI QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency);

/* ---- Critical sections ------------------------------------------------------------- */

/*
 * A critical section is a recursive lock owned by a thread. The layout is opaque storage
 * large enough for wsaio's implementation (a futex word, owner and recursion count); the
 * named fields exist so that code which peeks at them still compiles.
 */
typedef struct _RTL_CRITICAL_SECTION {
    PVOID DebugInfo;
    LONG LockCount;
    LONG RecursionCount;
    HANDLE OwningThread;
    HANDLE LockSemaphore;
    ULONG_PTR SpinCount;
} CRITICAL_SECTION, *PCRITICAL_SECTION, *LPCRITICAL_SECTION, RTL_CRITICAL_SECTION;

/** InitializeCriticalSection - prepares an unowned critical section. */
WSAIO_EXPORT void WINAPI InitializeCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
/** InitializeCriticalSectionAndSpinCount - as above; spins up to dwSpinCount before sleeping. */
WSAIO_EXPORT BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION lpCriticalSection,
                                                               DWORD dwSpinCount);
/** InitializeCriticalSectionEx - as above; flags are accepted and ignored. */
WSAIO_EXPORT BOOL WINAPI InitializeCriticalSectionEx(LPCRITICAL_SECTION lpCriticalSection,
                                                     DWORD dwSpinCount, DWORD Flags);
/** EnterCriticalSection - acquires (recursively if the caller already owns it). */
WSAIO_EXPORT void WINAPI EnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
/** TryEnterCriticalSection - acquires without waiting; TRUE on success. */
WSAIO_EXPORT BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
/** LeaveCriticalSection - releases one level of ownership. */
WSAIO_EXPORT void WINAPI LeaveCriticalSection(LPCRITICAL_SECTION lpCriticalSection);
/** DeleteCriticalSection - releases its resources; it must be unowned. */
WSAIO_EXPORT void WINAPI DeleteCriticalSection(LPCRITICAL_SECTION lpCriticalSection);

/* ---- Memory helpers ---------------------------------------------------------------- */

#define ZeroMemory(p, n)       memset((p), 0, (n))
#define FillMemory(p, n, v)    memset((p), (v), (n))
#define CopyMemory(d, s, n)    memcpy((d), (s), (n))
#define MoveMemory(d, s, n)    memmove((d), (s), (n))
#define SecureZeroMemory(p, n) memset((p), 0, (n))

/* ---- Local and global memory (kernel32's older allocators) --------------------------- */

typedef HANDLE HLOCAL, HGLOBAL;

#define LMEM_FIXED    0x0000
#define LMEM_MOVEABLE 0x0002
#define LMEM_ZEROINIT 0x0040
#define LPTR          (LMEM_FIXED | LMEM_ZEROINIT)
#define LHND          (LMEM_MOVEABLE | LMEM_ZEROINIT)
#define GMEM_FIXED    0x0000
#define GMEM_MOVEABLE 0x0002
#define GMEM_ZEROINIT 0x0040
#define GPTR          (GMEM_FIXED | GMEM_ZEROINIT)
#define GHND          (GMEM_MOVEABLE | GMEM_ZEROINIT)

/*
 * Both allocate from the process heap. Moveable memory never moves here: its handle is the
 * block's address, and Lock returns it.
 */
/** LocalAlloc - uBytes (zeroed with LMEM_ZEROINIT); NULL with ERROR_NOT_ENOUGH_MEMORY. */
WSAIO_EXPORT HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes);
/** LocalReAlloc - resizes (zeroing the growth with LMEM_ZEROINIT); NULL on failure. */
WSAIO_EXPORT HLOCAL WINAPI LocalReAlloc(HLOCAL hMem, SIZE_T uBytes, UINT uFlags);
/** LocalFree - frees; NULL on success, hMem with ERROR_INVALID_HANDLE on a bad handle. */
WSAIO_EXPORT HLOCAL WINAPI LocalFree(HLOCAL hMem);
/** LocalSize - the block's size; 0 with ERROR_INVALID_HANDLE on a bad handle. */
WSAIO_EXPORT SIZE_T WINAPI LocalSize(HLOCAL hMem);
/** LocalLock - the block's address. */
WSAIO_EXPORT LPVOID WINAPI LocalLock(HLOCAL hMem);
/** LocalUnlock - FALSE with ERROR_NOT_LOCKED (nothing is ever locked here). */
WSAIO_EXPORT BOOL WINAPI LocalUnlock(HLOCAL hMem);
/** GlobalAlloc/ReAlloc/Free/Size/Lock/Unlock - the same, with GMEM_* flags. */
WSAIO_EXPORT HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes);
WSAIO_EXPORT HGLOBAL WINAPI GlobalReAlloc(HGLOBAL hMem, SIZE_T dwBytes, UINT uFlags);
WSAIO_EXPORT HGLOBAL WINAPI GlobalFree(HGLOBAL hMem);
WSAIO_EXPORT SIZE_T WINAPI GlobalSize(HGLOBAL hMem);
WSAIO_EXPORT LPVOID WINAPI GlobalLock(HGLOBAL hMem);
WSAIO_EXPORT BOOL WINAPI GlobalUnlock(HGLOBAL hMem);

/* ---- Messages for error codes ------------------------------------------------------ */

#define FORMAT_MESSAGE_ALLOCATE_BUFFER 0x00000100
#define FORMAT_MESSAGE_IGNORE_INSERTS  0x00000200
#define FORMAT_MESSAGE_FROM_STRING     0x00000400
#define FORMAT_MESSAGE_FROM_HMODULE    0x00000800
#define FORMAT_MESSAGE_FROM_SYSTEM     0x00001000
#define FORMAT_MESSAGE_ARGUMENT_ARRAY  0x00002000
#define FORMAT_MESSAGE_MAX_WIDTH_MASK  0x000000FF

#define LANG_NEUTRAL        0x00
#define LANG_INVARIANT      0x7f
#define LANG_ENGLISH        0x09
#define SUBLANG_NEUTRAL     0x00
#define SUBLANG_DEFAULT     0x01
#define SUBLANG_SYS_DEFAULT 0x02
#define SUBLANG_ENGLISH_US  0x01
#define MAKELANGID(p, s)    ((((WORD)(s)) << 10) | (WORD)(p))
#define PRIMARYLANGID(lgid) ((WORD)(lgid)&0x3ff)
#define SUBLANGID(lgid)     ((WORD)(lgid) >> 10)
#define LANG_SYSTEM_DEFAULT MAKELANGID(LANG_NEUTRAL, SUBLANG_SYS_DEFAULT)
#define LANG_USER_DEFAULT   MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT)

/**
 * FormatMessageA - formats a message: the system's text for a Win32 or Winsock error code
 * (FORMAT_MESSAGE_FROM_SYSTEM; English, ending in "\r\n" as on Windows) or lpSource
 * (FORMAT_MESSAGE_FROM_STRING), with %1..%99 inserts (optionally %n!fmt!) from Arguments
 * (a va_list *, or a DWORD_PTR array with FORMAT_MESSAGE_ARGUMENT_ARRAY) unless
 * FORMAT_MESSAGE_IGNORE_INSERTS, %n %t %r %0 %% %. %! %space escapes, and the line width
 * in the low byte of dwFlags. FORMAT_MESSAGE_ALLOCATE_BUFFER stores a LocalAlloc'd buffer
 * (free with LocalFree) in *(LPSTR *)lpBuffer. Returns the length without the NUL, or 0 with:
 * ERROR_MR_MID_NOT_FOUND (unknown code), ERROR_RESOURCE_LANG_NOT_FOUND (a language other
 * than neutral or English), ERROR_INSUFFICIENT_BUFFER (nSize too small),
 * ERROR_INVALID_PARAMETER. FORMAT_MESSAGE_FROM_HMODULE alone fails with
 * ERROR_RESOURCE_TYPE_NOT_FOUND (there are no message modules).
 */
WSAIO_EXPORT DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                         DWORD dwLanguageId, LPSTR lpBuffer, DWORD nSize,
                                         va_list *Arguments);
/** FormatMessageW - as FormatMessageA, in UTF-16 (string inserts are WCHAR strings). */
WSAIO_EXPORT DWORD WINAPI FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId,
                                         DWORD dwLanguageId, LPWSTR lpBuffer, DWORD nSize,
                                         va_list *Arguments);

/* ---- lstr* string functions -------------------------------------------------------- */

/** lstrlenA/W - the length of a string; 0 for NULL. */
WSAIO_EXPORT int WINAPI lstrlenA(LPCSTR lpString);
WSAIO_EXPORT int WINAPI lstrlenW(LPCWSTR lpString);
/** lstrcpyA - copies lpString2 into lpString1; returns lpString1 (NULL if either is NULL). */
WSAIO_EXPORT LPSTR WINAPI lstrcpyA(LPSTR lpString1, LPCSTR lpString2);
/** lstrcpynA - copies at most iMaxLength - 1 characters and always ends with a NUL. */
WSAIO_EXPORT LPSTR WINAPI lstrcpynA(LPSTR lpString1, LPCSTR lpString2, int iMaxLength);
/** lstrcatA - appends lpString2 to lpString1; returns lpString1 (NULL if either is NULL). */
WSAIO_EXPORT LPSTR WINAPI lstrcatA(LPSTR lpString1, LPCSTR lpString2);
/**
 * lstrcmpA - compares as Windows' word sort does for ASCII text: letters alphabetically
 * regardless of case first ("apple" < "Banana"), then lower case before upper case for
 * strings that differ only in case. Other characters compare by code (a simplification
 * of the full linguistic table). Returns < 0, 0 or > 0; NULL sorts first.
 */
WSAIO_EXPORT int WINAPI lstrcmpA(LPCSTR lpString1, LPCSTR lpString2);
/** lstrcmpiA - compares ignoring case; < 0, 0 or > 0. */
WSAIO_EXPORT int WINAPI lstrcmpiA(LPCSTR lpString1, LPCSTR lpString2);

#ifdef UNICODE
#define FormatMessage FormatMessageW
#define lstrlen       lstrlenW
#else
#define FormatMessage FormatMessageA
#define lstrlen       lstrlenA
#define lstrcpy       lstrcpyA
#define lstrcpyn      lstrcpynA
#define lstrcat       lstrcatA
#define lstrcmp       lstrcmpA
#define lstrcmpi      lstrcmpiA
#endif

#ifdef UNICODE
#define CreateEvent   CreateEventW
#define CreateEventEx CreateEventExW
#else
#define CreateEvent   CreateEventA
#define CreateEventEx CreateEventExA
#endif

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_WINBASE_H */
