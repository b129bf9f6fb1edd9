/*
 * msg_control.h - WSASendMsg's control data and the socket options that ask for control
 * data on receive (api.md 4.29). The records keep their layout (WSACMSGHDR is Linux's
 * cmsghdr on LP64) and the names keep Linux's numbers; what differs is what Windows
 * means by some of them, translated here.
 */
#ifndef WSAIO_API_MSG_CONTROL_H
#define WSAIO_API_MSG_CONTROL_H

#include <stddef.h>

#include <winsock2.h>

/*
 * Copies the control records ctl of a WSASendMsg into dst (cap bytes) as Linux takes
 * them: IP_PKTINFO's ipi_addr, the source Windows sends from, becomes ipi_spec_dst (the
 * field Linux reads) unless that is set. 0 and *len; WSAEFAULT (a bad buffer), WSAENOBUFS
 * (longer than cap), WSAEINVAL (a record shorter than its header or past the end).
 */
int wsaio_msg_control_out(void *dst, size_t cap, const WSABUF *ctl, size_t *len);

/*
 * The Linux option for a Windows one at level IPPROTO_IPV6 with an int value: Windows'
 * IPV6_PKTINFO and IPV6_HOPLIMIT switch the control data on receive, which Linux names
 * IPV6_RECVPKTINFO and IPV6_RECVHOPLIMIT (its IPV6_PKTINFO takes a whole in6_pktinfo).
 * Any other option comes back unchanged.
 */
int wsaio_msg_optname(int level, int optname, int optlen);

#endif /* WSAIO_API_MSG_CONTROL_H */
