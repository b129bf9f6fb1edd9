/*
 * crt_edges.c - the C runtime additions (wsaio_crt.h, strsafe.h) on the inputs where
 * Microsoft's runtime calls its invalid-parameter handler or crashes, and where wsaio must
 * return the documented error instead (NULL pointers, zero sizes, bad radixes, negative
 * times), plus outputs longer than _vsnprintf's first buffer. The portable behaviour is in
 * tests/conformance/x_crt.c; these inputs cannot run against Windows' runtime.
 */
#include "unit.h"

#include <errno.h>
#include <strsafe.h>
#include <string.h>
#include <time.h>

static void strsafe_null_pointers(void)
{
    char buf[4] = "xyz";
    size_t len = 7;

    CHECK_EQ(StringCchCopyA(NULL, 4, "a"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchCopyA(buf, sizeof buf, NULL), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(buf[0], '\0');
    CHECK_EQ(StringCchCatA(buf, sizeof buf, NULL), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchPrintfA(buf, sizeof buf, NULL), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCbLengthA(NULL, 4, &len), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(len, 0);
    CHECK_EQ(StringCchLengthA("a", (size_t)STRSAFE_MAX_CCH + 1, NULL), STRSAFE_E_INVALID_PARAMETER);
}

static void vsnprintf_long_and_null(void)
{
    char big[600], out[600];

    memset(big, 'a', 299);
    big[299] = '\0';
    memset(out, 'X', sizeof out);
    /* Longer than the function's own 256-byte first try: cut at count, unterminated. */
    CHECK_EQ(_snprintf(out, 280, "%s", big), -1);
    CHECK(out[279] == 'a' && out[280] == 'X');
    CHECK_EQ(_snprintf(out, 299, "%s", big), 299);
    CHECK(out[298] == 'a' && out[299] == 'X');
    CHECK_EQ(_snprintf(out, sizeof out, "%s", big), 299);
    CHECK_EQ(strlen(out), 299);
    CHECK_EQ(_snprintf(NULL, 0, "%s", big), 299); /* the length asked for */
    CHECK_EQ(_snprintf(NULL, 5, "%s", "x"), -1);
    CHECK_EQ(_scprintf("%s", big), 299);
    CHECK_EQ(sprintf_s(NULL, 4, "x"), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(StringCchPrintfA(out, 10, "%s", big), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_EQ(strlen(out), 9);
}

static void memory_and_tokens(void)
{
    char dst[4] = "abc", text[] = "a,b,,c";
    char *ctx = NULL, *tok;

    CHECK_EQ(memcpy_s(dst, 2, "xyz", 3), ERANGE);
    CHECK(dst[0] == 0 && dst[1] == 0 && dst[2] == 'c'); /* the size given is zeroed */
    CHECK_EQ(memcpy_s(dst, 4, NULL, 1), EINVAL);
    CHECK_EQ(memcpy_s(NULL, 4, "x", 0), 0);
    memcpy(dst, "abc", 4);
    CHECK_EQ(memmove_s(dst + 1, 3, dst, 2), 0);
    CHECK(memcmp(dst, "aab", 3) == 0);
    CHECK_EQ(memmove_s(dst, 1, "xy", 2), ERANGE);
    tok = strtok_s(text, ",", &ctx);
    CHECK(tok != NULL && strcmp(tok, "a") == 0);
    tok = strtok_s(NULL, ",", &ctx);
    CHECK(tok != NULL && strcmp(tok, "b") == 0);
    tok = strtok_s(NULL, ",", &ctx);
    CHECK(tok != NULL && strcmp(tok, "c") == 0);
    CHECK(strtok_s(NULL, ",", &ctx) == NULL);
    CHECK(strtok_s(NULL, ",", NULL) == NULL);
    CHECK_EQ(strncat_s(dst, 0, "x", 1), EINVAL);
    memset(dst, 'x', sizeof dst); /* not terminated within its size */
    CHECK_EQ(strcat_s(dst, sizeof dst, "y"), EINVAL);
    CHECK_EQ(dst[0], '\0');
    CHECK_EQ(strncpy_s(NULL, 0, NULL, 0), 0);
    CHECK_EQ(strncpy_s(dst, sizeof dst, NULL, 1), EINVAL);
}

static void conversions_time_files(void)
{
    char buf[8] = "zz";
    struct tm tm;
    time_t neg = -1;
    FILE *f = (FILE *)buf;

    CHECK(_itoa(5, buf, 1) == buf && buf[0] == '\0');
    CHECK(_itoa(5, buf, 37) == buf && buf[0] == '\0');
    CHECK(_itoa(5, NULL, 10) == NULL);
    CHECK_EQ(_itoa_s(5, buf, sizeof buf, 40), EINVAL);
    CHECK_EQ(_itoa_s(5, NULL, 4, 10), EINVAL);
    CHECK(_strdup(NULL) == NULL);
    CHECK(_strlwr(NULL) == NULL);
    CHECK_EQ(localtime_s(&tm, &neg), EINVAL);
    CHECK_EQ(tm.tm_mday, -1);
    CHECK_EQ(gmtime_s(&tm, NULL), EINVAL);
    CHECK_EQ(fopen_s(NULL, "x", "r"), EINVAL);
    CHECK_EQ(fopen_s(&f, NULL, "r"), EINVAL);
    CHECK(f == NULL);
}

TEST(crt_edges)
{
    char min32[24];

    strsafe_null_pointers();
    vsnprintf_long_and_null();
    memory_and_tokens();
    conversions_time_files();
    CHECK(strcmp(_itoa(-2147483647 - 1, min32, 10), "-2147483648") == 0);
    CHECK(strcmp(_i64toa(-9223372036854775807LL - 1, min32, 16), "8000000000000000") == 0);
    printf("crt_edges: ok\n");
}
