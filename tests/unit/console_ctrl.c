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

    UCHECK(pipe(fds) == 0);
    pid = fork();
    UCHECK(pid >= 0);
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
    UCHECK(waitpid(pid, &status, 0) == pid);
    return status;
}

/* Only handlers that return FALSE: the default handler ends the process by SIGINT. */
static void chain_of_false(void)
{
    UCHECK(SetConsoleCtrlHandler(returns_false, TRUE));
    raise(SIGINT);
    for (;;)
        pause();
}

/* TRUE for CTRL_CLOSE_EVENT: the process still ends, after the handler. */
static void close_event(void)
{
    UCHECK(SetConsoleCtrlHandler(returns_false, TRUE));
    raise(SIGTERM);
    for (;;)
        pause();
}

/* Ctrl-C sent to the process group by GenerateConsoleCtrlEvent. */
static void generated_ctrl_c(void)
{
    UCHECK(setpgid(0, 0) == 0);
    UCHECK(SetConsoleCtrlHandler(returns_false, TRUE));
    UCHECK(GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
    for (;;)
        pause();
}

int main(void)
{
    char rep[16];
    int st;
    struct sigaction sa;

    st = in_child(chain_of_false, rep, sizeof(rep));
    UCHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
    UCHECK_EQ(strcmp(rep, "0"), 0); /* the handler saw CTRL_C_EVENT first */

    st = in_child(close_event, rep, sizeof(rep));
    UCHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    UCHECK_EQ(strcmp(rep, "2"), 0); /* CTRL_CLOSE_EVENT */

    st = in_child(generated_ctrl_c, rep, sizeof(rep));
    UCHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
    UCHECK_EQ(strcmp(rep, "0"), 0);

    /* The chain: most recent first, TRUE stops it, on a thread of its own. */
    UCHECK((ran = CreateEventA(NULL, FALSE, FALSE, NULL)) != NULL);
    UCHECK(SetConsoleCtrlHandler(returns_false, TRUE));
    UCHECK(SetConsoleCtrlHandler(returns_true, TRUE));
    raise(SIGINT);
    UCHECK_EQ(WaitForSingleObject(ran, 10000), WAIT_OBJECT_0);
    UCHECK(ran_tid != 0 && ran_tid != GetCurrentThreadId());
    UCHECK_EQ(first_calls, 0);

    /* Removing: a handler that is not installed is an invalid parameter. */
    UCHECK(SetConsoleCtrlHandler(returns_true, FALSE));
    SetLastError(0);
    UCHECK(!SetConsoleCtrlHandler(returns_true, FALSE));
    UCHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    UCHECK(SetConsoleCtrlHandler(returns_true, TRUE));

    /* (NULL, TRUE): Ctrl-C ignored, by this process and by the children it starts. */
    UCHECK(SetConsoleCtrlHandler(NULL, TRUE));
    UCHECK(sigaction(SIGINT, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN);
    {
        FILE *p = popen("kill -INT $$; echo alive", "r");
        char line[16] = "";

        UCHECK(p != NULL);
        UCHECK(fgets(line, sizeof(line), p) != NULL);
        UCHECK_EQ(strcmp(line, "alive\n"), 0);
        UCHECK_EQ(pclose(p), 0);
    }
    raise(SIGINT); /* ignored: nothing runs, the process goes on */
    UCHECK(SetConsoleCtrlHandler(NULL, FALSE));
    UCHECK(sigaction(SIGINT, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN);
    raise(SIGINT); /* handled again */
    UCHECK_EQ(WaitForSingleObject(ran, 10000), WAIT_OBJECT_0);

    SetLastError(0);
    UCHECK(!GenerateConsoleCtrlEvent(CTRL_CLOSE_EVENT, 0));
    UCHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CloseHandle(ran);
    printf("console_ctrl: ok\n");
    return 0;
}
