/*
 * ioctl.c - WSAIoctl and ioctlsocket for FIONBIO, FIONREAD and SIOCATMARK, and Windows'
 * handling of codes it does not support (api.md 4.10.1 to 4.10.5, 4.10.11).
 *
 * The address-list and routing codes are in ioctl_net.c, the extension-function pointers
 * (SIO_GET_EXTENSION_FUNCTION_POINTER) in extension.c.
 */
#include <errno.h>
#include <sys/ioctl.h>

#include <string.h>

#include "api/acceptex.h"
#include "api/startup.h"
#include "api/extension.h"
#include "api/io.h"
#include "api/ioctl_net.h"
#include "core/loop.h"
#include "core/nonblock.h"
#include "sync/event.h"

#define LINUX_FIONREAD 0x541B /* <winsock2.h> gives FIONREAD its Windows value */

/* TRUE when no urgent data waits to be read (Windows' meaning, not Linux's). */
static u_long at_mark(struct wsaio_socket *sk)
{
    int inline_oob = 0, atmark;
    socklen_t len = sizeof(inline_oob);
    char c;

    if (sk->type != SOCK_STREAM)
        return TRUE;
    getsockopt(sk->fd, SOL_SOCKET, SO_OOBINLINE, &inline_oob, &len);
    if (!inline_oob) /* an urgent byte can be peeked out of band only if one is there */
        return recv(sk->fd, &c, 1, MSG_OOB | MSG_PEEK | MSG_DONTWAIT) == 1 ? FALSE : TRUE;
    /* Inline: Linux says whether the read pointer is at the mark; before it, the next
     * normal receive returns data that precedes the mark: FALSE. */
    atmark = sockatmark(sk->fd);
    return atmark > 0 ? TRUE : FALSE;
}

static u_long bytes_readable(struct wsaio_socket *sk)
{
    int n = 0;

    /* Listening or unconnected: Linux says EINVAL, Windows 0 (api.md 4.10.4). Datagrams:
     * Linux counts the first one only; the spec accepts that (SHOULD total). */
    if (ioctl(sk->fd, LINUX_FIONREAD, &n) != 0 || n < 0)
        n = 0;
    return (u_long)n;
}

/* Runs a code that finishes at once; 0, or a WSA error with nothing changed (but the byte
 * count, when *report says so). */
static int run_code(struct wsaio_socket *sk, DWORD code, LPVOID in, DWORD inlen, LPVOID out,
                    DWORD outlen, DWORD *written, bool *report)
{
    u_long v;

    switch (code) {
    case SIO_ADDRESS_LIST_QUERY:
        return wsaio_ioctl_address_list(sk, out, outlen, written, report);
    case SIO_ROUTING_INTERFACE_QUERY:
        return wsaio_ioctl_routing_query(sk, in, inlen, out, outlen, written, report);
    case SIO_GET_EXTENSION_FUNCTION_POINTER:
        return wsaio_ioctl_extension(in, inlen, out, outlen, written);
    case FIONBIO: {
        int rc;

        if (wsaio_bad_ptr(in) || inlen < sizeof(u_long))
            return WSAEFAULT;
        memcpy(&v, in, sizeof(v));
        if (!v && wsaio_ne_selected(sk)) /* blocking mode is refused while selected */
            return WSAEINVAL;
        if ((rc = wsaio_nonblock_set(sk, v != 0)) < 0)
            return wsaio_errno_to_wsa(-rc);
        *written = 0;
        return 0;
    }
    case FIONREAD:
    case SIOCATMARK:
        if (wsaio_bad_ptr(out) || outlen < sizeof(u_long))
            return WSAEFAULT;
        v = code == FIONREAD ? bytes_readable(sk) : at_mark(sk);
        memcpy(out, &v, sizeof(v));
        *written = sizeof(v);
        return 0;
    default:
        return -1; /* not supported */
    }
}

WSAIO_EXPORT int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer,
                                 DWORD cbInBuffer, LPVOID lpvOutBuffer, DWORD cbOutBuffer,
                                 LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct wsaio_socket *sk = wsaio_socket_enter(s);
    struct wsaio_op *op;
    DWORD written = 0;
    bool report = false;
    int rc, err;

    if (!sk)
        return SOCKET_ERROR;
    /* lpcbBytesReturned is required even when overlapped (api.md 9 item 18). */
    if (wsaio_bad_ptr(lpcbBytesReturned) || wsaio_bad_opt_ptr(lpOverlapped)) {
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEFAULT);
    }
    if (dwIoControlCode == SIO_ADDRESS_LIST_CHANGE ||
        dwIoControlCode == SIO_ROUTING_INTERFACE_CHANGE) { /* wait for the next change */
        rc = wsaio_ioctl_change(sk, dwIoControlCode, lpvInBuffer, cbInBuffer, lpOverlapped,
                                lpCompletionRoutine, lpcbBytesReturned);
        wsaio_socket_put(sk);
        return rc;
    }
    rc = run_code(sk, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, &written,
                  &report);
    if (rc > 0) {   /* failed validation: no side effect, no indication */
        if (report) /* the size a caller needs (api.md 4.10.7, 4.10.9) */
            *lpcbBytesReturned = written;
        wsaio_socket_put(sk);
        return wsaio_fail((DWORD)rc);
    }
    if (rc < 0 && !lpOverlapped) { /* unsupported code (api.md 4.10.2) */
        *lpcbBytesReturned = 0;
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEOPNOTSUPP);
    }
    if (rc == 0)
        *lpcbBytesReturned = written;
    if (!lpOverlapped) {
        wsaio_socket_put(sk);
        wsaio_set_error(0);
        return 0;
    }
    /* Overlapped: the indication is delivered, with 0 bytes, even for codes that finished
     * at once; an unsupported code pends and then fails with STATUS_NOT_SUPPORTED. */
    op = wsaio_io_op(sk, WSAIO_OP_IOCTL, false, NULL, 0, lpOverlapped, lpCompletionRoutine, &err);
    wsaio_socket_put(sk);
    if (!op)
        return wsaio_fail((DWORD)err);
    if (!op->routine && op->event)
        wsaio_event_clear(op->event);
    wsaio_loop_deliver(op, rc == 0 ? STATUS_SUCCESS : STATUS_NOT_SUPPORTED);
    if (rc < 0)
        return wsaio_fail(WSA_IO_PENDING);
    wsaio_set_error(0);
    return 0;
}

WSAIO_EXPORT int WSAAPI ioctlsocket(SOCKET s, LONG cmd, u_long *argp)
{
    DWORD got;

    if ((DWORD)cmd != FIONBIO && (DWORD)cmd != FIONREAD && (DWORD)cmd != SIOCATMARK) {
        struct wsaio_socket *sk = wsaio_socket_enter(s);

        if (!sk)
            return SOCKET_ERROR;
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEINVAL); /* ioctlsocket documents WSAEINVAL (api.md 4.10.11) */
    }
    if (wsaio_bad_ptr(argp)) {
        struct wsaio_socket *sk = wsaio_socket_enter(s);

        if (!sk)
            return SOCKET_ERROR;
        wsaio_socket_put(sk);
        return wsaio_fail(WSAEFAULT);
    }
    if ((DWORD)cmd == FIONBIO)
        return WSAIoctl(s, (DWORD)cmd, argp, sizeof(*argp), NULL, 0, &got, NULL, NULL);
    return WSAIoctl(s, (DWORD)cmd, NULL, 0, argp, sizeof(*argp), &got, NULL, NULL);
}
