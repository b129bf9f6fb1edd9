/*
 * crt_conio.c - <conio.h>'s _kbhit/_getch on a terminal (a pseudo-terminal made standard
 * input) and without one (a pipe): a key is seen without Enter, the terminal's settings
 * are restored after each call, and a pipe's end of input is EOF. Linux-only: under Wine
 * there is no pseudo-terminal to drive.
 */

#include "unit.h"

#include <conio.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Waits (up to 10 s) until _kbhit() reports a key: the byte may take a moment to arrive. */
static int wait_kbhit(void)
{
    for (int i = 0; i < 10000; i++) {
        if (_kbhit())
            return 1;
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    return 0;
}

static void on_terminal(void)
{
    struct termios before, after;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    int slave;

    CHECK(master >= 0);
    CHECK(grantpt(master) == 0 && unlockpt(master) == 0);
    slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    CHECK(slave >= 0);
    CHECK(dup2(slave, STDIN_FILENO) == STDIN_FILENO);
    CHECK(tcgetattr(STDIN_FILENO, &before) == 0);
    CHECK((before.c_lflag & ICANON) != 0); /* a line-buffered terminal, as a shell leaves it */

    CHECK_EQ(_kbhit(), 0);
    CHECK_EQ(write(master, "k", 1), 1); /* no Enter */
    CHECK(wait_kbhit());
    CHECK_EQ(_getch(), 'k');
    CHECK_EQ(_kbhit(), 0);
    CHECK(tcgetattr(STDIN_FILENO, &after) == 0);
    CHECK_EQ(after.c_lflag, before.c_lflag); /* canonical input and echo are back */

    close(slave);
    close(master);
}

static void on_pipe(void)
{
    int p[2];

    CHECK(pipe(p) == 0);
    CHECK(dup2(p[0], STDIN_FILENO) == STDIN_FILENO);
    close(p[0]);
    CHECK_EQ(_kbhit(), 0);
    CHECK_EQ(write(p[1], "pq", 2), 2);
    CHECK(_kbhit() != 0);
    CHECK_EQ(_getch(), 'p');
    CHECK_EQ(_getch(), 'q');
    CHECK_EQ(_kbhit(), 0);
    close(p[1]);
    CHECK(_kbhit() != 0); /* end of input: a read does not block */
    CHECK_EQ(_getch(), EOF);
}

TEST(crt_conio)
{
    int saved = dup(STDIN_FILENO);

    CHECK(saved >= 0);
    on_terminal();
    on_pipe();
    CHECK(dup2(saved, STDIN_FILENO) == STDIN_FILENO);
    printf("crt_conio: ok\n");
}
