/*
 * startup.c - WSAStartup and WSACleanup: version negotiation, the reference count, and
 * the shutdown of every socket when the count returns to zero (api.md 4.1).
 */
#include <pthread.h>
#include <string.h>

#include <wsaio.h>

#include "api/startup.h"
#include "base/lockorder.h"
#include "api/fork.h"
#include "base/error.h"
#include "base/pool.h"
#include "core/close.h"
#include "core/socket.h"
#include "base/userptr.h"

_Atomic int wsaio_startup_count;
static pthread_mutex_t startup_lock = PTHREAD_MUTEX_INITIALIZER;

/* Versions 1.0, 1.1, 2.0, 2.1 and 2.2 are granted as asked; 1.x above 1.1 as 1.1; anything
 * above 2.2 as 2.2. Returns 0 for an unsupported request (major 0). */
static WORD negotiate(WORD requested)
{
    BYTE major = LOBYTE(requested), minor = HIBYTE(requested);

    if (major == 0)
        return 0;
    if (major == 1)
        return MAKEWORD(1, minor > 1 ? 1 : minor);
    if (major == 2 && minor <= 2)
        return requested;
    return MAKEWORD(2, 2);
}

WSAIO_EXPORT int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)
{
    WORD version = negotiate(wVersionRequested);

    if (!version)
        return WSAVERNOTSUPPORTED;
    if (wsaio_bad_ptr(lpWSAData))
        return WSAEFAULT;
    memset(lpWSAData, 0, sizeof(*lpWSAData));
    lpWSAData->wVersion = version;
    lpWSAData->wHighVersion = MAKEWORD(2, 2);
    if (LOBYTE(version) == 1) {
        lpWSAData->iMaxSockets = 32767;
        lpWSAData->iMaxUdpDg = 65467;
    }
    strcpy(lpWSAData->szDescription, "WinSock 2.0 (wsaio "
                                     "0.1.0"
                                     ")");
    strcpy(lpWSAData->szSystemStatus, "Running");
    wsaio_fork_watch();
    wsaio_lock(&startup_lock, WSAIO_RANK_STARTUP);
    atomic_fetch_add_explicit(&wsaio_startup_count, 1, memory_order_release);
    wsaio_unlock(&startup_lock, WSAIO_RANK_STARTUP);
    return 0;
}

void wsaio_startup_fork_child(void)
{
    pthread_mutex_init(&startup_lock, NULL); /* a parent thread may have held it at fork */
}

WSAIO_EXPORT int WSAAPI WSACleanup(void)
{
    wsaio_lock(&startup_lock, WSAIO_RANK_STARTUP);
    if (atomic_load(&wsaio_startup_count) == 0) {
        wsaio_unlock(&startup_lock, WSAIO_RANK_STARTUP);
        return wsaio_fail(WSANOTINITIALISED);
    }
    if (atomic_fetch_sub(&wsaio_startup_count, 1) == 1) {
        /* The last user: every socket goes, abortively (api.md 4.1), and the memory of
         * their records with them. */
        wsaio_close_all();
        wsaio_pool_trim_all(0, true);
    }
    wsaio_unlock(&startup_lock, WSAIO_RANK_STARTUP);
    return 0;
}

WSAIO_EXPORT const char *wsaio_version(void)
{
    return "0.1.0";
}

struct wsaio_socket *wsaio_socket_enter(SOCKET s)
{
    struct wsaio_socket *sk;

    if (!wsaio_initialised()) {
        wsaio_set_error(WSANOTINITIALISED);
        return NULL;
    }
    sk = wsaio_socket_ref(s);
    if (!sk)
        wsaio_set_error(WSAENOTSOCK);
    return sk;
}
