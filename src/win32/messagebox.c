/*
 * messagebox.c - MessageBoxA/W without a window system: the text goes to standard error
 * and the answer is the box's default button.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/error.h"
#include "win32/utf16.h"

/* The buttons of each MB_ type (the low nibble), in order. */
static const int buttons[][3] = {
    {IDOK, 0, 0},                       /* MB_OK */
    {IDOK, IDCANCEL, 0},                /* MB_OKCANCEL */
    {IDABORT, IDRETRY, IDIGNORE},       /* MB_ABORTRETRYIGNORE */
    {IDYES, IDNO, IDCANCEL},            /* MB_YESNOCANCEL */
    {IDYES, IDNO, 0},                   /* MB_YESNO */
    {IDRETRY, IDCANCEL, 0},             /* MB_RETRYCANCEL */
    {IDCANCEL, IDTRYAGAIN, IDCONTINUE}, /* MB_CANCELTRYCONTINUE */
};

WSAIO_EXPORT int WINAPI MessageBoxA(HWND hWnd, LPCSTR lpText, LPCSTR lpCaption, UINT uType)
{
    unsigned set = uType & 0xF, def = (uType >> 8) & 0xF;
    int answer;

    (void)hWnd;
    if (set >= sizeof(buttons) / sizeof(buttons[0]) || def > 2) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    answer = buttons[set][def] ? buttons[set][def] : buttons[set][0];
    fprintf(stderr, "%s: %s\n", lpCaption ? lpCaption : "Error", lpText ? lpText : "");
    fflush(stderr);
    return answer;
}

WSAIO_EXPORT int WINAPI MessageBoxW(HWND hWnd, LPCWSTR lpText, LPCWSTR lpCaption, UINT uType)
{
    char *text = wsaio_utf16_to_utf8(lpText, -1), *caption = wsaio_utf16_to_utf8(lpCaption, -1);
    int r = MessageBoxA(hWnd, text, caption, uType);

    free(text);
    free(caption);
    return r;
}
