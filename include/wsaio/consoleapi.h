/*
 * consoleapi.h - console control handlers, standard handles and console/file writes and
 * reads on them (processenv.h, consoleapi.h and fileapi.h on Windows).
 *
 * Console control events come from signals: SIGINT is CTRL_C_EVENT, SIGQUIT (Ctrl-\) is
 * CTRL_BREAK_EVENT, SIGHUP (terminal gone) and SIGTERM are CTRL_CLOSE_EVENT. As on Windows
 * the handlers run on a new thread, the most recently added first; the first to return
 * TRUE ends the chain. If none does, the process ends as the default handler would: it is
 * killed by the signal. After a CTRL_CLOSE_EVENT handler returns, the process ends too (on
 * Windows the system terminates it).
 */
#ifndef WSAIO_CONSOLEAPI_H
#define WSAIO_CONSOLEAPI_H

#include "windef.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CTRL_C_EVENT        0
#define CTRL_BREAK_EVENT    1
#define CTRL_CLOSE_EVENT    2
#define CTRL_LOGOFF_EVENT   5
#define CTRL_SHUTDOWN_EVENT 6

typedef BOOL(WINAPI *PHANDLER_ROUTINE)(DWORD CtrlType);

/**
 * SetConsoleCtrlHandler - adds (Add TRUE) or removes a handler. HandlerRoutine NULL: Add
 * TRUE makes the process ignore Ctrl-C (SIGINT ignored, inherited by child processes as on
 * Windows), FALSE restores it. Removing a handler that is not installed fails with
 * ERROR_INVALID_PARAMETER.
 */
WSAIO_EXPORT BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add);
/**
 * GenerateConsoleCtrlEvent - sends CTRL_C_EVENT (SIGINT) or CTRL_BREAK_EVENT (SIGQUIT) to
 * the process group dwProcessGroupId, or with 0 to every process of the caller's group
 * (the processes sharing its console). Other events: ERROR_INVALID_PARAMETER.
 */
WSAIO_EXPORT BOOL WINAPI GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId);

#define STD_INPUT_HANDLE  ((DWORD)-10)
#define STD_OUTPUT_HANDLE ((DWORD)-11)
#define STD_ERROR_HANDLE  ((DWORD)-12)

/**
 * GetStdHandle - the handle of standard input, output or error (descriptors 0, 1, 2);
 * INVALID_HANDLE_VALUE with ERROR_INVALID_HANDLE for another nStdHandle. CloseHandle on it
 * closes the handle (later uses fail with ERROR_INVALID_HANDLE) but not the descriptor, so
 * the C library's stdio keeps working.
 */
WSAIO_EXPORT HANDLE WINAPI GetStdHandle(DWORD nStdHandle);

/**
 * WriteFile - writes to a standard handle (all of it, retrying short writes); lpOverlapped
 * must be NULL. Other handles: ERROR_INVALID_HANDLE.
 */
WSAIO_EXPORT BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                                   LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped);
/**
 * ReadFile - reads up to nNumberOfBytesToRead from a standard handle; TRUE with 0 bytes at
 * end of input (FALSE with ERROR_BROKEN_PIPE when the input is a pipe whose writer closed,
 * as Windows reports a broken pipe).
 */
WSAIO_EXPORT BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                                  LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped);
/** WriteConsoleA/W - writes characters to a standard output handle (W: as UTF-8). */
WSAIO_EXPORT BOOL WINAPI WriteConsoleA(HANDLE hConsoleOutput, const VOID *lpBuffer,
                                       DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten,
                                       LPVOID lpReserved);
WSAIO_EXPORT BOOL WINAPI WriteConsoleW(HANDLE hConsoleOutput, const VOID *lpBuffer,
                                       DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten,
                                       LPVOID lpReserved);
/** ReadConsoleA - reads characters from a standard input handle. */
WSAIO_EXPORT BOOL WINAPI ReadConsoleA(HANDLE hConsoleInput, LPVOID lpBuffer,
                                      DWORD nNumberOfCharsToRead, LPDWORD lpNumberOfCharsRead,
                                      LPVOID pInputControl);

#ifdef UNICODE
#define WriteConsole WriteConsoleW
#else
#define WriteConsole WriteConsoleA
#define ReadConsole  ReadConsoleA
#endif

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_CONSOLEAPI_H */
