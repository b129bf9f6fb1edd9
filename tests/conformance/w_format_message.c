/*
 * w_format_message.c - conformance section W (kernel32): FormatMessage.
 *
 * What Windows does (Microsoft's FormatMessage page, and the system message table's
 * English texts): FROM_SYSTEM gives the text of a Win32 or Winsock code, ending in a line
 * break; the low byte FORMAT_MESSAGE_MAX_WIDTH_MASK makes line breaks in the text spaces;
 * ALLOCATE_BUFFER returns a LocalAlloc'd buffer; an unknown code fails with
 * ERROR_MR_MID_NOT_FOUND, a too small buffer with ERROR_INSUFFICIENT_BUFFER. FROM_STRING
 * expands %1..%99 (with !format!), %n, %%, %0. Covers items W.343 and W.344.
 */
#include <stdarg.h>

#include "harness.h"

#define SYS (FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS)

static void check_text(DWORD code, const char *expected)
{
    char buf[512];
    DWORD n = FormatMessageA(SYS, NULL, code, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), buf,
                             sizeof(buf), NULL);

    if (n == 0 || strcmp(buf, expected) != 0)
        harness_fail(__FILE__, __LINE__, "code %lu: got %lu \"%s\", expected \"%s\"",
                     (unsigned long)code, (unsigned long)n, n ? buf : "", expected);
    CHECK_EQ(n, (DWORD)strlen(expected));
}

TEST(w343_system_texts_of_winsock_and_win32_codes)
{
    check_text(WSAECONNRESET, "An existing connection was forcibly closed by the remote host.\r\n");
    check_text(WSAECONNREFUSED,
               "No connection could be made because the target machine actively refused it.\r\n");
    check_text(WSAEWOULDBLOCK,
               "A non-blocking socket operation could not be completed immediately.\r\n");
    check_text(WSAEADDRINUSE, "Only one usage of each socket address (protocol/network "
                              "address/port) is normally permitted.\r\n");
    check_text(WSANOTINITIALISED,
               "Either the application has not called WSAStartup, or WSAStartup failed.\r\n");
    check_text(WSAHOST_NOT_FOUND, "No such host is known.\r\n");
    check_text(ERROR_INVALID_PARAMETER, "The parameter is incorrect.\r\n");
    check_text(ERROR_IO_PENDING, "Overlapped I/O operation is in progress.\r\n");
    check_text(ERROR_SUCCESS, "The operation completed successfully.\r\n");
}

TEST(w343_max_width_mask_turns_the_line_break_into_a_space)
{
    char plain[256], wide[256];
    DWORD n = FormatMessageA(SYS, NULL, WSAECONNRESET, 0, plain, sizeof(plain), NULL);
    DWORD m = FormatMessageA(SYS | FORMAT_MESSAGE_MAX_WIDTH_MASK, NULL, WSAECONNRESET, 0, wide,
                             sizeof(wide), NULL);

    CHECK(n > 2);
    CHECK(plain[n - 2] == '\r' && plain[n - 1] == '\n'); /* the table's line break */
    CHECK_EQ(m, n - 1);
    CHECK(wide[m - 1] == ' ');
    CHECK(strncmp(plain, wide, m - 1) == 0);
}

TEST(w343_allocate_buffer_is_freed_with_localfree)
{
    LPSTR text = NULL;
    DWORD n = FormatMessageA(SYS | FORMAT_MESSAGE_ALLOCATE_BUFFER, NULL, WSAECONNREFUSED, 0,
                             (LPSTR)&text, 0, NULL);

    CHECK(n > 2 && text != NULL);
    CHECK_EQ((DWORD)strlen(text), n);
    CHECK(text[n - 1] == '\n');
    CHECK(LocalFree(text) == NULL);
}

TEST(w343_system_texts_of_timeout_and_abort)
{
    check_text(WSAETIMEDOUT, "A connection attempt failed because the connected party did not "
                             "properly respond after a period of time, or established connection "
                             "failed because connected host has failed to respond.\r\n");
    check_text(WSAECONNABORTED,
               "An established connection was aborted by the software in your host machine.\r\n");
}

TEST(w343_errors_unknown_code_and_small_buffer)
{
    char buf[8];

    SetLastError(0);
    CHECK_EQ(FormatMessageA(SYS, NULL, 0x0FFFFFFF, 0, buf, sizeof(buf), NULL), 0u);
    CHECK_EQ(GetLastError(), ERROR_MR_MID_NOT_FOUND);
    SetLastError(0);
    CHECK_EQ(FormatMessageA(SYS, NULL, WSAECONNRESET, 0, buf, sizeof(buf), NULL), 0u);
    CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
}

static DWORD format_va(char *buf, DWORD size, const char *fmt, ...)
{
    va_list ap;
    DWORD n;

    va_start(ap, fmt);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING, fmt, 0, 0, buf, size, &ap);
    va_end(ap);
    return n;
}

TEST(w344_from_string_inserts_and_escapes)
{
    char buf[256];
    DWORD_PTR args[3] = {(DWORD_PTR) "world", 42, 255};
    DWORD n;

    n = format_va(buf, sizeof(buf), "Hello %1, code %2!d! (%3!04x!)%%%n", "there", 7, 10);
    CHECK_EQ(strcmp(buf, "Hello there, code 7 (000a)%\r\n"), 0);
    CHECK_EQ(n, (DWORD)strlen(buf));
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY, "%2!u! %1 %3!X!",
                       0, 0, buf, sizeof(buf), (va_list *)args);
    CHECK_EQ(strcmp(buf, "42 world FF"), 0);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_IGNORE_INSERTS,
                       "keep %1 and %2!d!%0 not this", 0, 0, buf, sizeof(buf), NULL);
    CHECK_EQ(strcmp(buf, "keep %1 and %2!d!"), 0);
    CHECK_EQ(n, (DWORD)strlen(buf));
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                       "%1!5s!|%2!-5d!|%3!#x!|%2!c!|%%|%.|%t", 0, 0, buf, sizeof(buf),
                       (va_list *)args);
    CHECK_EQ(strcmp(buf, "world|42   |0xff|*|%|.|\t"), 0);
    SetLastError(0);
    CHECK_EQ(
        FormatMessageA(FORMAT_MESSAGE_FROM_STRING, "ends with %", 0, 0, buf, sizeof(buf), NULL),
        0u);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

TEST(w344_wide_form_matches_the_narrow_one)
{
    char narrow[256];
    WCHAR wide[256], tmpl[] = {'<', '%', '1', '>', '%', '2', '!', 'd', '!', 0},
                     arg[] = {'h', 'i', 0};
    DWORD_PTR args[2];
    DWORD n = FormatMessageA(SYS, NULL, WSAECONNRESET, 0, narrow, sizeof(narrow), NULL);
    DWORD w = FormatMessageW(SYS, NULL, WSAECONNRESET, 0, wide, 256, NULL);
    DWORD i;

    CHECK(n > 0);
    CHECK_EQ(w, n);
    for (i = 0; i < n; i++)
        CHECK_EQ(wide[i], (WCHAR)(unsigned char)narrow[i]);
    CHECK_EQ(wide[n], 0);
    args[0] = (DWORD_PTR)arg;
    args[1] = 5;
    w = FormatMessageW(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY, tmpl, 0, 0, wide,
                       256, (va_list *)args);
    CHECK_EQ(w, 5u);
    CHECK(wide[0] == '<' && wide[1] == 'h' && wide[2] == 'i' && wide[3] == '>' && wide[4] == '5');
}

TEST(w344_line_width_breaks_at_spaces)
{
    char buf[128];
    DWORD n;

    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | 8, "aaa bbb ccc ddd eeeeeeeeeeee f", 0, 0, buf,
                       sizeof(buf), NULL);
    CHECK_EQ(strcmp(buf, "aaa bbb\r\nccc ddd\r\neeeeeeee\r\neeee f"), 0);
    CHECK_EQ(n, (DWORD)strlen(buf));
    /* The whole-line mask: text line breaks become spaces, %n stays a line break. */
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_MAX_WIDTH_MASK,
                       "line1\nline2%nline3\r\n", 0, 0, buf, sizeof(buf), NULL);
    CHECK_EQ(strcmp(buf, "line1 line2\r\nline3 "), 0);
    n = FormatMessageA(FORMAT_MESSAGE_FROM_STRING, "line1\nline2%nline3\r\n", 0, 0, buf,
                       sizeof(buf), NULL);
    CHECK_EQ(strcmp(buf, "line1\r\nline2\r\nline3\r\n"), 0);
    CHECK_EQ(n, 21u);
}
