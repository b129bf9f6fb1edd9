/*
 * x_crt.c - the Microsoft C runtime and header-only Win32 surface that Winsock programs use
 * (issue 12): <strsafe.h>'s StringCch and StringCb functions (HRESULTs, truncation), _snprintf's
 * truncation without terminator, the secure forms (strcpy_s, strncpy_s with _TRUNCATE,
 * sprintf_s, localtime_s/gmtime_s with Microsoft's argument order, fopen_s), _stricmp,
 * _strdup, _itoa & co., and <tchar.h>'s narrow mappings. The headers are spelled as
 * Microsoft's samples spell them.
 *
 * Not spec items (the spec covers Winsock): these cases check the behaviour Microsoft
 * documents for each function, and run against Windows' runtime under Wine too. Where
 * Microsoft's runtime calls the invalid-parameter handler, the case installs one that
 * returns (on Windows), so both sides report the documented error value.
 */
#define STRSAFE_NO_DEPRECATE /* mingw's strsafe.h would otherwise poison strcpy & co. */
#include "harness.h"

#include <Windows.h>
#include <WinSock2.h>
#include <TChar.h>
#include <StrSafe.h> /* after tchar.h, as Windows' strsafe.h requires */

#include <errno.h>
#include <time.h>

#ifdef _WIN32
static void __cdecl ignore_invalid_parameter(const wchar_t *expr, const wchar_t *func,
                                             const wchar_t *file, unsigned int line,
                                             uintptr_t reserved)
{
    (void)expr, (void)func, (void)file, (void)line, (void)reserved;
}
#endif

/* Makes the invalid-parameter handler return, as wsaio's functions always do. */
static void handler_returns(void)
{
#ifdef _WIN32
    _set_invalid_parameter_handler(ignore_invalid_parameter);
#endif
}

TEST(x_strsafe_copy_truncates_and_terminates)
{
    char buf[4];

    CHECK_EQ(StringCchCopyA(buf, sizeof buf, "abc"), S_OK);
    CHECK(strcmp(buf, "abc") == 0);
    CHECK_EQ(StringCchCopyA(buf, sizeof buf, "abcd"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(buf, "abc") == 0);
    CHECK_EQ(StringCbCopyA(buf, 2, "xyz"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(buf, "x") == 0);
    CHECK_EQ(StringCchCopyA(buf, 0, "a"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchCopyA(buf, (size_t)STRSAFE_MAX_CCH + 1, "a"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchCopyNA(buf, sizeof buf, "abcdef", 2), S_OK);
    CHECK(strcmp(buf, "ab") == 0);
    CHECK_EQ(StringCchCopyNA(buf, sizeof buf, "abcdef", 5), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(buf, "abc") == 0);
    CHECK_EQ(StringCchCopy(buf, _countof(buf), "q"), S_OK); /* the generic name is the A form */
}

TEST(x_strsafe_cat_truncates_and_checks_the_destination)
{
    char buf[8] = "abc";

    CHECK_EQ(StringCchCatA(buf, sizeof buf, "de"), S_OK);
    CHECK(strcmp(buf, "abcde") == 0);
    CHECK_EQ(StringCchCatA(buf, sizeof buf, "fghij"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(buf, "abcdefg") == 0);
    CHECK_EQ(StringCchCatA(buf, sizeof buf, ""), S_OK); /* full, nothing to add */
    CHECK_EQ(StringCbCatNA(buf, sizeof buf, "zz", 0), S_OK);
    /* A destination not terminated within its size is refused. */
    memset(buf, 'x', sizeof buf);
    CHECK_EQ(StringCchCatA(buf, sizeof buf, "a"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchCatA(buf, 0, "a"), STRSAFE_E_INVALID_PARAMETER);
}

TEST(x_strsafe_printf_truncates_and_terminates)
{
    char buf[6];

    CHECK_EQ(StringCchPrintfA(buf, sizeof buf, "%d-%s", 12, "ab"), S_OK);
    CHECK(strcmp(buf, "12-ab") == 0); /* exactly fills: 5 characters and the terminator */
    CHECK_EQ(StringCchPrintfA(buf, sizeof buf, "%d", 1234567), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(buf, "12345") == 0);
    CHECK_EQ(StringCbPrintfA(buf, 3, "%s", "xyz"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK(strcmp(buf, "xy") == 0);
    CHECK_EQ(StringCchPrintfA(buf, 0, "%s", "x"), STRSAFE_E_INVALID_PARAMETER);
}

TEST(x_strsafe_length_within_bound)
{
    size_t len = 99;

    CHECK_EQ(StringCchLengthA("hello", 6, &len), S_OK);
    CHECK_EQ(len, 5);
    CHECK_EQ(StringCbLengthA("hello", 100, &len), S_OK);
    CHECK_EQ(len, 5);
    /* Not terminated within cchMax: invalid, and the length is set to 0. */
    len = 99;
    CHECK_EQ(StringCchLengthA("hello", 5, &len), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(len, 0);
    CHECK_EQ(StringCchLengthA(NULL, 5, &len), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchLengthA("", 1, NULL), S_OK);
}

TEST(x_snprintf_truncates_without_terminator)
{
    char buf[8];

    memset(buf, 'X', sizeof buf);
    CHECK_EQ(_snprintf(buf, 4, "%s", "abcdef"), -1);
    CHECK(memcmp(buf, "abcdXXXX", 8) == 0); /* 4 characters, no terminator */
    memset(buf, 'X', sizeof buf);
    CHECK_EQ(_snprintf(buf, 3, "%s", "abc"), 3); /* exactly count: no terminator either */
    CHECK(memcmp(buf, "abcXXXXX", 8) == 0);
    CHECK_EQ(_snprintf(buf, sizeof buf, "%d", 42), 2);
    CHECK(strcmp(buf, "42") == 0);
    CHECK_EQ(_scprintf("%d-%d", 100, 2), 5);
}

TEST(x_sprintf_s_fits_or_empties)
{
    char buf[8]; /* 4 declared: an implementation that overruns stays within the array */

    CHECK_EQ(sprintf_s(buf, 4, "%d", 123), 3);
    CHECK(strcmp(buf, "123") == 0);
    handler_returns();
    CHECK_EQ(sprintf_s(buf, 4, "%d", 1234), -1);
    CHECK_EQ(buf[0], '\0');
}

TEST(x_strcpy_s_strcat_s_errors)
{
    char buf[4];

    CHECK_EQ(strcpy_s(buf, sizeof buf, "abc"), 0);
    CHECK(strcmp(buf, "abc") == 0);
    handler_returns();
    CHECK_EQ(strcpy_s(buf, sizeof buf, "abcd"), ERANGE);
    CHECK_EQ(buf[0], '\0');
    CHECK_EQ(strcpy_s(NULL, 4, "a"), EINVAL);
    CHECK_EQ(strcpy_s(buf, sizeof buf, "ab"), 0);
    CHECK_EQ(strcat_s(buf, sizeof buf, "c"), 0);
    CHECK(strcmp(buf, "abc") == 0);
    CHECK_EQ(strcat_s(buf, sizeof buf, "d"), ERANGE);
    CHECK_EQ(buf[0], '\0');
    CHECK_EQ(strcpy_s(buf, sizeof buf, "a"), 0);
    CHECK_EQ(strcat_s(buf, sizeof buf, NULL), EINVAL);
    CHECK_EQ(buf[0], '\0');
}

TEST(x_strncpy_s_truncate_and_count)
{
    char buf[4];

    CHECK_EQ(strncpy_s(buf, sizeof buf, "abcdef", _TRUNCATE), STRUNCATE);
    CHECK(strcmp(buf, "abc") == 0);
    CHECK_EQ(strncpy_s(buf, sizeof buf, "ab", _TRUNCATE), 0);
    CHECK(strcmp(buf, "ab") == 0);
    CHECK_EQ(strncpy_s(buf, sizeof buf, "abcdef", 2), 0);
    CHECK(strcmp(buf, "ab") == 0);
    CHECK_EQ(strncpy_s(buf, sizeof buf, "abcdef", 0), 0);
    CHECK_EQ(buf[0], '\0');
    handler_returns();
    CHECK_EQ(strncpy_s(buf, sizeof buf, "abcdef", 4), ERANGE);
    CHECK_EQ(buf[0], '\0');
    CHECK_EQ(strcpy_s(buf, sizeof buf, "ab"), 0);
    CHECK_EQ(strncat_s(buf, sizeof buf, "cdef", _TRUNCATE), STRUNCATE);
    CHECK(strcmp(buf, "abc") == 0);
}

TEST(x_gmtime_s_localtime_s_microsoft_order)
{
    struct tm tm;
    time_t t = (time_t)(365 * 86400 + 31 * 86400 + 3600 + 62); /* 1971-02-01 01:01:02 UTC */
    time_t back;

    CHECK_EQ(gmtime_s(&tm, &t), 0);
    CHECK_EQ(tm.tm_year, 71);
    CHECK_EQ(tm.tm_mon, 1);
    CHECK_EQ(tm.tm_mday, 1);
    CHECK_EQ(tm.tm_hour, 1);
    CHECK_EQ(tm.tm_min, 1);
    CHECK_EQ(tm.tm_sec, 2);
    CHECK_EQ(localtime_s(&tm, &t), 0);
    back = mktime(&tm);
    CHECK_EQ((long long)back, (long long)t);
    handler_returns();
    CHECK_EQ(gmtime_s(NULL, &t), EINVAL);
    CHECK_EQ(localtime_s(&tm, NULL), EINVAL);
    CHECK_EQ(tm.tm_year, -1);
}

TEST(x_fopen_s_result_and_errno)
{
    FILE *f = (FILE *)&f;
    char name[64];

    /* The name is the process's own: the .epoll twin of this case may run alongside. */
    sprintf(name, "x_crt_fopen_s_%lu.tmp", (unsigned long)GetCurrentProcessId());

    CHECK_EQ(fopen_s(&f, "no-such-dir/none", "r"), ENOENT);
    CHECK(f == NULL);
    CHECK_EQ(fopen_s(&f, name, "w"), 0);
    CHECK(f != NULL);
    CHECK_EQ(fputs("x", f) >= 0, 1);
    CHECK_EQ(fclose(f), 0);
    CHECK_EQ(remove(name), 0);
}

TEST(x_string_underscore_functions)
{
    char buf[72];
    char mixed[] = "MiXeD1";
    char *dup;

    CHECK_EQ(_stricmp("Hello", "hELLO"), 0);
    CHECK(_stricmp("abc", "ABD") < 0);
    CHECK(_stricmp("b", "A") > 0);
    CHECK_EQ(_strnicmp("abcX", "ABCy", 3), 0);
    dup = _strdup("copy");
    CHECK(dup != NULL && strcmp(dup, "copy") == 0);
    free(dup);
    CHECK(strcmp(_strlwr(mixed), "mixed1") == 0);
    CHECK(strcmp(_strupr(mixed), "MIXED1") == 0);
    CHECK(strcmp(_itoa(-255, buf, 10), "-255") == 0);
    CHECK(strcmp(_itoa(-255, buf, 16), "ffffff01") == 0); /* 32-bit two's complement */
    CHECK(strcmp(_itoa(5, buf, 2), "101") == 0);
    CHECK(strcmp(_ltoa(-1, buf, 16), "ffffffff") == 0); /* long is 32-bit on Windows */
    CHECK(strcmp(_ultoa(4000000000u, buf, 10), "4000000000") == 0);
    CHECK(strcmp(_i64toa(-9000000000LL, buf, 10), "-9000000000") == 0);
    CHECK(strcmp(_ui64toa(0xFFFFFFFFFFFFFFFFull, buf, 36), "3w5e11264sgsf") == 0);
    CHECK_EQ(_itoa_s(12345, buf, 6, 10), 0);
    CHECK(strcmp(buf, "12345") == 0);
    handler_returns();
    CHECK_EQ(_itoa_s(123456, buf, 6, 10), ERANGE);
    CHECK_EQ(buf[0], '\0');
}

TEST(x_tchar_narrow_mappings)
{
    _TCHAR buf[16];
    TCHAR name[] = TEXT("ab");

    CHECK_EQ(_tcslen(_T("abc")), 3);
    CHECK_EQ(_stprintf(buf, _T("%s-%d"), name, 7), 4);
    CHECK_EQ(_tcscmp(buf, _T("ab-7")), 0);
    CHECK_EQ(_tcsicmp(buf, _T("AB-7")), 0);
    CHECK_EQ(_tcscpy_s(buf, _countof(buf), _T("x")), 0);
    CHECK_EQ(_ttoi(_T("42")), 42);
    CHECK(_tcschr(_T("abc"), _T('b')) != NULL);
}
