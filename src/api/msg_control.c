/*
 * msg_control.c - control data of WSASendMsg, and the receive-side options (see
 * msg_control.h).
 */
#include "api/msg_control.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "base/userptr.h"

/* Linux sends from ipi_spec_dst and ignores ipi_addr; Windows sends from ipi_addr. */
static void pktinfo_out(struct cmsghdr *c)
{
    struct in_pktinfo pi;

    if (c->cmsg_len < CMSG_LEN(sizeof(pi)))
        return; /* the kernel refuses it (EINVAL) */
    memcpy(&pi, CMSG_DATA(c), sizeof(pi));
    if (pi.ipi_spec_dst.s_addr == htonl(INADDR_ANY))
        pi.ipi_spec_dst = pi.ipi_addr;
    memcpy(CMSG_DATA(c), &pi, sizeof(pi));
}

int wsaio_msg_control_out(void *dst, size_t cap, const WSABUF *ctl, size_t *len)
{
    struct msghdr mh = {.msg_control = dst, .msg_controllen = ctl->len};

    *len = 0;
    if (!ctl->len)
        return 0;
    if (wsaio_bad_ptr(ctl->buf))
        return WSAEFAULT;
    if (ctl->len > cap)
        return WSAENOBUFS;
    memcpy(dst, ctl->buf, ctl->len);
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        size_t left = ctl->len - (size_t)((char *)c - (char *)dst);

        if (c->cmsg_len < sizeof(*c) || c->cmsg_len > left)
            return WSAEINVAL;
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
            pktinfo_out(c);
    }
    *len = ctl->len;
    return 0;
}

int wsaio_msg_optname(int level, int optname, int optlen)
{
    if (level != IPPROTO_IPV6 || optlen != (int)sizeof(int))
        return optname;
    if (optname == IPV6_PKTINFO)
        return IPV6_RECVPKTINFO;
    if (optname == IPV6_HOPLIMIT)
        return IPV6_RECVHOPLIMIT;
    return optname;
}
