/*
 * transmitpackets.c - TransmitPackets (api.md 4.30): the checks Windows makes at the call,
 * then one operation through the engine, TransmitFile's kind (core/transmit_op.h,
 * WSAIO_TF_PACKETS), in the socket's send queue. The program's element array is read in
 * place as the data goes out, never copied. On a connected datagram socket the elements
 * become datagrams (WSAIO_TF_DGRAM, core/transmit_dgram.c).
 */
#include <mswsock.h>

#include "api/io.h"
#include "api/transmit.h"
#include "base/handle.h"
#include "win32/file.h"

#define PACKETS_FLAGS (TP_DISCONNECT | TP_REUSE_SOCKET | TP_USE_SYSTEM_THREAD | TP_USE_KERNEL_APC)
#define ELEMENT_FLAGS (TP_ELEMENT_MEMORY | TP_ELEMENT_FILE | TP_ELEMENT_EOP)

/* True when h names a live file object (CreateFileA). */
static bool packets_is_file(HANDLE h)
{
    struct wsaio_object *obj = wsaio_handle_ref(h, WSAIO_OBJ_FILE);

    if (obj)
        wsaio_object_put(obj);
    return obj != NULL;
}

/* Checks element e: 0 or the error; adds its length, when known now, to *total. */
static int packets_element_refusal(const TRANSMIT_PACKETS_ELEMENT *e, uint64_t *total)
{
    DWORD kind = e->dwElFlags & (TP_ELEMENT_MEMORY | TP_ELEMENT_FILE);

    if ((e->dwElFlags & ~(DWORD)ELEMENT_FLAGS) ||
        (kind != TP_ELEMENT_MEMORY && kind != TP_ELEMENT_FILE))
        return WSAEINVAL;
    *total += e->cLength;
    if (kind == TP_ELEMENT_MEMORY)
        return e->cLength && wsaio_bad_ptr(e->pBuffer) ? WSAEFAULT : 0;
    if (e->nFileOffset.QuadPart < -1 || !packets_is_file(e->hFile))
        return WSAEINVAL;
    return 0;
}

/* The checks after the socket's: 0 or the error; *total gets the bytes of known length. */
static int packets_refusal(struct wsaio_socket *sk, const TRANSMIT_PACKETS_ELEMENT *el, DWORD count,
                           LPOVERLAPPED ov, DWORD flags, uint64_t *total)
{
    int err;

    if (flags & ~(DWORD)PACKETS_FLAGS)
        return WSAEINVAL;
    if (wsaio_bad_opt_ptr(ov) || (count && wsaio_bad_ptr(el)))
        return WSAEFAULT;
    /* Nothing to send and nothing to end: no operation (api.md 4.30 [Lib]). */
    if (!count && !(flags & (TP_DISCONNECT | TP_REUSE_SOCKET)))
        return WSAEINVAL;
    for (DWORD i = 0; i < count; i++)
        if ((err = packets_element_refusal(&el[i], total)) != 0)
            return err;
    if (*total > WSAIO_TRANSMIT_MAX)
        return WSAEINVAL;
    if ((sk->type != SOCK_STREAM && sk->type != SOCK_DGRAM) || !wsaio_io_has_peer(sk->fd))
        return WSAENOTCONN;
    /* "Only applies to connection-oriented sockets ... results in an error": the one
     * DisconnectEx gives on a datagram socket (api.md 4.26, 4.30 [Lib]). */
    if (sk->type == SOCK_DGRAM && (flags & (TP_DISCONNECT | TP_REUSE_SOCKET)))
        return WSAEOPNOTSUPP;
    return 0;
}

/* Entries of op->iov a datagram socket's operation needs: one per element of a datagram,
 * at most what one sendmsg takes (api.md 5). */
static DWORD packets_dgram_iovs(struct wsaio_socket *sk, DWORD count)
{
    if (sk->type != SOCK_DGRAM)
        return 0;
    return count < WSAIO_MAX_WSABUF ? count : WSAIO_MAX_WSABUF;
}

WSAIO_EXPORT BOOL WINAPI TransmitPackets(SOCKET hSocket, LPTRANSMIT_PACKETS_ELEMENT lpPacketArray,
                                         DWORD nElementCount, DWORD nSendSize,
                                         LPOVERLAPPED lpOverlapped, DWORD dwFlags)
{
    struct wsaio_socket *sk = wsaio_socket_enter(hSocket);
    /* Without an OVERLAPPED the call waits for its own (as TransmitFile's). */
    WSAOVERLAPPED own = {.hEvent = (HANDLE)1};
    struct wsaio_op *op;
    uint64_t total = 0;
    DWORD iovs;
    int err;

    if (!sk)
        return FALSE;
    err = packets_refusal(sk, lpPacketArray, nElementCount, lpOverlapped, dwFlags, &total);
    if (err)
        return wsaio_io_refuse(sk, err), FALSE;
    iovs = packets_dgram_iovs(sk, nElementCount);
    op = wsaio_io_op(sk, WSAIO_OP_TRANSMIT, false, NULL, iovs, lpOverlapped ? lpOverlapped : &own,
                     NULL, &err);
    if (!op)
        return wsaio_io_refuse(sk, err), FALSE;
    if (sk->type == SOCK_DGRAM) {
        wsaio_op_x(op)->tf.flags = WSAIO_TF_DGRAM;
        /* 0: no limit but the datagram's own (api.md 4.30 [Lib]); on a stream the kernel
         * sizes its segments and nSendSize is not used. */
        wsaio_op_x(op)->tf.send_size = nSendSize;
        wsaio_op_x(op)->tf.iov_cap =
            (uint16_t)(iovs > WSAIO_OP_LARGE_IOV ? iovs : WSAIO_OP_LARGE_IOV);
    }
    /* The first element is loaded by the tail stage, as every next one. */
    wsaio_op_x(op)->tf.stage = WSAIO_TF_TAIL;
    wsaio_op_x(op)->tf.flags |= WSAIO_TF_PACKETS;
    wsaio_op_x(op)->tf.el = lpPacketArray;
    wsaio_op_x(op)->tf.count = nElementCount;
    wsaio_op_x(op)->tf.open = wsaio_file_dup;
    op->total = (uint32_t)total; /* whole-file elements add theirs when loaded */
    return wsaio_transmit_issue(sk, op, dwFlags, lpOverlapped, &own);
}
