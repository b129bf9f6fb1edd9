/*
 * ioctl_net.h - WSAIoctl's address-list and routing codes (ioctl_net.c).
 */
#ifndef WSAIO_API_IOCTL_NET_H
#define WSAIO_API_IOCTL_NET_H

#include <stdbool.h>

#include "api/io.h"

/* SIO_ADDRESS_LIST_QUERY. 0 or a WSA error; *report says whether *written (the byte count
 * for *lpcbBytesReturned) is to be reported even though the call failed. */
int wsaio_ioctl_address_list(struct wsaio_socket *sk, void *out, DWORD outlen, DWORD *written,
                             bool *report);

/* SIO_ROUTING_INTERFACE_QUERY, same conventions. */
int wsaio_ioctl_routing_query(struct wsaio_socket *sk, const void *in, DWORD inlen, void *out,
                              DWORD outlen, DWORD *written, bool *report);

/* SIO_ADDRESS_LIST_CHANGE / SIO_ROUTING_INTERFACE_CHANGE: the whole call, returning what
 * WSAIoctl returns (the last error set). */
int wsaio_ioctl_change(struct wsaio_socket *sk, DWORD code, const void *in, DWORD inlen,
                       LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                       LPDWORD returned);

#endif /* WSAIO_API_IOCTL_NET_H */
