/*
 * uring.c - the io_uring backend (liburing; Debian 12 ships liburing 2.3).
 *
 * One ring for the process. Any thread submits, under sq_lock, and submits at once, so
 * the kernel has resolved the descriptor before the call returns: a closesocket that
 * follows can never let a reused descriptor number be picked up by an older request.
 * Only the holder of the reaper token (loop.c) consumes the completion queue.
 *
 * Kernel features used, probed at run time (see docs/io_uring.md):
 * - IORING_FEAT_NODROP (5.5): completions are never dropped when the CQ is full; a submit
 *   then fails with EBUSY until the reaper drains it, which start() waits out.
 * - IORING_FEAT_EXT_ARG (5.11): io_uring_enter with a timeout and no timeout request,
 *   which is what lets a waiting thread sleep in the ring with its wait's deadline.
 * - IORING_SETUP_COOP_TASKRUN (5.19): no inter-processor interrupt to run completion work
 *   on the submitting thread; used when present.
 * - IORING_SETUP_SUBMIT_ALL (5.18): a failing request does not stop the batch.
 * The "kick" that wakes the thread sleeping in the ring (an event it waits for was set, a
 * routine was queued to it) is a NOP submitted to the ring itself: its completion is posted
 * by the kicking thread, inside its own io_uring_enter, and wakes the sleeper directly. An
 * eventfd with a poll request would run the poll's completion as task work on the thread
 * that armed it, interrupting whatever system call that thread was in (an accept, say).
 * Not used: SINGLE_ISSUER and DEFER_TASKRUN need one submitting thread, and Winsock
 * programs issue from any thread; registered files would have to track every close.
 */
#include "backend/backend.h"
#include "base/lockorder.h"
#include "base/resources.h"

#ifdef WSAIO_HAVE_LIBURING
#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RING_ENTRIES 1024
#define CQ_ENTRIES   16384
#define TAG_IGNORE   2ull /* user_data of cancel requests and kicks */

static struct io_uring ring;
static pthread_mutex_t sq_lock = PTHREAD_MUTEX_INITIALIZER;
static char refusal[160]; /* why io_uring could not be used */
static bool ring_up;      /* ring is set up in this process */

const char *wsaio_uring_refusal(void)
{
    return refusal;
}

/* A free submission entry (sq_lock held); flushes the queue when it is full. */
static struct io_uring_sqe *get_sqe(void)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

    if (!sqe) {
        io_uring_submit(&ring);
        sqe = io_uring_get_sqe(&ring);
    }
    return sqe;
}

/* Submits what was prepared (sq_lock held). A completion queue that overflowed makes the
 * kernel refuse new work (EBUSY) until it is drained: let the reaper catch up. */
static int submit(void)
{
    int rc;

    for (int tries = 0; (rc = io_uring_submit(&ring)) == -EBUSY || rc == -EAGAIN || rc == -EINTR;
         tries++) {
        if (tries > 100000)
            return rc;
        wsaio_unlock(&sq_lock, WSAIO_RANK_BACKEND);
        sched_yield();
        wsaio_lock(&sq_lock, WSAIO_RANK_BACKEND);
    }
    return rc < 0 ? rc : 0;
}

static int uring_init(void)
{
    struct io_uring_params p;
    unsigned flags[] = {IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL, 0};
    unsigned entries = RING_ENTRIES, cq_entries = CQ_ENTRIES;
    const char *env = getenv("WSAIO_URING_ENTRIES");
    int rc = -ENOSYS;

    /* Tests shrink the ring to force full submission and completion queues. */
    if (env && atoi(env) >= 2) {
        entries = (unsigned)atoi(env);
        cq_entries = 2 * entries;
    }
    for (unsigned i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        memset(&p, 0, sizeof(p));
        p.flags = flags[i] | IORING_SETUP_CQSIZE;
        p.cq_entries = cq_entries;
        rc = io_uring_queue_init_params(entries, &ring, &p);
        if (rc != -EINVAL)
            break;
    }
    if (rc < 0) {
        snprintf(refusal, sizeof(refusal), "io_uring_setup failed: %s (%s)%s", strerrorname_np(-rc),
                 strerror(-rc),
                 rc == -EPERM ? " (kernel.io_uring_disabled or a seccomp profile)" : "");
        return rc;
    }
    if (!(p.features & IORING_FEAT_NODROP) || !(p.features & IORING_FEAT_EXT_ARG)) {
        snprintf(refusal, sizeof(refusal), "kernel lacks IORING_FEAT_NODROP/EXT_ARG (< 5.11)");
        io_uring_queue_exit(&ring);
        return -ENOSYS;
    }
    wsaio_resources_own_fd(ring.ring_fd); /* io_uring's descriptors are close-on-exec */
    ring_up = true;
    refusal[0] = 0; /* an earlier shortage is no refusal */
    return 0;
}

/* Whether r's completion is among the last few posted from index from on (sq_lock
 * held). The reaper may be consuming them meanwhile: a read only, and only a guess
 * (WSAIO_KREQ_EARLY). The newest first: the submit also posts the calling thread's other
 * completions that were waiting for it to enter the kernel (task work, COOP_TASKRUN),
 * before r's (unit.early_under_load). */
static bool posted_since(unsigned from, const struct wsaio_kreq *r)
{
    unsigned to = io_uring_smp_load_acquire(ring.cq.ktail);

    for (unsigned n = 0; to != from && n < 8; n++)
        if (ring.cq.cqes[--to & ring.cq.ring_mask].user_data == (uint64_t)(uintptr_t)r)
            return true;
    return false;
}

static int uring_start(struct wsaio_kreq *r)
{
    struct io_uring_sqe *sqe;
    unsigned tail = 0;
    int rc;

    wsaio_lock(&sq_lock, WSAIO_RANK_BACKEND);
    sqe = get_sqe();
    if (!sqe) {
        wsaio_unlock(&sq_lock, WSAIO_RANK_BACKEND);
        return -ENOBUFS;
    }
    switch (r->call) {
    case WSAIO_KCALL_SENDMSG:
        io_uring_prep_sendmsg(sqe, r->fd, &r->msg, r->flags | MSG_NOSIGNAL);
        break;
    case WSAIO_KCALL_POLLIN:
        io_uring_prep_poll_add(sqe, r->fd, POLLIN);
        break;
    case WSAIO_KCALL_CONNECT:
    case WSAIO_KCALL_WRITABLE:
        io_uring_prep_poll_add(sqe, r->fd, POLLOUT);
        break;
    case WSAIO_KCALL_DISCONNECT:
        io_uring_prep_poll_add(sqe, r->fd, POLLRDHUP);
        break;
    case WSAIO_KCALL_ACCEPT: /* blocking descriptor, as accept() makes (accept_connect.c) */
        io_uring_prep_accept(sqe, r->fd, (struct sockaddr *)r->msg.msg_name, &r->msg.msg_namelen,
                             0);
        break;
    default:
        io_uring_prep_recvmsg(sqe, r->fd, &r->msg, r->flags);
        /* The engine just tried and found nothing, or skipped the try because the last one
         * found nothing (engine.c): go straight to waiting. */
        sqe->ioprio |= IORING_RECVSEND_POLL_FIRST;
        /* Data already queued is received by task work that runs before the submit
         * returns: its completion is then posted past this tail. */
        tail = io_uring_smp_load_acquire(ring.cq.ktail);
        break;
    }
    io_uring_sqe_set_data(sqe, r);
    rc = submit();
    if (rc == 0 && r->call == WSAIO_KCALL_RECVMSG && posted_since(tail, r))
        rc = WSAIO_KREQ_EARLY;
    if (rc < 0) {
        /* The refused entry stays in the ring and would go with the next submission, for
         * a request the core has ended (and whose record it reuses): make it a NOP
         * whose completion nobody reads. The kernel took none of the entries, and only
         * sq_lock holders submit, so it is still ours to rewrite. */
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, TAG_IGNORE);
    }
    wsaio_unlock(&sq_lock, WSAIO_RANK_BACKEND);
    return rc;
}

static void uring_cancel(struct wsaio_kreq *r)
{
    struct io_uring_sqe *sqe;

    wsaio_lock(&sq_lock, WSAIO_RANK_BACKEND);
    sqe = get_sqe();
    if (sqe) {
        io_uring_prep_cancel64(sqe, (uint64_t)(uintptr_t)r, 0);
        io_uring_sqe_set_data64(sqe, TAG_IGNORE);
        submit();
    }
    wsaio_unlock(&sq_lock, WSAIO_RANK_BACKEND);
}

/* Blocks in io_uring_enter until one completion, a kick, or the deadline. liburing's
 * wait helpers may also flush the submission queue, which other threads fill under
 * sq_lock; the raw call only waits. */
static void uring_sleep(const struct timespec *deadline)
{
    struct io_uring_getevents_arg arg = {0};
    struct __kernel_timespec rel;
    unsigned flags = IORING_ENTER_GETEVENTS;

    if (deadline) {
        struct timespec left = wsaio_backend_time_left(deadline);

        if (!left.tv_sec && !left.tv_nsec)
            return;
        rel.tv_sec = left.tv_sec;
        rel.tv_nsec = left.tv_nsec;
        arg.ts = (uint64_t)(uintptr_t)&rel;
    }
    flags |= IORING_ENTER_EXT_ARG;
    syscall(__NR_io_uring_enter, ring.ring_fd, 0, 1, flags, &arg, sizeof(arg));
}

static bool uring_ready(void)
{
    return io_uring_cq_ready(&ring) != 0;
}

/* Any thread: the head is the reaper's, advanced with a release store (liburing's
 * io_uring_cq_ready() reads it plainly, which only its one reaper may do). */
static bool uring_queued(void)
{
    return io_uring_smp_load_acquire(ring.cq.ktail) !=
           __atomic_load_n(ring.cq.khead, __ATOMIC_ACQUIRE);
}

static int uring_reap(void)
{
    struct io_uring_cqe *cqe;
    unsigned head, seen = 0;
    int done = 0;

    io_uring_for_each_cqe(&ring, head, cqe)
    {
        uint64_t tag = io_uring_cqe_get_data64(cqe);

        seen++;
        if (tag != TAG_IGNORE) {
            /* Advance first: the handler may submit, and a full CQ would refuse it. */
            struct wsaio_kreq *r = (struct wsaio_kreq *)(uintptr_t)tag;
            int res = cqe->res;
            bool more = (cqe->flags & IORING_CQE_F_SOCK_NONEMPTY) != 0;

            io_uring_cq_advance(&ring, seen);
            seen = 0;
            wsaio_backend_done(r, res, more);
            done++;
        }
    }
    io_uring_cq_advance(&ring, seen);
    return done;
}

/* Never called with sq_lock held: kicks come from sets, pulses and queued routines, none
 * of which happens inside a submission. */
static void uring_kick(void)
{
    struct io_uring_sqe *sqe;

    wsaio_lock(&sq_lock, WSAIO_RANK_BACKEND);
    sqe = get_sqe();
    if (sqe) {
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, TAG_IGNORE);
        submit();
    }
    wsaio_unlock(&sq_lock, WSAIO_RANK_BACKEND);
}

WSAIO_BACKEND_DEFINE(wsaio_backend_uring, "uring", uring, true);

void wsaio_uring_fork_child(void)
{
    /* Another parent thread may have held it at fork. */
    pthread_mutex_init(&sq_lock, NULL);
    if (!ring_up)
        return;
    /* The descriptor is closed already (resources.c): unmap the parent's rings from the
     * child without closing that number again (it may be reused by then). */
    ring.ring_fd = -1;
    io_uring_queue_exit(&ring);
    ring_up = false;
}

#else /* built without liburing: the backend refuses, and epoll is used */

#include <errno.h>

const char *wsaio_uring_refusal(void)
{
    return "wsaio was built without liburing (Debian: liburing-dev)";
}

void wsaio_uring_fork_child(void)
{
}

static int uring_refuse(void)
{
    return -ENOSYS;
}

const struct wsaio_backend wsaio_backend_uring = {
    .name = "uring",
    .init = uring_refuse,
};

#endif /* WSAIO_HAVE_LIBURING */
