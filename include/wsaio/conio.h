/*
 * conio.h - console keyboard input of Microsoft's runtime: _kbhit, _getch, _getche.
 *
 * On a terminal they read keys as Windows' console does: one key at a time, without
 * waiting for Enter, without echo (_getche echoes); the terminal's settings are restored
 * after each call. Without a terminal (input from a pipe or a file) they read standard
 * input's bytes directly: _kbhit says whether a read would not block (a byte, or end of
 * input, is there) and _getch returns the byte or EOF at the end.
 */
#ifndef WSAIO_CONIO_H
#define WSAIO_CONIO_H

#include "windef.h"

#ifdef __cplusplus
extern "C" {
#endif

/** _kbhit - nonzero when a key (a byte of standard input) can be read without waiting. */
WSAIO_EXPORT int _kbhit(void);
/** _getch - reads one key without echo, waiting for it; EOF at the end of input. */
WSAIO_EXPORT int _getch(void);
/** _getche - _getch that echoes the key to standard output. */
WSAIO_EXPORT int _getche(void);
#define kbhit _kbhit
#define getch _getch

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_CONIO_H */
