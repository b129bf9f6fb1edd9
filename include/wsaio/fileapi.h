/*
 * fileapi.h - regular files as HANDLEs, as much as TransmitFile needs: open an existing
 * file for reading, its size, its file pointer, CloseHandle. A file handle lives in the
 * same table as events and ports (winbase.h); ReadFile/WriteFile work on the standard
 * handles only (consoleapi.h).
 */
#ifndef WSAIO_FILEAPI_H
#define WSAIO_FILEAPI_H

#include "windef.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GENERIC_READ  0x80000000u
#define GENERIC_WRITE 0x40000000u

#define FILE_SHARE_READ   0x00000001
#define FILE_SHARE_WRITE  0x00000002
#define FILE_SHARE_DELETE 0x00000004

#define CREATE_NEW        1
#define CREATE_ALWAYS     2
#define OPEN_EXISTING     3
#define OPEN_ALWAYS       4
#define TRUNCATE_EXISTING 5

#define FILE_ATTRIBUTE_READONLY   0x00000001
#define FILE_ATTRIBUTE_NORMAL     0x00000080
#define FILE_FLAG_SEQUENTIAL_SCAN 0x08000000
#define FILE_FLAG_OVERLAPPED      0x40000000

#define FILE_BEGIN   0
#define FILE_CURRENT 1
#define FILE_END     2

#define INVALID_FILE_SIZE        ((DWORD)0xFFFFFFFF)
#define INVALID_SET_FILE_POINTER ((DWORD)-1)

/*
 * CreateFileA - opens the existing regular file lpFileName for reading: dwDesiredAccess
 * GENERIC_READ, dwCreationDisposition OPEN_EXISTING (other values: ERROR_NOT_SUPPORTED);
 * share mode, attributes, the other FILE_FLAG_* (hints) and hTemplateFile are accepted
 * and ignored, but FILE_FLAG_DELETE_ON_CLOSE and FILE_FLAG_OPEN_REPARSE_POINT, which it
 * cannot honour, fail with ERROR_NOT_SUPPORTED. The
 * file pointer starts at 0. INVALID_HANDLE_VALUE on failure: ERROR_FILE_NOT_FOUND,
 * ERROR_PATH_NOT_FOUND, ERROR_ACCESS_DENIED (also a directory), ERROR_INVALID_PARAMETER
 * (lpFileName NULL), ERROR_TOO_MANY_OPEN_FILES.
 */
WSAIO_EXPORT HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                       LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                       DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                       HANDLE hTemplateFile);

/*
 * GetFileSize - the low 32 bits of the file's size, the high ones in *lpFileSizeHigh
 * (when not NULL). INVALID_FILE_SIZE with ERROR_INVALID_HANDLE for a handle that is no
 * file (a size whose low part is 0xFFFFFFFF also returns it, with GetLastError 0).
 */
WSAIO_EXPORT DWORD WINAPI GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh);

/* GetFileSizeEx - the file's size in *lpFileSize: TRUE, or FALSE with
 * ERROR_INVALID_HANDLE (no file) or ERROR_INVALID_PARAMETER (lpFileSize NULL). */
WSAIO_EXPORT BOOL WINAPI GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize);

/*
 * SetFilePointerEx - moves the file pointer by liDistanceToMove from FILE_BEGIN,
 * FILE_CURRENT or FILE_END, the new position in *lpNewFilePointer (when not NULL). Past
 * the end is allowed. FALSE with ERROR_NEGATIVE_SEEK (before the start),
 * ERROR_INVALID_PARAMETER (another dwMoveMethod), ERROR_INVALID_HANDLE (no file).
 */
WSAIO_EXPORT BOOL WINAPI SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                                          PLARGE_INTEGER lpNewFilePointer, DWORD dwMoveMethod);

/*
 * SetFilePointer - the same with the distance in lDistanceToMove and *lpDistanceToMoveHigh
 * (the high 32 bits, when not NULL; the new position's high part is written back there).
 * Returns the new position's low 32 bits, or INVALID_SET_FILE_POINTER with the error.
 */
WSAIO_EXPORT DWORD WINAPI SetFilePointer(HANDLE hFile, LONG lDistanceToMove,
                                         PLONG lpDistanceToMoveHigh, DWORD dwMoveMethod);

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_FILEAPI_H */
