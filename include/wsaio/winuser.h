/*
 * winuser.h - MessageBox, for programs that report errors that way. There is no window
 * system: the message goes to standard error and the default button is the answer.
 */
#ifndef WSAIO_WINUSER_H
#define WSAIO_WINUSER_H

#include "windef.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef HANDLE HWND;

#define MB_OK                0x00000000L
#define MB_OKCANCEL          0x00000001L
#define MB_ABORTRETRYIGNORE  0x00000002L
#define MB_YESNOCANCEL       0x00000003L
#define MB_YESNO             0x00000004L
#define MB_RETRYCANCEL       0x00000005L
#define MB_CANCELTRYCONTINUE 0x00000006L
#define MB_ICONHAND          0x00000010L
#define MB_ICONQUESTION      0x00000020L
#define MB_ICONEXCLAMATION   0x00000030L
#define MB_ICONASTERISK      0x00000040L
#define MB_ICONERROR         MB_ICONHAND
#define MB_ICONSTOP          MB_ICONHAND
#define MB_ICONWARNING       MB_ICONEXCLAMATION
#define MB_ICONINFORMATION   MB_ICONASTERISK
#define MB_DEFBUTTON1        0x00000000L
#define MB_DEFBUTTON2        0x00000100L
#define MB_DEFBUTTON3        0x00000200L
#define MB_APPLMODAL         0x00000000L
#define MB_SYSTEMMODAL       0x00001000L
#define MB_TASKMODAL         0x00002000L
#define MB_SETFOREGROUND     0x00010000L
#define MB_TOPMOST           0x00040000L

#define IDOK       1
#define IDCANCEL   2
#define IDABORT    3
#define IDRETRY    4
#define IDIGNORE   5
#define IDYES      6
#define IDNO       7
#define IDTRYAGAIN 10
#define IDCONTINUE 11

/**
 * MessageBoxA/W - writes "caption: text" and a line break to standard error and returns
 * the default button of uType's button set (IDOK for MB_OK); 0 with
 * ERROR_INVALID_PARAMETER for an unknown button set.
 */
WSAIO_EXPORT int WINAPI MessageBoxA(HWND hWnd, LPCSTR lpText, LPCSTR lpCaption, UINT uType);
WSAIO_EXPORT int WINAPI MessageBoxW(HWND hWnd, LPCWSTR lpText, LPCWSTR lpCaption, UINT uType);

#ifdef UNICODE
#define MessageBox MessageBoxW
#else
#define MessageBox MessageBoxA
#endif

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_WINUSER_H */
