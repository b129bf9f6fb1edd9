/*
 * io.c - shared plumbing of the overlapped calls (see io.h).
 */
#include "api/io.h"

#include <errno.h>
#include <string.h>

#include "core/nonblock.h"
#include "core/wait.h"

/* Shortens iov (whose lengths add up to more than limit) at the entry where the sum
 * reaches it; returns how many entries are left. Only such totals come here. */
static __attribute__((noinline, cold)) DWORD cut_iov(struct iovec *iov, uint64_t limit,
                                                     uint64_t *total)
{
    uint64_t sum = 0;
    DWORD i;

    for (i = 0; sum + iov[i].iov_len < limit; i++)
        sum += iov[i].iov_len;
    iov[i].iov_len = limit - sum;
    *total = limit;
    return i + 1;
}

/*
 * Converts the WSABUF array (WSABUF is {len, buf}: never cast it to iovec) and returns how
 * many entries the call uses. The total is counted in 64 bits and cut at limit (a receive's
 * WSAIO_MAX_TRANSFER; a send's total was checked against WSAIO_MAX_SEND), so neither the
 * total nor a byte count can wrap to 32 bits (two 2 GiB buffers would make a total of 0).
 */
static inline DWORD copy_iov(struct iovec *iov, const WSABUF *bufs, DWORD nbufs, uint64_t limit,
                             uint64_t *total)
{
    uint64_t sum = 0;

    for (DWORD i = 0; i < nbufs; i++) {
        iov[i].iov_base = bufs[i].buf;
        iov[i].iov_len = bufs[i].len;
        sum += bufs[i].len;
    }
    *total = sum;
    return sum <= limit ? nbufs : cut_iov(iov, limit, total);
}

/* The calling thread's id (wsaio_self_tid()), kept where the issuing path reads it with
 * one load: every operation records who issued it, for a cancel by thread (cancel.h). */
static __thread int32_t self_tid __attribute__((tls_model("initial-exec")));

static int32_t issuing_tid(void)
{
    if (__builtin_expect(!self_tid, 0))
        self_tid = wsaio_self_tid();
    return self_tid;
}

static uint64_t limit_of(int kind)
{
    return wsaio_opkinds[kind].limit;
}

bool wsaio_io_send_fits(const WSABUF *bufs, DWORD nbufs)
{
    uint64_t sum = 0;

    for (DWORD i = 0; i < nbufs; i++)
        sum += bufs[i].len;
    return sum <= WSAIO_MAX_SEND;
}

int wsaio_io_check_buffers(const WSABUF *bufs, DWORD nbufs)
{
    if (wsaio_bad_ptr(bufs))
        return WSAEFAULT;
    if (nbufs == 0)
        return WSAEINVAL;
    if (nbufs > WSAIO_MAX_WSABUF)
        return WSAENOBUFS;
    /* A data buffer no program can own fails now, as Windows' probe does: left to the
     * kernel, a receive would block (or pend) until data came and only then fail. */
    for (DWORD i = 0; i < nbufs; i++)
        if (bufs[i].len && wsaio_bad_ptr(bufs[i].buf))
            return WSAEFAULT;
    return 0;
}

size_t wsaio_io_msg(struct msghdr *msg, struct iovec *iov, const WSABUF *bufs, DWORD nbufs,
                    int kind)
{
    uint64_t total;

    memset(msg, 0, sizeof(*msg));
    msg->msg_iov = iov;
    msg->msg_iovlen = copy_iov(iov, bufs, nbufs, limit_of(kind), &total);
    return (size_t)total;
}

struct wsaio_op *wsaio_io_op(struct wsaio_socket *sk, int kind, bool addressed, const WSABUF *bufs,
                             DWORD nbufs, LPWSAOVERLAPPED ov,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, int *err)
{
    struct wsaio_op *op;
    uint64_t total = 0;
    DWORD used = 0;

    if (nbufs > WSAIO_MAX_WSABUF) {
        *err = WSAENOBUFS;
        return NULL;
    }
    op = wsaio_op_alloc(nbufs, addressed || wsaio_opkinds[kind].ext);
    if (!op) {
        *err = WSAENOBUFS;
        return NULL;
    }
    if (routine) {
        /* A routine on a port-associated socket is refused (api.md 2.1). */
        if (atomic_load(&sk->port)) {
            wsaio_op_free(op);
            *err = WSAEINVAL;
            return NULL;
        }
        op->ts = wsaio_tstate_self();
        if (!op->ts) {
            wsaio_op_free(op);
            *err = WSAENOBUFS;
            return NULL;
        }
        wsaio_tstate_get(op->ts);
        op->routine = routine;
    } else {
        /* Bit 0 of hEvent only says "no completion-port packet" (api.md 2.5). */
        op->event = (HANDLE)((uintptr_t)ov->hEvent & ~(uintptr_t)1);
    }
    wsaio_socket_hold(sk);
    op->sk = sk;
    op->ov = ov;
    op->tid = issuing_tid();
    op->kind = (uint8_t)kind & 15;
    if (bufs)
        used = copy_iov(op->iov, bufs, nbufs, limit_of(kind), &total);
    op->msg.msg_iov = op->iov;
    op->msg.msg_iovlen = used;
    op->total = (uint32_t)total; /* at most WSAIO_MAX_SEND */
    return op;
}

void wsaio_io_wait_done(struct wsaio_socket *sk, LPWSAOVERLAPPED ov)
{
    struct wsaio_waitable *w = &sk->io_done;

    for (;;) {
        /* Read the pulse count before the status: a completion in between still wakes. */
        uint32_t seq = WSAIO_SEQ(atomic_load(&w->word));

        if ((DWORD)__atomic_load_n(&ov->Internal, __ATOMIC_ACQUIRE) != STATUS_PENDING)
            return;
        wsaio_wait_from(&w, 1, &seq, false, INFINITE, false);
    }
}

DWORD wsaio_io_wait_done_for(struct wsaio_socket *sk, LPWSAOVERLAPPED ov, DWORD timeout,
                             bool alertable)
{
    struct wsaio_waitable *w = &sk->io_done;
    ULONGLONG end = GetTickCount64() + timeout;

    for (;;) {
        uint32_t seq = WSAIO_SEQ(atomic_load(&w->word));
        ULONGLONG now;
        DWORD r;

        if ((DWORD)__atomic_load_n(&ov->Internal, __ATOMIC_ACQUIRE) != STATUS_PENDING)
            return WAIT_OBJECT_0;
        now = GetTickCount64();
        if (timeout != INFINITE && now >= end)
            return WAIT_TIMEOUT;
        r = wsaio_wait_from(&w, 1, &seq, false, timeout == INFINITE ? INFINITE : (DWORD)(end - now),
                            alertable);
        if (r == WAIT_IO_COMPLETION)
            return r;
    }
}

int wsaio_io_run(struct wsaio_op *op, LPDWORD bytes, LPDWORD flags)
{
    struct wsaio_socket *sk = op->sk;
    LPWSAOVERLAPPED ov = op->ov;
    struct wsaio_issue r = wsaio_engine_issue(op);

    if (r.outcome == WSAIO_FAILED)
        return wsaio_fail((DWORD)r.wsa_error);
    if (r.outcome == WSAIO_PENDING) {
        if (sk->overlapped)
            return wsaio_fail(WSA_IO_PENDING);
        /* No overlapped attribute: Windows performs the call synchronously (api.md 1.2). */
        wsaio_io_wait_done(sk, ov);
        r.status = (NTSTATUS)(uint32_t)__atomic_load_n(&ov->Internal, __ATOMIC_ACQUIRE);
        r.bytes = (uint32_t)ov->InternalHigh;
    }
    if (bytes)
        *bytes = r.bytes;
    if (flags)
        *flags = 0; /* TCP and UDP never report MSG_PARTIAL (api.md 4.5) */
    if (r.status != STATUS_SUCCESS)
        return wsaio_fail(wsaio_status_to_wsa(r.status));
    wsaio_set_error(0);
    return 0;
}

int wsaio_io_run_own(struct wsaio_op *op, LPWSAOVERLAPPED own, DWORD *bytes)
{
    struct wsaio_socket *sk = op->sk; /* the caller's reference keeps it */
    int err = 0;

    *bytes = 0;
    if (wsaio_io_run(op, bytes, NULL) == 0)
        return 0;
    if ((err = (int)WSAGetLastError()) != WSA_IO_PENDING)
        return err;
    wsaio_io_wait_done(sk, own);
    *bytes = (DWORD)own->InternalHigh;
    return (int)wsaio_status_to_wsa((NTSTATUS)(uint32_t)own->Internal);
}

int wsaio_io_sync_error(struct wsaio_socket *sk, int err)
{
    if ((err == EAGAIN || err == EWOULDBLOCK) && !wsaio_nonblock_mode(sk))
        return WSAETIMEDOUT;
    /* An ICMP port unreachable for an earlier datagram: Linux says ECONNREFUSED, Windows
     * WSAECONNRESET, as the overlapped path does (api.md 4.5). */
    if (err == ECONNREFUSED && sk->type != SOCK_STREAM)
        return WSAECONNRESET;
    return wsaio_errno_to_wsa(err);
}

void wsaio_io_msg_skip(struct msghdr *msg, size_t n)
{
    while (n >= msg->msg_iov->iov_len) {
        n -= msg->msg_iov->iov_len;
        msg->msg_iov++;
        msg->msg_iovlen--;
    }
    msg->msg_iov->iov_base = (char *)msg->msg_iov->iov_base + n;
    msg->msg_iov->iov_len -= n;
}
