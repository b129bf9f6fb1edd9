/*
 * console_ctrl.c - console control handlers from signals (SetConsoleCtrlHandler): the
 * chain runs on a thread of its own (as a CreateThread thread would), most recent handler
 * first, TRUE stops it; a chain that returns FALSE throughout ends the process by the
 * signal; CTRL_CLOSE_EVENT (SIGTERM) ends it even after TRUE; (NULL, TRUE) ignores Ctrl-C,
 * inherited by child processes; GenerateConsoleCtrlEvent reaches the process group.
 *
 * The cases that end a process run in a child made with fork() before this process sets
 * up any handler, and the parent checks how the child ended.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

static HANDLE ran;             /* set by the handler that returns TRUE */
static volatile DWORD ran_tid; /* the thread it ran on */
static volatile LONG first_calls;
static int report_fd = -1; /* children: a byte per handler call */

static BOOL WINAPI returns_false(DWORD type)
{
    char c = (char)('0' + type);

    InterlockedIncrement(&first_calls);
    if (report_fd >= 0 && write(report_fd, &c, 1) != 1)
        abort();
    return FALSE;
}

static BOOL WINAPI returns_true(DWORD type)
{
    (void)type;
    ran_tid = GetCurrentThreadId();
    SetEvent(ran);
    return TRUE;
}

/* Runs body in a child; returns how it ended and what its handlers reported. */
static int in_child(void (*body)(void), char *reported, size_t size)
{
    int fds[2], status = 0;
    pid_t pid;
    ssize_t n;

    CHECK(pipe(fds) == 0);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        report_fd = fds[1];
        body();
        _exit(0);
    }
    close(fds[1]);
    n = read(fds[0], reported, size - 1);
    reported[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    CHECK(waitpid(pid, &status, 0) == pid);
    return status;
}

/* Only handlers that return FALSE: the default handler ends the process by SIGINT. */
static void chain_of_false(void)
{
    CHECK(SetConsoleCtrlHandler(returns_false, TRUE));
    raise(SIGINT);
    for (;;)
        pause();
}

/* TRUE for CTRL_CLOSE_EVENT: the process still ends, after the handler. */
static void close_event(void)
{
    CHECK(SetConsoleCtrlHandler(returns_false, TRUE));
    raise(SIGTERM);
    for (;;)
        pause();
}

/* Ctrl-C sent to the process group by GenerateConsoleCtrlEvent. */
static void generated_ctrl_c(void)
{
    CHECK(setpgid(0, 0) == 0);
    CHECK(SetConsoleCtrlHandler(returns_false, TRUE));
    CHECK(GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
    for (;;)
        pause();
}

TEST(console_ctrl)
{
    char rep[16];
    int st;
    struct sigaction sa;

    st = in_child(chain_of_false, rep, sizeof(rep));
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
    CHECK_EQ(strcmp(rep, "0"), 0); /* the handler saw CTRL_C_EVENT first */

    st = in_child(close_event, rep, sizeof(rep));
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    CHECK_EQ(strcmp(rep, "2"), 0); /* CTRL_CLOSE_EVENT */

    st = in_child(generated_ctrl_c, rep, sizeof(rep));
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
    CHECK_EQ(strcmp(rep, "0"), 0);

    /* The chain: most recent first, TRUE stops it, on a thread of its own. */
    CHECK((ran = CreateEventA(NULL, FALSE, FALSE, NULL)) != NULL);
    CHECK(SetConsoleCtrlHandler(returns_false, TRUE));
    CHECK(SetConsoleCtrlHandler(returns_true, TRUE));
    raise(SIGINT);
    CHECK_EQ(WaitForSingleObject(ran, 10000), WAIT_OBJECT_0);
    CHECK(ran_tid != 0 && ran_tid != GetCurrentThreadId());
    CHECK_EQ(first_calls, 0);

    /* Removing: a handler that is not installed is an invalid parameter. */
    CHECK(SetConsoleCtrlHandler(returns_true, FALSE));
    SetLastError(0);
    CHECK(!SetConsoleCtrlHandler(returns_true, FALSE));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(SetConsoleCtrlHandler(returns_true, TRUE));

    /* (NULL, TRUE): Ctrl-C ignored, by this process and by the children it starts. */
    CHECK(SetConsoleCtrlHandler(NULL, TRUE));
    CHECK(sigaction(SIGINT, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN);
    {
        FILE *p = popen("kill -INT $$; echo alive", "r");
        char line[16] = "";

        CHECK(p != NULL);
        CHECK(fgets(line, sizeof(line), p) != NULL);
        CHECK_EQ(strcmp(line, "alive\n"), 0);
        CHECK_EQ(pclose(p), 0);
    }
    raise(SIGINT); /* ignored: nothing runs, the process goes on */
    CHECK(SetConsoleCtrlHandler(NULL, FALSE));
    CHECK(sigaction(SIGINT, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN);
    raise(SIGINT); /* handled again */
    CHECK_EQ(WaitForSingleObject(ran, 10000), WAIT_OBJECT_0);

    SetLastError(0);
    CHECK(!GenerateConsoleCtrlEvent(CTRL_CLOSE_EVENT, 0));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(ran);
    printf("console_ctrl: ok\n");
}
