/*
 * msg.h - WSARecvMsg's outputs (api.md 4.29), written from the kernel's msghdr by the
 * receive that finished: on the spot (api/recv.c) or in the engine (core/opkind.c).
 */
#ifndef WSAIO_CORE_MSG_H
#define WSAIO_CORE_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <winsock2.h>

/* Sets m->Control.len to the control bytes the kernel wrote (the buffer holds Linux's
 * cmsghdr records, which are WSACMSGHDR records on LP64) and m->dwFlags to MSG_TRUNC and
 * MSG_CTRUNC as they came; true when either is set: the call fails with WSAEMSGSIZE. */
static inline bool wsaio_msg_outputs(WSAMSG *m, const struct msghdr *msg)
{
    m->Control.len = (ULONG)msg->msg_controllen;
    m->dwFlags = (ULONG)(msg->msg_flags & (MSG_TRUNC | MSG_CTRUNC));
    return m->dwFlags != 0;
}

_Static_assert(sizeof(WSACMSGHDR) == sizeof(struct cmsghdr) &&
                   offsetof(WSACMSGHDR, cmsg_level) == offsetof(struct cmsghdr, cmsg_level) &&
                   offsetof(WSACMSGHDR, cmsg_type) == offsetof(struct cmsghdr, cmsg_type) &&
                   WSA_CMSG_SPACE(12) == CMSG_SPACE(12) && WSA_CMSG_LEN(12) == CMSG_LEN(12),
               "Linux's control records are Windows' on this ABI");

#endif /* WSAIO_CORE_MSG_H */
