/*
 * error.c - last-error slot and error translation tables (spec/constants.md 9 and 12).
 */
#include "base/error.h"

#include <errno.h>

__thread DWORD wsaio_last_error __attribute__((tls_model("initial-exec")));

WSAIO_EXPORT int WSAAPI WSAGetLastError(void)
{
    return (int)wsaio_last_error;
}

WSAIO_EXPORT void WSAAPI WSASetLastError(int iError)
{
    wsaio_last_error = (DWORD)iError;
}

WSAIO_EXPORT DWORD WINAPI GetLastError(void)
{
    return wsaio_last_error;
}

WSAIO_EXPORT void WINAPI SetLastError(DWORD dwErrCode)
{
    wsaio_last_error = dwErrCode;
}

int wsaio_errno_to_wsa(int err)
{
    switch (err) {
    case 0:
        return 0;
    case EINTR:
        return WSAEINTR;
    case EBADF:
        return WSAENOTSOCK;
    case ENOTSOCK:
        return WSAENOTSOCK;
    case EACCES:
    case EPERM:
        return WSAEACCES;
    case EFAULT:
        return WSAEFAULT;
    case EINVAL:
        return WSAEINVAL;
    case EMFILE:
    case ENFILE:
        return WSAEMFILE;
    case EAGAIN:
        return WSAEWOULDBLOCK;
    case EINPROGRESS:
        return WSAEWOULDBLOCK; /* non-blocking connect: Windows says WOULDBLOCK */
    case EALREADY:
        return WSAEALREADY;
    case EDESTADDRREQ:
        return WSAEDESTADDRREQ;
    case EMSGSIZE:
        return WSAEMSGSIZE;
    case EPROTOTYPE:
        return WSAEPROTOTYPE;
    case ENOPROTOOPT:
        return WSAENOPROTOOPT;
    case EPROTONOSUPPORT:
        return WSAEPROTONOSUPPORT;
    case ESOCKTNOSUPPORT:
        return WSAESOCKTNOSUPPORT;
    case EOPNOTSUPP:
        return WSAEOPNOTSUPP;
    case EPFNOSUPPORT:
        return WSAEPFNOSUPPORT;
    case EAFNOSUPPORT:
        return WSAEAFNOSUPPORT;
    case EADDRINUSE:
        return WSAEADDRINUSE;
    case EADDRNOTAVAIL:
        return WSAEADDRNOTAVAIL;
    case ENETDOWN:
    case ENODEV:
        return WSAENETDOWN;
    case ENETUNREACH:
        return WSAENETUNREACH;
    case ENETRESET:
        return WSAENETRESET;
    case ECONNABORTED:
        return WSAECONNABORTED;
    case ECONNRESET:
        return WSAECONNRESET;
    case EPIPE:
        return WSAECONNRESET; /* callers that know of a local shutdown say WSAESHUTDOWN */
    case ENOBUFS:
    case ENOMEM:
    case ENOSPC:
        return WSAENOBUFS;
    case EISCONN:
        return WSAEISCONN;
    case ENOTCONN:
        return WSAENOTCONN;
    case ESHUTDOWN:
        return WSAESHUTDOWN;
    case ETOOMANYREFS:
        return WSAETOOMANYREFS;
    case ETIMEDOUT:
        return WSAETIMEDOUT;
    case ECONNREFUSED:
        return WSAECONNREFUSED;
    case ELOOP:
        return WSAELOOP;
    case ENAMETOOLONG:
        return WSAENAMETOOLONG;
    case EHOSTDOWN:
        return WSAEHOSTDOWN;
    case EHOSTUNREACH:
        return WSAEHOSTUNREACH;
    case ENOTEMPTY:
        return WSAENOTEMPTY;
    case EUSERS:
        return WSAEUSERS;
    case EDQUOT:
        return WSAEDQUOT;
    case ESTALE:
        return WSAESTALE;
    case EREMOTE:
        return WSAEREMOTE;
    case ECANCELED:
        return WSA_OPERATION_ABORTED;
    case ENOSYS:
        return WSAEOPNOTSUPP;
    default:
        return WSAEINVAL;
    }
}

/* One row per status of constants.md 9: the WSA and the Win32 code. */
static const struct status_row {
    NTSTATUS status;
    uint32_t wsa;
    uint32_t win32;
} status_map[] = {
    {STATUS_SUCCESS, 0, ERROR_SUCCESS},
    {STATUS_PENDING, WSA_IO_INCOMPLETE, ERROR_IO_INCOMPLETE},
    {STATUS_BUFFER_OVERFLOW, WSAEMSGSIZE, ERROR_MORE_DATA},
    {STATUS_ACCESS_VIOLATION, WSAEFAULT, ERROR_NOACCESS},
    {STATUS_INVALID_HANDLE, WSAENOTSOCK, ERROR_INVALID_HANDLE},
    {STATUS_INVALID_PARAMETER, WSAEINVAL, ERROR_INVALID_PARAMETER},
    {STATUS_NO_MEMORY, WSAENOBUFS, ERROR_NOT_ENOUGH_MEMORY},
    {STATUS_ACCESS_DENIED, WSAEACCES, ERROR_ACCESS_DENIED},
    {STATUS_BUFFER_TOO_SMALL, WSAEFAULT, ERROR_INSUFFICIENT_BUFFER},
    {STATUS_OBJECT_TYPE_MISMATCH, WSAENOTSOCK, ERROR_INVALID_HANDLE},
    {STATUS_SHARING_VIOLATION, WSAEADDRINUSE, 32 /* ERROR_SHARING_VIOLATION */},
    {STATUS_DEVICE_NOT_READY, WSAEWOULDBLOCK, ERROR_NOT_READY},
    {STATUS_PIPE_DISCONNECTED, WSAESHUTDOWN, ERROR_PIPE_NOT_CONNECTED},
    {STATUS_IO_TIMEOUT, WSAETIMEDOUT, ERROR_SEM_TIMEOUT},
    {STATUS_NOT_SUPPORTED, WSAEOPNOTSUPP, ERROR_NOT_SUPPORTED},
    {STATUS_NETWORK_BUSY, WSAENETDOWN, ERROR_NETWORK_BUSY},
    {STATUS_TOO_MANY_OPENED_FILES, WSAEMFILE, ERROR_TOO_MANY_OPEN_FILES},
    {STATUS_CANCELLED, WSA_OPERATION_ABORTED, ERROR_OPERATION_ABORTED},
    {STATUS_LOCAL_DISCONNECT, WSAECONNABORTED, ERROR_NETNAME_DELETED},
    {STATUS_REMOTE_DISCONNECT, WSAECONNRESET, ERROR_NETNAME_DELETED},
    {STATUS_INVALID_CONNECTION, WSAENOTCONN, ERROR_CONNECTION_INVALID},
    {STATUS_INVALID_ADDRESS, WSAEADDRNOTAVAIL, 4299 /* ERROR_INVALID_ADDRESS */},
    {STATUS_ADDRESS_ALREADY_EXISTS, WSAEADDRINUSE, 52 /* ERROR_DUP_NAME */},
    {STATUS_CONNECTION_DISCONNECTED, WSAECONNRESET, ERROR_NETNAME_DELETED},
    {STATUS_CONNECTION_RESET, WSAECONNRESET, ERROR_NETNAME_DELETED},
    {STATUS_CONNECTION_REFUSED, WSAECONNREFUSED, ERROR_CONNECTION_REFUSED},
    {STATUS_GRACEFUL_DISCONNECT, WSAEDISCON, ERROR_GRACEFUL_DISCONNECT},
    {STATUS_NETWORK_UNREACHABLE, WSAENETUNREACH, ERROR_NETWORK_UNREACHABLE},
    {STATUS_HOST_UNREACHABLE, WSAEHOSTUNREACH, ERROR_HOST_UNREACHABLE},
    {STATUS_PORT_UNREACHABLE, WSAECONNRESET, ERROR_PORT_UNREACHABLE},
    {STATUS_CONNECTION_ABORTED, WSAECONNABORTED, ERROR_CONNECTION_ABORTED},
};

/* status's row in status_map, or NULL. */
static const struct status_row *find_status(NTSTATUS status)
{
    for (size_t i = 0; i < sizeof(status_map) / sizeof(status_map[0]); i++)
        if (status_map[i].status == status)
            return &status_map[i];
    return NULL;
}

DWORD wsaio_status_to_wsa(NTSTATUS status)
{
    const struct status_row *row = find_status(status);

    if (row)
        return row->wsa;
    /* Any other failure is WSAEINVAL; other success/warning values pass as they are. */
    return ((uint32_t)status & 0xC0000000u) == 0xC0000000u ? WSAEINVAL : (DWORD)status;
}

DWORD wsaio_status_to_win32(NTSTATUS status)
{
    const struct status_row *row = find_status(status);

    return row ? row->win32 : ERROR_GEN_FAILURE;
}

NTSTATUS wsaio_errno_to_status(int err)
{
    switch (err) {
    case 0:
        return STATUS_SUCCESS;
    case ECANCELED:
        return STATUS_CANCELLED;
    case ECONNRESET:
    case ENETRESET:
        return STATUS_CONNECTION_RESET;
    case EPIPE:
        return STATUS_CONNECTION_RESET;
    case ECONNABORTED:
        return STATUS_CONNECTION_ABORTED;
    case ECONNREFUSED:
        return STATUS_PORT_UNREACHABLE; /* UDP: Windows says WSAECONNRESET */
    case ENOTCONN:
    case EDESTADDRREQ:
        return STATUS_INVALID_CONNECTION; /* WSASend, unconnected datagram */
    case ESHUTDOWN:
        return STATUS_PIPE_DISCONNECTED;
    case ETIMEDOUT:
        return STATUS_IO_TIMEOUT;
    case ENETUNREACH:
        return STATUS_NETWORK_UNREACHABLE;
    case EHOSTUNREACH:
        return STATUS_HOST_UNREACHABLE;
    case EMSGSIZE:
        return STATUS_BUFFER_OVERFLOW;
    case ENOBUFS:
    case ENOMEM:
        return STATUS_NO_MEMORY;
    case EFAULT:
        return STATUS_ACCESS_VIOLATION;
    case EACCES:
    case EPERM:
        return STATUS_ACCESS_DENIED;
    case EOPNOTSUPP:
        return STATUS_NOT_SUPPORTED;
    case EADDRINUSE:
        return STATUS_ADDRESS_ALREADY_EXISTS;
    case EADDRNOTAVAIL:
        return STATUS_INVALID_ADDRESS;
    case ENETDOWN:
        return STATUS_NETWORK_BUSY;
    case EBADF:
    case ENOTSOCK:
        return STATUS_INVALID_HANDLE;
    default:
        return STATUS_INVALID_PARAMETER;
    }
}
