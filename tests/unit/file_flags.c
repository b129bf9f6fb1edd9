/*
 * file_flags.c - CreateFileA (fileapi.h) refuses the FILE_FLAG_* it cannot honour with
 * ERROR_NOT_SUPPORTED instead of opening the file without them: FILE_FLAG_DELETE_ON_CLOSE
 * (the file would stay) and FILE_FLAG_OPEN_REPARSE_POINT (the link's target would be
 * opened, not the link). The hints it may ignore still open the file.
 */
#include <stdio.h>

#include "unit.h"

#define DELETE_ON_CLOSE    0x04000000u /* FILE_FLAG_DELETE_ON_CLOSE */
#define OPEN_REPARSE_POINT 0x00200000u /* FILE_FLAG_OPEN_REPARSE_POINT */

TEST(unhonoured_flags_are_refused)
{
    static const DWORD refused[] = {DELETE_ON_CLOSE, OPEN_REPARSE_POINT};
    static const DWORD hints[] = {0, FILE_ATTRIBUTE_NORMAL, FILE_FLAG_SEQUENTIAL_SCAN,
                                  FILE_FLAG_OVERLAPPED};
    char path[64];
    HANDLE f;
    FILE *w;

    snprintf(path, sizeof(path), "file_flags_%d.tmp", (int)getpid());
    CHECK((w = fopen(path, "wb")) != NULL);
    CHECK_EQ(fclose(w), 0);
    for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, refused[i], NULL);
        if (f != INVALID_HANDLE_VALUE)
            CloseHandle(f);
        CHECK(f == INVALID_HANDLE_VALUE);
        CHECK_EQ(GetLastError(), ERROR_NOT_SUPPORTED);
    }
    for (unsigned i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
        f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, hints[i], NULL);
        CHECK(f != INVALID_HANDLE_VALUE);
        CHECK(CloseHandle(f));
    }
    CHECK_EQ(remove(path), 0);
}
