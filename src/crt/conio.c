/*
 * conio.c - _kbhit/_getch/_getche on standard input. On a terminal, each call switches it
 * to non-canonical input without echo for its duration (and restores it), so a key is
 * seen when typed, as in Windows' console; otherwise the descriptor is read as it is.
 * stdio's buffer of stdin is not used (Windows' _getch bypasses it too).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include <conio.h>

/* Puts the terminal on fd 0 in key-at-a-time mode; 1 if *saved must be restored. */
static int raw_on(struct termios *saved)
{
    struct termios raw;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, saved) != 0)
        return 0;
    raw = *saved;
    raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    return tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
}

static void raw_off(int on, const struct termios *saved)
{
    if (on)
        tcsetattr(STDIN_FILENO, TCSANOW, saved);
}

WSAIO_EXPORT int _kbhit(void)
{
    struct termios saved;
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    int on = raw_on(&saved);
    int rc;

    do
        rc = poll(&p, 1, 0);
    while (rc < 0 && errno == EINTR);
    raw_off(on, &saved);
    return rc > 0 && (p.revents & (POLLIN | POLLHUP)) != 0;
}

static int get_key(int echo)
{
    struct termios saved;
    unsigned char c;
    int on = raw_on(&saved);
    ssize_t n;

    do
        n = read(STDIN_FILENO, &c, 1);
    while (n < 0 && errno == EINTR);
    raw_off(on, &saved);
    if (n != 1)
        return EOF;
    if (echo) {
        putchar(c);
        fflush(stdout);
    }
    return c;
}

WSAIO_EXPORT int _getch(void)
{
    return get_key(0);
}

WSAIO_EXPORT int _getche(void)
{
    return get_key(1);
}
