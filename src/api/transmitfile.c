/*
 * transmitfile.c - TransmitFile (api.md 4.28): the checks Windows makes at the call, then
 * one operation through the engine (core/transmit_op.h: WSAIO_OP_TRANSMIT), which sends
 * the file from the kernel's page cache (sendfile), in the socket's send queue.
 */
#include <errno.h>
#include <sys/stat.h>

#include <mswsock.h>

#include "api/io.h"
#include "api/transmit.h"
#include "win32/file.h"

#define TRANSMIT_FLAGS                                                                             \
    (TF_DISCONNECT | TF_REUSE_SOCKET | TF_WRITE_BEHIND | TF_USE_SYSTEM_THREAD | TF_USE_KERNEL_APC)

/* The checks after the socket's, in Windows' order: 0 or the error. */
static int transmit_refusal(struct wsaio_socket *sk, LPOVERLAPPED ov,
                            const TRANSMIT_FILE_BUFFERS *tb, DWORD flags)
{
    if (flags & ~(DWORD)TRANSMIT_FLAGS)
        return WSAEINVAL;
    if (wsaio_bad_opt_ptr(ov) || wsaio_bad_opt_ptr(tb))
        return WSAEFAULT;
    if (tb && ((tb->HeadLength && wsaio_bad_ptr(tb->Head)) ||
               (tb->TailLength && wsaio_bad_ptr(tb->Tail))))
        return WSAEFAULT;
    if (sk->type != SOCK_STREAM || !wsaio_io_has_peer(sk->fd))
        return WSAENOTCONN;
    return 0;
}

/* Opens the file stage of op: its own descriptor of hFile, the offset (the OVERLAPPED's,
 * else the file pointer, which then follows) and the count (0: to the end of the file).
 * 0 or the error. */
static int transmit_file_stage(struct wsaio_op *op, HANDLE hFile, DWORD count, LPOVERLAPPED ov,
                               uint32_t room)
{
    struct wsaio_transmit *tf = &wsaio_op_x(op)->tf;
    struct stat st;
    int64_t pos;
    int fd;

    if (wsaio_file_dup(hFile, &fd, &pos) < 0)
        return WSAEINVAL;
    tf->file = fd;
    if (ov)
        pos = (int64_t)(((uint64_t)ov->OffsetHigh << 32) | ov->Offset);
    else
        tf->flags |= WSAIO_TF_SEEK;
    tf->pos = pos;
    if (!count) { /* to the end of the file, at most what room is left */
        if (fstat(fd, &st) != 0)
            return WSAEINVAL;
        if (st.st_size > pos)
            count = (uint64_t)(st.st_size - pos) < room ? (DWORD)(st.st_size - pos) : room;
    }
    if (count > room)
        return WSAEINVAL;
    tf->file_left = count;
    return 0;
}

WSAIO_EXPORT BOOL WINAPI TransmitFile(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite,
                                      DWORD nNumberOfBytesPerSend, LPOVERLAPPED lpOverlapped,
                                      LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwFlags)
{
    struct wsaio_socket *sk = wsaio_socket_enter(hSocket);
    /* Without an OVERLAPPED the call waits for its own: bit 0 of hEvent set, so that a
     * socket's completion port gets no packet for it (api.md 2.4, 2.5). */
    WSAOVERLAPPED own = {.hEvent = (HANDLE)1};
    TRANSMIT_FILE_BUFFERS tb = {0};
    struct wsaio_transmit *tf;
    struct wsaio_op *op;
    int err;

    (void)nNumberOfBytesPerSend; /* the kernel sizes its sends */
    if (!sk)
        return FALSE;
    if ((err = transmit_refusal(sk, lpOverlapped, lpTransmitBuffers, dwFlags)) != 0)
        return wsaio_io_refuse(sk, err), FALSE;
    if (lpTransmitBuffers)
        tb = *lpTransmitBuffers;
    if ((uint64_t)tb.HeadLength + tb.TailLength > WSAIO_TRANSMIT_MAX)
        return wsaio_io_refuse(sk, WSAEINVAL), FALSE;
    op = wsaio_io_op(sk, WSAIO_OP_TRANSMIT, false, NULL, 0, lpOverlapped ? lpOverlapped : &own,
                     NULL, &err);
    if (!op)
        return wsaio_io_refuse(sk, err), FALSE;
    tf = &wsaio_op_x(op)->tf;
    op->iov[0] = (struct iovec){tb.Head, tb.HeadLength};
    op->iov[1] = (struct iovec){tb.Tail, tb.TailLength};
    if (hFile && (err = transmit_file_stage(op, hFile, nNumberOfBytesToWrite, lpOverlapped,
                                            WSAIO_TRANSMIT_MAX - tb.HeadLength - tb.TailLength))) {
        wsaio_op_free(op);
        return wsaio_io_refuse(sk, err), FALSE;
    }
    op->total = tb.HeadLength + tf->file_left + tb.TailLength;
    return wsaio_transmit_issue(sk, op, dwFlags, lpOverlapped, &own);
}

BOOL wsaio_transmit_issue(struct wsaio_socket *sk, struct wsaio_op *op, DWORD dwFlags,
                          LPOVERLAPPED ov, LPWSAOVERLAPPED own)
{
    DWORD bytes;
    int err;

    if (dwFlags & (TF_DISCONNECT | TF_REUSE_SOCKET))
        wsaio_op_x(op)->tf.flags |= WSAIO_TF_DISCONNECT;
    if (dwFlags & TF_REUSE_SOCKET)
        wsaio_op_x(op)->tf.flags |= WSAIO_TF_REUSE;
    if (ov) {
        err = wsaio_io_run(op, &bytes, NULL);
        wsaio_socket_put(sk);
        return err == 0;
    }
    err = wsaio_io_run_own(op, own, &bytes);
    wsaio_socket_put(sk);
    if (err)
        return wsaio_fail((DWORD)err), FALSE;
    wsaio_set_error(0);
    return TRUE;
}
