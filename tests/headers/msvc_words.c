/*
 * msvc_words.c - the Microsoft compiler's words and <windows.h>'s macros keep their meaning
 * (issue 12): __try/__except/__finally/__leave on the normal path, __declspec(thread) and
 * align(n), __forceinline, __int64, _countof, min/max, UNREFERENCED_PARAMETER, and the C
 * library functions <windows.h> brings without their headers. compile_matrix.sh builds it
 * with gcc, clang, g++ and clang++ and runs it: it prints "ok" or the first failed check.
 * Only header macros are used, so it needs no library.
 */
#include <Windows.h>

#define WORDS_CHECK(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("FAIL line %d: %s\n", __LINE__, #cond);                                         \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

static __declspec(thread) int per_thread = 5;
static __declspec(align(64)) char aligned[3];
static unsigned __int64 wide = 0xFFFFFFFFFFFFFFFFull;

static __forceinline int __cdecl twice(int x)
{
    return 2 * x;
}

static int __stdcall unused_arg(int used, int unused)
{
    UNREFERENCED_PARAMETER(unused);
    return used;
}

/* Returns the trace of the blocks that ran, one decimal digit per block in order. */
static int seh_trace(int leave_early)
{
    int trace = 0;
    __try {
        trace = trace * 10 + 1;
        if (leave_early)
            __leave;
        trace = trace * 10 + 2;
    } __finally {
        trace = trace * 10 + 3;
    }
    __try {
        trace = trace * 10 + 4;
    } __except (GetExceptionCode() == 0 ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH) {
        trace = trace * 10 + 9; /* no exception: never runs */
    }
    return trace;
}

/* break inside a __try keeps its meaning: it leaves the enclosing loop. */
static int seh_break(void)
{
    int i;
    for (i = 0; i < 10; i++) {
        __try {
            if (i == 3)
                break;
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            return -1;
        }
    }
    return i;
}

int main(void)
{
    int arr[17];
    char buf[32];

    WORDS_CHECK(seh_trace(0) == 1234);
    WORDS_CHECK(seh_trace(1) == 134);
    WORDS_CHECK(seh_break() == 3);
    WORDS_CHECK(per_thread == 5);
    WORDS_CHECK(((uintptr_t)aligned & 63) == 0);
    WORDS_CHECK(sizeof(wide) == 8 && wide == 0xFFFFFFFFFFFFFFFFull);
    WORDS_CHECK(sizeof(__int32) == 4 && sizeof(__int16) == 2 && sizeof(__int8) == 1);
    WORDS_CHECK(twice(21) == 42);
    WORDS_CHECK(unused_arg(7, 8) == 7);
    WORDS_CHECK(_countof(arr) == 17);
    WORDS_CHECK(min(3, 4) == 3 && max(3, 4) == 4);
    /* From <windows.h> alone: stdio, stdlib, string, ctype, wchar. */
    snprintf(buf, sizeof buf, "%d", atoi("12") + (int)strlen("abc") + toupper('a') - 'A');
    WORDS_CHECK(strcmp(buf, "15") == 0);
    WORDS_CHECK(wcslen(L"four") == 4);
    printf("ok\n");
    return 0;
}
