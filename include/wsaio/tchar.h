/*
 * tchar.h - Microsoft's generic-text mappings, narrow (the _MBCS/SBCS build of Windows):
 * _TCHAR is char, _T("x") is "x", _tmain is main and each _t/_tcs name is the char
 * function. Defining _UNICODE is refused: the wide mappings would need Windows' 16-bit
 * wchar_t (Linux's is 32-bit; docs/porting.md).
 */
#ifndef WSAIO_TCHAR_H
#define WSAIO_TCHAR_H

#ifdef _UNICODE
#error "wsaio: <tchar.h> has the narrow mappings only; build without _UNICODE (docs/porting.md)"
#endif

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wsaio_crt.h"

typedef char _TCHAR;
typedef char _TSCHAR;
typedef unsigned char _TUCHAR;
typedef int _TINT;
#define _TEOF    EOF
#define _T(x)    x
#define _TEXT(x) x
#define __T(x)   x

#define _tmain    main
#define _tWinMain WinMain

/* Formatted I/O. */
#define _tprintf    printf
#define _ftprintf   fprintf
#define _stprintf   sprintf
#define _stprintf_s sprintf_s
#define _sntprintf  _snprintf
#define _vtprintf   vprintf
#define _vftprintf  vfprintf
#define _vstprintf  vsprintf
#define _vsntprintf _vsnprintf
#define _tscanf     scanf
#define _ftscanf    fscanf
#define _stscanf    sscanf
#define _tprintf_s  printf
#define _ftprintf_s fprintf

/* Character and line I/O. */
#define _fgetts   fgets
#define _fputts   fputs
#define _fgettc   fgetc
#define _fputtc   fputc
#define _gettc    getc
#define _puttc    putc
#define _gettchar getchar
#define _puttchar putchar
#define _putts    puts
#define _tfopen   fopen
#define _tfopen_s fopen_s
#define _tremove  remove
#define _trename  rename
#define _tperror  perror

/* Strings. */
#define _tcslen    strlen
#define _tcsnlen   strnlen
#define _tcscpy    strcpy
#define _tcscpy_s  strcpy_s
#define _tcsncpy   strncpy
#define _tcsncpy_s strncpy_s
#define _tcscat    strcat
#define _tcscat_s  strcat_s
#define _tcsncat   strncat
#define _tcsncat_s strncat_s
#define _tcscmp    strcmp
#define _tcsncmp   strncmp
#define _tcsicmp   _stricmp
#define _tcsnicmp  _strnicmp
#define _tcscoll   strcoll
#define _tcschr    strchr
#define _tcsrchr   strrchr
#define _tcsstr    strstr
#define _tcsspn    strspn
#define _tcscspn   strcspn
#define _tcspbrk   strpbrk
#define _tcstok    strtok
#define _tcstok_s  strtok_s
#define _tcsdup    _strdup
#define _tcslwr    _strlwr
#define _tcsupr    _strupr
#define _tcserror  strerror
#define _tcsftime  strftime

/* Conversions. */
#define _tstoi   atoi
#define _ttoi    atoi
#define _tstol   atol
#define _ttol    atol
#define _tstof   atof
#define _tcstol  strtol
#define _tcstoul strtoul
#define _tcstod  strtod
#define _itot    _itoa
#define _itot_s  _itoa_s
#define _ltot    _ltoa
#define _ultot   _ultoa
#define _i64tot  _i64toa
#define _ui64tot _ui64toa

/* Character classes. */
#define _istalpha  isalpha
#define _istdigit  isdigit
#define _istalnum  isalnum
#define _istspace  isspace
#define _istupper  isupper
#define _istlower  islower
#define _istpunct  ispunct
#define _istprint  isprint
#define _istxdigit isxdigit
#define _istcntrl  iscntrl
#define _totupper  toupper
#define _totlower  tolower

/* Environment. */
#define _tgetenv getenv
#define _tsystem system

#endif /* WSAIO_TCHAR_H */
