/*
 * lstr.c - the lstr* string functions. Windows guards them against bad pointers with
 * exception handling; here a NULL argument gets the same answer (0 or NULL).
 */
#include <ctype.h>
#include <string.h>

#include <windows.h>

WSAIO_EXPORT int WINAPI lstrlenA(LPCSTR lpString)
{
    return lpString ? (int)strlen(lpString) : 0;
}

WSAIO_EXPORT int WINAPI lstrlenW(LPCWSTR lpString)
{
    int n = 0;

    if (lpString)
        while (lpString[n])
            n++;
    return n;
}

WSAIO_EXPORT LPSTR WINAPI lstrcpyA(LPSTR lpString1, LPCSTR lpString2)
{
    if (!lpString1 || !lpString2)
        return NULL;
    return memmove(lpString1, lpString2, strlen(lpString2) + 1);
}

WSAIO_EXPORT LPSTR WINAPI lstrcpynA(LPSTR lpString1, LPCSTR lpString2, int iMaxLength)
{
    int i;

    if (!lpString1 || !lpString2 || iMaxLength <= 0)
        return iMaxLength == 0 ? lpString1 : NULL;
    for (i = 0; i < iMaxLength - 1 && lpString2[i]; i++)
        lpString1[i] = lpString2[i];
    lpString1[i] = '\0';
    return lpString1;
}

WSAIO_EXPORT LPSTR WINAPI lstrcatA(LPSTR lpString1, LPCSTR lpString2)
{
    if (!lpString1 || !lpString2)
        return NULL;
    memmove(lpString1 + strlen(lpString1), lpString2, strlen(lpString2) + 1);
    return lpString1;
}

static int sign(int d)
{
    return (d > 0) - (d < 0);
}

WSAIO_EXPORT int WINAPI lstrcmpiA(LPCSTR lpString1, LPCSTR lpString2)
{
    const unsigned char *a = (const unsigned char *)lpString1,
                        *b = (const unsigned char *)lpString2;

    if (!a || !b)
        return sign((a != NULL) - (b != NULL));
    while (*a && tolower(*a) == tolower(*b))
        a++, b++;
    return sign(tolower(*a) - tolower(*b));
}

WSAIO_EXPORT int WINAPI lstrcmpA(LPCSTR lpString1, LPCSTR lpString2)
{
    const unsigned char *a = (const unsigned char *)lpString1,
                        *b = (const unsigned char *)lpString2;
    int r;

    if (!a || !b)
        return sign((a != NULL) - (b != NULL));
    r = lstrcmpiA(lpString1, lpString2);
    if (r)
        return r;
    /* Equal but for case: the first difference decides, lower case first. */
    while (*a && *a == *b)
        a++, b++;
    return *a == *b ? 0 : islower(*a) ? -1 : 1;
}
