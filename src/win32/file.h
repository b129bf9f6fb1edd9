/*
 * file.h - what the socket layer needs of a file handle (fileapi.h): TransmitFile sends
 * from a descriptor of its own.
 */
#ifndef WSAIO_WIN32_FILE_H
#define WSAIO_WIN32_FILE_H

#include <stdint.h>

#include <windows.h>

/* A new close-on-exec descriptor (>= 3) sharing the open file that h names (so also its
 * file pointer), in *fd, and that file pointer in *pos: 0, -EBADF when h is no file
 * handle, or -errno. */
int wsaio_file_dup(HANDLE h, int *fd, int64_t *pos);

#endif /* WSAIO_WIN32_FILE_H */
