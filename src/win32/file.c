/*
 * file.c - regular files as HANDLEs (fileapi.h): an object of the handle table holding
 * the descriptor, closed with the last reference.
 */
#include "win32/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/handle.h"

/* FILE_FLAG_OPEN_REPARSE_POINT and FILE_FLAG_DELETE_ON_CLOSE: flags that change what is
 * opened or what becomes of the file, which CreateFileA refuses rather than ignores. */
#define FILE_FLAGS_UNHONOURED 0x04200000u

struct file_object {
    struct wsaio_object hdr;
    int fd;
};

static void file_destroy(struct wsaio_object *obj)
{
    struct file_object *f = (struct file_object *)obj;

    close(f->fd);
    free(f);
}

/* The Win32 error of a failed open or seek. */
static DWORD file_error(int err)
{
    switch (err) {
    case ENOENT:
        return ERROR_FILE_NOT_FOUND;
    case ENOTDIR:
    case ENAMETOOLONG:
        return ERROR_PATH_NOT_FOUND;
    case EACCES:
    case EPERM:
    case EISDIR:
        return ERROR_ACCESS_DENIED;
    case EMFILE:
    case ENFILE:
        return ERROR_TOO_MANY_OPEN_FILES;
    case ENOMEM:
        return ERROR_NOT_ENOUGH_MEMORY;
    case EINVAL:
        return ERROR_NEGATIVE_SEEK;
    default:
        return ERROR_INVALID_PARAMETER;
    }
}

WSAIO_EXPORT HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                                       LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                                       DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                                       HANDLE hTemplateFile)
{
    struct file_object *f;
    struct stat st;
    HANDLE h;
    int fd;

    (void)dwShareMode, (void)lpSecurityAttributes, (void)hTemplateFile;
    if (!lpFileName)
        return wsaio_set_error(ERROR_INVALID_PARAMETER), INVALID_HANDLE_VALUE;
    if (dwDesiredAccess != GENERIC_READ || dwCreationDisposition != OPEN_EXISTING ||
        (dwFlagsAndAttributes & FILE_FLAGS_UNHONOURED))
        return wsaio_set_error(ERROR_NOT_SUPPORTED), INVALID_HANDLE_VALUE;
    fd = open(lpFileName, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return wsaio_set_error(file_error(errno)), INVALID_HANDLE_VALUE;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) { /* Windows opens no directory so */
        close(fd);
        return wsaio_set_error(ERROR_ACCESS_DENIED), INVALID_HANDLE_VALUE;
    }
    if (!(f = malloc(sizeof(*f)))) {
        close(fd);
        return wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY), INVALID_HANDLE_VALUE;
    }
    f->hdr.type = WSAIO_OBJ_FILE;
    f->hdr.destroy = file_destroy;
    f->fd = fd;
    if (!(h = wsaio_handle_create(&f->hdr))) {
        file_destroy(&f->hdr);
        return wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY), INVALID_HANDLE_VALUE;
    }
    wsaio_set_error(0);
    return h;
}

/* The file object h names, a reference held; NULL with ERROR_INVALID_HANDLE. */
static struct file_object *file_ref(HANDLE h)
{
    struct wsaio_object *obj = wsaio_handle_ref(h, WSAIO_OBJ_FILE);

    if (!obj)
        wsaio_set_error(ERROR_INVALID_HANDLE);
    return (struct file_object *)obj;
}

WSAIO_EXPORT BOOL WINAPI GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize)
{
    struct file_object *f = file_ref(hFile);
    struct stat st;
    int rc;

    if (!f)
        return FALSE;
    rc = fstat(f->fd, &st);
    wsaio_object_put(&f->hdr);
    if (!lpFileSize || rc != 0)
        return wsaio_set_error(lpFileSize ? file_error(errno) : ERROR_INVALID_PARAMETER), FALSE;
    lpFileSize->QuadPart = st.st_size;
    wsaio_set_error(0);
    return TRUE;
}

WSAIO_EXPORT DWORD WINAPI GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh)
{
    LARGE_INTEGER size;

    if (!GetFileSizeEx(hFile, &size))
        return INVALID_FILE_SIZE;
    if (lpFileSizeHigh)
        *lpFileSizeHigh = (DWORD)((uint64_t)size.QuadPart >> 32);
    return (DWORD)size.QuadPart;
}

WSAIO_EXPORT BOOL WINAPI SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                                          PLARGE_INTEGER lpNewFilePointer, DWORD dwMoveMethod)
{
    static const int whence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
    struct file_object *f;
    off_t pos;
    int err;

    if (dwMoveMethod > FILE_END)
        return wsaio_set_error(ERROR_INVALID_PARAMETER), FALSE;
    if (!(f = file_ref(hFile)))
        return FALSE;
    pos = lseek(f->fd, (off_t)liDistanceToMove.QuadPart, whence[dwMoveMethod]);
    err = errno;
    wsaio_object_put(&f->hdr);
    if (pos < 0)
        return wsaio_set_error(file_error(err)), FALSE;
    if (lpNewFilePointer)
        lpNewFilePointer->QuadPart = pos;
    wsaio_set_error(0);
    return TRUE;
}

WSAIO_EXPORT DWORD WINAPI SetFilePointer(HANDLE hFile, LONG lDistanceToMove,
                                         PLONG lpDistanceToMoveHigh, DWORD dwMoveMethod)
{
    LARGE_INTEGER by, now;

    /* Without the high part the distance is a signed 32-bit value. */
    by.QuadPart = lpDistanceToMoveHigh
                      ? (LONGLONG)(((uint64_t)(uint32_t)*lpDistanceToMoveHigh << 32) |
                                   (uint32_t)lDistanceToMove)
                      : lDistanceToMove;
    if (!SetFilePointerEx(hFile, by, &now, dwMoveMethod))
        return INVALID_SET_FILE_POINTER;
    if (lpDistanceToMoveHigh)
        *lpDistanceToMoveHigh = (LONG)((uint64_t)now.QuadPart >> 32);
    return (DWORD)now.QuadPart;
}

int wsaio_file_dup(HANDLE h, int *fd, int64_t *pos)
{
    struct wsaio_object *obj = wsaio_handle_ref(h, WSAIO_OBJ_FILE);
    struct file_object *f = (struct file_object *)obj;
    int err = 0;

    if (!obj)
        return -EBADF;
    *pos = lseek(f->fd, 0, SEEK_CUR);
    *fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 3);
    if (*pos < 0 || *fd < 0) {
        err = -errno;
        if (*fd >= 0)
            close(*fd);
    }
    wsaio_object_put(obj);
    return err;
}
