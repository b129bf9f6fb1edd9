/*
 * j_select_default_setsize.c - the default FD_SETSIZE of Windows' fd_set.
 *
 * What Windows does: winsock2.h defines FD_SETSIZE as 64 unless the program defined it
 * first, and fd_set is a count followed by an array of FD_SETSIZE SOCKETs; FD_SET adds
 * nothing once the array is full. This file must not define FD_SETSIZE: the rest of select
 * and WSAPoll (with a program-defined FD_SETSIZE of 128) is in j_select_poll.c. No
 * conformance.md item covers it yet, hence the name j_select_....
 */
#include "harness.h"

TEST(j_select_fd_setsize_default_64)
{
    fd_set set;
    unsigned i;

    CHECK_EQ(FD_SETSIZE, 64);
    CHECK_EQ(sizeof(set.fd_array) / sizeof(set.fd_array[0]), 64);
    CHECK_EQ((char *)&set.fd_array[0] - (char *)&set, sizeof(SOCKET)); /* count, then array */
    FD_ZERO(&set);
    for (i = 1; i <= 100; i++)
        FD_SET((SOCKET)(i * 4), &set);
    CHECK_EQ(set.fd_count, 64);
    CHECK(set.fd_array[63] == (SOCKET)(64 * 4));
}
